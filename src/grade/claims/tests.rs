//! The stance rules, as a table: each sentence, a term in it, and how the
//! sentence holds that term. Both directions are covered: cues that must turn
//! a term around, and look-alikes that must not.

use super::*;
use Stance::{Asserted, Conditional, Described, Negated, Questioned, Rejected};

fn stance_of(text: &str, term: &str) -> Option<Stance> {
    let reading = Reading::new([(PhaseId::HighLevelDesign, text)], Lines::Typed);
    let hits = reading.find(&Form::new(term));
    let &(first, last) = hits.first()?;
    Some(reading.stance(first, last))
}

#[test]
fn stances_of_terms_in_sentences() {
    let table: &[(&str, &str, Stance)] = &[
        // Plain claims.
        (
            "We store amounts as integer cents.",
            "integer cents",
            Asserted,
        ),
        (
            "Redis sits in front of the store as a cache.",
            "redis",
            Asserted,
        ),
        (
            "Each server leases a block of 1M ids.",
            "leases a block",
            Asserted,
        ),
        ("Shard by a hash of the short code.", "shard", Asserted),
        ("Use a 302 so every click reaches us.", "302", Asserted),
        // Negation of the whole clause.
        (
            "We will not use idempotency keys.",
            "idempotency key",
            Negated,
        ),
        ("Retries are not safe.", "retry", Negated),
        ("We don't need a cache.", "cache", Negated),
        (
            "The service never stores card numbers.",
            "card number",
            Negated,
        ),
        ("Amounts must never be floats.", "float", Negated),
        ("Kafka isn't needed here.", "kafka", Negated),
        ("We won't shard the database.", "shard", Negated),
        (
            "Modulo hashing does not survive a resize.",
            "modulo hashing",
            Negated,
        ),
        (
            "Editing a link's destination is out of scope.",
            "editing",
            Negated,
        ),
        ("Custom domains are a non-goal.", "custom domain", Negated),
        // Negation of what follows.
        ("No reconciliation, no ledger.", "ledger", Negated),
        ("No reconciliation, no ledger.", "reconciliation", Negated),
        (
            "Retry the charge without an idempotency key.",
            "idempotency key",
            Negated,
        ),
        (
            "Retry the charge without an idempotency key.",
            "retry",
            Asserted,
        ),
        ("We use none of the caching layers.", "caching", Negated),
        ("Use a 302 not a 301.", "301", Negated),
        ("Use a 302 not a 301.", "302", Asserted),
        ("We use Cassandra, not MySQL.", "cassandra", Asserted),
        ("We use Cassandra, not MySQL.", "mysql", Negated),
        // Look-alikes of negation that assert.
        (
            "There is no single point of failure: every tier is replicated.",
            "no single point of failure",
            Asserted,
        ),
        (
            "Not only do we cache redirects, we also replicate them.",
            "cache",
            Asserted,
        ),
        (
            "Allow no more than 100 requests a minute per key.",
            "100 requests",
            Asserted,
        ),
        (
            "Writes use put-if-absent on the code.",
            "put if absent",
            Asserted,
        ),
        (
            "Out of scope: editing links; analytics are in.",
            "analytics",
            Asserted,
        ),
        ("A no-op update is free.", "update", Asserted),
        // A heading that names the choice it turns down: what follows the
        // colon is its reason, held as written.
        (
            "Not 301: browsers cache it, so every click reaches us only with a 302.",
            "302",
            Asserted,
        ),
        (
            "Not 301: browsers cache it, so every click reaches us only with a 302.",
            "301",
            Negated,
        ),
        (
            "Not doing: custom domains, link editing.",
            "custom domain",
            Negated,
        ),
        // "and not" negates what follows it, not the list before it.
        (
            "Codes must be short, alphanumeric and not enumerable.",
            "alphanumeric",
            Asserted,
        ),
        (
            "Codes must be short, alphanumeric and not enumerable.",
            "enumerable",
            Negated,
        ),
        ("Use a 302 and not a 301.", "302", Asserted),
        // A sentence ends before a number as well, so the negation before
        // the period stays there; the consequence of an "if" is asserted.
        (
            "A retry doesn't mint two codes. 409 if the alias is taken.",
            "409",
            Asserted,
        ),
        // "never" after a noun negates what follows, not the noun.
        (
            "Metadata is strongly consistent, and a device never sees a stale listing.",
            "device",
            Asserted,
        ),
        (
            "Metadata is strongly consistent, and a device never sees a stale listing.",
            "stale listing",
            Negated,
        ),
        ("We will never store card numbers.", "card number", Negated),
        ("Redis is never used for money.", "redis", Negated),
        // "by" starts a means only before a verb.
        ("No sharding by user id.", "user id", Negated),
        (
            "No double charge by keying retries on the attempt id.",
            "attempt id",
            Asserted,
        ),
        // Nor does a placeholder in SQL.
        (
            "The claim is UPDATE drivers SET trip = ? WHERE id = ?",
            "update drivers",
            Asserted,
        ),
        // A `?` inside a URL does not make a question.
        (
            "GET /autocomplete?prefix=ab returns the top 10 completions.",
            "top 10",
            Asserted,
        ),
        (
            "Capped at approx. 10 retries per key.",
            "10 retries",
            Asserted,
        ),
        // Rejection of what follows.
        (
            "Instead of floats we store integer cents.",
            "float",
            Rejected,
        ),
        (
            "Instead of floats we store integer cents.",
            "integer cents",
            Asserted,
        ),
        (
            "We store integer cents instead of floats.",
            "float",
            Rejected,
        ),
        (
            "We store integer cents instead of floats.",
            "integer cents",
            Asserted,
        ),
        (
            "Use a token bucket rather than a fixed window.",
            "fixed window",
            Rejected,
        ),
        (
            "Use a token bucket rather than a fixed window.",
            "token bucket",
            Asserted,
        ),
        (
            "Avoid two-phase commit across services.",
            "two-phase commit",
            Rejected,
        ),
        (
            "We avoid hot keys by replicating hot entries.",
            "replicating",
            Asserted,
        ),
        (
            "We avoid hot keys by replicating hot entries.",
            "hot key",
            Rejected,
        ),
        ("Replace the cron job with a queue.", "cron", Rejected),
        ("Replace the cron job with a queue.", "queue", Asserted),
        (
            "Idempotency keys prevent double charges.",
            "double charge",
            Rejected,
        ),
        (
            "Idempotency keys prevent double charges.",
            "idempotency key",
            Asserted,
        ),
        // Rejection of the whole clause.
        (
            "The classic mistake is to use floats for money.",
            "float",
            Rejected,
        ),
        (
            "A global auto-increment in one database would be a bottleneck, so each server takes a range.",
            "auto-increment",
            Rejected,
        ),
        (
            "A global auto-increment in one database would be a bottleneck, so each server takes a range.",
            "range",
            Asserted,
        ),
        (
            "Storing card numbers ourselves is a bad idea.",
            "card number",
            Rejected,
        ),
        (
            "A single Redis node is a single point of failure.",
            "redis",
            Rejected,
        ),
        (
            "The naive approach keeps counters in each server's memory.",
            "counter",
            Rejected,
        ),
        (
            "Two-phase commit with the PSP is an anti-pattern.",
            "two-phase commit",
            Rejected,
        ),
        (
            "If we did that we could lose counters on failover.",
            "counter",
            Rejected,
        ),
        // Hypotheticals that are cures, not troubles.
        (
            "Consistent hashing would avoid hotspots on resize.",
            "consistent hashing",
            Asserted,
        ),
        // Questions to the interviewer.
        (
            "Should we store card numbers ourselves?",
            "card number",
            Questioned,
        ),
        ("Do we need custom aliases?", "custom alias", Questioned),
        (
            "Should we store card numbers? No, the PSP's vault stores them.",
            "vault",
            Asserted,
        ),
        // Conditions and their consequences.
        (
            "If the PSP times out we just retry the charge.",
            "retry",
            Asserted,
        ),
        (
            "If the PSP times out we just retry the charge.",
            "time out",
            Conditional,
        ),
        ("If Redis is down, fail open.", "redis", Conditional),
        ("If Redis is down, fail open.", "fail open", Asserted),
        (
            "If two servers read then write the counter, both pass.",
            "write the counter",
            Conditional,
        ),
        (
            "Fall back to a long poll when WebSockets are blocked.",
            "long poll",
            Conditional,
        ),
        (
            "Unless the key is new, return the stored response.",
            "stored response",
            Asserted,
        ),
        (
            "We retry with backoff if the provider is unavailable.",
            "backoff",
            Asserted,
        ),
        (
            "We retry with backoff if the provider is unavailable.",
            "provider",
            Conditional,
        ),
        (
            "If we lose the leader, we elect a new one.",
            "leader",
            Conditional,
        ),
        // Clauses keep cues apart.
        (
            "We don't use floats, we use integer cents.",
            "integer cents",
            Asserted,
        ),
        (
            "Retries are unsafe without keys, so every request carries one.",
            "request",
            Asserted,
        ),
        (
            "Collisions are impossible, no check is needed.",
            "collision",
            Asserted,
        ),
        (
            "Collisions are impossible, no check is needed.",
            "check",
            Negated,
        ),
        (
            "301 is cached by browsers, so we can't count every click.",
            "count every click",
            Negated,
        ),
        (
            "301 is cached by browsers, so we can't count every click.",
            "cached by browsers",
            Asserted,
        ),
        (
            "Not X but a queue: the worker drains it.",
            "queue",
            Asserted,
        ),
        (
            "Polling is wasteful - we push over WebSockets.",
            "websocket",
            Asserted,
        ),
        (
            "Polling is wasteful - we push over WebSockets.",
            "polling",
            Rejected,
        ),
        (
            "We avoid floats and use integer cents.",
            "integer cents",
            Asserted,
        ),
        (
            "Codes must not be enumerable, which rules out plainly encoding a counter.",
            "counter",
            Rejected,
        ),
        ("At that scale a 32-bit id is out.", "32-bit id", Rejected),
        ("Editing is out of scope.", "editing", Negated),
        // A rubric's voice describes an answer; it does not make a claim.
        (
            "Explains that a 301 is cached by browsers.",
            "301",
            Described,
        ),
        (
            "Names the first bottleneck at ten times the load.",
            "bottleneck",
            Described,
        ),
        ("Explain the trade-off of a 301.", "301", Asserted),
        ("Notes are kept in Postgres.", "postgres", Asserted),
    ];
    let mut wrong = Vec::new();
    for (text, term, want) in table {
        let got = stance_of(text, term);
        if got != Some(*want) {
            wrong.push(format!("{text:?} / {term}: {got:?}, want {want:?}"));
        }
    }
    assert!(table.len() >= 60);
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn out_of_scope_headings_carry_to_their_bullets() {
    let text = "Core: shorten and redirect.\nOut of scope:\n- editing links\n- custom domains\nAnalytics per link.";
    let reading = Reading::new([(PhaseId::Requirements, text)], Lines::Typed);
    let at = |term: &str| {
        let (a, b) = reading.find(&Form::new(term))[0];
        reading.stance(a, b)
    };
    let _ = stance_of;
    assert_eq!(at("editing"), Negated);
    assert_eq!(at("custom domain"), Negated);
    assert_eq!(at("analytics"), Asserted);
    assert_eq!(at("out of scope"), Asserted);
}

#[test]
fn wrapped_lines_in_a_file_join_their_sentence() {
    let text =
        "The redirect path reads\nfrom Redis first, then the store.\nKafka carries click events.";
    let reading = Reading::new([(PhaseId::HighLevelDesign, text)], Lines::Wrapped);
    assert_eq!(reading.points.len(), 2);
    let typed = Reading::new([(PhaseId::HighLevelDesign, text)], Lines::Typed);
    assert_eq!(typed.points.len(), 3);
}

#[test]
fn a_quoted_clause_never_stops_inside_a_token() {
    let text =
        "Messages are read with GET /conversations/{id}/messages?after=cursor, newest first.";
    let reading = Reading::new([(PhaseId::Api, text)], Lines::Typed);
    let (first, _) = reading.find(&Form::new("messages"))[0];
    let quote = reading.clause_text(reading.clause_of(first));
    assert!(
        quote.ends_with("/conversations/{id}/messages?after=cursor") || quote.contains("{id}"),
        "{quote}"
    );
    assert!(!quote.ends_with("{id"), "{quote}");
}

#[test]
fn a_phrase_whose_first_word_folds_short_is_still_found() {
    // "only" folds to "on".
    for (text, term) in [
        ("We only store the 1080p version.", "only store"),
        ("Only the owner can delete a paste.", "only the owner"),
    ] {
        let reading = Reading::new([(PhaseId::HighLevelDesign, text)], Lines::Typed);
        assert!(!reading.find(&Form::new(term)).is_empty(), "{term}");
    }
}

#[test]
fn phrases_are_found_across_hyphens_and_inflections_but_not_in_part() {
    let text = "Drivers overwrite their stored positions; we use write-through \
                caching and a cacheaside read path for the driver's record.";
    let reading = Reading::new([(PhaseId::HighLevelDesign, text)], Lines::Typed);
    for phrase in [
        "overwrite their stored position",
        "write through caching",
        "writethrough",
        "the driver's record",
        "drivers overwrite",
    ] {
        assert!(!reading.find(&Form::new(phrase)).is_empty(), "{phrase}");
    }
    for phrase in [
        "overwrite the position",
        "overwrite their stored coordinates",
        "drivers update positions",
    ] {
        assert!(reading.find(&Form::new(phrase)).is_empty(), "{phrase}");
    }
}

#[test]
fn the_built_word_lists_hold_every_listed_word_and_no_other() {
    use super::super::word_lists::{LISTS, RELATION, VERBS, verb_forms};
    for (i, list) in LISTS.iter().enumerate() {
        for word in list.split_whitespace() {
            assert!(WordList::of(i).contains(word), "{word} on list {i}");
        }
    }
    for verb in VERBS.split_whitespace() {
        for form in verb_forms(verb) {
            assert!(WordList::of(RELATION).contains(&form), "{form}");
        }
    }
    assert!(WordList::of(RELATION).contains("retries"));
    assert!(!WordList::of(RELATION).contains("redis"));
    assert_eq!(lists_of("zzzqqq"), 0);
}

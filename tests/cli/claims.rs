//! Grading reads claims, not keywords: every example of the issue that asked
//! for it (negated, rejected, questioned and wrong claims; lists; reworded
//! experts; red flags that must and must not fire), each graded through the
//! real binary.

use crate::support::{Sdi, by_id};
use serde_json::Value;

/// Grades one phase of text (and optional estimates) for `problem`.
fn grade(problem: &str, phase: &str, text: &str, estimates: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.yaml");
    let body: String = text.lines().map(|l| format!("    {l}\n")).collect();
    std::fs::write(
        &file,
        format!("problem: {problem}\nphases:\n  {phase}: |\n{body}{estimates}"),
    )
    .unwrap();
    let run = Sdi::new()
        .args(["grade", problem, "--json", "--answers"])
        .args([&file])
        .run();
    run.success();
    run.json()
}

fn criterion<'a>(report: &'a Value, id: &str) -> &'a Value {
    by_id(&report["criteria"], id)
}

fn flags(report: &Value) -> Vec<String> {
    report["red_flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every estimate of a problem answered with its reference.
fn correct_estimates(problem: &str) -> String {
    let show = Sdi::new().args(["show", problem, "--json"]).run().json();
    let mut out = String::from("estimates:\n");
    for e in show["estimates"].as_array().unwrap() {
        out.push_str(&format!(
            "  {}: \"{}\"\n",
            e["id"].as_str().unwrap(),
            e["reference_shown"].as_str().unwrap()
        ));
    }
    out
}

#[test]
fn negated_answers_earn_nothing_even_with_correct_estimates() {
    let text = "We will not use idempotency keys, and retries are not safe; no reconciliation, no ledger.\n\
                We won't need a state machine, an outbox or webhooks.";
    let report = grade(
        "payments",
        "deep-dive",
        text,
        &correct_estimates("payments"),
    );
    assert!(
        report["score"].as_f64().unwrap() <= 15.0,
        "{}",
        report["score"]
    );
    assert!(report["level"]["level"].is_null());
    let idempotency = criterion(&report, "idempotent-api");
    assert_eq!(idempotency["detected"], "missed");
    assert!(
        idempotency["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["stance"] == "negated"),
        "the report says the only mention was negated: {idempotency}"
    );
}

#[test]
fn wrong_claims_are_contradictions_not_credit() {
    for (problem, phase, text, id) in [
        (
            "url-shortener",
            "api",
            "GET /{code} answers with a 301 redirect so that we can count every click in our analytics.",
            "redirect-semantics",
        ),
        (
            "url-shortener",
            "deep-dive",
            "Codes come from hashing the long URL; collisions are impossible, no check is needed.",
            "collision-handling",
        ),
        (
            "rate-limiter",
            "high-level-design",
            "We compared the algorithms: the token bucket cannot handle bursts, so we use a fixed window counter.",
            "algorithms",
        ),
        (
            "payments",
            "api",
            "POST /payments is idempotent: the server generates a new idempotency key for every request.",
            "idempotent-api",
        ),
    ] {
        let report = grade(problem, phase, text, "");
        let c = criterion(&report, id);
        assert_eq!(c["detected"], "missed", "{problem}/{id}: {c}");
        let why = c["contradicted"]["why"].as_str().unwrap_or_default();
        assert!(
            !why.is_empty(),
            "{problem}/{id} names the claim to check: {c}"
        );
    }
}

#[test]
fn experts_in_their_own_words_are_credited() {
    for (problem, phase, text, id) in [
        (
            "rate-limiter",
            "deep-dive",
            "The check runs as a server-side script that reads the count, adds one and compares it with the limit as one indivisible step, so two gateways can never both pass the last slot.",
            "race-conditions",
        ),
        (
            "payments",
            "api",
            "Every request carries a request identifier from the client, so a repeat gets the original reply back instead of charging twice.",
            "idempotent-api",
        ),
        (
            "payments",
            "data-model",
            "Money moves as signed postings that net to zero for each transfer, and the postings are write-once.",
            "double-entry-ledger",
        ),
        (
            "url-shortener",
            "high-level-design",
            "Each server leases a block of 1M ids from a counter service and encodes each id in base62.",
            "id-generation",
        ),
        (
            "url-shortener",
            "requirements",
            "Redirects outnumber creates 100x, so the read path matters most.",
            "read-heavy",
        ),
    ] {
        let report = grade(problem, phase, text, "");
        let c = criterion(&report, id);
        assert_ne!(c["detected"], "missed", "{problem}/{id}: {c}");
    }
    // Random codes with a uniqueness check, and custom aliases in the plural.
    let report = grade(
        "url-shortener",
        "deep-dive",
        "We generate random 7-character codes and write them with put-if-absent, retrying on a clash.\nCustom aliases go through the same conditional write, and expired links answer 410 Gone, removed later by a background job.",
        "",
    );
    assert_ne!(
        criterion(&report, "collision-handling")["detected"],
        "missed"
    );
    assert_ne!(
        criterion(&report, "aliases-and-expiry")["detected"],
        "missed"
    );
}

#[test]
fn red_flags_fire_on_anti_patterns_and_not_on_warnings() {
    let quiet = [
        (
            "payments",
            "requirements",
            "Should we store card numbers ourselves?",
        ),
        (
            "payments",
            "data-model",
            "The classic mistake is to use floats for money; amounts are integers in minor units.",
        ),
        (
            "payments",
            "high-level-design",
            "The PSP's vault stores the card number; we keep a token.",
        ),
        (
            "url-shortener",
            "high-level-design",
            "A global auto-increment in one database would be a bottleneck, so each server takes a range.",
        ),
        (
            "chat",
            "api",
            "Clients hold a WebSocket; if it is blocked we fall back to a long poll.",
        ),
    ];
    for (problem, phase, text) in quiet {
        let report = grade(problem, phase, text, "");
        assert!(
            flags(&report).is_empty(),
            "{text:?} raised {:?}",
            flags(&report)
        );
    }
    let loud = [
        (
            "payments",
            "data-model",
            "Amounts are stored as floats.",
            "floats-for-money",
        ),
        (
            "payments",
            "deep-dive",
            "If the PSP times out we just retry the charge.",
            "blind-retries",
        ),
        (
            "rate-limiter",
            "high-level-design",
            "We keep the counters in each app server's memory.",
            "per-server-counters-only",
        ),
    ];
    for (problem, phase, text, flag) in loud {
        let report = grade(problem, phase, text, "");
        assert!(
            flags(&report).contains(&flag.to_string()),
            "{text:?} did not raise {flag}: {:?}",
            flags(&report)
        );
        let quoted = report["red_flags"][0]["evidence"]["text"]
            .as_str()
            .unwrap_or_default();
        assert!(
            text.contains(quoted.trim_end_matches('.')),
            "the flag quotes the clause: {quoted}"
        );
    }
}

#[test]
fn words_do_not_join_across_spaces_and_one_algorithm_counts_once() {
    let report = grade(
        "rate-limiter",
        "high-level-design",
        "We use a sliding window counter.",
        "",
    );
    let algorithms = criterion(&report, "algorithms");
    assert!(algorithms["found"].as_u64().unwrap() <= 1, "{algorithms}");
    let report = grade(
        "chat",
        "deep-dive",
        "Each partition has a synchronous standby; there are no SQL joins anywhere.",
        "",
    );
    for c in report["criteria"].as_array().unwrap() {
        for q in c["evidence"].as_array().unwrap() {
            let words = q["words"].as_str().unwrap().to_lowercase();
            assert!(!words.contains("a synchronous"), "{c}");
            assert!(!words.contains("no sql"), "{c}");
        }
    }
}

#[test]
fn a_keyword_list_reads_as_one_and_earns_almost_nothing() {
    let text = "Redis, Kafka, Cassandra, consistent hashing, base62, 302, CDN, rate limiting, load balancer, sharding, replication";
    let report = grade("url-shortener", "high-level-design", text, "");
    assert!(report["score"].as_f64().unwrap() <= 15.0);
    let lines = "Redis\nKafka\nCassandra\nbase62\nCDN";
    let report = grade("url-shortener", "high-level-design", lines, "");
    let hld = report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phase"] == "high-level-design")
        .unwrap();
    assert_eq!(hld["keyword_list"], true, "{hld}");
    let run = {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(
            &file,
            format!(
                "phases:\n  high-level-design: |\n    {}\n",
                lines.replace('\n', "\n    ")
            ),
        )
        .unwrap();
        Sdi::new()
            .args(["grade", "url-shortener", "--answers"])
            .args([&file])
            .run()
    };
    run.success().stdout_has("reads as a keyword list");
}

#[test]
fn every_mark_shows_the_clause_behind_it() {
    let report = grade(
        "url-shortener",
        "high-level-design",
        "Stateless API servers sit behind a load balancer and scale out with traffic.",
        "",
    );
    let c = criterion(&report, "stateless-tier");
    let quote = &c["evidence"][0];
    assert_eq!(quote["stance"], "asserted");
    assert_eq!(quote["phase"], "high-level-design");
    assert_eq!(quote["credit"], "earned");
    assert!(
        quote["text"]
            .as_str()
            .unwrap()
            .starts_with("Stateless API servers")
    );
}

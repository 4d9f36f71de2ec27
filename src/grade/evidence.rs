//! Rubric evidence found in a [`Reading`]: where each term occurs and how it is
//! held, which mentions are bare lists, and which clauses earn which items.
//!
//! Two rules keep lists of words from passing for answers:
//!
//! - A run of three or more terms separated as in a list (commas, slashes,
//!   "and", "or") with no verb, preposition or connective between them
//!   ("Redis, Kafka and Cassandra") is a list: it earns at most its first
//!   item, and a list of more than six terms earns nothing. Terms that follow
//!   one another in prose ("a CDN caches videos close to viewers") are not. Consecutive
//!   bare lines (no relating word outside the terms) form one run, so a term
//!   per line is a list too; so is a clause of four or more terms with only
//!   filler between them ("we use A with B and C via D").
//! - A phase written only as bare lines reads as a keyword list: what it earns
//!   makes a criterion partial at most.

use super::claims::{Reading, Stance};
use super::words::{Check, Fnv, Form};
use crate::bank::{EvidenceItem, Forms, PhaseId, Term};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// Terms in a list run before the run counts as a list.
const LIST_RUN: usize = 3;
/// Terms in one clause, with little else, that make it a word salad.
const SALAD_TERMS: usize = 4;
/// Terms in one clause with no word that claims anything of them: a salad
/// joined by prepositions ("A with B via C for D plus E using F").
const SALAD_CLAIMLESS: usize = 6;
/// Terms in one clause that no claim carries, whatever joins them: a clause
/// makes a point or two, not ten.
const SALAD_DENSE: usize = 10;
/// A list longer than this is a keyword dump: not even its first term earns.
const LONG_LIST: usize = 6;

/// A term's forms (held, so their address stays theirs) and its occurrences.
type Found = (Arc<Forms>, Rc<[Occurrence]>);

/// One place a term occurs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Occurrence {
    pub first: usize,
    pub last: usize,
    pub clause: usize,
    pub stance: Stance,
}

/// A clause that satisfies an item: its clause and the words that matched.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub clause: usize,
    pub first: usize,
    pub last: usize,
}

crate::wire::wire_enum! {
    /// What a clause did for a mark, shown beside its quote.
    pub(crate) enum Credit {
        /// An asserted claim that earned the item.
        Earned = "earned", "earned";
        /// Earned in a phase written as a keyword list: partial credit at most.
        KeywordList = "keyword-list", "in a keyword list";
        /// Named in a list of terms, not in a claim.
        Listed = "listed", "in a list";
        /// Mentioned, but negated, rejected, questioned or conditional.
        NotAsserted = "not-asserted", "not asserted";
        /// The clause already earned as many criteria as one clause may.
        ClauseLimit = "clause-limit", "clause already counted";
        /// An asserted claim that contradicts the criterion.
        Contradicts = "contradicts", "contradicts";
    }
}

/// The terms of a reading, found.
pub(super) struct Scan<'r> {
    pub reading: &'r Reading,
    /// Occurrences of each term, by its forms (shared by every criterion that
    /// names the same concept). The forms are kept alive with their entry, so
    /// their address cannot be reused by another term's while cached.
    terms: RefCell<HashMap<*const Forms, Found, Fnv>>,
    /// Tokens inside a listed mention (all but the first of a list run).
    listed: Vec<bool>,
    /// Phases (by reading index) written only as bare lines of terms.
    pub keyword_list: Vec<bool>,
}

impl<'r> Scan<'r> {
    /// Finds `terms` (the rubric's evidence) and works out which mentions are lists.
    pub(super) fn new<'t>(
        reading: &'r Reading,
        terms: impl IntoIterator<Item = &'t Term>,
    ) -> Scan<'r> {
        let mut scan = Scan {
            reading,
            terms: RefCell::new(HashMap::default()),
            listed: vec![false; reading.tokens.len()],
            keyword_list: vec![false; reading.phases.len()],
        };
        // Every mention counts for the shape of a list, whatever its stance:
        // "no X, Y, Z" is a list as much as "X, Y, Z".
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for term in terms {
            spans.extend(scan.occurrences(term).iter().map(|o| (o.first, o.last)));
        }
        scan.mark_lists(mentions(spans));
        scan
    }

    /// Every occurrence of a term (any of its forms), in text order.
    pub(super) fn occurrences(&self, term: &Term) -> Rc<[Occurrence]> {
        let key = Arc::as_ptr(&term.forms);
        if let Some((_, hit)) = self.terms.borrow().get(&key) {
            return hit.clone();
        }
        let found: Rc<[Occurrence]> = self.find_term(term).into();
        self.terms
            .borrow_mut()
            .insert(key, (term.forms.clone(), found.clone()));
        found
    }

    fn find_term(&self, term: &Term) -> Vec<Occurrence> {
        let mut out: Vec<Occurrence> = Vec::new();
        // The last phrase's verdict, when its first word ruled it out: a
        // list groups its phrases ("drivers nearby", "drivers near the
        // pickup"), and most are ruled out before they are read.
        let mut verdict = Check::Possible;
        for phrase in term.forms.phrases() {
            if verdict.rules_out(phrase) {
                continue;
            }
            verdict = self.reading.check(phrase);
            if verdict != Check::Possible {
                continue;
            }
            for (first, last) in self.reading.find(&Form::of(phrase)) {
                out.push(Occurrence {
                    first,
                    last,
                    clause: self.reading.clause_of(first),
                    stance: self.reading.stance(first, last),
                });
            }
        }
        out.sort_by_key(|o| (o.first, o.last));
        out.dedup_by_key(|o| (o.first, o.last));
        out
    }

    fn is_listed(&self, o: &Occurrence) -> bool {
        self.listed[o.first..=o.last].iter().any(|&l| l)
    }

    fn counts(&self, o: &Occurrence) -> bool {
        o.stance == Stance::Asserted && !self.is_listed(o)
    }

    /// Marks list runs: within a clause, terms with nothing relating them;
    /// across consecutive bare lines, every term.
    fn mark_lists(&mut self, units: Vec<(usize, usize)>) {
        let reading = self.reading;
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut bare_units = vec![0usize; reading.phases.len()];
        let mut all_bare = vec![true; reading.phases.len()];
        let mut next = 0;
        let mut previous_phase = usize::MAX;
        for point in &reading.points {
            if point.phase != previous_phase {
                self.close_run(&mut run);
                previous_phase = point.phase;
            }
            let from = next;
            while next < units.len() && units[next].0 < point.tokens.end {
                next += 1;
            }
            let inside = &units[from..next];
            // Bare: nothing outside the terms relates them ("Redis, Kafka").
            let mut in_term = vec![false; point.tokens.len()];
            for &(first, last) in inside {
                in_term[first - point.tokens.start..=last - point.tokens.start].fill(true);
            }
            let bare = !point
                .tokens
                .clone()
                .any(|i| !in_term[i - point.tokens.start] && reading.relates(i));
            if bare {
                bare_units[point.phase] += inside.len();
                run.extend_from_slice(inside);
                continue;
            }
            all_bare[point.phase] = false;
            self.close_run(&mut run);
            self.mark_salads(inside);
            for &unit in inside {
                let breaks = run.last().is_some_and(|&(_, last)| {
                    reading.clause_of(last) != reading.clause_of(unit.0)
                        || reading.related(last, unit.0)
                        || !reading.separated(last, unit.0)
                });
                if breaks {
                    self.close_run(&mut run);
                }
                run.push(unit);
            }
            self.close_run(&mut run);
        }
        self.close_run(&mut run);
        for (p, bare) in all_bare.into_iter().enumerate() {
            self.keyword_list[p] = bare && bare_units[p] >= 2;
        }
    }

    /// A clause strung from terms with only filler between them ("we use A
    /// with B and C via D plus E") is a list however it is joined.
    fn mark_salads(&mut self, units: &[(usize, usize)]) {
        let reading = self.reading;
        let mut start = 0;
        while start < units.len() {
            let clause = reading.clause_of(units[start].0);
            let mut end = start;
            while end < units.len() && reading.clause_of(units[end].0) == clause {
                end += 1;
            }
            let these = &units[start..end];
            if these.len() >= SALAD_TERMS {
                let span = reading.clauses[clause].tokens.clone();
                let outside: Vec<usize> = span
                    .filter(|&i| !these.iter().any(|&(f, l)| (f..=l).contains(&i)))
                    .collect();
                let content = outside.iter().filter(|&&i| !reading.is_filler(i)).count();
                // Not one word that claims anything of the terms (no verb,
                // no subordinator: only places and links), with little else
                // or with many terms; or too many terms for one claim.
                let claims = outside.iter().any(|&i| reading.claims_something(i));
                let stringed =
                    !claims && (these.len() >= SALAD_CLAIMLESS || content * 2 < these.len());
                if stringed || these.len() >= SALAD_DENSE {
                    let from = usize::from(these.len() <= LONG_LIST);
                    for &(first, last) in &these[from..] {
                        self.listed[first..=last].fill(true);
                    }
                }
            }
            start = end;
        }
    }

    fn close_run(&mut self, run: &mut Vec<(usize, usize)>) {
        if run.len() >= LIST_RUN {
            // A short list names a stack and earns its first term; a long
            // one is a keyword dump.
            let from = usize::from(run.len() <= LONG_LIST);
            for &(first, last) in &run[from..] {
                self.listed[first..=last].fill(true);
            }
        }
        run.clear();
    }

    /// The clauses that satisfy an item: every term of `all` asserted (and not
    /// listed) in the clause, no term of `none` asserted in its sentence.
    pub(super) fn hits(&self, item: &EvidenceItem) -> Vec<Hit> {
        self.hits_within(item, false)
    }

    /// Like [`Scan::hits`], but the terms may meet anywhere in one sentence:
    /// a wrong claim often spans a purpose clause ("a 301, so that we can
    /// count every click").
    pub(super) fn claims(&self, item: &EvidenceItem) -> Vec<Hit> {
        self.hits_within(item, true)
    }

    fn hits_within(&self, item: &EvidenceItem, sentence_wide: bool) -> Vec<Hit> {
        let Some((head, rest)) = item.all.split_first() else {
            return Vec::new();
        };
        let heads = self.occurrences(head);
        if !heads.iter().any(|o| self.counts(o)) {
            // Most patterns never start: their other terms are not even looked for.
            return Vec::new();
        }
        let others: Vec<Rc<[Occurrence]>> = rest.iter().map(|t| self.occurrences(t)).collect();
        // The sentences a `none` term is asserted in, found only when needed.
        let mut spoiled_sentences: Option<Vec<usize>> = None;
        let mut out: Vec<Hit> = Vec::new();
        for o in heads.iter().filter(|o| self.counts(o)) {
            if out.last().is_some_and(|h| h.clause == o.clause) {
                continue;
            }
            let (mut first, mut last) = (o.first, o.last);
            let mut complete = true;
            let sentence = self.reading.clauses[o.clause].sentence;
            let together = |x: &Occurrence| {
                if sentence_wide {
                    self.reading.clauses[x.clause].sentence == sentence
                } else {
                    x.clause == o.clause
                }
            };
            for list in &others {
                match list.iter().find(|x| together(x) && self.counts(x)) {
                    Some(x) => {
                        first = first.min(x.first);
                        last = last.max(x.last);
                    }
                    None => complete = false,
                }
            }
            if !complete {
                continue;
            }
            let spoilers = spoiled_sentences.get_or_insert_with(|| {
                item.none
                    .iter()
                    .flat_map(|t| {
                        self.occurrences(t)
                            .iter()
                            .filter(|o| o.stance == Stance::Asserted)
                            .map(|o| self.reading.clauses[o.clause].sentence)
                            .collect::<Vec<_>>()
                    })
                    .collect()
            });
            if !spoilers.contains(&sentence) {
                out.push(Hit {
                    clause: o.clause,
                    first,
                    last,
                });
            }
        }
        out
    }

    /// The first mention of an item's terms that did not count, and why: in a
    /// list, or not asserted (with its stance).
    pub(super) fn unearned_mention(&self, item: &EvidenceItem) -> Option<(Occurrence, Credit)> {
        let mut mentions: Vec<Occurrence> = item
            .all
            .iter()
            .flat_map(|t| self.occurrences(t).iter().copied().collect::<Vec<_>>())
            .filter(|o| !self.counts(o))
            .collect();
        mentions.sort_by_key(|o| o.first);
        mentions.first().map(|o| {
            let credit = if o.stance == Stance::Asserted {
                Credit::Listed
            } else {
                Credit::NotAsserted
            };
            (*o, credit)
        })
    }

    /// True when the clause's phase was written as a keyword list.
    pub(super) fn in_keyword_list(&self, clause: usize) -> bool {
        self.keyword_list[self.reading.clauses[clause].phase]
    }

    /// The phase a clause sits in.
    pub(super) fn phase_of(&self, clause: usize) -> PhaseId {
        self.reading.phase_of(clause)
    }
}

/// Asserted spans merged where they overlap, in text order: each is one mention.
fn mentions(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (first, last) in spans {
        match out.last_mut() {
            Some(prev) if first <= prev.1 => prev.1 = prev.1.max(last),
            _ => out.push((first, last)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::claims::Lines;
    use std::sync::Arc;

    fn term(name: &str) -> Term {
        Term {
            forms: Arc::new(Forms::one(name)),
        }
    }

    fn item(all: &[&str], none: &[&str]) -> EvidenceItem {
        EvidenceItem {
            all: all.iter().map(|t| term(t)).collect(),
            none: none.iter().map(|t| term(t)).collect(),
        }
    }

    const TERMS: [&str; 6] = [
        "redis",
        "kafka",
        "cassandra",
        "sharding",
        "base62",
        "load balancer",
    ];

    fn earned(text: &str, lines: Lines) -> Vec<&'static str> {
        let reading = Reading::new([(PhaseId::HighLevelDesign, text)], lines);
        let terms: Vec<Term> = TERMS.iter().map(|t| term(t)).collect();
        let scan = Scan::new(&reading, &terms);
        TERMS
            .into_iter()
            .filter(|t| !scan.hits(&item(&[t], &[])).is_empty())
            .collect()
    }

    #[test]
    fn a_list_of_terms_earns_its_first_item_only() {
        assert_eq!(
            earned("Redis, Kafka, Cassandra, sharding, base62.", Lines::Typed),
            ["redis"]
        );
        assert_eq!(
            earned("Redis\nKafka\nCassandra\nsharding", Lines::Typed),
            ["redis"]
        );
        assert_eq!(
            earned(
                "Redis caches hot codes in front of Cassandra, and Kafka carries click events.",
                Lines::Typed
            ),
            ["redis", "kafka", "cassandra"]
        );
        // Two terms are a pair, not a list.
        assert_eq!(earned("Redis and Kafka.", Lines::Typed), ["redis", "kafka"]);
    }

    #[test]
    fn a_phase_of_bare_lines_reads_as_a_keyword_list() {
        let reading = Reading::new(
            [
                (PhaseId::HighLevelDesign, "Redis\nload balancer"),
                (PhaseId::DeepDive, "Shard Cassandra by the code."),
            ],
            Lines::Typed,
        );
        let terms: Vec<Term> = TERMS.iter().map(|t| term(t)).collect();
        let scan = Scan::new(&reading, &terms);
        assert_eq!(scan.keyword_list, [true, false]);
    }

    #[test]
    fn patterns_need_every_term_asserted_in_one_clause() {
        let found = |text: &str| {
            let reading = Reading::new([(PhaseId::DataModel, text)], Lines::Typed);
            let scan = Scan::new(&reading, &[]);
            !scan
                .hits(&item(&["amount", "float"], &["integer"]))
                .is_empty()
        };
        assert!(found("Amounts are stored as floats."));
        assert!(!found(
            "Amounts are stored as integer cents instead of floats."
        ));
        assert!(!found("Amounts are integers. Floats round."));
        assert!(!found("The classic mistake is to store amounts as floats."));
        assert!(!found(
            "Amounts are floats, converted to integer cents at the edge."
        ));
    }
}

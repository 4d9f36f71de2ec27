//! Answers a candidate's clarifying question from the problem's clarifications:
//! the one whose question and keywords share the most content words with what
//! the candidate asked, when they share enough to be the same question.

use crate::bank::Clarification;
use crate::bank::PhaseId;
use crate::grade::words::{Form, fold};
use crate::grade::{Lines, Reading};

/// Words that carry no topic: they never make two questions alike.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "is", "are", "was", "be", "do", "doe", "did", "we", "i", "you", "it", "of",
    "to", "in", "on", "for", "and", "or", "what", "which", "how", "many", "much", "should",
    "would", "could", "can", "there", "any", "our", "my", "your", "this", "that", "with", "at",
    "by", "about", "need", "needs", "have", "has", "will", "per", "system", "service", "support",
    "like", "if", "so", "as", "from", "expect", "expected", "assume", "ok", "okay",
];

fn read(text: &str) -> Reading {
    Reading::new([(PhaseId::Requirements, text)], Lines::Typed)
}

fn content_words(text: &str) -> Vec<String> {
    let stop: Vec<std::rc::Rc<str>> = STOP_WORDS.iter().map(|w| fold(w)).collect();
    let mut words: Vec<String> = read(text)
        .content_words()
        .filter(|w| !stop.iter().any(|s| &**s == *w))
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The clarification that answers `question`, if one does.
pub(crate) fn answer<'a>(
    question: &str,
    clarifications: &'a [Clarification],
) -> Option<&'a Clarification> {
    let asked = content_words(question);
    if asked.is_empty() {
        return None;
    }
    let text = read(question);
    let mut best: Option<(f64, &Clarification)> = None;
    for c in clarifications {
        let known = content_words(&c.question);
        let overlap = asked.iter().filter(|w| known.contains(w)).count() as f64;
        // A keyword phrase in the question is strong evidence (it was written
        // for exactly this).
        // Keywords that fold to the same words ("follow", "following") count once.
        let keywords = c
            .keywords
            .iter()
            .filter(|k| !text.find(&Form::new(k)).is_empty())
            .map(|k| read(k).content_words().collect::<Vec<_>>().join(" "))
            .collect::<std::collections::BTreeSet<_>>()
            .len() as f64;
        let score = overlap + 1.5 * keywords;
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    let (score, c) = best?;
    // One shared word is enough for a short question ("Retention?"), two for a
    // longer one.
    let needed = if asked.len() <= 2 { 1.0 } else { 2.0 };
    (score >= needed).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Vec<Clarification> {
        let c = |q: &str, a: &str, k: &[&str]| Clarification {
            question: q.into(),
            answer: a.into(),
            keywords: k.iter().map(|s| s.to_string()).collect(),
        };
        vec![
            c(
                "How many new links are created each day?",
                "100M",
                &["volume", "writes"],
            ),
            c(
                "What is the read to write ratio?",
                "100:1",
                &["reads", "redirects"],
            ),
            c(
                "How long are links kept?",
                "10 years",
                &["retention", "expire"],
            ),
            c(
                "Can users pick custom aliases?",
                "Yes, optional",
                &["vanity"],
            ),
        ]
    }

    #[test]
    fn matches_a_question_in_other_words() {
        let b = bank();
        assert_eq!(
            answer("How many links get created per day?", &b)
                .unwrap()
                .answer,
            "100M"
        );
        assert_eq!(
            answer("What's the write volume?", &b).unwrap().answer,
            "100M"
        );
        assert_eq!(
            answer("What's the read/write ratio?", &b).unwrap().answer,
            "100:1"
        );
        assert_eq!(answer("Retention?", &b).unwrap().answer, "10 years");
        assert_eq!(answer("Do links expire?", &b).unwrap().answer, "10 years");
        assert_eq!(
            answer("Support vanity URLs?", &b).unwrap().answer,
            "Yes, optional"
        );
    }

    #[test]
    fn every_shipped_clarification_answers_its_own_question() {
        // Two clarifications too alike would hide one of them from candidates.
        let bank = crate::bank::Bank::load(&crate::bank::Origin::Embedded).unwrap();
        for p in &bank.problems {
            for c in &p.clarifications {
                let got = answer(&c.question, &p.clarifications).map(|g| &g.question);
                assert_eq!(got, Some(&c.question), "{}: {}", p.id, c.question);
            }
        }
    }

    #[test]
    fn an_unrelated_question_gets_nothing() {
        let b = bank();
        assert!(answer("Which programming language should I use?", &b).is_none());
        assert!(answer("?", &b).is_none());
    }
}

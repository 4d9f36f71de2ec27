//! The built-in bank's problems as the build script compiled them, read back
//! without a YAML or JSON parse of the bank files and without compiling: what
//! `show`, `grade`, `practice`, `mock` and `drill --problem` load when the
//! build found the bank clean (see `crate::built`).
//!
//! A snapshot is one problem, compiled, with the glossary, in two parts: the
//! forms (each concept's or phrase's list of ways of saying it) once each, and
//! the rest, where a term names its forms by their place in that list. The
//! grader finds a concept's forms once however many criteria use them (it keys
//! them by their one shared copy), so sharing is kept, not copied per term.
//! Both parts are `postcard`, a compact binary form of serde's data model:
//! fields in order, no names, so reading one is mostly copying its text.
//! Plain phrases are stored with their words folded, so grading a built-in
//! problem folds no rubric word. Estimates' parsed expressions are not
//! stored: they are parsed again from the text, which is short and quick to
//! read.

use super::{Bank, Forms, Glossary, Origin, Problem};
use crate::quantity;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// The forms of the snapshot being written or read on this thread: terms are
/// (de)serialized deep inside a problem, where no other context reaches.
enum Table {
    Idle,
    #[allow(dead_code)] // the build script writes snapshots; sdi only reads them
    Writing {
        index: HashMap<*const Forms, u32>,
        forms: Vec<Arc<Forms>>,
    },
    Reading(Vec<Arc<Forms>>),
}

thread_local! {
    static TABLE: RefCell<Table> = const { RefCell::new(Table::Idle) };
}

/// A term's forms as their place in the snapshot's list of forms.
pub(super) mod shared_forms {
    use super::{Forms, TABLE, Table};
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::Arc;

    pub(crate) fn serialize<S: Serializer>(forms: &Arc<Forms>, s: S) -> Result<S::Ok, S::Error> {
        let place = TABLE.with(|table| match &mut *table.borrow_mut() {
            Table::Writing { index, forms: all } => {
                Some(*index.entry(Arc::as_ptr(forms)).or_insert_with(|| {
                    all.push(forms.clone());
                    (all.len() - 1) as u32
                }))
            }
            _ => None,
        });
        match place {
            Some(place) => s.serialize_u32(place),
            None => Err(S::Error::custom(
                "shared forms are written only in a snapshot",
            )),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<Forms>, D::Error> {
        let place = u32::deserialize(d)? as usize;
        TABLE.with(|table| match &*table.borrow() {
            Table::Reading(all) => all
                .get(place)
                .cloned()
                .ok_or_else(|| D::Error::custom(format!("no forms at {place}"))),
            _ => Err(D::Error::custom("shared forms are read only in a snapshot")),
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Concept {
    id: String,
    #[serde(with = "shared_forms")]
    forms: Arc<Forms>,
}

#[derive(Serialize, Deserialize)]
struct Body {
    glossary: Vec<Concept>,
    problem: Problem,
}

/// Sets the table for one snapshot and puts it back to idle afterwards, also
/// when (de)serializing fails.
fn with_table<R>(table: Table, f: impl FnOnce() -> R) -> (R, Table) {
    TABLE.with(|t| *t.borrow_mut() = table);
    let out = f();
    let table = TABLE.with(|t| std::mem::replace(&mut *t.borrow_mut(), Table::Idle));
    (out, table)
}

/// `problem` and the glossary as a snapshot: (forms, the rest). Plain phrases
/// are stored folded by `fold` (see [`Forms::prefolded`]), which must fold a
/// word as the grader does.
#[allow(dead_code)] // the build script writes snapshots; sdi only reads them
pub(crate) fn write(
    problem: &Problem,
    glossary: &Glossary,
    fold: &dyn Fn(&str) -> String,
) -> postcard::Result<(Vec<u8>, Vec<u8>)> {
    let body = Body {
        glossary: glossary
            .iter()
            .map(|(id, forms)| Concept {
                id: id.clone(),
                forms: forms.clone(),
            })
            .collect(),
        problem: problem.clone(),
    };
    let writing = Table::Writing {
        index: HashMap::new(),
        forms: Vec::new(),
    };
    let (body, table) = with_table(writing, || postcard::to_allocvec(&body));
    let Table::Writing { forms, .. } = table else {
        unreachable!("the table written is the one set")
    };
    let forms: Vec<Forms> = forms.iter().map(|f| f.prefolded(fold)).collect();
    let forms: Vec<&str> = forms.iter().map(Forms::packed).collect();
    Ok((postcard::to_allocvec(&forms)?, body?))
}

/// The snapshot `write` made, read back: the problem, with its estimates'
/// expressions parsed, and the glossary.
pub(crate) fn read(forms: &[u8], body: &[u8]) -> anyhow::Result<(Problem, Glossary)> {
    let forms: Vec<String> = postcard::from_bytes(forms)?;
    let forms = forms
        .into_iter()
        .map(|packed| Arc::new(Forms::from_packed(packed)))
        .collect();
    let (body, _) = with_table(Table::Reading(forms), || postcard::from_bytes::<Body>(body));
    let mut body = body?;
    for estimate in &mut body.problem.estimates {
        estimate.ast = quantity::parse(&estimate.expr)
            .map_err(|e| anyhow::anyhow!("estimate `{}`: {e}", estimate.id))?;
    }
    let glossary = body.glossary.into_iter().map(|c| (c.id, c.forms)).collect();
    Ok((body.problem, glossary))
}

/// The built-in problem `id` from its snapshot, when the build made one.
pub(super) fn load(id: &str) -> Option<Bank> {
    let (_, forms, body) = crate::built::SNAPSHOTS.iter().find(|(s, _, _)| *s == id)?;
    // The build wrote it and a test reads every one back; a failure here is a
    // bug, and compiling the problem still gives the right answer.
    let (problem, glossary) = read(forms, body).ok()?;
    Some(Bank {
        origin: Origin::Embedded,
        problems: vec![problem],
        glossary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every place a bank's forms are held: the glossary and each term.
    fn shared_copies(bank: &Bank) -> usize {
        let mut seen: HashSet<*const Forms> = bank.glossary.values().map(Arc::as_ptr).collect();
        for problem in &bank.problems {
            let criteria = problem.rubric.criteria.iter().map(|c| &c.evidence);
            let flags = problem.rubric.red_flags.iter().map(|f| &f.evidence);
            for evidence in criteria.chain(flags) {
                for item in &evidence.items {
                    for term in item.all.iter().chain(&item.none) {
                        seen.insert(Arc::as_ptr(&term.forms));
                    }
                }
            }
            for criterion in &problem.rubric.criteria {
                for c in &criterion.contradictions {
                    for term in c.claim.all.iter().chain(&c.claim.none) {
                        seen.insert(Arc::as_ptr(&term.forms));
                    }
                }
            }
        }
        seen.len()
    }

    /// Where two long texts first differ, with some of each around it.
    fn same(a: &str, b: &str, what: &str) {
        if let Some(at) = a
            .bytes()
            .zip(b.bytes())
            .position(|(x, y)| x != y)
            .or_else(|| (a.len() != b.len()).then_some(a.len().min(b.len())))
        {
            let from = a.floor_char_boundary(at.saturating_sub(300));
            panic!(
                "{what} differs at byte {at}:\n  read: {}\n  compiled: {}",
                &a[from..a.ceil_char_boundary((at + 200).min(a.len()))],
                &b[from..b.ceil_char_boundary((at + 200).min(b.len()))]
            );
        }
    }

    /// How the grader folds a word (what the build script folds by).
    fn grader_fold(word: &str) -> String {
        crate::grade::words::fold(word).to_string()
    }

    /// What `show` and `grade` read from a snapshot is what compiling the
    /// built-in files gives, with the same forms folded the grader's way, and
    /// forms shared as compiling shares them.
    #[test]
    fn every_built_in_problem_reads_back_as_it_compiles() {
        let ids: Vec<String> = Bank::index(&Origin::Embedded)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(
            crate::built::SNAPSHOTS.len(),
            ids.len(),
            "a snapshot per problem"
        );
        for id in &ids {
            let stored = load(id).unwrap_or_else(|| panic!("{id}: the snapshot reads"));
            let compiled = Bank::compile_problem(&Origin::Embedded, id).unwrap();
            let (forms, body) =
                write(&compiled.problems[0], &compiled.glossary, &grader_fold).unwrap();
            let (problem, glossary) = read(&forms, &body).unwrap();
            same(
                &format!("{:?}", stored.problems),
                &format!("{:?}", [problem]),
                id,
            );
            same(
                &format!("{:?}", stored.glossary),
                &format!("{glossary:?}"),
                id,
            );
            assert_eq!(shared_copies(&stored), shared_copies(&compiled), "{id}");
            let loaded = Bank::load_problem(&Origin::Embedded, id).unwrap();
            same(
                &format!("{:?}", loaded.problems),
                &format!("{:?}", stored.problems),
                id,
            );
        }
    }

    /// Grading with a snapshot (phrases held folded) gives the report that
    /// grading with the compiled problem (phrases as written) gives, for
    /// answers from the calibration corpus: the strong, the listed, the
    /// negated and the wrong.
    #[test]
    fn a_snapshot_grades_as_the_compiled_problem_does() {
        use crate::grade::{answers, grade};
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grading");
        let mut graded = 0;
        for (id, _, _) in crate::built::SNAPSHOTS {
            let stored = load(id).unwrap();
            let compiled = Bank::compile_problem(&Origin::Embedded, id).unwrap();
            for name in [
                "expert",
                "expert-reworded",
                "keyword-list",
                "negated-prose",
                "fluent-wrong",
            ] {
                let file = corpus.join(id).join(format!("{name}.yaml"));
                let Ok(text) = std::fs::read_to_string(&file) else {
                    continue;
                };
                let report = |bank: &Bank| {
                    let problem = &bank.problems[0];
                    let answer = answers::parse(problem, name, &text).unwrap();
                    serde_json::to_string(&grade(problem, &bank.glossary, &answer)).unwrap()
                };
                same(
                    &report(&stored),
                    &report(&compiled),
                    &format!("{id}/{name}"),
                );
                graded += 1;
            }
        }
        assert!(graded >= 50, "only {graded} answers graded");
    }

    /// A bank from a folder writes and reads back too (the example bank).
    #[test]
    fn a_snapshot_round_trips() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let bank = Bank::load(&Origin::Dir(dir)).unwrap();
        let problem = &bank.problems[0];
        // Folding nothing, every form reads back as written, plain ones
        // marked as held folded.
        let (forms, body) = write(problem, &bank.glossary, &|w| w.to_string()).unwrap();
        let (back, glossary) = read(&forms, &body).unwrap();
        let unfolded = |text: String| text.replace("\\u{1e}", "\\u{7f}");
        same(
            &unfolded(format!("{back:?}")),
            &format!("{problem:?}"),
            "the problem",
        );
        same(
            &unfolded(format!("{glossary:?}")),
            &format!("{:?}", bank.glossary),
            "the glossary",
        );
        assert!(
            format!("{back:?}").contains("\\u{1e}"),
            "plain forms held folded"
        );
        // A term outside a snapshot cannot be written: its forms have no place.
        assert!(serde_json::to_string(&problem.rubric.criteria[0]).is_err());
    }
}

//! Embeds the bank (`problems/*.yaml`, `rubrics/*.yaml`) into the binary, so `sdi`
//! runs anywhere with no checkout beside it.
//!
//! Each file is embedded twice: as written, and converted to JSON here at build
//! time. At run time the JSON is read (a YAML parse at every start would cost
//! more than the rest of `sdi list`); the YAML text is kept for diagnostics with
//! line and column, and is what gets parsed when the conversion failed (a syntax
//! error for `sdi validate` to report).
//!
//! Then the built-in bank is compiled here, with the crate's own compiler, as
//! the binary will read it: a clean bank is stored compiled, one snapshot per
//! problem, with the verdict `sdi validate` reports (see `src/built.rs`).
//! Grading's word tables are built here too (`write_folds`, `write_word_lists`).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut out = String::from(
        "/// The bank files built into sdi: (path, YAML text, the same as JSON when it converts).\n\
         pub(crate) static FILES: &[(&str, &str, Option<&str>)] = &[\n",
    );
    // The same files for the compiler here, as the binary will hold them.
    let mut built_in: Vec<(&'static str, &'static str, Option<&'static str>)> = Vec::new();
    for folder in ["problems", "rubrics"] {
        let dir = Path::new(&root).join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        files.sort();
        for (i, file) in files.iter().enumerate() {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file.file_name().expect("a file name").to_string_lossy();
            // Not UTF-8 fails the build at `include_str!` below.
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let json = serde_yaml::from_str::<serde_yaml::Value>(&text)
                .ok()
                .map(texts_in_lists)
                .map(pack_concepts)
                .and_then(|value| serde_json::to_string(&value).ok());
            let json_ref = match &json {
                Some(json) => {
                    let dest = Path::new(&out_dir).join(format!("{folder}-{i}.json"));
                    std::fs::write(&dest, json).expect("OUT_DIR is writable");
                    format!("Some(include_str!({:?}))", dest.display().to_string())
                }
                None => "None".to_string(),
            };
            // Kept for the rest of the build script, which is one short run.
            let leak = |s: String| &*Box::leak(s.into_boxed_str());
            built_in.push((leak(format!("{folder}/{name}")), leak(text), json.map(leak)));
            writeln!(
                out,
                "    ({:?}, include_str!({:?}), {json_ref}),",
                format!("{folder}/{name}"),
                file.display().to_string()
            )
            .expect("writing to a String");
        }
    }
    out.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("embedded_bank.rs"), out).expect("OUT_DIR is writable");
    write_folds(&root, &out_dir);
    write_word_lists(&out_dir);
    built::FILES_HERE
        .set(Vec::leak(built_in))
        .expect("set once");
    compile_built_in(&out_dir);
}

/// Every list in the bank holds text (phrases, forms, keywords, choices), and
/// YAML reads a bare `10` or `429` there as text for a string field; JSON
/// would keep it a number and fail the typed read, falling back to the slow
/// YAML parse at run time. So numbers and booleans in lists become text here.
fn texts_in_lists(value: serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::Value;
    match value {
        Value::Sequence(items) => Value::Sequence(
            items
                .into_iter()
                .map(|item| match item {
                    Value::Number(n) => Value::String(n.to_string()),
                    Value::Bool(b) => Value::String(b.to_string()),
                    other => texts_in_lists(other),
                })
                .collect(),
        ),
        Value::Mapping(map) => Value::Mapping(
            map.into_iter()
                .map(|(k, v)| (k, texts_in_lists(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Each list of forms under `concepts:` (in rubrics and the glossary) as one
/// string, each form after `FORMS_PACKED`, as `Forms` reads it: a list of
/// hundreds of strings is most of the time it takes to read a rubric. A list
/// that is not all text, or holds the separator, stays a list, so that the
/// reader reports it as written.
fn pack_concepts(value: serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::Value;
    const FORMS_PACKED: char = '\u{7f}';
    let Value::Mapping(mut file) = value else {
        return value;
    };
    if let Some(Value::Mapping(concepts)) = file.get_mut("concepts") {
        for (_, forms) in concepts.iter_mut() {
            let Value::Sequence(list) = forms else {
                continue;
            };
            let texts: Option<Vec<&str>> = list.iter().map(Value::as_str).collect();
            let Some(mut texts) =
                texts.filter(|t| !t.is_empty() && !t.iter().any(|f| f.contains(FORMS_PACKED)))
            else {
                continue;
            };
            // Phrases that start alike sit together: the grader rules out a
            // phrase whose first word the answer lacks, and the next ones
            // with that word by comparing it. The order means nothing else.
            texts.sort_by_key(|form| form.split(' ').next().unwrap_or_default());
            let mut packed = String::new();
            for form in texts {
                packed.push(FORMS_PACKED);
                packed.push_str(form);
            }
            *forms = Value::String(packed);
        }
    }
    Value::Mapping(file)
}

/// Folds every word of the bank's rubrics ahead of time, so grading looks a
/// word up instead of stemming it at every start: `FOLD_TABLE` over
/// `FOLD_TEXT`, with "" for a word that folds to itself. The grader's own word lists (the
/// stance cues, the stop words) are folded too: they are read at every grade.
fn write_folds(root: &str, out_dir: &str) {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut words = std::collections::BTreeSet::new();
    let lists = [
        "src/grade/claims.rs",
        "src/grade/word_lists.rs",
        "src/session/clarify.rs",
    ];
    for list in lists {
        println!("cargo:rerun-if-changed={list}");
    }
    let bank = ["rubrics", "problems"].into_iter().flat_map(|folder| {
        std::fs::read_dir(Path::new(root).join(folder))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
    });
    for path in bank.chain(lists.iter().map(|l| Path::new(root).join(l))) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            let word = word.to_lowercase();
            if word.len() >= 3 && word.chars().all(char::is_alphabetic) {
                words.insert(word);
            }
        }
    }
    let mut text = String::new();
    let mut entries = Vec::with_capacity(words.len());
    for word in &words {
        let folded = fold::fold_word(&stemmer, word).unwrap_or_default();
        if word.len() > 255 || folded.len() > 255 {
            continue;
        }
        let word_at = text.len();
        text.push_str(word);
        let folded_at = text.len();
        text.push_str(&folded);
        entries.push(fold::table_entry(
            word_at,
            word.len(),
            fold::pack_range(folded_at, folded.len()),
        ));
    }
    write_table(out_dir, "folds.rs", "FOLD", &text, &entries);
}

/// The claim reader's word lists as one word table, `LIST_TABLE` over
/// `LIST_TEXT`: each word with the lists it is on as bits.
fn write_word_lists(out_dir: &str) {
    println!("cargo:rerun-if-changed=src/grade/word_lists.rs");
    let mut lists: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    for (i, list) in word_lists::LISTS.iter().enumerate() {
        for word in list.split_whitespace() {
            *lists.entry(word.to_string()).or_default() |= 1 << i;
        }
    }
    for verb in word_lists::VERBS.split_whitespace() {
        for form in word_lists::verb_forms(verb) {
            *lists.entry(form).or_default() |= 1 << word_lists::RELATION;
        }
    }
    let mut text = String::new();
    let mut entries = Vec::with_capacity(lists.len());
    for (word, bits) in &lists {
        assert!(word.len() < 256, "a listed word fits a byte's length");
        entries.push(fold::table_entry(text.len(), word.len(), *bits));
        text.push_str(word);
    }
    write_table(out_dir, "word_lists.rs", "LIST", &text, &entries);
}

/// Writes `{name}_TEXT` and `{name}_TABLE` to `file`: the word table of
/// `entries` (made by `fold::table_entry`) over `text`, each entry in the
/// first free slot from its word's (`fold::table_slot`), the table at most
/// half full, as `fold::table_lookup` reads it.
fn write_table(out_dir: &str, file: &str, name: &str, text: &str, entries: &[u64]) {
    assert!(text.len() < 1 << 24, "a table's words fit 24-bit offsets");
    let size = (entries.len() * 2).next_power_of_two();
    let mut table = vec![0u64; size];
    for &entry in entries {
        let (word, _) = fold::table_entry_parts(entry);
        let mut slot = fold::table_slot(text[word].as_bytes(), size);
        while table[slot] != 0 {
            slot = (slot + 1) & (size - 1);
        }
        table[slot] = entry;
    }
    let mut out = format!("pub(crate) static {name}_TEXT: &str = {text:?};\n");
    writeln!(out, "pub(crate) static {name}_TABLE: [u64; {size}] = [")
        .expect("writing to a String");
    for entry in table {
        writeln!(out, "    {entry},").expect("writing to a String");
    }
    out.push_str("];\n");
    std::fs::write(Path::new(out_dir).join(file), out).expect("OUT_DIR is writable");
}

#[path = "src/grade/fold.rs"]
mod fold;
#[path = "src/grade/word_lists.rs"]
#[allow(dead_code)] // the build script reads the lists, not every name
mod word_lists;

/// Compiles the built-in bank with the compiler `sdi validate --bank` uses and,
/// when it has no issue at all, records the verdict and each problem compiled
/// (a snapshot; what `crate::built` reads). A bank with issues records neither
/// and still builds: `sdi validate` then checks it at run time and reports
/// each issue where it is, and commands compile the problem they use.
fn compile_built_in(out_dir: &str) {
    // The compiler's own sources: a change to them changes the verdict. (Cargo
    // rebuilds the script when they change, since it includes them; saying so
    // keeps that true should the includes move.)
    for dir in ["src/bank", "src/quantity"] {
        println!("cargo:rerun-if-changed={dir}");
    }
    for file in ["src/milestones.rs", "src/wire.rs", "src/files.rs"] {
        println!("cargo:rerun-if-changed={file}");
    }
    // The built-in bank as the binary reads it (the JSON made above), so the
    // snapshots are what compiling it at run time gives.
    let origin = bank::Origin::Embedded;
    let mut snapshots = String::from(
        "/// The built-in problems compiled: (id, forms, the rest), as `bank::snapshot` writes them.\n\
         pub(crate) static SNAPSHOTS: &[(&str, &[u8], &[u8])] = &[\n",
    );
    // Words fold as the grader folds them (`src/grade/words.rs`: the built
    // fold table holds exactly these folds).
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let fold = |word: &str| fold::fold_word(&stemmer, word).unwrap_or_else(|| word.to_string());
    let verdict = match bank::Bank::compile_check(&origin, true) {
        Ok(checked) if checked.issues.is_empty() => {
            let bank = checked.bank.expect("a clean bank kept");
            for problem in &bank.problems {
                let (forms, body) = bank::snapshot::write(problem, &bank.glossary, &fold)
                    .expect("a compiled problem writes");
                let include = |part: &str, bytes: Vec<u8>| {
                    let file =
                        Path::new(out_dir).join(format!("snapshot-{}-{part}.bin", problem.id));
                    std::fs::write(&file, bytes).expect("OUT_DIR is writable");
                    format!("include_bytes!({:?})", file.display().to_string())
                };
                let forms = include("forms", forms);
                let body = include("body", body);
                writeln!(snapshots, "    ({:?}, {forms}, {body}),", problem.id).expect("a String");
            }
            format!(
                "Some(crate::bank::CleanBank {{ problems: {}, files: {} }})",
                checked.valid_problems, checked.files
            )
        }
        _ => "None".to_string(),
    };
    snapshots.push_str("];\n");
    std::fs::write(Path::new(out_dir).join("bank_snapshots.rs"), snapshots)
        .expect("OUT_DIR is writable");
    std::fs::write(
        Path::new(out_dir).join("bank_verdict.rs"),
        format!(
            "/// The build script's verdict on the built-in bank, when it is clean.\n\
             pub(crate) static VERDICT: Option<crate::bank::CleanBank> = {verdict};\n"
        ),
    )
    .expect("OUT_DIR is writable");
}

// The bank compiler, as the crate has it. The build script uses only
// `Bank::compile_check` and `snapshot::write`; the rest is there because the
// modules need it.
#[allow(dead_code, unreachable_pub, unused_imports)]
#[path = "src/bank/mod.rs"]
mod bank;
#[allow(dead_code, unreachable_pub, unused_imports)]
#[path = "src/files.rs"]
mod files;
#[allow(dead_code, unreachable_pub, unused_imports)]
#[path = "src/milestones.rs"]
mod milestones;
#[allow(dead_code, unreachable_pub, unused_imports)]
#[path = "src/quantity/mod.rs"]
mod quantity;
#[allow(dead_code, unreachable_pub, unused_imports)]
#[path = "src/wire.rs"]
mod wire;

/// What the crate's `built` module holds, before there is anything built: the
/// files come from `main`, and nothing is known of them yet.
#[allow(dead_code)]
mod built {
    type Files = &'static [(&'static str, &'static str, Option<&'static str>)];
    /// The files `main` reads, for the compiler here.
    pub(crate) static FILES_HERE: std::sync::OnceLock<Files> = std::sync::OnceLock::new();
    pub(crate) fn files() -> Files {
        FILES_HERE.get().copied().unwrap_or_default()
    }
    pub(crate) static VERDICT: Option<crate::bank::CleanBank> = None;
    pub(crate) static SNAPSHOTS: &[(&str, &[u8], &[u8])] = &[];
}

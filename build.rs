//! Embeds the bank (`problems/*.yaml`, `rubrics/*.yaml`) into the binary, so `sdi`
//! runs anywhere with no checkout beside it.
//!
//! Each file is embedded twice: as written, and converted to JSON here at build
//! time. At run time the JSON is read (a YAML parse at every start would cost
//! more than the rest of `sdi list`); the YAML text is kept for diagnostics with
//! line and column, and is what gets parsed when the conversion failed (a syntax
//! error for `sdi validate` to report).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut out = String::from(
        "/// The bank files built into sdi: (path, YAML text, the same as JSON when it converts).\n\
         pub(crate) static FILES: &[(&str, &str, Option<&str>)] = &[\n",
    );
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
            let json = std::fs::read_to_string(file)
                .ok()
                .and_then(|text| serde_yaml::from_str::<serde_yaml::Value>(&text).ok())
                .map(texts_in_lists)
                .and_then(|value| serde_json::to_string(&value).ok());
            let json_ref = match json {
                Some(json) => {
                    let dest = Path::new(&out_dir).join(format!("{folder}-{i}.json"));
                    std::fs::write(&dest, json).expect("OUT_DIR is writable");
                    format!("Some(include_str!({:?}))", dest.display().to_string())
                }
                None => "None".to_string(),
            };
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

/// Folds every word of the bank's rubrics ahead of time, so grading looks a
/// word up instead of stemming it at every start: `FOLDS`, sorted by word,
/// with "" for a word that folds to itself.
fn write_folds(root: &str, out_dir: &str) {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut words = std::collections::BTreeSet::new();
    for folder in ["rubrics", "problems"] {
        let Ok(entries) = std::fs::read_dir(Path::new(root).join(folder)) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                let word = word.to_lowercase();
                if word.len() >= 3 && word.chars().all(char::is_alphabetic) {
                    words.insert(word);
                }
            }
        }
    }
    let mut out = String::from("pub(crate) static FOLDS: &[(&str, &str)] = &[\n");
    for word in &words {
        let folded = fold::fold_word(&stemmer, word).unwrap_or_default();
        writeln!(out, "    ({word:?}, {folded:?}),").expect("writing to a String");
    }
    out.push_str("];\n");
    std::fs::write(Path::new(out_dir).join("folds.rs"), out).expect("OUT_DIR is writable");
}

#[path = "src/grade/fold.rs"]
mod fold;

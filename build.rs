//! Embeds the bank (`problems/*.yaml`, `rubrics/*.yaml`) into the binary, so `sdi`
//! runs anywhere with no checkout beside it.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::from(
        "/// The bank files built into sdi: (path, text).\npub static FILES: &[(&str, &str)] = &[\n",
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
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file.file_name().expect("a file name").to_string_lossy();
            writeln!(
                out,
                "    ({:?}, include_str!({:?})),",
                format!("{folder}/{name}"),
                file.display().to_string()
            )
            .expect("writing to a String");
        }
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_bank.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

//! The references of the problems added after the first five, checked
//! against an independent recomputation: for each, a reviewer who did not
//! write it worked every estimate out in plain arithmetic, with the units
//! converted by hand (`tests/recompute/<id>.yaml`, each value with the
//! arithmetic behind it). The engine's conversions themselves are checked
//! against GNU units in `src/quantity/eval.rs`.

use crate::support::Sdi;
use serde_json::Value;

#[test]
fn every_reference_agrees_with_its_independent_recomputation() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recompute");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/recompute exists") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let file: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let problem = file["problem"].as_str().unwrap();
        let show: Value = Sdi::new().args(["show", problem, "--json"]).run().json();
        let estimates = show["estimates"].as_array().unwrap();
        let listed = file["estimates"].as_mapping().unwrap();
        assert_eq!(
            listed.len(),
            estimates.len(),
            "{problem}: the recomputation must cover every estimate"
        );
        for e in estimates {
            let id = e["id"].as_str().unwrap();
            let mine = &file["estimates"][id];
            let value = mine["value"]
                .as_f64()
                .unwrap_or_else(|| panic!("{problem}/{id}: no recomputed value"));
            assert_eq!(
                mine["unit"].as_str(),
                e["unit"].as_str(),
                "{problem}/{id}: unit"
            );
            let reference = e["reference"].as_f64().unwrap();
            let off = (value / reference - 1.0).abs();
            assert!(
                off <= 0.01,
                "{problem}/{id}: engine {reference}, recomputed {value} ({})",
                mine["how"].as_str().unwrap_or("")
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no recomputation found");
}

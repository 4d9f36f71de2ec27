//! `sdi calc EXPR`: the estimation engine as a calculator.

use crate::quantity;
use serde_json::json;
use std::io::Write;

pub(super) fn run(src: &str, json: bool) -> anyhow::Result<()> {
    let evaluation = quantity::eval_str(src).map_err(anyhow::Error::new)?;
    let mut out = std::io::stdout().lock();
    if json {
        let q = &evaluation.quantity;
        let value = json!({
            "expression": src,
            "value": evaluation.shown.value,
            "unit": evaluation.shown.unit,
            "display": evaluation.shown.text(),
            "dimension": q.dim.describe(),
            "base": { "value": q.value, "unit": q.dim.base_unit() },
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        writeln!(out, "{}", evaluation.shown.text())?;
    }
    Ok(())
}

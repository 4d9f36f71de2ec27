//! The fundamentals drills (`drills/fundamentals.yaml`, built into the binary):
//! availability nines, powers of two, latency and throughput figures, bits and
//! bytes, and the standard sizing moves. Each template names its parameters'
//! choices; its reference is computed by the engine, like a problem's.

use crate::bank::Skill;
use crate::quantity::{self, Ast, NoVariables, Quantity};
use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::BTreeMap;

const FILE: &str = include_str!("../../drills/fundamentals.yaml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    templates: Vec<TemplateDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateDef {
    id: String,
    skill: Skill,
    question: String,
    /// Parameter name -> the values drills pick from (engine expressions).
    params: BTreeMap<String, Vec<String>>,
    expr: String,
    unit: String,
    #[serde(default)]
    tolerance: Option<f64>,
    /// Shown when the learner types `?`: the method, not the answer.
    hint: String,
    explanation: String,
}

/// A fundamentals template, checked.
#[derive(Debug, Clone)]
pub(crate) struct Fundamental {
    pub id: String,
    pub skill: Skill,
    pub question: String,
    /// Parameter -> choices, each as written and as a value.
    pub params: Vec<(String, Vec<(String, Quantity)>)>,
    pub expr: String,
    pub ast: Ast,
    pub unit_text: String,
    pub unit: Quantity,
    pub tolerance: f64,
    pub hint: String,
    pub explanation: String,
}

/// Loads and checks the built-in templates: every choice of every parameter
/// must give a finite, positive reference in the template's unit.
pub(crate) fn load() -> anyhow::Result<Vec<Fundamental>> {
    let file: File =
        serde_yaml::from_str(FILE).context("drills/fundamentals.yaml does not parse")?;
    if file.version != 1 {
        bail!(
            "drills/fundamentals.yaml has version {}, expected 1",
            file.version
        );
    }
    file.templates.into_iter().map(check).collect()
}

fn check(def: TemplateDef) -> anyhow::Result<Fundamental> {
    let id = format!("fundamentals/{}", def.id);
    let mut params = Vec::new();
    for (name, choices) in &def.params {
        if quantity::is_reserved_word(name) {
            bail!("{id}: parameter `{name}` is a word the engine knows; rename it");
        }
        let mut values = Vec::new();
        for text in choices {
            let q = quantity::evaluate(text, &NoVariables)
                .map_err(|d| anyhow::anyhow!("{id}: parameter {name}: {d}"))?
                .quantity;
            values.push((text.clone(), q));
        }
        if values.is_empty() {
            bail!("{id}: parameter {name} has no choices");
        }
        if !def.question.contains(&format!("{{{name}}}")) {
            bail!("{id}: the question does not state {{{name}}}");
        }
        params.push((name.clone(), values));
    }
    // Exact facts (8 bits to a byte, 2^10) may ask for less slack than the
    // problems' rounded estimates; no tolerance may demand exactness.
    let tolerance = def.tolerance.unwrap_or(2.0);
    if !(tolerance > 1.0 && tolerance <= 4.0) {
        bail!("{id}: tolerance {tolerance} is outside 1 (exclusive) to 4");
    }
    if let Ok(names) = crate::bank::placeholders(&def.explanation) {
        for name in names {
            if name != "answer" && !def.params.contains_key(&name) {
                bail!("{id}: the explanation's `{{{name}}}` is not a parameter or {{answer}}");
            }
        }
    } else {
        bail!("{id}: a `{{` in the explanation is never closed");
    }
    let ast = quantity::parse(&def.expr).map_err(|e| anyhow::anyhow!("{id}: expr: {e}"))?;
    let unit =
        quantity::evaluate_unit(&def.unit).map_err(|d| anyhow::anyhow!("{id}: unit: {d}"))?;
    // Every combination of the first choices, then each choice alone, must work.
    let template = Fundamental {
        id: id.clone(),
        skill: def.skill,
        question: def.question,
        params,
        expr: def.expr,
        ast,
        unit_text: def.unit,
        unit,
        tolerance,
        hint: def.hint,
        explanation: def.explanation,
    };
    for (name, choices) in &template.params {
        for (i, _) in choices.iter().enumerate() {
            let mut picks: BTreeMap<String, usize> = BTreeMap::new();
            picks.insert(name.clone(), i);
            let value = template
                .evaluate(&picks)
                .map_err(|d| anyhow::anyhow!("{id}: {d}"))?;
            if value.dim != template.unit.dim || value.value <= 0.0 {
                bail!(
                    "{id}: the reference {value} does not fit the unit {}",
                    template.unit_text
                );
            }
        }
    }
    Ok(template)
}

impl Fundamental {
    /// The reference with the given choice index per parameter (the first
    /// choice where none is given).
    pub(crate) fn evaluate(
        &self,
        picks: &BTreeMap<String, usize>,
    ) -> Result<Quantity, quantity::Diagnostic> {
        let scope: BTreeMap<String, Quantity> = self
            .params
            .iter()
            .map(|(name, choices)| {
                let i = picks.get(name).copied().unwrap_or(0).min(choices.len() - 1);
                (name.clone(), choices[i].1.clone())
            })
            .collect();
        quantity::evaluate_expr(&self.ast.expr, &self.expr, &scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_templates_load_and_cover_the_skills() {
        let templates = load().unwrap();
        assert!(templates.len() >= 15);
        for skill in [
            "availability",
            "conversion",
            "latency",
            "qps",
            "servers",
            "memory",
            "storage",
            "bandwidth",
        ] {
            assert!(
                templates.iter().any(|t| t.skill.as_str() == skill),
                "no fundamentals template for {skill}"
            );
        }
    }

    #[test]
    fn every_combination_of_choices_gives_a_usable_reference() {
        for t in load().unwrap() {
            let mut picks: BTreeMap<String, usize> =
                t.params.iter().map(|(n, _)| (n.clone(), 0)).collect();
            // Walk every combination like an odometer.
            loop {
                let q = t.evaluate(&picks).unwrap();
                assert_eq!(q.dim, t.unit.dim, "{}", t.id);
                assert!(q.value.is_finite() && q.value > 0.0, "{}", t.id);
                let mut carried = true;
                for (name, choices) in &t.params {
                    if !carried {
                        break;
                    }
                    let i = picks.get_mut(name).unwrap();
                    *i += 1;
                    carried = *i == choices.len();
                    if carried {
                        *i = 0;
                    }
                }
                if carried {
                    break;
                }
            }
        }
    }
}

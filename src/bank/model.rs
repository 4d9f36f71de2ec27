//! The bank's file format, as serde models: what an author writes in
//! `problems/<id>.yaml`, `rubrics/<id>.yaml`, `rubrics/shared.yaml` and
//! `rubrics/glossary.yaml`. Every struct denies unknown fields, so a typo'd key is
//! an error with its line and column rather than a silently ignored field.
//!
//! These types are the raw text of the files; `compile` turns them into the
//! checked [`super::Problem`] the rest of `sdi` uses.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// The newest format version this build reads.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// `problems/<id>.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProblemFile {
    /// Format version (currently 1); a newer version is refused.
    pub version: u32,
    /// Kebab-case id, equal to the file name without `.yaml`.
    pub id: String,
    /// What the interviewer says: "Design a URL shortener".
    pub title: String,
    /// easy, medium or hard.
    pub difficulty: Difficulty,
    /// Short kebab-case topics, shown by `sdi list`.
    pub tags: Vec<String>,
    /// One line for `sdi list`.
    pub summary: String,
    /// The prompt as an interviewer gives it.
    pub statement: String,
    /// Where public figures used in the file come from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// The interviewer's inputs, in the order written: name -> assumption.
    #[serde(deserialize_with = "ordered_map")]
    pub assumptions: Vec<(String, AssumptionDef)>,
    /// What the candidate estimates, in the order they work it out.
    pub estimates: Vec<EstimateDef>,
    /// Which names place the system on the scaling-milestones table.
    #[serde(default)]
    pub scale: Option<ScaleDef>,
    /// Questions a candidate may ask, with the interviewer's answers.
    pub clarifications: Vec<ClarificationDef>,
    /// The seven standard phases, in order.
    pub phases: Vec<PhaseDef>,
}

crate::wire::wire_enum! {
    /// How hard a problem is.
    pub(crate) enum Difficulty {
        Easy = "easy", "easy";
        Medium = "medium", "medium";
        Hard = "hard", "hard";
    }
}

/// One assumption: an engine expression and how drills may redraw it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssumptionDef {
    /// An engine expression: "100M", "500 B", "(100M) * 2", "10 years".
    #[serde(deserialize_with = "expression_text")]
    pub value: String,
    /// What it is, in words.
    pub description: String,
    /// [low, high] for drills: redrawn in this range, rounded to a number a person says.
    #[serde(default, deserialize_with = "optional_pair")]
    pub range: Option<[String; 2]>,
    /// Values drills pick from instead of a range.
    #[serde(default, deserialize_with = "optional_expression_list")]
    pub choices: Option<Vec<String>>,
}

/// One estimate; its reference is computed from `expr`, never written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EstimateDef {
    /// snake_case, unique in the problem; later estimates may use it by name.
    pub id: String,
    /// The question as asked in a session.
    pub question: String,
    /// An engine expression over assumptions and earlier estimates.
    #[serde(deserialize_with = "expression_text")]
    pub expr: String,
    /// The unit the answer is given in: "req/s", "TB", "servers".
    #[serde(deserialize_with = "expression_text")]
    pub unit: String,
    /// The skill the estimate trains.
    pub skill: Skill,
    /// How far off still counts as right, as a factor (default 2, at least 1.5).
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// A nudge toward the method, shown on `?`.
    pub hint: String,
    /// Why the method works and what the number means for the design.
    pub explanation: String,
    /// The question as a self-contained drill, with `{name}` for each input.
    #[serde(default)]
    pub drill: Option<String>,
}

crate::wire::wire_enum! {
    /// The skills estimates and drills train.
    #[derive(PartialOrd, Ord)]
    pub(crate) enum Skill {
        Qps = "qps", "QPS";
        Peak = "peak", "peak";
        Storage = "storage", "storage";
        Bandwidth = "bandwidth", "bandwidth";
        Memory = "memory", "memory";
        Servers = "servers", "servers";
        Connections = "connections", "connections";
        IdSpace = "id-space", "ID space";
        Availability = "availability", "availability";
        Conversion = "conversion", "conversion";
        Latency = "latency", "latency";
    }
}

impl Skill {
    pub(crate) fn parse(text: &str) -> Option<Skill> {
        Skill::from_wire(text)
    }
}

impl fmt::Display for Skill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Names (assumptions or estimates) that place the system on the milestones table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScaleDef {
    /// A count: users (daily active, usually).
    #[serde(default)]
    pub users: Option<String>,
    /// A rate: requests per second (peak, usually).
    #[serde(default)]
    pub rps: Option<String>,
    /// A size: data stored.
    #[serde(default)]
    pub data: Option<String>,
    /// Why the problem's load departs from the table's ratios (per user,
    /// write-light...): when set, numbers on different rows are expected,
    /// and the report says why instead of calling them out of line.
    #[serde(default)]
    pub ratio: Option<String>,
    /// The table's architecture items this problem does not need, each with
    /// why in one line (`cdn: limiter decisions are per request`). Items not
    /// listed apply.
    #[serde(default, deserialize_with = "ordered_map")]
    pub not_needed: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClarificationDef {
    /// A question a candidate may ask.
    pub question: String,
    /// What the interviewer answers.
    pub answer: String,
    /// Words that point to this question when a candidate phrases it differently.
    #[serde(default)]
    pub keywords: Vec<String>,
}

crate::wire::wire_enum! {
    /// The standard phases of a design interview, in order.
    #[derive(PartialOrd, Ord)]
    pub(crate) enum PhaseId {
        Requirements = "requirements", "Requirements";
        Estimation = "estimation", "Estimation";
        Api = "api", "API";
        DataModel = "data-model", "Data model";
        HighLevelDesign = "high-level-design", "High-level design";
        DeepDive = "deep-dive", "Deep dive";
        WrapUp = "wrap-up", "Wrap-up";
    }
}

impl PhaseId {
    /// The phase as a heading: "High-level design".
    pub(crate) fn title(self) -> &'static str {
        self.label()
    }

    pub(crate) fn parse(text: &str) -> Option<PhaseId> {
        PhaseId::from_wire(text)
    }
}

impl fmt::Display for PhaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PhaseDef {
    /// One of the seven standard phase ids.
    pub id: PhaseId,
    /// The time budget in minutes.
    pub minutes: f64,
    /// The phase's aim in one line.
    pub goal: String,
    /// What a strong candidate does here; shown on `?` in practice.
    pub guidance: String,
}

/// `rubrics/<id>.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RubricFile {
    /// Format version (currently 1).
    pub version: u32,
    /// The problem this rubric grades.
    pub problem: String,
    /// Total weight of the estimation phase, shared by the estimates.
    #[serde(default)]
    pub estimates_weight: Option<f64>,
    /// Concepts only this rubric uses: id -> ways to say it.
    #[serde(default, deserialize_with = "ordered_map")]
    pub concepts: Vec<(String, Forms)>,
    /// The weighted criteria.
    pub criteria: Vec<CriterionDef>,
    /// Anti-patterns that cost points.
    #[serde(default)]
    pub red_flags: Vec<RedFlagDef>,
}

/// `rubrics/shared.yaml`: criteria every problem gets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SharedFile {
    /// Format version (currently 1).
    pub version: u32,
    /// Criteria added to every problem's rubric.
    pub criteria: Vec<CriterionDef>,
    /// Red flags added to every problem's rubric.
    #[serde(default)]
    pub red_flags: Vec<RedFlagDef>,
}

/// `rubrics/glossary.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GlossaryFile {
    /// Format version (currently 1).
    pub version: u32,
    /// Concept id -> the ways people say it.
    #[serde(deserialize_with = "ordered_map")]
    pub concepts: Vec<(String, Forms)>,
}

crate::wire::wire_enum! {
    /// The bar a criterion belongs to.
    #[derive(PartialOrd, Ord)]
    pub(crate) enum Level {
        Mid = "mid", "mid";
        Senior = "senior", "senior";
        Staff = "staff", "staff";
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CriterionDef {
    /// Kebab-case, unique across the rubric and shared.yaml.
    pub id: String,
    /// The phase it belongs to (not estimation).
    pub phase: PhaseId,
    /// mid, senior or staff.
    pub level: Level,
    /// A positive weight.
    pub weight: f64,
    /// The criterion in a few words.
    pub title: String,
    /// What a strong answer does: the model answer in reports.
    pub strong: String,
    /// What to look for in the answer.
    pub evidence: EvidenceDef,
    /// Claims that contradict the criterion: asserted, they cancel its credit.
    #[serde(default)]
    pub contradictions: Vec<ContradictionDef>,
    /// What to study when missed.
    pub study: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvidenceDef {
    /// Concept ids from the glossary or the rubric's own concepts.
    #[serde(default)]
    pub concepts: Vec<String>,
    /// Literal words or phrases.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Sets of terms that must meet in one clause.
    #[serde(default)]
    pub patterns: Vec<PatternDef>,
    /// Questions to the interviewer, in the criterion's phase, that count as
    /// one item ("asks what is out of scope"): how many are needed.
    #[serde(default)]
    pub questions: Option<u32>,
    /// How many distinct items make the criterion covered (default 1).
    #[serde(default)]
    pub need: Option<u32>,
}

/// Terms that must all be asserted in one clause: each a concept id (from the
/// glossary or the rubric's `concepts:`) or else a literal phrase.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatternDef {
    /// Every one of these must be asserted in the clause.
    pub all: Vec<String>,
    /// None of these may be asserted in the same sentence.
    #[serde(default)]
    pub none: Vec<String>,
}

/// A claim that contradicts a criterion ("301" with "count every click").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContradictionDef {
    /// Terms that must all be asserted in one clause.
    pub all: Vec<String>,
    /// Terms that, asserted in the same sentence, make the claim acceptable.
    #[serde(default)]
    pub none: Vec<String>,
    /// Why the claim is wrong, in one line.
    pub why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedFlagDef {
    /// Kebab-case id.
    pub id: String,
    /// The anti-pattern in a few words.
    pub title: String,
    /// What raises the flag.
    pub evidence: EvidenceDef,
    /// Points off the 0-100 score.
    pub penalty: f64,
    /// Why it is a problem.
    pub why: String,
}

/// A mapping kept in the order written (serde maps would sort it), with every
/// entry kept so duplicates can be reported.
fn ordered_map<'de, D, V>(deserializer: D) -> Result<Vec<(String, V)>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Ordered<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Ordered<V> {
        type Value = Vec<(String, V)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping from names to entries")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, V>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Ordered(std::marker::PhantomData))
}

/// An engine expression, which YAML may have read as a number (`value: 100`).
fn expression_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct Text;
    impl Visitor<'_> for Text {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an engine expression (a string such as \"100M\" or \"500 B\")")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    deserializer.deserialize_any(Text)
}

#[derive(Deserialize)]
struct ExpressionText(#[serde(deserialize_with = "expression_text")] String);

fn optional_pair<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<[String; 2]>, D::Error> {
    let pair = Option::<[ExpressionText; 2]>::deserialize(deserializer)?;
    Ok(pair.map(|[a, b]| [a.0, b.0]))
}

fn optional_expression_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    let list = Option::<Vec<ExpressionText>>::deserialize(deserializer)?;
    Ok(list.map(|l| l.into_iter().map(|e| e.0).collect()))
}

/// The ways of saying one concept, kept in one buffer, each form after a
/// [`FORMS_PACKED`] separator: the same layout as the built-in bank's JSON,
/// which is taken as it is. A rubric lists thousands of forms, and a
/// `String` each made reading the bank mostly allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Forms {
    text: String,
}

impl Forms {
    /// The forms as one text, each after a [`FORMS_PACKED`] separator.
    #[allow(dead_code)] // for the build script's snapshots
    pub(crate) fn packed(&self) -> &str {
        &self.text
    }

    /// Forms from the text [`Forms::packed`] gave.
    pub(crate) fn from_packed(text: String) -> Forms {
        Forms { text }
    }

    /// The list of one form: a literal phrase.
    pub(crate) fn one(form: &str) -> Forms {
        let mut forms = Forms::default();
        forms.push(form);
        forms
    }

    pub(crate) fn push(&mut self, form: &str) {
        self.text.push(FORMS_PACKED);
        if form.contains([FORMS_PACKED, FORMS_FOLDED]) {
            // The separators are no part of a phrase: a space reads the same.
            self.text.extend(form.chars().map(|c| {
                if c == FORMS_PACKED || c == FORMS_FOLDED {
                    ' '
                } else {
                    c
                }
            }));
        } else {
            self.text.push_str(form);
        }
    }

    /// The forms as written (a folded one as its folded words).
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.phrases().map(|p| p.text)
    }

    /// The forms, each with whether it is held folded.
    pub(crate) fn phrases(&self) -> impl Iterator<Item = Phrase<'_>> + '_ {
        let bytes = self.text.as_bytes();
        let separator = |b: &u8| *b == FORMS_PACKED as u8 || *b == FORMS_FOLDED as u8;
        // Where the next form's separator is.
        let mut at = 0;
        std::iter::from_fn(move || {
            let folded = *bytes.get(at)? == FORMS_FOLDED as u8;
            let start = at + 1;
            let end = bytes[start..]
                .iter()
                .position(separator)
                .map_or(bytes.len(), |n| start + n);
            at = end;
            Some(Phrase {
                text: self.text.get(start..end)?,
                folded,
            })
        })
    }

    /// The same forms with each plain phrase (lower-case words, one space
    /// apart) held as its words folded by `fold`, which is how the grader
    /// compares words: what the build script stores, so grading a built-in
    /// problem folds no rubric word. Other phrases stay as written.
    #[allow(dead_code)] // for the build script's snapshots
    pub(crate) fn prefolded(&self, fold: &dyn Fn(&str) -> String) -> Forms {
        let mut out = Forms::default();
        for phrase in self.phrases() {
            let plain = !phrase.folded
                && phrase
                    .text
                    .split(' ')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()));
            if !plain {
                out.text.push(if phrase.folded {
                    FORMS_FOLDED
                } else {
                    FORMS_PACKED
                });
                out.text.push_str(phrase.text);
                continue;
            }
            out.text.push(FORMS_FOLDED);
            for (i, word) in phrase.text.split(' ').enumerate() {
                if i > 0 {
                    out.text.push(' ');
                }
                out.text.push_str(&fold(word));
            }
        }
        out
    }
}

/// One form of a [`Forms`] list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Phrase<'f> {
    pub text: &'f str,
    /// Plain words already folded (see [`Forms::prefolded`]), else as written.
    pub folded: bool,
}

impl<'de> Deserialize<'de> for Forms {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Forms, D::Error> {
        /// One element, appended where it is read: no `String` of its own.
        struct Append<'f>(&'f mut Forms);
        impl<'de> de::DeserializeSeed<'de> for Append<'_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.deserialize_str(self)
            }
        }
        impl Visitor<'_> for Append<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a word or phrase")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
                self.0.push(v);
                Ok(())
            }
        }
        struct List;
        impl<'de> Visitor<'de> for List {
            type Value = Forms;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of words or phrases")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Forms, A::Error> {
                let mut forms = Forms::default();
                while seq.next_element_seed(Append(&mut forms))?.is_some() {}
                Ok(forms)
            }
            /// The build script's packed list (see [`FORMS_PACKED`]); any
            /// other text is not a list.
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Forms, E> {
                if !v.starts_with(FORMS_PACKED) {
                    return Err(E::invalid_type(de::Unexpected::Str(v), &self));
                }
                // Room for the concept's id, which compiling adds.
                let mut text = String::with_capacity(v.len() + 48);
                text.push_str(v);
                Ok(Forms { text })
            }
        }
        deserializer.deserialize_any(List)
    }
}

/// How the build script writes a concept's list in the built-in bank's JSON:
/// one string, each form after this character (DEL, which YAML cannot hold
/// unescaped and JSON needs no escape for). One string reads many times
/// faster than a list of hundreds.
pub(crate) const FORMS_PACKED: char = '\u{7f}';

/// The separator before a form held folded (record separator, which no phrase
/// holds either): only in the build script's snapshots.
pub(crate) const FORMS_FOLDED: char = '\u{1e}';

macro_rules! versioned {
    ($($file:ty),*) => {
        $(impl super::load::Versioned for $file {
            fn version(&self) -> u32 {
                self.version
            }
        })*
    };
}

versioned!(ProblemFile, RubricFile, SharedFile, GlossaryFile);

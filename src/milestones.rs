//! The scaling-milestones table (users, RPS, data and the architecture each tier
//! needs), and where a system's numbers sit on it.
//!
//! The table comes from the outline of a distributed-systems course the product
//! was built from (its "scaling milestones"). Each metric sits at the last
//! milestone it reaches (below the first row: the first row); the system's tier
//! is the highest row any metric reaches, and its architecture is cumulative.
//! Metrics are consistent when their rows differ by at most one; otherwise a note
//! names the one out of line and what the table would expect of it. Rows are
//! numbered from 1, as the table is read, everywhere (text and JSON).

use crate::quantity::{self, Dimension, Quantity, format_number};
use serde::Serialize;
use std::fmt;

crate::wire::wire_enum! {
    /// An architecture item of the table: what a tier adds. Its wire name is
    /// the id problems use (`not_needed: {cdn: ...}`) and the glossary concept
    /// that says the item in an answer.
    #[derive(PartialOrd, Ord)]
    pub(crate) enum Item {
        SingleServer = "single-server", "Single server";
        ReadReplicas = "read-replica", "Read replicas";
        Cdn = "cdn", "CDN";
        Sharding = "sharding", "Sharding";
        Caching = "caching", "Caching";
        Microservices = "microservices", "Microservices";
        Kafka = "kafka", "Kafka";
        MultiRegion = "multi-region", "Multi-region";
        Edge = "edge", "Edge";
        GlobalDistribution = "global-distribution", "Global distribution";
        CustomInfrastructure = "custom-infrastructure", "Custom infrastructure";
    }
}

impl Item {
    /// The id problems and the glossary use.
    pub(crate) fn id(self) -> &'static str {
        self.as_str()
    }

    pub(crate) fn parse(id: &str) -> Option<Item> {
        Item::from_wire(id)
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Milestone {
    pub users: f64,
    pub rps: f64,
    /// Bytes.
    pub data: f64,
    /// The row's figures as the table prints them.
    pub label: MilestoneLabel,
    /// What a system at this tier adds to the architecture of the rows above.
    pub architecture: &'static [Item],
}

#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct MilestoneLabel {
    pub users: &'static str,
    pub rps: &'static str,
    pub data: &'static str,
}

const fn milestone(
    users: f64,
    rps: f64,
    data: f64,
    label: (&'static str, &'static str, &'static str),
    architecture: &'static [Item],
) -> Milestone {
    Milestone {
        users,
        rps,
        data,
        label: MilestoneLabel {
            users: label.0,
            rps: label.1,
            data: label.2,
        },
        architecture,
    }
}

pub(crate) static TABLE: [Milestone; 7] = [
    milestone(1e3, 10.0, 1e9, ("1K", "10", "1GB"), &[Item::SingleServer]),
    milestone(
        1e4,
        100.0,
        1e10,
        ("10K", "100", "10GB"),
        &[Item::ReadReplicas, Item::Cdn],
    ),
    milestone(
        1e5,
        1e3,
        1e11,
        ("100K", "1K", "100GB"),
        &[Item::Sharding, Item::Caching],
    ),
    milestone(
        1e6,
        1e4,
        1e12,
        ("1M", "10K", "1TB"),
        &[Item::Microservices, Item::Kafka],
    ),
    milestone(
        1e7,
        1e5,
        1e13,
        ("10M", "100K", "10TB"),
        &[Item::MultiRegion, Item::Edge],
    ),
    milestone(
        1e8,
        1e6,
        1e14,
        ("100M", "1M", "100TB"),
        &[Item::GlobalDistribution],
    ),
    milestone(
        1e9,
        1e7,
        1e15,
        ("1B", "10M", "1PB"),
        &[Item::CustomInfrastructure],
    ),
];

crate::wire::wire_enum! {
    /// A metric the table has a column for.
    pub(crate) enum Metric {
        Users = "users", "users";
        Rps = "rps", "RPS";
        Data = "data", "data";
    }
}

impl Metric {
    pub(crate) fn name(self) -> &'static str {
        Metric::label(self)
    }

    fn of(self, m: &Milestone) -> f64 {
        match self {
            Metric::Users => m.users,
            Metric::Rps => m.rps,
            Metric::Data => m.data,
        }
    }

    /// The table's figure for this metric in a row: "10M", "1K", "1TB".
    fn figure(self, m: &Milestone) -> &'static str {
        match self {
            Metric::Users => m.label.users,
            Metric::Rps => m.label.rps,
            Metric::Data => m.label.data,
        }
    }

    /// "10M users", "1K RPS", "10TB of data": a table figure in words.
    pub(crate) fn phrase(self, figure: &str) -> String {
        match self {
            Metric::Users => format!("{figure} users"),
            Metric::Rps => format!("{figure} RPS"),
            Metric::Data => format!("{figure} of data"),
        }
    }

    /// A value (users, requests per second, or bytes) written for a person.
    pub(crate) fn format(self, value: f64) -> String {
        match self {
            Metric::Data => Quantity::new(value, Dimension::INFO).to_string(),
            _ => format_number(value, true),
        }
    }

    /// The dimension the metric's value must have.
    fn dimension(self) -> Dimension {
        match self {
            Metric::Users => Dimension::NONE,
            Metric::Rps => Dimension::RATE,
            Metric::Data => Dimension::INFO,
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A metric placed on the table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Placed {
    pub metric: Metric,
    /// Users, requests per second, or bytes.
    pub value: f64,
    /// The value as a person writes it.
    pub shown: String,
    /// The row it reaches, from 1.
    pub row: usize,
    /// The milestone's figure for this metric, e.g. `1M`.
    pub milestone: &'static str,
}

/// Where a system sits on the table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Placement {
    pub placed: Vec<Placed>,
    /// The highest row any metric reaches, from 1.
    pub tier: usize,
    pub consistent: bool,
    /// What is out of line, in words.
    pub notes: Vec<String>,
}

impl Placement {
    /// The architecture the tier needs, cumulative from the first row.
    pub(crate) fn architecture(&self) -> Vec<Item> {
        architecture_up_to(self.tier)
    }

    /// "1M users / 10K RPS / 1TB": the tier's row in words.
    pub(crate) fn tier_label(&self) -> String {
        let m = &TABLE[self.tier - 1];
        format!(
            "{} users / {} RPS / {}",
            m.label.users, m.label.rps, m.label.data
        )
    }

    /// "50M users: row 5; 347k RPS: row 5": each number with its row.
    pub(crate) fn rows_text(&self) -> String {
        self.placed
            .iter()
            .map(|p| format!("{}: row {}", p.metric.phrase(&p.shown), p.row))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Every architecture item from the first row to row `tier` (from 1), in order.
pub(crate) fn architecture_up_to(tier: usize) -> Vec<Item> {
    TABLE[..tier.clamp(1, TABLE.len())]
        .iter()
        .flat_map(|m| m.architecture.iter().copied())
        .collect()
}

/// The row (from 1) a metric's value reaches: the last milestone at or below it.
pub(crate) fn row_for(metric: Metric, value: f64) -> usize {
    TABLE
        .iter()
        .rposition(|m| value >= metric.of(m))
        .unwrap_or(0)
        + 1
}

/// Places the given metrics (any of them may be absent). `None` when none is given.
pub(crate) fn place(users: Option<f64>, rps: Option<f64>, data: Option<f64>) -> Option<Placement> {
    let placed: Vec<Placed> = [
        (Metric::Users, users),
        (Metric::Rps, rps),
        (Metric::Data, data),
    ]
    .into_iter()
    .filter_map(|(metric, value)| {
        let value = value?;
        let row = row_for(metric, value);
        Some(Placed {
            metric,
            value,
            shown: metric.format(value),
            row,
            milestone: metric.figure(&TABLE[row - 1]),
        })
    })
    .collect();
    let tier = placed.iter().map(|p| p.row).max()?;
    let lowest = placed.iter().map(|p| p.row).min().unwrap_or(tier);
    let consistent = tier - lowest <= 1;
    let notes = if consistent {
        Vec::new()
    } else {
        notes(&placed)
    };
    Some(Placement {
        placed,
        tier,
        consistent,
        notes,
    })
}

/// Names the metrics out of line with the one the others agree on: with three
/// metrics, the one at the median row; with two, users (they drive the rest),
/// else RPS.
fn notes(placed: &[Placed]) -> Vec<String> {
    let anchor = if placed.len() >= 3 {
        let mut rows: Vec<usize> = placed.iter().map(|p| p.row).collect();
        rows.sort_unstable();
        let median = rows[rows.len() / 2];
        placed.iter().find(|p| p.row == median)
    } else {
        placed.first()
    };
    let Some(anchor) = anchor else {
        return Vec::new();
    };
    placed
        .iter()
        .filter(|p| p.metric != anchor.metric && p.row.abs_diff(anchor.row) > 1)
        .map(|p| {
            let expected = p.metric.figure(&TABLE[anchor.row - 1]);
            format!(
                "{} suggests about {}; you estimated {}",
                anchor.metric.phrase(&anchor.shown),
                p.metric.phrase(expected),
                p.shown
            )
        })
        .collect()
}

/// A metric given on the command line that the engine could not use.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MetricError {
    #[error("--{flag}: {diagnostic:#}")]
    Unreadable {
        flag: &'static str,
        diagnostic: quantity::Diagnostic,
    },
    #[error("--{flag} {text}: {problem}")]
    WrongDimension {
        flag: &'static str,
        text: String,
        problem: String,
    },
}

/// Reads a metric written as an engine expression: users as a count (`5M`),
/// RPS as a rate or a bare number per second (`20k`, `1.2M req/day`), data as a
/// size (`3TB`).
pub(crate) fn read_metric(metric: Metric, text: &str) -> Result<f64, MetricError> {
    let flag = match metric {
        Metric::Users => "users",
        Metric::Rps => "rps",
        Metric::Data => "data",
    };
    let evaluation = quantity::eval_str(text)
        .map_err(|diagnostic| MetricError::Unreadable { flag, diagnostic })?;
    let q = evaluation.quantity;
    let wanted = metric.dimension();
    if q.dim == wanted {
        return Ok(q.value);
    }
    if metric == Metric::Rps && q.dim.is_none() {
        return Ok(q.value);
    }
    let problem = match metric {
        Metric::Users => format!("users are a count, but this is {}", q.dim.describe()),
        Metric::Rps => format!(
            "RPS is a rate (or a plain number per second), but this is {}",
            q.dim.describe()
        ),
        Metric::Data => format!(
            "data is a size such as `3 TB`, but this is {}{}",
            q.dim.describe(),
            if q.dim.is_none() {
                ": add a unit (B, GB, TB, PB)"
            } else {
                ""
            }
        ),
    };
    Err(MetricError::WrongDimension {
        flag,
        text: text.to_string(),
        problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metric_sits_at_the_last_milestone_it_reaches() {
        assert_eq!(row_for(Metric::Users, 5e6), 4);
        assert_eq!(row_for(Metric::Users, 1e6), 4);
        assert_eq!(row_for(Metric::Users, 999_999.0), 3);
        assert_eq!(row_for(Metric::Users, 10.0), 1);
        assert_eq!(row_for(Metric::Data, 5e15), 7);
        assert_eq!(row_for(Metric::Rps, 20e3), 4);
    }

    #[test]
    fn the_tier_is_the_highest_row_and_architecture_is_cumulative() {
        let p = place(Some(5e6), Some(20e3), Some(3e12)).unwrap();
        assert_eq!(p.tier, 4);
        assert!(p.consistent);
        assert_eq!(
            p.architecture(),
            [
                Item::SingleServer,
                Item::ReadReplicas,
                Item::Cdn,
                Item::Sharding,
                Item::Caching,
                Item::Microservices,
                Item::Kafka
            ]
        );
        assert_eq!(
            p.rows_text(),
            "5M users: row 4; 20k RPS: row 4; 3 TB of data: row 4"
        );
        let p = place(Some(5e6), Some(2e5), None).unwrap();
        assert_eq!(p.tier, 5);
        assert!(p.consistent, "rows 3 and 4 differ by one");
    }

    #[test]
    fn a_metric_out_of_line_is_named() {
        let p = place(Some(1e7), Some(1e3), None).unwrap();
        assert!(!p.consistent);
        assert_eq!(
            p.notes,
            ["10M users suggests about 100K RPS; you estimated 1k"]
        );
        let p = place(Some(1e6), Some(1e4), Some(1e15)).unwrap();
        assert_eq!(p.notes.len(), 1);
        assert!(p.notes[0].contains("1TB of data"), "{}", p.notes[0]);
        assert!(p.notes[0].ends_with("you estimated 1 PB"), "{}", p.notes[0]);
    }

    #[test]
    fn nothing_given_places_nothing() {
        assert!(place(None, None, None).is_none());
    }

    #[test]
    fn metrics_are_read_with_the_engine() {
        assert_eq!(read_metric(Metric::Users, "5M").unwrap(), 5e6);
        assert_eq!(read_metric(Metric::Rps, "20k").unwrap(), 20e3);
        assert_eq!(read_metric(Metric::Data, "3TB").unwrap(), 3e12);
        assert!((read_metric(Metric::Rps, "864M req/day").unwrap() - 1e4).abs() < 1e-6);
        assert!(read_metric(Metric::Users, "lots").is_err());
        let err = read_metric(Metric::Data, "3T").unwrap_err().to_string();
        assert!(err.contains("add a unit"), "{err}");
    }
}

/// What `sdi milestones` shows: the table, or where a system sits on it.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum MilestonesView {
    Table {
        milestones: &'static [Milestone],
    },
    Placed {
        placement: Vec<Placed>,
        tier: TierView,
        /// Everything the tier needs, cumulatively.
        architecture: Vec<Item>,
        consistent: bool,
        notes: Vec<String>,
    },
}

/// A tier: its row (from 1), the row's figures and what it adds.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TierView {
    pub(crate) row: usize,
    pub(crate) users: &'static str,
    pub(crate) rps: &'static str,
    pub(crate) data: &'static str,
    pub(crate) adds: &'static [Item],
}

impl MilestonesView {
    pub(crate) fn new(placement: Option<&Placement>) -> MilestonesView {
        match placement {
            None => MilestonesView::Table { milestones: &TABLE },
            Some(p) => {
                let m = &TABLE[p.tier - 1];
                MilestonesView::Placed {
                    placement: p.placed.clone(),
                    tier: TierView {
                        row: p.tier,
                        users: m.label.users,
                        rps: m.label.rps,
                        data: m.label.data,
                        adds: m.architecture,
                    },
                    architecture: p.architecture(),
                    consistent: p.consistent,
                    notes: p.notes.clone(),
                }
            }
        }
    }
}

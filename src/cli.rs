//! The command line, as clap definitions (derive). Nothing else lives here: the
//! commands themselves are in `commands`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const ABOUT: &str = "A command-line coach for system-design interviews: timed mocks, \
estimation drills, and answers graded against rubrics.";

const AFTER_HELP: &str = "\
Examples:
  sdi practice url-shortener        guided walkthrough with hints and feedback
  sdi mock --random                 a timed 45-minute mock on a problem you have not done lately
  sdi calc '100M users * 2 / day -> req/s'
  sdi drill --count 5 --skill qps
  sdi grade payments --template > answers.yaml && sdi grade payments --answers answers.yaml

Saved data lives under $SDI_HOME (default: the platform data directory).";

#[derive(Debug, Parser)]
#[command(name = "sdi", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// Load problems and rubrics from DIR (with problems/ and rubrics/) instead of
    /// the bank built into sdi
    #[arg(long, global = true, env = "SDI_BANK", value_name = "DIR")]
    pub bank: Option<PathBuf>,

    /// When to color output (NO_COLOR in the environment means never, unless
    /// --color always)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON (the stable format documented in the README)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the problems in the bank: id, title, difficulty, tags, last score
    List(#[command(flatten)] JsonFlag),

    /// Show a problem: statement, assumptions, clarifications, and each estimate's
    /// reference with its derivation
    Show {
        /// The problem id (see `sdi list`)
        id: String,
        /// Show the answers too: worked references and what strong answers say
        #[arg(long)]
        key: bool,
        #[command(flatten)]
        json: JsonFlag,
    },

    /// Guided walkthrough of a problem: untimed, with hints and feedback after each step
    Practice {
        /// The problem id; without it, pick from a list
        id: Option<String>,
        /// Pick a problem at random, preferring ones not practised lately
        #[arg(long, conflicts_with = "id")]
        random: bool,
        /// Practise one phase only (the earlier ones skipped): requirements,
        /// estimation, api, data-model, high-level-design, deep-dive, wrap-up
        #[arg(long, value_name = "PHASE", value_parser = clap::builder::PossibleValuesParser::new(PHASES))]
        phase: Option<String>,
    },

    /// Timed mock interview: the phases against the clock, feedback only at the end
    Mock {
        /// The problem id; without it, pick from a list
        id: Option<String>,
        /// Length of the interview in minutes
        #[arg(long, default_value_t = 45, value_parser = clap::value_parser!(u32).range(1..=300))]
        minutes: u32,
        /// Pick a problem at random, preferring ones not practised lately
        #[arg(long, conflicts_with = "id")]
        random: bool,
    },

    /// Score a written answers file against the problem's rubric
    Grade {
        /// The problem id
        id: String,
        /// The answers file (YAML: phases and estimates; see --template)
        #[arg(long, value_name = "FILE", required_unless_present = "template")]
        answers: Option<PathBuf>,
        /// Print a skeleton answers file for the problem
        #[arg(long, conflicts_with_all = ["answers", "json", "markdown"])]
        template: bool,
        /// Print the report as Markdown instead of tables
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        #[command(flatten)]
        json: JsonFlag,
    },

    /// Capacity-estimation drill: randomized back-of-envelope questions, checked
    Drill(DrillArgs),

    /// The estimation engine as a calculator, e.g. '100M * 10 / day -> req/s'
    #[command(after_help = CALC_HELP)]
    Calc {
        /// The expression (the words after `calc` are joined); quote it in the
        /// shell, since `*` and `>` are special there
        #[arg(required = true, num_args = 1.., allow_negative_numbers = true, value_name = "EXPR")]
        expr: Vec<String>,
        #[command(flatten)]
        json: JsonFlag,
    },

    /// The scaling-milestones table, or where a system sits on it
    Milestones {
        /// Users, e.g. 5M
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        users: Option<String>,
        /// Requests per second, e.g. 20k or '1.2bn req/day'
        #[arg(long, value_name = "R", allow_hyphen_values = true)]
        rps: Option<String>,
        /// Data stored, e.g. 3TB
        #[arg(long, value_name = "D", allow_hyphen_values = true)]
        data: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },

    /// Check a bank (problems/ and rubrics/) and report every problem found
    Validate(#[command(flatten)] JsonFlag),

    /// List past sessions: date, problem, mode, score, duration, status
    History(#[command(flatten)] JsonFlag),

    /// Show one session's report again, or export it as Markdown
    Report {
        /// A session id from `sdi history` (a unique prefix will do), or `last`
        session: String,
        /// Print Markdown instead of tables
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        #[command(flatten)]
        json: JsonFlag,
    },

    /// Progress: drill accuracy and speed per skill, scores over time, criteria missed
    Stats(#[command(flatten)] JsonFlag),

    /// Print a shell completion script
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// How many questions
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub count: u32,
    /// Only this skill
    #[arg(long, value_name = "SKILL", value_parser = clap::builder::PossibleValuesParser::new(SKILLS))]
    pub skill: Option<String>,
    /// Only questions drawn from this problem
    #[arg(long, value_name = "ID")]
    pub problem: Option<String>,
    /// Fix the questions: the same seed and history give the same questions
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// List the questions without asking; records nothing
    #[arg(long)]
    pub print: bool,
    /// With --print: show the answers too
    #[arg(long, requires = "print")]
    pub key: bool,
    /// With --print: print JSON, references included
    #[arg(long, requires = "print")]
    pub json: bool,
}

/// The skills' wire names, for `--skill` (the same as `Skill::WIRE`, which a
/// test checks).
pub(crate) const SKILLS: [&str; 11] = [
    "qps",
    "peak",
    "storage",
    "bandwidth",
    "memory",
    "servers",
    "connections",
    "id-space",
    "availability",
    "conversion",
    "latency",
];

/// The phases' wire names, for `--phase` (the same as `PhaseId::WIRE`).
pub(crate) const PHASES: [&str; 7] = [
    "requirements",
    "estimation",
    "api",
    "data-model",
    "high-level-design",
    "deep-dive",
    "wrap-up",
];

const CALC_HELP: &str = "\
Conventions: month = 30 days, year = 365 days, B = byte, KB = kB = 1000 B, KiB = 1024 B,
Gb/Gbit/Gbps are bits, k/M/bn/T are magnitudes (billion is `bn`), % is x 0.01.
Convert with `->`, `to` or `in`. A number followed by units is one quantity:
`x / 86400 s` divides by 86,400 seconds. Also read: `116,000`, `3 x 10^5`,
`~5M` or `about 5M`, `$50M` and `USD`, `MBps` (bytes per second), `msec`.
An expression may be up to 4096 bytes, nested up to 256 deep.

Examples:
  sdi calc '100M * 10 / day -> req/s'          11.6k req/s
  sdi calc '30 TB/day * 5 years -> PB'         54.8 PB
  sdi calc '1 year * (1 - 99.9%) -> hour'      8.76 hour
  sdi calc 2^32 B to GiB                       4 GiB";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flag_values_are_the_wire_names() {
        assert_eq!(SKILLS, crate::bank::Skill::WIRE);
        assert_eq!(PHASES, crate::bank::PhaseId::WIRE);
    }
}

//! The `sdi` binary: parse arguments, call the library, print errors, map them to
//! exit codes (0 success, 1 a failure the user can fix, 2 usage, 130 Ctrl-C).

use clap::Parser;

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = sdi::cli::Cli::parse_from(shield_arrows(std::env::args_os()));
    let palette = sdi::Palette::for_stderr(cli.color);
    match sdi::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => sdi::commands::exit_code_for(&err, &palette),
    }
}

/// `sdi calc 1 day -\> s` reaches us as the word `->`, and `sdi calc '-5 GB + 10
/// GB'` as a word starting with `-`, which clap reads as an unknown flag. After
/// `calc`, a word of minus signs followed by anything but a letter (so not
/// `--json`, `-h`, nor `--` itself) gets a leading space, so clap takes
/// it as part of the expression (the words are trimmed when joined), while
/// options after the expression, such as `--json`, keep working.
fn shield_arrows(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut in_calc = false;
    let mut after_value_flag = false;
    args.into_iter()
        .enumerate()
        .map(|(i, arg)| {
            let text = arg.to_str().unwrap_or_default();
            if in_calc && !after_value_flag && starts_expression(text) {
                return OsString::from(format!(" {text}"));
            }
            // `calc` as the value of `--bank` is a folder, not the subcommand.
            if i > 0 && !after_value_flag && text == "calc" {
                in_calc = true;
            }
            after_value_flag = matches!(text, "--bank" | "--color");
            arg
        })
        .collect()
}

/// `->`, `-5`, `-5 GB + 10 GB`, `-(2 GB)`, `-.5`, `--5`: a word of an expression
/// that starts with minus signs, not an option (`--json`, `-h`) nor `--`.
fn starts_expression(word: &str) -> bool {
    word.starts_with('-')
        && word != "--"
        && word
            .trim_start_matches('-')
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdi::cli::{Cli, Command};

    fn shielded(args: &[&str]) -> Vec<OsString> {
        shield_arrows(args.iter().map(OsString::from))
    }

    #[test]
    fn an_unquoted_arrow_is_part_of_the_expression() {
        let cli = Cli::parse_from(shielded(&["sdi", "calc", "1", "day", "->", "s", "--json"]));
        let Command::Calc { expr, json } = cli.command else {
            panic!("not calc: {:?}", cli.command);
        };
        assert_eq!(expr, ["1", "day", " ->", "s"]);
        assert!(json.json, "--json after the expression is still an option");
    }

    #[test]
    fn an_expression_may_start_with_a_minus() {
        for args in [
            &["sdi", "calc", "-5 GB + 10 GB"][..],
            &["sdi", "calc", "-5", "GB", "+", "10", "GB"],
            &["sdi", "calc", "--", "-5", "GB", "+", "10", "GB"],
            &["sdi", "calc", "-(2 GB)", "+", "3 GB", "--json"],
            &["sdi", "--color", "never", "calc", "-.5", "+", "1"],
            &["sdi", "calc", "--5", "+", "1"],
        ] {
            let cli =
                Cli::try_parse_from(shielded(args)).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            let Command::Calc { expr, .. } = cli.command else {
                panic!("not calc: {:?}", cli.command);
            };
            assert!(
                expr[0].trim().starts_with('-') || expr[0] == "--",
                "{args:?}"
            );
        }
        // Options are still options.
        let cli = Cli::parse_from(shielded(&["sdi", "calc", "-5 GB", "--json"]));
        let Command::Calc { json, .. } = cli.command else {
            panic!()
        };
        assert!(json.json);
        assert!(Cli::try_parse_from(shielded(&["sdi", "calc", "-h"])).is_err());
    }

    #[test]
    fn only_calc_words_are_shielded() {
        assert_eq!(shielded(&["sdi", "--bank", "calc", "show", "->"])[4], "->");
    }
}

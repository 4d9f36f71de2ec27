//! `sdi calc`: the worked examples of docs/DESIGN.md, the refusals, and the JSON shape.

use crate::support::{Sdi, assert_close};

#[test]
fn worked_examples_hold_exactly() {
    for (expr, value, unit) in [
        ("100M * 10 / day -> req/s", 100e6 * 10.0 / 86_400.0, "req/s"),
        (
            "150e6 * 2 / 86400 s -> req/s",
            150e6 * 2.0 / 86_400.0,
            "req/s",
        ),
        ("30 TB/day * 5 years -> PB", 54.75, "PB"),
        ("10 Gbps -> MB/s", 1250.0, "MB/s"),
        ("1 month -> s", 2_592_000.0, "s"),
        ("2^32 B -> GiB", 4.0, "GiB"),
        ("1 year * (1 - 99.9%) -> hour", 8.76, "hour"),
        ("100M / day * 3650 days -> bn", 365.0, "bn"),
    ] {
        let run = Sdi::new().args(["calc", expr, "--json"]).run();
        run.success();
        let json = run.json();
        assert_close(&json["value"], value);
        assert_eq!(json["unit"], unit, "{expr}");
    }
}

#[test]
fn prints_three_significant_figures() {
    Sdi::new()
        .args(["calc", "300M users * 50% * 2 / day -> req/s"])
        .run()
        .success()
        .stdout_has("3.47k req/s");
    Sdi::new()
        .args(["calc", "100M * 365 * 1 KB"])
        .run()
        .success()
        .stdout_has("36.5 TB");
}

#[test]
fn the_words_after_calc_are_one_expression() {
    let run = Sdi::new()
        .args(["calc", "2^32", "B", "to", "GiB", "--json"])
        .run();
    run.success();
    assert_close(&run.json()["value"], 4.0);
}

#[test]
fn a_result_without_conversion_reports_its_shown_unit() {
    let run = Sdi::new()
        .args(["calc", "--json", "30 TB/day * 100 days"])
        .run();
    let json = run.json();
    assert_eq!(json["unit"], "PB");
    assert_close(&json["value"], 3.0);
    assert_eq!(json["display"], "3 PB");
}

#[test]
fn adding_a_size_to_a_rate_is_refused_with_both_sides_named() {
    Sdi::new()
        .args(["calc", "500 GB + 3 req/s"])
        .run()
        .failure()
        .stderr_has("cannot add a data size (500 GB) and a rate (3 req/s)")
        .stderr_has("^^^^^^   ^^^^^^^");
}

#[test]
fn a_rate_converted_to_a_size_asks_for_a_duration() {
    Sdi::new()
        .args(["calc", "30 TB/day * 365 * 5 -> PB"])
        .run()
        .failure()
        .stderr_has("still a rate: multiply by a duration");
}

#[test]
fn bare_m_is_ambiguous() {
    Sdi::new()
        .args(["calc", "5 m -> s"])
        .run()
        .failure()
        .stderr_has("(column 3)")
        .stderr_has("`min` for minutes or `M` for million");
}

#[test]
fn billion_is_bn_not_b() {
    Sdi::new()
        .args(["calc", "1.5B users * 2 / day -> req/s"])
        .run()
        .failure()
        .stderr_has("for billion write `bn`");
}

#[test]
fn unknown_words_get_a_suggestion() {
    Sdi::new()
        .args(["calc", "5 secnds -> ms"])
        .run()
        .failure()
        .stderr_has("unknown word `secnds`")
        .stderr_has("did you mean `seconds`?");
}

#[test]
fn errors_go_to_stderr_and_nothing_to_stdout() {
    let run = Sdi::new().args(["calc", "1 / 0"]).run();
    run.failure().stderr_has("division by zero");
    assert_eq!(run.stdout, "");
}

#[test]
fn a_leading_negative_number_is_an_expression_not_a_flag() {
    Sdi::new()
        .args(["calc", "-5", "GB", "+", "8 GB"])
        .run()
        .success()
        .stdout_has("3 GB");
}

#[test]
fn a_missing_expression_is_a_usage_error() {
    Sdi::new().args(["calc"]).run().code(2);
}

#[test]
fn an_unquoted_expression_with_an_arrow_works() {
    // What a shell passes for `sdi calc 300M users \* 50% \* 2 / day -\> req/s --json`.
    let run = Sdi::new()
        .args([
            "calc", "300M", "users", "*", "50%", "*", "2", "/", "day", "->", "req/s", "--json",
        ])
        .run();
    run.success();
    let json = run.json();
    assert_close(&json["value"], 300e6 * 0.5 * 2.0 / 86_400.0);
    assert_eq!(json["expression"], "300M users * 50% * 2 / day -> req/s");
}

/// `sdi calc SRC`: what it printed on stdout (trimmed), after checking it succeeded.
#[track_caller]
fn shown(src: &str) -> String {
    let run = Sdi::new().args(["calc", src]).run();
    run.success();
    run.stdout.trim().to_string()
}

#[test]
fn hostile_input_ends_in_an_error_never_a_crash() {
    // Each of these overflowed the stack (exit 134) or took seconds before.
    let parens = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    let calls = format!("{}1{}", "sqrt(".repeat(3400), ")".repeat(3400));
    let sum = vec!["1"; 6500].join("+");
    let word = "q".repeat(130_000);
    for src in [&parens, &calls, &sum, &word] {
        let started = std::time::Instant::now();
        Sdi::new()
            .args(["calc", src])
            .run()
            .failure()
            .stderr_has("bytes long, over the limit of 4096 (column 4097)")
            .stderr_has("help: an estimate fits on a line");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}

#[test]
fn nesting_is_limited_to_256_with_the_column() {
    let parens = format!("{}1{}", "(".repeat(300), ")".repeat(300));
    Sdi::new()
        .args(["calc", &parens])
        .run()
        .failure()
        .stderr_has("parentheses and calls nested more than 256 deep (column 257)");
    let calls = format!("{}1{}", "sqrt(".repeat(300), ")".repeat(300));
    Sdi::new()
        .args(["calc", &calls])
        .run()
        .failure()
        .stderr_has("nested more than 256 deep (column 1285)");
    // 256 levels are fine, and long chains of any operator too.
    assert_eq!(
        shown(&format!("{}1{}", "(".repeat(256), ")".repeat(256))),
        "1"
    );
    assert_eq!(shown(&vec!["1"; 2000].join("+")), "2k");
    assert_eq!(shown(&vec!["1"; 2000].join("*")), "1");
    assert_eq!(shown(&format!(" {}5", "-".repeat(3999))), "-5");
}

#[test]
fn exponents_of_units_are_checked_not_wrapped() {
    // Printed 6 before: s^512 wrapped, and cancelled out.
    Sdi::new()
        .args(["calc", "((s^8)^8)^8 * s / ((s^8)^8)^8 + 5"])
        .run()
        .failure()
        .stderr_has("the result would be in s^64, beyond the power 16")
        .stderr_has("(column 2)");
}

#[test]
fn a_result_that_cannot_be_shown_is_an_error() {
    for (src, column) in [("1e300 -> 1e-300", 10), ("1.7976931348623157e308", 1)] {
        let run = Sdi::new().args(["calc", src, "--json"]).run();
        run.failure()
            .stderr_has("the result is not a finite number")
            .stderr_has(&format!("(column {column})"));
        assert_eq!(run.stdout, "", "{src}");
    }
}

#[test]
fn the_grammar_reads_what_candidates_type() {
    for (src, expected) in [
        ("1000 / 5 / day", "200/day"),
        ("1000 / 5 per day", "200/day"),
        ("1 bn / 30 / day", "386/s"),
        ("100 / min(2, 4)", "50"),
        ("116,000 req/s", "116k req/s"),
        ("~5 GB", "5 GB"),
        ("about 100M users", "100M users"),
        ("3 x 10^5", "300k"),
        ("3×10^5", "300k"),
        ("$50M", "50M USD"),
        ("5 USD * 1M", "5M USD"),
        ("5 MBps -> MB/s", "5 MB/s"),
        ("5 msec", "5 ms"),
        ("5 / s -> per second", "5 per second"),
        // In calc, a dash between numbers is a subtraction, not a range.
        ("10-15", "-5"),
    ] {
        assert_eq!(shown(src), expected, "{src}");
    }
}

#[test]
fn an_expression_may_start_with_a_minus() {
    for args in [
        &["calc", "-5", "GB", "+", "10", "GB"][..],
        &["calc", "--", "-5", "GB", "+", "10", "GB"],
        &["calc", "-5 GB + 10 GB"],
        &["calc", "-(5 GB)", "+", "10 GB"],
    ] {
        Sdi::new().args(args).run().success().stdout_has("5 GB");
    }
    Sdi::new()
        .args(["calc", "-5 GB + 10 GB", "--json"])
        .run()
        .success()
        .stdout_has("\"display\": \"5 GB\"");
    Sdi::new()
        .args(["calc", "1", "day", "->", "s"])
        .run()
        .success()
        .stdout_has("86,400 s");
}

#[test]
fn refusals_show_the_accepted_spelling() {
    Sdi::new()
        .args(["calc", "sqrt(-4)"])
        .run()
        .failure()
        .stderr_has("cannot take the square root of a negative number (-4) (column 6)");
    Sdi::new()
        .args(["calc", "5 mbps"])
        .run()
        .failure()
        .stderr_has("`Mbps` (megabits per second) or `MBps` (megabytes per second)");
    Sdi::new()
        .args(["calc", "£5"])
        .run()
        .failure()
        .stderr_has("write `$50M`, `50M USD` or `€50M`");
    Sdi::new()
        .args(["calc", "~ GB"])
        .run()
        .failure()
        .stderr_has("`~5 GB`");
}

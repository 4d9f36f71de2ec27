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

//! The shipped problems, as a reviewer of their content would check them:
//! milestone advice that fits each problem, numbers that measure what their
//! text says, and the wrong claims the rubrics must catch.

use crate::support::{SHIPPED, Sdi, by_id, fixtures};
use serde_json::Value;

fn show(id: &str) -> Value {
    let run = Sdi::new().args(["show", id, "--json"]).run();
    run.success();
    run.json()
}

fn estimate<'a>(problem: &'a Value, id: &str) -> &'a Value {
    by_id(&problem["estimates"], id)
}

fn not_needed(problem: &Value) -> Vec<String> {
    problem["scale"]["not_needed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["item"].as_str().unwrap().to_string())
        .collect()
}

/// Grades an answer written inline (phase -> text) and returns the JSON report.
fn grade_text(problem: &str, phase: &str, text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.yaml");
    let indented: String = text.lines().map(|l| format!("    {l}\n")).collect();
    std::fs::write(&file, format!("phases:\n  {phase}: |\n{indented}")).unwrap();
    let run = Sdi::new()
        .args(["grade", problem, "--json", "--answers"])
        .args([&file])
        .run();
    run.success();
    run.json()
}

fn milestone_notes(report: &Value) -> Vec<String> {
    report["milestones"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_correct_single_primary_payments_design_is_not_told_to_shard() {
    let run = Sdi::new()
        .args(["grade", "payments", "--json", "--answers"])
        .args([fixtures().join("answers/payments/single-primary.yaml")])
        .run();
    run.success();
    let report = run.json();
    let notes = milestone_notes(&report);
    for word in ["Sharding", "Kafka", "never mentions", "Read replicas"] {
        assert!(
            notes.iter().all(|n| !n.contains(word)),
            "advice about {word}: {notes:?}"
        );
    }
    // Its rows differ from the table's, and the note says that is expected.
    let candidate = &report["milestones"]["candidate"];
    assert_eq!(candidate["consistent"], true);
    assert!(
        candidate["notes"][0]
            .as_str()
            .unwrap()
            .contains("as expected here: payments are per purchase"),
        "{candidate}"
    );
    assert!(
        candidate["metrics"]
            .as_str()
            .unwrap()
            .contains("120 RPS: row 2")
    );
    // `show` lists what the problem does not need, with why.
    let text = Sdi::new().args(["show", "payments"]).run();
    text.success()
        .stdout_has("Scaling milestones, for this problem")
        .stdout_has("not needed here: Sharding, because one relational primary");
}

#[test]
fn the_rate_limiter_is_placed_by_its_own_load_and_state() {
    let p = show("rate-limiter");
    assert_eq!(p["scale"]["users"], Value::Null, "a limiter has no users");
    assert_eq!(p["scale"]["data"], "counter_memory");
    let skip = not_needed(&p);
    for item in ["cdn", "kafka", "read-replica", "microservices"] {
        assert!(skip.contains(&item.to_string()), "{item}: {skip:?}");
    }
    let design = "The limiter is a filter in the API gateway with counters in a Redis cluster, sharded by client key.\n\
                  Each region keeps its own counters and enforces a share of the global limit.";
    let report = grade_text("rate-limiter", "high-level-design", design);
    let notes = milestone_notes(&report);
    assert!(
        notes
            .iter()
            .all(|n| !n.contains("CDN") && !n.contains("Kafka") && !n.contains("users")),
        "{notes:?}"
    );
    // Like for like: a sliding log against a counter, per key.
    let per_key = estimate(&p, "log_vs_counter_per_key");
    assert_eq!(per_key["unit"], "x");
    assert!(per_key["reference"].as_f64().unwrap() > 100.0);
    let guidance = Sdi::new().args(["show", "rate-limiter", "--key"]).run();
    guidance.success().stdout_has("token bucket");
}

#[test]
fn estimates_measure_what_their_text_says() {
    // The url shortener caches hot links, not clicks.
    let url = show("url-shortener");
    let cache = estimate(&url, "cache_memory");
    let expression = cache["expression"].as_str().unwrap();
    assert!(
        expression.contains("links_followed_per_day") && !expression.contains("read_qps"),
        "{expression}"
    );
    // Chat: every device gets each message, and receipts come back.
    let chat = show("chat");
    let deliveries = estimate(&chat, "peak_deliveries")["reference"]
        .as_f64()
        .unwrap();
    let events = estimate(&chat, "peak_push_events")["reference"]
        .as_f64()
        .unwrap();
    assert!(events >= 2.0 * deliveries, "{events} vs {deliveries}");
    let gateways = estimate(&chat, "gateway_servers");
    assert!(
        gateways["expression"]
            .as_str()
            .unwrap()
            .contains("concurrent_connections")
    );
    // News feed: the celebrity argument is the aggregate write load, which
    // is compared with the normal fan-out.
    let feed = show("news-feed");
    let celebrity = estimate(&feed, "celebrity_fanout_writes")["reference"]
        .as_f64()
        .unwrap();
    let normal = estimate(&feed, "peak_fanout_writes")["reference"]
        .as_f64()
        .unwrap();
    assert!(celebrity > normal, "{celebrity} vs {normal}");
    // Payments: availability in series with the PSP is worse than our own.
    let pay = show("payments");
    let ours = estimate(&pay, "allowed_downtime")["reference"]
        .as_f64()
        .unwrap();
    let chain = estimate(&pay, "charge_path_downtime")["reference"]
        .as_f64()
        .unwrap();
    assert!(chain > ours);
}

#[test]
fn wrong_claims_the_reviewers_found_are_caught() {
    // Vector clocks give a causal, partial order: not one agreed order.
    let report = grade_text(
        "chat",
        "deep-dive",
        "Messages in a conversation are ordered by vector clocks, so every member sees the same order.",
    );
    assert!(
        report["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| !c["contradicted"].is_null()),
        "vector clocks accepted as an order"
    );
    // A payment's status read from a lagging replica.
    let report = grade_text(
        "payments",
        "high-level-design",
        "GET /payments/{id} reads the payment status from a read replica to keep load off the primary.",
    );
    let flags: Vec<&str> = report["red_flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(flags.contains(&"money-read-from-replica"), "{flags:?}");
    // The same read from the primary raises nothing.
    let report = grade_text(
        "payments",
        "high-level-design",
        "GET /payments/{id} reads the payment status from the primary; dashboards read a replica.",
    );
    assert!(
        report["red_flags"].as_array().unwrap().is_empty(),
        "{}",
        report["red_flags"]
    );
}

#[test]
fn every_problem_says_what_it_does_not_need_and_why() {
    for id in SHIPPED {
        let p = show(id);
        let reasons = p["scale"]["not_needed"].as_array().unwrap();
        assert!(!reasons.is_empty(), "{id}");
        for r in reasons {
            assert!(r["why"].as_str().unwrap().len() > 20, "{id}: {r}");
        }
        for source in p["sources"].as_array().unwrap() {
            let source = source.as_str().unwrap();
            assert!(!source.contains(".md"), "{id} cites a local file: {source}");
        }
    }
}

//! Property tests of the engine: parsing never panics, whatever the input, and
//! what the engine shows parses back to the same value within the shown precision.

use super::{Dimension, Labels, Quantity, display::format_quantity, eval_str};
use proptest::prelude::*;

/// Token soup from the engine's own vocabulary, so generated inputs reach deep
/// into the parser instead of failing at the first character.
fn expression() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        (0u32..100_000).prop_map(|n| n.to_string()),
        (0.0f64..1e6).prop_map(|f| format!("{f}")),
        Just("1e9".to_string()),
        Just("2.5E-3".to_string()),
        Just("1_000".to_string()),
        prop::sample::select(vec![
            "k",
            "M",
            "bn",
            "T",
            "%",
            "x",
            "B",
            "b",
            "m",
            "KB",
            "GiB",
            "Gbps",
            "Mbit",
            "s",
            "ms",
            "min",
            "h",
            "day",
            "days",
            "month",
            "year",
            "users",
            "req",
            "QPS",
            "servers",
            "per",
            "to",
            "in",
            "->",
            "+",
            "-",
            "*",
            "/",
            "^",
            "(",
            ")",
            ",",
            "ceil",
            "min(",
            "sqrt(",
            "log2(",
            "max(",
            "µs",
            "foo",
            "peak_factor",
            "$",
            "→",
            "**",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(token, 0..12).prop_map(|tokens| tokens.join(" "))
}

fn dimension() -> impl Strategy<Value = Dimension> {
    prop::sample::select(vec![
        Dimension::NONE,
        Dimension::TIME,
        Dimension::RATE,
        Dimension::INFO,
        Dimension::BANDWIDTH,
    ])
}

fn labels() -> impl Strategy<Value = Labels> {
    prop::sample::select(vec![
        Labels::default(),
        Labels::single("user"),
        Labels::single("req"),
        Labels::single("req").div(&Labels::single("user")).unwrap(),
        Labels::default().div(&Labels::single("server")).unwrap(),
    ])
}

proptest! {
    #[test]
    fn any_string_gives_a_value_or_an_error(src in ".{0,40}") {
        let _ = eval_str(&src);
    }

    #[test]
    fn any_token_soup_gives_a_value_or_an_error(src in expression()) {
        if let Err(diagnostic) = eval_str(&src) {
            // Rendering the diagnostic must not panic either (spans stay in bounds).
            let _ = diagnostic.to_string();
        }
    }

    #[test]
    fn shown_text_parses_back_to_the_same_value(
        mantissa in 1.0f64..10.0,
        exponent in -8i32..16,
        negative in any::<bool>(),
        dim in dimension(),
        labels in labels(),
    ) {
        let value = mantissa * 10f64.powi(exponent) * if negative { -1.0 } else { 1.0 };
        let q = Quantity { value, dim, labels };
        let text = format_quantity(&q).text();
        let back = eval_str(&text)
            .unwrap_or_else(|d| panic!("`{text}` did not parse back: {d}"))
            .quantity;
        prop_assert_eq!(back.dim, q.dim, "{}", text);
        let relative = ((back.value - q.value) / q.value).abs();
        // 3 significant figures: at most half a unit in the third digit.
        prop_assert!(relative <= 0.0051, "{} -> {} (was {})", text, back.value, q.value);
    }
}

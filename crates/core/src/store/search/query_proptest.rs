//! Whatever the seller types (or pastes), the parser never panics and every match expression
//! it makes is FTS5 text in double quotes joined by the few operators it writes itself, so
//! nothing typed can become FTS5 syntax.

use super::query::ParsedQuery;
use proptest::prelude::*;

/// The bare text between the quoted strings of `expression`, or `None` when a quote is left
/// open (inside a string, `""` is a quote).
fn bare_text(expression: &str) -> Option<String> {
    let mut bare = String::new();
    let mut chars = expression.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, '"') => {
                quoted = true;
                bare.push(' ');
            }
            (false, c) => bare.push(c),
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
            }
            (true, '"') => {
                quoted = false;
                bare.push(' ');
            }
            (true, _) => {}
        }
    }
    (!quoted).then_some(bare)
}

fn assert_only_our_operators(expression: &str) {
    let bare = bare_text(expression).unwrap_or_else(|| panic!("open quote in {expression:?}"));
    for token in bare.split_whitespace() {
        assert!(
            matches!(
                token,
                "AND" | "*" | ":" | "sender_name" | "content" | "record_id"
            ),
            "{token:?} outside quotes in {expression:?}"
        );
    }
}

/// Typed-looking input: words, filters, quotes and FTS5 operators, in any order.
fn typed() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("buyer:".to_owned()),
        Just("order:".to_owned()),
        Just("in:".to_owned()),
        Just("\"".to_owned()),
        Just(" ".to_owned()),
        Just("*".to_owned()),
        Just("OR".to_owned()),
        Just("NEAR(".to_owned()),
        Just(")".to_owned()),
        Just("^".to_owned()),
        Just("-".to_owned()),
        Just(":".to_owned()),
        Just("😀".to_owned()),
        "[a-zA-Zé0-9]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_parse_into_quoted_expressions(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let input = String::from_utf8_lossy(&bytes);
        let parsed = ParsedQuery::parse(&input);
        for expression in [parsed.messages_match(), parsed.records_match()].into_iter().flatten() {
            assert_only_our_operators(&expression);
        }
        let _ = parsed.highlight_phrases();
    }

    #[test]
    fn typed_input_parses_into_quoted_expressions(input in typed()) {
        let parsed = ParsedQuery::parse(&input);
        for expression in [parsed.messages_match(), parsed.records_match()].into_iter().flatten() {
            assert_only_our_operators(&expression);
        }
        // Nothing asked makes no expression.
        if parsed.is_empty() {
            prop_assert_eq!(parsed.messages_match(), None);
        }
    }
}

#[test]
fn the_checker_catches_syntax_outside_quotes() {
    assert_only_our_operators("\"a\"\"b\"* AND sender_name : \"x\"*");
    assert!(bare_text("\"open").is_none());
    let caught = std::panic::catch_unwind(|| assert_only_our_operators("\"a\" OR \"b\""));
    assert!(caught.is_err());
}

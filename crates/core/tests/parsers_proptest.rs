//! The parsers that read text from outside (message links, `sellerdesk://` links from any web
//! page, the token's claims, the search box) on arbitrary bytes and on input shaped like what
//! they expect: they never panic, and what they accept keeps its promises.

use base64::Engine as _;
use proptest::prelude::*;
use sellerdesk_core::external_links::{checked_link, LinkRefused, MAX_LINK_CHARS};
use sellerdesk_core::jwt::read_claims;
use sellerdesk_core::links::{is_valid_id, target_of, MAX_ID_LEN};
use sellerdesk_core::navigation::Target;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::store::{PageRequest, Store};

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Pieces links are made of, hostile ones included, glued in any order.
fn link_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("https://".to_owned()),
        Just("http://".to_owned()),
        Just("mailto:".to_owned()),
        Just("javascript:".to_owned()),
        Just("sellerdesk://".to_owned()),
        Just("@".to_owned()),
        Just(":".to_owned()),
        Just("/".to_owned()),
        Just("?".to_owned()),
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("#".to_owned()),
        Just("%".to_owned()),
        Just("%3F".to_owned()),
        Just("%26".to_owned()),
        Just("%0A".to_owned()),
        Just("attach=".to_owned()),
        Just("bcc=".to_owned()),
        Just("to=".to_owned()),
        Just("body=".to_owned()),
        Just("paypal.com".to_owned()),
        Just("evil.test".to_owned()),
        Just("[::1]".to_owned()),
        Just("\u{202E}".to_owned()),
        Just(" ".to_owned()),
        "[a-z0-9.]{1,8}".prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|p| p.concat())
}

fn query_fields(link: &str) -> Vec<String> {
    link.split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split('=').next().unwrap_or_default().to_ascii_lowercase())
        .collect()
}

/// What every accepted link must be.
fn check_accepted(link: &str) -> Result<(), TestCaseError> {
    let url = reqwest::Url::parse(link).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    match url.scheme() {
        "http" | "https" => {
            prop_assert!(url.host_str().is_some_and(|h| !h.is_empty()));
            prop_assert!(url.username().is_empty() && url.password().is_none());
        }
        "mailto" => {
            for field in query_fields(link) {
                prop_assert!(
                    matches!(field.as_str(), "to" | "cc" | "subject" | "body"),
                    "{} kept in {}",
                    field,
                    link
                );
            }
            prop_assert!(!link.contains('#'));
        }
        other => prop_assert!(false, "scheme {} accepted", other),
    }
    // Normalized already: checking it again changes nothing.
    let again = checked_link(link);
    prop_assert_eq!(again.as_deref(), Ok(link));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn message_links_from_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(link) = checked_link(&lossy(&bytes)) {
            check_accepted(&link)?;
        }
    }

    #[test]
    fn message_links_shaped_like_links(text in link_like()) {
        match checked_link(&text) {
            Ok(link) => check_accepted(&link)?,
            Err(LinkRefused::UserInfo { host }) => prop_assert!(!host.is_empty()),
            Err(LinkRefused::NotAllowed) => {}
        }
    }

    #[test]
    fn deep_links_from_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = lossy(&bytes);
        if let Some(Target::Order(id) | Target::Conversation(id)) = target_of(&text) {
            prop_assert!(is_valid_id(&id), "{:?}", id);
        }
        let _ = target_of(&format!("sellerdesk://order/{text}"));
    }

    #[test]
    fn deep_links_with_any_id(id in "\\PC{0,200}", kind in prop_oneof![Just("order"), Just("conversation"), Just("Order")]) {
        let encoded: String = id.bytes().map(|b| format!("%{b:02X}")).collect();
        let target = target_of(&format!("sellerdesk://{kind}/{encoded}"));
        if is_valid_id(&id) {
            let expected = if kind.eq_ignore_ascii_case("order") {
                Target::Order(id.clone())
            } else {
                Target::Conversation(id.clone())
            };
            prop_assert_eq!(target, Some(expected));
        } else {
            prop_assert_eq!(target, None);
        }
        prop_assert!(id.len() <= MAX_ID_LEN || !is_valid_id(&id));
    }

    #[test]
    fn token_claims_from_any_text(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Some(token) = Token::new(lossy(&bytes)) {
            if let Some(claims) = read_claims(&token) {
                let _ = claims.expires_at();
            }
        }
    }

    #[test]
    fn token_claims_from_any_payload(
        payload in prop::collection::vec(any::<u8>(), 0..256),
        sub in proptest::option::of("\\PC{0,40}"),
        exp in proptest::option::of(any::<i64>()),
        json in any::<bool>(),
    ) {
        let body = if json {
            serde_json::to_vec(&serde_json::json!({"sub": sub, "exp": exp})).unwrap_or_default()
        } else {
            payload
        };
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&body);
        let token = Token::new(format!("e30.{encoded}.sig")).ok_or_else(|| TestCaseError::fail("token"))?;
        let claims = read_claims(&token);
        if json {
            let claims = claims.ok_or_else(|| TestCaseError::fail("claims"))?;
            prop_assert_eq!(&claims.sub, &sub);
            prop_assert_eq!(claims.exp, exp);
            // Any expiry, however far, reads without overflow.
            let _ = claims.expires_at();
        }
    }
}

#[test]
fn a_link_at_the_length_cap_is_still_checked() {
    let at_cap = format!("https://e.test/{}", "a".repeat(MAX_LINK_CHARS - 15));
    assert_eq!(at_cap.chars().count(), MAX_LINK_CHARS);
    assert!(checked_link(&at_cap).is_ok());
}

/// Search runs what the parser makes against the real FTS5 index: no input is a syntax error.
#[test]
fn search_accepts_any_input() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("dir");
    let store = runtime.block_on(Store::open(dir.path())).expect("store");
    // Found by this test: FTS5 reads a NUL in a quoted string as its end.
    for query in ["\0", "a\0b", "\"\0", "buyer:\0x", "order:a\0"] {
        let found = runtime.block_on(store.search(query, PageRequest::new(10, 0)));
        assert!(found.is_ok(), "{query:?}: {:?}", found.err());
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(256));
    let input = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200).prop_map(|b| lossy(&b)),
        prop::collection::vec(
            prop_oneof![
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
                Just("😀".to_owned()),
                Just("'".to_owned()),
                "[a-z0-9]{1,5}".prop_map(String::from),
            ],
            0..16
        )
        .prop_map(|p| p.concat()),
    ];
    runner
        .run(&input, |query| {
            let found = runtime.block_on(store.search(&query, PageRequest::new(10, 0)));
            prop_assert!(found.is_ok(), "{:?}: {:?}", query, found.err());
            Ok(())
        })
        .expect("search never fails on what the seller types");
    runtime.block_on(store.close());
}

//! `sellerdesk://` links: `sellerdesk://order/<id>` and `sellerdesk://conversation/<id>` open
//! that order or conversation. Any web page can open such a link, so the id is bounded in
//! length and characters before anything looks it up or shows it.

use crate::navigation::Target;
use crate::percent::percent_decode;
use crate::store::{Store, StoreError};

/// The URL scheme the app registers with the OS.
pub const SCHEME: &str = "sellerdesk";

/// The longest id a link may name (the marketplace's ids are far shorter).
pub const MAX_ID_LEN: usize = 128;
/// The longest link looked at at all: scheme, kind, an id of [`MAX_ID_LEN`] fully
/// percent-encoded, and a query or fragment that is ignored.
const MAX_LINK_LEN: usize = 1_024;

/// The characters an id may have: the marketplace's ids are ASCII words with `-`, `_`, `.`
/// and `:`. Nothing that could act in a label, a query or a log line.
pub fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
}

/// Whether `id` is one a link may name.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.chars().all(is_id_char)
}

/// Where a link leads; `None` for anything that is not one of ours.
pub fn target_of(link: &str) -> Option<Target> {
    let link = link.trim();
    if link.len() > MAX_LINK_LEN {
        return None;
    }
    let rest = link.strip_prefix(SCHEME)?.strip_prefix("://")?;
    // A trailing slash, a query or a fragment carry nothing for us.
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (kind, id) = rest.trim_end_matches('/').split_once('/')?;
    let id = percent_decode(id)?;
    if !is_valid_id(&id) {
        return None;
    }
    match kind.to_ascii_lowercase().as_str() {
        "order" => Some(Target::Order(id)),
        "conversation" => Some(Target::Conversation(id)),
        _ => None,
    }
}

/// Whether the cache holds what `target` names (the views without an id always exist).
pub async fn in_cache(store: &Store, target: &Target) -> Result<bool, StoreError> {
    match target {
        Target::Order(id) => store.has_order(id).await,
        Target::Conversation(id) => store.has_conversation(id).await,
        Target::Orders | Target::Inbox | Target::Notifications => Ok(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_and_conversations() {
        assert_eq!(
            target_of("sellerdesk://order/ORD-1001"),
            Some(Target::Order("ORD-1001".into()))
        );
        assert_eq!(
            target_of("sellerdesk://conversation/conv%2Done/"),
            Some(Target::Conversation("conv-one".into()))
        );
        let longest = "a".repeat(MAX_ID_LEN);
        assert_eq!(
            target_of(&format!("sellerdesk://order/{longest}")),
            Some(Target::Order(longest))
        );
        assert_eq!(
            target_of("sellerdesk://Order/ord-1?from=mail#x"),
            Some(Target::Order("ord-1".into()))
        );
    }

    #[test]
    fn anything_else_is_not_a_link_of_ours() {
        for link in [
            "https://order/1",
            "sellerdesk://order/",
            "sellerdesk://order",
            "sellerdesk://listing/1",
            "sellerdesk://order/a/b",
            "sellerdesk://order/%zz",
            "sellerdesk://order/%2F",
            "sellerdesk:order/1",
            "",
        ] {
            assert_eq!(target_of(link), None, "{link}");
        }
    }

    #[test]
    fn ids_are_bounded_in_length_and_characters() {
        let too_long = "a".repeat(MAX_ID_LEN + 1);
        for link in [
            format!("sellerdesk://order/{too_long}"),
            format!("sellerdesk://order/1?{}", "x".repeat(MAX_LINK_LEN)),
            "sellerdesk://conversation/conv%20one".into(),
            "sellerdesk://order/%3Cimg%20src%3Dx%3E".into(),
            "sellerdesk://order/a%1B%5D0%3Bpwned%07".into(),
            "sellerdesk://order/%E2%80%AEfdp.exe".into(),
            "sellerdesk://order/caf%C3%A9".into(),
            "sellerdesk://order/a%00b".into(),
            "sellerdesk://order/..%5C..%5Cx".into(),
        ] {
            assert_eq!(target_of(&link), None, "{link}");
        }
        assert!(is_valid_id("ord_1.2:3-X"));
        assert!(!is_valid_id(""));
    }
}

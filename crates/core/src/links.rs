//! `sellerdesk://` links: `sellerdesk://order/<id>` and `sellerdesk://conversation/<id>` open
//! that order or conversation.

use crate::alerts::Target;

/// The URL scheme the app registers with the OS.
pub const SCHEME: &str = "sellerdesk";

/// Where a link leads; `None` for anything that is not one of ours.
pub fn target_of(link: &str) -> Option<Target> {
    let rest = link.trim().strip_prefix(SCHEME)?.strip_prefix("://")?;
    // A trailing slash, a query or a fragment carry nothing for us.
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (kind, id) = rest.trim_end_matches('/').split_once('/')?;
    let id = percent_decode(id)?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    match kind.to_ascii_lowercase().as_str() {
        "order" => Some(Target::Order(id)),
        "conversation" => Some(Target::Conversation(id)),
        _ => None,
    }
}

/// `%2F`-style escapes; `None` when they do not make valid UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
            target_of("sellerdesk://conversation/conv%20one/"),
            Some(Target::Conversation("conv one".into()))
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
}

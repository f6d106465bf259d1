//! Links found in messages, opened in the system browser or mail client: only `http`, `https`
//! and `mailto`, and only absolute URLs. Everything else (`javascript:`, `file:`, `data:`, our
//! own `sellerdesk:`, relative paths, …) is refused, whatever the UI sent. A web link whose
//! address carries a user name (`https://paypal.com@evil.test/`) is refused: it opens the host
//! after the `@`, and the part before only makes it look like another site. A `mailto:` link is
//! rebuilt from its recipients and the `to`, `cc`, `subject` and `body` fields alone, so a
//! buyer's link cannot make the mail client attach a local file (`attach=`) or add hidden
//! recipients.

use crate::percent::percent_decode;
use reqwest::Url;

/// Longer "links" are refused: no browser needs them, and they only hide what they are.
pub const MAX_LINK_CHARS: usize = 8_192;

/// The `mailto:` fields that are kept; every other one is dropped.
const MAILTO_FIELDS: [&str; 4] = ["to", "cc", "subject", "body"];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LinkRefused {
    #[error("only http, https and mailto links can be opened")]
    NotAllowed,
    /// Names the host the link really opens.
    #[error(
        "this link was not opened: it would open {host}, and the text before the @ only \
         makes it look like another site"
    )]
    UserInfo { host: String },
}

impl LinkRefused {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAllowed => "LINK_REFUSED",
            Self::UserInfo { .. } => "LINK_USERINFO_REFUSED",
        }
    }
}

/// The link to hand to the OS, normalized (`HTTP://Example.com` becomes
/// `http://example.com/`, a `mailto:` rebuilt), or [`LinkRefused`].
pub fn checked_link(link: &str) -> Result<String, LinkRefused> {
    let link = link.trim();
    if link.is_empty() || link.chars().count() > MAX_LINK_CHARS {
        return Err(LinkRefused::NotAllowed);
    }
    let url = Url::parse(link).map_err(|_| LinkRefused::NotAllowed)?;
    match url.scheme() {
        "http" | "https" => web_link(url),
        "mailto" => mail_link(&url),
        _ => Err(LinkRefused::NotAllowed),
    }
}

fn web_link(url: Url) -> Result<String, LinkRefused> {
    let host = match url.host_str() {
        Some(host) if !host.is_empty() => host.to_owned(),
        _ => return Err(LinkRefused::NotAllowed),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(LinkRefused::UserInfo { host });
    }
    Ok(url.into())
}

/// `mailto:` with the recipients as written (still percent-encoded) and the kept fields in
/// their order; a fragment and every other field are dropped.
fn mail_link(url: &Url) -> Result<String, LinkRefused> {
    let recipients = url.path();
    // Decoded, the recipients are addresses: a `?` or `&` hidden behind `%3F`/`%26` would be
    // read as more fields by some mail clients, and controls and spaces have no place there.
    let decoded = percent_decode(recipients).ok_or(LinkRefused::NotAllowed)?;
    if decoded.contains(['?', '&', '#'])
        || decoded.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(LinkRefused::NotAllowed);
    }
    let mut fields = Vec::new();
    let mut has_to = false;
    for pair in url.query().unwrap_or_default().split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(key) = percent_decode(key).map(|k| k.to_ascii_lowercase()) else {
            continue;
        };
        if let Some(kept) = MAILTO_FIELDS.iter().find(|f| **f == key) {
            has_to |= *kept == "to" && !value.is_empty();
            // The value stays as the URL parser encoded it: valid, and never re-read as `+`.
            fields.push(format!("{kept}={value}"));
        }
    }
    if recipients.is_empty() && !has_to {
        return Err(LinkRefused::NotAllowed);
    }
    let mut rebuilt = format!("mailto:{recipients}");
    if !fields.is_empty() {
        rebuilt.push('?');
        rebuilt.push_str(&fields.join("&"));
    }
    Ok(rebuilt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_and_mail_links_open() {
        assert_eq!(
            checked_link("https://example.com/a?b=1#c").as_deref(),
            Ok("https://example.com/a?b=1#c")
        );
        assert_eq!(
            checked_link("  http://example.com  ").as_deref(),
            Ok("http://example.com/")
        );
        assert_eq!(
            checked_link("HTTP://Example.COM/Path").as_deref(),
            Ok("http://example.com/Path")
        );
        assert_eq!(
            checked_link("HTTPS://example.com").as_deref(),
            Ok("https://example.com/")
        );
        assert_eq!(
            checked_link("mailto:buyer@example.com?subject=Order").as_deref(),
            Ok("mailto:buyer@example.com?subject=Order")
        );
        assert_eq!(
            checked_link("MailTo:buyer@example.com").as_deref(),
            Ok("mailto:buyer@example.com")
        );
    }

    #[test]
    fn every_other_scheme_and_relative_links_are_refused() {
        for link in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "file:///etc/passwd",
            "file://host/share",
            "data:text/html,<script>alert(1)</script>",
            "sellerdesk://order/1",
            "vbscript:msgbox",
            "ftp://example.com/file",
            "smb://server/share",
            "tel:+15551234",
            "/relative/path",
            "www.example.com",
            "example.com",
            "//example.com/protocol-relative",
            "http://",
            "mailto:",
            "",
            "   ",
        ] {
            assert_eq!(checked_link(link), Err(LinkRefused::NotAllowed), "{link:?}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_LINK_CHARS));
        assert_eq!(checked_link(&long), Err(LinkRefused::NotAllowed));
        assert_eq!(LinkRefused::NotAllowed.code(), "LINK_REFUSED");
    }
    #[test]
    fn mailto_keeps_recipients_to_cc_subject_and_body_only() {
        assert_eq!(
            checked_link(
                "mailto:buyer@example.com?subject=Order%201&attach=/home/me/.ssh/id_rsa\
                 &Body=Hi+there&bcc=spy@evil.test&cc=boss@example.com&ATTACHMENT=x#frag"
            )
            .as_deref(),
            Ok("mailto:buyer@example.com?subject=Order%201&body=Hi+there&cc=boss@example.com")
        );
        assert_eq!(
            checked_link("mailto:?to=a@example.com&attach=file:///etc/passwd").as_deref(),
            Ok("mailto:?to=a@example.com")
        );
        assert_eq!(
            checked_link("mailto:a@example.com,b@example.com").as_deref(),
            Ok("mailto:a@example.com,b@example.com")
        );
        for link in [
            "mailto:?attach=/etc/passwd",
            "mailto:?to=",
            "mailto:a@example.com%3Fattach=/etc/passwd",
            "mailto:a@example.com%26attach=x",
            "mailto:a@example.com%0Abcc:x@evil.test",
            "mailto: ?",
            "mailto:a%20b@example.com",
        ] {
            assert_eq!(checked_link(link), Err(LinkRefused::NotAllowed), "{link}");
        }
    }

    #[test]
    fn a_user_name_before_the_host_is_refused_naming_the_real_host() {
        for (link, host) in [
            ("https://paypal.com@evil.test/", "evil.test"),
            ("https://paypal.com:login@evil.test/pay", "evil.test"),
            ("http://user@Example.COM", "example.com"),
            ("https://@evil.test/", "evil.test"),
        ] {
            let refused = checked_link(link);
            if link == "https://@evil.test/" {
                // An empty user name is no user name: the URL is the plain host.
                assert_eq!(refused.as_deref(), Ok("https://evil.test/"));
                continue;
            }
            let refused = refused.expect_err(link);
            assert_eq!(
                refused,
                LinkRefused::UserInfo {
                    host: host.to_owned()
                }
            );
            assert_eq!(refused.code(), "LINK_USERINFO_REFUSED");
            assert!(refused.to_string().contains(host), "{refused}");
        }
    }
}

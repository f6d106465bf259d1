//! Links found in messages, opened in the system browser or mail client: only `http`, `https`
//! and `mailto`, and only absolute URLs. Everything else (`javascript:`, `file:`, `data:`, our
//! own `sellerdesk:`, relative paths, …) is refused, whatever the UI sent.

use reqwest::Url;

/// Longer "links" are refused: no browser needs them, and they only hide what they are.
pub const MAX_LINK_CHARS: usize = 8_192;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("only http, https and mailto links can be opened")]
pub struct LinkRefused;

impl LinkRefused {
    pub fn code(&self) -> &'static str {
        "LINK_REFUSED"
    }
}

/// The link to hand to the OS, normalized (`HTTP://Example.com` becomes
/// `http://example.com/`), or [`LinkRefused`].
pub fn checked_link(link: &str) -> Result<String, LinkRefused> {
    let link = link.trim();
    if link.is_empty() || link.chars().count() > MAX_LINK_CHARS {
        return Err(LinkRefused);
    }
    let url = Url::parse(link).map_err(|_| LinkRefused)?;
    let ok = match url.scheme() {
        "http" | "https" => url.host_str().is_some_and(|host| !host.is_empty()),
        "mailto" => !url.path().is_empty(),
        _ => false,
    };
    if ok {
        Ok(url.into())
    } else {
        Err(LinkRefused)
    }
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
            assert_eq!(checked_link(link), Err(LinkRefused), "{link:?}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_LINK_CHARS));
        assert_eq!(checked_link(&long), Err(LinkRefused));
        assert_eq!(LinkRefused.code(), "LINK_REFUSED");
    }
}

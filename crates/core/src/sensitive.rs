//! A wrapper that keeps secrets out of `Debug`, `Display` and serialized output.

use std::fmt;

/// An access token. Its text is reachable only through [`Token::expose`], so it cannot slip
/// into a log line, a panic message or UI state by formatting.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Accepts the raw JWT, with or without a `Bearer ` prefix, trimmed of whitespace.
    pub fn new(raw: impl Into<String>) -> Option<Self> {
        let raw = raw.into();
        let text = raw.trim();
        // "Bearer" followed by nothing or by whitespace is the scheme, not the token.
        let text = match text.strip_prefix("Bearer") {
            Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => rest.trim(),
            _ => text,
        };
        if text.is_empty() || text.chars().any(char::is_whitespace) {
            return None;
        }
        Some(Self(text.to_owned()))
    }

    /// The raw token. Call sites are few and reviewed: the keychain and the handshake.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The handshake value the marketplace expects: `Bearer <jwt>`.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_the_secret() {
        let token = Token::new("Bearer abc.def.ghi").expect("valid");
        assert_eq!(token.expose(), "abc.def.ghi");
        assert_eq!(token.bearer(), "Bearer abc.def.ghi");
        assert!(!format!("{token:?} {token}").contains("abc"));
    }

    #[test]
    fn rejects_empty_and_spaced_tokens() {
        assert!(Token::new("  ").is_none());
        assert!(Token::new("Bearer ").is_none());
        assert!(Token::new("a b").is_none());
        assert_eq!(
            Token::new(" t0k\n").map(|t| t.expose().to_owned()),
            Some("t0k".into())
        );
    }
}

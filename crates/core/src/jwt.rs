//! Reads a JWT's claims without verifying it: the client only needs who it is and when it expires.

use crate::sensitive::Token;
use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Claims {
    /// The seller's user id.
    pub sub: Option<String>,
    /// Expiry, epoch seconds.
    pub exp: Option<i64>,
}

impl Claims {
    /// When the token runs out, if it says (read, not verified: only the server decides).
    pub fn expires_at(&self) -> Option<sellerdesk_protocol::Timestamp> {
        self.exp
            .and_then(|seconds| seconds.checked_mul(1000))
            .and_then(sellerdesk_protocol::Timestamp::from_millis)
    }
}

/// The claims, or `None` for a token that is not a readable JWT (opaque tokens are allowed).
pub fn read_claims(token: &Token) -> Option<Claims> {
    let payload = token.expose().split('.').nth(1)?;
    let bytes = base64url_decode(payload)?;
    serde_json::from_slice(&bytes).ok()
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_subject_and_expiry() {
        // {"alg":"none"} . {"sub":"seller-1","exp":1795675749} . sig
        let token =
            Token::new("eyJhbGciOiJub25lIn0.eyJzdWIiOiJzZWxsZXItMSIsImV4cCI6MTc5NTY3NTc0OX0.c2ln")
                .expect("token");
        let claims = read_claims(&token).expect("claims");
        assert_eq!(claims.sub.as_deref(), Some("seller-1"));
        assert_eq!(claims.exp, Some(1_795_675_749));
        assert_eq!(
            claims.expires_at().map(|t| t.to_iso()).as_deref(),
            Some("2026-11-26T06:49:09.000Z")
        );
    }

    #[test]
    fn opaque_tokens_have_no_claims() {
        assert_eq!(read_claims(&Token::new("opaque").expect("token")), None);
        assert_eq!(read_claims(&Token::new("a.%%%.c").expect("token")), None);
    }
}

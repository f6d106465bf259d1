//! Handshake authentication: issued JWTs and the `{token: "Bearer <jwt>"}` check.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

/// How long an issued token claims to be valid.
const TOKEN_LIFETIME_SECS: i64 = 30 * 24 * 3600;

/// Why a handshake was refused. Every variant is shown to the client as `AUTH_FAILED`; the
/// detail only reaches the simulator's log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("AUTH_FAILED")]
    MissingToken,
    #[error("AUTH_FAILED")]
    NotBearer,
    #[error("AUTH_FAILED")]
    UnknownToken,
}

impl AuthError {
    /// The reason, for logs.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MissingToken => "no auth.token in the handshake",
            Self::NotBearer => "auth.token lacks the `Bearer ` prefix",
            Self::UnknownToken => "token was not issued by this simulator",
        }
    }
}

/// The set of accepted tokens.
#[derive(Debug, Default)]
pub struct TokenStore {
    tokens: Mutex<HashSet<String>>,
}

impl TokenStore {
    pub fn new(tokens: impl IntoIterator<Item = String>) -> Self {
        Self {
            tokens: Mutex::new(tokens.into_iter().collect()),
        }
    }

    /// Accepts `token` (a raw JWT, without `Bearer `) from now on.
    pub fn add(&self, token: impl Into<String>) {
        self.tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(token.into());
    }

    pub fn contains(&self, token: &str) -> bool {
        self.tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(token)
    }

    /// Makes a well-formed (but not verifiable) JWT for `subject`, accepted from now on.
    pub fn issue(&self, subject: &str) -> String {
        let token = make_jwt(subject, chrono::Utc::now().timestamp());
        self.add(token.clone());
        token
    }

    /// Checks the handshake's `auth` object.
    pub fn check(&self, auth: &Value) -> Result<(), AuthError> {
        let header = auth
            .get("token")
            .and_then(Value::as_str)
            .ok_or(AuthError::MissingToken)?;
        let token = header.strip_prefix("Bearer ").ok_or(AuthError::NotBearer)?;
        if self.contains(token.trim()) {
            Ok(())
        } else {
            Err(AuthError::UnknownToken)
        }
    }
}

/// `base64url(header).base64url(claims).base64url(signature)`, as a marketplace would issue.
/// The signature is random bytes: nobody verifies it, the client only reads the claims.
pub fn make_jwt(subject: &str, issued_at: i64) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let jti = uuid::Uuid::new_v4();
    let claims = json!({
        "sub": subject,
        "iss": "marketplace-sim",
        "role": "seller",
        "iat": issued_at,
        "exp": issued_at + TOKEN_LIFETIME_SECS,
        "jti": jti.to_string(),
    });
    let signature = [*uuid::Uuid::new_v4().as_bytes(), *jti.as_bytes()].concat();
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_token_is_a_readable_jwt() {
        let store = TokenStore::default();
        let token = store.issue("seller-1");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
        assert_eq!(claims["sub"], "seller-1");
        let iat = claims["iat"].as_i64().expect("iat");
        assert_eq!(claims["exp"].as_i64(), Some(iat + TOKEN_LIFETIME_SECS));
        assert!(store
            .check(&json!({"token": format!("Bearer {token}")}))
            .is_ok());
    }

    #[test]
    fn refuses_everything_else() {
        let store = TokenStore::new(["good".to_owned()]);
        assert_eq!(store.check(&json!({})), Err(AuthError::MissingToken));
        assert_eq!(store.check(&Value::Null), Err(AuthError::MissingToken));
        assert_eq!(
            store.check(&json!({"token": 5})),
            Err(AuthError::MissingToken)
        );
        assert_eq!(
            store.check(&json!({"token": "good"})),
            Err(AuthError::NotBearer)
        );
        assert_eq!(
            store.check(&json!({"token": "Bearer bad"})),
            Err(AuthError::UnknownToken)
        );
        assert!(store.check(&json!({"token": "Bearer good"})).is_ok());
        assert_eq!(AuthError::UnknownToken.to_string(), "AUTH_FAILED");
    }
}

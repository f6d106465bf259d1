//! The one error type every command returns. It reaches the UI as `{code, message}`, where
//! `code` is stable (the UI branches on it) and `message` is for people.

use sellerdesk_core::account::AccountError;
use sellerdesk_core::attachments::AttachmentError;
use sellerdesk_core::credentials::CredentialError;
use sellerdesk_core::external_links::LinkRefused;
use sellerdesk_core::store::StoreError;
use serde::{Serialize, Serializer};
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Credential(#[from] CredentialError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Attachment(#[from] AttachmentError),
    #[error(transparent)]
    LinkRefused(#[from] LinkRefused),
    #[error(transparent)]
    DataDir(#[from] sellerdesk_core::paths::DataDirError),
    #[error("cannot open the link: {0}")]
    OpenLink(String),
    #[error("not signed in")]
    NotSignedIn,
    #[error("already signed in to {0}; sign out first")]
    AlreadySignedIn(String),
    #[error("demo mode has no account to sign in to or out of")]
    DemoMode,
    #[error("the token is empty or contains spaces")]
    InvalidToken,
    #[error("the server address must start with http:// or https://")]
    InvalidServer,
    #[error("a message cannot be empty")]
    EmptyMessage,
    #[error("no app-data folder on this system; start with --data-dir DIR")]
    NoDataDir,
    #[error("the demo marketplace could not start: {0}")]
    DemoServer(String),
    #[error("this build of Seller Desk has no demo marketplace (it was built without the `demo` feature)")]
    DemoUnavailable,
    #[error("cannot change start at login: {0}")]
    StartAtLogin(String),
    #[error("cannot save the settings in {path}: {source}")]
    Settings {
        path: String,
        source: std::io::Error,
    },
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::Credential(e) => e.code(),
            Self::Account(e) => e.code(),
            Self::Attachment(e) => e.code(),
            Self::LinkRefused(e) => e.code(),
            Self::DataDir(e) => e.code(),
            Self::OpenLink(_) => "LINK_OPEN_FAILED",
            Self::NotSignedIn => "NOT_SIGNED_IN",
            Self::AlreadySignedIn(_) => "ALREADY_SIGNED_IN",
            Self::DemoMode => "DEMO_MODE",
            Self::InvalidToken => "INVALID_TOKEN",
            Self::InvalidServer => "INVALID_SERVER",
            Self::EmptyMessage => "EMPTY_MESSAGE",
            Self::NoDataDir => "NO_DATA_DIR",
            Self::DemoServer(_) => "DEMO_SERVER_FAILED",
            Self::DemoUnavailable => "DEMO_UNAVAILABLE",
            Self::StartAtLogin(_) => "START_AT_LOGIN_FAILED",
            Self::Settings { source, .. } if source.raw_os_error() == Some(28) => "DISK_FULL",
            Self::Settings { .. } => "SETTINGS_NOT_SAVED",
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code().to_owned(),
            message: self.to_string(),
        }
    }
}

/// What the UI receives for an [`AppError`] (a rejected command, or a startup failure).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export, rename = "AppError")]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let json = serde_json::to_value(AppError::Store(StoreError::NotFound(
            "conversation c1".into(),
        )))
        .expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({"code": "NOT_FOUND", "message": "conversation c1 not found"})
        );
        let json = serde_json::to_value(AppError::Account(AccountError::Rejected(
            "AUTH_FAILED".into(),
        )))
        .expect("serialize");
        assert_eq!(json["code"], "AUTH_FAILED");
    }
}

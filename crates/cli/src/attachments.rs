//! `attachments MESSAGE_ID` and `attachment save MESSAGE_ID URL`: a cached message's
//! attachments, and saving one of them, with the app's download policy (nothing local or
//! private but the signed-in marketplace's own host, a second confirmation for types that run
//! when opened, never replacing a file).

use crate::output::{self, say};
use crate::CliError;
use sellerdesk_core::account;
use sellerdesk_core::attachments::{self, AttachmentError, Attachments, Scope};
use sellerdesk_core::models::AttachmentView;
use sellerdesk_core::store::Store;
use std::path::{Path, PathBuf};

fn attachment_failed(e: AttachmentError) -> CliError {
    CliError::Failed(format!("{}: {e}", e.code()))
}

/// `attachments MESSAGE_ID [--json]`.
pub async fn list(store: &Store, message_id: &str, json: bool) -> Result<(), CliError> {
    let found = attachments::message_attachments(store, message_id)
        .await
        .map_err(|e| CliError::Failed(format!("{}: {e}", e.code())))?
        .ok_or_else(|| {
            CliError::Failed("MESSAGE_NOT_FOUND: no cached message has that id".into())
        })?;
    let views: Vec<AttachmentView> = found.into_iter().map(AttachmentView::from).collect();
    if json {
        output::json(&views);
        return Ok(());
    }
    for view in &views {
        let size = view
            .attachment
            .size
            .map(|s| format!("{s} bytes"))
            .unwrap_or_else(|| "size unknown".into());
        let kind = serde_json::to_value(&view.attachment.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        say!(
            "{}  {kind}  {size}  {}",
            view.display_name,
            view.attachment.url
        );
    }
    Ok(())
}

/// What `attachment save` was asked.
pub struct SaveRequest<'a> {
    pub message_id: &'a str,
    pub url: &'a str,
    pub to: Option<PathBuf>,
    pub json: bool,
    pub allow_executable: bool,
}

/// `attachment save MESSAGE_ID URL [--to DIR] [--json] [--allow-executable]`: prints the saved
/// file's path (`{"path": …}` with `--json`).
pub async fn save(
    data_dir: &Path,
    store: &Store,
    request: SaveRequest<'_>,
) -> Result<(), CliError> {
    // Only what the named message carries (nothing is requested otherwise).
    let carried = attachments::message_attachments(store, request.message_id)
        .await
        .map_err(|e| CliError::Failed(format!("{}: {e}", e.code())))?
        .unwrap_or_default()
        .into_iter()
        .find(|a| a.url == request.url)
        .ok_or_else(|| attachment_failed(AttachmentError::Unknown))?;
    let dest = match request.to {
        Some(dir) => dir,
        None => downloads_folder()?,
    };
    let server = account::load_account(data_dir).map(|a| a.server);
    let scope = Scope::new(data_dir, server.as_deref());
    let saved = Attachments::new()
        .save(
            scope,
            request.url,
            carried.name.as_deref(),
            &dest,
            request.allow_executable,
        )
        .await
        .map_err(|e| match e {
            AttachmentError::NeedsConfirmation { .. } => CliError::Failed(format!(
                "{}: {e} (pass --allow-executable to save it anyway)",
                e.code()
            )),
            other => attachment_failed(other),
        })?;
    let path = saved.display().to_string();
    if request.json {
        output::json(&serde_json::json!({ "path": path }));
    } else {
        say!("{path}");
    }
    Ok(())
}

/// The seller's Downloads folder.
fn downloads_folder() -> Result<PathBuf, CliError> {
    dirs::download_dir().ok_or_else(|| {
        CliError::Failed(
            "NO_DOWNLOADS_FOLDER: this system names no Downloads folder; pass --to DIR".into(),
        )
    })
}

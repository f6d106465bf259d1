//! The commands the UI invokes. Each is glue between the IPC arguments and [`AppState`]; reads
//! come from the local cache, so they work while the server is unreachable.

use crate::bridge::LocalChange;
use crate::error::AppError;
use crate::preferences::DesktopPreferences;
use crate::state::{AppInfo, AppState};
use crate::ui_event::UiEvent;
use sellerdesk_core::alerts::NotificationSettings;
use sellerdesk_core::models::{
    CacheStats, ClearReport, ConversationView, ListingView, NotificationView, OrderDetail,
    OrderView, OutboxItem, SearchResult,
};
use sellerdesk_core::pages;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::store::{PageRequest, ThreadAnchor, ThreadPage};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State, Webview};

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    Ok(state.info().await)
}

/// The newest conversations first, a page at a time (`limit` defaults to
/// `pages::CONVERSATIONS`): a big cache has thousands, and each row carries its unread count.
#[tauri::command]
pub async fn list_conversations(
    state: State<'_, AppState>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<ConversationView>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(pages::CONVERSATIONS), offset.unwrap_or(0));
    Ok(state.store().await?.conversations_page(page).await?)
}

/// How many conversations have unread buyer messages (the inbox badge).
#[tauri::command]
pub async fn count_unread_conversations(state: State<'_, AppState>) -> Result<i64, AppError> {
    Ok(state.store().await?.unread_conversations().await?)
}

/// A page of a thread (the newest when no anchor is given); the UI keeps only a window of a long
/// thread, never all of it.
#[tauri::command]
pub async fn list_messages(
    state: State<'_, AppState>,
    conversation_id: String,
    anchor: Option<ThreadAnchor>,
    limit: Option<u32>,
) -> Result<ThreadPage, AppError> {
    let anchor = anchor.unwrap_or(ThreadAnchor::Newest);
    Ok(state
        .store()
        .await?
        .thread_page(&conversation_id, &anchor, limit.unwrap_or(pages::THREAD))
        .await?)
}

/// Marks a conversation read; the windows then get its id and the new unread counts.
#[tauri::command]
pub async fn mark_conversation_read(
    state: State<'_, AppState>,
    conversation_id: String,
) -> Result<(), AppError> {
    state
        .store()
        .await?
        .mark_conversation_read(&conversation_id)
        .await?;
    state
        .note(LocalChange::ConversationRead(conversation_id))
        .await;
    Ok(())
}

/// Queues the message (it shows at once as `queued`) and lets the engine send it.
#[tauri::command]
pub async fn send_message(
    state: State<'_, AppState>,
    conversation_id: String,
    content: String,
) -> Result<OutboxItem, AppError> {
    if content.trim().is_empty() {
        return Err(AppError::EmptyMessage);
    }
    state.send_message(&conversation_id, &content).await
}

/// Sends a message the server refused once more (the seller pressed Retry on it).
#[tauri::command]
pub async fn retry_message(
    state: State<'_, AppState>,
    client_message_id: String,
) -> Result<(), AppError> {
    state.retry_message(&client_message_id).await
}

/// Searches the cache (messages, buyer names, order and listing ids; `buyer:`, `order:` and
/// `in:` filters). Any input is accepted; `pages::SEARCH` results a page unless `limit` says
/// otherwise.
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<SearchResult>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(pages::SEARCH), offset.unwrap_or(0));
    Ok(state.store().await?.search(&query, page).await?)
}

#[tauri::command]
pub async fn notification_settings(
    state: State<'_, AppState>,
) -> Result<NotificationSettings, AppError> {
    state.notification_settings().await
}

#[tauri::command]
pub async fn set_notification_settings(
    state: State<'_, AppState>,
    settings: NotificationSettings,
) -> Result<(), AppError> {
    state.set_notification_settings(settings).await
}

/// The conversation on screen (none when another view is): while the window has focus its
/// messages do not notify, and the backend marks it read as they arrive.
#[tauri::command]
pub fn set_open_conversation(state: State<'_, AppState>, conversation_id: Option<String>) {
    state.focus().set_open_conversation(conversation_id);
}

#[tauri::command]
pub async fn desktop_preferences(
    state: State<'_, AppState>,
) -> Result<DesktopPreferences, AppError> {
    Ok(state.desktop_preferences().await)
}

/// Saves the preferences and turns start at login on or off to match.
#[tauri::command]
pub async fn set_desktop_preferences<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    preferences: DesktopPreferences,
) -> Result<(), AppError> {
    state.set_desktop_preferences(&preferences).await?;
    crate::desktop::set_start_at_login(&app, preferences.start_at_login)
        .map_err(AppError::StartAtLogin)
}

/// Listings, low or out of stock first, a page at a time (`pages::LISTINGS` unless `limit` says
/// otherwise).
#[tauri::command]
pub async fn list_listings(
    state: State<'_, AppState>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<ListingView>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(pages::LISTINGS), offset.unwrap_or(0));
    Ok(state.store().await?.listings(page).await?)
}

/// The notification center: unread first; expired system notifications are left out.
#[tauri::command]
pub async fn list_notifications(
    state: State<'_, AppState>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<NotificationView>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(pages::NOTIFICATIONS), offset.unwrap_or(0));
    Ok(state.store().await?.notifications(page).await?)
}

#[tauri::command]
pub async fn count_unread_notifications(state: State<'_, AppState>) -> Result<i64, AppError> {
    Ok(state.store().await?.unread_notifications().await?)
}

/// Marks one notification read; `false` when there is no such notification. The windows then
/// get its id and the new unread count.
#[tauri::command]
pub async fn mark_notification_read(
    state: State<'_, AppState>,
    id: String,
) -> Result<bool, AppError> {
    let found = state.store().await?.mark_notification_read(&id).await?;
    if found {
        state.note(LocalChange::NotificationRead(id)).await;
    }
    Ok(found)
}

/// Marks every notification read; returns how many were unread. The windows then get the new
/// unread count.
#[tauri::command]
pub async fn mark_all_notifications_read(state: State<'_, AppState>) -> Result<u64, AppError> {
    let marked = state.store().await?.mark_all_notifications_read().await?;
    state.note(LocalChange::AllNotificationsRead).await;
    Ok(marked)
}

#[tauri::command]
pub async fn list_orders(
    state: State<'_, AppState>,
    status: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<OrderView>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(pages::ORDERS), offset.unwrap_or(0));
    Ok(state
        .store()
        .await?
        .orders_page(status.as_deref(), page)
        .await?)
}

/// One order with its whole timeline (status changes, payments, shipping), oldest first.
#[tauri::command]
pub async fn order_detail(
    state: State<'_, AppState>,
    order_id: String,
) -> Result<OrderDetail, AppError> {
    Ok(state.store().await?.order_detail(&order_id).await?)
}

#[tauri::command]
pub async fn retry_now(state: State<'_, AppState>) -> Result<(), AppError> {
    state.retry_now().await
}

/// The token goes straight to the keychain; it is never logged nor returned.
#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    server: String,
    token: String,
) -> Result<AppInfo, AppError> {
    let token = Token::new(token).ok_or(AppError::InvalidToken)?;
    state.sign_in(&server, token).await?;
    Ok(state.info().await)
}

/// Rows and bytes per kind of cached data (the attachment files as kind `attachments`), for the
/// settings screen.
#[tauri::command]
pub async fn cache_stats(state: State<'_, AppState>) -> Result<CacheStats, AppError> {
    let store = state.store().await?;
    Ok(sellerdesk_core::attachments::cache_stats(&store, &state.data_dir().await?).await?)
}

/// Empties the local cache and the attachment files (they refill from the server); messages not
/// sent yet are kept.
#[tauri::command]
pub async fn clear_cache(state: State<'_, AppState>) -> Result<ClearReport, AppError> {
    let store = state.store().await?;
    let report =
        sellerdesk_core::attachments::clear_cache(&store, &state.data_dir().await?, false).await?;
    state.resync().await;
    Ok(report)
}

/// "Try the demo marketplace" on the sign-in screen.
#[tauri::command]
pub async fn try_demo(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    state.try_demo().await?;
    Ok(state.info().await)
}

/// Back from the demo to the sign-in screen (or this data folder's account).
#[tauri::command]
pub async fn leave_demo(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    state.leave_demo().await?;
    Ok(state.info().await)
}

/// Wipes the local data, then the keychain entry, then the webview's own storage. Whatever
/// stayed is in `signOutNotice` (`SIGN_OUT_INCOMPLETE`) for the sign-in screen.
#[tauri::command]
pub async fn sign_out<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    attachments: State<'_, sellerdesk_core::attachments::Attachments>,
) -> Result<AppInfo, AppError> {
    let report = state.sign_out(&attachments).await?;
    let mut problems = report.problems();
    problems.extend(crate::webview_storage::clear(&app));
    if !problems.is_empty() {
        tracing::warn!(code = "SIGN_OUT_INCOMPLETE", "{}", problems.join("; "));
    }
    state.set_sign_out_notice((!problems.is_empty()).then(|| crate::error::ErrorPayload {
        code: "SIGN_OUT_INCOMPLETE".into(),
        message: format!(
            "Signed out, but not everything could be removed: {}",
            problems.join("; ")
        ),
    }));
    Ok(state.info().await)
}

/// Live updates for the calling window, navigation included; a window that reloads subscribes
/// again and its new channel replaces the old one. The first batch is a resync (the full
/// picture) and carries the navigation that waited for a window (the launch's deep link).
#[tauri::command]
pub async fn subscribe<R: Runtime>(
    webview: Webview<R>,
    state: State<'_, AppState>,
    channel: Channel<UiEvent>,
) -> Result<(), AppError> {
    state.subscribe(webview.label(), channel).await;
    Ok(())
}

/// The UI painted its first list of conversations (start-up timing, see `startup.rs`).
#[tauri::command]
pub fn first_paint(clock: State<'_, crate::startup::StartupClock>, conversations: u32) {
    clock.first_paint(conversations);
}

// ---- attachments and links -------------------------------------------------------------------

/// Where to fetch `url`, once it is an http(s) URL the app may download: already cached, or an
/// attachment of the cached message `message_id` (the UI cannot make the app fetch anything
/// else). The data folder, and the session's marketplace (its own host may be private).
async fn downloadable(
    state: &AppState,
    message_id: &str,
    url: &str,
) -> Result<(std::path::PathBuf, Option<String>), AppError> {
    use sellerdesk_core::attachments::{self, AttachmentError};
    let data_dir = state.data_dir().await?;
    attachments::cache_path(&data_dir, url)?;
    if !attachments::is_cached(&data_dir, url).await {
        let store = state.store().await?;
        if !attachments::is_known(&store, message_id, url).await? {
            return Err(AttachmentError::Unknown.into());
        }
    }
    Ok((data_dir, state.server().await))
}

/// A thumbnail of an image attachment (at most 1024 px, made in Rust from a PNG, JPEG, GIF or
/// WebP recognized by its bytes, at most 10 MB) as a `data:image/…;base64,…` URL, downloaded
/// into the cache first: the webview never loads a remote image, nor decodes a buyer's bytes.
#[tauri::command]
pub async fn attachment_preview(
    state: State<'_, AppState>,
    attachments: State<'_, sellerdesk_core::attachments::Attachments>,
    message_id: String,
    url: String,
) -> Result<String, AppError> {
    use sellerdesk_core::attachments::Scope;
    let (data_dir, server) = downloadable(&state, &message_id, &url).await?;
    let scope = Scope::new(&data_dir, server.as_deref());
    Ok(attachments.preview(scope, &url).await?)
}

/// Saves an attachment into the Downloads folder (the data folder when the system has none)
/// under its safe name, next to any file already there (`invoice (1).pdf`), marked as
/// downloaded from the internet; returns the saved file's path. The file is not opened. A type
/// that runs when opened fails with `ATTACHMENT_NEEDS_CONFIRMATION` unless `confirmed`.
#[tauri::command]
pub async fn save_attachment<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    attachments: State<'_, sellerdesk_core::attachments::Attachments>,
    message_id: String,
    url: String,
    name: Option<String>,
    confirmed: Option<bool>,
) -> Result<String, AppError> {
    use sellerdesk_core::attachments::Scope;
    use tauri::Manager;
    let (data_dir, server) = downloadable(&state, &message_id, &url).await?;
    let dest = app
        .path()
        .download_dir()
        .ok()
        .filter(|dir| dir.is_dir())
        .unwrap_or_else(|| data_dir.clone());
    let scope = Scope::new(&data_dir, server.as_deref());
    let path = attachments
        .save(
            scope,
            &url,
            name.as_deref(),
            &dest,
            confirmed.unwrap_or(false),
        )
        .await?;
    tracing::info!(path = %path.display(), "attachment saved");
    Ok(path.display().to_string())
}

/// Opens a link of a message in the system browser (or mail client): `http`, `https` and
/// `mailto` only, anything else is refused with `LINK_REFUSED`. The UI asks the seller first.
#[tauri::command]
pub async fn open_link<R: Runtime>(app: AppHandle<R>, url: String) -> Result<(), AppError> {
    use tauri_plugin_opener::OpenerExt;
    let url = sellerdesk_core::external_links::checked_link(&url)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| AppError::OpenLink(e.to_string()))
}

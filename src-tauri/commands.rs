//! The commands the UI invokes. Each is glue between the IPC arguments and [`AppState`]; reads
//! come from the local cache, so they work while the server is unreachable.

use crate::bridge::UiEvent;
use crate::error::AppError;
use crate::preferences::DesktopPreferences;
use crate::state::{AppInfo, AppState};
use sellerdesk_core::alerts::{NotificationSettings, Target};
use sellerdesk_core::models::{
    ConversationView, ListingView, MessageView, NotificationView, OrderView, OutboxItem,
    SearchResult,
};
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::store::PageRequest;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State, Webview};

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    Ok(state.info().await)
}

/// The newest conversations first, a page at a time (`limit` defaults to 200): a big cache has
/// thousands, and each row carries its unread count.
#[tauri::command]
pub async fn list_conversations(
    state: State<'_, AppState>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<ConversationView>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(200), offset.unwrap_or(0));
    Ok(state.store().await?.conversations_page(page).await?)
}

/// How many conversations have unread buyer messages (the inbox badge).
#[tauri::command]
pub async fn count_unread_conversations(state: State<'_, AppState>) -> Result<i64, AppError> {
    Ok(state.store().await?.unread_conversations().await?)
}

#[tauri::command]
pub async fn list_messages(
    state: State<'_, AppState>,
    conversation_id: String,
) -> Result<Vec<MessageView>, AppError> {
    Ok(state.store().await?.messages(&conversation_id).await?)
}

#[tauri::command]
pub async fn mark_conversation_read(
    state: State<'_, AppState>,
    conversation_id: String,
) -> Result<(), AppError> {
    Ok(state
        .store()
        .await?
        .mark_conversation_read(&conversation_id)
        .await?)
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
/// `in:` filters). Any input is accepted; 50 results a page unless `limit` says otherwise.
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<SearchResult>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(50), offset.unwrap_or(0));
    Ok(state.store().await?.search(&query, page).await?)
}

#[tauri::command]
pub async fn notification_settings(
    state: State<'_, AppState>,
) -> Result<NotificationSettings, AppError> {
    state.notification_settings()
}

#[tauri::command]
pub async fn set_notification_settings(
    state: State<'_, AppState>,
    settings: NotificationSettings,
) -> Result<(), AppError> {
    state.set_notification_settings(settings).await
}

/// The conversation on screen (none when another view is): its messages do not notify while
/// the window has focus.
#[tauri::command]
pub fn set_open_conversation(state: State<'_, AppState>, conversation_id: Option<String>) {
    state.focus().set_open_conversation(conversation_id);
}

#[tauri::command]
pub fn desktop_preferences(state: State<'_, AppState>) -> DesktopPreferences {
    state.desktop_preferences()
}

/// Saves the preferences and turns start at login on or off to match.
#[tauri::command]
pub fn set_desktop_preferences<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    preferences: DesktopPreferences,
) -> Result<(), AppError> {
    state.set_desktop_preferences(&preferences)?;
    crate::desktop::set_start_at_login(&app, preferences.start_at_login)
        .map_err(AppError::StartAtLogin)
}

/// The inbox's unread count, for the tray and the launcher badge.
#[tauri::command]
pub fn set_unread_count<R: Runtime>(app: AppHandle<R>, count: u32) {
    crate::desktop::show_unread(&app, count);
}

/// A view the app was asked to open before the UI listened (the launch's deep link).
#[tauri::command]
pub fn take_pending_navigation(state: State<'_, AppState>) -> Option<Target> {
    state.desktop().take_pending()
}

/// Listings, low or out of stock first, a page at a time (100 unless `limit` says otherwise).
#[tauri::command]
pub async fn list_listings(
    state: State<'_, AppState>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<ListingView>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(100), offset.unwrap_or(0));
    Ok(state.store().await?.listings(page).await?)
}

/// The notification center: unread first; expired system notifications are left out.
#[tauri::command]
pub async fn list_notifications(
    state: State<'_, AppState>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<Vec<NotificationView>, AppError> {
    let page = PageRequest::new(limit.unwrap_or(100), offset.unwrap_or(0));
    Ok(state.store().await?.notifications(page).await?)
}

#[tauri::command]
pub async fn count_unread_notifications(state: State<'_, AppState>) -> Result<i64, AppError> {
    Ok(state.store().await?.unread_notifications().await?)
}

/// Marks one notification read; `false` when there is no such notification.
#[tauri::command]
pub async fn mark_notification_read(
    state: State<'_, AppState>,
    id: String,
) -> Result<bool, AppError> {
    Ok(state.store().await?.mark_notification_read(&id).await?)
}

/// Marks every notification read; returns how many were unread.
#[tauri::command]
pub async fn mark_all_notifications_read(state: State<'_, AppState>) -> Result<u64, AppError> {
    Ok(state.store().await?.mark_all_notifications_read().await?)
}

#[tauri::command]
pub async fn list_orders(state: State<'_, AppState>) -> Result<Vec<OrderView>, AppError> {
    Ok(state.store().await?.orders().await?)
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

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    state.sign_out().await?;
    Ok(state.info().await)
}

/// Live updates for the calling window; a window that reloads subscribes again and its new
/// channel replaces the old one. The first batch is a resync (the full picture).
#[tauri::command]
pub async fn subscribe<R: Runtime>(
    webview: Webview<R>,
    state: State<'_, AppState>,
    channel: Channel<UiEvent>,
) -> Result<(), AppError> {
    state.subscribers().replace(webview.label(), channel);
    state.resync().await;
    Ok(())
}

/// The UI painted its first list of conversations (start-up timing, see `startup.rs`).
#[tauri::command]
pub fn first_paint(clock: State<'_, crate::startup::StartupClock>, conversations: u32) {
    clock.first_paint(conversations);
}

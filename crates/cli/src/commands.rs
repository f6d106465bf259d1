//! One function per subcommand; each is glue between the arguments and the core.

use crate::output;
use crate::{AttachmentCommand, CacheCommand, Cli, CliError, Command};
use sellerdesk_core::account::{self, AccountError};
use sellerdesk_core::credentials::Keychain;
use sellerdesk_core::engine::{ConnectionState, Engine, EngineConfig, EngineEvent, TokenSource};
use sellerdesk_core::models::OutboxState;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::sign_out::sign_out;
use sellerdesk_core::store::{PageRequest, Store};
use serde_json::{json, Value};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

/// The connection check of `login` and the single attempt of `send`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long `send` waits for the server's echo once connected.
const ECHO_WAIT: Duration = Duration::from_secs(5);

fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::Failed(e.to_string())
}

impl From<AccountError> for CliError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Rejected(_) => CliError::AuthFailed(e.to_string()),
            other => CliError::Failed(format!("{}: {other}", other.code())),
        }
    }
}

/// `--keychain-timeout`, for every keychain this process opens.
static KEYCHAIN_WAIT: OnceLock<Duration> = OnceLock::new();

pub async fn run(cli: Cli) -> Result<(), CliError> {
    let wait = Duration::try_from_secs_f64(cli.keychain_timeout)
        .map_err(|_| failed("--keychain-timeout takes a number of seconds"))?;
    let _ = KEYCHAIN_WAIT.set(wait);
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => sellerdesk_core::paths::default_data_dir()
            .ok_or_else(|| failed("no app-data folder on this system; pass --data-dir"))?,
    };
    match cli.command {
        Command::Login {
            server,
            token_stdin: _,
        } => login(&data_dir, &server).await,
        Command::Logout => logout(&data_dir).await,
        Command::Sync { for_seconds } => sync(&data_dir, for_seconds).await,
        Command::Conversations {
            json,
            limit,
            offset,
        } => {
            let store = open_store(&data_dir).await?;
            let list = match limit {
                Some(limit) => store
                    .conversations_page(PageRequest::new(limit, offset))
                    .await
                    .map_err(failed)?,
                None => store.conversations().await.map_err(failed)?,
            };
            if json {
                output::json(&list)
            } else {
                output::conversations(&list)
            }
            Ok(())
        }
        Command::Messages {
            conversation_id,
            json,
            limit,
            before,
        } => {
            let store = open_store(&data_dir).await?;
            // Without paging options: the whole conversation, as before.
            let list = if limit.is_none() && before.is_none() {
                store.messages(&conversation_id).await
            } else {
                let limit = limit.unwrap_or(PageRequest::DEFAULT_LIMIT);
                store
                    .messages_page(&conversation_id, before.as_ref(), limit)
                    .await
            }
            .map_err(failed)?;
            if json {
                output::json(&list)
            } else {
                output::messages(&list)
            }
            Ok(())
        }
        Command::Orders {
            json,
            status,
            limit,
            offset,
        } => {
            let store = open_store(&data_dir).await?;
            let list = if status.is_none() && limit.is_none() && offset.is_none() {
                store.orders().await
            } else {
                let page = PageRequest::new(
                    limit.unwrap_or(PageRequest::DEFAULT_LIMIT),
                    offset.unwrap_or(0),
                );
                store.orders_page(status.as_deref(), page).await
            }
            .map_err(failed)?;
            if json {
                output::json(&list)
            } else {
                output::orders(&list)
            }
            Ok(())
        }
        Command::Send {
            conversation_id,
            text,
        } => send(&data_dir, &conversation_id, &text).await,
        Command::Order { order_id, json } => {
            let detail = open_store(&data_dir)
                .await?
                .order_detail(&order_id)
                .await
                .map_err(failed)?;
            if json {
                output::json(&detail)
            } else {
                output::order_detail(&detail)
            }
            Ok(())
        }
        Command::Listings { json, page } => {
            let list = open_store(&data_dir)
                .await?
                .listings(page.into())
                .await
                .map_err(failed)?;
            if json {
                output::json(&list)
            } else {
                output::listings(&list)
            }
            Ok(())
        }
        Command::Notifications {
            json,
            mark_read,
            mark_all_read,
            page,
        } => {
            let store = open_store(&data_dir).await?;
            for id in &mark_read {
                if !store.mark_notification_read(id).await.map_err(failed)? {
                    output::note!("warning: no notification {id} in the cache");
                }
            }
            if mark_all_read {
                store.mark_all_notifications_read().await.map_err(failed)?;
            }
            let list = store.notifications(page.into()).await.map_err(failed)?;
            if json {
                output::json(&list)
            } else {
                output::notifications(&list)
            }
            Ok(())
        }
        Command::Search { query, json, page } => {
            let list = open_store(&data_dir)
                .await?
                .search(&query, page.into())
                .await
                .map_err(failed)?;
            if json {
                output::json(&list)
            } else {
                output::search(&list)
            }
            Ok(())
        }
        Command::Cache {
            command: CacheCommand::Stats { json },
        } => {
            // The attachment files count as one more kind.
            let store = open_store(&data_dir).await?;
            let stats = sellerdesk_core::attachments::cache_stats(&store, &data_dir)
                .await
                .map_err(failed)?;
            if json {
                output::json(&stats)
            } else {
                output::cache_stats(&stats)
            }
            Ok(())
        }
        Command::Cache {
            command:
                CacheCommand::Clear {
                    include_outbox,
                    json,
                },
        } => {
            // The attachment files go too.
            let store = open_store(&data_dir).await?;
            let report =
                sellerdesk_core::attachments::clear_cache(&store, &data_dir, include_outbox)
                    .await
                    .map_err(failed)?;
            if json {
                output::json(&report)
            } else {
                output::cleared(&report)
            }
            Ok(())
        }
        Command::Attachments { message_id, json } => {
            let store = open_store(&data_dir).await?;
            crate::attachments::list(&store, &message_id, json).await
        }
        Command::Attachment {
            command:
                AttachmentCommand::Save {
                    message_id,
                    url,
                    to,
                    json,
                    allow_executable,
                },
        } => {
            let store = open_store(&data_dir).await?;
            let request = crate::attachments::SaveRequest {
                message_id: &message_id,
                url: &url,
                to,
                json,
                allow_executable,
            };
            crate::attachments::save(&data_dir, &store, request).await
        }
    }
}

impl From<crate::PageArgs> for PageRequest {
    fn from(page: crate::PageArgs) -> Self {
        PageRequest::new(page.limit, page.offset)
    }
}

async fn open_store(data_dir: &Path) -> Result<Store, CliError> {
    let (store, report) = Store::open_or_recover(data_dir)
        .await
        .map_err(|e| failed(format!("{}: {e}", e.code())))?;
    if let Some(warning) = report.warning() {
        output::note!("warning: {warning}");
    }
    Ok(store)
}

async fn keychain() -> Result<Keychain, CliError> {
    let wait = keychain_wait();
    // The wait also bounds opening: a session bus that never answers cannot hold the CLI.
    Keychain::platform_within(wait)
        .await
        .map_err(|e| CliError::Failed(format!("{}: {e}", e.code())))
}

fn keychain_wait() -> Duration {
    KEYCHAIN_WAIT
        .get()
        .copied()
        .unwrap_or(sellerdesk_core::credentials::DEFAULT_KEYCHAIN_WAIT)
}

async fn login(data_dir: &Path, server: &str) -> Result<(), CliError> {
    // Before the token is read or the keychain opened.
    sellerdesk_core::server_url::require_secure(server).map_err(AccountError::from)?;
    let mut raw = String::new();
    std::io::stdin()
        .read_to_string(&mut raw)
        .map_err(|e| failed(format!("cannot read the token from stdin: {e}")))?;
    let token = Token::new(raw).ok_or_else(|| failed("no token on stdin"))?;
    let keychain = keychain().await?;
    let account = account::sign_in(data_dir, server, &token, &keychain, CONNECT_TIMEOUT).await?;
    output::note!(
        "signed in to {}; the token is in the OS keychain",
        account.server
    );
    // Read from the token, not verified: only the server decides; this is a reminder.
    match sellerdesk_core::jwt::read_claims(&token).and_then(|c| c.expires_at()) {
        Some(at) if at.0 <= chrono::Utc::now() => {
            output::note!("warning: the token expired at {at}")
        }
        Some(at) => output::note!("the token expires at {at}"),
        None => {}
    }
    Ok(())
}

/// Wipes the local data, then removes the token; whatever stays is named, one line each, and
/// the exit code is 1 (`SIGN_OUT_INCOMPLETE`).
async fn logout(data_dir: &Path) -> Result<(), CliError> {
    let report = sign_out(data_dir, Keychain::platform_within(keychain_wait())).await;
    for server in &report.old_entries_removed {
        output::note!("removed the keychain entry an earlier sign-out left for {server}");
    }
    if report.is_complete() {
        output::note!("signed out; the local cache is wiped");
        return Ok(());
    }
    for line in report.problems() {
        output::note!("{line}");
    }
    Err(failed(if report.data.is_complete() {
        "SIGN_OUT_INCOMPLETE: the local data is wiped, but the keychain entry stays (see above)"
    } else {
        "SIGN_OUT_INCOMPLETE: some local data could not be removed (see above)"
    }))
}

/// Starts the engine of the data folder's account over `store` (the one cache of this process).
async fn start_engine(
    data_dir: &Path,
    store: Store,
    tune: impl FnOnce(&mut EngineConfig),
) -> Result<(Engine, tokio::sync::broadcast::Receiver<EngineEvent>), CliError> {
    let account =
        account::load_account(data_dir).ok_or_else(|| failed(AccountError::NotSignedIn))?;
    let mut config = EngineConfig::new(account.server, TokenSource::Keychain(keychain().await?));
    tune(&mut config);
    Ok(Engine::start_subscribed(config, store))
}

fn event_line(event: &sellerdesk_core::protocol::ServerEvent) -> Value {
    json!({ "event": event.name(), "data": event.payload().unwrap_or(Value::Null) })
}

async fn sync(data_dir: &Path, for_seconds: Option<f64>) -> Result<(), CliError> {
    let deadline = match for_seconds {
        Some(s) if s.is_finite() && s >= 0.0 => Some(Instant::now() + Duration::from_secs_f64(s)),
        Some(_) => return Err(failed("--for takes a number of seconds")),
        None => None,
    };
    let (engine, mut events) = start_engine(data_dir, open_store(data_dir).await?, |_| {}).await?;
    let outcome = loop {
        let next = tokio::select! {
            received = events.recv() => received,
            () = sleep_until_opt(deadline) => break Ok(()),
            _ = tokio::signal::ctrl_c() => break Ok(()),
        };
        match next {
            Ok(EngineEvent::Received { events, .. }) => {
                for event in events.iter() {
                    output::json(&event_line(event));
                }
                // The reader went away: stop as at the deadline (everything received is
                // cached, and the engine releases what it was sending).
                if output::closed() {
                    break Ok(());
                }
            }
            Ok(EngineEvent::State {
                state: ConnectionState::AuthFailed { message },
            }) => {
                break Err(CliError::AuthFailed(format!("AUTH_FAILED: {message}")));
            }
            Ok(EngineEvent::State { state }) => tracing::info!(?state, "connection"),
            Ok(EngineEvent::Problem { problem }) => {
                output::note!("warning: {}: {}", problem.code, problem.message);
            }
            Ok(EngineEvent::Outbox { .. } | EngineEvent::Latency { .. }) => {}
            Err(RecvError::Lagged(missed)) => {
                output::note!(
                    "warning: output fell behind; {missed} events were cached but not printed"
                );
            }
            Err(RecvError::Closed) => break Ok(()),
        }
    };
    engine.shutdown().await;
    outcome
}

async fn sleep_until_opt(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

async fn send(data_dir: &Path, conversation_id: &str, text: &str) -> Result<(), CliError> {
    if text.trim().is_empty() {
        return Err(failed("the message is empty"));
    }
    let store = open_store(data_dir).await?;
    // Stored before any attempt: whatever happens next, the message is not lost.
    let item = store
        .enqueue(conversation_id, text, &[])
        .await
        .map_err(failed)?;
    let id = item.client_message_id.clone();
    let (engine, mut events) = start_engine(data_dir, store.clone(), |config| {
        // One attempt of at most 5 s; offline means queued for the next process that connects.
        config.reconnect.attempts = 0;
        config.reconnect.websocket_timeout = CONNECT_TIMEOUT;
    })
    .await?;
    let mut echo_deadline: Option<Instant> = None;
    let mut auth_error = None;
    loop {
        let next = tokio::select! {
            received = events.recv() => received,
            () = sleep_until_opt(echo_deadline) => break,
        };
        match next {
            Ok(EngineEvent::State {
                state: ConnectionState::Connected { .. },
            }) => {
                echo_deadline = Some(Instant::now() + ECHO_WAIT);
            }
            Ok(EngineEvent::State {
                state: ConnectionState::Offline { .. } | ConnectionState::Reconnecting { .. },
            }) => break,
            Ok(EngineEvent::State {
                state: ConnectionState::AuthFailed { message },
            }) => {
                auth_error = Some(CliError::AuthFailed(format!("AUTH_FAILED: {message}")));
                break;
            }
            Ok(EngineEvent::Received { .. }) => {
                if store_state(&store, &id).await == Some(OutboxState::Sent) {
                    break;
                }
            }
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => break,
        }
    }
    engine.shutdown().await;
    let state = match store_state(&store, &id).await {
        Some(OutboxState::Sent) => "sent",
        Some(OutboxState::Failed) => "failed",
        _ => "queued",
    };
    output::json(
        &json!({ "clientMessageId": id, "conversationId": conversation_id, "state": state }),
    );
    match auth_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

async fn store_state(store: &Store, client_message_id: &str) -> Option<OutboxState> {
    store
        .outbox_item(client_message_id)
        .await
        .ok()
        .flatten()
        .map(|item| item.state)
}

//! The Seller Desk desktop shell: builds the Tauri app around the core engine.

mod badge;
pub mod bridge;
pub mod cli_args;
#[cfg(test)]
mod command_bindings;
pub mod commands;
mod count_pacer;
mod demo;
mod desktop;
pub mod error;
pub mod navigation;
mod navigation_guard;
mod notices;
mod preferences;
mod startup;
pub mod state;
pub mod subscribers;
pub mod ui_event;
mod webview_storage;

use state::AppState;
use tauri::{Manager, RunEvent, Runtime};

/// Everything but the context and the run loop, so tests can build the same app on the mock
/// runtime.
pub fn configure<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .plugin(navigation_guard::plugin())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_deep_link::init())
        // Opens links in the system browser for `commands::open_link` only: the window has no
        // permission to call the opener itself, and no script of the plugin's intercepts clicks.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .manage(state)
        .manage(desktop::Desktop::default())
        .manage(sellerdesk_core::attachments::Attachments::new())
        .setup(|app| {
            start(app.handle());
            Ok(())
        })
        .on_window_event(|window, event| match event {
            tauri::WindowEvent::Focused(focused) => window
                .state::<AppState>()
                .focus()
                .set_window_focused(*focused),
            // Closing keeps the app in the tray, unless the seller quits or chose otherwise
            // (or there is no tray to come back from).
            tauri::WindowEvent::CloseRequested { api, .. } => {
                let desktop = window.state::<desktop::Desktop>();
                if desktop.tray_ready()
                    && !desktop.quitting()
                    && window.state::<AppState>().close_to_tray()
                {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
            _ => {}
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_conversations,
            commands::count_unread_conversations,
            commands::list_messages,
            commands::mark_conversation_read,
            commands::send_message,
            commands::retry_message,
            commands::list_orders,
            commands::order_detail,
            commands::list_listings,
            commands::list_notifications,
            commands::count_unread_notifications,
            commands::mark_notification_read,
            commands::mark_all_notifications_read,
            commands::search,
            commands::notification_settings,
            commands::set_notification_settings,
            commands::set_open_conversation,
            commands::desktop_preferences,
            commands::set_desktop_preferences,
            commands::retry_now,
            commands::sign_in,
            commands::cache_stats,
            commands::clear_cache,
            commands::sign_out,
            commands::try_demo,
            commands::leave_demo,
            commands::subscribe,
            commands::first_paint,
            commands::attachment_preview,
            commands::save_attachment,
            commands::open_link,
        ])
}

fn init_tracing() {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("SELLERDESK_LOG").unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new("warn,sellerdesk_app=info,sellerdesk_core=info")
        });
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .init();
}

/// Runs the app until its last window closes; returns the process exit code.
pub fn run() -> i32 {
    let clock = startup::StartupClock::start();
    // Whatever this process creates (cache, WAL, settings, the webview's files) is the seller's only.
    sellerdesk_core::paths::restrict_new_files();
    init_tracing();
    let launch = cli_args::from_process();
    if !launch.ignored.is_empty() {
        tracing::warn!(args = ?launch.ignored, "ignoring unknown arguments");
    }
    let state = AppState::new(&launch);
    let builder = tauri::Builder::default().manage(clock);
    // First of all plugins: a second launch hands its arguments (a deep link) to this one and
    // exits before anything else starts. Not in `configure`: tests build many apps in one process.
    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    let builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
        desktop::show_main(app);
    }));
    let app = configure(builder, state).build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("cannot start the app: {e}");
            return 1;
        }
    };
    desktop::install(app.handle());
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            shutdown(handle);
        }
    });
    0
}

/// Starts the session of the launch (the event loop's setup does this). Engine and simulator
/// run on Tauri's tokio runtime; starting takes well under a second, and the window then opens
/// on a consistent state.
pub fn start<R: Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<AppState>();
    state.set_notice_sink(notices::DesktopNotices::install(
        app,
        state.navigator().clone(),
    ));
    state.set_badge(std::sync::Arc::new(desktop::TrayBadge(app.clone())));
    tauri::async_runtime::block_on(async {
        state.start().await;
        // Read once here so that closing the window knows it before the UI asks.
        state.desktop_preferences().await;
    });
}

/// Stops the session (engine, bridge, simulator) before the process exits.
pub fn shutdown<R: Runtime>(app: &tauri::AppHandle<R>) {
    tauri::async_runtime::block_on(app.state::<AppState>().shutdown());
}

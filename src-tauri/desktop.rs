//! The app as a desktop citizen: the tray icon with the unread count and its menu, closing the
//! window to the tray, `sellerdesk://` deep links, start at login and the launcher badge.
//! Navigation goes to the UI through the [`crate::navigation::Navigator`] of the app's state.

use crate::badge::Badge;
use crate::state::AppState;
use sellerdesk_core::navigation::Target;
use sellerdesk_core::protocol::Timestamp;
use sellerdesk_core::text;
use sellerdesk_core::throttle::{Throttle, LINK_RAISE_INTERVAL};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

const TRAY_ID: &str = "main";
const PAUSE_MS: i64 = 60 * 60 * 1000;

/// What the desktop integration keeps between events (managed state of its own).
#[derive(Debug, Default)]
pub struct Desktop {
    /// The tray icon exists: closing the window may hide it instead of quitting.
    tray_ready: AtomicBool,
    /// Quit was chosen: closing really closes.
    quitting: AtomicBool,
    /// Links raise the window at most once per [`LINK_RAISE_INTERVAL`].
    links: OnceLock<Throttle<Target>>,
}

impl Desktop {
    pub fn tray_ready(&self) -> bool {
        self.tray_ready.load(Ordering::Relaxed)
    }

    pub fn quitting(&self) -> bool {
        self.quitting.load(Ordering::Relaxed)
    }
}

/// The main window, shown and in front.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Brings the window up on `target` (which waits for the UI if no window subscribed yet).
pub fn navigate<R: Runtime>(app: &AppHandle<R>, target: Target) {
    show_main(app);
    app.state::<AppState>().navigator().open(target);
}

/// Follows a `sellerdesk://` link (through the throttle, once it exists); anything else is
/// logged, escaped and cut, and ignored.
pub fn open_link<R: Runtime>(app: &AppHandle<R>, link: &str) {
    let Some(target) = sellerdesk_core::links::target_of(link) else {
        tracing::warn!(link = %text::for_log(link), "not a Seller Desk link");
        return;
    };
    match app.state::<Desktop>().links.get() {
        Some(links) => links.push(target),
        None => navigate(app, target),
    }
}

/// Where a link leads, if the cache has it: an unknown id raises nothing and is not shown
/// back; without a session (the launch's own link, before sign-in) the UI takes it over.
async fn follow_link<R: Runtime>(app: &AppHandle<R>, target: Target) {
    let known = match app.state::<AppState>().store().await {
        Ok(store) => sellerdesk_core::links::in_cache(&store, &target).await,
        Err(_) => Ok(true),
    };
    match known {
        Ok(true) => navigate(app, target),
        Ok(false) => {
            let kind = target.kind().unwrap_or("conversation");
            tracing::info!(kind, "a link named something the cache does not have");
            app.state::<AppState>().navigator().link_not_found(kind);
        }
        Err(e) => tracing::warn!(code = e.code(), "cannot look the link up: {e}"),
    }
}

/// Starts the throttle that links go through (once; the app lives as long as it does).
fn start_link_throttle<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let throttle = Throttle::start_on(
        tauri::async_runtime::handle().inner(),
        LINK_RAISE_INTERVAL,
        move |target| {
            let app = handle.clone();
            async move { follow_link(&app, target).await }
        },
    );
    if app.state::<Desktop>().links.set(throttle).is_err() {
        tracing::warn!("the link throttle was already started");
    }
}

/// Tray, deep links and the launch's own link. A desktop without a tray (no status notifier
/// host) still works: closing the window then quits, as the seller would expect.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    match tray(app) {
        Ok(_) => app
            .state::<Desktop>()
            .tray_ready
            .store(true, Ordering::Relaxed),
        Err(e) => tracing::warn!("no tray icon: {e}"),
    }
    start_link_throttle(app);
    deep_links(app);
}

fn tray<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<TrayIcon<R>> {
    let open = MenuItem::with_id(app, "open", "Open Seller Desk", true, None::<&str>)?;
    let pause = MenuItem::with_id(
        app,
        "pause",
        "Pause notifications for 1 hour",
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &pause, &separator, &quit])?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Seller Desk")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_main(app),
            "pause" => pause_notifications(app),
            "quit" => {
                app.state::<Desktop>()
                    .quitting
                    .store(true, Ordering::Relaxed);
                app.exit(0);
            }
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            // Windows and macOS report clicks; Linux tray hosts open the menu instead.
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                show_main(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)
}

fn pause_notifications<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let result = async {
            let mut settings = state.notification_settings().await?;
            settings.paused_until = Timestamp::from_millis(Timestamp::now().millis() + PAUSE_MS);
            state.set_notification_settings(settings).await
        };
        if let Err(e) = result.await {
            tracing::warn!(code = e.code(), "cannot pause notifications: {e}");
        }
    });
}

fn deep_links<R: Runtime>(app: &AppHandle<R>) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let links = app.deep_link();
    let handle = app.clone();
    links.on_open_url(move |event| {
        for url in event.urls() {
            open_link(&handle, url.as_str());
        }
    });
    match links.get_current() {
        Ok(Some(urls)) => {
            for url in urls {
                open_link(app, url.as_str());
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!("cannot read the launch's link: {e}"),
    }
}

/// The tray and the launcher badge, as the bridge's [`Badge`].
pub struct TrayBadge<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> Badge for TrayBadge<R> {
    /// Handed to the main thread and not waited for: the tray calls block until the main
    /// thread runs them, and the bridge that calls this must never wait on the main thread
    /// (which, at quit, waits for the bridge to stop).
    fn show_unread(&self, conversations: i64) {
        let unread = u32::try_from(conversations).unwrap_or(0);
        let app = self.0.clone();
        let _ = self.0.run_on_main_thread(move || show_unread(&app, unread));
    }
}

/// The unread count on the tray (tooltip, and the label where the tray shows one) and on the
/// launcher or dock badge where the OS has one.
fn show_unread<R: Runtime>(app: &AppHandle<R>, unread: u32) {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let tooltip = match unread {
            0 => "Seller Desk".to_owned(),
            1 => "Seller Desk: 1 conversation unread".to_owned(),
            n => format!("Seller Desk: {n} conversations unread"),
        };
        let _ = tray.set_tooltip(Some(&tooltip));
        let _ = tray.set_title((unread > 0).then(|| unread.to_string()).as_deref());
    }
    if let Some(window) = app.get_webview_window("main") {
        // Linux (Unity launcher API) and macOS; Windows has no count badge.
        let _ = window.set_badge_count((unread > 0).then_some(i64::from(unread)));
    }
}

/// Turns start at login on or off (a no-op where the autostart plugin is absent, as in tests).
pub fn set_start_at_login<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<(), String> {
    let Some(launcher) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() else {
        return Ok(());
    };
    let result = if on {
        launcher.enable()
    } else {
        launcher.disable()
    };
    result.map_err(|e| e.to_string())
}

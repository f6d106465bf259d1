//! The window shows the app's own pages and nothing else. The UI never follows a link itself
//! (links open in the system browser after a confirmation), so a navigation anywhere else — a
//! link that slipped past it, a redirect, a dropped URL — is refused here, whatever the page does.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Manager, Runtime, Url};

/// Where the webview serves the app from: its own protocol, which Windows' WebView2 reaches as
/// `http://tauri.localhost` (on its default port only: any other port of a `.localhost` name is
/// a local service, not the app).
#[cfg(not(windows))]
const APP_ORIGINS: &[(&str, &str)] = &[("tauri", "localhost")];
#[cfg(windows)]
const APP_ORIGINS: &[(&str, &str)] = &[("http", "tauri.localhost"), ("https", "tauri.localhost")];

/// The app's own pages, and the dev server's while developing.
pub fn is_app_page(url: &Url, dev_server: Option<&Url>) -> bool {
    let own = APP_ORIGINS.iter().any(|(scheme, host)| {
        url.scheme() == *scheme && url.host_str() == Some(host) && url.port().is_none()
    });
    own || dev_server.is_some_and(|dev| dev.origin() == url.origin())
}

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|webview, url| {
            let dev_server = if tauri::is_dev() {
                webview.config().build.dev_url.clone()
            } else {
                None
            };
            let allowed = is_app_page(url, dev_server.as_ref());
            if !allowed {
                tracing::warn!(
                    code = "NAVIGATION_REFUSED",
                    url = %sellerdesk_core::text::for_log(url.as_str()),
                    "the window may only show the app's own pages"
                );
            }
            allowed
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::is_app_page;
    use tauri::Url;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    #[cfg(not(windows))]
    fn the_app_pages_are_allowed() {
        assert!(is_app_page(&url("tauri://localhost/index.html"), None));
        assert!(!is_app_page(&url("http://tauri.localhost/"), None));
    }

    #[test]
    #[cfg(windows)]
    fn the_app_pages_are_allowed() {
        assert!(is_app_page(&url("http://tauri.localhost/"), None));
        assert!(is_app_page(
            &url("https://tauri.localhost/assets/x.js"),
            None
        ));
        assert!(!is_app_page(&url("tauri://localhost/index.html"), None));
    }

    #[test]
    fn anything_else_is_refused() {
        for other in [
            "https://evil.example/",
            "http://localhost:5173/",
            "tauri://evil.example/",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
            "mailto:buyer@example.com",
            "https://tauri.localhost.evil.example/",
            "http://tauri.localhost:8080/",
            "tauri://localhost:8080/",
        ] {
            assert!(!is_app_page(&url(other), None), "{other}");
        }
    }

    #[test]
    fn the_dev_server_only_while_developing_and_only_its_origin() {
        let dev = url("http://localhost:5173");
        assert!(is_app_page(
            &url("http://localhost:5173/src/main.tsx"),
            Some(&dev)
        ));
        assert!(!is_app_page(&url("http://localhost:5174/"), Some(&dev)));
        assert!(!is_app_page(&url("https://localhost:5173/"), Some(&dev)));
    }
}

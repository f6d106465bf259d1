//! The window shows the app's own pages and nothing else. The UI never follows a link itself
//! (links open in the system browser after a confirmation), so a navigation anywhere else — a
//! link that slipped past it, a redirect, a dropped URL — is refused here, whatever the page does.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Manager, Runtime, Url};

/// The origins the app's pages come from: its own protocol (`tauri://localhost`, or
/// `http(s)://tauri.localhost` where the webview needs http), and the dev server while developing.
pub fn is_app_page(url: &Url, dev_server: Option<&Url>) -> bool {
    let host = url.host_str();
    match url.scheme() {
        "tauri" => host == Some("localhost"),
        "http" | "https" if host == Some("tauri.localhost") => true,
        "http" | "https" => dev_server.is_some_and(|dev| dev.origin() == url.origin()),
        _ => false,
    }
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
    fn the_app_pages_are_allowed() {
        assert!(is_app_page(&url("tauri://localhost/index.html"), None));
        assert!(is_app_page(&url("http://tauri.localhost/"), None));
        assert!(is_app_page(
            &url("https://tauri.localhost/assets/x.js"),
            None
        ));
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

//! The app on Tauri's mock runtime, driven through its real IPC path (shared by the app tests).

#![allow(dead_code)] // each test file uses its own part

use marketplace_sim::{SimConfig, Simulator};
use sellerdesk_app::cli_args::LaunchArgs;
use sellerdesk_app::state::AppState;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

pub struct TestApp {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl TestApp {
    pub fn launch(demo: bool, data_dir: &Path) -> Self {
        let launch = LaunchArgs {
            demo,
            data_dir: Some(data_dir.to_owned()),
            ignored: Vec::new(),
            ..LaunchArgs::default()
        };
        let app = sellerdesk_app::configure(mock_builder(), AppState::new(&launch))
            .build(mock_context(noop_assets()))
            .expect("the app builds");
        // What the event loop's setup does; the mock app has no event loop running.
        sellerdesk_app::start(app.handle());
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the main window");
        Self { app, window }
    }

    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<Value>().expect("a JSON response"))
    }

    /// The app's managed state, for what no command shows (navigation waiting for a window).
    pub fn state(&self) -> tauri::State<'_, AppState> {
        use tauri::Manager;
        self.app.state::<AppState>()
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Polls `cmd` until `done` accepts its answer.
    pub fn wait_for(
        &self,
        what: &str,
        cmd: &str,
        args: Value,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let answer = self.ok(cmd, args.clone());
            if done(&answer) {
                return answer;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; last: {answer}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        sellerdesk_app::shutdown(self.app.handle());
    }
}

pub fn non_empty(value: &Value) -> bool {
    value.as_array().is_some_and(|list| !list.is_empty())
}

mod services;
/// Whether a test that needs the session bus and keychain runs (in CI it always does, and fails
/// without them): the rule all the tests share.
#[allow(unused_imports)] // not every test file needs it
pub use services::real_services_expected as services_or_skip;

/// A simulator sending `rate` events a second, on `runtime` (the mock app is driven synchronously).
pub fn simulator(runtime: &tokio::runtime::Runtime, seed: u64, rate: f64) -> Simulator {
    runtime
        .block_on(Simulator::start(SimConfig {
            seed: Some(seed),
            rate,
            ..SimConfig::default()
        }))
        .expect("simulator")
}

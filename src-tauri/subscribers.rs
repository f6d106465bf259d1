//! The windows that subscribed to live updates, each with its `ipc::Channel`.

use crate::ui_event::UiEvent;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tauri::ipc::Channel;

/// The channels of the windows that subscribed, by window label. A window that reloads
/// subscribes again and its new channel replaces the old one.
#[derive(Clone, Default)]
pub struct Subscribers {
    channels: Arc<Mutex<HashMap<String, Channel<UiEvent>>>>,
}

impl Subscribers {
    pub fn replace(&self, window: &str, channel: Channel<UiEvent>) {
        self.lock().insert(window.to_owned(), channel);
    }

    /// No window subscribed yet.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    pub fn send(&self, event: &UiEvent) {
        // Clone the channels out so no lock is held while serializing.
        let channels: Vec<(String, Channel<UiEvent>)> = self
            .lock()
            .iter()
            .map(|(label, channel)| (label.clone(), channel.clone()))
            .collect();
        for (label, channel) in channels {
            if let Err(e) = channel.send(event.clone()) {
                tracing::debug!(window = %label, "UI channel send failed: {e}");
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Channel<UiEvent>>> {
        self.channels.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A channel whose batches are collected.
    pub(crate) fn recording_channel() -> (Channel<UiEvent>, Arc<Mutex<Vec<UiEvent>>>) {
        let seen = Arc::new(Mutex::new(Vec::<UiEvent>::new()));
        let sink = seen.clone();
        let channel = Channel::new(move |body| {
            if let tauri::ipc::InvokeResponseBody::Json(json) = body {
                let event: UiEvent = serde_json::from_str(&json).expect("a UiEvent");
                sink.lock().expect("lock").push(event);
            }
            Ok(())
        });
        (channel, seen)
    }
}

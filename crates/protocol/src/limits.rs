//! Caps on what one incoming event may carry (docs/protocol.md, "Limits"). They are checked on
//! the parsed JSON before anything is copied into typed structs, so an oversized event costs one
//! walk over what the socket library already parsed and is then dropped whole.

use serde_json::Value;

/// The largest event taken, as its JSON size (strings counted unescaped). A chat message at the
/// content cap with the most attachments is about 120 KiB; 1 MiB leaves room for a long
/// conversation's participants or a listing change while bounding what one event holds.
pub const MAX_EVENT_BYTES: usize = 1 << 20;

/// The longest message text (UTF-8 bytes) of `chat.message`, a conversation's last message, and
/// a notification's title or message. 64 KiB is over ten thousand words, more than any chat
/// system shows in one message (most cap at 4-40 thousand characters).
pub const MAX_CONTENT_BYTES: usize = 64 << 10;

/// The most attachments one `chat.message` may carry; a marketplace chat offers a few photos
/// or files per message, and each one is a URL the app may fetch.
pub const MAX_ATTACHMENTS: usize = 20;

/// The size of what a JSON value holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValueSize {
    /// Its JSON length, strings counted without escapes.
    pub json_bytes: usize,
    /// How many values (strings, numbers, arrays, objects ...) it is made of.
    pub nodes: usize,
}

impl ValueSize {
    /// About what it occupies in memory once parsed (each node's own allocation and enum slot
    /// on top of its text), for the byte bounds of the queues it passes through.
    pub fn held_bytes(&self) -> usize {
        self.json_bytes
            .saturating_add(self.nodes.saturating_mul(48))
    }
}

/// Measures `values`, stopping as soon as the JSON size passes `limit`: `Err` then carries the
/// size seen so far (already over the limit), so a huge value costs no more than the limit.
pub fn measure(values: &[Value], limit: usize) -> Result<ValueSize, ValueSize> {
    let mut size = ValueSize::default();
    // An explicit stack: the depth of what a server sends is not ours to choose.
    let mut stack: Vec<&Value> = values.iter().collect();
    while let Some(value) = stack.pop() {
        size.nodes += 1;
        size.json_bytes = size.json_bytes.saturating_add(match value {
            Value::Null => 4,
            Value::Bool(_) => 5,
            Value::Number(_) => 8,
            Value::String(s) => s.len() + 2,
            Value::Array(items) => {
                stack.extend(items.iter());
                2 + items.len()
            }
            Value::Object(map) => {
                for (key, item) in map {
                    size.json_bytes = size.json_bytes.saturating_add(key.len() + 4);
                    stack.push(item);
                }
                2
            }
        });
        if size.json_bytes > limit {
            return Err(size);
        }
    }
    Ok(size)
}

/// Why an event breaks a cap, or `None` when it keeps to all of them.
pub(crate) fn check(event: &str, args: &[Value]) -> Option<String> {
    if let Err(seen) = measure(args, MAX_EVENT_BYTES) {
        return Some(format!(
            "the event is over {} bytes (the limit is {MAX_EVENT_BYTES})",
            seen.json_bytes
        ));
    }
    let payload = args.first()?;
    let texts: &[&str] = match event {
        "chat.message" => &["/content"],
        "chat.conversation.update" => &["/lastMessage/content"],
        "notification.system" | "notification.user" => &["/title", "/message"],
        _ => &[],
    };
    for pointer in texts {
        if let Some(Value::String(text)) = payload.pointer(pointer) {
            if text.len() > MAX_CONTENT_BYTES {
                return Some(format!(
                    "{} is {} bytes (the limit is {MAX_CONTENT_BYTES})",
                    &pointer[1..],
                    text.len()
                ));
            }
        }
    }
    if event == "chat.message" {
        if let Some(Value::Array(attachments)) = payload.get("attachments") {
            if attachments.len() > MAX_ATTACHMENTS {
                return Some(format!(
                    "{} attachments (the limit is {MAX_ATTACHMENTS})",
                    attachments.len()
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn measuring_stops_at_the_limit() {
        let big = vec![json!({"content": "x".repeat(10_000)})];
        let whole = measure(&big, usize::MAX).expect("no limit");
        assert!(whole.json_bytes > 10_000 && whole.json_bytes < 10_050);
        let cut = measure(&big, 1_000).expect_err("over");
        assert!(cut.json_bytes > 1_000);
    }

    #[test]
    fn deep_nesting_is_measured_without_recursion() {
        let mut value = json!(1);
        for _ in 0..10_000 {
            value = Value::Array(vec![value]);
        }
        let size = measure(std::slice::from_ref(&value), usize::MAX).expect("measured");
        assert_eq!(size.nodes, 10_001);
        // serde_json's own drop of such a value recurses; take it apart first.
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
    }

    #[test]
    fn caps_name_what_broke_them() {
        let over = |event: &str, payload: Value| check(event, &[payload]);
        let long = "x".repeat(MAX_CONTENT_BYTES + 1);
        let fits = "x".repeat(MAX_CONTENT_BYTES);
        assert!(over("chat.message", json!({"content": fits})).is_none());
        assert!(
            over("chat.message", json!({"content": long})).is_some_and(|r| r.contains("content"))
        );
        assert!(over(
            "chat.conversation.update",
            json!({"lastMessage": {"content": long}})
        )
        .is_some());
        assert!(over("notification.user", json!({"title": long})).is_some());
        let many: Vec<Value> = (0..=MAX_ATTACHMENTS).map(|i| json!({"url": i})).collect();
        assert!(over("chat.message", json!({"attachments": many}))
            .is_some_and(|r| r.contains("attachments")));
        let huge = "x".repeat(MAX_EVENT_BYTES);
        assert!(
            over("listing.update", json!({"changes": huge})).is_some_and(|r| r.contains("event"))
        );
        // Other events' text is bounded by the event cap alone.
        assert!(over("presence.typing", json!({"userId": long})).is_none());
    }
}

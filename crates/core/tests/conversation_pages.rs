//! Conversations a page at a time: the same order as the whole list, no overlap, unread counts
//! kept.

use sellerdesk_core::protocol::*;
use sellerdesk_core::store::{PageRequest, Store};
use serde_json::json;

const T0: i64 = 1_795_000_000_000;

fn message(id: &str, conversation: &str, at: i64) -> ServerEvent {
    let data = json!({"id": id, "conversationId": conversation,
        "sender": {"id": "buyer", "name": "Buyer", "avatar": ""},
        "content": format!("text of {id}"), "attachments": [], "timestamp": at, "status": "sent"});
    ServerEvent::decode("chat.message", &[data]).expect("message")
}

#[tokio::test]
async fn pages_follow_the_whole_list_with_unread_counts() {
    let store = Store::open_in_memory().await.expect("store");
    let mut events = Vec::new();
    for c in 0..7_i64 {
        // Conversation c has c + 1 messages; later conversations are more recent.
        for m in 0..=c {
            events.push(message(
                &format!("m{c}-{m}"),
                &format!("c{c}"),
                T0 + c * 1_000 + m,
            ));
        }
    }
    store.apply(&events, Timestamp::now()).await.expect("apply");
    store.mark_conversation_read("c5").await.expect("mark read");

    let all = store.conversations().await.expect("all");
    assert_eq!(all.len(), 7);
    let mut paged = Vec::new();
    for offset in (0..9).step_by(3) {
        let page = store
            .conversations_page(PageRequest::new(3, offset))
            .await
            .expect("page");
        assert!(page.len() <= 3);
        paged.extend(page);
    }
    assert_eq!(paged, all, "pages concatenate to the whole list");
    assert_eq!(paged[0].id, "c6");
    assert_eq!(paged[0].unread_count, 7);
    assert_eq!(paged[1].id, "c5");
    assert_eq!(paged[1].unread_count, 0, "marked read");
    assert!(store
        .conversations_page(PageRequest::new(3, 7))
        .await
        .expect("past the end")
        .is_empty());
    assert_eq!(
        store.unread_conversations().await.expect("badge"),
        6,
        "every conversation but the one read"
    );
    store.mark_conversation_read("c6").await.expect("mark read");
    assert_eq!(store.unread_conversations().await.expect("badge"), 5);
}

//! Search over the cache: accents, apostrophes, URLs, ids, filters, paging, and input that
//! would be an FTS5 syntax error if passed through.

use sellerdesk_core::models::{SearchResult, SearchResultKind};
use sellerdesk_core::protocol::*;
use sellerdesk_core::store::{PageRequest, Store};
use serde_json::{json, Value};

fn event(name: &str, data: Value) -> ServerEvent {
    ServerEvent::decode(name, &[data]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn message(id: &str, conversation: &str, sender: &str, text: &str, at_ms: i64) -> ServerEvent {
    event(
        "chat.message",
        json!({"id": id, "conversationId": conversation,
               "sender": {"id": format!("u-{sender}"), "name": sender, "avatar": ""},
               "content": text, "attachments": [], "timestamp": at_ms, "status": "sent"}),
    )
}

const T0: i64 = 1_795_000_000_000;

async fn filled() -> Store {
    let store = Store::open_in_memory().await.expect("store");
    let events = vec![
        message(
            "m1",
            "conv-1",
            "Zoë Müller",
            "Le café était fermé, désolé",
            T0,
        ),
        message(
            "m2",
            "conv-1",
            "Zoë Müller",
            "I don't think the parcel arrived",
            T0 + 1,
        ),
        message(
            "m3",
            "conv-2",
            "Sean O'Brien",
            "See https://shop.example.com/item?id=42&ref=mail please",
            T0 + 2,
        ),
        message(
            "m4",
            "conv-2",
            "Sean O'Brien",
            "Where is ord-1001? Paid yesterday",
            T0 + 3,
        ),
        message(
            "m5",
            "conv-3",
            "Ann Lee",
            "Is lst_9a7 back in stock? 🎉 thanks",
            T0 + 4,
        ),
        message(
            "m6",
            "conv-3",
            "Ann Lee",
            "the cafe downtown sells it too",
            T0 + 5,
        ),
        message(
            "m7",
            "conv-1",
            "Zoë Müller",
            "\"quoted\" AND (weird) NEAR( * text",
            T0 + 6,
        ),
        event(
            "order.status",
            json!({"orderId": "ord-1001", "status": "confirmed", "previousStatus": "pending",
              "timestamp": T0 + 10, "updatedBy": {"id": "sys", "role": "system"}}),
        ),
        event(
            "listing.stock",
            json!({"listingId": "lst_9a7", "quantity": 2, "status": "low_stock", "threshold": 5}),
        ),
    ];
    store
        .apply(&events, Timestamp::from_millis(T0 + 20).expect("time"))
        .await
        .expect("apply");
    store
}

async fn search(store: &Store, query: &str) -> Vec<SearchResult> {
    store
        .search(query, PageRequest::new(50, 0))
        .await
        .unwrap_or_else(|e| panic!("search {query:?}: {e}"))
}

fn message_ids(results: &[SearchResult]) -> Vec<&str> {
    let mut ids: Vec<&str> = results
        .iter()
        .filter_map(|r| r.message_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids
}

fn hits(result: &SearchResult) -> Vec<&str> {
    result
        .snippet
        .iter()
        .filter(|s| s.hit)
        .map(|s| s.text.as_str())
        .collect()
}

#[tokio::test]
async fn accents_are_folded_both_ways() {
    let store = filled().await;
    assert_eq!(
        message_ids(&search(&store, "cafe ").await),
        vec!["m1", "m6"]
    );
    assert_eq!(
        message_ids(&search(&store, "café ").await),
        vec!["m1", "m6"]
    );
    let results = search(&store, "desole").await;
    assert_eq!(message_ids(&results), vec!["m1"]);
    assert_eq!(hits(&results[0]), vec!["désolé"]);
    // Buyer names too.
    assert_eq!(
        message_ids(&search(&store, "muller").await),
        vec!["m1", "m2", "m7"]
    );
}

#[tokio::test]
async fn apostrophes_urls_and_ids() {
    let store = filled().await;
    let results = search(&store, "don't").await;
    assert_eq!(message_ids(&results), vec!["m2"]);
    assert_eq!(hits(&results[0]), vec!["don't"]);
    assert_eq!(
        message_ids(&search(&store, "O'Brien").await),
        vec!["m3", "m4"]
    );
    let results = search(&store, "https://shop.example.com/item?id=42").await;
    assert_eq!(message_ids(&results), vec!["m3"]);
    assert_eq!(
        hits(&results[0]),
        vec!["https://shop.example.com/item?id=42"]
    );
    assert_eq!(
        message_ids(&search(&store, "example.com").await),
        vec!["m3"]
    );

    let results = search(&store, "ord-1001").await;
    assert_eq!(
        results[0].kind,
        SearchResultKind::Order,
        "the order itself ranks first"
    );
    assert_eq!(results[0].order_id.as_deref(), Some("ord-1001"));
    assert_eq!(hits(&results[0]), vec!["ord-1001"]);
    assert_eq!(message_ids(&results), vec!["m4"]);
    let m4 = results
        .iter()
        .find(|r| r.message_id.as_deref() == Some("m4"));
    assert_eq!(
        m4.and_then(|r| r.conversation_id.as_deref()),
        Some("conv-2")
    );

    let results = search(&store, "lst_9a7").await;
    assert!(
        results
            .iter()
            .any(|r| r.kind == SearchResultKind::Listing
                && r.listing_id.as_deref() == Some("lst_9a7"))
    );
    assert_eq!(message_ids(&results), vec!["m5"]);
}

#[tokio::test]
async fn filters_combine_with_text() {
    let store = filled().await;
    assert_eq!(
        message_ids(&search(&store, "buyer:zoe").await),
        vec!["m1", "m2", "m7"]
    );
    assert_eq!(
        message_ids(&search(&store, "buyer:zoe parcel").await),
        vec!["m2"]
    );
    assert_eq!(
        message_ids(&search(&store, "buyer:\"Sean O'Brien\" paid").await),
        vec!["m4"]
    );
    assert_eq!(
        message_ids(&search(&store, "in:conv-3 cafe").await),
        vec!["m6"]
    );
    let only_conv = search(&store, "in:conv-1").await;
    assert_eq!(message_ids(&only_conv), vec!["m1", "m2", "m7"]);
    assert_eq!(
        only_conv[0].message_id.as_deref(),
        Some("m7"),
        "newest first"
    );
    let order = search(&store, "order:ord-1001").await;
    assert_eq!(order.len(), 2);
    assert!(order.iter().any(|r| r.kind == SearchResultKind::Order));
    assert_eq!(message_ids(&order), vec!["m4"]);
    assert!(search(&store, "order:ord-1001 in:conv-1").await.is_empty());
    // Filters leave out orders and listings.
    assert!(search(&store, "buyer:ann lst_9a7")
        .await
        .iter()
        .all(|r| r.kind == SearchResultKind::Message));
}

#[tokio::test]
async fn hostile_input_is_text_never_an_error() {
    let store = filled().await;
    for query in [
        "\"",
        "\"\"",
        "*",
        "**",
        "AND",
        "OR",
        "NOT",
        "AND OR NOT",
        "NEAR(",
        "NEAR(a b",
        "(",
        ")",
        "((a)",
        "a)",
        "^a",
        "a:b",
        ":",
        "buyer:",
        "in:",
        "order:",
        "order:*",
        "buyer:\"",
        "-",
        "+",
        "{content}: x",
        "content:x",
        "\u{0}",
        "🎉",
        "👩‍👩‍👧",
        "'",
        "''",
        "a\"b",
        "\\",
        "%",
        "_",
        "   ",
        "",
    ] {
        let results = search(&store, query).await;
        assert!(results.len() <= 50, "{query:?}");
    }
    // Operators are words: `AND` finds the message that contains it.
    assert_eq!(message_ids(&search(&store, "AND").await), vec!["m7"]);
    assert_eq!(message_ids(&search(&store, "NEAR(").await), vec!["m7"]);
    assert_eq!(message_ids(&search(&store, "\"quoted\"").await), vec!["m7"]);
    // Emoji are not tokens: matched as text, and highlighted.
    let results = search(&store, "🎉").await;
    assert_eq!(message_ids(&results), vec!["m5"]);
    assert_eq!(hits(&results[0]), vec!["🎉"]);
    assert_eq!(message_ids(&search(&store, "thanks 🎉").await), vec!["m5"]);

    // A few hundred random strings of FTS5-meaningful characters.
    let alphabet: Vec<char> = "\"*()^:+-ANDORTNE é'🎉{}[],.\\".chars().collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..300 {
        let mut query = String::new();
        for _ in 0..(seed % 12) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let index = usize::try_from(seed % alphabet.len() as u64).expect("index");
            query.push(alphabet[index]);
        }
        search(&store, &query).await;
    }
}

#[tokio::test]
async fn prefix_while_typing_and_paging() {
    let store = filled().await;
    assert_eq!(message_ids(&search(&store, "parc").await), vec!["m2"]);
    assert!(
        message_ids(&search(&store, "parc ").await).is_empty(),
        "a finished word is exact"
    );

    let store = Store::open_in_memory().await.expect("store");
    let events: Vec<ServerEvent> = (0..25)
        .map(|i| {
            message(
                &format!("p{i:02}"),
                "conv-p",
                "Bob",
                "same words here",
                T0 + i,
            )
        })
        .collect();
    store.apply(&events, Timestamp::now()).await.expect("apply");
    let mut seen = Vec::new();
    for offset in [0, 10, 20] {
        let page = store
            .search("same words", PageRequest::new(10, offset))
            .await
            .expect("page");
        seen.extend(page.into_iter().filter_map(|r| r.message_id));
    }
    assert_eq!(seen.len(), 25);
    // Equal rank: newest first.
    assert_eq!(seen[0], "p24");
    assert_eq!(seen[24], "p00");
}

#[tokio::test]
async fn long_messages_get_a_window_around_the_match() {
    let store = Store::open_in_memory().await.expect("store");
    let text = format!("{} needle {}", "hay ".repeat(200), "stack ".repeat(200));
    store
        .apply(&[message("long", "c", "Bob", &text, T0)], Timestamp::now())
        .await
        .expect("apply");
    let results = search(&store, "needle").await;
    let snippet = &results[0].snippet;
    let chars: usize = snippet.iter().map(|s| s.text.chars().count()).sum();
    assert!(chars < 200, "{chars}");
    assert_eq!(hits(&results[0]), vec!["needle"]);
    assert!(snippet[0].text.starts_with('…'));
}

#[tokio::test]
async fn the_index_follows_the_tables() {
    let store = filled().await;
    // A replay (status upsert) neither duplicates nor drops an entry.
    store
        .apply(
            &[message(
                "m2",
                "conv-1",
                "Zoë Müller",
                "I don't think the parcel arrived",
                T0 + 1,
            )],
            Timestamp::now(),
        )
        .await
        .expect("replay");
    assert_eq!(message_ids(&search(&store, "parcel").await), vec!["m2"]);
    store.clear_cache(false).await.expect("clear");
    assert!(search(&store, "parcel").await.is_empty());
    assert!(search(&store, "ord-1001").await.is_empty());
    store
        .apply(
            &[message("n1", "c9", "Eve", "parcel again", T0)],
            Timestamp::now(),
        )
        .await
        .expect("apply after clear");
    assert_eq!(message_ids(&search(&store, "parcel").await), vec!["n1"]);
}

#[tokio::test]
async fn pages_run_on_from_the_records_into_the_messages() {
    let store = Store::open_in_memory().await.expect("store");
    let mut events: Vec<ServerEvent> = (0..3)
        .map(|i| {
            event(
                "order.status",
                json!({"orderId": format!("ord-77{i}"), "status": "confirmed",
                  "previousStatus": "pending", "timestamp": T0 + i,
                  "updatedBy": {"id": "sys", "role": "system"}}),
            )
        })
        .collect();
    events.extend((0..5).map(|i| {
        message(
            &format!("q{i}"),
            "conv-q",
            "Bob",
            &format!("about ord 77{i}"),
            T0 + i,
        )
    }));
    store.apply(&events, Timestamp::now()).await.expect("apply");
    let mut seen = Vec::new();
    for offset in [0, 2, 4, 6] {
        let page = store
            .search("ord ", PageRequest::new(2, offset))
            .await
            .expect("page");
        assert!(page.len() <= 2);
        seen.extend(page.into_iter().map(|r| {
            r.order_id
                .or(r.message_id)
                .unwrap_or_else(|| "?".to_owned())
        }));
    }
    assert_eq!(seen.len(), 8, "{seen:?}");
    assert!(
        seen[..3].iter().all(|id| id.starts_with("ord-")),
        "{seen:?}"
    );
    assert_eq!(
        seen[3..],
        ["q4", "q3", "q2", "q1", "q0"],
        "newest message first"
    );
}

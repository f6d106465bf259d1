//! Timings on a generated cache: open + first conversations page, message pages, search, and
//! bytes on disk. Each figure is printed beside its target from issue 4; nothing is asserted.

use super::generate;
use crate::stats::{percentile, sorted};
use sellerdesk_core::store::{MessageCursor, PageRequest, Store, DATABASE_FILE};
use std::path::Path;
use std::time::Instant;

const OPEN_RUNS: usize = 20;
const PAGE_SAMPLES: usize = 200;
const SEARCH_ROUNDS: usize = 5;

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1_000.0
}

fn line(what: &str, samples: Vec<f64>, target: &str) {
    let s = sorted(samples);
    println!(
        "{what:<52} n={:<5} p50 {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms   (target {target})",
        s.len(),
        percentile(&s, 50.0),
        percentile(&s, 95.0),
        s.last().copied().unwrap_or(f64::NAN),
    );
}

/// Opens a new `Store` per run (a cold start of the app or CLI, with the OS file cache warm)
/// and reads the first page of conversations.
async fn open_and_list(dir: &Path) -> Result<(), String> {
    let mut total = Vec::with_capacity(OPEN_RUNS);
    let mut open = Vec::with_capacity(OPEN_RUNS);
    let mut all = Vec::with_capacity(OPEN_RUNS);
    let mut listed = 0;
    for _ in 0..OPEN_RUNS {
        let started = Instant::now();
        let store = Store::open(dir).await.map_err(|e| e.to_string())?;
        open.push(ms(started));
        let page = store
            .conversations_page(PageRequest::new(50, 0))
            .await
            .map_err(|e| e.to_string())?;
        total.push(ms(started));
        listed = page.len();
        // For comparison: every conversation at once, as the unpaged query does.
        let started = Instant::now();
        store.conversations().await.map_err(|e| e.to_string())?;
        all.push(ms(started));
        store.close().await;
    }
    line("open + conversations_page (first 50)", total, "< 50 ms");
    line("  of which Store::open (schema check included)", open, "-");
    line("  for comparison: conversations() (all, unpaged)", all, "-");
    println!("  (first page: {listed} conversations)");
    Ok(())
}

/// The cursor of a page in the middle of a conversation's history, found by walking it back.
async fn middle_cursor(store: &Store, conversation: &str) -> Result<Option<MessageCursor>, String> {
    let mut cursors = Vec::new();
    let mut before: Option<MessageCursor> = None;
    for _ in 0..2_000 {
        let page = store
            .messages_page(conversation, before.as_ref(), 50)
            .await
            .map_err(|e| e.to_string())?;
        match MessageCursor::before(&page) {
            Some(cursor) if page.len() == 50 => {
                cursors.push(cursor.clone());
                before = Some(cursor);
            }
            _ => break,
        }
    }
    Ok(cursors.get(cursors.len() / 2).cloned())
}

async fn message_pages(store: &Store, conversations: usize) -> Result<(), String> {
    // Spread over busy (low index) and quiet conversations.
    let picks: Vec<String> = (0..PAGE_SAMPLES)
        .map(|i| generate::conversation_id((i * 7_919) % conversations.max(1)))
        .collect();
    let mut newest = Vec::with_capacity(picks.len());
    let mut rows = 0;
    for id in &picks {
        let started = Instant::now();
        let page = store
            .messages_page(id, None, 50)
            .await
            .map_err(|e| e.to_string())?;
        newest.push(ms(started));
        rows += page.len();
    }
    line("messages_page, 50 newest", newest, "< 5 ms");
    println!("  ({} conversations, {rows} messages read)", picks.len());
    let mut middle = Vec::new();
    for id in picks.iter().take(50) {
        let Some(cursor) = middle_cursor(store, id).await? else {
            continue;
        };
        for _ in 0..4 {
            let started = Instant::now();
            store
                .messages_page(id, Some(&cursor), 50)
                .await
                .map_err(|e| e.to_string())?;
            middle.push(ms(started));
        }
    }
    line(
        "messages_page, 50 before a cursor mid-history",
        middle,
        "< 5 ms",
    );
    Ok(())
}

fn queries() -> Vec<String> {
    let mut q: Vec<String> = [
        "available",
        "shipping",
        "tracking number",
        "discount",
        "refund",
        "waterproof",
        "photos",
        "birthday",
        "review",
        "address",
        "café",
        "crème brûlée",
        "Montréal",
        "São Paulo",
        "reçu",
        "Größe",
        "Zürich",
        "naïve",
        "résumé",
        "piñata",
        "Málaga",
        "cafe",
        "creme",
        "I'd",
        "it's",
        "haven't",
        "daughter's",
        "doesn't",
        "ship",
        "avail",
        "trac",
        "Mül",
        "Zo",
        "disc",
        "wat",
        "https://example.com/listing/L-40213",
        "IMG_2041.jpg",
        "1Z999AA10123456784",
        "🎉",
        "ORD-004211",
        "buyer:Zoë",
        "buyer:O'Brien",
        "buyer:Müller hello",
        "buyer:Chloé shipping",
        "in:conv-00042 box",
        "in:conv-00003 discount",
        "in:conv-01234",
        "order:ORD-000123",
        "\"the box was damaged\"",
        "nothing-matches-this-xyz",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    q.dedup();
    q
}

async fn search(store: &Store) -> Result<(), String> {
    let queries = queries();
    let mut samples = Vec::new();
    let mut per_query: Vec<Vec<f64>> = vec![Vec::new(); queries.len()];
    let mut empty = 0;
    for round in 0..SEARCH_ROUNDS {
        for (q, times) in queries.iter().zip(per_query.iter_mut()) {
            let started = Instant::now();
            let hits = store
                .search(q, PageRequest::new(50, 0))
                .await
                .map_err(|e| e.to_string())?;
            let took = ms(started);
            if round == 0 && hits.is_empty() {
                empty += 1;
            }
            times.push(took);
            samples.push(took);
        }
    }
    line(
        &format!(
            "search top 50 ({} queries x {SEARCH_ROUNDS})",
            queries.len()
        ),
        samples,
        "p95 < 20 ms",
    );
    let mut medians: Vec<(f64, &String)> = per_query
        .into_iter()
        .map(|t| percentile(&sorted(t), 50.0))
        .zip(queries.iter())
        .collect();
    medians.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = medians
        .iter()
        .take(6)
        .map(|(t, q)| format!("{q:?} {t:.1} ms"))
        .collect();
    println!(
        "  ({empty} queries found nothing; slowest by p50: {})",
        slowest.join(", ")
    );
    Ok(())
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

async fn bytes(dir: &Path) -> Result<(), String> {
    // Closing the last connection checkpoints the WAL into the database file.
    let store = Store::open(dir).await.map_err(|e| e.to_string())?;
    let stats = store.cache_stats().await.map_err(|e| e.to_string())?;
    store.close().await;
    let messages = stats
        .kinds
        .iter()
        .find(|k| k.kind == "messages")
        .map_or(0, |k| k.rows)
        .max(1) as f64;
    let files: u64 = ["", "-wal", "-shm"]
        .iter()
        .map(|s| file_size(&dir.join(format!("{DATABASE_FILE}{s}"))))
        .sum();
    println!(
        "bytes on disk per message: {:.0} B ({:.1} MiB files incl. -wal/-shm after a checkpoint, {} messages)   (target: reported)",
        files as f64 / messages,
        files as f64 / 1_048_576.0,
        messages
    );
    println!("  cache_stats ({}):", stats.bytes_source);
    for k in &stats.kinds {
        if k.rows > 0 || k.bytes > 0 {
            println!(
                "    {:<14} {:>10} rows {:>9.1} MiB  {:>6.0} B/message",
                k.kind,
                k.rows,
                k.bytes as f64 / 1_048_576.0,
                k.bytes as f64 / messages
            );
        }
    }
    Ok(())
}

pub async fn run(dir: &Path, ingest: Option<&generate::Generated>) -> Result<(), String> {
    let conversations = {
        let store = Store::open(dir).await.map_err(|e| e.to_string())?;
        let stats = store.cache_stats().await.map_err(|e| e.to_string())?;
        store.close().await;
        let n = stats
            .kinds
            .iter()
            .find(|k| k.kind == "conversations")
            .map_or(0, |k| k.rows);
        usize::try_from(n).unwrap_or(0)
    };
    if conversations == 0 {
        return Err(format!(
            "no cache in {} (run `generate` first)",
            dir.display()
        ));
    }
    println!("cache at {}", dir.display());
    open_and_list(dir).await?;
    let store = Store::open(dir).await.map_err(|e| e.to_string())?;
    message_pages(&store, conversations).await?;
    search(&store).await?;
    store.close().await;
    match ingest {
        Some(g) => println!(
            "ingest: {:.0} messages/s ({} messages in {:.1} s, batches of {})   (target >= 50,000/s)",
            g.rate(),
            g.messages,
            g.elapsed.as_secs_f64(),
            generate::BATCH
        ),
        None => println!("ingest: see `generate` (this cache was generated earlier)   (target >= 50,000/s)"),
    }
    bytes(dir).await
}

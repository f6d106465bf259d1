//! Issue 4's cache benchmarks: a generated cache (`generate`) and timings on it (`cache`).

mod generate;
mod measure;
mod text;

use std::path::{Path, PathBuf};

pub const DEFAULT_MESSAGES: usize = 1_000_000;
pub const DEFAULT_CONVERSATIONS: usize = 10_000;
pub const DEFAULT_SEED: u64 = 4;

pub async fn generate(
    dir: &Path,
    messages: usize,
    conversations: usize,
    seed: u64,
) -> Result<(), String> {
    let g = generate::run(dir, messages, conversations, seed).await?;
    print_ingest(&g);
    Ok(())
}

fn print_ingest(g: &generate::Generated) {
    println!(
        "generated {} messages in {} conversations: ingest {:.1} s, {:.0} messages/s (batches of {}, target >= 50,000/s)",
        g.messages,
        g.conversations,
        g.elapsed.as_secs_f64(),
        g.rate(),
        generate::BATCH
    );
    let tenths: Vec<String> = g.tenths.iter().map(|r| format!("{r:.0}")).collect();
    println!("  messages/s by tenth of the ingest: {}", tenths.join(" "));
}

/// Measures the cache in `dir`, or generates one with the defaults into a temporary folder.
pub async fn cache(dir: Option<PathBuf>) -> Result<(), String> {
    match dir {
        Some(dir) => measure::run(&dir, None).await,
        None => {
            let temp = tempfile::tempdir().map_err(|e| e.to_string())?;
            println!(
                "generating {DEFAULT_MESSAGES} messages in {DEFAULT_CONVERSATIONS} conversations into {}",
                temp.path().display()
            );
            let g = generate::run(
                temp.path(),
                DEFAULT_MESSAGES,
                DEFAULT_CONVERSATIONS,
                DEFAULT_SEED,
            )
            .await?;
            print_ingest(&g);
            measure::run(temp.path(), Some(&g)).await
        }
    }
}

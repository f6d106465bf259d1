//! The UI's typed API of the commands, generated from their one declaration: the
//! `#[tauri::command]` fns of commands.rs. Running the tests writes `commands.ts` (and
//! `pages.ts`, the page sizes of sellerdesk-core's `pages` module) next to the ts-rs bindings,
//! so the bindings check of scripts/test-all.sh fails when a committed copy is stale, and tsc
//! fails when a command names a type that has no binding.

mod handler_list;
mod literal_limits;
mod pages;
mod render;
mod rust_commands;
mod ts_type;

use std::path::{Path, PathBuf};

fn repo_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Where ts-rs writes the bindings (`TS_RS_EXPORT_DIR`, set by .cargo/config.toml).
fn export_dir() -> PathBuf {
    match std::env::var_os("TS_RS_EXPORT_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => panic!(
            "TS_RS_EXPORT_DIR is not set: run the tests through cargo (.cargo/config.toml sets it)"
        ),
    }
}

fn write(name: &str, contents: &str) {
    let dir = export_dir();
    let path = dir.join(name);
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, contents))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

#[test]
fn commands_ts_is_generated_from_commands_rs() {
    let (commands, imports) =
        rust_commands::parse(&repo_file("src-tauri/commands.rs")).unwrap_or_else(|e| panic!("{e}"));
    let declared: Vec<String> = commands.iter().map(|c| c.name.clone()).collect();
    let registered =
        handler_list::registered(&repo_file("src-tauri/lib.rs")).unwrap_or_else(|e| panic!("{e}"));
    // Written first, like ts-rs does, so a failing run still shows what commands.rs declares.
    write("commands.ts", &render::commands_ts(&commands, &imports));
    if let Some(drift) = handler_list::drift(&declared, &registered) {
        panic!("the commands of commands.rs and lib.rs differ: {drift}");
    }
}

#[test]
fn commands_default_their_limit_to_a_page_size_of_pages_rs() {
    let own_numbers =
        literal_limits::find(&repo_file("src-tauri/commands.rs")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        own_numbers.is_empty(),
        "these commands default `limit` to a number of their own instead of a \
         sellerdesk_core::pages constant: {}",
        own_numbers.join(", ")
    );
}

#[test]
fn pages_ts_is_generated_from_pages_rs() {
    let sizes =
        pages::parse(&repo_file("crates/core/src/pages.rs")).unwrap_or_else(|e| panic!("{e}"));
    let max = sizes.iter().find(|size| size.key == "max");
    assert_eq!(
        max.map(|size| size.value),
        Some(sellerdesk_core::pages::MAX),
        "pages.ts must carry the largest page as `max`"
    );
    write("pages.ts", &pages::render(&sizes));
}

//! The commands lib.rs registers with `tauri::generate_handler![...]`: they must be exactly the
//! ones commands.rs declares, so the UI's generated API never names a command the app lacks.

use syn::punctuated::Punctuated;
use syn::visit::Visit;

/// The names in lib.rs's one `generate_handler!`, each written `commands::name`.
pub fn registered(source: &str) -> Result<Vec<String>, String> {
    let file = syn::parse_file(source).map_err(|e| format!("lib.rs does not parse: {e}"))?;
    let mut finder = HandlerFinder::default();
    finder.visit_file(&file);
    let mut lists = finder.lists.into_iter();
    let (Some(list), None) = (lists.next(), lists.next()) else {
        return Err("lib.rs must call `tauri::generate_handler!` exactly once".into());
    };
    let paths = list?;
    let mut names = Vec::with_capacity(paths.len());
    for path in paths {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match segments.as_slice() {
            [module, name] if module == "commands" => names.push(name.clone()),
            _ => {
                return Err(format!(
                    "generate_handler! registers `{}`: every command is declared in commands.rs \
                     and registered as `commands::name`",
                    segments.join("::")
                ))
            }
        }
    }
    Ok(names)
}

/// How the declared and the registered commands differ; `None` when they are the same set.
pub fn drift(declared: &[String], registered: &[String]) -> Option<String> {
    use std::collections::BTreeSet;
    let declared_set: BTreeSet<&String> = declared.iter().collect();
    let registered_set: BTreeSet<&String> = registered.iter().collect();
    let mut problems = Vec::new();
    let unregistered: Vec<&str> = declared_set
        .difference(&registered_set)
        .map(|s| s.as_str())
        .collect();
    if !unregistered.is_empty() {
        problems.push(format!(
            "declared in commands.rs but not in lib.rs's generate_handler!: {}",
            unregistered.join(", ")
        ));
    }
    let undeclared: Vec<&str> = registered_set
        .difference(&declared_set)
        .map(|s| s.as_str())
        .collect();
    if !undeclared.is_empty() {
        problems.push(format!(
            "registered in lib.rs but not a #[tauri::command] in commands.rs: {}",
            undeclared.join(", ")
        ));
    }
    if registered_set.len() != registered.len() {
        problems.push("generate_handler! names a command twice".into());
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// One command of the list, with the `#[cfg(..)]` it may carry: a command left out of a build
/// is still one the UI may call in another.
struct Entry {
    path: syn::Path,
}

impl syn::parse::Parse for Entry {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        syn::Attribute::parse_outer(input)?;
        Ok(Self {
            path: input.parse()?,
        })
    }
}

#[derive(Default)]
struct HandlerFinder {
    lists: Vec<Result<Vec<syn::Path>, String>>,
}

impl<'ast> Visit<'ast> for HandlerFinder {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "generate_handler")
        {
            self.lists.push(
                mac.parse_body_with(Punctuated::<Entry, syn::Token![,]>::parse_terminated)
                    .map(|entries| entries.into_iter().map(|entry| entry.path).collect())
                    .map_err(|e| format!("generate_handler! does not list paths: {e}")),
            );
        }
        syn::visit::visit_macro(self, mac);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_list_is_found_inside_a_builder_chain() {
        let source = r#"
            pub fn configure(builder: Builder) -> Builder {
                builder.manage(1).invoke_handler(tauri::generate_handler![
                    commands::app_info,
                    #[cfg(feature = "demo")]
                    commands::list_conversations,
                ])
            }
        "#;
        assert_eq!(
            registered(source),
            Ok(names(&["app_info", "list_conversations"]))
        );
    }

    #[test]
    fn commands_from_elsewhere_and_a_second_list_are_refused() {
        let elsewhere = "fn f() { tauri::generate_handler![commands::a, other::b]; }";
        assert!(registered(elsewhere).is_err_and(|e| e.contains("`other::b`")));
        let twice = "fn f() { generate_handler![commands::a]; generate_handler![commands::b]; }";
        assert!(registered(twice).is_err_and(|e| e.contains("exactly once")));
        assert!(registered("fn f() {}").is_err());
    }

    #[test]
    fn drift_names_what_is_missing_on_each_side() {
        let declared = names(&["a", "b", "c"]);
        assert_eq!(drift(&declared, &names(&["c", "a", "b"])), None);
        let report = drift(&declared, &names(&["a", "b", "d"])).unwrap_or_default();
        assert!(
            report.contains("not in lib.rs's generate_handler!: c"),
            "{report}"
        );
        assert!(
            report.contains("not a #[tauri::command] in commands.rs: d"),
            "{report}"
        );
        let twice = drift(&declared, &names(&["a", "b", "c", "a"])).unwrap_or_default();
        assert!(twice.contains("twice"), "{twice}");
    }
}

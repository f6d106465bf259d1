//! The TypeScript twin of a Rust type in a command's signature, by the same rules ts-rs and
//! Tauri's IPC follow: what serde puts on the wire, named as the generated bindings name it.

use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};

/// What a generated file must import for the types it names.
#[derive(Debug, Default)]
pub struct Imports {
    /// `Channel` from `@tauri-apps/api/core`.
    pub channel: bool,
    /// Generated bindings by type name, with the path after `./` they live at.
    pub bindings: BTreeMap<String, String>,
}

impl Imports {
    fn binding(&mut self, name: &str) {
        self.bindings.insert(name.to_owned(), name.to_owned());
    }
}

/// What names in commands.rs stand for (`use` items): `Value` may be `serde_json::Value`.
#[derive(Debug, Default)]
pub struct Uses {
    full_paths: BTreeMap<String, Vec<String>>,
}

impl Uses {
    pub fn of(file: &syn::File) -> Self {
        let mut uses = Self::default();
        for item in &file.items {
            if let syn::Item::Use(item) = item {
                uses.collect(&item.tree, &mut Vec::new());
            }
        }
        uses
    }

    fn collect(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.collect(&path.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let mut full = prefix.clone();
                full.push(name.ident.to_string());
                self.full_paths.insert(name.ident.to_string(), full);
            }
            syn::UseTree::Rename(rename) => {
                let mut full = prefix.clone();
                full.push(rename.ident.to_string());
                self.full_paths.insert(rename.rename.to_string(), full);
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.collect(tree, prefix);
                }
            }
            syn::UseTree::Glob(_) => {}
        }
    }

    /// The path as written, its first segment replaced by what a `use` brought in.
    fn resolve(&self, path: &syn::Path) -> Vec<String> {
        let written: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match written.split_first() {
            Some((first, rest)) => match self.full_paths.get(first) {
                Some(full) => full.iter().chain(rest).cloned().collect(),
                None => written,
            },
            None => written,
        }
    }
}

/// Parameters the Tauri runtime fills in itself: the UI never sends them.
const INJECTED: [&str; 5] = ["State", "AppHandle", "Webview", "Window", "WebviewWindow"];

const NUMBERS: [&str; 14] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64",
];

/// `true` for `State<..>`, `AppHandle<..>` and the other parameters Tauri injects.
pub fn is_injected(ty: &syn::Type) -> bool {
    last_segment(ty).is_some_and(|segment| INJECTED.contains(&segment.ident.to_string().as_str()))
}

/// `true` for `Option<..>`: such a parameter may be left out.
pub fn is_option(ty: &syn::Type) -> bool {
    last_segment(ty).is_some_and(|segment| segment.ident == "Option")
}

/// What the UI receives for a command's return type: the `Ok` side of a `Result` (the error
/// side is thrown), and `null` for nothing.
pub fn return_type(
    output: &syn::ReturnType,
    uses: &Uses,
    imports: &mut Imports,
) -> Result<String, String> {
    let ty = match output {
        syn::ReturnType::Default => return Ok("null".into()),
        syn::ReturnType::Type(_, ty) => ty,
    };
    match last_segment(ty) {
        Some(segment) if segment.ident == "Result" => {
            let ok = type_arguments(segment)?
                .into_iter()
                .next()
                .ok_or_else(|| format!("`{}` names no success type", ty.to_token_stream()))?;
            ts_type(ok, uses, imports)
        }
        _ => ts_type(ty, uses, imports),
    }
}

/// The TypeScript type serde's JSON of `ty` has, recording what it needs imported.
pub fn ts_type(ty: &syn::Type, uses: &Uses, imports: &mut Imports) -> Result<String, String> {
    let unsupported = |why: &str| {
        Err(format!(
            "unsupported type `{}`: {why}",
            ty.to_token_stream()
        ))
    };
    match ty {
        syn::Type::Paren(inner) => ts_type(&inner.elem, uses, imports),
        syn::Type::Group(inner) => ts_type(&inner.elem, uses, imports),
        syn::Type::Reference(reference) => ts_type(&reference.elem, uses, imports),
        syn::Type::Tuple(tuple) if tuple.elems.is_empty() => Ok("null".into()),
        syn::Type::Path(path) if path.qself.is_none() => path_type(&path.path, uses, imports),
        _ => unsupported("only paths, references and `()` are understood"),
    }
}

fn path_type(path: &syn::Path, uses: &Uses, imports: &mut Imports) -> Result<String, String> {
    let Some(segment) = path.segments.last() else {
        return Err("an empty type path".into());
    };
    let name = segment.ident.to_string();
    let unsupported = |why: &str| {
        Err(format!(
            "unsupported type `{}`: {why}",
            path.to_token_stream()
        ))
    };
    let resolved = uses.resolve(path);
    if resolved == ["serde_json", "Value"] {
        imports
            .bindings
            .insert("JsonValue".into(), "serde_json/JsonValue".into());
        return Ok("JsonValue".into());
    }
    let arguments = type_arguments(segment)?;
    match (name.as_str(), arguments.as_slice()) {
        ("String" | "str", []) => Ok("string".into()),
        ("bool", []) => Ok("boolean".into()),
        (number, []) if NUMBERS.contains(&number) => Ok("number".into()),
        ("Option", [inner]) => {
            if is_option(inner) {
                return unsupported("an `Option` of an `Option` is one `null` on the wire");
            }
            Ok(format!("{} | null", ts_type(inner, uses, imports)?))
        }
        ("Vec", [inner]) => Ok(format!("Array<{}>", ts_type(inner, uses, imports)?)),
        ("Channel", [inner]) => {
            imports.channel = true;
            Ok(format!("Channel<{}>", ts_type(inner, uses, imports)?))
        }
        ("Option" | "Vec" | "Channel", _) => unsupported("expected exactly one type argument"),
        ("Result", _) => unsupported("a `Result` is only understood as the return type"),
        ("Self" | "char", _) => unsupported("no generated binding has this name"),
        (_, []) if name.chars().next().is_some_and(char::is_uppercase) => {
            imports.binding(&name);
            Ok(name)
        }
        (_, []) => unsupported("not a primitive the generator knows, nor a generated type"),
        (_, _) => unsupported("generic types other than Option, Vec and Channel"),
    }
}

/// The type arguments of `Name<..>`, lifetimes left out.
fn type_arguments(segment: &syn::PathSegment) -> Result<Vec<&syn::Type>, String> {
    match &segment.arguments {
        syn::PathArguments::None => Ok(Vec::new()),
        syn::PathArguments::AngleBracketed(arguments) => arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Lifetime(_) => None,
                syn::GenericArgument::Type(ty) => Some(Ok(ty)),
                other => Some(Err(format!(
                    "unsupported type argument `{}` of `{}`",
                    other.to_token_stream(),
                    segment.ident
                ))),
            })
            .collect(),
        syn::PathArguments::Parenthesized(_) => Err(format!(
            "unsupported function type `{}`",
            segment.to_token_stream()
        )),
    }
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last(),
        syn::Type::Reference(reference) => last_segment(&reference.elem),
        syn::Type::Paren(inner) => last_segment(&inner.elem),
        syn::Type::Group(inner) => last_segment(&inner.elem),
        _ => None,
    }
}

/// Every name a type mentions, for tests.
#[cfg(test)]
pub fn imported_names(imports: &Imports) -> BTreeSet<String> {
    imports.bindings.keys().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(ty: &str) -> Result<(String, Imports), String> {
        let file: syn::File = syn::parse_str("use serde_json::Value; use tauri::ipc::Channel;")
            .map_err(|e| e.to_string())?;
        let uses = Uses::of(&file);
        let ty: syn::Type = syn::parse_str(ty).map_err(|e| e.to_string())?;
        let mut imports = Imports::default();
        let text = ts_type(&ty, &uses, &mut imports)?;
        Ok((text, imports))
    }

    fn text(ty: &str) -> String {
        match ts(ty) {
            Ok((text, _)) => text,
            Err(e) => panic!("{ty}: {e}"),
        }
    }

    #[test]
    fn primitives_map_to_what_serde_sends() {
        assert_eq!(text("String"), "string");
        assert_eq!(text("&str"), "string");
        assert_eq!(text("bool"), "boolean");
        for number in NUMBERS {
            assert_eq!(text(number), "number", "{number}");
        }
        assert_eq!(text("()"), "null");
    }

    #[test]
    fn containers_nest_like_ts_rs_writes_them() {
        assert_eq!(text("Option<u32>"), "number | null");
        assert_eq!(text("Vec<ConversationView>"), "Array<ConversationView>");
        assert_eq!(text("Vec<Option<String>>"), "Array<string | null>");
        assert_eq!(text("Option<Vec<String>>"), "Array<string> | null");
        assert_eq!(text("std::vec::Vec<u8>"), "Array<number>");
    }

    #[test]
    fn named_types_are_imported_from_their_binding() {
        let Ok((text, imports)) = ts("Vec<sellerdesk_core::models::OrderView>") else {
            panic!("OrderView")
        };
        assert_eq!(text, "Array<OrderView>");
        assert_eq!(
            imported_names(&imports),
            BTreeSet::from(["OrderView".into()])
        );

        let Ok((text, imports)) = ts("Value") else {
            panic!("Value")
        };
        assert_eq!(text, "JsonValue");
        assert_eq!(
            imports.bindings.get("JsonValue").map(String::as_str),
            Some("serde_json/JsonValue")
        );

        let Ok((text, imports)) = ts("Channel<UiEvent>") else {
            panic!("Channel")
        };
        assert_eq!(text, "Channel<UiEvent>");
        assert!(imports.channel);
        assert_eq!(imported_names(&imports), BTreeSet::from(["UiEvent".into()]));
    }

    #[test]
    fn types_without_a_faithful_twin_are_refused() {
        for ty in [
            "HashMap<String, u32>",
            "(u32, u32)",
            "Option<Option<u32>>",
            "[u8; 4]",
            "char",
            "Box<dyn Fn()>",
        ] {
            assert!(ts(ty).is_err(), "{ty} was accepted");
        }
    }

    #[test]
    fn results_give_their_success_type() {
        let uses = Uses::default();
        let mut imports = Imports::default();
        let parse = |ty: &str| -> syn::ReturnType {
            syn::parse_str(&format!("-> {ty}")).unwrap_or(syn::ReturnType::Default)
        };
        let ok = |ty: &str, imports: &mut Imports| return_type(&parse(ty), &uses, imports);
        assert_eq!(
            ok("Result<Vec<u8>, AppError>", &mut imports),
            Ok("Array<number>".into())
        );
        assert_eq!(ok("Result<(), AppError>", &mut imports), Ok("null".into()));
        assert_eq!(
            ok("Option<Target>", &mut imports),
            Ok("Target | null".into())
        );
        assert_eq!(
            return_type(&syn::ReturnType::Default, &uses, &mut imports),
            Ok("null".into())
        );
        assert_eq!(imported_names(&imports), BTreeSet::from(["Target".into()]));
    }

    #[test]
    fn tauri_injected_parameters_are_recognized() {
        for ty in [
            "State<'_, AppState>",
            "tauri::AppHandle<R>",
            "Webview<R>",
            "Window<R>",
            "WebviewWindow",
        ] {
            let parsed: syn::Type = match syn::parse_str(ty) {
                Ok(parsed) => parsed,
                Err(e) => panic!("{ty}: {e}"),
            };
            assert!(is_injected(&parsed), "{ty}");
        }
        let channel: Result<syn::Type, _> = syn::parse_str("Channel<UiEvent>");
        assert!(channel.is_ok_and(|ty| !is_injected(&ty)));
    }
}

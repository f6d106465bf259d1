//! The commands of commands.rs as the UI sees them: each `#[tauri::command]` fn, with the
//! parameters the UI sends (camelCase, as Tauri expects them) and what it gets back.

use super::ts_type::{self, Imports, Uses};
use quote::ToTokens;

/// One command, as the UI calls it.
#[derive(Debug, PartialEq)]
pub struct Command {
    /// The Rust fn's name: the name the UI invokes.
    pub name: String,
    /// The fn's doc comment, one entry per line.
    pub doc: Vec<String>,
    pub params: Vec<Param>,
    /// The TypeScript type of the result.
    pub returns: String,
}

#[derive(Debug, PartialEq)]
pub struct Param {
    /// The argument's key: Tauri's camelCase of the Rust name.
    pub key: String,
    pub ts_type: String,
    /// May be left out: an `Option` followed by `Option`s only.
    pub optional: bool,
}

/// Every `#[tauri::command]` fn in `source` (sorted by name), with the imports their types need.
pub fn parse(source: &str) -> Result<(Vec<Command>, Imports), String> {
    let file = syn::parse_file(source).map_err(|e| format!("commands.rs does not parse: {e}"))?;
    let uses = Uses::of(&file);
    let mut imports = Imports::default();
    let mut commands = Vec::new();
    for item in &file.items {
        let syn::Item::Fn(function) = item else {
            continue;
        };
        if !is_command(&function.attrs)? {
            continue;
        }
        let command = command(function, &uses, &mut imports)
            .map_err(|e| format!("command `{}`: {e}", function.sig.ident))?;
        commands.push(command);
    }
    commands.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(twice) = commands
        .windows(2)
        .find(|pair| pair[0].name == pair[1].name)
    {
        return Err(format!("command `{}` is declared twice", twice[0].name));
    }
    Ok((commands, imports))
}

/// `#[tauri::command]` (or `#[command]`); an argument list (`rename_all`, ...) would change
/// the keys, so it is refused rather than guessed at.
fn is_command(attrs: &[syn::Attribute]) -> Result<bool, String> {
    for attr in attrs {
        let path = attr.path();
        let is_command = path.segments.last().is_some_and(|s| s.ident == "command")
            && (path.segments.len() == 1
                || (path.segments.len() == 2 && path.segments[0].ident == "tauri"));
        if !is_command {
            continue;
        }
        return match &attr.meta {
            syn::Meta::Path(_) => Ok(true),
            other => Err(format!(
                "`#[{}]` has arguments the generator does not understand",
                other.to_token_stream()
            )),
        };
    }
    Ok(false)
}

fn command(function: &syn::ItemFn, uses: &Uses, imports: &mut Imports) -> Result<Command, String> {
    let sig = &function.sig;
    if !matches!(function.vis, syn::Visibility::Public(_)) {
        return Err("a command must be `pub`".into());
    }
    let mut sent = Vec::new();
    for input in &sig.inputs {
        let syn::FnArg::Typed(typed) = input else {
            return Err("a command cannot take `self`".into());
        };
        if ts_type::is_injected(&typed.ty) {
            continue;
        }
        let syn::Pat::Ident(pattern) = typed.pat.as_ref() else {
            return Err(format!(
                "parameter `{}` is a pattern, not a name",
                typed.pat.to_token_stream()
            ));
        };
        let name = syn::ext::IdentExt::unraw(&pattern.ident).to_string();
        let ts = ts_type::ts_type(&typed.ty, uses, imports)
            .map_err(|e| format!("parameter `{name}`: {e}"))?;
        sent.push((camel_case(&name), ts, ts_type::is_option(&typed.ty)));
    }
    // `f(a?: T, b: U)` is not TypeScript: only a tail of Options may be left out.
    let mut params: Vec<Param> = Vec::with_capacity(sent.len());
    let mut tail_optional = true;
    for (key, ts_type, is_option) in sent.into_iter().rev() {
        tail_optional &= is_option;
        params.push(Param {
            key,
            ts_type,
            optional: tail_optional,
        });
    }
    params.reverse();
    let returns = ts_type::return_type(&sig.output, uses, imports)
        .map_err(|e| format!("return type: {e}"))?;
    Ok(Command {
        name: syn::ext::IdentExt::unraw(&sig.ident).to_string(),
        doc: doc_lines(&function.attrs),
        params,
        returns,
    })
}

/// The text of `///` comments, one leading space removed per line (as rustdoc does).
fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(doc) if doc.path.is_ident("doc") => match &doc.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        })
        .flat_map(|text| {
            // `split`, not `lines`: an empty `///` is a paragraph break, one empty line.
            text.split('\n')
                .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Tauri's key for a Rust argument name: `conversation_id` → `conversationId`.
pub fn camel_case(snake: &str) -> String {
    let mut words = snake.split('_').filter(|word| !word.is_empty());
    let mut out = words.next().map(str::to_lowercase).unwrap_or_default();
    for word in words {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(source: &str) -> Vec<Command> {
        match parse(source) {
            Ok((commands, _)) => commands,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn keys_are_camel_case_like_tauri_sends_them() {
        assert_eq!(camel_case("conversation_id"), "conversationId");
        assert_eq!(camel_case("client_message_id"), "clientMessageId");
        assert_eq!(camel_case("limit"), "limit");
        assert_eq!(camel_case("list_conversations"), "listConversations");
    }

    #[test]
    fn only_a_tail_of_options_is_optional_and_injected_parameters_are_left_out() {
        let commands = parsed(
            r#"
            use tauri::{AppHandle, State};
            /// A page.
            ///
            /// Second paragraph.
            #[tauri::command]
            pub async fn list_messages<R: Runtime>(
                app: AppHandle<R>,
                state: State<'_, AppState>,
                conversation_id: String,
                anchor: Option<ThreadAnchor>,
                limit: Option<u32>,
            ) -> Result<ThreadPage, AppError> { todo!() }

            #[tauri::command]
            pub fn pick(first: Option<String>, second: u32, third: Option<bool>) {}

            pub fn not_a_command(x: HashMap<u8, u8>) {}
            "#,
        );
        assert_eq!(commands.len(), 2);
        let list = &commands[0];
        assert_eq!(list.name, "list_messages");
        assert_eq!(list.doc, ["A page.", "", "Second paragraph."]);
        assert_eq!(list.returns, "ThreadPage");
        let keys: Vec<_> = list
            .params
            .iter()
            .map(|p| (p.key.as_str(), p.ts_type.as_str(), p.optional))
            .collect();
        assert_eq!(
            keys,
            [
                ("conversationId", "string", false),
                ("anchor", "ThreadAnchor | null", true),
                ("limit", "number | null", true),
            ]
        );
        let optional: Vec<_> = commands[1].params.iter().map(|p| p.optional).collect();
        assert_eq!(optional, [false, false, true]);
        assert_eq!(commands[1].returns, "null");
    }

    #[test]
    fn unsupported_syntax_fails_naming_the_command() {
        for (source, expected) in [
            (
                "#[tauri::command] pub fn counts(map: HashMap<String, u32>) {}",
                "command `counts`: parameter `map`: unsupported type",
            ),
            (
                "#[tauri::command] pub fn pair() -> (u32, u32) { (1, 2) }",
                "command `pair`: return type: unsupported type",
            ),
            (
                "#[tauri::command(rename_all = \"snake_case\")] pub fn renamed(a_b: u32) {}",
                "does not understand",
            ),
            (
                "#[tauri::command] fn private_one() {}",
                "command `private_one`: a command must be `pub`",
            ),
            (
                "#[tauri::command] pub fn destructured((a, b): (u32, u32)) {}",
                "command `destructured`: parameter `(a , b)` is a pattern",
            ),
        ] {
            match parse(source) {
                Ok(_) => panic!("accepted: {source}"),
                Err(e) => assert!(e.contains(expected), "{e:?} lacks {expected:?}"),
            }
        }
    }
}

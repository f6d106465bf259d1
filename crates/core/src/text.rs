//! Text from the server or a buyer, made safe for the places that would otherwise interpret it:
//! a terminal (escape sequences), the desktop's notification server (body markup), a log line,
//! a file name. Buyer text is never reworded: characters that could act are replaced by a
//! visible U+FFFD or removed, and everything else stays as written.

use std::borrow::Cow;

/// Shown where a character that could act (a control, a bidi override) was.
pub const REPLACEMENT: char = '\u{FFFD}';

/// C0 and C1 control characters and DEL.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Invisible characters that reorder or hide text: bidi embeddings, overrides and isolates,
/// directional marks, zero-width characters, the soft hyphen, interlinear annotation marks.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Whether `c` could act on what shows it rather than be shown.
pub fn acts(c: char) -> bool {
    is_control(c) || is_invisible_format(c)
}

/// One line for a terminal: line breaks and tabs become spaces, every other control character
/// (ESC and the rest of C0, C1, DEL) and every bidi or invisible format character becomes
/// U+FFFD, so nothing the server sent can move the cursor, retitle the window or reorder text.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| acts(c) || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
                c if acts(c) => REPLACEMENT,
                c => c,
            })
            .collect(),
    )
}

/// At most `max_chars` characters, cut with `…` (counted) when longer.
pub fn truncate_chars(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep = max_chars.saturating_sub(1);
            let end = text
                .char_indices()
                .nth(keep)
                .map_or(text.len(), |(at, _)| at);
            Cow::Owned(format!("{}…", text[..end].trim_end()))
        }
    }
}

/// The longest notification title or body, in characters (servers cut or wrap anyway; a long
/// one only hides what follows).
pub const MAX_NOTIFICATION_CHARS: usize = 200;

/// A notification title or body for a server that reads markup (the freedesktop one):
/// [`notification_plain`], then escaped for the freedesktop body markup (`&`, `<`, `>`,
/// quotes), so `<a href=…>` or `<img src=…>` from a buyer is shown, not followed or loaded.
/// Escaping comes last, so an entity is never cut in half.
pub fn for_notification(text: &str) -> String {
    escape_markup(&notification_plain(text))
}

/// A notification title or body for a server that shows plain text: controls and bidi
/// characters dropped (line breaks become spaces), cut to [`MAX_NOTIFICATION_CHARS`].
pub fn notification_plain(text: &str) -> String {
    let plain: String = text
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => Some(' '),
            c if acts(c) => None,
            c => Some(c),
        })
        .collect();
    truncate_chars(plain.trim(), MAX_NOTIFICATION_CHARS).into_owned()
}

/// `&`, `<`, `>`, `"` and `'` as entities (the subset of XML the freedesktop spec's body
/// markup understands).
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The longest piece of server text a log line quotes.
pub const MAX_LOGGED_CHARS: usize = 120;

/// Server text for a log line: quoted and escaped (`\u{1b}`, `\n`, …) like Rust's `{:?}`, and
/// cut, so it can neither forge log lines nor fill the disk.
pub fn for_log(text: &str) -> String {
    format!("{:?}", truncate_chars(text, MAX_LOGGED_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_cannot_act() {
        let hostile = "hi\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202E}gpj.exe\u{7f}";
        let shown = for_terminal(hostile);
        assert!(!shown.chars().any(acts), "{shown:?}");
        assert_eq!(
            shown,
            "hi\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}[2J\u{FFFD}31m\u{FFFD}gpj.exe\u{FFFD}"
        );
        assert_eq!(for_terminal("two\nlines\tand tab"), "two lines and tab");
        assert!(matches!(for_terminal("plain café 😀"), Cow::Borrowed(_)));
    }

    #[test]
    fn notification_text_is_escaped_plain_and_short() {
        assert_eq!(
            for_notification("<b>Order</b> & <a href=\"http://x\">pay</a>"),
            "&lt;b&gt;Order&lt;/b&gt; &amp; &lt;a href=&quot;http://x&quot;&gt;pay&lt;/a&gt;"
        );
        assert_eq!(for_notification("a\u{202E}b\u{1b}c\nd"), "abc d");
        let long = for_notification(&"&".repeat(500));
        // 199 ampersands and the ellipsis, each ampersand whole.
        assert_eq!(long, format!("{}…", "&amp;".repeat(199)));
    }

    #[test]
    fn truncation_counts_characters() {
        assert_eq!(truncate_chars("ééééé", 5), "ééééé");
        assert_eq!(truncate_chars("éééééé", 5), "éééé…");
        assert_eq!(truncate_chars("", 0), "");
    }

    #[test]
    fn log_text_is_quoted_escaped_and_cut() {
        assert_eq!(for_log("a\nb\u{1b}"), "\"a\\nb\\u{1b}\"");
        assert_eq!(
            for_log(&"x".repeat(1000)).chars().count(),
            MAX_LOGGED_CHARS + 2
        );
    }
}

//! Turns what the seller typed into FTS5 match expressions that can never be a syntax error:
//! every term becomes a double-quoted string (embedded quotes doubled), so FTS5 operators,
//! parentheses, `*`, `:` and `^` in the input are plain text to the tokenizer.

use super::highlight::{last_token_chars, Phrase};

/// A parsed search box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ParsedQuery {
    /// Free text, in order. The last one is a prefix when the input ended while typing it.
    pub terms: Vec<Term>,
    /// `buyer:NAME` — messages whose sender name starts with these words.
    pub buyer: Option<String>,
    /// `order:ID` — the order and the messages that mention it.
    pub order: Option<String>,
    /// `in:CONVERSATION_ID` — messages of that conversation only.
    pub conversation: Option<String>,
    /// Terms with no letter or digit but something beyond ASCII punctuation (emoji): the
    /// tokenizer drops them, so they are matched as substrings of the message text.
    pub symbols: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Term {
    pub text: String,
    pub prefix: bool,
}

impl ParsedQuery {
    pub fn parse(input: &str) -> Self {
        let mut query = Self::default();
        // Control characters are never part of a token, and FTS5 reads a NUL inside a quoted
        // string as its end ("unterminated string"): they separate words like spaces.
        let input: String = input
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let words = lex(&input);
        let last = words.len().saturating_sub(1);
        for (index, word) in words.into_iter().enumerate() {
            let at_end = index == last && !word.closed;
            match word.key {
                Some(Key::Buyer) => query.buyer = Some(word.text),
                Some(Key::Order) => query.order = Some(word.text),
                Some(Key::In) => query.conversation = Some(word.text),
                None if has_token(&word.text) => query.terms.push(Term {
                    // A quoted phrase is exact; a bare word still being typed is a prefix,
                    // unless it ends in a single character ("it's", "I"): every word shares
                    // that prefix, so it would find everything, slowly.
                    prefix: at_end && !word.quoted && last_token_chars(&word.text) > 1,
                    text: word.text,
                }),
                None if !word.text.is_ascii() => query.symbols.push(word.text),
                None => {}
            }
        }
        query
    }

    /// Whether anything was asked at all.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
            && self.buyer.is_none()
            && self.order.is_none()
            && self.conversation.is_none()
            && self.symbols.is_empty()
    }

    /// The expression for `messages_fts` (columns `content`, `sender_name`), if any term applies.
    pub fn messages_match(&self) -> Option<String> {
        let mut parts: Vec<String> = self.terms.iter().map(Term::quoted).collect();
        if let Some(buyer) = self.buyer.as_deref().filter(|b| has_token(b)) {
            parts.push(format!("sender_name : {}*", quote(buyer)));
        }
        if let Some(order) = self.order.as_deref().filter(|o| has_token(o)) {
            parts.push(format!("content : {}", quote(order)));
        }
        join(parts)
    }

    /// The expression for `records_fts` (order and listing ids), unless a filter rules them out.
    pub fn records_match(&self) -> Option<String> {
        if self.buyer.is_some() || self.conversation.is_some() || !self.symbols.is_empty() {
            return None;
        }
        let mut parts: Vec<String> = self.terms.iter().map(Term::quoted).collect();
        if let Some(order) = self.order.as_deref() {
            if !has_token(order) {
                return None;
            }
            parts.push(format!("record_id : {}", quote(order)));
        }
        join(parts)
    }

    /// What to mark in a hit's text: the free text and the `order:` id (`buyer:` is about
    /// the sender, not the text).
    pub fn highlight_phrases(&self) -> Vec<Phrase> {
        let terms = self
            .terms
            .iter()
            .filter_map(|t| Phrase::new(&t.text, t.prefix));
        let order = self.order.as_deref().and_then(|o| Phrase::new(o, false));
        terms.chain(order).collect()
    }

    /// `order` when `order:` restricts the records to orders.
    pub fn records_kind(&self) -> Option<&'static str> {
        self.order.as_ref().map(|_| "order")
    }
}

impl Term {
    fn quoted(&self) -> String {
        if self.prefix {
            format!("{}*", quote(&self.text))
        } else {
            quote(&self.text)
        }
    }
}

/// An FTS5 string: the only FTS5 syntax inside one is a doubled quote.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn join(parts: Vec<String>) -> Option<String> {
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" AND "))
    }
}

/// Whether the tokenizer (unicode61: letters and digits) finds a token in `text`.
pub(crate) fn has_token(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Buyer,
    Order,
    In,
}

#[derive(Debug)]
struct Word {
    key: Option<Key>,
    text: String,
    quoted: bool,
    /// False when the input ended inside this word (the seller is still typing it).
    closed: bool,
}

fn key_of(prefix: &str) -> Option<Key> {
    match prefix.to_lowercase().as_str() {
        "buyer" => Some(Key::Buyer),
        "order" => Some(Key::Order),
        "in" => Some(Key::In),
        _ => None,
    }
}

/// Splits on whitespace; `"..."` keeps a phrase together (an unclosed quote runs to the end),
/// and `key:value` / `key:"a phrase"` name a filter.
fn lex(input: &str) -> Vec<Word> {
    let chars: Vec<char> = input.chars().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut key = None;
        // `buyer:`, `order:`, `in:` directly followed by a value.
        if let Some(colon) = chars[i..]
            .iter()
            .take_while(|c| !c.is_whitespace())
            .position(|&c| c == ':')
        {
            let name: String = chars[i..i + colon].iter().collect();
            let after = i + colon + 1;
            if let Some(k) = key_of(&name) {
                if after < chars.len() && !chars[after].is_whitespace() {
                    key = Some(k);
                    i = after;
                }
            }
        }
        let (text, quoted, closed, next) = if chars[i] == '"' {
            let start = i + 1;
            let end = chars[start..]
                .iter()
                .position(|&c| c == '"')
                .map(|p| start + p);
            match end {
                Some(end) => (chars[start..end].iter().collect(), true, true, end + 1),
                None => (chars[start..].iter().collect(), true, false, chars.len()),
            }
        } else {
            let end = chars[i..]
                .iter()
                .position(|c| c.is_whitespace())
                .map_or(chars.len(), |p| i + p);
            let closed = end < chars.len();
            (chars[i..end].iter().collect::<String>(), false, closed, end)
        };
        i = next;
        let text: String = text;
        if text.trim().is_empty() {
            continue;
        }
        words.push(Word {
            key,
            text,
            quoted,
            closed,
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, prefix: bool) -> Term {
        Term {
            text: text.into(),
            prefix,
        }
    }

    #[test]
    fn filters_and_free_text() {
        let q = ParsedQuery::parse("buyer:\"Zoë O'Brien\" order:ord-1001 in:conv-7 refund pol");
        assert_eq!(q.buyer.as_deref(), Some("Zoë O'Brien"));
        assert_eq!(q.order.as_deref(), Some("ord-1001"));
        assert_eq!(q.conversation.as_deref(), Some("conv-7"));
        assert_eq!(q.terms, vec![term("refund", false), term("pol", true)]);
        assert_eq!(
            q.messages_match().as_deref(),
            Some("\"refund\" AND \"pol\"* AND sender_name : \"Zoë O'Brien\"* AND content : \"ord-1001\"")
        );
        assert_eq!(q.records_match(), None, "in: and buyer: are about messages");
    }

    #[test]
    fn the_last_word_is_a_prefix_only_while_typed() {
        assert_eq!(ParsedQuery::parse("caf").terms, vec![term("caf", true)]);
        assert_eq!(ParsedQuery::parse("caf ").terms, vec![term("caf", false)]);
        assert_eq!(
            ParsedQuery::parse("\"exact phrase\"").terms,
            vec![term("exact phrase", false)]
        );
    }

    #[test]
    fn a_word_ending_in_one_character_is_never_a_prefix() {
        assert_eq!(ParsedQuery::parse("it's").terms, vec![term("it's", false)]);
        assert_eq!(ParsedQuery::parse("I").terms, vec![term("I", false)]);
        assert_eq!(ParsedQuery::parse("it").terms, vec![term("it", true)]);
    }

    #[test]
    fn operators_and_quotes_are_plain_text() {
        let q = ParsedQuery::parse("a\"b NEAR( AND OR NOT ) * \"unclosed");
        let expr = q.messages_match().unwrap_or_default();
        assert_eq!(
            expr,
            "\"a\"\"b\" AND \"NEAR(\" AND \"AND\" AND \"OR\" AND \"NOT\" AND \"unclosed\""
        );
        assert!(ParsedQuery::parse("* ( ) \" :").is_empty());
    }

    #[test]
    fn emoji_are_substring_terms() {
        let q = ParsedQuery::parse("🎉 thanks");
        assert_eq!(q.symbols, vec!["🎉".to_owned()]);
        assert_eq!(q.terms, vec![term("thanks", true)]);
    }

    #[test]
    fn a_bare_key_or_url_is_text() {
        let q = ParsedQuery::parse("buyer: https://shop.example.com/x?id=4");
        assert_eq!(q.buyer, None);
        assert_eq!(
            q.terms,
            vec![
                term("buyer:", false),
                // Ends in a one-character token: exact (see below).
                term("https://shop.example.com/x?id=4", false)
            ]
        );
    }
}

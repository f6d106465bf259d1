//! Marks what a query matched inside a hit's text, in Rust rather than with FTS5's highlight().
//!
//! highlight() needs the match expression set up again for every row it is asked about, and
//! for a prefix (`ship*`, the word still being typed) FTS5 builds the merged list of every
//! matching term each time: 50 hits cost 50 such set-ups (seconds on a million messages). The
//! index has already chosen the rows; here the same tokens are found again in their text.
//!
//! Tokens follow the index's tokenizer (`unicode61 remove_diacritics 2`): runs of letters and
//! digits, lower-cased, with diacritics removed. Where the two could ever disagree the only
//! effect is a missing mark; which rows match is always decided by the index.

use crate::models::SnippetSegment;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A phrase of the query: consecutive tokens, the last one a prefix while it is being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Phrase {
    tokens: Vec<String>,
    prefix: bool,
}

impl Phrase {
    pub fn new(text: &str, prefix: bool) -> Option<Self> {
        let tokens: Vec<String> = tokens(text).into_iter().map(|t| t.folded).collect();
        (!tokens.is_empty()).then_some(Self { tokens, prefix })
    }

    fn matches_at(&self, text: &[Token], at: usize) -> bool {
        let Some(window) = text.get(at..at + self.tokens.len()) else {
            return false;
        };
        let last = self.tokens.len() - 1;
        self.tokens
            .iter()
            .zip(window)
            .enumerate()
            .all(|(i, (want, got))| {
                if self.prefix && i == last {
                    got.folded.starts_with(want.as_str())
                } else {
                    got.folded == *want
                }
            })
    }
}

struct Token {
    start: usize,
    end: usize,
    folded: String,
}

/// Whether the tokenizer keeps `c` inside a token.
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// How the index stores a token: decomposed, marks dropped, lower case.
fn fold(token: &str) -> String {
    token
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_token_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Token {
                    start: s,
                    end: i,
                    folded: fold(&text[s..i]),
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Token {
            start: s,
            end: text.len(),
            folded: fold(&text[s..]),
        });
    }
    out
}

/// The text as segments, with every occurrence of a phrase marked as a hit.
pub(crate) fn mark(text: &str, phrases: &[Phrase]) -> Vec<SnippetSegment> {
    let found = tokens(text);
    // Byte ranges of the matches, in order; overlapping ones merge.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for at in 0..found.len() {
        for phrase in phrases {
            if phrase.matches_at(&found, at) {
                let (start, end) = (found[at].start, found[at + phrase.tokens.len() - 1].end);
                match ranges.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => ranges.push((start, end)),
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut position = 0;
    for (start, end) in ranges {
        push(&mut out, &text[position..start], false);
        push(&mut out, &text[start..end], true);
        position = end;
    }
    push(&mut out, &text[position..], false);
    out
}

fn push(out: &mut Vec<SnippetSegment>, text: &str, hit: bool) {
    if !text.is_empty() {
        out.push(SnippetSegment {
            text: text.to_owned(),
            hit,
        });
    }
}

/// The number of characters in the last token of `text` (0 when it has none).
pub(crate) fn last_token_chars(text: &str) -> usize {
    tokens(text)
        .last()
        .map_or(0, |t| text[t.start..t.end].chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str, phrases: &[Phrase]) -> Vec<String> {
        mark(text, phrases)
            .into_iter()
            .filter(|s| s.hit)
            .map(|s| s.text)
            .collect()
    }

    fn phrase(text: &str, prefix: bool) -> Phrase {
        Phrase::new(text, prefix).expect("tokens")
    }

    #[test]
    fn accents_fold_both_ways() {
        assert_eq!(
            hits("Le café était fermé", &[phrase("cafe", false)]),
            ["café"]
        );
        assert_eq!(
            hits("the cafe downtown", &[phrase("café", false)]),
            ["cafe"]
        );
        assert_eq!(
            hits("Größe M", &[phrase("grosse", false)]),
            Vec::<String>::new()
        );
        assert_eq!(hits("Größe M", &[phrase("größe", false)]), ["Größe"]);
    }

    #[test]
    fn phrases_span_punctuation_and_prefixes_match_the_last_token() {
        assert_eq!(
            hits("I don't think so", &[phrase("don't", false)]),
            ["don't"]
        );
        assert_eq!(
            hits(
                "See https://shop.example.com/item?id=42&ref=mail",
                &[phrase("https://shop.example.com/item?id=42", false)]
            ),
            ["https://shop.example.com/item?id=42"]
        );
        assert_eq!(
            hits("shipping and shipped, not ships", &[phrase("shipp", true)]),
            ["shipping", "shipped"]
        );
        assert_eq!(
            hits("shipping", &[phrase("shipp", false)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn overlapping_matches_merge_and_the_text_is_kept_whole() {
        let text = "<b>ord-1001</b> and ORD-1001";
        let segments = mark(text, &[phrase("ord-1001", false), phrase("1001", false)]);
        let joined: String = segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(
            hits(text, &[phrase("ord-1001", false)]),
            ["ord-1001", "ORD-1001"]
        );
    }

    #[test]
    fn last_token_length() {
        assert_eq!(last_token_chars("it's"), 1);
        assert_eq!(last_token_chars("Zoë"), 3);
        assert_eq!(last_token_chars("!!"), 0);
    }
}

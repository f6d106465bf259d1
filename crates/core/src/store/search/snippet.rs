//! Snippets as plain-text segments (never HTML, nothing to escape): symbols the index does not
//! hold are marked as substrings, and long texts are cut to a window around the first match.

use crate::models::SnippetSegment;

/// Characters of context kept before the first match.
const LEAD: usize = 40;
/// The longest snippet, in characters.
const WIDTH: usize = 160;

/// Marks every occurrence of `needles` inside the non-hit segments (emoji and other symbols the
/// tokenizer does not index).
pub(crate) fn mark_substrings(
    segments: Vec<SnippetSegment>,
    needles: &[String],
) -> Vec<SnippetSegment> {
    let mut current = segments;
    for needle in needles.iter().filter(|n| !n.is_empty()) {
        let mut next = Vec::new();
        for segment in current {
            if segment.hit {
                next.push(segment);
                continue;
            }
            let mut rest = segment.text.as_str();
            while let Some(at) = rest.find(needle.as_str()) {
                push(&mut next, rest[..at].to_owned(), false);
                push(&mut next, needle.clone(), true);
                rest = &rest[at + needle.len()..];
            }
            push(&mut next, rest.to_owned(), false);
        }
        current = next;
    }
    current
}

/// Cuts the segments to a window of `WIDTH` characters starting a little before the first hit,
/// with an ellipsis where text was left out.
pub(crate) fn window(segments: Vec<SnippetSegment>) -> Vec<SnippetSegment> {
    let total: usize = segments.iter().map(|s| s.text.chars().count()).sum();
    if total <= WIDTH {
        return segments;
    }
    let mut first_hit = 0;
    for s in &segments {
        if s.hit {
            break;
        }
        first_hit += s.text.chars().count();
    }
    if first_hit >= total {
        first_hit = 0;
    }
    let start = first_hit.saturating_sub(LEAD).min(total - WIDTH);
    let end = start + WIDTH;
    let mut out = Vec::new();
    if start > 0 {
        out.push(SnippetSegment {
            text: "…".into(),
            hit: false,
        });
    }
    let mut position = 0;
    for s in segments {
        let len = s.text.chars().count();
        let (from, to) = (start.max(position), end.min(position + len));
        if from < to {
            let text: String = s
                .text
                .chars()
                .skip(from - position)
                .take(to - from)
                .collect();
            push(&mut out, text, s.hit);
        }
        position += len;
    }
    if end < total {
        push(&mut out, "…".into(), false);
    }
    out
}

/// Appends, merging with a neighbour of the same kind and dropping empty text.
fn push(out: &mut Vec<SnippetSegment>, text: String, hit: bool) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(&text),
        _ => out.push(SnippetSegment { text, hit }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str, hit: bool) -> SnippetSegment {
        SnippetSegment {
            text: text.into(),
            hit,
        }
    }

    #[test]
    fn substrings_and_window() {
        let s = mark_substrings(vec![seg("a 🎉 b 🎉", false)], &["🎉".to_owned()]);
        assert_eq!(
            s,
            vec![
                seg("a ", false),
                seg("🎉", true),
                seg(" b ", false),
                seg("🎉", true)
            ]
        );
        let w = window(vec![
            seg(&"x".repeat(300), false),
            seg("hit", true),
            seg(&"y".repeat(300), false),
        ]);
        assert!(w[0].text.starts_with('…') && !w[0].hit);
        assert!(w.iter().any(|s| s.hit && s.text == "hit"));
        assert!(w.last().is_some_and(|s| s.text.ends_with('…')));
        let chars: usize = w.iter().map(|s| s.text.chars().count()).sum();
        assert_eq!(chars, WIDTH + 2);
    }
}

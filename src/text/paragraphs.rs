//! Splitting a text into the paragraphs the document view lays out one at a time.
//!
//! A paragraph is one line of the text without its terminator (`\n` or `\r\n`), so that
//! `"a\r\n\r\nb"` has three paragraphs: `a`, an empty one, and `b`. Laying out per paragraph keeps
//! the cost of a frame proportional to what is on screen, not to the length of the document.

use std::ops::Range;

use crate::model::Span;

/// One line of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Code-point range of the line, without its terminator.
    pub chars: Span,
    /// Byte range of the line, without its terminator.
    pub bytes: Range<usize>,
}

/// Splits `text` into its lines; a text without any newline is one paragraph.
pub fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let mut byte_start = 0;
    let mut char_start = 0;
    for line in text.split('\n') {
        let content = line.strip_suffix('\r').unwrap_or(line);
        let char_len = content.chars().count();
        paragraphs.push(Paragraph { chars: Span::new(char_start, char_start + char_len), bytes: byte_start..byte_start + content.len() });
        let terminator_chars = usize::from(content.len() < line.len()) + 1;
        char_start += char_len + terminator_chars;
        byte_start += line.len() + 1;
    }
    paragraphs
}

/// The index of the paragraph holding code point `offset`; an offset on a line terminator belongs
/// to the line it ends.
pub fn paragraph_at(paragraphs: &[Paragraph], offset: usize) -> usize {
    paragraphs.partition_point(|p| p.chars.end < offset).min(paragraphs.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf_lines() {
        let text = "Héllo\r\n\r\nworld\nend";
        let paragraphs = split_paragraphs(text);
        let slices: Vec<&str> = paragraphs.iter().map(|p| &text[p.bytes.clone()]).collect();
        assert_eq!(slices, ["Héllo", "", "world", "end"]);
        let spans: Vec<Span> = paragraphs.iter().map(|p| p.chars).collect();
        assert_eq!(spans, [Span::new(0, 5), Span::new(7, 7), Span::new(9, 14), Span::new(15, 18)]);
    }

    #[test]
    fn trailing_newline_gives_an_empty_last_paragraph() {
        let paragraphs = split_paragraphs("a\n");
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(paragraphs[1].chars, Span::new(2, 2));
    }

    #[test]
    fn finds_the_paragraph_of_an_offset() {
        let paragraphs = split_paragraphs("ab\ncd\n\nef");
        assert_eq!(paragraph_at(&paragraphs, 0), 0);
        assert_eq!(paragraph_at(&paragraphs, 2), 0, "the newline belongs to the line it ends");
        assert_eq!(paragraph_at(&paragraphs, 3), 1);
        assert_eq!(paragraph_at(&paragraphs, 6), 2);
        assert_eq!(paragraph_at(&paragraphs, 9), 3);
        assert_eq!(paragraph_at(&paragraphs, 99), 3);
    }
}

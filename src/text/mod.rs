//! Immutable document text and everything that measures it: offsets, paragraphs, tokens and
//! word snapping.

mod offsets;
mod paragraphs;
mod tokens;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

pub use offsets::{TextIndex, Utf16Index};
pub use paragraphs::{Paragraph, paragraph_at, split_paragraphs};
pub use tokens::{Token, tokenize};

use crate::model::Span;

/// The text of a document, with the indexes that make offset conversion and per-paragraph layout
/// cheap. Cloning shares the text.
///
/// It serializes as a plain JSON string; the indexes are rebuilt on load.
#[derive(Clone)]
pub struct DocumentText {
    inner: Arc<Inner>,
}

struct Inner {
    text: String,
    index: TextIndex,
    paragraphs: Vec<Paragraph>,
}

impl DocumentText {
    /// Wraps `text`, indexing it once.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let index = TextIndex::new(&text);
        let paragraphs = split_paragraphs(&text);
        Self { inner: Arc::new(Inner { text, index, paragraphs }) }
    }

    /// The whole text.
    pub fn as_str(&self) -> &str {
        &self.inner.text
    }

    /// Length in Unicode code points.
    pub fn char_len(&self) -> usize {
        self.inner.index.char_len()
    }

    /// The lines of the text, in order.
    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.inner.paragraphs
    }

    /// The byte range of a code-point span (clamped to the text).
    pub fn byte_range(&self, span: Span) -> Range<usize> {
        self.inner.index.byte_range(&self.inner.text, span)
    }

    /// The code-point offset of a byte offset.
    pub fn byte_to_char(&self, byte: usize) -> usize {
        self.inner.index.byte_to_char(&self.inner.text, byte)
    }

    /// The text of a code-point span (clamped to the text).
    pub fn slice(&self, span: Span) -> &str {
        let bytes = self.byte_range(span);
        self.inner.text.get(bytes).unwrap_or_default()
    }

    /// Code-point spans of ascending, non-overlapping byte ranges (regex matches, say), counted in
    /// one pass over the text. Each range must lie on character boundaries.
    pub fn char_spans(&self, byte_ranges: impl Iterator<Item = Range<usize>>) -> impl Iterator<Item = Span> {
        let mut chars = CharCounter::new(&self.inner.text, 0);
        byte_ranges.map(move |bytes| Span::new(chars.at(bytes.start), chars.at(bytes.end)))
    }

    /// The tokens of the whole text, paragraph after paragraph, as code-point spans, added to
    /// `spans`. A loop of its own rather than an iterator: token-level exports and agreement call
    /// it on every document of a corpus.
    pub fn push_token_spans(&self, spans: &mut Vec<Span>) {
        for paragraph in self.paragraphs() {
            let line = self.inner.text.get(paragraph.bytes.clone()).unwrap_or_default();
            let mut chars = CharCounter::new(line, paragraph.chars.start);
            for token in tokenize(line) {
                spans.push(Span::new(chars.at(token.bytes.start), chars.at(token.bytes.end)));
            }
        }
    }

    /// The tokens of paragraph `paragraph`, as code-point spans and byte ranges within it.
    pub fn tokens_of(&self, paragraph: &Paragraph) -> impl Iterator<Item = (Span, Token)> + '_ {
        let line = self.inner.text.get(paragraph.bytes.clone()).unwrap_or_default();
        let mut chars = CharCounter::new(line, paragraph.chars.start);
        tokenize(line).map(move |token| {
            let span = Span::new(chars.at(token.bytes.start), chars.at(token.bytes.end));
            (span, token)
        })
    }

    /// Widens or narrows `span` to whole words, the way a drag selection snaps in the editor:
    /// it starts at the first word that ends after `span.start` and ends with the last word that
    /// starts before `span.end`.
    ///
    /// ```text
    /// selection:  "the Tal[iban lea]der"  →  "the [Taliban leader]"
    /// selection:  "the[ ]Taliban"         →  unchanged: no word inside
    /// ```
    ///
    /// A span that holds no word (only spaces or punctuation) is returned unchanged.
    pub fn snap_to_words(&self, span: Span) -> Span {
        let span = Span::new(span.start.min(self.char_len()), span.end.min(self.char_len()));
        if span.is_empty() {
            return span;
        }
        let paragraphs = self.paragraphs();
        let first = paragraph_at(paragraphs, span.start);
        let last = paragraph_at(paragraphs, span.end.saturating_sub(1)).max(first);
        let words = |index: usize| {
            paragraphs
                .get(index)
                .map(|p| self.tokens_of(p).collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, token)| token.is_word)
                .map(|(word, _)| word)
        };
        let start = (first..=last).find_map(|i| words(i).find(|w| w.end > span.start)).map(|w| w.start);
        let end = (first..=last).rev().find_map(|i| words(i).rev().find(|w| w.start < span.end)).map(|w| w.end);
        match (start, end) {
            (Some(start), Some(end)) if start < end => Span::new(start, end),
            _ => span,
        }
    }
}

/// Converts ascending byte offsets of a line to code-point offsets in one pass over the line.
struct CharCounter<'t> {
    line: &'t str,
    byte: usize,
    char: usize,
    /// The first byte at or after `byte` that is not ASCII (the line's length if none): up to it,
    /// code points are bytes and nothing needs counting. News text has a few such characters a
    /// paragraph (curly quotes, dashes), so most offsets are found by a subtraction.
    next_wide: usize,
}

impl<'t> CharCounter<'t> {
    fn new(line: &'t str, first_char: usize) -> Self {
        Self { line, byte: 0, char: first_char, next_wide: first_wide(line.as_bytes(), 0) }
    }

    /// The code-point offset of byte `byte` of the line; `byte` must not be less than the last one
    /// asked for and must lie on a character boundary.
    fn at(&mut self, byte: usize) -> usize {
        let bytes = self.line.as_bytes();
        let Some(skipped) = bytes.get(self.byte..byte) else { return self.char };
        if byte <= self.next_wide {
            self.char += skipped.len();
        } else {
            // Counting the bytes that start a character beats `chars().count()` on short gaps.
            self.char += skipped.iter().filter(|byte| (*byte & 0xC0) != 0x80).count();
            self.next_wide = first_wide(bytes, byte);
        }
        self.byte = byte;
        self.char
    }
}

/// The first byte at or after `from` that is not ASCII, or the length of `bytes`.
fn first_wide(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    from + rest.iter().position(|byte| !byte.is_ascii()).unwrap_or(rest.len())
}

impl PartialEq for DocumentText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for DocumentText {}

impl fmt::Debug for DocumentText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for DocumentText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for DocumentText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl schemars::JsonSchema for DocumentText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DocumentText".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = include_str!("../../assets/seed-article.txt");

    fn snapped(text: &DocumentText, selected: &str, from: usize) -> String {
        let start = text.as_str()[..].find(selected).map(|b| text.byte_to_char(b)).unwrap_or(0) + from;
        let span = Span::new(start, start + selected.chars().count() - from);
        text.slice(text.snap_to_words(span)).to_string()
    }

    #[test]
    fn snaps_partial_words_outward() {
        let text = DocumentText::new("the Taliban leader said");
        assert_eq!(text.slice(text.snap_to_words(Span::new(7, 14))), "Taliban leader");
    }

    #[test]
    fn trims_spaces_and_punctuation_at_the_edges() {
        let text = DocumentText::new("warned “everything will be okay.” today");
        // the selection covers the opening quote and the closing quote with its full stop
        assert_eq!(text.slice(text.snap_to_words(Span::new(7, 33))), "everything will be okay");
    }

    #[test]
    fn leaves_a_selection_without_words_alone() {
        let text = DocumentText::new("a — b");
        assert_eq!(text.snap_to_words(Span::new(1, 4)), Span::new(1, 4));
    }

    #[test]
    fn snaps_around_the_articles_non_ascii_characters() {
        let text = DocumentText::new(ARTICLE);
        assert_eq!(snapped(&text, "double game — aligning", 3), "double game — aligning");
        let doc = text.as_str();
        let nbsp = doc.find('\u{a0}').map(|b| text.byte_to_char(b)).unwrap_or_default();
        // "group.\u{a0}The Afghan": select from inside "group" to inside "The"
        let span = text.snap_to_words(Span::new(nbsp - 3, nbsp + 2));
        assert_eq!(text.slice(span), "group.\u{a0}The");
        assert_eq!(text.slice(text.snap_to_words(Span::new(nbsp + 1, nbsp + 2))), "The");
    }

    #[test]
    fn possessive_clitic_is_not_part_of_the_snapped_word() {
        let text = DocumentText::new("Pakistan’s prime minister");
        assert_eq!(text.slice(text.snap_to_words(Span::new(2, 5))), "Pakistan");
    }

    #[test]
    fn serializes_as_a_plain_string() {
        let text = DocumentText::new("“a”");
        let json = serde_json::to_string(&text).unwrap_or_default();
        assert_eq!(json, "\"“a”\"");
        let back: DocumentText = serde_json::from_str(&json).unwrap_or_else(|_| DocumentText::new(""));
        assert_eq!(back, text);
    }

    proptest::proptest! {
        /// Offsets counted along a line equal those counted from its start, ASCII stretches or not.
        #[test]
        fn counted_offsets_are_code_points(line in "[a “”—\u{a0}é😀]{0,40}", cuts in proptest::collection::vec(0usize..200, 0..12)) {
            let mut boundaries: Vec<usize> = cuts.into_iter().map(|cut| cut % (line.len() + 1)).filter(|&cut| line.is_char_boundary(cut)).collect();
            boundaries.sort_unstable();
            let mut counter = CharCounter::new(&line, 7);
            for byte in boundaries {
                proptest::prop_assert_eq!(counter.at(byte), 7 + line[..byte].chars().count());
            }
        }
    }

    #[test]
    fn token_spans_of_the_article_are_its_tokens_in_code_points() {
        let text = DocumentText::new(ARTICLE);
        let mut spans = Vec::new();
        text.push_token_spans(&mut spans);
        let expected: Vec<Span> = tokenize(ARTICLE)
            .map(|token| Span::new(ARTICLE[..token.bytes.start].chars().count(), ARTICLE[..token.bytes.end].chars().count()))
            .collect();
        assert_eq!(spans, expected);
    }
}

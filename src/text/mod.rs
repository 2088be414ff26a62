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
use offsets::CharCounter;

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
    /// `spans` (token-level exports and agreement call it on every document of a corpus).
    pub fn push_token_spans(&self, spans: &mut Vec<Span>) {
        for paragraph in self.paragraphs() {
            self.for_each_token_of(paragraph, |span, _| spans.push(span));
        }
    }

    /// Calls `each` with the tokens of paragraph `paragraph`, as code-point spans and byte ranges
    /// within it, in order.
    pub fn for_each_token_of(&self, paragraph: &Paragraph, mut each: impl FnMut(Span, Token)) {
        let line = self.inner.text.get(paragraph.bytes.clone()).unwrap_or_default();
        let first = paragraph.chars.start;
        tokens::for_each_token(line, |token| each(Span { start: first + token.chars.start, end: first + token.chars.end }, token));
    }

    /// The tokens of paragraph `paragraph`, as [`Self::for_each_token_of`] gives them.
    pub fn tokens_of(&self, paragraph: &Paragraph) -> Vec<(Span, Token)> {
        let mut tokens = Vec::new();
        self.for_each_token_of(paragraph, |span, token| tokens.push((span, token)));
        tokens
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
                .map(|p| self.tokens_of(p))
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

    #[test]
    fn token_spans_of_the_article_are_its_tokens_in_code_points() {
        let text = DocumentText::new(ARTICLE);
        let mut spans = Vec::new();
        text.push_token_spans(&mut spans);
        let expected: Vec<Span> = tokenize(ARTICLE).into_iter().map(|token| Span::new(token.chars.start, token.chars.end)).collect();
        assert_eq!(spans, expected);
    }
}

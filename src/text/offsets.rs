//! Conversions between the three ways of counting a position in text.
//!
//! Gloss files and exports count **Unicode code points** (what Python's `str` indexes), Rust slices
//! need **UTF-8 byte** offsets, and a few formats (doccano, WebAnno) count **UTF-16 code units**.
//! Every conversion between them happens here, and nowhere else.
//!
//! ```text
//! text:        “ P a k ” — x
//! code points: 0 1 2 3 4 5 6 7
//! utf-8 bytes: 0 3 4 5 6 9 ...
//! ```

use std::ops::Range;

use crate::model::Span;

/// How many code points lie between two checkpoints of a [`TextIndex`].
///
/// A conversion walks at most this many characters, so it is O(1) for any text length, while the
/// index costs only 4 bytes per `STRIDE` characters.
const STRIDE: usize = 64;

/// Maps code-point offsets to byte offsets (and back) for one immutable text.
///
/// For ASCII text the mapping is the identity and the index is empty.
#[derive(Clone, Debug, Default)]
pub struct TextIndex {
    /// Number of code points in the text.
    char_len: usize,
    /// Byte offset of every `STRIDE`-th code point; empty when the text is ASCII.
    checkpoints: Vec<usize>,
}

impl TextIndex {
    /// Builds the index of `text` in one pass, a checkpoint at a time.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self { char_len: text.len(), checkpoints: Vec::new() };
        }
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / STRIDE + 1);
        let (mut byte, mut char_len) = (0, 0);
        while byte < bytes.len() {
            checkpoints.push(byte);
            let (next, passed) = skip_chars(bytes, byte, STRIDE);
            byte = next;
            char_len += passed;
        }
        Self { char_len, checkpoints }
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Whether code-point and byte offsets coincide.
    pub fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// The byte offset of code point `offset`; `offset == char_len` gives the text's byte length.
    ///
    /// Offsets past the end are clamped to the end.
    pub fn char_to_byte(&self, text: &str, offset: usize) -> usize {
        if self.is_ascii() {
            return offset.min(text.len());
        }
        if offset >= self.char_len {
            return text.len();
        }
        let checkpoint = offset / STRIDE;
        let base = self.checkpoints.get(checkpoint).copied().unwrap_or(0);
        skip_chars(text.as_bytes(), base, offset - checkpoint * STRIDE).0
    }

    /// The code-point offset of the character that contains byte `byte` (a byte inside a
    /// multi-byte character maps to that character's start).
    pub fn byte_to_char(&self, text: &str, byte: usize) -> usize {
        if self.is_ascii() {
            return byte.min(text.len());
        }
        if byte >= text.len() {
            return self.char_len;
        }
        let checkpoint = self.checkpoints.partition_point(|&b| b <= byte).saturating_sub(1);
        let base = self.checkpoints.get(checkpoint).copied().unwrap_or(0);
        let within = text.get(base..).map_or(0, |rest| rest.char_indices().take_while(|&(b, _)| base + b <= byte).count());
        checkpoint * STRIDE + within.saturating_sub(1)
    }

    /// The byte range of a code-point span, for slicing the text.
    pub fn byte_range(&self, text: &str, span: Span) -> Range<usize> {
        self.char_to_byte(text, span.start)..self.char_to_byte(text, span.end)
    }

    /// The code-point span of a byte range; both ends must lie on character boundaries.
    pub fn char_span(&self, text: &str, bytes: Range<usize>) -> Span {
        Span::new(self.byte_to_char(text, bytes.start), self.byte_to_char(text, bytes.end))
    }
}

/// The byte offset `count` characters after byte `start` (a character boundary) of UTF-8
/// `bytes`, or their end, and how many characters lie between. The characters in `count` bytes
/// are their bytes less the continuation bytes among them, so a run of ASCII is one step and
/// one with a few curly quotes two or three.
fn skip_chars(bytes: &[u8], start: usize, count: usize) -> (usize, usize) {
    let (mut byte, mut passed) = (start, 0);
    // Each of the next `count - passed` bytes starts at most one character.
    while passed < count {
        let Some(window) = bytes.get(byte..(byte + count - passed).min(bytes.len())).filter(|window| !window.is_empty()) else {
            break;
        };
        passed += starts_in(window);
        byte += window.len();
    }
    // The last window may end inside the last character it started.
    while bytes.get(byte).is_some_and(|&byte| is_continuation(byte)) {
        byte += 1;
    }
    (byte, passed)
}

/// How many characters start in `bytes`: its bytes less the continuation bytes among them.
fn starts_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| !is_continuation(byte)).count()
}

/// Converts ascending byte offsets of a line to code-point offsets in one pass over the line, for
/// offsets found as bytes (tokens, regex matches).
pub(super) struct CharCounter<'t> {
    line: &'t str,
    byte: usize,
    char: usize,
    /// The first byte at or after `byte` that is not ASCII (the line's length if none): up to it,
    /// code points are bytes and nothing needs counting. News text has a few such characters a
    /// paragraph (curly quotes, dashes), so most offsets are found by a subtraction.
    next_wide: usize,
}

impl<'t> CharCounter<'t> {
    pub(super) fn new(line: &'t str, first_char: usize) -> Self {
        Self { line, byte: 0, char: first_char, next_wide: first_wide(line.as_bytes(), 0) }
    }

    /// The code-point offset of byte `byte` of the line; `byte` must not be less than the last one
    /// asked for and must lie on a character boundary.
    pub(super) fn at(&mut self, byte: usize) -> usize {
        let bytes = self.line.as_bytes();
        let Some(skipped) = bytes.get(self.byte..byte) else { return self.char };
        if byte <= self.next_wide {
            self.char += skipped.len();
        } else {
            self.char += starts_in(skipped);
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

/// Whether `byte` continues a UTF-8 character rather than starting one.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Converts UTF-16 code-unit offsets into code-point offsets (and back), for formats such as
/// doccano that count like JavaScript strings.
///
/// Characters outside the Basic Multilingual Plane (most emoji) take two UTF-16 units but one code
/// point; every other character takes one of each.
#[derive(Clone, Debug)]
pub struct Utf16Index {
    /// Code-point offsets of the characters outside the BMP, ascending.
    astral_chars: Vec<usize>,
    char_len: usize,
}

impl Utf16Index {
    /// Scans `text` once.
    pub fn new(text: &str) -> Self {
        let mut astral_chars = Vec::new();
        let mut char_len = 0;
        for c in text.chars() {
            if c.len_utf16() == 2 {
                astral_chars.push(char_len);
            }
            char_len += 1;
        }
        Self { astral_chars, char_len }
    }

    /// Length of the text in UTF-16 code units.
    pub fn utf16_len(&self) -> usize {
        self.char_len + self.astral_chars.len()
    }

    /// The UTF-16 offset of code point `offset`.
    pub fn char_to_utf16(&self, offset: usize) -> usize {
        offset + self.astral_chars.partition_point(|&c| c < offset)
    }

    /// The code-point offset at UTF-16 offset `unit`, or `None` when `unit` falls between the two
    /// halves of a surrogate pair or past the end of the text.
    pub fn utf16_to_char(&self, unit: usize) -> Option<usize> {
        if unit > self.utf16_len() {
            return None;
        }
        // Find how many astral characters start before the answer: the answer `c` satisfies
        // `c + astral_before(c) == unit`.
        let mut low = 0;
        let mut high = self.astral_chars.len();
        while low < high {
            let mid = (low + high) / 2;
            // The astral char at index `mid` starts at UTF-16 offset `astral_chars[mid] + mid`.
            if self.astral_chars[mid] + mid < unit {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        let offset = unit - low;
        // `unit` may point at the low surrogate of astral char `low - 1`.
        if low > 0 && self.astral_chars[low - 1] + (low - 1) + 1 == unit {
            return None;
        }
        Some(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte boundary of `text`, checked against a naive walk.
    fn assert_matches_naive(text: &str) {
        let index = TextIndex::new(text);
        let boundaries: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        assert_eq!(index.char_len(), boundaries.len() - 1);
        for (offset, &byte) in boundaries.iter().enumerate() {
            assert_eq!(index.char_to_byte(text, offset), byte, "char {offset} in {text:?}");
            assert_eq!(index.byte_to_char(text, byte), offset, "byte {byte} in {text:?}");
        }
    }

    #[test]
    fn ascii_is_identity() {
        let index = TextIndex::new("plain text");
        assert!(index.is_ascii());
        assert_eq!(index.char_to_byte("plain text", 6), 6);
        assert_eq!(index.char_to_byte("plain text", 60), 10);
    }

    #[test]
    fn article_punctuation_converts_exactly() {
        // Curly quotes (3 bytes), an em dash (3 bytes) and a no-break space (2 bytes).
        let text = "“shackles of slavery.” double game — aligning\u{a0}The";
        assert_matches_naive(text);
        let index = TextIndex::new(text);
        let span = Span::new(1, 20);
        assert_eq!(&text[index.byte_range(text, span)], "shackles of slavery");
    }

    #[test]
    fn emoji_and_long_text_cross_checkpoints() {
        let mut text = String::new();
        for i in 0..500 {
            text.push_str(["a", "é", "—", "😀", "👩‍👩‍👧", "\u{a0}", "\r\n"][i % 7]);
        }
        assert_matches_naive(&text);
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

        /// The checkpoints are the byte offsets of every `STRIDE`-th character, however wide the
        /// characters around them.
        #[test]
        fn checkpoints_are_every_strideth_character(text in "[a “”—\u{a0}é😀\n]{0,400}") {
            let index = TextIndex::new(&text);
            let naive: Vec<usize> = text.char_indices().map(|(byte, _)| byte).step_by(STRIDE).collect();
            proptest::prop_assert_eq!(index.char_len(), text.chars().count());
            if !text.is_ascii() {
                proptest::prop_assert_eq!(index.checkpoints, naive);
            }
        }
    }

    #[test]
    fn byte_inside_a_character_maps_to_its_start() {
        let text = "a—b";
        let index = TextIndex::new(text);
        assert_eq!(index.byte_to_char(text, 2), 1);
        assert_eq!(index.byte_to_char(text, 3), 1);
        assert_eq!(index.byte_to_char(text, 4), 2);
    }

    #[test]
    fn utf16_counts_astral_characters_twice() {
        let text = "a😀b👍🏽c";
        let index = Utf16Index::new(text);
        // a=0, 😀=1..3, b=3, 👍=4..6, 🏽=6..8, c=8
        assert_eq!(index.utf16_len(), text.encode_utf16().count());
        let expected = [(0, 0), (1, 1), (2, 3), (3, 4), (4, 6), (5, 8), (6, 9)];
        for (char_offset, unit) in expected {
            assert_eq!(index.char_to_utf16(char_offset), unit);
            assert_eq!(index.utf16_to_char(unit), Some(char_offset));
        }
        assert_eq!(index.utf16_to_char(2), None, "inside the surrogate pair of 😀");
        assert_eq!(index.utf16_to_char(10), None, "past the end");
    }
}

//! The one tokenizer of Gloss: word snapping in the editor and token-level exports both use it,
//! so a tag snapped in the app always lines up with token boundaries in a CoNLL file.
//!
//! Tokens are the word segments of Unicode UAX #29 with two adjustments that annotators of news
//! expect: white space is dropped, and an English possessive clitic is its own token
//! (`Pakistan’s` → `Pakistan`, `’s`), as in the Penn Treebank and spaCy tokenizers.
//! Punctuation marks are tokens of their own.
//!
//! White space always separates words under UAX #29, so the text is cut at white space first and
//! each piece is segmented on its own: pieces of ASCII characters (most words of an English text)
//! by the ASCII subset of the UAX #29 rules written out below, which is many times faster than the
//! general tables; other pieces by the `unicode-segmentation` crate. A property test checks that
//! both give the same tokens.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// A token of a text: its byte range, and whether it is a word (holds a letter or digit) rather
/// than punctuation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte range within the string that was tokenized.
    pub bytes: Range<usize>,
    /// `true` for words and numbers, `false` for punctuation and symbols.
    pub is_word: bool,
}

/// Splits `text` into tokens, in order.
pub fn tokenize(text: &str) -> impl Iterator<Item = Token> + '_ {
    pieces(text).flat_map(|(offset, piece)| {
        let segments = if piece.is_ascii() {
            Segments::Ascii(AsciiSegments { piece, start: 0, index: 1 })
        } else {
            Segments::Unicode(piece.split_word_bound_indices())
        };
        segments
            .filter(|(_, segment)| !segment.chars().all(char::is_whitespace))
            .flat_map(move |(start, segment)| split_possessive(offset + start, segment))
    })
}

/// The word segments of one piece, by whichever rules apply to it.
enum Segments<'a> {
    Ascii(AsciiSegments<'a>),
    Unicode(unicode_segmentation::UWordBoundIndices<'a>),
}

impl<'a> Iterator for Segments<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Segments::Ascii(segments) => segments.next(),
            Segments::Unicode(segments) => segments.next(),
        }
    }
}

/// The maximal runs of `text` without white space, with their byte offsets.
fn pieces(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .filter(|piece| !piece.is_empty())
        .map(move |piece| (piece.as_ptr() as usize - text.as_ptr() as usize, piece))
}

/// The UAX #29 word break class of an ASCII byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    /// `:`
    MidLetter,
    /// `,` and `;`
    MidNum,
    /// `.` (MidNumLet) and `'` (Single_Quote), which the rules treat alike.
    MidNumLetQ,
    /// `_`
    ExtendNumLet,
    Other,
}

fn class(byte: u8) -> Class {
    match byte {
        b'A'..=b'Z' | b'a'..=b'z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidNum,
        b'.' | b'\'' => Class::MidNumLetQ,
        b'_' => Class::ExtendNumLet,
        _ => Class::Other,
    }
}

/// The word segments of an ASCII piece without white space, by rules WB5–WB13b of UAX #29:
/// letters and digits join (WB5, WB8–WB10); a `:`, `.` or `'` between two letters joins them (WB6,
/// WB7); a `,`, `;`, `.` or `'` between two digits joins them (WB11, WB12); `_` joins with letters,
/// digits and itself (WB13a, WB13b); everything else stands alone (WB999).
struct AsciiSegments<'a> {
    piece: &'a str,
    /// Where the current segment started.
    start: usize,
    /// The next boundary candidate: between bytes `index - 1` and `index`.
    index: usize,
}

impl AsciiSegments<'_> {
    fn class_at(&self, index: usize) -> Class {
        self.piece.as_bytes().get(index).copied().map_or(Class::Other, class)
    }

    /// Whether the bytes before and at `index` belong to one segment.
    fn joins(&self, index: usize) -> bool {
        use Class::{ExtendNumLet, Letter, MidLetter, MidNum, MidNumLetQ, Numeric};
        let (before, at) = (self.class_at(index - 1), self.class_at(index));
        let mid_letter = |class: Class| matches!(class, MidLetter | MidNumLetQ);
        let mid_number = |class: Class| matches!(class, MidNum | MidNumLetQ);
        match (before, at) {
            (Letter | Numeric, Letter | Numeric) => true,
            (Letter, mid) if mid_letter(mid) => self.class_at(index + 1) == Letter,
            (mid, Letter) if mid_letter(mid) => index >= 2 && self.class_at(index - 2) == Letter,
            (Numeric, mid) if mid_number(mid) => self.class_at(index + 1) == Numeric,
            (mid, Numeric) if mid_number(mid) => index >= 2 && self.class_at(index - 2) == Numeric,
            (Letter | Numeric | ExtendNumLet, ExtendNumLet) | (ExtendNumLet, Letter | Numeric) => true,
            _ => false,
        }
    }
}

impl<'a> Iterator for AsciiSegments<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let length = self.piece.len();
        if self.start >= length {
            return None;
        }
        while self.index < length && self.joins(self.index) {
            self.index += 1;
        }
        let segment = (self.start, self.piece.get(self.start..self.index).unwrap_or_default());
        self.start = self.index;
        self.index += 1;
        Some(segment)
    }
}

/// Splits a trailing `’s` / `'s` off a word segment.
fn split_possessive(start: usize, segment: &str) -> impl Iterator<Item = Token> {
    let is_word = segment.chars().any(char::is_alphanumeric);
    let end = start + segment.len();
    let clitic_len = ["’s", "'s", "’S", "'S"]
        .iter()
        .find(|clitic| segment.len() > clitic.len() && segment.ends_with(*clitic))
        .map(|clitic| clitic.len());
    let (first, second) = match clitic_len {
        Some(len) if is_word => (Token { bytes: start..end - len, is_word }, Some(Token { bytes: end - len..end, is_word: true })),
        _ => (Token { bytes: start..end, is_word }, None),
    };
    std::iter::once(first).chain(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_texts(text: &str) -> Vec<&str> {
        tokenize(text).map(|token| &text[token.bytes]).collect()
    }

    #[test]
    fn splits_words_punctuation_and_possessives() {
        assert_eq!(
            token_texts("Pakistan’s “double game” — U.S.-led, 48-hour"),
            ["Pakistan", "’s", "“", "double", "game", "”", "—", "U.S", ".", "-", "led", ",", "48", "-", "hour"]
        );
    }

    #[test]
    fn no_break_space_is_white_space() {
        assert_eq!(token_texts("group.\u{a0}The"), ["group", ".", "The"]);
    }

    #[test]
    fn marks_words() {
        let words: Vec<bool> = tokenize("Hi, 2021!").map(|t| t.is_word).collect();
        assert_eq!(words, [true, false, true, false]);
    }

    /// The tokens as UAX #29 alone would give them, without the white-space and ASCII shortcuts.
    fn reference_tokens(text: &str) -> Vec<Token> {
        text.split_word_bound_indices()
            .filter(|(_, segment)| !segment.chars().all(char::is_whitespace))
            .flat_map(|(start, segment)| split_possessive(start, segment))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The fast paths change nothing: the tokens equal those of UAX #29 on mixed text.
        #[test]
        fn shortcuts_give_the_uax29_tokens(text in "([a-zA-Z0-9.,;:'_\\-!?\"()$%/ \n]|’|“|”|—|\u{a0}|é|😀|👍🏽|👩‍👩‍👧|\r\n){0,60}") {
            proptest::prop_assert_eq!(tokenize(&text).collect::<Vec<_>>(), reference_tokens(&text));
        }
    }

    #[test]
    fn the_article_tokenizes_as_uax29_does() {
        let article = crate::SEED_ARTICLE;
        assert_eq!(tokenize(article).collect::<Vec<_>>(), reference_tokens(article));
    }

    #[test]
    fn keeps_emoji_sequences_whole() {
        assert_eq!(token_texts("ok 👩‍👩‍👧 go"), ["ok", "👩‍👩‍👧", "go"]);
    }
}

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
pub fn tokenize(text: &str) -> Tokens<'_> {
    Tokens { text, cursor: 0, offset: 0, segments: Segments::Done, clitic: None }
}

/// The tokens of a text, produced piece by piece (see [`tokenize`]).
///
/// Written out as a state machine rather than a chain of adapters: the exports tokenize millions
/// of words, and this loop is the innermost one.
pub struct Tokens<'a> {
    text: &'a str,
    /// Where the search for the next piece starts.
    cursor: usize,
    /// Byte offset of the current piece.
    offset: usize,
    /// The word segments of the current piece not yet returned.
    segments: Segments<'a>,
    /// A possessive clitic split off the token returned last, returned next.
    clitic: Option<Token>,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if let Some(clitic) = self.clitic.take() {
            return Some(clitic);
        }
        loop {
            if let Some((start, segment, is_word)) = self.segments.next() {
                let (token, clitic) = split_possessive(self.offset + start, segment, is_word);
                self.clitic = clitic;
                return Some(token);
            }
            let (offset, piece, ascii) = next_piece(self.text, &mut self.cursor)?;
            self.offset = offset;
            self.segments = if ascii {
                Segments::Ascii(AsciiSegments { piece, start: 0, index: 1 })
            } else {
                Segments::Unicode(piece.split_word_bound_indices())
            };
        }
    }
}

/// The word segments of one piece, by whichever rules apply to it.
enum Segments<'a> {
    Ascii(AsciiSegments<'a>),
    Unicode(unicode_segmentation::UWordBoundIndices<'a>),
    Done,
}

/// A segment's byte offset within its piece, its text, and whether it holds a letter or digit.
type Segment<'a> = (usize, &'a str, bool);

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        match self {
            Segments::Ascii(segments) => segments.next(),
            Segments::Unicode(segments) => {
                segments.next().map(|(start, segment)| (start, segment, segment.chars().any(char::is_alphanumeric)))
            }
            Segments::Done => None,
        }
    }
}

/// The next maximal run of `text` without white space at or after `cursor`, with its byte offset
/// and whether it is all ASCII; moves `cursor` past it.
fn next_piece<'a>(text: &'a str, cursor: &mut usize) -> Option<(usize, &'a str, bool)> {
    let bytes = text.as_bytes();
    let mut start = *cursor;
    loop {
        let (width, white) = char_at(text, start)?;
        if !white {
            break;
        }
        start += width;
    }
    let mut end = start;
    let mut ascii = true;
    while let Some((width, white)) = char_at(text, end) {
        if white {
            break;
        }
        ascii &= bytes[end].is_ascii();
        end += width;
    }
    *cursor = end;
    Some((start, &text[start..end], ascii))
}

/// The UTF-8 width of the character at byte `index` and whether it is white space; `None` at the
/// end. ASCII, the common case, is decided from the byte alone.
fn char_at(text: &str, index: usize) -> Option<(usize, bool)> {
    let byte = *text.as_bytes().get(index)?;
    if byte.is_ascii() {
        return Some((1, matches!(byte, b'\t'..=b'\r' | b' ')));
    }
    let character = text.get(index..)?.chars().next()?;
    Some((character.len_utf8(), character.is_whitespace()))
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

/// The class of every ASCII byte, looked up rather than matched in the innermost loop.
const CLASSES: [Class; 128] = {
    let mut classes = [Class::Other; 128];
    let mut byte = 0;
    while byte < 128 {
        classes[byte] = class(byte as u8);
        byte += 1;
    }
    classes
};

const fn class(byte: u8) -> Class {
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
        self.piece.as_bytes().get(index).map_or(Class::Other, |&byte| CLASSES[usize::from(byte & 0x7f)])
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
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        let length = self.piece.len();
        if self.start >= length {
            return None;
        }
        let is_word_class = |class: Class| matches!(class, Class::Letter | Class::Numeric);
        let mut is_word = is_word_class(self.class_at(self.start));
        while self.index < length && self.joins(self.index) {
            is_word |= is_word_class(self.class_at(self.index));
            self.index += 1;
        }
        let segment = (self.start, self.piece.get(self.start..self.index).unwrap_or_default(), is_word);
        self.start = self.index;
        self.index += 1;
        Some(segment)
    }
}

/// The token of a word segment starting at byte `start`, and the trailing `’s` / `'s` split off
/// it, if any.
fn split_possessive(start: usize, segment: &str, is_word: bool) -> (Token, Option<Token>) {
    let end = start + segment.len();
    let clitic_len = if segment.ends_with(['s', 'S']) {
        ["’s", "'s", "’S", "'S"].iter().find(|clitic| segment.len() > clitic.len() && segment.ends_with(*clitic)).map(|clitic| clitic.len())
    } else {
        None
    };
    match clitic_len {
        Some(len) if is_word => (Token { bytes: start..end - len, is_word }, Some(Token { bytes: end - len..end, is_word: true })),
        _ => (Token { bytes: start..end, is_word }, None),
    }
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
            .flat_map(|(start, segment)| {
                let (token, clitic) = split_possessive(start, segment, segment.chars().any(char::is_alphanumeric));
                std::iter::once(token).chain(clitic)
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The fast paths change nothing: the tokens equal those of UAX #29 on mixed text.
        #[test]
        fn shortcuts_give_the_uax29_tokens(text in "([a-zA-Z0-9.,;:'_\\-!?\"()$%/ \n]|’|“|”|—|\u{a0}|\t|\u{b}|\u{c}|\u{85}|\u{2028}|\u{3000}|é|😀|👍🏽|👩‍👩‍👧|\r\n){0,60}") {
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

//! The one tokenizer of Gloss: word snapping in the editor and token-level exports both use it,
//! so a tag snapped in the app always lines up with token boundaries in a CoNLL file.
//!
//! Tokens are the word segments of Unicode UAX #29 with two adjustments that annotators of news
//! expect: white space is dropped, and an English possessive clitic is its own token
//! (`Pakistan’s` → `Pakistan`, `’s`), as in the Penn Treebank and spaCy tokenizers.
//! Punctuation marks are tokens of their own.
//!
//! White space always separates words under UAX #29, so the text is cut at white space first and
//! each piece is segmented on its own: pieces of ASCII characters and the common punctuation of
//! news text (curly quotes, dashes, the ellipsis), most words of an English text, by the subset of
//! the UAX #29 rules written out below, which is many times faster than the general tables; other
//! pieces by the `unicode-segmentation` crate. Before either, most tokens are settled from their
//! bytes alone (a run of ASCII letters and digits, or one punctuation mark, that nothing after it
//! can join; see `sure_token`). A property test checks that all these paths give the tokens of
//! UAX #29.

use std::ops::Range;

use super::offsets::CharCounter;

use unicode_segmentation::UnicodeSegmentation;

/// A token of a text: its byte and code-point ranges, and whether it is a word (holds a letter or
/// digit) rather than punctuation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte range within the string that was tokenized.
    pub bytes: Range<usize>,
    /// Code-point range within the string that was tokenized (what exported offsets count).
    pub chars: Range<usize>,
    /// `true` for words and numbers, `false` for punctuation and symbols.
    pub is_word: bool,
}

/// Splits `text` into tokens, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_token(text, |token| tokens.push(token));
    tokens
}

/// Calls `each` with every token of `text`, in order: a loop rather than an iterator, since the
/// exports and agreement tokenize millions of words and this is their innermost loop. Code points
/// are counted on the way: a token the bytes settle is ASCII but for one punctuation mark, so
/// only the pieces the rules decide need counting.
pub fn for_each_token(text: &str, mut each: impl FnMut(Token)) {
    let bytes = text.as_bytes();
    let mut cursor = 0;
    // Code points before `cursor`.
    let mut chars = 0;
    loop {
        let from = cursor;
        if let Some((start, end, is_word)) = sure_token(text, &mut cursor) {
            // Only ASCII white space comes before a sure token.
            let first = chars + (start - from);
            let last = first + if bytes[start].is_ascii() { end - start } else { 1 };
            each(Token { bytes: start..end, chars: first..last, is_word });
            chars = last;
            continue;
        }
        chars += cursor - from;
        let rest = &text[cursor..];
        let before = cursor;
        let Some((offset, piece, fast)) = next_piece(text, &mut cursor) else { return };
        let mut counter = CharCounter::new(rest, chars);
        let mut at = |byte: usize| counter.at(byte - before);
        let segments = if fast { Segments::Fast(FastSegments::new(piece)) } else { Segments::Unicode(piece.split_word_bound_indices()) };
        for (start, segment, is_word) in segments {
            let start = offset + start;
            let (word, clitic) = split_possessive(start..start + segment.len(), segment, is_word);
            each(Token { chars: at(word.start)..at(word.end), bytes: word, is_word });
            if let Some(clitic) = clitic {
                each(Token { chars: at(clitic.start)..at(clitic.end), bytes: clitic, is_word: true });
            }
        }
        chars = at(cursor);
    }
}

/// The word segments of one piece, by whichever rules apply to it.
enum Segments<'a> {
    Fast(FastSegments<'a>),
    Unicode(unicode_segmentation::UWordBoundIndices<'a>),
}

/// A segment's byte offset within its piece, its text, and whether it holds a letter or digit.
type Segment<'a> = (usize, &'a str, bool);

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        match self {
            Segments::Fast(segments) => segments.next(),
            Segments::Unicode(segments) => {
                segments.next().map(|(start, segment)| (start, segment, segment.chars().any(char::is_alphanumeric)))
            }
        }
    }
}

/// The token at `cursor` (after ASCII white space) when the bytes alone settle it, as its byte
/// range and whether it is a word, which they do
/// for most tokens of news text: a run of ASCII letters and digits, or one punctuation mark, that
/// nothing after it can join. Moves `cursor` past the token, or past the white space only when
/// the rules must decide (see [`next_piece`]).
///
/// `cursor` must be where a segment starts and nothing before it can join what follows: after
/// white space, or after a token this function returned. Each token it returns ends where UAX #29
/// breaks whatever comes next, so the next call starts at such a place too.
// Inlined into the token loop: it runs once a token, and a call costs as much as its body.
#[inline(always)]
fn sure_token(text: &str, cursor: &mut usize) -> Option<(usize, usize, bool)> {
    let bytes = text.as_bytes();
    let start = *cursor + run_length(bytes.get(*cursor..).unwrap_or_default(), is_ascii_white);
    *cursor = start;
    let first = *bytes.get(start)?;
    let (end, is_word) = if is_ascii_word_byte(first) {
        let end = start + 1 + run_length(bytes.get(start + 1..).unwrap_or_default(), is_ascii_word_byte);
        // Letters and digits join only across `_` (WB13) and across a middle mark with a letter
        // or digit after it (WB6, WB7, WB11, WB12).
        let stops = match sure_class(bytes, end) {
            Some(Class::Other) => true,
            Some(Class::MidLetter | Class::MidNum | Class::MidNumLetQ) => {
                !matches!(sure_class(bytes, end + char_width(bytes, end)), Some(Class::Letter | Class::Numeric) | None)
            }
            _ => false,
        };
        if !stops {
            return None;
        }
        (end, true)
    } else {
        // A mark of class Other stands alone (WB999) unless an extending character follows (WB4),
        // and one of the middle marks too when no letter or digit follows it.
        let end = start + char_width(bytes, start);
        let alone = match sure_class(bytes, start)? {
            Class::Other => true,
            Class::MidLetter | Class::MidNum | Class::MidNumLetQ => !matches!(sure_class(bytes, end), Some(Class::Letter | Class::Numeric)),
            _ => false,
        };
        if !alone || sure_class(bytes, end).is_none() {
            return None;
        }
        (end, false)
    };
    *cursor = end;
    Some((start, end, is_word))
}

/// The word break class of the character at byte `index` when the fast path knows it (ASCII,
/// white space included as Other, and the punctuation of [`fast_punctuation_class`]); `Other` at
/// the end of the text, which breaks like white space; `None` for any other character.
fn sure_class(bytes: &[u8], index: usize) -> Option<Class> {
    match bytes.get(index) {
        None => Some(Class::Other),
        Some(&byte) if byte.is_ascii() => Some(CLASSES[usize::from(byte)]),
        Some(0xE2) if bytes.get(index + 1) == Some(&0x80) => bytes.get(index + 2).copied().and_then(fast_punctuation_class),
        Some(_) => None,
    }
}

/// How many bytes at the start of `bytes` pass `test`.
#[inline(always)]
fn run_length(bytes: &[u8], test: impl Fn(u8) -> bool) -> usize {
    bytes.iter().position(|&byte| !test(byte)).unwrap_or(bytes.len())
}

/// Whether an ASCII byte is white space (as `char::is_whitespace` says).
fn is_ascii_white(byte: u8) -> bool {
    BYTE_KINDS[usize::from(byte)] == WHITE_BYTE
}

/// Whether a byte is an ASCII letter or digit.
fn is_ascii_word_byte(byte: u8) -> bool {
    BYTE_KINDS[usize::from(byte)] == WORD_BYTE
}

/// What the scanning loops, which test every byte of a corpus, look up of a byte instead of
/// comparing it: white space, a letter or digit, or anything else.
const BYTE_KINDS: [u8; 256] = {
    let mut kinds = [0; 256];
    let mut byte = 0;
    while byte < 128 {
        kinds[byte] = match CLASSES[byte] {
            Class::Letter | Class::Numeric => WORD_BYTE,
            _ if matches!(byte as u8, b'\t'..=b'\r' | b' ') => WHITE_BYTE,
            _ => 0,
        };
        byte += 1;
    }
    kinds
};
const WHITE_BYTE: u8 = 1;
const WORD_BYTE: u8 = 2;

/// The UTF-8 width of a character [`sure_class`] knows at byte `index`: 1 for ASCII (and past the
/// end), 3 for the rest.
fn char_width(bytes: &[u8], index: usize) -> usize {
    if bytes.get(index).is_none_or(u8::is_ascii) { 1 } else { 3 }
}

/// The next maximal run of `text` without white space at or after `cursor`, with its byte offset
/// and whether the fast path can segment it (see [`FastSegments`]); moves `cursor` past it.
fn next_piece<'a>(text: &'a str, cursor: &mut usize) -> Option<(usize, &'a str, bool)> {
    let mut start = *cursor;
    loop {
        let (width, white, _) = char_at(text, start)?;
        if !white {
            break;
        }
        start += width;
    }
    let mut end = start;
    let mut fast = true;
    loop {
        // Printable ASCII, most of a text, is never white space and always known.
        end += text.as_bytes().get(end..).unwrap_or_default().iter().take_while(|byte| byte.is_ascii_graphic()).count();
        let Some((width, white, known)) = char_at(text, end) else { break };
        if white {
            break;
        }
        fast &= known;
        end += width;
    }
    *cursor = end;
    Some((start, &text[start..end], fast))
}

/// The UTF-8 width of the character at byte `index`, whether it is white space, and whether the
/// fast path knows its word break class; `None` at the end. ASCII and the common punctuation of
/// [`fast_punctuation_class`], the common cases, are decided from the bytes alone.
fn char_at(text: &str, index: usize) -> Option<(usize, bool, bool)> {
    let bytes = text.as_bytes();
    let byte = *bytes.get(index)?;
    if byte.is_ascii() {
        return Some((1, is_ascii_white(byte), true));
    }
    if byte == 0xE2 && bytes.get(index + 1) == Some(&0x80) && bytes.get(index + 2).copied().and_then(fast_punctuation_class).is_some() {
        return Some((3, false, true));
    }
    let character = text.get(index..)?.chars().next()?;
    Some((character.len_utf8(), character.is_whitespace(), false))
}

/// The word break class of the character encoded `E2 80 last`, for the punctuation that news
/// text is full of: `‘` and `’` are MidNumLet (as `.`), and `–`, `—`, `“`, `”` and `…` are
/// Other. `None` for every other character of that block (spaces, joiners, marks the general
/// tables decide).
const fn fast_punctuation_class(last: u8) -> Option<Class> {
    match last {
        0x98 | 0x99 => Some(Class::MidNumLetQ),
        0x93 | 0x94 | 0x9C | 0x9D | 0xA6 => Some(Class::Other),
        _ => None,
    }
}

/// The UAX #29 word break class of a character the fast path knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    /// `:`
    MidLetter,
    /// `,` and `;`
    MidNum,
    /// `.` and `‘` `’` (MidNumLet) and `'` (Single_Quote), which the rules treat alike.
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

/// The word segments of a piece without white space made of ASCII characters and the punctuation
/// of [`fast_punctuation_class`] (three bytes each), by rules WB5–WB13b of UAX #29: letters and
/// digits join (WB5, WB8–WB10); a `:`, `.`, `'`, `‘` or `’` between two letters joins them (WB6,
/// WB7); a `,`, `;`, `.`, `'`, `‘` or `’` between two digits joins them (WB11, WB12); `_` joins
/// with letters, digits and itself (WB13a, WB13b); everything else stands alone (WB999).
///
/// Positions are byte offsets of characters within the piece.
struct FastSegments<'a> {
    piece: &'a str,
    /// Where the current segment started.
    start: usize,
    /// The next boundary candidate: between the character before `index` and the one at it.
    index: usize,
}

impl<'a> FastSegments<'a> {
    fn new(piece: &'a str) -> Self {
        let mut segments = Self { piece, start: 0, index: 0 };
        segments.index = segments.after(0);
        segments
    }

    fn class_at(&self, index: usize) -> Class {
        // Every character of a fast piece is one `sure_class` knows.
        sure_class(self.piece.as_bytes(), index).unwrap_or(Class::Other)
    }

    /// Where the character after the one at `index` starts.
    fn after(&self, index: usize) -> usize {
        index + char_width(self.piece.as_bytes(), index)
    }

    /// Where the character before `index` starts; `index` must be past the first one.
    fn before(&self, index: usize) -> usize {
        let ascii = self.piece.as_bytes().get(index.wrapping_sub(1)).is_none_or(u8::is_ascii);
        if ascii { index.saturating_sub(1) } else { index.saturating_sub(3) }
    }

    /// Whether the characters before and at `index` belong to one segment.
    fn joins(&self, index: usize) -> bool {
        use Class::{ExtendNumLet, Letter, MidLetter, MidNum, MidNumLetQ, Numeric};
        let previous = self.before(index);
        let (before, at) = (self.class_at(previous), self.class_at(index));
        let mid_letter = |class: Class| matches!(class, MidLetter | MidNumLetQ);
        let mid_number = |class: Class| matches!(class, MidNum | MidNumLetQ);
        let ahead = || self.class_at(self.after(index));
        let behind = || if previous == 0 { Class::Other } else { self.class_at(self.before(previous)) };
        match (before, at) {
            (Letter | Numeric, Letter | Numeric) => true,
            (Letter, mid) if mid_letter(mid) => ahead() == Letter,
            (mid, Letter) if mid_letter(mid) => behind() == Letter,
            (Numeric, mid) if mid_number(mid) => ahead() == Numeric,
            (mid, Numeric) if mid_number(mid) => behind() == Numeric,
            (Letter | Numeric | ExtendNumLet, ExtendNumLet) | (ExtendNumLet, Letter | Numeric) => true,
            _ => false,
        }
    }
}

impl<'a> Iterator for FastSegments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        let bytes = self.piece.as_bytes();
        let length = bytes.len();
        if self.start >= length {
            return None;
        }
        let is_word_class = |class: Class| matches!(class, Class::Letter | Class::Numeric);
        let first = self.class_at(self.start);
        let mut is_word = is_word_class(first);
        if is_word {
            // Letters and digits always join (WB5, WB8–WB10): the bulk of a word in one sweep.
            while bytes.get(self.index).copied().is_some_and(is_ascii_word_byte) {
                self.index += 1;
            }
        }
        // A character of class Other joins nothing (WB999; no extenders reach the fast path).
        if first != Class::Other {
            while self.index < length && self.joins(self.index) {
                is_word |= is_word_class(self.class_at(self.index));
                self.index = self.after(self.index);
            }
        }
        let segment = (self.start, self.piece.get(self.start..self.index).unwrap_or_default(), is_word);
        self.start = self.index;
        self.index = self.after(self.index);
        Some(segment)
    }
}

/// The bytes of a word segment, `segment` of the text, without the trailing `’s` / `'s`, and the
/// bytes of that clitic, if any and the segment is a word.
fn split_possessive(segment: Range<usize>, text: &str, is_word: bool) -> (Range<usize>, Option<Range<usize>>) {
    let clitic_len = if is_word && text.ends_with(['s', 'S']) {
        ["’s", "'s", "’S", "'S"].iter().find(|clitic| text.len() > clitic.len() && text.ends_with(*clitic)).map(|clitic| clitic.len())
    } else {
        None
    };
    match clitic_len {
        Some(len) => (segment.start..segment.end - len, Some(segment.end - len..segment.end)),
        None => (segment, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_texts(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|token| &text[token.bytes]).collect()
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
        let words: Vec<bool> = tokenize("Hi, 2021!").into_iter().map(|t| t.is_word).collect();
        assert_eq!(words, [true, false, true, false]);
    }

    /// The tokens as UAX #29 alone would give them, without the white-space and ASCII shortcuts.
    fn reference_tokens(text: &str) -> Vec<Token> {
        text.split_word_bound_indices()
            .filter(|(_, segment)| !segment.chars().all(char::is_whitespace))
            .flat_map(|(start, segment)| {
                let is_word = segment.chars().any(char::is_alphanumeric);
                let (word, clitic) = split_possessive(start..start + segment.len(), segment, is_word);
                std::iter::once((word, is_word)).chain(clitic.map(|clitic| (clitic, true)))
            })
            .map(|(bytes, is_word)| Token { chars: text[..bytes.start].chars().count()..text[..bytes.end].chars().count(), bytes, is_word })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The fast paths change nothing: the tokens equal those of UAX #29 on mixed text.
        #[test]
        fn shortcuts_give_the_uax29_tokens(text in "([a-zA-Z0-9.,;:'_\\-!?\"()$%/ \n]|’|‘|“|”|—|–|…|\u{2019}s|\u{2018}\u{2018}|\u{2028}|\u{2008}|\u{201a}|\u{2027}|\u{2024}|\u{a0}|\t|\u{b}|\u{c}|\u{85}|\u{2028}|\u{3000}|é|😀|👍🏽|👩‍👩‍👧|\r\n){0,60}") {
            proptest::prop_assert_eq!(tokenize(&text), reference_tokens(&text));
        }
    }

    /// Pieces with curly quotes, dashes and ellipses take the fast path; these are the cases where
    /// the quote marks join or split words.
    #[test]
    fn curly_punctuation_tokenizes_as_uax29_does() {
        for text in [
            "rock’n’roll don‘t ‘quoted’ “double” 1’000 3‘5 a’1 1’a x’’y ’s’s",
            "2014–2021 word—word wait… …and “Yes.” (Maybe’s) U.S.’s e.g.’ a:’b _’_",
            "’ ‘ “ ” – — … ’s’ ‘s Pakistan’s PAKISTAN’S 48’s ab‘s",
        ] {
            assert_eq!(tokenize(text), reference_tokens(text), "{text}");
        }
        assert_eq!(token_texts("rock’n’roll… 2014–21"), ["rock’n’roll", "…", "2014", "–", "21"]);
    }

    #[test]
    fn the_article_tokenizes_as_uax29_does() {
        let article = crate::SEED_ARTICLE;
        assert_eq!(tokenize(article), reference_tokens(article));
    }

    #[test]
    fn keeps_emoji_sequences_whole() {
        assert_eq!(token_texts("ok 👩‍👩‍👧 go"), ["ok", "👩‍👩‍👧", "go"]);
    }
}

//! The one tokenizer of Gloss: word snapping in the editor and token-level exports both use it,
//! so a tag snapped in the app always lines up with token boundaries in a CoNLL file.
//!
//! Tokens are the word segments of Unicode UAX #29 with two adjustments that annotators of news
//! expect: white space is dropped, and an English possessive clitic is its own token
//! (`Pakistan’s` → `Pakistan`, `’s`), as in the Penn Treebank and spaCy tokenizers.
//! Punctuation marks are tokens of their own.

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
    text.split_word_bound_indices()
        .filter(|(_, segment)| !segment.chars().all(char::is_whitespace))
        .flat_map(|(start, segment)| split_possessive(start, segment))
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

    #[test]
    fn keeps_emoji_sequences_whole() {
        assert_eq!(token_texts("ok 👩‍👩‍👧 go"), ["ok", "👩‍👩‍👧", "go"]);
    }
}

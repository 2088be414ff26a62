//! JSON written by hand for the records a large project holds by the million (its annotations,
//! the lines of a JSON-lines export): the same bytes as `serde_json`, without the work of its
//! generic serializer. Strings are escaped eight bytes at a time, where `serde_json` looks at
//! each byte; the other parts are written directly instead of through a formatter. Anything
//! unusual in a record (a number, a comment, a provenance) is still written by `serde_json`.
//!
//! Each writer here is tested to give the bytes `serde_json` gives.

use serde::Serialize;

use crate::model::{AttributeValue, Attributes};

/// Appends `text` as a JSON string, quotes included, escaped as `serde_json` escapes it: `"`,
/// `\` and the control characters below U+0020, by their short escape where JSON has one.
pub(crate) fn push_string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // The run of bytes since the last escape, copied when the next escape (or the end) comes.
    let mut run_start = 0;
    let mut index = 0;
    while index < bytes.len() {
        if let Some(word) = bytes.get(index..index + 8).and_then(|chunk| <[u8; 8]>::try_from(chunk).ok())
            && !needs_escape(u64::from_le_bytes(word))
        {
            index += 8;
            continue;
        }
        let byte = bytes[index];
        if let Some(escape) = escape(byte) {
            out.extend_from_slice(&bytes[run_start..index]);
            push_escape(out, byte, escape);
            run_start = index + 1;
        }
        index += 1;
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'"');
}

/// Whether any of the eight bytes of `word` is `"`, `\` or below U+0020 (exact: the test for a
/// byte below a bound up to 128 has no false positives when asked of the whole word).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let any_below = |word: u64, bound: u8| word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGH_BITS != 0;
    let any_equal = |word: u64, byte: u8| any_below(word ^ (ONES * u64::from(byte)), 1);
    any_below(word, 0x20) || any_equal(word, b'"') || any_equal(word, b'\\')
}

/// The letter of a byte's short escape (`n` for a line feed), `u` for `\u00XX`, or `None` for a
/// byte written as it is.
fn escape(byte: u8) -> Option<u8> {
    match byte {
        b'"' => Some(b'"'),
        b'\\' => Some(b'\\'),
        0x08 => Some(b'b'),
        0x09 => Some(b't'),
        0x0A => Some(b'n'),
        0x0C => Some(b'f'),
        0x0D => Some(b'r'),
        0x00..0x20 => Some(b'u'),
        _ => None,
    }
}

fn push_escape(out: &mut Vec<u8>, byte: u8, escape: u8) {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(&[b'\\', escape]);
    if escape == b'u' {
        out.extend_from_slice(&[b'0', b'0', HEX_DIGITS[usize::from(byte >> 4)], HEX_DIGITS[usize::from(byte & 0xF)]]);
    }
}

/// Appends an unsigned integer.
pub(crate) fn push_usize(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Appends a timestamp as its serialization writes it (see `model::timestamp`).
pub(crate) fn push_timestamp(out: &mut Vec<u8>, timestamp: jiff::Timestamp) {
    match crate::model::format_whole_seconds(timestamp) {
        Some(bytes) => {
            out.push(b'"');
            out.extend_from_slice(&bytes);
            out.push(b'"');
        }
        None => push_string(out, &timestamp.to_string()),
    }
}

/// Appends `value` as `serde_json` writes it compactly.
pub(crate) fn push_serialized(out: &mut Vec<u8>, value: &impl Serialize) {
    // Writing plain data into memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// Appends `[item,item,…]`, each item written by `push_item`.
pub(crate) fn push_array<T>(out: &mut Vec<u8>, items: impl IntoIterator<Item = T>, push_item: impl FnMut(&mut Vec<u8>, T)) {
    push_between(out, [b'[', b']'], items, push_item);
}

/// Appends the items between `brackets`, separated by commas.
fn push_between<T>(out: &mut Vec<u8>, brackets: [u8; 2], items: impl IntoIterator<Item = T>, mut push_item: impl FnMut(&mut Vec<u8>, T)) {
    out.push(brackets[0]);
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        push_item(out, item);
    }
    out.push(brackets[1]);
}

/// Appends attribute values as a JSON object, in the order of their names.
pub(crate) fn push_attributes(out: &mut Vec<u8>, attributes: &Attributes) {
    push_between(out, [b'{', b'}'], attributes, |out, (name, value)| {
        push_string(out, name);
        out.push(b':');
        match value {
            AttributeValue::Text(text) => push_string(out, text),
            AttributeValue::Flag(flag) => out.extend_from_slice(if *flag { b"true" } else { b"false" }),
            AttributeValue::Number(_) => push_serialized(out, value),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        write(&mut out);
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn escapes_as_serde_json_does() {
        let text = "“Kabul” — \"calm\"\\ tab\there\r\nbell\u{7}\u{0}\u{1f}\u{7f} 😀 end of a long run of plain text";
        assert_eq!(written(|out| push_string(out, text)), serde_json::to_string(text).expect("serialized"));
        assert_eq!(written(|out| push_string(out, "")), "\"\"");
    }

    #[test]
    fn attributes_are_written_as_serde_json_writes_them() {
        let attributes: Attributes = [
            ("score".to_owned(), AttributeValue::Number(0.1)),
            ("count".to_owned(), AttributeValue::Number(3.0)),
            ("verified".to_owned(), AttributeValue::Flag(false)),
            ("stance".to_owned(), AttributeValue::Text("“neutral”\n".into())),
        ]
        .into();
        assert_eq!(written(|out| push_attributes(out, &attributes)), serde_json::to_string(&attributes).expect("serialized"));
        assert_eq!(written(|out| push_attributes(out, &Attributes::new())), "{}");
    }

    #[test]
    fn arrays_separate_their_items_with_commas() {
        assert_eq!(written(|out| push_array(out, [1, 22, 333], push_usize)), "[1,22,333]");
        assert_eq!(written(|out| push_array(out, Vec::<usize>::new(), push_usize)), "[]");
    }

    #[test]
    fn numbers() {
        assert_eq!(written(|out| push_usize(out, 0)), "0");
        assert_eq!(written(|out| push_usize(out, usize::MAX)), usize::MAX.to_string());
    }

    proptest::proptest! {
        /// Any text, with every character that JSON escapes among others, escapes as with
        /// `serde_json`, at every alignment of the eight-byte steps.
        #[test]
        fn any_text_escapes_as_serde_json_does(text in "[a-z \"\\\\\u{0}-\u{1f}\u{7f}“—\u{a0}😀]{0,40}") {
            proptest::prop_assert_eq!(written(|out| push_string(out, &text)), serde_json::to_string(&text).expect("serialized"));
        }
    }
}

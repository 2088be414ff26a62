//! Code-point offsets counted along a line, for offsets found as bytes (tokens, regex matches).

/// Converts ascending byte offsets of a line to code-point offsets in one pass over the line.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

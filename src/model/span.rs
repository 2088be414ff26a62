//! Half-open ranges of code points.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of a document's text, counted in **Unicode code points**
/// (the indices of a Python `str`), never in UTF-8 bytes or UTF-16 units.
///
/// ```text
/// text:  “Pakistan”
/// span:  [1, 9) → Pakistan
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    /// Code-point offset of the first character of the span (inclusive).
    pub start: usize,
    /// Code-point offset just past the last character of the span (exclusive).
    pub end: usize,
}

impl Span {
    /// The span `[start, end)`; the ends are put in order if given reversed.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start: start.min(end), end: start.max(end) }
    }

    /// Number of code points covered.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no character.
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// Whether the two spans share at least one character.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely inside this span.
    pub fn contains_span(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the code point at `offset` lies inside the span.
    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The smallest span covering both.
    pub fn union(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A set of spans that answers "does anything overlap this span?" in logarithmic time: the
/// spans sorted by start, with the furthest end reached up to each one.
///
/// ```text
/// spans [0, 4) [2, 9) [12, 15)    reach 4, 9, 15
/// [9, 12) → the spans starting before 12 reach 9 at most: no overlap
/// ```
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    spans: Vec<Span>,
    reach: Vec<usize>,
}

impl Coverage {
    /// Whether a span of the set shares a character with `span`.
    pub fn overlaps(&self, span: Span) -> bool {
        let starting_before_end = self.spans.partition_point(|covered| covered.start < span.end);
        starting_before_end.checked_sub(1).and_then(|last| self.reach.get(last)).is_some_and(|&furthest| furthest > span.start)
    }
}

impl FromIterator<Span> for Coverage {
    fn from_iter<I: IntoIterator<Item = Span>>(spans: I) -> Self {
        let mut spans: Vec<Span> = spans.into_iter().filter(|span| !span.is_empty()).collect();
        spans.sort();
        let reach = spans
            .iter()
            .scan(0, |furthest, span| {
                *furthest = span.end.max(*furthest);
                Some(*furthest)
            })
            .collect();
        Self { spans, reach }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_finds_overlaps_past_shorter_spans() {
        let coverage: Coverage = [Span::new(2, 9), Span::new(0, 4), Span::new(12, 15), Span::new(5, 5)].into_iter().collect();
        assert!(coverage.overlaps(Span::new(8, 10)), "the long span reaches past the short one after it");
        assert!(!coverage.overlaps(Span::new(9, 12)));
        assert!(coverage.overlaps(Span::new(14, 20)));
        assert!(!coverage.overlaps(Span::new(15, 20)));
        assert!(!Coverage::default().overlaps(Span::new(0, 100)));
    }

    #[test]
    fn overlap_is_strict_at_the_edges() {
        let a = Span::new(0, 5);
        assert!(a.overlaps(Span::new(4, 8)));
        assert!(!a.overlaps(Span::new(5, 8)), "touching spans do not overlap");
        assert!(a.contains_span(Span::new(1, 5)));
        assert!(!a.contains(5));
    }

    #[test]
    fn new_orders_reversed_ends() {
        assert_eq!(Span::new(7, 3), Span { start: 3, end: 7 });
        assert_eq!(Span::new(7, 3).len(), 4);
    }
}

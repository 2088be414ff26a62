//! Finding the annotations over a range of the text without scanning them all.
//!
//! A document keeps its annotations sorted by start. An annotation overlapping `[a, b)` starts
//! before `b`, and no earlier than `a − longest`, where `longest` is the longest extent of the
//! list; two binary searches bound the candidates. Drawing a screen of a document with 100,000
//! tags then looks at the few dozen tags near it, not at all of them.

use crate::model::{Annotation, Span};

/// A sorted list of annotations and the length of its longest extent.
#[derive(Clone, Copy, Debug)]
pub struct Spans<'a> {
    annotations: &'a [Annotation],
    longest: usize,
}

/// The length of the longest extent of `annotations`.
pub fn longest_extent(annotations: &[Annotation]) -> usize {
    annotations.iter().filter_map(Annotation::extent).map(Span::len).max().unwrap_or(0)
}

impl<'a> Spans<'a> {
    /// `annotations` (in document order) whose longest extent is `longest`.
    pub fn new(annotations: &'a [Annotation], longest: usize) -> Self {
        Self { annotations, longest }
    }

    /// The annotations with a fragment overlapping `span`, in document order.
    pub fn overlapping(self, span: Span) -> impl Iterator<Item = &'a Annotation> {
        let starts_before = |annotation: &Annotation, offset: usize| annotation.extent().is_none_or(|extent| extent.start < offset);
        let first = self.annotations.partition_point(|annotation| starts_before(annotation, span.start.saturating_sub(self.longest)));
        let last = self.annotations.partition_point(|annotation| starts_before(annotation, span.end));
        self.annotations
            .get(first..last.max(first))
            .unwrap_or_default()
            .iter()
            .filter(move |annotation| annotation.fragments.iter().any(|fragment| fragment.overlaps(span)))
    }

    /// The annotations covering the character at `offset`, innermost (shortest) first, entities
    /// before claims and sentiments of the same length.
    pub fn at(self, offset: usize) -> Vec<&'a Annotation> {
        let mut covering: Vec<&Annotation> = self
            .overlapping(Span::new(offset, offset + 1))
            .filter(|annotation| annotation.fragments.iter().any(|fragment| fragment.contains(offset)))
            .collect();
        covering.sort_by_key(|annotation| (annotation.extent().map_or(0, Span::len), annotation.kind));
        covering
    }

    /// The annotation a click at `offset` selects.
    pub fn innermost_at(self, offset: usize) -> Option<&'a Annotation> {
        self.at(offset).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn tag(kind: Kind, start: usize, end: usize) -> Annotation {
        Annotation::new(kind, "X", vec![Span::new(start, end)], "t")
    }

    #[test]
    fn finds_what_a_scan_finds() {
        let mut annotations: Vec<Annotation> = (0..400).map(|i| tag(Kind::Entity, i * 5, i * 5 + 3 + i % 7)).collect();
        annotations.push(tag(Kind::Claim, 100, 1_500));
        annotations.push(Annotation::new(Kind::Document, "D", vec![], "t"));
        annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let spans = Spans::new(&annotations, longest_extent(&annotations));
        for window in [Span::new(0, 10), Span::new(700, 760), Span::new(1_499, 1_600), Span::new(3_000, 3_100)] {
            let scanned: Vec<&Annotation> =
                annotations.iter().filter(|a| a.fragments.iter().any(|fragment| fragment.overlaps(window))).collect();
            assert_eq!(spans.overlapping(window).collect::<Vec<_>>(), scanned, "{window:?}");
        }
        assert_eq!(spans.innermost_at(1_200).map(|a| a.kind), Some(Kind::Entity));
        assert!(spans.at(1_499).iter().any(|a| a.kind == Kind::Claim), "the long claim covers its last character");
        assert!(spans.at(2_100).is_empty());
    }
}

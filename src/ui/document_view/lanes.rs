//! Stacking the underline bands of claims and sentiments that overlap, so every one stays visible.
//!
//! Each band gets the lowest lane (0 is closest to the text) not used by an earlier band that it
//! overlaps. Longer spans come first at the same start, so an outer claim sits above the inner
//! sentiment it contains:
//!
//! ```text
//! text:    Rana said the double game was a historic blunder
//! lane 0:            ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━  claim
//! lane 1:                                ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄  sentiment
//! ```

use crate::model::Span;

/// The lane of each span, in input order: a greedy interval colouring after sorting by start and
/// then by length, longest first.
pub fn assign_lanes(spans: &[Span]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&index| (spans[index].start, std::cmp::Reverse(spans[index].end)));
    let mut lane_ends: Vec<usize> = Vec::new();
    let mut lanes = vec![0; spans.len()];
    for index in order {
        let span = spans[index];
        let lane = match lane_ends.iter().position(|&end| end <= span.start) {
            Some(free) => free,
            None => {
                lane_ends.push(0);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = span.end;
        lanes[index] = lane;
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disjoint_spans_share_lane_zero() {
        assert_eq!(assign_lanes(&[Span::new(0, 5), Span::new(5, 9), Span::new(12, 20)]), [0, 0, 0]);
    }

    #[test]
    fn nested_and_overlapping_spans_stack() {
        let outer = Span::new(0, 40);
        let inner = Span::new(10, 20);
        let crossing = Span::new(15, 50);
        let later = Span::new(45, 60);
        assert_eq!(assign_lanes(&[inner, crossing, outer, later]), [1, 2, 0, 0]);
    }

    #[test]
    fn no_spans_no_lanes() {
        assert!(assign_lanes(&[]).is_empty());
    }
}

//! Pairing two annotators' annotations of one text and classifying each pair.
//!
//! Annotations are paired within their kind, in three rounds, each annotation at most once:
//! 1. the same fragments and the same label;
//! 2. the same fragments and another label (a **label mismatch**);
//! 3. overlapping extents and the same label (a **boundary mismatch**), largest overlap first.
//!
//! Document labels pair by label. A pair with the same fragments and label is an **agreement**
//! when its attributes and relations agree too, otherwise an **attribute mismatch** (checked
//! first) or a **relation mismatch**. Relations agree when both point at the same implicit
//! participant, or at annotations that are themselves paired. What is left is **only in A** or
//! **only in B**; two annotations that overlap with different labels and different boundaries are
//! not paired (one is only in A, the other only in B).

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::model::{Annotation, AnnotationId, Kind, RelationTarget, Span};

/// How two annotators' versions of an annotation differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    /// Same span, label, attributes and relations.
    Agreement,
    /// Same span, another label.
    LabelMismatch,
    /// Same label, overlapping but different spans.
    BoundaryMismatch,
    /// Same span and label, some attribute differs.
    AttributeMismatch,
    /// Same span, label and attributes, some relation differs (another claimant, ...).
    RelationMismatch,
    /// Annotated by A only.
    OnlyA,
    /// Annotated by B only.
    OnlyB,
}

impl Difference {
    /// Every class, in the order lists show them.
    pub const ALL: [Difference; 7] = [
        Difference::Agreement,
        Difference::LabelMismatch,
        Difference::BoundaryMismatch,
        Difference::AttributeMismatch,
        Difference::RelationMismatch,
        Difference::OnlyA,
        Difference::OnlyB,
    ];

    /// The class's name in reports (`label_mismatch`), as serialized.
    pub fn name(self) -> &'static str {
        match self {
            Difference::Agreement => "agreement",
            Difference::LabelMismatch => "label_mismatch",
            Difference::BoundaryMismatch => "boundary_mismatch",
            Difference::AttributeMismatch => "attribute_mismatch",
            Difference::RelationMismatch => "relation_mismatch",
            Difference::OnlyA => "only_a",
            Difference::OnlyB => "only_b",
        }
    }

    /// The class for people ("label mismatch").
    pub fn title(self) -> &'static str {
        match self {
            Difference::Agreement => "agreement",
            Difference::LabelMismatch => "label mismatch",
            Difference::BoundaryMismatch => "boundary mismatch",
            Difference::AttributeMismatch => "attribute mismatch",
            Difference::RelationMismatch => "relation mismatch",
            Difference::OnlyA => "only in A",
            Difference::OnlyB => "only in B",
        }
    }

    /// Whether A and B annotated the same thing (same label, overlapping or equal spans): the
    /// pairs whose attributes and relations can be compared.
    pub fn is_match(self) -> bool {
        matches!(self, Difference::Agreement | Difference::BoundaryMismatch | Difference::AttributeMismatch | Difference::RelationMismatch)
    }

    /// Whether the two annotators disagree.
    pub fn is_disagreement(self) -> bool {
        self != Difference::Agreement
    }
}

/// Two annotators' versions of one annotation (one side may be missing).
#[derive(Clone, Debug, PartialEq)]
pub struct AlignedPair {
    /// A's annotation.
    pub a: Option<AnnotationId>,
    /// B's annotation.
    pub b: Option<AnnotationId>,
    /// How they differ.
    pub difference: Difference,
    /// The attributes and relation roles whose values differ, sorted.
    pub differing: Vec<String>,
    /// Where the pair starts in the text (code points), for ordering and navigation.
    pub start: usize,
}

/// The pairing of two annotators' annotations of one text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alignment {
    /// Every pair, in text order.
    pub pairs: Vec<AlignedPair>,
}

impl Alignment {
    /// The pairs of one class.
    pub fn of(&self, difference: Difference) -> impl Iterator<Item = &AlignedPair> {
        self.pairs.iter().filter(move |pair| pair.difference == difference)
    }

    /// The pairs where A and B annotated the same thing (same label, overlapping or equal spans):
    /// the units of attribute and relation agreement.
    pub fn matched(&self) -> impl Iterator<Item = &AlignedPair> {
        self.pairs.iter().filter(|pair| pair.difference.is_match())
    }

    /// How many pairs fall in each class.
    pub fn counts(&self) -> HashMap<Difference, usize> {
        let mut counts = HashMap::new();
        for pair in &self.pairs {
            *counts.entry(pair.difference).or_insert(0) += 1;
        }
        counts
    }
}

/// Pairs `a`'s and `b`'s annotations of the same text and classifies each pair.
pub fn align(a: &[Annotation], b: &[Annotation]) -> Alignment {
    pair_up(a, b).into_alignment()
}

/// Pairs `a`'s and `b`'s annotations of the same text by their positions in the lists: what
/// [`align`] finds, before ids are copied and the pairs sorted. Agreement over a corpus counts
/// millions of pairs this way.
pub fn pair_up<'x>(a: &'x [Annotation], b: &'x [Annotation]) -> Pairing<'x> {
    let mut matcher = Matcher { a, b, a_taken: vec![false; a.len()], b_taken: vec![false; b.len()], links: Vec::new() };
    matcher.pair_same_fragments();
    matcher.pair_document_labels();
    matcher.pair_overlapping();
    matcher.into_pairing()
}

/// Two annotators' versions of one annotation (one side may be missing), by position in their
/// annotation lists.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedPair {
    /// Where A's annotation is in A's list.
    pub a: Option<usize>,
    /// Where B's annotation is in B's list.
    pub b: Option<usize>,
    /// How they differ.
    pub difference: Difference,
    /// The attributes and relation roles whose values differ, sorted.
    pub differing: Vec<String>,
}

/// The pairing of two lists of annotations of one text (see [`pair_up`]).
pub struct Pairing<'x> {
    a: &'x [Annotation],
    b: &'x [Annotation],
    /// The paired ones in the order they were found, then A's alone, then B's alone.
    pub pairs: Vec<IndexedPair>,
    /// Paired positions (into `a`, into `b`).
    links: Vec<(usize, usize)>,
    /// The pairs by id, made only when relations are compared: most pairs have none, and hashing
    /// every id would cost more than the pairing.
    by_a_id: OnceCell<FxHashMap<&'x AnnotationId, &'x AnnotationId>>,
}

impl<'x> Pairing<'x> {
    /// The pairs where A and B annotated the same thing (see [`Alignment::matched`]), as the two
    /// annotations.
    pub fn matched(&self) -> impl Iterator<Item = (&'x Annotation, &'x Annotation)> + '_ {
        self.pairs.iter().filter(|pair| pair.difference.is_match()).filter_map(|pair| Some((&self.a[pair.a?], &self.b[pair.b?])))
    }

    /// Whether A's annotation `a` and B's annotation `b` were paired (relations to them agree).
    pub fn paired(&self, a: &AnnotationId, b: &AnnotationId) -> bool {
        let by_a_id = self.by_a_id.get_or_init(|| self.links.iter().map(|&(x, y)| (&self.a[x].id, &self.b[y].id)).collect());
        by_a_id.get(a).is_some_and(|paired| *paired == b)
    }

    /// The pairs with ids, sorted in text order.
    fn into_alignment(self) -> Alignment {
        let (a, b) = (self.a, self.b);
        let mut pairs: Vec<AlignedPair> = self
            .pairs
            .into_iter()
            .map(|pair| {
                let (a, b) = (pair.a.map(|index| &a[index]), pair.b.map(|index| &b[index]));
                AlignedPair {
                    a: a.map(|annotation| annotation.id.clone()),
                    b: b.map(|annotation| annotation.id.clone()),
                    difference: pair.difference,
                    differing: pair.differing,
                    start: a.into_iter().chain(b).map(start_of).min().unwrap_or(0),
                }
            })
            .collect();
        pairs.sort_by(|x, y| (x.start, &x.a, &x.b).cmp(&(y.start, &y.a, &y.b)));
        Alignment { pairs }
    }
}

/// The state of the pairing rounds.
struct Matcher<'x> {
    a: &'x [Annotation],
    b: &'x [Annotation],
    a_taken: Vec<bool>,
    b_taken: Vec<bool>,
    /// Paired indices (into `a`, into `b`).
    links: Vec<(usize, usize)>,
}

impl<'x> Matcher<'x> {
    fn link(&mut self, a: usize, b: usize) {
        self.a_taken[a] = true;
        self.b_taken[b] = true;
        self.links.push((a, b));
    }

    /// Pairs annotations of one kind with identical fragments: with the same label first, then
    /// (what is left) with another label.
    fn pair_same_fragments(&mut self) {
        // B's annotations by kind and fragments: the first of each, and for each the next with the
        // same key, so that a key's annotations are visited in order without a list each.
        let mut first: FxHashMap<(Kind, &[Span]), usize> = FxHashMap::default();
        first.reserve(self.b.len());
        let mut next = vec![None; self.b.len()];
        for (index, annotation) in self.b.iter().enumerate().rev() {
            if !annotation.fragments.is_empty() {
                next[index] = first.insert((annotation.kind, &annotation.fragments), index);
            }
        }
        // Each of A's annotations with its key's first candidate, looked up once for both rounds.
        let candidates: Vec<(usize, usize)> = (self.a.iter().enumerate())
            .filter(|(_, annotation)| !annotation.fragments.is_empty())
            .filter_map(|(a_index, annotation)| Some((a_index, *first.get(&(annotation.kind, annotation.fragments.as_slice()))?)))
            .collect();
        for same_label in [true, false] {
            for &(a_index, first_candidate) in &candidates {
                if self.a_taken[a_index] {
                    continue;
                }
                let mut candidate = Some(first_candidate);
                while let Some(b_index) = candidate {
                    if !self.b_taken[b_index] && (self.b[b_index].label == self.a[a_index].label) == same_label {
                        self.link(a_index, b_index);
                        break;
                    }
                    candidate = next[b_index];
                }
            }
        }
    }

    /// Pairs document labels by label.
    fn pair_document_labels(&mut self) {
        for a_index in 0..self.a.len() {
            let annotation = &self.a[a_index];
            if self.a_taken[a_index] || annotation.kind.has_spans() {
                continue;
            }
            let found = (0..self.b.len())
                .find(|&b_index| !self.b_taken[b_index] && !self.b[b_index].kind.has_spans() && self.b[b_index].label == annotation.label);
            if let Some(b_index) = found {
                self.link(a_index, b_index);
            }
        }
    }

    /// Pairs overlapping annotations of the same label, the largest overlaps first.
    fn pair_overlapping(&mut self) {
        // B's untaken extents by start: each of A's looks only at those starting before its end.
        let mut b_extents: Vec<(Span, usize)> = (self.b.iter().enumerate())
            .filter(|(index, _)| !self.b_taken[*index])
            .filter_map(|(index, b)| Some((b.extent()?, index)))
            .collect();
        b_extents.sort_unstable_by_key(|(extent, index)| (extent.start, *index));
        let mut candidates = Vec::new();
        for (a_index, a) in self.a.iter().enumerate() {
            let Some(a_extent) = a.extent().filter(|_| !self.a_taken[a_index]) else { continue };
            let starting_before_the_end = b_extents.partition_point(|(extent, _)| extent.start < a_extent.end);
            for &(b_extent, b_index) in &b_extents[..starting_before_the_end] {
                let b = &self.b[b_index];
                if a_extent.overlaps(b_extent) && a.kind == b.kind && a.label == b.label {
                    let overlap = a_extent.end.min(b_extent.end) - a_extent.start.max(b_extent.start);
                    candidates.push((std::cmp::Reverse(overlap), a_index, b_index));
                }
            }
        }
        candidates.sort();
        for (_, a_index, b_index) in candidates {
            if !self.a_taken[a_index] && !self.b_taken[b_index] {
                self.link(a_index, b_index);
            }
        }
    }

    fn into_pairing(self) -> Pairing<'x> {
        let mut pairing = Pairing { a: self.a, b: self.b, pairs: Vec::new(), links: self.links, by_a_id: OnceCell::new() };
        let paired = (pairing.links.iter())
            .map(|&(a, b)| {
                let (difference, differing) = classify(&self.a[a], &self.b[b], &pairing);
                IndexedPair { a: Some(a), b: Some(b), difference, differing }
            })
            .collect();
        pairing.pairs = paired;
        pairing.pairs.extend(alone(&self.a_taken, Difference::OnlyA, true));
        pairing.pairs.extend(alone(&self.b_taken, Difference::OnlyB, false));
        pairing
    }
}

/// The pairs of the annotations not `taken`, alone on A's side (`in_a`) or B's.
fn alone(taken: &[bool], difference: Difference, in_a: bool) -> impl Iterator<Item = IndexedPair> + '_ {
    (taken.iter().enumerate()).filter(|(_, taken)| !**taken).map(move |(index, _)| IndexedPair {
        a: in_a.then_some(index),
        b: (!in_a).then_some(index),
        difference,
        differing: Vec::new(),
    })
}

fn start_of(annotation: &Annotation) -> usize {
    annotation.extent().map_or(0, |extent| extent.start)
}

/// The class of a pair and what differs in it.
fn classify(a: &Annotation, b: &Annotation, paired: &Pairing<'_>) -> (Difference, Vec<String>) {
    let mut attributes: BTreeSet<String> = BTreeSet::new();
    // Equal maps (the common case) are told in one ordered pass, without a lookup per name.
    let names = if a.attributes == b.attributes { None } else { Some(a.attributes.keys().chain(b.attributes.keys())) };
    for name in names.into_iter().flatten() {
        if a.attributes.get(name) != b.attributes.get(name) {
            attributes.insert(name.clone());
        }
    }
    let mut roles: BTreeSet<String> = BTreeSet::new();
    for role in a.relations.iter().chain(&b.relations).map(|relation| &relation.role) {
        let agree = match (a.relation(role), b.relation(role)) {
            (None, None) => true,
            (Some(RelationTarget::Implicit(x)), Some(RelationTarget::Implicit(y))) => x == y,
            (Some(RelationTarget::Annotation(x)), Some(RelationTarget::Annotation(y))) => paired.paired(x, y),
            _ => false,
        };
        if !agree {
            roles.insert(role.clone());
        }
    }
    let difference = if a.label != b.label {
        Difference::LabelMismatch
    } else if a.fragments != b.fragments {
        Difference::BoundaryMismatch
    } else if !attributes.is_empty() {
        Difference::AttributeMismatch
    } else if !roles.is_empty() {
        Difference::RelationMismatch
    } else {
        Difference::Agreement
    };
    (difference, attributes.into_iter().chain(roles).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttributeValue, Kind};

    fn tag(id: &str, kind: Kind, label: &str, start: usize, end: usize) -> Annotation {
        let mut annotation = Annotation::new(kind, label, vec![Span::new(start, end)], "t");
        annotation.id = AnnotationId(id.into());
        annotation
    }

    fn classes(alignment: &Alignment) -> Vec<(Option<&str>, Option<&str>, Difference)> {
        alignment
            .pairs
            .iter()
            .map(|pair| (pair.a.as_ref().map(|id| id.as_str()), pair.b.as_ref().map(|id| id.as_str()), pair.difference))
            .collect()
    }

    #[test]
    fn every_class_is_found() {
        let mut a_claim = tag("a-claim", Kind::Claim, "CLAIM", 100, 140);
        let mut b_claim = tag("b-claim", Kind::Claim, "CLAIM", 100, 140);
        a_claim.set_relation("claimant", Some(RelationTarget::Annotation(AnnotationId("a-khan".into()))));
        b_claim.set_relation("claimant", Some(RelationTarget::Annotation(AnnotationId("b-rana".into()))));
        let mut a_sentiment = tag("a-sent", Kind::Sentiment, "SENTIMENT", 150, 160);
        let mut b_sentiment = tag("b-sent", Kind::Sentiment, "SENTIMENT", 150, 160);
        a_sentiment.attributes.insert("polarity".into(), AttributeValue::Text("negative".into()));
        b_sentiment.attributes.insert("polarity".into(), AttributeValue::Text("mixed".into()));
        let a = vec![
            tag("a-khan", Kind::Entity, "PER", 0, 10),
            tag("a-kabul", Kind::Entity, "LOC", 20, 25),
            tag("a-regime", Kind::Entity, "ORG", 30, 45),
            tag("a-rana", Kind::Entity, "PER", 60, 64),
            a_claim,
            a_sentiment,
            tag("a-only", Kind::Entity, "DATE", 200, 210),
        ];
        let b = vec![
            tag("b-khan", Kind::Entity, "PER", 0, 10),
            tag("b-kabul", Kind::Entity, "ORG", 20, 25),
            tag("b-regime", Kind::Entity, "ORG", 34, 45),
            tag("b-rana", Kind::Entity, "PER", 60, 64),
            b_claim,
            b_sentiment,
            tag("b-only", Kind::Entity, "EVENT", 300, 305),
        ];
        let alignment = align(&a, &b);
        assert_eq!(
            classes(&alignment),
            [
                (Some("a-khan"), Some("b-khan"), Difference::Agreement),
                (Some("a-kabul"), Some("b-kabul"), Difference::LabelMismatch),
                (Some("a-regime"), Some("b-regime"), Difference::BoundaryMismatch),
                (Some("a-rana"), Some("b-rana"), Difference::Agreement),
                (Some("a-claim"), Some("b-claim"), Difference::RelationMismatch),
                (Some("a-sent"), Some("b-sent"), Difference::AttributeMismatch),
                (Some("a-only"), None, Difference::OnlyA),
                (None, Some("b-only"), Difference::OnlyB),
            ]
        );
        assert_eq!(alignment.pairs[4].differing, ["claimant"]);
        assert_eq!(alignment.pairs[5].differing, ["polarity"]);
        assert_eq!(alignment.matched().count(), 5);
    }

    #[test]
    fn relations_agree_through_paired_targets_and_implicit_names() {
        let mut a_claim = tag("a-claim", Kind::Claim, "CLAIM", 10, 20);
        let mut b_claim = tag("b-claim", Kind::Claim, "CLAIM", 10, 20);
        a_claim.set_relation("claimant", Some(RelationTarget::Annotation(AnnotationId("a-per".into()))));
        b_claim.set_relation("claimant", Some(RelationTarget::Annotation(AnnotationId("b-per".into()))));
        let mut a_quote = tag("a-quote", Kind::Claim, "CLAIM", 30, 40);
        let mut b_quote = tag("b-quote", Kind::Claim, "CLAIM", 30, 40);
        a_quote.set_relation("claimant", Some(RelationTarget::Implicit("unnamed source".into())));
        b_quote.set_relation("claimant", Some(RelationTarget::Implicit("unnamed source".into())));
        let a = vec![tag("a-per", Kind::Entity, "PER", 0, 5), a_claim, a_quote];
        let b = vec![tag("b-per", Kind::Entity, "PER", 0, 5), b_claim, b_quote];
        assert!(align(&a, &b).pairs.iter().all(|pair| pair.difference == Difference::Agreement));
    }

    #[test]
    fn overlapping_tags_of_different_labels_and_spans_are_not_paired() {
        let a = vec![tag("a", Kind::Entity, "PER", 0, 10)];
        let b = vec![tag("b", Kind::Entity, "ORG", 5, 15)];
        assert_eq!(classes(&align(&a, &b)), [(Some("a"), None, Difference::OnlyA), (None, Some("b"), Difference::OnlyB)]);
    }

    #[test]
    fn the_largest_overlap_wins() {
        let a = vec![tag("a1", Kind::Claim, "CLAIM", 0, 50)];
        let b = vec![tag("b1", Kind::Claim, "CLAIM", 40, 60), tag("b2", Kind::Claim, "CLAIM", 5, 45)];
        let alignment = align(&a, &b);
        assert_eq!(alignment.of(Difference::BoundaryMismatch).next().and_then(|pair| pair.b.clone()), Some(AnnotationId("b2".into())));
        assert_eq!(alignment.of(Difference::OnlyB).count(), 1);
    }

    #[test]
    fn document_labels_pair_by_label() {
        let mut a = Annotation::new(Kind::Document, "DOC_SENTIMENT", vec![], "a");
        let mut b = Annotation::new(Kind::Document, "DOC_SENTIMENT", vec![], "b");
        a.attributes.insert("polarity".into(), AttributeValue::Text("negative".into()));
        b.attributes.insert("polarity".into(), AttributeValue::Text("negative".into()));
        assert_eq!(align(&[a.clone()], &[b.clone()]).pairs[0].difference, Difference::Agreement);
        b.attributes.insert("polarity".into(), AttributeValue::Text("mixed".into()));
        assert_eq!(align(&[a], &[b]).pairs[0].difference, Difference::AttributeMismatch);
    }

    #[test]
    fn every_class_is_listed_at_its_own_index() {
        // Counting pairs by class indexes an array with the class.
        for (index, difference) in Difference::ALL.into_iter().enumerate() {
            assert_eq!(difference as usize, index);
        }
    }

    #[test]
    fn names_match_their_serialization() {
        for difference in Difference::ALL {
            assert_eq!(serde_json::to_value(difference).ok(), Some(serde_json::Value::from(difference.name())));
        }
    }

    #[test]
    fn empty_sides() {
        assert!(align(&[], &[]).pairs.is_empty());
        let only = align(&[tag("a", Kind::Entity, "PER", 0, 3)], &[]);
        assert_eq!(only.counts().get(&Difference::OnlyA), Some(&1));
    }
}

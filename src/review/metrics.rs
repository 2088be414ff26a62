//! Agreement metrics between annotators: plain functions over plain data.
//!
//! Every metric here reproduces a reference implementation that people already trust, and the tests
//! check it against values those packages computed (`tests/review/metric_cases.json`, written by
//! `tests/review/make_metric_cases.py`, which also records the package versions).
//!
//! | metric | function | reference |
//! | --- | --- | --- |
//! | span agreement (SemEval-2013 Task 9.1) | [`span_agreement`], [`span_agreement_by_label`] | `nervaluate` `Evaluator(...).evaluate()` |
//! | Cohen's kappa | [`cohen_kappa`] | scikit-learn `cohen_kappa_score` (unweighted) |
//! | Krippendorff's alpha, nominal | [`krippendorff_alpha_nominal`] | `krippendorff.alpha(level_of_measurement="nominal")` |
//! | Fleiss' kappa | [`fleiss_kappa`] | statsmodels `fleiss_kappa(aggregate_raters(...)[0])` |
//! | percent agreement | [`percent_agreement`] | scikit-learn `accuracy_score` |
//! | precision, recall, F1 from counts | [`f1_scores`] | scikit-learn `precision_recall_fscore_support(zero_division=0)` |
//!
//! # Span agreement
//!
//! Two annotators tag spans of the same text. One side is the **reference** (nervaluate's "true"
//! entities), the other is compared with it (nervaluate's "pred"). A [`LabeledSpan`] is a half-open
//! range `[start, end)` of code points with a label. nervaluate writes ends inclusively; its span
//! `{start, end}` is our `[start, end + 1)`, so both cover the same characters.
//!
//! **Overlap.** A predicted span *overlaps* a reference span when they share at least one character
//! and the shared characters are at least 1% of the *reference* span's length (nervaluate's default
//! `min_overlap_percentage = 1.0`): `100 × shared ≥ len(reference)`. Up to 100 characters any shared
//! character is enough; a 250-character claim needs 3. Touching spans (`[0, 5)` and `[5, 9)`) do not
//! overlap. An empty span shares no character, so it overlaps nothing.
//!
//! **The walk.** Both sides are first put in document order, by `(start, end, label)`. Then each
//! predicted span, in that order, is matched against the reference spans not yet taken, in that order,
//! and takes at most one of them:
//!
//! - **strict**: the first reference span with the same boundaries *and* label makes the prediction
//!   *correct*; failing that, the first overlapping one makes it *incorrect*; failing that, it is
//!   *spurious*. So the same boundaries with another label are incorrect, and so are other
//!   overlapping boundaries, whatever the label.
//! - **exact**: as strict, but labels are ignored: the first reference span with the same boundaries
//!   makes it *correct*, else the first overlapping one *incorrect*, else *spurious*.
//! - **partial**: as exact, but an overlap without the same boundaries is *partial* instead of
//!   incorrect. Labels are ignored; nothing is ever incorrect.
//! - **type**: among the overlapping reference spans with the same label, the one with the closest
//!   boundaries (least `|Δstart| + |Δend|`, the first on a tie) makes it *correct*, whatever its
//!   boundaries; with none, the first overlapping span with another label makes it *incorrect*; with
//!   none, it is *spurious*. Nothing is ever partial.
//!
//! A reference span taken by a correct, incorrect or partial prediction is not offered to later
//! predictions; the reference spans left untaken at the end are *missed*. The walk is greedy, so an
//! earlier prediction can take a reference span that a later one matches exactly: with reference
//! `[2, 8)` and predictions `[0, 6)`, `[2, 8)` (one label), the strict scheme counts one incorrect
//! and one spurious. Sorting both sides first makes the result independent of the order the spans
//! were given in; nervaluate itself walks its lists in the order given.
//!
//! **Scores.** With `possible = correct + incorrect + partial + missed` (the reference spans) and
//! `actual = correct + incorrect + partial + spurious` (the predicted spans):
//!
//! ```text
//! precision = (correct + ½·partial) / actual       0 when actual = 0
//! recall    = (correct + ½·partial) / possible     0 when possible = 0
//! f1        = 2·precision·recall / (precision + recall)     0 when precision + recall = 0
//! ```
//!
//! nervaluate gives the half credit for partial matches in the partial and type schemes only; since
//! only the partial scheme ever counts partial matches, one formula serves all four. So two empty
//! sides score 0 everywhere, not 1.
//!
//! **Per label.** [`span_agreement_by_label`] runs the whole evaluation once per label that either
//! side uses, on the spans of that label alone (nervaluate's `results_per_tag`); so there, exact and
//! partial never compare spans of different labels.
//!
//! **Several documents.** Counts add up; the scores are computed again from the sums (nervaluate's
//! evaluation of a list of documents). [`SpanAgreement`] implements `Add` and `Sum` for that.
//!
//! # Chance-corrected agreement on categories
//!
//! These take one label per unit and rater: a document's sentiment, or the label of each token
//! (with `Option<String>` per token and `None` for `O`, as `io::conll`'s `tag_sentences` produces).
//! Labels only need an order, which keeps the tallies deterministic.
//!
//! **Percent agreement** is the share of units on which both raters give the same label:
//! `p_o = agreements / n`.
//!
//! **Cohen's kappa** (two raters, `n` units). With `a_c` and `b_c` the number of units each rater
//! labels `c`, the chance agreement is `p_e = Σ_c a_c·b_c / n²` and
//!
//! ```text
//! κ = (p_o − p_e) / (1 − p_e) = 1 − (n · disagreements) / (n² − Σ_c a_c·b_c)
//! ```
//!
//! Undefined (`None`) when `p_e = 1`, that is when both raters use one and the same label everywhere
//! (scikit-learn returns NaN), and for empty input or inputs of different lengths (scikit-learn
//! raises).
//!
//! **Krippendorff's alpha, nominal.** Each unit holds one value per coder, `None` where a coder gave
//! none; units may have any number of coders. A unit with `m_u ≥ 2` values is *pairable*; others do
//! not count. The coincidence matrix counts, over pairable units, every ordered pair of values from
//! two different coders, weighted `1 / (m_u − 1)`:
//!
//! ```text
//! o_ck = Σ_u n_uc · (n_uk − [c = k]) / (m_u − 1)          n_uc = coders giving value c in unit u
//! n_c  = Σ_k o_ck  (pairable values equal to c)            n = Σ_c n_c
//! D_o  = Σ_{c≠k} o_ck / n                                  observed disagreement
//! D_e  = Σ_{c≠k} n_c·n_k / (n (n − 1))                     expected disagreement
//! α    = 1 − D_o / D_e = 1 − (n − 1) · Σ_u [(m_u² − Σ_c n_uc²) / (m_u − 1)] / (n² − Σ_c n_c²)
//! ```
//!
//! Undefined (`None`) when no unit is pairable (the package raises "at least one unit with values
//! assigned by at least two coders") and when every pairable value is the same (`D_e = 0`: the package
//! raises "more than one value in the domain" when the data holds one value only, and returns NaN
//! when another value occurs only in units that are not pairable).
//!
//! **Fleiss' kappa** (`N` units, each rated by the same `r ≥ 2` raters). With `n_ij` the raters giving
//! unit `i` label `j`:
//!
//! ```text
//! P_i = (Σ_j n_ij² − r) / (r (r − 1))       agreeing rater pairs in unit i
//! P̄   = Σ_i P_i / N
//! p_j = Σ_i n_ij / (N r)                     P̄_e = Σ_j p_j²
//! κ   = (P̄ − P̄_e) / (1 − P̄_e)
//! ```
//!
//! Undefined (`None`) when `P̄_e = 1` (one label everywhere: statsmodels returns NaN), with fewer than
//! two raters (NaN), with no unit (statsmodels raises), and when units have different numbers of
//! raters (statsmodels needs a full table).
//!
//! # Precision, recall and F1 from counts
//!
//! [`f1_scores`] turns true positives, false positives and false negatives into
//! `precision = tp / (tp + fp)`, `recall = tp / (tp + fn)` and their harmonic mean, where every `0/0`
//! is `0.0` (scikit-learn's `zero_division=0`).

use std::collections::BTreeMap;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

/// The least share of a reference span, in percent, that a predicted span must cover to overlap it
/// (nervaluate's default `min_overlap_percentage`).
pub const MIN_OVERLAP_PERCENT: usize = 1;

/// A labelled half-open range `[start, end)` of a text, in code points; expected non-empty.
///
/// The derived order is document order: by start, then end, then label.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LabeledSpan {
    /// Code-point offset of the first character (inclusive).
    pub start: usize,
    /// Code-point offset just past the last character (exclusive).
    pub end: usize,
    /// The label, such as `PER` or `CLAIM`.
    pub label: String,
}

impl LabeledSpan {
    /// The span with its label borrowed, as the walks compare it.
    pub fn as_ref(&self) -> SpanRef<'_> {
        SpanRef { start: self.start, end: self.end, label: &self.label }
    }
}

/// A [`LabeledSpan`] whose label is borrowed (from an annotation, say): what the span schemes
/// compare, so that scoring a corpus copies no label.
///
/// The derived order is document order: by start, then end, then label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpanRef<'a> {
    /// Code-point offset of the first character (inclusive).
    pub start: usize,
    /// Code-point offset just past the last character (exclusive).
    pub end: usize,
    /// The label, such as `PER` or `CLAIM`.
    pub label: &'a str,
}

/// A span with its label as its place among the sorted labels of both sides: the walks compare
/// labels over and over, and places compare at once where strings need a call. Ordering keeps
/// document order (by start, then end, then label), as places follow the labels' order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Keyed {
    start: usize,
    end: usize,
    label: usize,
}

impl Keyed {
    /// Number of code points covered.
    fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Number of characters shared with `other`.
    fn shared_len(&self, other: &Keyed) -> usize {
        self.end.min(other.end).saturating_sub(self.start.max(other.start))
    }

    /// Whether this predicted span overlaps the reference span `reference` in nervaluate's sense:
    /// at least one shared character, and at least [`MIN_OVERLAP_PERCENT`] of `reference`.
    fn overlaps_reference(&self, reference: &Keyed) -> bool {
        let shared = self.shared_len(reference);
        shared > 0 && shared.saturating_mul(100) >= reference.len().saturating_mul(MIN_OVERLAP_PERCENT)
    }

    fn same_boundaries(&self, other: &Keyed) -> bool {
        self.start == other.start && self.end == other.end
    }

    /// `|Δstart| + |Δend|`, how the type scheme picks the closest of several matches.
    fn boundary_distance(&self, other: &Keyed) -> usize {
        self.start.abs_diff(other.start) + self.end.abs_diff(other.end)
    }
}

/// Both sides' spans with their labels as places ([`Keyed`]), each side in document order, and
/// the labels they use, sorted.
struct KeyedSides<'a> {
    labels: Vec<&'a str>,
    reference: Vec<Keyed>,
    other: Vec<Keyed>,
}

impl<'a> KeyedSides<'a> {
    fn of(reference: &[SpanRef<'a>], other: &[SpanRef<'a>]) -> Self {
        let mut labels: Vec<&'a str> = Vec::new();
        for span in reference.iter().chain(other) {
            if !labels.contains(&span.label) {
                labels.push(span.label);
            }
        }
        labels.sort_unstable();
        let keyed = |spans: &[SpanRef<'a>]| {
            let mut keyed: Vec<Keyed> = (spans.iter())
                .map(|span| Keyed { start: span.start, end: span.end, label: labels.binary_search(&span.label).unwrap_or_default() })
                .collect();
            keyed.sort_unstable();
            keyed
        };
        let (reference, other) = (keyed(reference), keyed(other));
        Self { labels, reference, other }
    }

    /// The agreement of all spans.
    fn overall(&self) -> SpanAgreement {
        agreement_in_order(&self.reference, &self.other)
    }

    /// The agreement of each label's spans alone, in the order of the labels. A document uses a
    /// few labels, so a pass per label picks its spans for less than sorting by label would cost.
    fn by_label(&self) -> Vec<(&'a str, SpanAgreement)> {
        let (mut reference_run, mut other_run) = (Vec::new(), Vec::new());
        let pick = |spans: &[Keyed], label: usize, run: &mut Vec<Keyed>| {
            run.clear();
            run.extend(spans.iter().filter(|span| span.label == label));
        };
        (self.labels.iter().enumerate())
            .map(|(place, &label)| {
                pick(&self.reference, place, &mut reference_run);
                pick(&self.other, place, &mut other_run);
                (label, agreement_in_order(&reference_run, &other_run))
            })
            .collect()
    }
}

/// Precision, recall and F1, each in `[0, 1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Share of the compared side's items that are right.
    pub precision: f64,
    /// Share of the reference side's items that were found.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Scores {
    /// Scores for `credit` right items out of `actual` compared and `possible` reference items, with
    /// every `0/0` as `0.0`.
    fn from_credit(credit: f64, actual: usize, possible: usize) -> Self {
        let precision = fraction_or_zero(credit, actual);
        let recall = fraction_or_zero(credit, possible);
        let sum = precision + recall;
        let f1 = if sum > 0.0 { 2.0 * (precision * recall) / sum } else { 0.0 };
        Self { precision, recall, f1 }
    }
}

/// `numerator / denominator`, or `0.0` when the denominator is 0.
fn fraction_or_zero(numerator: f64, denominator: usize) -> f64 {
    if denominator == 0 { 0.0 } else { numerator / denominator as f64 }
}

/// Precision, recall and F1 from counts: `tp / (tp + fp)`, `tp / (tp + fn)` and their harmonic mean.
///
/// A `0/0` is `0.0`: no compared item gives precision 0, no reference item gives recall 0, and
/// precision and recall both 0 give F1 0 (scikit-learn's `zero_division=0`).
pub fn f1_scores(true_positives: usize, false_positives: usize, false_negatives: usize) -> Scores {
    Scores::from_credit(true_positives as f64, true_positives + false_positives, true_positives + false_negatives)
}

/// The counts and scores of one scheme of span agreement; see the [module docs](self) for the
/// definitions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SchemeAgreement {
    /// Predicted spans that match a reference span under the scheme.
    pub correct: usize,
    /// Predicted spans that overlap a reference span without matching it (never in `partial`).
    pub incorrect: usize,
    /// Predicted spans that overlap a reference span with other boundaries (only in `partial`).
    pub partial: usize,
    /// Reference spans that no predicted span took.
    pub missed: usize,
    /// Predicted spans that took no reference span.
    pub spurious: usize,
    /// `correct + incorrect + partial + missed`: the reference spans.
    pub possible: usize,
    /// `correct + incorrect + partial + spurious`: the predicted spans.
    pub actual: usize,
    /// `(correct + partial / 2) / actual`, or 0 when `actual` is 0.
    pub precision: f64,
    /// `(correct + partial / 2) / possible`, or 0 when `possible` is 0.
    pub recall: f64,
    /// Harmonic mean of precision and recall, or 0 when both are 0.
    pub f1: f64,
}

impl SchemeAgreement {
    fn from_tally(tally: Tally) -> Self {
        let Tally { correct, incorrect, partial, missed, spurious } = tally;
        let possible = correct + incorrect + partial + missed;
        let actual = correct + incorrect + partial + spurious;
        let credit = correct as f64 + 0.5 * partial as f64;
        let Scores { precision, recall, f1 } = Scores::from_credit(credit, actual, possible);
        Self { correct, incorrect, partial, missed, spurious, possible, actual, precision, recall, f1 }
    }

    fn tally(&self) -> Tally {
        Tally { correct: self.correct, incorrect: self.incorrect, partial: self.partial, missed: self.missed, spurious: self.spurious }
    }
}

/// Adds the counts (of two documents, say) and computes the scores again from the sums.
impl Add for SchemeAgreement {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        let (a, b) = (self.tally(), other.tally());
        Self::from_tally(Tally {
            correct: a.correct + b.correct,
            incorrect: a.incorrect + b.incorrect,
            partial: a.partial + b.partial,
            missed: a.missed + b.missed,
            spurious: a.spurious + b.spurious,
        })
    }
}

/// Span agreement under the four SemEval-2013 Task 9.1 schemes, as nervaluate computes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SpanAgreement {
    /// Same boundaries and same label.
    pub strict: SchemeAgreement,
    /// Same boundaries, whatever the label.
    pub exact: SchemeAgreement,
    /// Same boundaries, with half credit for an overlap; whatever the label.
    pub partial: SchemeAgreement,
    /// Same label and an overlap, whatever the boundaries (nervaluate's `ent_type`).
    #[serde(rename = "type")]
    pub r#type: SchemeAgreement,
}

/// Adds the counts scheme by scheme (of two documents, say) and computes the scores again.
impl Add for SpanAgreement {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self {
            strict: self.strict + other.strict,
            exact: self.exact + other.exact,
            partial: self.partial + other.partial,
            r#type: self.r#type + other.r#type,
        }
    }
}

/// Adds another document's agreement to this one.
impl AddAssign for SpanAgreement {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

/// The agreement over several documents: the sum of each document's agreement.
impl Sum for SpanAgreement {
    fn sum<I: Iterator<Item = Self>>(agreements: I) -> Self {
        agreements.fold(Self::default(), Add::add)
    }
}

/// Span agreement of `other` against `reference` under the strict, exact, partial and type schemes,
/// reproducing nervaluate (see the [module docs](self)). Both sides are taken in document order.
pub fn span_agreement(reference: &[LabeledSpan], other: &[LabeledSpan]) -> SpanAgreement {
    span_agreement_of(&borrowed(reference), &borrowed(other))
}

/// [`span_agreement`] of spans with borrowed labels.
pub fn span_agreement_of(reference: &[SpanRef<'_>], other: &[SpanRef<'_>]) -> SpanAgreement {
    KeyedSides::of(reference, other).overall()
}

/// [`span_agreement`] once per label that either side uses, on the spans of that label alone
/// (nervaluate's per-tag results).
pub fn span_agreement_by_label(reference: &[LabeledSpan], other: &[LabeledSpan]) -> BTreeMap<String, SpanAgreement> {
    span_agreement_by_label_of(&borrowed(reference), &borrowed(other))
        .into_iter()
        .map(|(label, agreement)| (label.to_owned(), agreement))
        .collect()
}

/// [`span_agreement_by_label`] of spans with borrowed labels, as a list in the order of the labels.
pub fn span_agreement_by_label_of<'a>(reference: &[SpanRef<'a>], other: &[SpanRef<'a>]) -> Vec<(&'a str, SpanAgreement)> {
    KeyedSides::of(reference, other).by_label()
}

/// [`span_agreement_of`] and [`span_agreement_by_label_of`] at once, ordering the spans once.
pub fn span_agreement_and_by_label_of<'a>(
    reference: &[SpanRef<'a>],
    other: &[SpanRef<'a>],
) -> (SpanAgreement, Vec<(&'a str, SpanAgreement)>) {
    let sides = KeyedSides::of(reference, other);
    let overall = sides.overall();
    let by_label = match sides.labels[..] {
        // With one label on both sides (a claim layer, say), that label's spans are all the spans.
        [label] => vec![(label, overall)],
        _ => sides.by_label(),
    };
    (overall, by_label)
}

fn borrowed(spans: &[LabeledSpan]) -> Vec<SpanRef<'_>> {
    spans.iter().map(LabeledSpan::as_ref).collect()
}

/// [`span_agreement`] of spans already in document order.
fn agreement_in_order(reference: &[Keyed], other: &[Keyed]) -> SpanAgreement {
    let mut untaken = Vec::with_capacity(reference.len());
    let exact = walk(reference, other, judge_exact, &mut untaken);
    SpanAgreement {
        strict: SchemeAgreement::from_tally(walk(reference, other, judge_strict, &mut untaken)),
        exact: SchemeAgreement::from_tally(exact),
        partial: SchemeAgreement::from_tally(exact.incorrect_as_partial()),
        r#type: SchemeAgreement::from_tally(walk(reference, other, judge_type, &mut untaken)),
    }
}

/// The five counts a walk produces.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    correct: usize,
    incorrect: usize,
    partial: usize,
    missed: usize,
    spurious: usize,
}

impl Tally {
    /// The partial scheme's counts from the exact scheme's. nervaluate checks the boundaries only
    /// of overlapping spans there; for non-empty spans the same boundaries always overlap, so
    /// its walk takes the same spans as the exact one, counting partial where exact counts
    /// incorrect.
    fn incorrect_as_partial(self) -> Self {
        Self { incorrect: 0, partial: self.incorrect, ..self }
    }
}

/// What a scheme makes of one predicted span; the index is that of the reference span it takes.
enum Verdict {
    Correct(usize),
    Incorrect(usize),
    Spurious,
}

/// The reference spans still on offer: `None` where an earlier prediction took one.
type Untaken = [Option<Keyed>];

/// Walks the predictions in order, lets `judge` decide each one against the untaken reference
/// spans, and counts the reference spans left untaken as missed. `untaken` is a buffer reused
/// between walks.
fn walk(reference: &[Keyed], other: &[Keyed], judge: impl Fn(&Keyed, &Untaken) -> Verdict, untaken: &mut Vec<Option<Keyed>>) -> Tally {
    untaken.clear();
    untaken.extend(reference.iter().copied().map(Some));
    let mut tally = Tally::default();
    // Predictions come in document order, so a reference span that ends before one starts can
    // neither overlap nor equal it or any later one: the walk skips that prefix for good.
    let mut first = 0;
    for prediction in other {
        while untaken.get(first).is_some_and(|span| span.is_none_or(|span| span.end < prediction.start)) {
            first += 1;
        }
        let offer = untaken.get(first..).unwrap_or_default();
        let taken = match judge(prediction, offer) {
            Verdict::Correct(index) => {
                tally.correct += 1;
                Some(index)
            }
            Verdict::Incorrect(index) => {
                tally.incorrect += 1;
                Some(index)
            }
            Verdict::Spurious => {
                tally.spurious += 1;
                None
            }
        };
        if let Some(slot) = taken.and_then(|index| untaken.get_mut(first + index)) {
            *slot = None;
        }
    }
    tally.missed = untaken.iter().flatten().count();
    tally
}

/// The untaken reference spans with their indices, in order, as far as the last one that starts
/// by the end of `prediction`: the later ones can neither have its boundaries nor overlap it.
fn offered<'u>(untaken: &'u Untaken, prediction: &Keyed) -> impl Iterator<Item = (usize, Keyed)> + 'u {
    let end = prediction.end;
    untaken.iter().enumerate().filter_map(|(index, span)| span.map(|span| (index, span))).take_while(move |(_, span)| span.start <= end)
}

/// The first untaken reference span that `matches` the prediction, else the first one it overlaps
/// (incorrect), else spurious: the walk of the strict and exact schemes (and so of the partial
/// one, see [`Tally::incorrect_as_partial`]).
fn first_match_else_first_overlap(prediction: &Keyed, untaken: &Untaken, matches: impl Fn(&Keyed) -> bool) -> Verdict {
    let mut first_overlap = None;
    for (index, reference) in offered(untaken, prediction) {
        if matches(&reference) {
            return Verdict::Correct(index);
        }
        if first_overlap.is_none() && prediction.overlaps_reference(&reference) {
            first_overlap = Some(index);
        }
    }
    first_overlap.map_or(Verdict::Spurious, Verdict::Incorrect)
}

fn judge_strict(prediction: &Keyed, untaken: &Untaken) -> Verdict {
    let matches = |reference: &Keyed| prediction.same_boundaries(reference) && prediction.label == reference.label;
    first_match_else_first_overlap(prediction, untaken, matches)
}

fn judge_exact(prediction: &Keyed, untaken: &Untaken) -> Verdict {
    first_match_else_first_overlap(prediction, untaken, |reference| prediction.same_boundaries(reference))
}

/// The overlapping reference span of the same label with the closest boundaries (the first on a
/// tie), else the first overlapping one of another label (incorrect), else spurious.
fn judge_type(prediction: &Keyed, untaken: &Untaken) -> Verdict {
    let mut closest: Option<(usize, usize)> = None;
    let mut first_other_label = None;
    for (index, reference) in offered(untaken, prediction).filter(|(_, reference)| prediction.overlaps_reference(reference)) {
        if prediction.label == reference.label {
            let distance = prediction.boundary_distance(&reference);
            if closest.is_none_or(|(_, closest_distance)| distance < closest_distance) {
                closest = Some((index, distance));
            }
        } else if first_other_label.is_none() {
            first_other_label = Some(index);
        }
    }
    match (closest, first_other_label) {
        (Some((index, _)), _) => Verdict::Correct(index),
        (None, Some(index)) => Verdict::Incorrect(index),
        (None, None) => Verdict::Spurious,
    }
}

/// Share of units on which `a` and `b` give the same label; `None` for empty input or inputs of
/// different lengths.
pub fn percent_agreement<T: Eq>(a: &[T], b: &[T]) -> Option<f64> {
    Confusion::of(a, b)?.percent_agreement()
}

/// Cohen's kappa of two raters who labelled the same units, `a[i]` and `b[i]` being their labels of
/// unit `i`; equal to scikit-learn's unweighted `cohen_kappa_score`.
///
/// `None` for empty input, inputs of different lengths, and when both raters give one and the same
/// label to every unit (chance agreement 1, kappa 0/0).
pub fn cohen_kappa<T: Eq>(a: &[T], b: &[T]) -> Option<f64> {
    Confusion::of(a, b)?.cohen_kappa()
}

/// How two raters labelled the same units: the count of each (label by A, label by B) pair.
///
/// Percent agreement, Cohen's kappa and two-coder Krippendorff's alpha depend on these counts
/// only, so the tallies of many documents add up without keeping a label per unit: agreement over
/// a corpus of millions of tokens holds a few dozen counts.
#[derive(Clone, Debug)]
pub struct Confusion<T> {
    /// Each pair seen, with its count. Labels are few, so a list beats a map.
    cells: Vec<((T, T), u128)>,
    /// The cell counted last: consecutive units mostly repeat a pair (the tokens of one tag, the
    /// stretches outside tags), so it is tried first.
    last: usize,
}

impl<T> Default for Confusion<T> {
    fn default() -> Self {
        Self { cells: Vec::new(), last: 0 }
    }
}

impl<T: Eq> Confusion<T> {
    /// The tally of `a[i]` against `b[i]`; `None` for inputs of different lengths.
    pub fn of<'a>(a: &'a [T], b: &'a [T]) -> Option<Confusion<&'a T>> {
        (a.len() == b.len()).then(|| a.iter().zip(b).collect())
    }

    /// Counts one unit labelled `a` by A and `b` by B.
    pub fn add(&mut self, a: T, b: T) {
        self.add_many(a, b, 1);
    }

    /// Counts `count` units labelled `a` by A and `b` by B.
    pub fn add_many(&mut self, a: T, b: T, count: usize) {
        self.count_pair(a, b, count as u128);
    }

    fn count_pair(&mut self, a: T, b: T, count: u128) {
        let hit = |((x, y), _): &((T, T), u128)| *x == a && *y == b;
        if !self.cells.get(self.last).is_some_and(hit) {
            match self.cells.iter().position(hit) {
                Some(index) => self.last = index,
                None => {
                    self.last = self.cells.len();
                    self.cells.push(((a, b), 0));
                }
            }
        }
        self.cells[self.last].1 += count;
    }

    /// Adds the counts of `other`.
    pub fn absorb(&mut self, other: Confusion<T>) {
        for ((a, b), count) in other.cells {
            self.count_pair(a, b, count);
        }
    }

    /// How many units were counted.
    pub fn units(&self) -> usize {
        self.cells.iter().map(|(_, count)| *count as usize).sum()
    }

    fn total(&self) -> u128 {
        self.cells.iter().map(|(_, count)| count).sum()
    }

    fn disagreements(&self) -> u128 {
        self.cells.iter().filter(|((a, b), _)| a != b).map(|(_, count)| count).sum()
    }

    /// How often each label was given by A (`first`) or by B.
    fn marginals(&self, first: bool) -> Vec<(&T, u128)> {
        let mut counts: Vec<(&T, u128)> = Vec::new();
        for ((a, b), count) in &self.cells {
            add_count(&mut counts, if first { a } else { b }, *count);
        }
        counts
    }

    /// Share of units on which A and B agree; `None` with no unit.
    pub fn percent_agreement(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| (total - self.disagreements()) as f64 / total as f64)
    }

    /// Cohen's kappa (see [`cohen_kappa`]).
    pub fn cohen_kappa(&self) -> Option<f64> {
        self.kappa_of(&self.marginals(true), &self.marginals(false))
    }

    /// Krippendorff's alpha, nominal, of the two coders (see [`krippendorff_alpha_two_coders`]).
    pub fn krippendorff_alpha(&self) -> Option<f64> {
        self.alpha_of(self.marginals(true), &self.marginals(false))
    }

    /// Cohen's kappa and Krippendorff's alpha together, counting the marginals once: a report
    /// computes both for every document.
    pub fn kappa_and_alpha(&self) -> (Option<f64>, Option<f64>) {
        let (a, b) = (self.marginals(true), self.marginals(false));
        (self.kappa_of(&a, &b), self.alpha_of(a, &b))
    }

    /// Cohen's kappa from A's and B's marginals.
    fn kappa_of(&self, counts_a: &[(&T, u128)], counts_b: &[(&T, u128)]) -> Option<f64> {
        let n = self.total();
        if n == 0 {
            return None;
        }
        let chance_agreements: u128 = counts_a.iter().map(|(label, count_a)| count_a * count_of(counts_b, label)).sum();
        let chance_disagreements = n * n - chance_agreements;
        if chance_disagreements == 0 {
            return None;
        }
        Some(1.0 - (n * self.disagreements()) as f64 / chance_disagreements as f64)
    }

    /// Krippendorff's alpha from A's and B's marginals.
    fn alpha_of<'s>(&self, mut value_counts: Vec<(&'s T, u128)>, counts_b: &[(&'s T, u128)]) -> Option<f64> {
        for (value, count) in counts_b {
            add_count(&mut value_counts, value, *count);
        }
        alpha_from(&value_counts, 2.0 * self.disagreements() as f64)
    }
}

impl<T: Eq> FromIterator<(T, T)> for Confusion<T> {
    fn from_iter<I: IntoIterator<Item = (T, T)>>(pairs: I) -> Self {
        let mut confusion = Confusion::default();
        for (a, b) in pairs {
            confusion.add(a, b);
        }
        confusion
    }
}

/// Adds `count` to `label`'s entry of a tally.
fn add_count<'a, T: Eq>(counts: &mut Vec<(&'a T, u128)>, label: &'a T, count: u128) {
    match counts.iter_mut().find(|(known, _)| *known == label) {
        Some((_, total)) => *total += count,
        None => counts.push((label, count)),
    }
}

/// How many times each label occurs. Annotation labels are few, so a list searched from the front
/// beats a map here (agreement counts millions of tokens), and it allocates once.
fn label_counts<'a, T: Eq + 'a>(labels: impl IntoIterator<Item = &'a T>) -> Vec<(&'a T, u128)> {
    let mut counts: Vec<(&T, u128)> = Vec::new();
    for label in labels {
        add_count(&mut counts, label, 1);
    }
    counts
}

/// The count of `label` in a tally.
fn count_of<T: Eq>(counts: &[(&T, u128)], label: &T) -> u128 {
    counts.iter().find(|(known, _)| *known == label).map_or(0, |(_, count)| *count)
}

/// `Σ count²` over the counts of a tally.
fn sum_of_squares<T>(counts: &[(T, u128)]) -> u128 {
    counts.iter().map(|(_, count)| count * count).sum()
}

/// Krippendorff's alpha for nominal data; equal to the `krippendorff` package's
/// `alpha(reliability_data, level_of_measurement="nominal")` with coders as rows.
///
/// Each unit holds the values its coders gave, `None` where a coder gave none; units may have
/// different numbers of coders (a missing coder is the same as a `None`). `None` when no unit has two
/// values, and when all the values of such units are the same (expected disagreement 0); the package
/// raises or returns NaN there.
pub fn krippendorff_alpha_nominal<T: Ord, U: AsRef<[Option<T>]>>(units: &[U]) -> Option<f64> {
    let mut value_counts: Vec<(&T, u128)> = Vec::new();
    let mut observed = 0.0;
    for unit in units {
        let unit_counts = label_counts(unit.as_ref().iter().flatten());
        let values: u128 = unit_counts.iter().map(|(_, count)| count).sum();
        if values < 2 {
            continue;
        }
        observed += (values * values - sum_of_squares(&unit_counts)) as f64 / (values - 1) as f64;
        for (value, count) in unit_counts {
            add_count(&mut value_counts, value, count);
        }
    }
    alpha_from(&value_counts, observed)
}

/// Krippendorff's alpha, nominal, of two coders who both coded every unit (`a[i]` and `b[i]` are
/// unit `i`'s values): the same figure as [`krippendorff_alpha_nominal`] on those units, computed
/// without building them. Every unit is pairable, and a unit adds 2 to the observed disagreement
/// when its two values differ.
pub fn krippendorff_alpha_two_coders<T: Eq>(a: &[T], b: &[T]) -> Option<f64> {
    Confusion::of(a, b)?.krippendorff_alpha()
}

/// `1 − (n − 1) · observed / (n² − Σ n_c²)` from the pairable values' counts and the observed
/// disagreement; `None` when the expected disagreement is 0.
fn alpha_from<T>(value_counts: &[(T, u128)], observed: f64) -> Option<f64> {
    let pairable: u128 = value_counts.iter().map(|(_, count)| count).sum();
    let expected = pairable * pairable - sum_of_squares(value_counts);
    if expected == 0 {
        return None;
    }
    Some(1.0 - (pairable - 1) as f64 * observed / expected as f64)
}

/// Fleiss' kappa of raters who each labelled every unit, `ratings[i]` holding the raters' labels of
/// unit `i`; equal to statsmodels' `fleiss_kappa(aggregate_raters(ratings)[0])`.
///
/// `None` with no unit, with fewer than two raters, when units have different numbers of raters, and
/// when every rating is the same label (chance agreement 1, kappa 0/0).
pub fn fleiss_kappa<T: Ord>(ratings: &[Vec<T>]) -> Option<f64> {
    let raters = ratings.first()?.len();
    if raters < 2 || ratings.iter().any(|unit| unit.len() != raters) {
        return None;
    }
    let (units, raters) = (ratings.len() as u128, raters as u128);
    let total = units * raters;
    let agreeing_squares: u128 = ratings.iter().map(|unit| sum_of_squares(&label_counts(unit))).sum();
    let chance_disagreement = total * total - sum_of_squares(&label_counts(ratings.iter().flatten()));
    if chance_disagreement == 0 {
        return None;
    }
    let observed = (agreeing_squares - total) as f64 / (total * (raters - 1)) as f64;
    let one_minus_chance = chance_disagreement as f64 / (total * total) as f64;
    Some((observed - (1.0 - one_minus_chance)) / one_minus_chance)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;

    proptest! {
        /// Tallies of the parts of a corpus, absorbed one into another, give the figures of the
        /// whole: what agreement over many documents relies on.
        #[test]
        fn absorbed_parts_equal_the_whole(pairs in prop::collection::vec((0u8..4, 0u8..4), 0..60), cut in 0usize..60) {
            let cut = cut.min(pairs.len());
            let whole: Confusion<u8> = pairs.iter().copied().collect();
            let mut parts: Confusion<u8> = pairs[..cut].iter().copied().collect();
            parts.absorb(pairs[cut..].iter().copied().collect());
            prop_assert_eq!(parts.units(), pairs.len());
            let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-12,
                (x, y) => x.is_none() && y.is_none(),
            };
            prop_assert!(close(parts.percent_agreement(), whole.percent_agreement()));
            prop_assert!(close(parts.cohen_kappa(), whole.cohen_kappa()));
            prop_assert!(close(parts.krippendorff_alpha(), whole.krippendorff_alpha()));
        }

        /// The overall and per-label figures computed together are those computed apart, with
        /// one label or several.
        #[test]
        fn span_figures_together_equal_each_apart(
            reference in prop::collection::vec((0usize..40, 1usize..8, 0usize..3), 0..12),
            other in prop::collection::vec((0usize..40, 1usize..8, 0usize..3), 0..12),
            labels in 1usize..4,
        ) {
            const LABELS: [&str; 3] = ["PER", "ORG", "LOC"];
            let spans = |spans: &[(usize, usize, usize)]| -> Vec<SpanRef<'static>> {
                spans.iter().map(|&(start, len, label)| SpanRef { start, end: start + len, label: LABELS[label % labels] }).collect()
            };
            let (reference, other) = (spans(&reference), spans(&other));
            prop_assert_eq!(
                span_agreement_and_by_label_of(&reference, &other),
                (span_agreement_of(&reference, &other), span_agreement_by_label_of(&reference, &other))
            );
        }

        /// Kappa and alpha computed together are those computed one by one.
        #[test]
        fn kappa_and_alpha_together_equal_each_alone(pairs in prop::collection::vec((0u8..4, 0u8..4), 0..60)) {
            let confusion: Confusion<u8> = pairs.iter().copied().collect();
            prop_assert_eq!(confusion.kappa_and_alpha(), (confusion.cohen_kappa(), confusion.krippendorff_alpha()));
        }

        /// The two-coder shortcut gives the general alpha of the same units.
        #[test]
        fn two_coder_alpha_equals_the_general_alpha(pairs in prop::collection::vec((0u8..4, 0u8..4), 0..60)) {
            let (a, b): (Vec<u8>, Vec<u8>) = pairs.iter().copied().unzip();
            let units: Vec<Vec<Option<u8>>> = pairs.iter().map(|(x, y)| vec![Some(*x), Some(*y)]).collect();
            let general = krippendorff_alpha_nominal(&units);
            let shortcut = krippendorff_alpha_two_coders(&a, &b);
            prop_assert_eq!(general.is_some(), shortcut.is_some());
            if let (Some(general), Some(shortcut)) = (general, shortcut) {
                prop_assert!((general - shortcut).abs() < 1e-9, "{} vs {}", general, shortcut);
            }
        }
    }

    /// Reference values computed by nervaluate, scikit-learn, krippendorff and statsmodels.
    const CASES: &str = include_str!("../../tests/review/metric_cases.json");
    const TOLERANCE: f64 = 1e-9;

    #[derive(Deserialize)]
    struct Cases {
        span_agreement: Vec<SpanCase>,
        cohen_kappa: Vec<PairCase>,
        percent_agreement: Vec<PairCase>,
        krippendorff_alpha_nominal: Vec<AlphaCase>,
        fleiss_kappa: Vec<FleissCase>,
        f1_scores: Vec<F1Case>,
    }

    #[derive(Deserialize)]
    struct SpanCase {
        name: String,
        documents: Vec<SpanDocument>,
        expected: ExpectedSpans,
    }

    #[derive(Deserialize)]
    struct SpanDocument {
        reference: Vec<LabeledSpan>,
        other: Vec<LabeledSpan>,
    }

    #[derive(Deserialize)]
    struct ExpectedSpans {
        overall: Value,
        by_label: Value,
    }

    #[derive(Deserialize)]
    struct PairCase {
        name: String,
        a: Vec<Option<String>>,
        b: Vec<Option<String>>,
        expected: Option<f64>,
    }

    #[derive(Deserialize)]
    struct AlphaCase {
        name: String,
        units: Vec<Vec<Option<String>>>,
        expected: Option<f64>,
    }

    #[derive(Deserialize)]
    struct FleissCase {
        name: String,
        ratings: Vec<Vec<String>>,
        expected: Option<f64>,
    }

    #[derive(Deserialize)]
    struct F1Case {
        name: String,
        true_positives: usize,
        false_positives: usize,
        false_negatives: usize,
        expected: Value,
    }

    fn cases() -> Cases {
        serde_json::from_str(CASES).expect("metric_cases.json parses")
    }

    fn span(start: usize, end: usize, label: &str) -> LabeledSpan {
        LabeledSpan { start, end, label: label.to_owned() }
    }

    /// Whether `actual` has the keys of `expected`, the same integers, and floats within [`TOLERANCE`].
    fn assert_json_close(context: &str, actual: &Value, expected: &Value) {
        match (actual, expected) {
            (Value::Object(actual), Value::Object(expected)) => {
                let keys = |object: &serde_json::Map<String, Value>| object.keys().cloned().collect::<Vec<_>>();
                assert_eq!(keys(actual), keys(expected), "{context}: keys");
                for (key, expected) in expected {
                    assert_json_close(&format!("{context}.{key}"), &actual[key], expected);
                }
            }
            (Value::Number(actual), Value::Number(expected)) if expected.is_u64() => {
                assert_eq!(actual.as_u64(), expected.as_u64(), "{context}: count");
            }
            (Value::Number(actual), Value::Number(expected)) => {
                let (actual, expected) = (actual.as_f64().expect("a float"), expected.as_f64().expect("a float"));
                assert!((actual - expected).abs() <= TOLERANCE, "{context}: {actual} ≠ {expected}");
            }
            _ => panic!("{context}: {actual} does not match {expected}"),
        }
    }

    fn to_json(value: &impl Serialize) -> Value {
        serde_json::to_value(value).expect("serializes")
    }

    fn assert_close(context: &str, actual: Option<f64>, expected: Option<f64>) {
        match (actual, expected) {
            (Some(actual), Some(expected)) => assert!((actual - expected).abs() <= TOLERANCE, "{context}: {actual} ≠ {expected}"),
            _ => assert_eq!(actual, expected, "{context}"),
        }
    }

    #[test]
    fn span_agreement_matches_nervaluate() {
        for case in cases().span_agreement {
            let overall: SpanAgreement = case.documents.iter().map(|document| span_agreement(&document.reference, &document.other)).sum();
            let mut by_label: BTreeMap<String, SpanAgreement> = BTreeMap::new();
            for document in &case.documents {
                for (label, agreement) in span_agreement_by_label(&document.reference, &document.other) {
                    *by_label.entry(label).or_default() += agreement;
                }
            }
            assert_json_close(&format!("{} overall", case.name), &to_json(&overall), &case.expected.overall);
            assert_json_close(&format!("{} by label", case.name), &to_json(&by_label), &case.expected.by_label);
        }
    }

    #[test]
    fn cohen_kappa_matches_scikit_learn() {
        for case in cases().cohen_kappa {
            assert_close(&case.name, cohen_kappa(&case.a, &case.b), case.expected);
        }
    }

    #[test]
    fn percent_agreement_matches_scikit_learn() {
        for case in cases().percent_agreement {
            assert_close(&case.name, percent_agreement(&case.a, &case.b), case.expected);
        }
    }

    #[test]
    fn krippendorff_alpha_matches_the_krippendorff_package() {
        for case in cases().krippendorff_alpha_nominal {
            assert_close(&case.name, krippendorff_alpha_nominal(&case.units), case.expected);
        }
    }

    #[test]
    fn fleiss_kappa_matches_statsmodels() {
        for case in cases().fleiss_kappa {
            assert_close(&case.name, fleiss_kappa(&case.ratings), case.expected);
        }
    }

    #[test]
    fn f1_scores_match_scikit_learn() {
        for case in cases().f1_scores {
            let scores = f1_scores(case.true_positives, case.false_positives, case.false_negatives);
            assert_json_close(&case.name, &to_json(&scores), &case.expected);
        }
    }

    #[test]
    fn cohen_kappa_on_a_two_by_two_table() {
        // 10 units:      b = yes   b = no
        //   a = yes         4         1       a: 5 yes, 5 no
        //   a = no          2         3       b: 6 yes, 4 no
        // p_o = (4 + 3) / 10 = 0.7;  p_e = (5·6 + 5·4) / 100 = 0.5;  κ = (0.7 − 0.5) / (1 − 0.5) = 0.4
        let a = ["yes", "yes", "yes", "yes", "yes", "no", "no", "no", "no", "no"];
        let b = ["yes", "yes", "yes", "yes", "no", "yes", "yes", "no", "no", "no"];
        assert_close("2×2", cohen_kappa(&a, &b), Some(0.4));
        assert_close("percent", percent_agreement(&a, &b), Some(0.7));
    }

    #[test]
    fn cohen_kappa_is_undefined_for_one_shared_label() {
        // p_e = (3·3) / 9 = 1: κ = 0/0.
        assert_eq!(cohen_kappa(&["x"; 3], &["x"; 3]), None);
        assert_eq!(cohen_kappa::<&str>(&[], &[]), None);
        assert_eq!(cohen_kappa(&["x", "y"], &["x"]), None);
    }

    #[test]
    fn krippendorff_alpha_by_hand() {
        // Two coders, units (x, x), (x, y), (y, y): n = 6 pairable values, n_x = n_y = 3.
        // Only the mixed unit disagrees: (m² − Σ n_uc²) / (m − 1) = (4 − 2) / 1 = 2.
        // α = 1 − (n − 1) · 2 / (n² − Σ n_c²) = 1 − 5 · 2 / (36 − 18) = 4/9.
        let units = [vec![Some("x"), Some("x")], vec![Some("x"), Some("y")], vec![Some("y"), Some("y")]];
        assert_close("alpha", krippendorff_alpha_nominal(&units), Some(4.0 / 9.0));
        // A unit with one value is not pairable and changes nothing.
        let with_lone_value = [units.as_slice(), &[vec![Some("y"), None]]].concat();
        assert_close("lone value", krippendorff_alpha_nominal(&with_lone_value), Some(4.0 / 9.0));
    }

    #[test]
    fn fleiss_kappa_by_hand() {
        // Three raters, units (x, x, x), (x, x, y), (y, y, y).
        // P_i = (Σ n_ij² − 3) / 6: 1, (4 + 1 − 3) / 6 = 1/3, 1; P̄ = 7/9.
        // p_x = 5/9, p_y = 4/9: P̄_e = 41/81.  κ = (63/81 − 41/81) / (40/81) = 22/40 = 0.55.
        let ratings = [vec!["x", "x", "x"], vec!["x", "x", "y"], vec!["y", "y", "y"]];
        assert_close("fleiss", fleiss_kappa(&ratings), Some(0.55));
        assert_eq!(fleiss_kappa(&[vec!["x", "y"], vec!["x"]]), None, "units with different numbers of raters");
    }

    #[test]
    fn f1_scores_by_hand() {
        // P = 3 / (3 + 1) = 0.75, R = 3 / (3 + 2) = 0.6, F1 = 2 · 0.45 / 1.35 = 2/3.
        let scores = f1_scores(3, 1, 2);
        assert_eq!((scores.precision, scores.recall), (0.75, 0.6));
        assert!((scores.f1 - 2.0 / 3.0).abs() <= TOLERANCE);
        assert_eq!(f1_scores(0, 0, 0), Scores::default(), "0/0 is 0");
    }

    #[test]
    fn partial_matches_earn_half_credit() {
        // [11, 15) shares 4 of ORG [10, 15)'s 5 characters: partial in `partial`, correct in `type`.
        // partial: P = R = (1 + ½·1) / 2 = 0.75.
        let reference = [span(0, 5, "PER"), span(10, 15, "ORG")];
        let other = [span(0, 5, "PER"), span(11, 15, "ORG")];
        let agreement = span_agreement(&reference, &other);
        assert_eq!((agreement.partial.correct, agreement.partial.partial), (1, 1));
        assert_eq!((agreement.partial.precision, agreement.partial.recall, agreement.partial.f1), (0.75, 0.75, 0.75));
        assert_eq!((agreement.strict.correct, agreement.strict.incorrect, agreement.strict.f1), (1, 1, 0.5));
        assert_eq!(agreement.r#type.correct, 2);
    }

    #[test]
    fn empty_spans_overlap_nothing() {
        // nervaluate cannot take empty spans; here they share no character with anything, and
        // can only match an identical empty span by its boundaries.
        let agreement = span_agreement(&[span(3, 8, "PER")], &[span(5, 5, "PER")]);
        assert_eq!((agreement.strict.spurious, agreement.strict.missed), (1, 1));
        let agreement = span_agreement(&[span(5, 5, "PER")], &[span(5, 5, "PER")]);
        assert_eq!(agreement.strict.correct, 1);
    }

    #[test]
    fn results_serialize_with_stable_keys() {
        let json = to_json(&span_agreement(&[], &[]));
        let keys = |value: &Value| value.as_object().expect("an object").keys().cloned().collect::<Vec<_>>();
        // serde_json's map lists keys in sorted order.
        assert_eq!(keys(&json), ["exact", "partial", "strict", "type"]);
        let scheme_keys = ["actual", "correct", "f1", "incorrect", "missed", "partial", "possible", "precision", "recall", "spurious"];
        assert_eq!(keys(&json["type"]), scheme_keys);
    }

    fn arbitrary_spans() -> impl Strategy<Value = Vec<LabeledSpan>> {
        let one = (0usize..40, 1usize..12, prop::sample::select(vec!["PER", "ORG", "LOC"]))
            .prop_map(|(start, len, label)| span(start, start + len, label));
        prop::collection::vec(one, 0..8)
    }

    proptest! {
        #[test]
        fn span_agreement_ignores_input_order(
            reference in arbitrary_spans(),
            other in arbitrary_spans(),
            seed in any::<u64>(),
        ) {
            let rng = fastrand::Rng::with_seed(seed);
            let (mut shuffled_reference, mut shuffled_other) = (reference.clone(), other.clone());
            rng.clone().shuffle(&mut shuffled_reference);
            rng.clone().shuffle(&mut shuffled_other);
            prop_assert_eq!(span_agreement(&reference, &other), span_agreement(&shuffled_reference, &shuffled_other));
        }

        #[test]
        fn every_span_is_counted_once(reference in arbitrary_spans(), other in arbitrary_spans()) {
            let agreement = span_agreement(&reference, &other);
            for scheme in [agreement.strict, agreement.exact, agreement.partial, agreement.r#type] {
                prop_assert_eq!(scheme.possible, reference.len());
                prop_assert_eq!(scheme.actual, other.len());
            }
            prop_assert_eq!(agreement.strict.partial + agreement.exact.partial + agreement.r#type.partial, 0);
            prop_assert_eq!(agreement.partial.incorrect, 0);
        }

        #[test]
        fn a_side_agrees_with_itself(spans in arbitrary_spans()) {
            let agreement = span_agreement(&spans, &spans);
            let expected_f1 = if spans.is_empty() { 0.0 } else { 1.0 };
            for scheme in [agreement.strict, agreement.exact, agreement.partial, agreement.r#type] {
                prop_assert_eq!(scheme.f1, expected_f1);
            }
        }
    }
}

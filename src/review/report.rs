//! The agreement report: how far a colleague's annotations (B) agree with ours (A, the
//! reference), per kind, per label, per document and overall, and, with three or more annotators,
//! pairwise and all together. The definitions of every figure are in [`super::metrics`].
//!
//! - **Span** agreement compares each annotation's extent and label (nervaluate's four schemes).
//! - **Token** agreement compares the bare label (`O` included) of every token of the CoNLL export
//!   of the kind's layer ([`crate::io::tag_sentences`]), so overlaps follow the CoNLL rule.
//! - **Attribute** agreement compares, over the pairs where A and B tagged the same thing (same
//!   label, equal or overlapping spans; see [`super::align`]), each attribute's value, unset
//!   counting as a value of its own.
//! - **Relation** agreement counts, for each role, the matched heads (a claim, a sentiment) where
//!   A's and B's targets agree (true positives), where B set a target that is not A's (false
//!   positives) and where A set one that B missed or got wrong (false negatives).

use std::borrow::Borrow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::align::{Difference, Pairing, pair_up};
use super::compare::{Colleague, ComparedDocument};
use super::metrics::{
    Confusion, Scores, SpanAgreement, SpanRef, cohen_kappa, f1_scores, fleiss_kappa, span_agreement_and_by_label_of, span_agreement_of,
};
use std::collections::HashMap;

use rayon::prelude::*;

use crate::io::{Chunk, LossReport, NoProgress, Progress, chunks, tag_tokens};
use crate::model::{Annotation, AttributeValue, Document, DocumentId, Kind, Project, RelationTarget, Span};

/// The kinds whose annotations have spans, as named in the report.
const SPAN_KINDS: [Kind; 3] = [Kind::Entity, Kind::Claim, Kind::Sentiment];

/// Agreement of bare token labels.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TokenAgreement {
    /// How many tokens were compared.
    pub tokens: usize,
    /// Share of tokens with the same label.
    pub percent: Option<f64>,
    /// Cohen's kappa; `null` when undefined (one label everywhere, no tokens).
    pub cohen_kappa: Option<f64>,
    /// Krippendorff's alpha, nominal; `null` when undefined.
    pub krippendorff_alpha: Option<f64>,
}

/// Agreement on one attribute over the matched pairs.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AttributeAgreement {
    /// How many matched pairs carry the attribute on either side.
    pub pairs: usize,
    /// Share of those pairs with the same value.
    pub percent: Option<f64>,
    /// Cohen's kappa over those pairs; `null` when undefined.
    pub cohen_kappa: Option<f64>,
}

/// Agreement on one relation role over the matched heads.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RelationAgreement {
    /// Heads whose targets agree.
    pub true_positives: usize,
    /// Heads where B set a target A did not.
    pub false_positives: usize,
    /// Heads where A set a target B did not match.
    pub false_negatives: usize,
    /// Precision, recall and F1 of B against A.
    #[serde(flatten)]
    pub scores: Scores,
}

/// Everything measured about one kind of annotation.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct KindAgreement {
    /// Span agreement under the four schemes (none for document labels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<SpanAgreement>,
    /// Token agreement (none for document labels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenAgreement>,
    /// Span agreement of each label.
    pub labels: BTreeMap<String, SpanAgreement>,
    /// Agreement of each attribute.
    pub attributes: BTreeMap<String, AttributeAgreement>,
    /// Agreement of each relation role.
    pub relations: BTreeMap<String, RelationAgreement>,
}

/// The report of one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentAgreement {
    /// Our document's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Per kind: span and token agreement. Per-label, attribute and relation figures are given
    /// over all documents only (in [`AgreementReport::kinds`]): a document holds too few tags of
    /// one label for them to mean much, and a corpus would hold millions of them.
    pub kinds: BTreeMap<&'static str, KindAgreement>,
    /// How many pairs fall in each difference class.
    pub differences: BTreeMap<&'static str, usize>,
}

/// How far B agrees with A.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementReport {
    /// A (the reference) and B.
    pub annotators: [String; 2],
    /// Per kind, over all compared documents.
    pub kinds: BTreeMap<&'static str, KindAgreement>,
    /// All span kinds together.
    pub overall: KindAgreement,
    /// Per document.
    pub documents: Vec<DocumentAgreement>,
    /// How many pairs fall in each difference class, over all documents.
    pub differences: BTreeMap<&'static str, usize>,
    /// B's annotations that could not be placed on A's texts.
    pub unplaced: usize,
}

/// Units collected for one kind over some documents, from which its agreement is computed.
/// Labels, names and roles borrow from the projects; token labels are `O` outside tags.
#[derive(Default)]
struct Units<'a> {
    span: SpanAgreement,
    labels: BTreeMap<&'a str, SpanAgreement>,
    tokens: Confusion<Label<'a>>,
    attributes: BTreeMap<&'a str, Confusion<Category<'a>>>,
    relations: BTreeMap<&'a str, [usize; 3]>,
}

/// A token label (`O` outside tags), borrowed from an annotation, with its first eight bytes
/// beside it. Token agreement looks its label pairs up millions of times among a few dozen:
/// comparing the heads as numbers settles labels of up to eight bytes (most of them) without
/// reading the strings.
#[derive(Clone, Copy, Debug)]
struct Label<'a> {
    head: u64,
    text: &'a str,
}

impl<'a> Label<'a> {
    fn new(text: &'a str) -> Self {
        let mut head = [0; 8];
        let known = text.len().min(head.len());
        head[..known].copy_from_slice(&text.as_bytes()[..known]);
        Self { head: u64::from_le_bytes(head), text }
    }
}

impl PartialEq for Label<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (x, y) = (self.text.as_bytes(), other.text.as_bytes());
        self.head == other.head && x.len() == y.len() && x.get(8..) == y.get(8..)
    }
}

impl Eq for Label<'_> {}

/// An attribute value as a category of agreement; unset is a category of its own. Numbers are
/// compared by their bits: as categories, not quantities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Category<'a> {
    Unset,
    Flag(bool),
    Number(u64),
    Text(&'a str),
}

impl<'a> Category<'a> {
    fn of(value: Option<&'a AttributeValue>) -> Self {
        match value {
            None => Category::Unset,
            Some(AttributeValue::Flag(flag)) => Category::Flag(*flag),
            Some(AttributeValue::Number(number)) => Category::Number(number.to_bits()),
            Some(AttributeValue::Text(text)) => Category::Text(text),
        }
    }
}

/// One document as both annotators left it, with its tokens computed once.
struct Versions<'a> {
    document: &'a Document,
    a: &'a [Annotation],
    b: &'a [Annotation],
    tokens: Vec<Span>,
    pairing: Pairing<'a>,
}

impl<'a> Versions<'a> {
    fn new(document: &'a Document, b: &'a [Annotation]) -> Self {
        let tokens = crate::io::tokens(document);
        Self { document, a: &document.annotations, b, tokens, pairing: pair_up(&document.annotations, b) }
    }

    /// The chunks of the `kind` layer of `annotations` over the document's tokens.
    fn chunks(&self, annotations: &'a [Annotation], kind: Kind) -> Vec<Chunk<'a>> {
        chunks(self.document, annotations, &self.tokens, kind, &mut LossReport::discarding())
    }
}

/// One document's span and token units of one kind, from which its own figures come before
/// they join the totals.
struct DocumentSpans<'a> {
    span: SpanAgreement,
    labels: Vec<(&'a str, SpanAgreement)>,
    tokens: Confusion<Label<'a>>,
}

impl<'a> DocumentSpans<'a> {
    fn of(kind: Kind, versions: &Versions<'a>) -> Self {
        let a_spans = labeled_spans(versions.a, kind);
        let b_spans = labeled_spans(versions.b, kind);
        // Nervaluate scores each document on its own and sums the counts.
        let (span, labels) = span_agreement_and_by_label_of(&a_spans, &b_spans);
        let (a_chunks, b_chunks) = (versions.chunks(versions.a, kind), versions.chunks(versions.b, kind));
        Self { span, labels, tokens: token_confusion(&a_chunks, &b_chunks, versions.tokens.len()) }
    }

    /// The document's figures (see [`DocumentAgreement::kinds`]).
    fn agreement(&self) -> KindAgreement {
        KindAgreement { span: Some(self.span), token: Some(token_agreement(&self.tokens)), ..KindAgreement::default() }
    }
}

/// Token agreement from a tally of token labels.
fn token_agreement(tokens: &Confusion<Label<'_>>) -> TokenAgreement {
    let (cohen_kappa, krippendorff_alpha) = tokens.kappa_and_alpha();
    TokenAgreement { tokens: tokens.units(), percent: tokens.percent_agreement(), cohen_kappa, krippendorff_alpha }
}

impl<'a> Units<'a> {
    /// Adds one document's span and token units.
    fn add_spans(&mut self, spans: DocumentSpans<'a>) {
        self.span += spans.span;
        for (label, agreement) in spans.labels {
            *self.labels.entry(label).or_default() += agreement;
        }
        self.tokens.absorb(spans.tokens);
    }

    fn add_attributes(&mut self, a: &'a Annotation, b: &'a Annotation) {
        let names: std::collections::BTreeSet<&'a String> = a.attributes.keys().chain(b.attributes.keys()).collect();
        for name in names {
            let pair = (Category::of(a.attributes.get(name)), Category::of(b.attributes.get(name)));
            self.attributes.entry(name).or_default().add(pair.0, pair.1);
        }
    }

    fn add_relations(&mut self, a: &'a Annotation, b: &'a Annotation, pairing: &Pairing<'_>) {
        let roles: std::collections::BTreeSet<&'a String> = a.relations.iter().chain(&b.relations).map(|relation| &relation.role).collect();
        for role in roles {
            let counts = self.relations.entry(role).or_default();
            let agree = match (a.relation(role), b.relation(role)) {
                (Some(RelationTarget::Implicit(x)), Some(RelationTarget::Implicit(y))) => x == y,
                (Some(RelationTarget::Annotation(x)), Some(RelationTarget::Annotation(y))) => pairing.paired(x, y),
                _ => false,
            };
            match (agree, a.relation(role).is_some(), b.relation(role).is_some()) {
                (true, _, _) => counts[0] += 1,
                (false, a_set, b_set) => {
                    counts[1] += usize::from(b_set);
                    counts[2] += usize::from(a_set);
                }
            }
        }
    }

    fn agreement(&self, kind: Option<Kind>) -> KindAgreement {
        let spans = kind.is_none_or(Kind::has_spans);
        KindAgreement {
            span: spans.then_some(self.span),
            token: spans.then(|| token_agreement(&self.tokens)),
            labels: self.labels.iter().map(|(label, agreement)| ((*label).to_owned(), *agreement)).collect(),
            attributes: self
                .attributes
                .iter()
                .map(|(name, values)| {
                    let agreement = AttributeAgreement {
                        pairs: values.units(),
                        percent: values.percent_agreement(),
                        cohen_kappa: values.cohen_kappa(),
                    };
                    ((*name).to_owned(), agreement)
                })
                .collect(),
            relations: self
                .relations
                .iter()
                .map(|(role, &[tp, fp, fn_])| {
                    let agreement =
                        RelationAgreement { true_positives: tp, false_positives: fp, false_negatives: fn_, scores: f1_scores(tp, fp, fn_) };
                    ((*role).to_owned(), agreement)
                })
                .collect(),
        }
    }

    /// Pools another kind's units into these (for the overall figures).
    fn absorb(&mut self, other: Units<'a>) {
        self.span += other.span;
        for (label, agreement) in other.labels {
            *self.labels.entry(label).or_default() += agreement;
        }
        self.tokens.absorb(other.tokens);
        for (name, values) in other.attributes {
            self.attributes.entry(name).or_default().absorb(values);
        }
        for (role, counts) in other.relations {
            let mine = self.relations.entry(role).or_default();
            for (total, count) in mine.iter_mut().zip(counts) {
                *total += count;
            }
        }
    }
}

/// Each annotation of `kind` as its extent and label.
fn labeled_spans(annotations: &[Annotation], kind: Kind) -> Vec<SpanRef<'_>> {
    annotations
        .iter()
        .filter(|annotation| annotation.kind == kind)
        .filter_map(|annotation| {
            annotation.extent().map(|extent| SpanRef { start: extent.start, end: extent.end, label: &annotation.label })
        })
        .collect()
}

/// The bare label of each of `tokens` in the `kind` layer of `annotations` (made on `document`'s
/// text), `O` outside tags: the units of token agreement, as in the CoNLL export.
fn token_labels<'a>(document: &Document, annotations: &'a [Annotation], tokens: &[Span], kind: Kind) -> impl Iterator<Item = &'a str> {
    tag_tokens(document, annotations, tokens, kind, &mut LossReport::discarding()).into_iter().map(|tag| tag.label.unwrap_or("O"))
}

/// The tally of token labels by A and B (those of [`token_labels`]) over `count` tokens, from
/// their chunks: a sweep over the chunk boundaries, so it costs the tags, not the tokens. The
/// sweep counts label pairs by their places in a table of the document's few labels (`O` first)
/// and makes the tally of the table at the end, so it compares no label on the way.
fn token_confusion<'a>(a: &[Chunk<'a>], b: &[Chunk<'a>], count: usize) -> Confusion<Label<'a>> {
    /// The place of the label at token `position` and the token where it stops applying; passes
    /// the chunks that end before `position`. `places` holds the place of each chunk's label.
    fn label_at(chunks: &[Chunk<'_>], places: &[usize], next: &mut usize, position: usize, count: usize) -> (usize, usize) {
        while chunks.get(*next).is_some_and(|chunk| chunk.tokens.end <= position) {
            *next += 1;
        }
        match chunks.get(*next) {
            Some(chunk) if chunk.tokens.start <= position => (places[*next], chunk.tokens.end),
            Some(chunk) => (0, chunk.tokens.start),
            None => (0, count),
        }
    }
    let mut labels = vec![Label::new("O")];
    let mut place_of = |chunk: &Chunk<'a>| {
        let label = Label::new(chunk.label);
        labels.iter().position(|known| *known == label).unwrap_or_else(|| {
            labels.push(label);
            labels.len() - 1
        })
    };
    let a_places: Vec<usize> = a.iter().map(&mut place_of).collect();
    let b_places: Vec<usize> = b.iter().map(&mut place_of).collect();
    let width = labels.len();
    let mut table = vec![0; width * width];
    let (mut a_next, mut b_next) = (0, 0);
    let mut position = 0;
    while position < count {
        let (a_place, a_end) = label_at(a, &a_places, &mut a_next, position, count);
        let (b_place, b_end) = label_at(b, &b_places, &mut b_next, position, count);
        let end = a_end.min(b_end);
        table[a_place * width + b_place] += end - position;
        position = end;
    }
    let mut confusion = Confusion::default();
    for (cell, &tokens) in table.iter().enumerate().filter(|(_, tokens)| **tokens > 0) {
        confusion.add_many(labels[cell / width], labels[cell % width], tokens);
    }
    confusion
}

/// Adds each kind's units of `more` to `totals`.
fn absorb_all<'a>(totals: &mut BTreeMap<Kind, Units<'a>>, more: BTreeMap<Kind, Units<'a>>) {
    for (kind, units) in more {
        totals.entry(kind).or_default().absorb(units);
    }
}

fn kind_agreements(units: &BTreeMap<Kind, Units<'_>>) -> BTreeMap<&'static str, KindAgreement> {
    units.iter().map(|(kind, units)| (kind.name(), units.agreement(Some(*kind)))).collect()
}

/// How many pairs fall in each class, in the order of [`Difference::ALL`].
type DifferenceCounts = [usize; Difference::ALL.len()];

fn difference_counts(pairing: &Pairing<'_>) -> DifferenceCounts {
    let mut counts = [0; Difference::ALL.len()];
    for pair in &pairing.pairs {
        counts[pair.difference as usize] += 1;
    }
    counts
}

/// The counts by class name, as reports show them.
fn named_differences(counts: DifferenceCounts) -> BTreeMap<&'static str, usize> {
    Difference::ALL.iter().zip(counts).map(|(difference, count)| (difference.name(), count)).collect()
}

/// How far `colleague` (B) agrees with `ours` (A), over the documents both annotated.
pub fn agreement(ours: &Project, ours_name: &str, colleague: &Colleague) -> AgreementReport {
    agreement_with_progress(ours, ours_name, colleague, &mut NoProgress).unwrap_or_else(|| unreachable!("NoProgress never cancels"))
}

/// Documents measured together by [`agreement_with_progress`] between two looks at its progress.
const BATCH: usize = 512;

/// What a run of documents adds to a report: each document's figures and the units they pool.
#[derive(Default)]
struct Measured<'a> {
    documents: Vec<DocumentAgreement>,
    totals: BTreeMap<Kind, Units<'a>>,
    differences: DifferenceCounts,
    unplaced: usize,
}

impl<'a> Measured<'a> {
    /// Measures B's version of `document` and adds it.
    fn add(mut self, document: &'a Document, compared: &'a ComparedDocument) -> Self {
        let versions = Versions::new(document, &compared.annotations);
        // Each document's figures of its own; what only the totals show (per label, attribute
        // and relation) goes straight into them.
        let mut kinds = BTreeMap::new();
        for kind in Kind::ALL {
            let totals = self.totals.entry(kind).or_default();
            let figures = if kind.has_spans() {
                let spans = DocumentSpans::of(kind, &versions);
                let figures = spans.agreement();
                totals.add_spans(spans);
                figures
            } else {
                KindAgreement::default()
            };
            kinds.insert(kind.name(), figures);
        }
        for (a, b) in versions.pairing.matched() {
            let totals = self.totals.entry(a.kind).or_default();
            totals.add_attributes(a, b);
            totals.add_relations(a, b, &versions.pairing);
        }
        let differences = difference_counts(&versions.pairing);
        self.documents.push(DocumentAgreement {
            id: document.id.0.clone(),
            title: document.title.clone(),
            kinds,
            differences: named_differences(differences),
        });
        self.add_counts(differences, compared.unplaced.len());
        self
    }

    /// Appends the documents measured after these.
    fn merge(mut self, later: Measured<'a>) -> Self {
        self.documents.extend(later.documents);
        absorb_all(&mut self.totals, later.totals);
        self.add_counts(later.differences, later.unplaced);
        self
    }

    fn add_counts(&mut self, differences: DifferenceCounts, unplaced: usize) {
        for (total, count) in self.differences.iter_mut().zip(differences) {
            *total += count;
        }
        self.unplaced += unplaced;
    }
}

/// [`agreement`], telling `progress` how many documents are measured and stopping when it asks
/// to: `None` when cancelled.
pub fn agreement_with_progress(
    ours: &Project,
    ours_name: &str,
    colleague: &Colleague,
    progress: &mut dyn Progress,
) -> Option<AgreementReport> {
    let ours_by_id: HashMap<&DocumentId, &Document> = ours.documents.iter().map(|document| (&document.id, document)).collect();
    let total = colleague.documents.len();
    let mut measured = Measured::default();
    // The documents of a batch are measured in parallel, and their totals summed on the workers
    // too (in document order), so the calling thread only looks at the progress between batches.
    for (batch, compared) in colleague.documents.chunks(BATCH).enumerate() {
        if !progress.advance(batch * BATCH, total) {
            return None;
        }
        let batch = compared
            .par_iter()
            .filter_map(|compared| Some((*ours_by_id.get(&compared.document_id)?, compared)))
            .fold(Measured::default, |measured, (document, compared)| measured.add(document, compared))
            .reduce(Measured::default, Measured::merge);
        measured = measured.merge(batch);
    }
    progress.advance(total, total);
    let Measured { documents, mut totals, differences, unplaced } = measured;
    let kinds = kind_agreements(&totals);
    let mut overall = Units::default();
    for kind in SPAN_KINDS {
        if let Some(units) = totals.remove(&kind) {
            overall.absorb(units);
        }
    }
    Some(AgreementReport {
        annotators: [ours_name.to_owned(), colleague.annotator.clone()],
        kinds,
        overall: overall.agreement(None),
        documents,
        differences: named_differences(differences),
        unplaced,
    })
}

/// Agreement among three or more annotators on one kind.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupKindAgreement {
    /// Fleiss' kappa over the bare token labels of every annotator.
    pub fleiss_kappa: Option<f64>,
    /// Cohen's kappa over tokens for each pair of annotators (row and column in `annotators` order).
    pub pairwise_cohen_kappa: Vec<Vec<Option<f64>>>,
    /// Strict span F1 of each annotator (column) against each other one (row as reference).
    pub pairwise_strict_f1: Vec<Vec<f64>>,
}

/// Agreement among three or more annotators.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupAgreement {
    /// The annotators, ours first.
    pub annotators: Vec<String>,
    /// Per span kind.
    pub kinds: BTreeMap<String, GroupKindAgreement>,
}

/// Agreement among `ours` and every colleague (owned or shared), over the documents all of them
/// annotated.
pub fn group_agreement<C: Borrow<Colleague>>(ours: &Project, ours_name: &str, colleagues: &[C]) -> GroupAgreement {
    let colleagues: Vec<&Colleague> = colleagues.iter().map(Borrow::borrow).collect();
    let mut annotators = vec![ours_name.to_owned()];
    annotators.extend(colleagues.iter().map(|colleague| colleague.annotator.clone()));
    let mut kinds = BTreeMap::new();
    for kind in SPAN_KINDS {
        // Each annotator's tokens and spans, document after document, over shared documents only.
        let mut tokens: Vec<Vec<&str>> = vec![Vec::new(); annotators.len()];
        let mut spans: Vec<Vec<Vec<SpanRef>>> = vec![Vec::new(); annotators.len()];
        for document in &ours.documents {
            let theirs: Option<Vec<&[Annotation]>> = colleagues
                .iter()
                .map(|colleague| colleague.document(&document.id).map(|compared| compared.annotations.as_slice()))
                .collect();
            let Some(theirs) = theirs else { continue };
            let text_tokens = crate::io::tokens(document);
            let versions = std::iter::once(document.annotations.as_slice()).chain(theirs);
            for (index, annotations) in versions.enumerate() {
                tokens[index].extend(token_labels(document, annotations, &text_tokens, kind));
                spans[index].push(labeled_spans(annotations, kind));
            }
        }
        let units: Vec<Vec<&str>> = (0..tokens.first().map_or(0, Vec::len)).map(|unit| tokens.iter().map(|t| t[unit]).collect()).collect();
        let pairwise_cohen_kappa = tokens.iter().map(|row| tokens.iter().map(|column| cohen_kappa(row, column)).collect()).collect();
        let pairwise_strict_f1 = spans
            .iter()
            .map(|reference| {
                spans
                    .iter()
                    .map(|other| reference.iter().zip(other).map(|(a, b)| span_agreement_of(a, b)).sum::<SpanAgreement>().strict.f1)
                    .collect()
            })
            .collect();
        kinds.insert(
            kind.name().to_owned(),
            GroupKindAgreement { fleiss_kappa: fleiss_kappa(&units), pairwise_cohen_kappa, pairwise_strict_f1 },
        );
    }
    GroupAgreement { annotators, kinds }
}

/// A number with three decimals, or `n/a` when undefined.
fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |value| format!("{value:.3}"))
}

fn span_line(agreement: &SpanAgreement) -> String {
    let scheme = |name: &str, scores: &super::metrics::SchemeAgreement| {
        format!("{name} P {:.3} R {:.3} F1 {:.3}", scores.precision, scores.recall, scores.f1)
    };
    [
        scheme("strict", &agreement.strict),
        scheme("exact", &agreement.exact),
        scheme("partial", &agreement.partial),
        scheme("type", &agreement.r#type),
    ]
    .join(" | ")
}

fn kind_lines(out: &mut String, name: &str, kind: &KindAgreement) {
    use std::fmt::Write;
    let _ = writeln!(out, "{name}");
    if let Some(span) = &kind.span {
        let _ = writeln!(out, "  span    {}", span_line(span));
    }
    if let Some(token) = &kind.token {
        let _ = writeln!(
            out,
            "  tokens  {} tokens, agreement {}, Cohen's kappa {}, Krippendorff's alpha {}",
            token.tokens,
            figure(token.percent),
            figure(token.cohen_kappa),
            figure(token.krippendorff_alpha)
        );
    }
    for (label, agreement) in &kind.labels {
        let _ = writeln!(out, "  {label:<14} strict F1 {:.3}  type F1 {:.3}", agreement.strict.f1, agreement.r#type.f1);
    }
    for (attribute, agreement) in &kind.attributes {
        let _ = writeln!(
            out,
            "  attribute {attribute}: {} pairs, agreement {}, Cohen's kappa {}",
            agreement.pairs,
            figure(agreement.percent),
            figure(agreement.cohen_kappa)
        );
    }
    for (role, agreement) in &kind.relations {
        let _ = writeln!(
            out,
            "  relation {role}: P {:.3} R {:.3} F1 {:.3} ({} agree, {} only B, {} only A)",
            agreement.scores.precision,
            agreement.scores.recall,
            agreement.scores.f1,
            agreement.true_positives,
            agreement.false_positives,
            agreement.false_negatives
        );
    }
}

/// The report as text tables for the terminal.
pub fn format_report(report: &AgreementReport) -> String {
    use std::fmt::Write;
    let [a, b] = &report.annotators;
    let mut out = format!("Agreement of {b} with {a} (reference) over {} document(s)\n", report.documents.len());
    let differences: Vec<String> = report.differences.iter().map(|(class, count)| format!("{count} {}", class.replace('_', " "))).collect();
    let _ = writeln!(out, "differences: {}", differences.join(", "));
    if report.unplaced > 0 {
        let _ = writeln!(out, "{} of {b}'s annotations could not be placed on {a}'s texts", report.unplaced);
    }
    kind_lines(&mut out, "overall", &report.overall);
    for (name, kind) in &report.kinds {
        kind_lines(&mut out, name, kind);
    }
    out.push('\n');
    out
}

/// The group figures as text for the terminal.
pub fn format_group(group: &GroupAgreement) -> String {
    use std::fmt::Write;
    let mut out = format!("Agreement among {}\n", group.annotators.join(", "));
    for (kind, agreement) in &group.kinds {
        let _ = writeln!(out, "{kind}: Fleiss' kappa {}", figure(agreement.fleiss_kappa));
        let _ = writeln!(out, "  token Cohen's kappa, pairwise:");
        for (name, row) in group.annotators.iter().zip(&agreement.pairwise_cohen_kappa) {
            let cells: Vec<String> = row.iter().map(|value| format!("{:>7}", figure(*value))).collect();
            let _ = writeln!(out, "    {name:<12}{}", cells.join(""));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn load(name: &str) -> Project {
        crate::io::load_project(&Path::new(env!("CARGO_MANIFEST_DIR")).join("projects").join(name)).expect("a demo project")
    }

    fn compared(ours: &Project, name: &str) -> Colleague {
        Colleague::new(ours, load(name), name.into())
    }

    proptest::proptest! {
        /// Labels compared by their heads are equal exactly when their texts are, short or long.
        #[test]
        fn labels_are_equal_when_their_texts_are(x in "[AB\\x00]{0,10}", y in "[AB\\x00]{0,10}") {
            proptest::prop_assert_eq!(Label::new(&x) == Label::new(&y), x == y);
            proptest::prop_assert!(Label::new(&x) == Label::new(&x.clone()));
        }
    }

    /// The sweep over chunk boundaries tallies what labelling every token would.
    #[test]
    fn token_tallies_from_chunks_equal_those_of_every_token() {
        let amira = load("pakistan-taliban.gloss.json");
        let bilal = compared(&amira, "pakistan-taliban.bilal.gloss.json");
        let mut compared_tokens = 0;
        for theirs in &bilal.documents {
            let Some(document) = amira.documents.iter().find(|document| document.id == theirs.document_id) else { continue };
            let versions = Versions::new(document, &theirs.annotations);
            for kind in SPAN_KINDS {
                let swept = token_confusion(&versions.chunks(versions.a, kind), &versions.chunks(versions.b, kind), versions.tokens.len());
                let a_labels: Vec<&str> = token_labels(document, versions.a, &versions.tokens, kind).collect();
                let b_labels: Vec<&str> = token_labels(document, versions.b, &versions.tokens, kind).collect();
                let every_token = Confusion::of(&a_labels, &b_labels).expect("as many labels");
                assert_eq!(swept.units(), every_token.units());
                assert_eq!(swept.cohen_kappa(), every_token.cohen_kappa(), "{kind:?}");
                assert_eq!(swept.krippendorff_alpha(), every_token.krippendorff_alpha(), "{kind:?}");
                compared_tokens += swept.units();
            }
        }
        assert!(compared_tokens > 1000, "the demo has tokens to compare: {compared_tokens}");
    }

    #[test]
    fn documents_carry_span_and_token_figures_and_the_totals_the_rest() {
        let amira = load("pakistan-taliban.gloss.json");
        let report = agreement(&amira, "amira", &compared(&amira, "pakistan-taliban.bilal.gloss.json"));
        let document = &report.documents[0].kinds["claim"];
        assert!(document.span.is_some() && document.token.is_some());
        assert!(document.labels.is_empty() && document.attributes.is_empty() && document.relations.is_empty());
        let total = &report.kinds["claim"];
        assert!(!total.labels.is_empty() && !total.attributes.is_empty() && !total.relations.is_empty());
        assert_eq!(document.span, total.span, "one document: the same span figures");
    }

    /// Documents measured in parallel, batch after batch, are reported in order, and the totals
    /// are the sums of the documents' counts.
    #[test]
    fn documents_of_several_batches_come_in_order_with_their_sums() {
        let ours = crate::bench::synthetic::corpus(BATCH + 90, 6, 11, "a");
        let colleague = Colleague::new(&ours, crate::bench::synthetic::corpus(BATCH + 90, 6, 12, "b"), "b.gloss.json".into());
        let report = agreement(&ours, "a", &colleague);
        let ids: Vec<&str> = report.documents.iter().map(|document| document.id.as_str()).collect();
        let expected: Vec<&str> = colleague.documents.iter().map(|compared| compared.document_id.0.as_str()).collect();
        assert_eq!(ids, expected);
        for (class, total) in &report.differences {
            assert_eq!(*total, report.documents.iter().map(|document| document.differences[class]).sum::<usize>(), "{class}");
        }
        let span_total: SpanAgreement = report.documents.iter().filter_map(|document| document.kinds["entity"].span).sum();
        assert_eq!(Some(span_total), report.kinds["entity"].span);
    }

    #[test]
    fn a_project_agrees_perfectly_with_itself() {
        let amira = load("pakistan-taliban.gloss.json");
        let report = agreement(&amira, "amira", &Colleague::new(&amira, amira.clone(), "self".into()));
        let entity = &report.kinds["entity"];
        assert_eq!(entity.span.map(|span| span.strict.f1), Some(1.0));
        assert_eq!(entity.token.as_ref().and_then(|token| token.cohen_kappa), Some(1.0));
        assert_eq!(entity.token.as_ref().and_then(|token| token.krippendorff_alpha), Some(1.0));
        assert_eq!(report.differences["agreement"], amira.annotation_count());
        assert!(report.differences.iter().filter(|(class, _)| **class != "agreement").all(|(_, count)| *count == 0));
        assert!(report.kinds["claim"].relations.values().all(|relation| relation.scores.f1 == 1.0));
    }

    #[test]
    fn the_review_demo_disagrees_where_bilal_did() {
        let amira = load("pakistan-taliban.gloss.json");
        let report = agreement(&amira, "amira", &compared(&amira, "pakistan-taliban.bilal.gloss.json"));
        assert_eq!(report.annotators, ["amira".to_owned(), "bilal".to_owned()]);
        assert_eq!(report.differences["label_mismatch"], 3, "Taliban, coalition, Islamic State");
        assert_eq!(report.differences["boundary_mismatch"], 3);
        assert_eq!(report.differences["relation_mismatch"], 1, "the claimant of “Mehsud survived”");
        assert_eq!(report.differences["only_a"], 3, "byline and dateline");
        let claimant = &report.kinds["claim"].relations["claimant"];
        assert_eq!((claimant.true_positives, claimant.false_positives, claimant.false_negatives), (13, 1, 1));
        let entity_span = report.kinds["entity"].span.expect("spans");
        assert!(entity_span.strict.f1 < entity_span.r#type.f1 && entity_span.r#type.f1 < 1.0);
        let polarity = &report.kinds["document"].attributes["polarity"];
        assert_eq!((polarity.pairs, polarity.percent), (1, Some(0.0)));
        let json = serde_json::to_value(&report).expect("JSON");
        for path in ["/kinds/entity/span/strict/f1", "/kinds/entity/token/cohen_kappa", "/kinds/entity/token/krippendorff_alpha"] {
            assert!(json.pointer(path).is_some_and(serde_json::Value::is_number), "{path} in the JSON");
        }
    }

    #[test]
    fn tags_on_a_corrected_text_are_re_anchored_and_the_rest_reported() {
        let amira = load("pakistan-taliban.gloss.json");
        let carla = compared(&amira, "pakistan-taliban.carla.gloss.json");
        assert!(!carla.documents[0].same_text);
        let report = agreement(&amira, "amira", &carla);
        assert_eq!(report.unplaced, 1, "the restored author's name is not in Amira's text");
        assert_eq!(report.differences["label_mismatch"], 1, "Kandahar");
        let carla_tags = load("pakistan-taliban.carla.gloss.json").annotation_count();
        assert_eq!(carla.documents[0].annotations.len(), carla_tags - 1, "every other tag was placed");
        assert_eq!(carla.documents[0].unplaced.len(), 1);
        // 44 of Amira's 47 entities match Carla's exactly: she relabelled Kandahar, dropped the
        // ceasefire and tagged the Doha talks instead.
        let strict = report.kinds["entity"].span.expect("spans").strict;
        assert_eq!((strict.correct, strict.possible), (44, 47));
    }

    #[test]
    fn three_annotators_give_a_pairwise_matrix_and_fleiss_kappa() {
        let amira = load("pakistan-taliban.gloss.json");
        let colleagues = [compared(&amira, "pakistan-taliban.bilal.gloss.json"), compared(&amira, "pakistan-taliban.carla.gloss.json")];
        let group = group_agreement(&amira, "amira", &colleagues);
        assert_eq!(group.annotators, ["amira", "bilal", "carla"]);
        let entity = &group.kinds["entity"];
        assert_eq!(entity.pairwise_cohen_kappa.len(), 3);
        for (index, row) in entity.pairwise_cohen_kappa.iter().enumerate() {
            assert_eq!(row[index], Some(1.0), "everyone agrees with themselves");
        }
        assert_eq!(entity.pairwise_cohen_kappa[0][1], entity.pairwise_cohen_kappa[1][0], "kappa is symmetric");
        let fleiss = entity.fleiss_kappa.expect("defined");
        assert!(fleiss > 0.7 && fleiss < 1.0, "{fleiss}");
        let text = format_group(&group);
        assert!(text.contains("entity: Fleiss' kappa"), "{text}");
    }
}

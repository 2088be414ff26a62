//! CoNLL with IOB2 tags: `token<TAB>tag`, one token per line, a blank line after each sentence,
//! and `-DOCSTART-<TAB>O` followed by a blank line at the start of each document: the form
//! seqeval, spaCy's converters and most sequence taggers read.
//!
//! ```text
//! -DOCSTART-→O
//!
//! Clashes→O
//! between→O
//! the→O
//! Afghan→B-ORG
//! Taliban→I-ORG
//! ```
//!
//! (→ stands for a tab.)
//!
//! - **Tokens** come from Gloss's one tokenizer ([`crate::text::tokenize`]): Unicode UAX #29
//!   words, punctuation marks as tokens of their own, English possessive clitics split off
//!   (`Pakistan’s` → `Pakistan`, `’s`), white space (no-break spaces included) dropped. The editor
//!   snaps selections to the same tokens, so tags made in Gloss line up with them.
//! - **Sentences** end at line breaks, and after `.`, `!`, `?` or `…` (with the closing quotes and
//!   brackets that follow) when the next token starts with a capital, a digit or an opening quote
//!   ([`sentences`]).
//! - **One layer at a time**: only annotations of the chosen kind are written (entities by
//!   default); the others are counted in the loss report.
//! - **Overlaps**: IOB2 holds one tag per token. Tags are taken by start, the longer first at the
//!   same start; a tag that would share a token with one already taken is dropped whole and counted.
//!   So of nested entities the outer one is kept.
//! - A tag that starts or ends inside a token covers the whole token (counted); a discontinuous
//!   tag becomes one chunk per fragment (counted); attributes, relations and notes are not written
//!   (counted).

use super::convert::{ExportError, Progress, write_documents};
use super::report::{LossReport, place};
use super::sink::ExportSink;
use crate::model::{Annotation, Document, Kind, Project, Span};

/// The tag of one token: the label of the tag covering it, if any, and whether the token begins
/// a chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenTag<'a> {
    /// The token's code-point range.
    pub span: Span,
    /// The label covering the token, or `None` outside every tag (`O`).
    pub label: Option<&'a str>,
    /// Whether the token is the first of a fragment (`B-`) rather than inside one (`I-`).
    pub begins: bool,
}

impl TokenTag<'_> {
    /// Writes the IOB2 tag: `O`, `B-LABEL` or `I-LABEL`.
    fn push_iob2(&self, out: &mut Vec<u8>) {
        match self.label {
            None => out.push(b'O'),
            Some(label) => {
                out.extend_from_slice(if self.begins { b"B-" } else { b"I-" });
                out.extend_from_slice(label.as_bytes());
            }
        }
    }
}

/// Writes the `kind` layer of every document.
pub fn export(project: &Project, kind: Kind, sink: &mut dyn ExportSink, progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    write_documents(project, sink, "", progress, |document, out, report| {
        out.extend_from_slice(b"-DOCSTART-\tO\n\n");
        let tokens = TextTokens::of(document);
        let tags = tag_tokens(document, &document.annotations, &tokens.spans, kind, report);
        let text = document.text.as_str();
        for sentence in &tokens.sentences {
            for index in sentence.clone() {
                out.extend_from_slice(text.get(tokens.bytes[index].clone()).unwrap_or_default().as_bytes());
                out.push(b'\t');
                tags[index].push_iob2(out);
                out.push(b'\n');
            }
            out.push(b'\n');
        }
        Ok(())
    })
}

/// The tokens of a document, sentence by sentence, tagged with the `kind` layer of
/// `document`'s annotations; what cannot be expressed goes into `report`.
pub fn tag_sentences<'d>(document: &'d Document, kind: Kind, report: &mut LossReport) -> Vec<Vec<TokenTag<'d>>> {
    let sentences = sentences(document);
    let tokens: Vec<Span> = sentences.iter().flatten().copied().collect();
    let mut tags = tag_tokens(document, &document.annotations, &tokens, kind, report).into_iter();
    sentences.iter().map(|sentence| tags.by_ref().take(sentence.len()).collect()).collect()
}

/// Tags `tokens` (in text order) with the `kind` layer of `annotations`, made on `document`'s
/// text.
pub fn tag_tokens<'a>(
    document: &Document,
    annotations: &'a [Annotation],
    tokens: &[Span],
    kind: Kind,
    report: &mut LossReport,
) -> Vec<TokenTag<'a>> {
    let mut tags: Vec<TokenTag<'a>> = tokens.iter().map(|&span| TokenTag { span, label: None, begins: false }).collect();
    for chunk in chunks(document, annotations, tokens, kind, report) {
        for (index, tag) in tags[chunk.tokens.clone()].iter_mut().enumerate() {
            tag.label = Some(chunk.label);
            tag.begins = index == 0;
        }
    }
    tags
}

/// A run of tokens under one tag: `B-label I-label…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// Indices of the tokens.
    pub tokens: std::ops::Range<usize>,
    /// The tag's label.
    pub label: &'a str,
}

/// The chunks of the `kind` layer of `annotations` over `tokens` (in text order), sorted and
/// disjoint: IOB2 without the `O`s. Token-level agreement compares two annotators' chunks over
/// the same tokens without tagging every token.
pub fn chunks<'a>(
    document: &Document,
    annotations: &'a [Annotation],
    tokens: &[Span],
    kind: Kind,
    report: &mut LossReport,
) -> Vec<Chunk<'a>> {
    let mut chunks = Vec::new();
    let mut taken = vec![false; tokens.len()];
    // The token ranges of an annotation's fragments, in one buffer for all of them.
    let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
    // Tags come by start, so the tokens of one with its fragments in order start at or after
    // those of the one before.
    let mut floor = 0;
    for annotation in layer_annotations(document, annotations, kind, report) {
        let from = if annotation.fragments.is_sorted() { floor } else { 0 };
        covered.clear();
        covered.extend(annotation.fragments.iter().map(|fragment| tokens_overlapping(tokens, *fragment, from)));
        floor = covered.iter().map(|range| range.start).min().unwrap_or(floor);
        if covered.iter().all(std::ops::Range::is_empty) {
            report.record(NO_TOKEN[kind_index(kind)], place(document, annotation));
            continue;
        }
        if covered.iter().flat_map(Clone::clone).any(|token| taken[token]) {
            report.record(OVERLAPPING[kind_index(kind)], place(document, annotation));
            continue;
        }
        for (fragment, range) in annotation.fragments.iter().zip(covered.drain(..)) {
            if range.is_empty() {
                continue;
            }
            if tokens[range.start].start != fragment.start || tokens[range.end - 1].end != fragment.end {
                report.record("tag boundaries inside a token widened to the whole token", place(document, annotation));
            }
            taken[range.clone()].fill(true);
            chunks.push(Chunk { tokens: range, label: annotation.label.as_str() });
        }
        if annotation.fragments.len() > 1 {
            report.record("discontinuous tags written as one chunk per fragment", place(document, annotation));
        }
    }
    chunks.sort_unstable_by_key(|chunk| chunk.tokens.start);
    chunks
}

/// Loss report entries per layer (entity, claim, sentiment), as constants so that recording
/// them allocates nothing.
const NO_TOKEN: [&str; 3] =
    ["entity tags covering no token dropped", "claim tags covering no token dropped", "sentiment tags covering no token dropped"];
const OVERLAPPING: [&str; 3] = [
    "overlapping entity tags dropped: IOB2 holds one tag per token (the earlier, longer one is kept)",
    "overlapping claim tags dropped: IOB2 holds one tag per token (the earlier, longer one is kept)",
    "overlapping sentiment tags dropped: IOB2 holds one tag per token (the earlier, longer one is kept)",
];

fn kind_index(kind: Kind) -> usize {
    match kind {
        Kind::Entity => 0,
        Kind::Claim => 1,
        Kind::Sentiment | Kind::Document => 2,
    }
}

/// The annotations of the layer, in the order tags are taken (by start, longer first); counts the
/// others and what the layer's annotations lose.
fn layer_annotations<'a>(document: &Document, annotations: &'a [Annotation], kind: Kind, report: &mut LossReport) -> Vec<&'a Annotation> {
    let mut layer = Vec::new();
    let mut others = [0usize; 4];
    for annotation in annotations {
        if annotation.kind != kind {
            others[annotation.kind as usize] += 1;
            continue;
        }
        if !annotation.attributes.is_empty() || !annotation.relations.is_empty() || !annotation.note.is_empty() {
            report.record("attributes, relations and notes not written: CoNLL holds one tag per token", place(document, annotation));
        }
        if annotation.kind.has_spans() {
            layer.push(annotation);
        } else {
            report.record("document labels not written: CoNLL tags tokens", place(document, annotation));
        }
    }
    // Composing the message costs an allocation: not for a report that drops it.
    if !report.is_discarding() {
        for (other, count) in Kind::ALL.into_iter().zip(others).filter(|(_, count)| *count > 0) {
            let what = format!(
                "{} annotations not in the {} layer: CoNLL holds one layer at a time (choose it with --kind)",
                other.name(),
                kind.name()
            );
            report.record_many(&what, count, &document.id);
        }
    }
    layer.sort_by_key(|annotation| {
        let extent = annotation.extent().unwrap_or_default();
        (extent.start, std::cmp::Reverse(extent.end))
    });
    layer
}

/// The range of tokens that share at least one code point with `span`, none of which comes
/// before token `floor`.
fn tokens_overlapping(tokens: &[Span], span: Span, floor: usize) -> std::ops::Range<usize> {
    let first = floor + partition_point_near(tokens.get(floor..).unwrap_or_default(), |token| token.end <= span.start);
    let last = first + partition_point_near(&tokens[first..], |token| token.start < span.end);
    first..last
}

/// [`slice::partition_point`] for an answer expected near the start: a search that doubles its
/// step and then bisects the last one costs the logarithm of the answer, not of the length. The
/// tags of a layer come in text order and are a few tokens long, so each is found from the last.
fn partition_point_near<T>(items: &[T], before: impl Fn(&T) -> bool) -> usize {
    let mut end = 1;
    while end < items.len() && before(&items[end - 1]) {
        end *= 2;
    }
    let start = end / 2;
    let end = end.min(items.len());
    start + items[start..end].partition_point(before)
}

/// The token spans of a document, grouped in sentences.
///
/// A line break always ends a sentence. Within a line, a sentence ends after a token `.`, `!`, `?`
/// or `…` (and the closing quotes and brackets right after it) when the next token starts with a
/// capital letter, a digit or an opening quote or bracket: `Kabul fell. The Taliban…` splits,
/// `U.S.-led` and `e.g. the` do not. (A rule-based splitter like spaCy's `sentencizer`; an
/// abbreviation before a capitalized word, as in `Mr. Khan`, splits too.)
pub fn sentences(document: &Document) -> Vec<Vec<Span>> {
    let tokens = TextTokens::of(document);
    tokens.sentences.iter().map(|sentence| tokens.spans[sentence.clone()].to_vec()).collect()
}

/// The token spans of a document, in order: those of [`sentences`], without the grouping.
pub fn tokens(document: &Document) -> Vec<Span> {
    let mut tokens = Vec::with_capacity(expected_tokens(document));
    document.text.push_token_spans(&mut tokens);
    tokens
}

/// About how many tokens a document's text holds, a little more for news (five bytes a token),
/// so that collecting them rarely grows a vector.
fn expected_tokens(document: &Document) -> usize {
    document.text.as_str().len() / 4
}

/// The tokens of a document: their code points and bytes, and the ranges of them that make
/// sentences (see [`sentences`]).
struct TextTokens {
    spans: Vec<Span>,
    bytes: Vec<std::ops::Range<usize>>,
    sentences: Vec<std::ops::Range<usize>>,
}

impl TextTokens {
    fn of(document: &Document) -> Self {
        let text = document.text.as_str();
        let capacity = expected_tokens(document);
        let mut tokens = TextTokens { spans: Vec::with_capacity(capacity), bytes: Vec::with_capacity(capacity), sentences: Vec::new() };
        for paragraph in document.text.paragraphs() {
            let first = tokens.spans.len();
            document.text.for_each_token_of(paragraph, |span, token| {
                tokens.spans.push(span);
                tokens.bytes.push(paragraph.bytes.start + token.bytes.start..paragraph.bytes.start + token.bytes.end);
            });
            let last = tokens.spans.len();
            let text_of = |index: usize| tokens.bytes.get(index).and_then(|bytes| text.get(bytes.clone())).unwrap_or_default();
            let mut start = first;
            let mut index = first;
            while index < last {
                if is_sentence_end(text_of(index)) {
                    let mut end = index + 1;
                    while end < last && is_closing(text_of(end)) {
                        end += 1;
                    }
                    if end < last && starts_a_sentence(text_of(end)) {
                        tokens.sentences.push(start..end);
                        start = end;
                    }
                    index = end;
                } else {
                    index += 1;
                }
            }
            if start < last {
                tokens.sentences.push(start..last);
            }
        }
        tokens
    }
}

fn is_sentence_end(token: &str) -> bool {
    matches!(token, "." | "!" | "?" | "…")
}

fn is_closing(token: &str) -> bool {
    matches!(token, "”" | "’" | "\"" | "'" | ")" | "]" | "}" | "»")
}

fn starts_a_sentence(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|first| first.is_uppercase() || first.is_ascii_digit() || matches!(first, '“' | '‘' | '"' | '\'' | '(' | '[' | '«'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::ops;
    use crate::io::testing::{assert_golden, sample_project, tricky_project};
    use crate::io::{MemorySink, NoProgress};

    proptest::proptest! {
        /// The search from near the start finds what a plain bisection finds.
        #[test]
        fn a_search_near_the_start_finds_the_partition_point(length in 0usize..300, point in 0usize..300) {
            let items: Vec<usize> = (0..length).collect();
            proptest::prop_assert_eq!(partition_point_near(&items, |&item| item < point), items.partition_point(|&item| item < point));
        }
    }

    fn exported(project: &Project, kind: Kind) -> (String, LossReport) {
        let mut sink = MemorySink::default();
        let report = export(project, kind, &mut sink, &mut NoProgress).expect("export");
        (sink.text(""), report)
    }

    #[test]
    fn sample_layers_match_the_golden_files() {
        let project = sample_project();
        for kind in [Kind::Entity, Kind::Claim, Kind::Sentiment] {
            let (text, _) = exported(&project, kind);
            assert_golden(&format!("conll/sample.{}.conll", kind.name()), text.as_bytes());
        }
    }

    #[test]
    fn sample_entity_losses_are_reported() {
        let (_, report) = exported(&sample_project(), Kind::Entity);
        // The country inside "Pakistan’s Foreign Ministry" and the one inside "Anti-Pakistan" are
        // nested in other tags or tokens.
        let overlapping = "overlapping entity tags dropped: IOB2 holds one tag per token (the earlier, longer one is kept)";
        assert_eq!(report.count(overlapping), 1, "{report}");
        let other_layers: usize = ["claim", "sentiment", "document"]
            .iter()
            .map(|kind| {
                report
                    .count(&format!("{kind} annotations not in the entity layer: CoNLL holds one layer at a time (choose it with --kind)"))
            })
            .sum();
        assert_eq!(other_layers, 24);
        let (claims, report) = exported(&sample_project(), Kind::Claim);
        assert_eq!(report.count("discontinuous tags written as one chunk per fragment"), 1);
        assert!(claims.contains("voice\tI-CLAIM\n,\tO\n”\tO\nRana\tO\nsaid\tO\n,\tO\n“\tO\nwill\tB-CLAIM\n"), "two chunks");
    }

    #[test]
    fn tricky_layers_match_the_golden_files() {
        let project = tricky_project();
        for kind in [Kind::Entity, Kind::Claim] {
            let (text, report) = exported(&project, kind);
            assert_golden(&format!("conll/tricky.{}.conll", kind.name()), text.as_bytes());
            if kind == Kind::Claim {
                // The discontinuous claim shares a token with the claim that crosses the line break.
                let overlapping = "overlapping claim tags dropped: IOB2 holds one tag per token (the earlier, longer one is kept)";
                assert_eq!(report.count(overlapping), 1, "{report}");
            }
        }
    }

    #[test]
    fn every_line_is_a_token_and_a_tag() {
        let (text, _) = exported(&tricky_project(), Kind::Entity);
        for line in text.lines().filter(|line| !line.is_empty()) {
            let (token, tag) = line.split_once('\t').expect("token<TAB>tag");
            assert!(!token.is_empty() && !token.contains(char::is_whitespace), "{line:?}");
            assert!(tag == "O" || tag.starts_with("B-") || tag.starts_with("I-"), "{line:?}");
        }
        assert!(text.contains("👩‍👩‍👧\tB-NORP\nfamily\tI-NORP\n"), "the ZWJ family is one token:\n{text}");
        assert!(text.contains("Zabihullah\tB-PER\nMujahid\tI-PER\n"), "the no-break space separates tokens");
    }

    #[test]
    fn iob2_never_starts_a_chunk_with_i() {
        let (text, _) = exported(&sample_project(), Kind::Entity);
        let mut previous = "O".to_owned();
        for line in text.lines() {
            let tag = line.split_once('\t').map_or("O", |(_, tag)| tag);
            if let Some(label) = tag.strip_prefix("I-") {
                assert!(previous == format!("B-{label}") || previous == format!("I-{label}"), "{previous} then {tag}");
            }
            previous = tag.to_owned();
        }
    }

    #[test]
    fn partial_tokens_are_widened_and_sentences_split() {
        let mut project = Project::from_text("t", "Islamabad worries. Kabul agreed.\nNew line here");
        let document_id = project.documents[0].id.clone();
        let (transaction, _) = ops::tag(&project, &document_id, "LOC", vec![Span::new(2, 7)], "t").expect("tag");
        transaction.apply(&mut project).expect("valid");
        let (text, report) = exported(&project, Kind::Entity);
        assert_eq!(
            text,
            "-DOCSTART-\tO\n\nIslamabad\tB-LOC\nworries\tO\n.\tO\n\nKabul\tO\nagreed\tO\n.\tO\n\nNew\tO\nline\tO\nhere\tO\n\n"
        );
        assert_eq!(report.count("tag boundaries inside a token widened to the whole token"), 1);
    }

    #[test]
    fn sentences_split_at_final_punctuation_before_a_capital() {
        let document = crate::model::Document::new(
            "t",
            "The U.S.-led talks, e.g. in Doha, failed. “Nothing,” he said. Was it 2021? 48 hours later… “Yes.” (Maybe.) end\nNew line",
        );
        let sentences: Vec<String> = sentences(&document)
            .iter()
            .map(|sentence| sentence.iter().map(|span| document.text.slice(*span)).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            sentences,
            [
                "The U.S . - led talks , e.g . in Doha , failed .",
                "“ Nothing , ” he said .",
                "Was it 2021 ?",
                "48 hours later …",
                "“ Yes . ”",
                "( Maybe . ) end",
                "New line",
            ]
        );
    }

    #[test]
    fn token_tags_give_bare_labels_for_agreement() {
        let project = tricky_project();
        let sentences = tag_sentences(&project.documents[1], Kind::Entity, &mut LossReport::default());
        let labels: Vec<Option<&str>> = sentences.iter().flatten().map(|tag| tag.label).collect();
        assert_eq!(labels, [Some("PER"), Some("PER"), None, None, None]);
    }
}

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
//! - **Sentences** are the UAX #29 sentences of each line; a line break always ends a sentence.
//! - **One layer at a time**: only annotations of the chosen kind are written (entities by
//!   default); the others are counted in the loss report.
//! - **Overlaps**: IOB2 holds one tag per token. Tags are taken by start, the longer first at the
//!   same start; a tag that would share a token with one already taken is dropped whole and counted.
//!   So of nested entities the outer one is kept.
//! - A tag that starts or ends inside a token covers the whole token (counted); a discontinuous
//!   tag becomes one chunk per fragment (counted); attributes, relations and notes are not written
//!   (counted).

use unicode_segmentation::UnicodeSegmentation;

use super::convert::{ExportError, Progress, for_each_document, write_stream};
use super::report::{LossReport, place};
use super::sink::ExportSink;
use crate::model::{Annotation, Document, Kind, Project, Span};

/// The tag of one token: the label of the tag covering it, if any, and whether the token begins
/// a chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenTag {
    /// The token's code-point range.
    pub span: Span,
    /// The label covering the token, or `None` outside every tag (`O`).
    pub label: Option<String>,
    /// Whether the token is the first of a fragment (`B-`) rather than inside one (`I-`).
    pub begins: bool,
}

impl TokenTag {
    /// The IOB2 tag: `O`, `B-LABEL` or `I-LABEL`.
    pub fn iob2(&self) -> String {
        match &self.label {
            None => "O".to_owned(),
            Some(label) if self.begins => format!("B-{label}"),
            Some(label) => format!("I-{label}"),
        }
    }
}

/// Writes the `kind` layer of every document.
pub fn export(project: &Project, kind: Kind, sink: &mut dyn ExportSink, progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    let mut report = LossReport::default();
    write_stream(sink, "", |out| {
        for_each_document(project, progress, |_, document| {
            out.write_all(b"-DOCSTART-\tO\n\n")?;
            for sentence in tag_sentences(document, kind, &mut report) {
                for token in &sentence {
                    writeln!(out, "{}\t{}", document.text.slice(token.span), token.iob2())?;
                }
                out.write_all(b"\n")?;
            }
            Ok(())
        })
    })?;
    Ok(report)
}

/// The tokens of a document, sentence by sentence, tagged with the `kind` layer; what cannot be
/// expressed goes into `report`. Token-level agreement uses the same tokens and tags.
pub fn tag_sentences(document: &Document, kind: Kind, report: &mut LossReport) -> Vec<Vec<TokenTag>> {
    let sentences = sentences(document);
    let tokens: Vec<Span> = sentences.iter().flatten().copied().collect();
    let mut owner: Vec<Option<usize>> = vec![None; tokens.len()];
    let mut begins = vec![false; tokens.len()];
    let layer = layer_annotations(document, kind, report);
    for (index, annotation) in layer.iter().enumerate() {
        let covered: Vec<Vec<usize>> = annotation.fragments.iter().map(|fragment| tokens_overlapping(&tokens, *fragment)).collect();
        if covered.iter().all(Vec::is_empty) {
            report.record(format!("{} tags covering no token dropped", kind.name()), place(document, annotation));
            continue;
        }
        if covered.iter().flatten().any(|&token| owner[token].is_some()) {
            report.record(
                format!("overlapping {} tags dropped: IOB2 holds one tag per token (the earlier, longer one is kept)", kind.name()),
                place(document, annotation),
            );
            continue;
        }
        for (fragment, fragment_tokens) in annotation.fragments.iter().zip(&covered) {
            let (Some(&first), Some(&last)) = (fragment_tokens.first(), fragment_tokens.last()) else { continue };
            if tokens[first].start != fragment.start || tokens[last].end != fragment.end {
                report.record("tag boundaries inside a token widened to the whole token", place(document, annotation));
            }
            begins[first] = true;
            for &token in fragment_tokens {
                owner[token] = Some(index);
            }
        }
        if annotation.fragments.len() > 1 {
            report.record("discontinuous tags written as one chunk per fragment", place(document, annotation));
        }
    }
    let mut next = 0;
    sentences
        .iter()
        .map(|sentence| {
            sentence
                .iter()
                .map(|&span| {
                    let tag = TokenTag {
                        span,
                        label: owner[next].and_then(|index| layer.get(index)).map(|annotation| annotation.label.clone()),
                        begins: begins[next],
                    };
                    next += 1;
                    tag
                })
                .collect()
        })
        .collect()
}

/// The annotations of the layer, in the order tags are taken (by start, longer first); counts the
/// others and what the layer's annotations lose.
fn layer_annotations<'d>(document: &'d Document, kind: Kind, report: &mut LossReport) -> Vec<&'d Annotation> {
    let mut layer = Vec::new();
    for annotation in &document.annotations {
        if annotation.kind != kind {
            report.record(
                format!(
                    "{} annotations not in the {} layer: CoNLL holds one layer at a time (choose it with --kind)",
                    annotation.kind.name(),
                    kind.name()
                ),
                place(document, annotation),
            );
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
    layer.sort_by_key(|annotation| {
        let extent = annotation.extent().unwrap_or_default();
        (extent.start, std::cmp::Reverse(extent.end))
    });
    layer
}

/// The indices of the tokens that share at least one code point with `span`.
fn tokens_overlapping(tokens: &[Span], span: Span) -> Vec<usize> {
    let first = tokens.partition_point(|token| token.end <= span.start);
    (first..tokens.len()).take_while(|&index| tokens[index].start < span.end).collect()
}

/// The token spans of a document, grouped in sentences: UAX #29 sentences within each line.
fn sentences(document: &Document) -> Vec<Vec<Span>> {
    let text = document.text.as_str();
    let mut sentences = Vec::new();
    for paragraph in document.text.paragraphs() {
        let tokens = document.text.paragraph_tokens(paragraph);
        if tokens.is_empty() {
            continue;
        }
        let line = text.get(paragraph.bytes.clone()).unwrap_or_default();
        let sentence_starts: Vec<usize> =
            line.split_sentence_bound_indices().skip(1).map(|(byte, _)| document.text.byte_to_char(paragraph.bytes.start + byte)).collect();
        let mut current = Vec::new();
        let mut boundary = sentence_starts.iter().peekable();
        for (span, _) in tokens {
            while boundary.next_if(|&&start| start <= span.start).is_some() {
                if !current.is_empty() {
                    sentences.push(std::mem::take(&mut current));
                }
            }
            current.push(span);
        }
        if !current.is_empty() {
            sentences.push(current);
        }
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::ops;
    use crate::io::testing::{assert_golden, sample_project, tricky_project};
    use crate::io::{MemorySink, NoProgress};

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
    fn token_tags_give_bare_labels_for_agreement() {
        let project = tricky_project();
        let sentences = tag_sentences(&project.documents[1], Kind::Entity, &mut LossReport::default());
        let labels: Vec<Option<&str>> = sentences.iter().flatten().map(|tag| tag.label.as_deref()).collect();
        assert_eq!(labels, [Some("PER"), Some("PER"), None, None, None]);
    }
}

//! W3C Web Annotation export: the whole project as one JSON-LD `AnnotationCollection`
//! (<https://www.w3.org/TR/annotation-model/>), written with the terms of the Web Annotation
//! context `http://www.w3.org/ns/anno.jsonld` and no others.
//!
//! # Mapping
//!
//! - The project is an `AnnotationCollection` labelled with its title, with one `AnnotationPage`
//!   (`first`) holding every item. Its id is `urn:gloss:project:<slug>`, the slug of the title
//!   (ASCII letters, digits and dashes; `untitled` when the title has none), so exporting the same
//!   project again gives the same id.
//! - Each Gloss annotation is an `Annotation` with id `urn:gloss:<document id>:<annotation id>`,
//!   `creator` (a `Person` named by the author), `created` and `modified` (RFC 3339). Its
//!   `motivation` is `tagging` for entities and `classifying` for claims, sentiments and
//!   document labels.
//! - Its `body` is a list of `TextualBody`s: the label name (purpose `tagging`); one per attribute
//!   (purpose `classifying`, value `name: value`, in name order); one per relation to an implicit
//!   participant (purpose `describing`, value `claimant: unnamed source`); for an accepted
//!   pre-annotation suggestion, the rule that suggested it (purpose `describing`, value
//!   `suggested by gazetteer “places”`); the note (purpose
//!   `commenting`); and each comment of its discussion thread (purpose `commenting`, with the
//!   comment's `creator` and `created`).
//! - A comment on a whole document is an `Annotation` of its own, motivation `commenting`, id
//!   `urn:gloss:<document id>:comment-<n>`, targeting the text itself.
//! - Its `target` is a list with one `SpecificResource` per fragment, so a discontinuous claim
//!   has several targets. Each names the text by its hash, `urn:gloss:document:<sha256>`, so any
//!   copy of the text matches, and selects the fragment twice: a `TextPositionSelector` whose
//!   `start` and `end` count **Unicode code points** (as the Web Annotation model counts
//!   characters, and as Gloss does), and a `TextQuoteSelector` with the `exact` text and up to
//!   32 code points of `prefix` and `suffix`. Context is shortened rather than cut inside an
//!   extended grapheme cluster (a flag, a skin-toned or ZWJ emoji stays whole or is left out);
//!   empty context is omitted. A document label targets the text itself, without a selector.
//! - A relation to another annotation becomes its own `Annotation`, motivation `linking`, id
//!   `urn:gloss:<document id>:<annotation id>:<role>`, with a `tagging` body naming the role and
//!   two targets: the annotation that has the relation, then the one that plays the role. It
//!   follows its annotation in the page.
//!
//! Identifiers are percent-encoded into the `urn:gloss:` IRIs when they hold anything but ASCII
//! letters, digits and `-._~`.
//!
//! # Losses
//!
//! The texts themselves, document titles and statuses are not embedded (targets name the texts by
//! hash), and the format an annotation was imported from has no Web Annotation term; the loss
//! report lists both. The project's description and label schema are not exported either.

use std::iter;

use jiff::Timestamp;
use serde::Serialize;
use unicode_segmentation::GraphemeCursor;

use super::convert::{ExportError, Progress, for_each_document};
use super::report::{LossReport, place};
use super::sink::{ExportSink, slugify};
use crate::model::{Annotation, AnnotationId, Comment, Document, Kind, Project, Provenance, RelationTarget, Span};

/// The JSON-LD context of the Web Annotation vocabulary.
const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The most code points a `TextQuoteSelector` quotes before and after its text.
const CONTEXT_CHARS: usize = 32;

/// Loss report entry for each document.
const TEXTS_NOT_EMBEDDED: &str = "document texts, titles and statuses are not embedded: targets name each text by its SHA-256";

/// Loss report entry for each imported annotation.
const PROVENANCE_DROPPED: &str = "the format an annotation was imported from is dropped: Web Annotation has no term for it";

/// Writes the project as one JSON-LD `AnnotationCollection` (the main output).
pub fn export(project: &Project, sink: &mut dyn ExportSink, progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    let mut report = LossReport::default();
    let mut items = Vec::new();
    for_each_document(project, progress, |_, document| {
        report.record(TEXTS_NOT_EMBEDDED, &document.id);
        for annotation in &document.annotations {
            if let Provenance::Imported { .. } = annotation.provenance {
                report.record(PROVENANCE_DROPPED, place(document, annotation));
            }
            items.push(WebAnnotation::of(document, annotation));
            items.extend(links(document, annotation));
        }
        for (index, comment) in document.comments.iter().enumerate() {
            items.push(WebAnnotation::document_comment(document, index, comment));
        }
        Ok(())
    })?;
    let collection = Collection::new(project, items);
    sink.write_file("", &mut |writer| {
        serde_json::to_writer_pretty(&mut *writer, &collection)?;
        writer.write_all(b"\n")
    })?;
    Ok(report)
}

/// An `AnnotationCollection` with all its items on one page.
#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'a str,
    total: usize,
    first: Page,
}

impl<'a> Collection<'a> {
    fn new(project: &'a Project, items: Vec<WebAnnotation>) -> Self {
        let slug = slugify(&project.metadata.title, 48);
        let id = format!("urn:gloss:project:{}", if slug.is_empty() { "untitled" } else { &slug });
        Self {
            context: CONTEXT,
            kind: "AnnotationCollection",
            label: &project.metadata.title,
            total: items.len(),
            first: Page { id: format!("{id}:page-1"), kind: "AnnotationPage", start_index: 0, items },
            id,
        }
    }
}

/// An `AnnotationPage`.
#[derive(Serialize)]
struct Page {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<WebAnnotation>,
}

/// One `Annotation` of the collection.
#[derive(Serialize)]
struct WebAnnotation {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Creator>,
    created: Timestamp,
    modified: Timestamp,
    body: Vec<TextualBody>,
    target: Vec<Target>,
}

impl WebAnnotation {
    /// The Web Annotation of a Gloss annotation (without its links).
    fn of(document: &Document, annotation: &Annotation) -> Self {
        let motivation = match annotation.kind {
            Kind::Entity => "tagging",
            Kind::Claim | Kind::Sentiment | Kind::Document => "classifying",
        };
        Self::new(annotation, annotation_iri(document, &annotation.id), motivation, bodies(annotation), targets(document, annotation))
    }

    /// A comment on a whole document: a `commenting` annotation of the text itself, with id
    /// `urn:gloss:<document id>:comment-<n>`.
    fn document_comment(document: &Document, index: usize, comment: &Comment) -> Self {
        Self {
            id: format!("urn:gloss:{}:comment-{}", iri_segment(&document.id.0), index + 1),
            kind: "Annotation",
            motivation: "commenting",
            creator: Some(Creator { kind: "Person", name: comment.author.clone() }),
            created: comment.time,
            modified: comment.time,
            body: vec![TextualBody::new("commenting", comment.text.clone())],
            target: vec![Target::Iri(format!("urn:gloss:document:{}", document.sha256))],
        }
    }

    /// An annotation credited to the author of `annotation`, with its times.
    fn new(annotation: &Annotation, id: String, motivation: &'static str, body: Vec<TextualBody>, target: Vec<Target>) -> Self {
        let creator = (!annotation.author.is_empty()).then(|| Creator { kind: "Person", name: annotation.author.clone() });
        Self { id, kind: "Annotation", motivation, creator, created: annotation.created, modified: annotation.modified, body, target }
    }
}

/// The `Person` who made an annotation.
#[derive(Serialize)]
struct Creator {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
}

/// A `TextualBody` with its purpose; a comment also names who wrote it and when.
#[derive(Serialize)]
struct TextualBody {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Creator>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<Timestamp>,
}

impl TextualBody {
    fn new(purpose: &'static str, value: String) -> Self {
        Self { kind: "TextualBody", purpose, value, creator: None, created: None }
    }

    /// A `commenting` body for a comment of a discussion thread.
    fn comment(comment: &Comment) -> Self {
        Self {
            creator: Some(Creator { kind: "Person", name: comment.author.clone() }),
            created: Some(comment.time),
            ..Self::new("commenting", comment.text.clone())
        }
    }
}

/// What an annotation targets: a whole resource by IRI, or a part of a text.
#[derive(Serialize)]
#[serde(untagged)]
enum Target {
    Iri(String),
    Fragment(SpecificResource),
}

/// A part of a text, selected by position and by quote.
#[derive(Serialize)]
struct SpecificResource {
    #[serde(rename = "type")]
    kind: &'static str,
    source: String,
    selector: [Selector; 2],
}

/// The two ways a fragment is selected; each names the same code points.
#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector {
    TextPositionSelector {
        start: usize,
        end: usize,
    },
    TextQuoteSelector {
        exact: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        prefix: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        suffix: String,
    },
}

/// The label, attributes, implicit relation targets, pre-annotation rule, note and comments of an
/// annotation, as bodies.
fn bodies(annotation: &Annotation) -> Vec<TextualBody> {
    let label = TextualBody::new("tagging", annotation.label.clone());
    let attributes = annotation.attributes.iter().map(|(name, value)| TextualBody::new("classifying", format!("{name}: {value}")));
    let implicit = annotation.relations.iter().filter_map(|relation| match &relation.target {
        RelationTarget::Implicit(who) => Some(TextualBody::new("describing", format!("{}: {who}", relation.role))),
        RelationTarget::Annotation(_) => None,
    });
    let suggested = match &annotation.provenance {
        Provenance::Suggested { source } => Some(TextualBody::new("describing", format!("suggested by {source}"))),
        Provenance::Manual | Provenance::Imported { .. } | Provenance::Adjudicated { .. } => None,
    };
    let note = (!annotation.note.is_empty()).then(|| TextualBody::new("commenting", annotation.note.clone()));
    let comments = annotation.comments.iter().map(TextualBody::comment);
    iter::once(label).chain(attributes).chain(implicit).chain(suggested).chain(note).chain(comments).collect()
}

/// One target per fragment; the text itself for a document label.
fn targets(document: &Document, annotation: &Annotation) -> Vec<Target> {
    let source = format!("urn:gloss:document:{}", document.sha256);
    if annotation.fragments.is_empty() {
        return vec![Target::Iri(source)];
    }
    annotation
        .fragments
        .iter()
        .map(|&fragment| {
            Target::Fragment(SpecificResource { kind: "SpecificResource", source: source.clone(), selector: selectors(document, fragment) })
        })
        .collect()
}

/// The position and quote selectors of `fragment`.
fn selectors(document: &Document, fragment: Span) -> [Selector; 2] {
    let text = document.text.as_str();
    let bytes = document.text.byte_range(fragment);
    [
        Selector::TextPositionSelector { start: fragment.start, end: fragment.end },
        Selector::TextQuoteSelector {
            exact: document.text.slice(fragment).to_owned(),
            prefix: context_before(text, bytes.start).to_owned(),
            suffix: context_after(text, bytes.end).to_owned(),
        },
    ]
}

/// The `linking` annotations of the relations of `annotation` to other annotations.
fn links<'a>(document: &'a Document, annotation: &'a Annotation) -> impl Iterator<Item = WebAnnotation> + 'a {
    annotation.relations.iter().filter_map(move |relation| {
        let RelationTarget::Annotation(target_id) = &relation.target else {
            return None;
        };
        let source = annotation_iri(document, &annotation.id);
        let id = format!("{source}:{}", iri_segment(&relation.role));
        let body = vec![TextualBody::new("tagging", relation.role.clone())];
        let target = vec![Target::Iri(source), Target::Iri(annotation_iri(document, target_id))];
        Some(WebAnnotation::new(annotation, id, "linking", body, target))
    })
}

/// `urn:gloss:<document id>:<annotation id>`.
fn annotation_iri(document: &Document, annotation_id: &AnnotationId) -> String {
    format!("urn:gloss:{}:{}", iri_segment(&document.id.0), iri_segment(annotation_id.as_str()))
}

/// `text` as one segment of a `urn:gloss:` IRI: bytes other than ASCII letters, digits and
/// `-._~` are percent-encoded, so `:` can separate segments.
fn iri_segment(text: &str) -> String {
    let mut segment = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            segment.push(char::from(byte));
        } else {
            segment.push_str(&format!("%{byte:02X}"));
        }
    }
    segment
}

/// Up to [`CONTEXT_CHARS`] code points of `text` just before byte offset `start`, beginning on a
/// grapheme cluster boundary.
///
/// ```text
/// …family 👩‍👩‍👧 in Kandahar   (the 32-code-point cut falls inside 👩‍👩‍👧)
/// prefix: " in Kandahar", not "👧 in Kandahar"
/// ```
fn context_before(text: &str, start: usize) -> &str {
    let before = text.get(..start).unwrap_or_default();
    let begin = before
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .map(|(byte, _)| byte)
        .filter(|&byte| is_grapheme_boundary(text, byte))
        .last()
        .unwrap_or(start);
    text.get(begin..start).unwrap_or_default()
}

/// Up to [`CONTEXT_CHARS`] code points of `text` just after byte offset `end`, ending on a
/// grapheme cluster boundary.
fn context_after(text: &str, end: usize) -> &str {
    let after = text.get(end..).unwrap_or_default();
    let stop = after
        .char_indices()
        .take(CONTEXT_CHARS)
        .map(|(byte, character)| end + byte + character.len_utf8())
        .filter(|&byte| is_grapheme_boundary(text, byte))
        .last()
        .unwrap_or(end);
    text.get(end..stop).unwrap_or_default()
}

/// Whether byte offset `byte` of `text` lies between two extended grapheme clusters.
fn is_grapheme_boundary(text: &str, byte: usize) -> bool {
    // With the whole text as the only chunk the cursor never asks for more context.
    GraphemeCursor::new(byte, text.len(), true).is_boundary(text, 0).unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use serde_json::Value;

    use super::*;
    use crate::io::testing::{assert_golden, sample_project, tricky_project};
    use crate::io::{MemorySink, NoProgress};

    /// `project` with ids `a01`, `a02`, … in document order and one fixed time on every
    /// annotation, so that exports of the tricky project (random ids, made now) can be golden.
    fn exported(project: &Project) -> (String, LossReport) {
        let mut sink = MemorySink::default();
        let report = export(project, &mut sink, &mut NoProgress).expect("export");
        assert_eq!(sink.files.keys().collect::<Vec<_>>(), [""], "one file, the main output");
        (sink.text(""), report)
    }

    fn items(json: &Value) -> &Vec<Value> {
        json["first"]["items"].as_array().expect("items")
    }

    fn text_of<'a>(project: &'a Project, source: &str) -> &'a str {
        let sha256 = source.strip_prefix("urn:gloss:document:").expect("a document IRI");
        project.documents.iter().find(|document| document.sha256 == sha256).expect("a document of the project").text.as_str()
    }

    #[test]
    fn sample_project_golden() {
        let (output, report) = exported(&sample_project());
        assert_golden("w3c/sample.jsonld", output.as_bytes());
        assert_eq!(report.count(TEXTS_NOT_EMBEDDED), 1);
        assert_eq!(report.entries().count(), 1, "{report}");
    }

    #[test]
    fn tricky_project_golden() {
        let (output, report) = exported(&tricky_project());
        assert_golden("w3c/tricky.jsonld", output.as_bytes());
        assert_eq!(report.count(TEXTS_NOT_EMBEDDED), 2);
        assert_eq!(report.entries().count(), 1, "{report}");
    }

    #[test]
    fn the_collection_counts_annotations_and_links() {
        let project = tricky_project();
        let json: Value = serde_json::from_str(&exported(&project).0).expect("JSON");
        let relations_to_annotations = project
            .documents
            .iter()
            .flat_map(|document| &document.annotations)
            .flat_map(|annotation| &annotation.relations)
            .filter(|relation| matches!(relation.target, RelationTarget::Annotation(_)))
            .count();
        assert_eq!(relations_to_annotations, 4);
        let document_comments: usize = project.documents.iter().map(|document| document.comments.len()).sum();
        assert_eq!(document_comments, 1);
        let total = project.annotation_count() + relations_to_annotations + document_comments;
        assert_eq!(json["total"], total);
        assert_eq!(items(&json).len(), total);
        assert_eq!(json["@context"], CONTEXT);
        assert_eq!(json["id"], "urn:gloss:project:tricky");
    }

    #[test]
    fn every_selector_quotes_the_code_points_it_names() {
        for project in [sample_project(), tricky_project()] {
            let json: Value = serde_json::from_str(&exported(&project).0).expect("JSON");
            let mut checked = 0;
            for target in items(&json).iter().flat_map(|item| item["target"].as_array().expect("targets")) {
                let Some(selectors) = target["selector"].as_array() else { continue };
                let characters: Vec<char> = text_of(&project, target["source"].as_str().expect("source")).chars().collect();
                let [position, quote] = selectors.as_slice() else { panic!("two selectors: {target}") };
                assert_eq!((&position["type"], &quote["type"]), (&Value::from("TextPositionSelector"), &Value::from("TextQuoteSelector")));
                let start = usize::try_from(position["start"].as_u64().expect("start")).expect("fits");
                let end = usize::try_from(position["end"].as_u64().expect("end")).expect("fits");
                let string = |range: &[char]| range.iter().collect::<String>();
                assert_eq!(quote["exact"], string(&characters[start..end]));
                let prefix: Vec<char> = quote["prefix"].as_str().unwrap_or_default().chars().collect();
                let suffix: Vec<char> = quote["suffix"].as_str().unwrap_or_default().chars().collect();
                assert!(prefix.len() <= CONTEXT_CHARS && suffix.len() <= CONTEXT_CHARS);
                assert_eq!(prefix, characters[start - prefix.len()..start], "prefix of {quote}");
                assert_eq!(suffix, characters[end..end + suffix.len()], "suffix of {quote}");
                checked += 1;
            }
            let fragments: usize = project.documents.iter().flat_map(|d| &d.annotations).map(|a| a.fragments.len()).sum();
            assert_eq!(checked, fragments, "one selected target per fragment");
        }
    }

    #[test]
    fn discontinuous_claims_have_a_target_per_fragment_and_document_labels_target_the_text() {
        let project = tricky_project();
        let document = &project.documents[0];
        let json: Value = serde_json::from_str(&exported(&project).0).expect("JSON");
        let item = |annotation: &Annotation| {
            items(&json).iter().find(|item| item["id"] == annotation_iri(document, &annotation.id)).expect("exported")
        };
        let split = document.annotations.iter().find(|a| a.fragments.len() == 2).expect("the discontinuous claim");
        let quotes: Vec<&Value> = item(split)["target"].as_array().expect("targets").iter().map(|t| &t["selector"][1]["exact"]).collect();
        assert_eq!(quotes, ["The 👩‍👩‍👧 family", "disagreed"]);
        let whole = document.annotations.iter().find(|a| a.kind == Kind::Document).expect("the document label");
        assert_eq!(item(whole)["target"], serde_json::json!([format!("urn:gloss:document:{}", document.sha256)]));
        assert_eq!(item(whole)["motivation"], "classifying");
        let bodies = &item(whole)["body"];
        assert_eq!(bodies[0], serde_json::json!({"type": "TextualBody", "purpose": "tagging", "value": "DOC_SENTIMENT"}));
        assert_eq!(bodies[1], serde_json::json!({"type": "TextualBody", "purpose": "classifying", "value": "polarity: mixed"}));
    }

    #[test]
    fn links_join_annotations_of_the_collection_and_implicit_claimants_describe_the_claim() {
        let project = tricky_project();
        let json: Value = serde_json::from_str(&exported(&project).0).expect("JSON");
        let ids: HashSet<&str> = items(&json).iter().map(|item| item["id"].as_str().expect("id")).collect();
        let links: Vec<&Value> = items(&json).iter().filter(|item| item["motivation"] == "linking").collect();
        assert_eq!(links.len(), 4);
        for link in &links {
            let targets: Vec<&str> = link["target"].as_array().expect("targets").iter().map(|t| t.as_str().expect("an IRI")).collect();
            assert_eq!(targets.len(), 2);
            assert!(targets.iter().all(|target| ids.contains(target)), "{link}");
            assert!(link["id"].as_str().expect("id").starts_with(targets[0]), "a link is named after its annotation: {link}");
        }
        let roles: BTreeSet<&str> = links.iter().map(|link| link["body"][0]["value"].as_str().expect("role")).collect();
        assert_eq!(roles, BTreeSet::from(["claimant", "holder", "target"]));
        let described: Vec<&Value> = items(&json)
            .iter()
            .flat_map(|item| item["body"].as_array().expect("bodies"))
            .filter(|b| b["purpose"] == "describing")
            .collect();
        assert_eq!(described, [&serde_json::json!({"type": "TextualBody", "purpose": "describing", "value": "claimant: unnamed source"})]);
    }

    #[test]
    fn only_terms_of_the_web_annotation_context_are_used() {
        let context: Value = serde_json::from_str(include_str!("../../tests/golden/w3c/anno.jsonld")).expect("the context parses");
        let terms: HashSet<&str> = context["@context"].as_object().expect("terms").keys().map(String::as_str).collect();
        fn check(value: &Value, terms: &HashSet<&str>) {
            match value {
                Value::Object(object) => {
                    for (key, inner) in object {
                        assert!(key == "@context" || terms.contains(key.as_str()), "{key:?} is not a Web Annotation term");
                        if ["type", "motivation", "purpose"].contains(&key.as_str()) {
                            let name = inner.as_str().expect("a term");
                            assert!(terms.contains(name), "{name:?} is not a Web Annotation term");
                        }
                        check(inner, terms);
                    }
                }
                Value::Array(values) => values.iter().for_each(|inner| check(inner, terms)),
                _ => {}
            }
        }
        for project in [sample_project(), tricky_project()] {
            check(&serde_json::from_str(&exported(&project).0).expect("JSON"), &terms);
        }
    }

    #[test]
    fn quoted_context_never_splits_a_grapheme_cluster() {
        let family = "👩\u{200d}👩\u{200d}👧";
        let text = format!("{family}{}[x]{}{family}", "a".repeat(30), "b".repeat(30));
        let start = text.find('[').expect("[");
        let end = text.find(']').expect("]") + 1;
        // The 32 code points before "[" end the family ("\u{200d}👧") and hold 30 a's; after "]" they
        // hold 30 b's and begin the family ("👩\u{200d}").
        assert_eq!(context_before(&text, start), "a".repeat(30));
        assert_eq!(context_after(&text, end), "b".repeat(30));
        let whole = format!("{family}{}", "a".repeat(20));
        assert_eq!(context_before(&whole, whole.len()), whole, "a cluster inside the window is kept whole");
        assert_eq!(context_before("abc", 0), "");
        assert_eq!(context_after("abc", 3), "");
    }

    #[test]
    fn identifiers_are_percent_encoded_into_iris() {
        assert_eq!(iri_segment("doc-fc5e28dc311e"), "doc-fc5e28dc311e");
        assert_eq!(iri_segment("T1 a:b/é"), "T1%20a%3Ab%2F%C3%A9");
    }

    #[test]
    fn imported_annotations_report_their_lost_provenance() {
        let mut project = tricky_project();
        for annotation in &mut project.documents[1].annotations {
            annotation.provenance = Provenance::Imported { format: "brat".into() };
        }
        let (_, report) = exported(&project);
        assert_eq!(report.count(PROVENANCE_DROPPED), 1);
    }

    #[test]
    fn accepted_suggestions_name_their_rule_and_pending_ones_are_left_out() {
        let project = crate::io::testing::suggested_project();
        let (output, report) = exported(&project);
        assert_golden("w3c/suggested.jsonld", output.as_bytes());
        assert_eq!(report.count(PROVENANCE_DROPPED), 0);
        let json: Value = serde_json::from_str(&output).expect("json");
        assert_eq!(items(&json).len(), 2, "two accepted suggestions; the pending and the rejected one are not annotations");
        let describing: Vec<&str> = items(&json)
            .iter()
            .flat_map(|item| item["body"].as_array().expect("bodies"))
            .filter(|body| body["purpose"] == "describing")
            .filter_map(|body| body["value"].as_str())
            .collect();
        assert_eq!(describing, ["suggested by rule “quotes”", "suggested by gazetteer “names”"]);
    }

    #[test]
    fn cancelling_stops_the_export_without_output() {
        let mut sink = MemorySink::default();
        assert!(matches!(export(&sample_project(), &mut sink, &mut crate::io::testing::CancelAtOnce), Err(ExportError::Cancelled)));
        assert!(sink.files.is_empty());
    }
}

//! JSON lines: one document per line, the form spaCy (`doc.char_span`), Prodigy and Hugging Face
//! `datasets` read.
//!
//! ```json
//! {"id": "doc-…", "title": "…", "text": "…",
//!  "spans": [{"id": "a1", "start": 178, "end": 186, "label": "LOC", "kind": "entity", "text": "Pakistan",
//!             "attributes": {}, "note": "", "comments": [], "author": "amira"}],
//!  "relations": [{"head": "a2", "child": "a1", "label": "claimant"},
//!                {"head": "a3", "child": null, "label": "claimant", "implicit": "unnamed source"}],
//!  "doc_labels": [{"id": "a4", "label": "DOC_SENTIMENT", "attributes": {"polarity": "negative"}, "note": "", "comments": [],
//!                  "author": "amira"}],
//!  "comments": [{"author": "rev", "time": "2026-11-26T10:00:00Z", "text": "Check the byline"}]}
//! ```
//!
//! - Offsets are Unicode code points, `[start, end)`: `text[start:end]` in Python is the span's
//!   `text`.
//! - A discontinuous annotation becomes one span per fragment, all sharing the annotation's `id`;
//!   the importer joins spans with the same id back into one annotation.
//! - A relation's `head` is the annotation that has the relation (a claim, a sentiment), `child`
//!   the one it points at (the claimant, the target, the holder); an implicit participant has
//!   `"child": null` and its name in `implicit`.
//! - An annotation not made by hand carries its `provenance` as in the project file, e.g.
//!   `{"method": "suggested", "source": {"gazetteer": "places"}}` for an accepted pre-annotation
//!   suggestion; the importer keeps it. Pending suggestions are not exported.
//! - Creation and modification times are not written (reported as lost).
//!
//! The importer also reads doccano's JSONL, both `{"text", "label": [[start, end, "LABEL"], ...]}`
//! and `{"text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": [...]}`.
//! doccano counts offsets in UTF-16 code units, as JavaScript does; they are converted to code
//! points, and an offset inside a surrogate pair is an error.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::convert::{
    ExportError, ImportError, ImportOptions, ImportedAnnotation, ImportedDocument, Progress, SourcePlace, input_files, read_utf8,
    without_bom, write_documents,
};
use super::json_writer::{push_array, push_attributes, push_serialized, push_string, push_usize};
use super::report::{LossReport, place};
use super::sink::ExportSink;
use crate::model::{Annotation, AnnotationId, Attributes, Comment, Document, Kind, Project, Provenance, Relation, RelationTarget, Span};
use crate::text::{DocumentText, Utf16Index};

/// One line of the export. Written lines borrow from the project (a corpus export would
/// otherwise copy every text, id and label once more); read lines own what they hold.
#[derive(Serialize, Deserialize)]
struct Line<'a> {
    id: Cow<'a, str>,
    title: Cow<'a, str>,
    text: Cow<'a, str>,
    spans: Vec<SpanRecord<'a>>,
    #[serde(default)]
    relations: Vec<RelationRecord>,
    #[serde(default)]
    doc_labels: Vec<DocLabelRecord>,
    #[serde(default)]
    comments: Cow<'a, [Comment]>,
}

#[derive(Serialize, Deserialize)]
struct SpanRecord<'a> {
    #[serde(default)]
    id: Option<Cow<'a, str>>,
    start: usize,
    end: usize,
    label: Cow<'a, str>,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    text: Option<Cow<'a, str>>,
    #[serde(default)]
    attributes: Cow<'a, Attributes>,
    #[serde(default)]
    note: Cow<'a, str>,
    #[serde(default)]
    comments: Cow<'a, [Comment]>,
    #[serde(default)]
    author: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provenance: Option<Provenance>,
}

#[derive(Serialize, Deserialize)]
struct RelationRecord {
    head: String,
    child: Option<String>,
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    implicit: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct DocLabelRecord {
    #[serde(default)]
    id: Option<String>,
    label: String,
    #[serde(default)]
    attributes: Attributes,
    #[serde(default)]
    note: String,
    #[serde(default)]
    comments: Vec<Comment>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provenance: Option<Provenance>,
}

/// Writes one line per document.
pub fn export(project: &Project, sink: &mut dyn ExportSink, progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    write_documents(project, sink, "", progress, |document, out, report| {
        if let Some(first) = document.annotations.first() {
            report.record_many("creation and modification times not written", document.annotations.len(), place(document, first));
        }
        push_line(out, document);
        out.push(b'\n');
        Ok(())
    })
}

/// Appends the line of `document`: the bytes `serde_json` writes for its [`Line`], written by
/// hand (see `json_writer`), as a corpus export writes a million spans.
fn push_line(out: &mut Vec<u8>, document: &Document) {
    out.extend_from_slice(b"{\"id\":");
    push_string(out, &document.id.0);
    out.extend_from_slice(b",\"title\":");
    push_string(out, &document.title);
    out.extend_from_slice(b",\"text\":");
    push_string(out, document.text.as_str());
    out.extend_from_slice(b",\"spans\":");
    let spans = document.annotations.iter().flat_map(|annotation| annotation.fragments.iter().map(move |fragment| (annotation, fragment)));
    push_array(out, spans, |out, (annotation, fragment)| {
        out.extend_from_slice(b"{\"id\":");
        push_string(out, annotation.id.as_str());
        out.extend_from_slice(b",\"start\":");
        push_usize(out, fragment.start);
        out.extend_from_slice(b",\"end\":");
        push_usize(out, fragment.end);
        out.extend_from_slice(b",\"label\":");
        push_string(out, &annotation.label);
        out.extend_from_slice(b",\"kind\":\"");
        out.extend_from_slice(annotation.kind.name().as_bytes());
        out.extend_from_slice(b"\",\"text\":");
        push_string(out, document.text.slice(*fragment));
        push_annotation_details(out, annotation);
    });
    out.extend_from_slice(b",\"relations\":");
    let relations =
        document.annotations.iter().flat_map(|annotation| annotation.relations.iter().map(move |relation| (annotation, relation)));
    push_array(out, relations, |out, (annotation, relation)| {
        out.extend_from_slice(b"{\"head\":");
        push_string(out, annotation.id.as_str());
        out.extend_from_slice(b",\"child\":");
        match &relation.target {
            RelationTarget::Annotation(id) => push_string(out, id.as_str()),
            RelationTarget::Implicit(_) => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"label\":");
        push_string(out, &relation.role);
        if let RelationTarget::Implicit(who) = &relation.target {
            out.extend_from_slice(b",\"implicit\":");
            push_string(out, who);
        }
        out.push(b'}');
    });
    out.extend_from_slice(b",\"doc_labels\":");
    let document_labels = document.annotations.iter().filter(|annotation| annotation.fragments.is_empty());
    push_array(out, document_labels, |out, annotation| {
        out.extend_from_slice(b"{\"id\":");
        push_string(out, annotation.id.as_str());
        out.extend_from_slice(b",\"label\":");
        push_string(out, &annotation.label);
        push_annotation_details(out, annotation);
    });
    out.extend_from_slice(b",\"comments\":");
    push_comments(out, &document.comments);
    out.push(b'}');
}

/// Appends what spans and document labels both end with: the annotation's attributes, note,
/// comments, author and provenance (when not made by hand), and the closing brace.
fn push_annotation_details(out: &mut Vec<u8>, annotation: &Annotation) {
    out.extend_from_slice(b",\"attributes\":");
    push_attributes(out, &annotation.attributes);
    out.extend_from_slice(b",\"note\":");
    push_string(out, &annotation.note);
    out.extend_from_slice(b",\"comments\":");
    push_comments(out, &annotation.comments);
    out.extend_from_slice(b",\"author\":");
    push_string(out, &annotation.author);
    if !annotation.provenance.is_manual() {
        out.extend_from_slice(b",\"provenance\":");
        push_serialized(out, &annotation.provenance);
    }
    out.push(b'}');
}

fn push_comments(out: &mut Vec<u8>, comments: &[Comment]) {
    if comments.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        push_serialized(out, &comments);
    }
}

/// Reads Gloss or doccano JSON lines; each input is a file or a folder of `.jsonl` files.
pub fn read(inputs: &[PathBuf], options: &ImportOptions, report: &mut LossReport) -> Result<Vec<ImportedDocument>, ImportError> {
    let mut documents = Vec::new();
    for input in inputs {
        for path in input_files(input, "jsonl")? {
            let content = without_bom(read_utf8(&path)?);
            for (index, line) in content.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let place = SourcePlace::new(&path, index + 1);
                documents.push(read_line(line, &place, options, report)?);
            }
        }
    }
    Ok(documents)
}

/// The shape of a doccano line, in either of doccano's export forms.
#[derive(Deserialize)]
struct DoccanoLine {
    text: String,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    label: Option<Vec<(usize, usize, String)>>,
    #[serde(default)]
    entities: Option<Vec<DoccanoEntity>>,
    #[serde(default)]
    relations: Vec<DoccanoRelation>,
}

#[derive(Deserialize)]
struct DoccanoEntity {
    id: serde_json::Value,
    start_offset: usize,
    end_offset: usize,
    label: String,
}

#[derive(Deserialize)]
struct DoccanoRelation {
    from_id: serde_json::Value,
    to_id: serde_json::Value,
    #[serde(rename = "type")]
    relation_type: String,
}

fn read_line(line: &str, place: &SourcePlace, options: &ImportOptions, report: &mut LossReport) -> Result<ImportedDocument, ImportError> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|error| place.error(format!("invalid JSON: {error}")))?;
    let is_gloss = value.get("spans").is_some();
    if is_gloss {
        let parsed: Line = serde_json::from_value(value).map_err(|error| place.error(format!("not a Gloss JSONL line: {error}")))?;
        gloss_document(parsed, place, options)
    } else {
        let parsed: DoccanoLine =
            serde_json::from_value(value).map_err(|error| place.error(format!("neither a Gloss nor a doccano JSONL line: {error}")))?;
        doccano_document(parsed, place, options, report)
    }
}

/// Builds an annotation from a record: with the provenance the record gives (a Gloss export of a
/// suggested annotation), else marked as imported from JSONL.
fn imported(kind: Kind, label: &str, fragments: Vec<Span>, author: &str, id: Option<&str>, provenance: Option<&Provenance>) -> Annotation {
    let mut annotation = Annotation::new(kind, label, fragments, author);
    if let Some(id) = id {
        annotation.id = AnnotationId(id.to_owned());
    }
    annotation.provenance = provenance.cloned().unwrap_or_else(|| Provenance::Imported { format: "jsonl".into() });
    annotation
}

/// Checks a span against the text: in range, not reversed, and equal to its quoted `text`.
fn checked_span(text: &DocumentText, start: usize, end: usize, quoted: Option<&str>, place: &SourcePlace) -> Result<Span, ImportError> {
    if start >= end {
        return Err(place.error(format!("span [{start}, {end}) is empty or reversed")));
    }
    if end > text.char_len() {
        return Err(place.error(format!("span [{start}, {end}) ends past the text, which has {} code points", text.char_len())));
    }
    let span = Span::new(start, end);
    if let Some(quoted) = quoted
        && text.slice(span) != quoted
    {
        return Err(place.error(format!("span [{start}, {end}) says {quoted:?} but the text there is {:?}", text.slice(span))));
    }
    Ok(span)
}

fn gloss_document(line: Line<'_>, place: &SourcePlace, options: &ImportOptions) -> Result<ImportedDocument, ImportError> {
    let text = DocumentText::new(line.text.as_ref());
    // Spans sharing an id are the fragments of one annotation; spans without id stand alone.
    let mut annotations: Vec<Annotation> = Vec::new();
    for span in &line.spans {
        let fragment = checked_span(&text, span.start, span.end, span.text.as_deref(), place)?;
        let existing = span.id.as_deref().and_then(|id| annotations.iter_mut().find(|annotation| annotation.id.0 == id));
        match existing {
            Some(annotation) if annotation.label == span.label => annotation.fragments.push(fragment),
            Some(annotation) => {
                return Err(
                    place.error(format!("spans of annotation {} have two labels, {} and {}", annotation.id, annotation.label, span.label))
                );
            }
            None => {
                let kind = span.kind.unwrap_or(Kind::Entity);
                if !kind.has_spans() {
                    return Err(place.error(format!("span {:?} has kind document; document labels go in doc_labels", span.label)));
                }
                let author = span.author.as_deref().unwrap_or(&options.author);
                let mut annotation = imported(kind, &span.label, vec![fragment], author, span.id.as_deref(), span.provenance.as_ref());
                annotation.attributes = span.attributes.clone().into_owned();
                annotation.note = span.note.to_string();
                annotation.comments = span.comments.to_vec();
                annotations.push(annotation);
            }
        }
    }
    for annotation in &mut annotations {
        annotation.fragments = crate::edit::ops::normalize_fragments(std::mem::take(&mut annotation.fragments));
    }
    for label in &line.doc_labels {
        let author = label.author.as_deref().unwrap_or(&options.author);
        let mut annotation = imported(Kind::Document, &label.label, Vec::new(), author, label.id.as_deref(), label.provenance.as_ref());
        annotation.attributes = label.attributes.clone();
        annotation.note = label.note.clone();
        annotation.comments = label.comments.clone();
        annotations.push(annotation);
    }
    for relation in &line.relations {
        let target = match (&relation.child, &relation.implicit) {
            (Some(child), _) if annotations.iter().any(|annotation| annotation.id.0 == *child) => {
                RelationTarget::Annotation(AnnotationId(child.clone()))
            }
            (Some(child), _) => return Err(place.error(format!("relation {:?} points at unknown span id {child:?}", relation.label))),
            (None, Some(who)) => RelationTarget::Implicit(who.clone()),
            (None, None) => {
                return Err(place.error(format!("relation {:?} has neither a child nor an implicit participant", relation.label)));
            }
        };
        let head = annotations
            .iter_mut()
            .find(|annotation| annotation.id.0 == relation.head)
            .ok_or_else(|| place.error(format!("relation {:?} starts at unknown span id {:?}", relation.label, relation.head)))?;
        head.relations.push(Relation { role: relation.label.clone(), target });
    }
    let title = if line.title.is_empty() { line.id.into_owned() } else { line.title.into_owned() };
    Ok(ImportedDocument {
        comments: line.comments.into_owned(),
        title,
        text: line.text.into_owned(),
        annotations: annotations.into_iter().map(|annotation| ImportedAnnotation { annotation, place: place.clone() }).collect(),
        place: place.clone(),
    })
}

fn doccano_document(
    line: DoccanoLine,
    place: &SourcePlace,
    options: &ImportOptions,
    report: &mut LossReport,
) -> Result<ImportedDocument, ImportError> {
    let text = DocumentText::new(line.text.as_str());
    let units = Utf16Index::new(&line.text);
    let to_chars = |unit: usize| {
        units.utf16_to_char(unit).ok_or_else(|| {
            place.error(format!("UTF-16 offset {unit} falls inside a character or past the end ({} units)", units.utf16_len()))
        })
    };
    let span_of = |start: usize, end: usize, label: &str| -> Result<Annotation, ImportError> {
        let span = checked_span(&text, to_chars(start)?, to_chars(end)?, None, place)?;
        Ok(imported(Kind::Entity, label, vec![span], &options.author, None, None))
    };
    let mut annotations = Vec::new();
    let mut by_doccano_id: Vec<(serde_json::Value, AnnotationId)> = Vec::new();
    for (start, end, label) in line.label.unwrap_or_default() {
        annotations.push(span_of(start, end, &label)?);
    }
    for entity in line.entities.unwrap_or_default() {
        let annotation = span_of(entity.start_offset, entity.end_offset, &entity.label)?;
        by_doccano_id.push((entity.id, annotation.id.clone()));
        annotations.push(annotation);
    }
    for relation in &line.relations {
        let find = |id: &serde_json::Value| by_doccano_id.iter().find(|(doccano, _)| doccano == id).map(|(_, gloss)| gloss.clone());
        let (Some(from), Some(to)) = (find(&relation.from_id), find(&relation.to_id)) else {
            return Err(place.error(format!("relation {:?} refers to an unknown entity id", relation.relation_type)));
        };
        if let Some(head) = annotations.iter_mut().find(|annotation| annotation.id == from) {
            head.relations.push(Relation { role: relation.relation_type.clone(), target: RelationTarget::Annotation(to) });
        }
    }
    report.record_many("doccano labels imported as entities (doccano has no kinds)", annotations.len(), place_text(place));
    let title = line.id.map_or_else(|| format!("line {}", place.line), |id| id.to_string().trim_matches('"').to_owned());
    Ok(ImportedDocument {
        comments: Vec::new(),
        title,
        text: line.text,
        annotations: annotations.into_iter().map(|annotation| ImportedAnnotation { annotation, place: place.clone() }).collect(),
        place: place.clone(),
    })
}

fn place_text(place: &SourcePlace) -> String {
    format!("{}:{}", display(&place.path), place.line)
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::{assert_golden, sample_project, tricky_project};
    use crate::io::{ImportFormat, MemorySink, NoProgress, import};

    fn exported(project: &Project) -> (String, LossReport) {
        let mut sink = MemorySink::default();
        let report = export(project, &mut sink, &mut NoProgress).expect("export");
        (sink.text(""), report)
    }

    fn reimported(project: &Project) -> Project {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("export.jsonl");
        std::fs::write(&path, exported(project).0).expect("write");
        let mut fresh = Project::new("x");
        fresh.schema = project.schema.clone();
        import(&mut fresh, ImportFormat::Jsonl, &[path], &ImportOptions::default()).expect("import");
        fresh
    }

    /// Each document's text with its annotations, times and provenance blanked out: what the
    /// format carries.
    fn essentials(project: &Project) -> Vec<(String, Vec<Annotation>)> {
        let blank = |annotation: &Annotation| Annotation {
            created: jiff::Timestamp::UNIX_EPOCH,
            modified: jiff::Timestamp::UNIX_EPOCH,
            provenance: Provenance::Manual,
            ..annotation.clone()
        };
        project
            .documents
            .iter()
            .map(|document| (document.text.as_str().to_owned(), document.annotations.iter().map(blank).collect()))
            .collect()
    }

    /// A document's line as the records hold it: what the hand-written line must equal.
    fn document_line(document: &Document) -> Line<'_> {
        let recorded_provenance = |annotation: &Annotation| (!annotation.provenance.is_manual()).then(|| annotation.provenance.clone());
        let mut line = Line {
            id: Cow::Borrowed(&document.id.0),
            title: Cow::Borrowed(&document.title),
            text: Cow::Borrowed(document.text.as_str()),
            spans: Vec::new(),
            relations: Vec::new(),
            doc_labels: Vec::new(),
            comments: Cow::Borrowed(&document.comments),
        };
        for annotation in &document.annotations {
            if annotation.fragments.is_empty() {
                line.doc_labels.push(DocLabelRecord {
                    id: Some(annotation.id.0.clone()),
                    label: annotation.label.clone(),
                    attributes: annotation.attributes.clone(),
                    note: annotation.note.clone(),
                    comments: annotation.comments.clone(),
                    author: Some(annotation.author.clone()),
                    provenance: recorded_provenance(annotation),
                });
            }
            for fragment in &annotation.fragments {
                line.spans.push(SpanRecord {
                    id: Some(Cow::Borrowed(&annotation.id.0)),
                    start: fragment.start,
                    end: fragment.end,
                    label: Cow::Borrowed(&annotation.label),
                    kind: Some(annotation.kind),
                    text: Some(Cow::Borrowed(document.text.slice(*fragment))),
                    attributes: Cow::Borrowed(&annotation.attributes),
                    note: Cow::Borrowed(&annotation.note),
                    comments: Cow::Borrowed(&annotation.comments),
                    author: Some(Cow::Borrowed(&annotation.author)),
                    provenance: recorded_provenance(annotation),
                });
            }
            for relation in &annotation.relations {
                let (child, implicit) = match &relation.target {
                    RelationTarget::Annotation(id) => (Some(id.0.clone()), None),
                    RelationTarget::Implicit(who) => (None, Some(who.clone())),
                };
                line.relations.push(RelationRecord { head: annotation.id.0.clone(), child, label: relation.role.clone(), implicit });
            }
        }
        line
    }

    #[test]
    fn lines_are_written_as_serde_json_writes_their_records() {
        let mut projects = [sample_project(), tricky_project(), crate::io::testing::suggested_project()];
        let document = &mut projects[1].documents[0];
        document.comments.push(Comment::new("rev", "Check \"the\" byline\n"));
        document.annotations[2].comments.push(Comment::new("rev", "Why?"));
        document.annotations[3].note = "a \\ note".into();
        document.annotations[4].attributes.insert("score".into(), crate::model::AttributeValue::Number(0.25));
        for document in projects.iter().flat_map(|project| &project.documents) {
            let mut written = Vec::new();
            push_line(&mut written, document);
            assert_eq!(String::from_utf8(written).ok(), serde_json::to_string(&document_line(document)).ok(), "{}", document.title);
        }
    }

    #[test]
    fn sample_export_matches_the_golden_file() {
        let (text, report) = exported(&sample_project());
        assert_golden("jsonl/sample.jsonl", text.as_bytes());
        assert_eq!(report.count("creation and modification times not written"), 71);
    }

    #[test]
    fn tricky_export_matches_the_golden_file() {
        assert_golden("jsonl/tricky.jsonl", exported(&tricky_project()).0.as_bytes());
    }

    #[test]
    fn suggested_provenance_is_exported_and_read_back_without_pending_suggestions() {
        let project = crate::io::testing::suggested_project();
        let (text, _) = exported(&project);
        assert_golden("jsonl/suggested.jsonl", text.as_bytes());
        let line: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
        let spans = line["spans"].as_array().expect("spans");
        assert_eq!(spans.len(), 2, "only the accepted suggestions are annotations");
        assert_eq!(spans[1]["provenance"], serde_json::json!({"method": "suggested", "source": {"gazetteer": "names"}}));
        assert!(!text.contains("Mujahid\",\"label\":\"PER"), "the pending suggestion is not exported");
        let back = reimported(&project);
        let provenances: Vec<&Provenance> = back.documents[0].annotations.iter().map(|annotation| &annotation.provenance).collect();
        let original: Vec<&Provenance> = project.documents[0].annotations.iter().map(|annotation| &annotation.provenance).collect();
        assert_eq!(provenances, original);
    }

    #[test]
    fn spans_slice_the_text_by_code_point() {
        let (text, _) = exported(&tricky_project());
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).expect("json");
            let chars: Vec<char> = value["text"].as_str().expect("text").chars().collect();
            for span in value["spans"].as_array().expect("spans") {
                let (start, end) = (span["start"].as_u64().expect("start") as usize, span["end"].as_u64().expect("end") as usize);
                assert_eq!(chars[start..end].iter().collect::<String>(), span["text"].as_str().expect("text"));
            }
        }
    }

    #[test]
    fn export_then_import_gives_back_the_annotations() {
        for project in [sample_project(), tricky_project()] {
            assert_eq!(essentials(&reimported(&project)), essentials(&project));
        }
    }

    #[test]
    fn doccano_utf16_offsets_are_converted() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("doccano.jsonl");
        // "😀 Kabul": the emoji is two UTF-16 units, so Kabul is at [3, 8) in doccano, [2, 7) in Gloss.
        let lines = [
            r#"{"id": 7, "text": "😀 Kabul", "label": [[3, 8, "LOC"]]}"#,
            r#"{"text": "Rana 👍🏽 said", "entities": [{"id": 1, "start_offset": 0, "end_offset": 4, "label": "PER"}, {"id": 2, "start_offset": 5, "end_offset": 9, "label": "SENTIMENT"}], "relations": [{"id": 3, "from_id": 2, "to_id": 1, "type": "holder"}]}"#,
        ];
        std::fs::write(&path, lines.join("\n")).expect("write");
        let mut project = Project::new("x");
        let options = ImportOptions { add_unknown_labels: false, ..ImportOptions::default() };
        let summary = import(&mut project, ImportFormat::Jsonl, &[path], &options);
        // SENTIMENT is a sentiment label, but doccano has no kinds: it arrives as an entity.
        let error = summary.expect_err("kind mismatch");
        assert!(error.to_string().contains("doccano.jsonl:2: label \"SENTIMENT\" is a Sentiment label"), "{error}");

        std::fs::write(folder.path().join("doccano.jsonl"), lines[0]).expect("write");
        import(&mut project, ImportFormat::Jsonl, &[folder.path().join("doccano.jsonl")], &options).expect("import");
        let document = &project.documents[0];
        assert_eq!(document.title, "7");
        assert_eq!(document.text.slice(document.annotations[0].fragments[0]), "Kabul");
        assert_eq!(document.annotations[0].fragments[0], Span::new(2, 7));
    }

    fn import_error(line: &str) -> String {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("bad.jsonl");
        std::fs::write(&path, format!("\n{line}\n")).expect("write");
        let mut project = Project::new("x");
        let error = import(&mut project, ImportFormat::Jsonl, &[path], &ImportOptions::default()).expect_err("malformed");
        assert!(project.documents.is_empty(), "nothing imported");
        error.to_string()
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let cases = [
            (r#"{"id": "d", "title": "t", "text": "abc", "spans": [{"#, "bad.jsonl:2: invalid JSON"),
            (r#"{"id": "d", "title": "t", "text": 5, "spans": []}"#, "bad.jsonl:2: not a Gloss JSONL line: invalid type"),
            (
                r#"{"id": "d", "title": "t", "text": "abc", "spans": [{"start": 1, "end": 9, "label": "PER"}]}"#,
                "bad.jsonl:2: span [1, 9) ends past the text",
            ),
            (r#"{"id": "d", "title": "t", "text": "abc", "spans": [{"start": 2, "end": 1, "label": "PER"}]}"#, "empty or reversed"),
            (
                r#"{"id": "d", "title": "t", "text": "abc", "spans": [{"start": 0, "end": 2, "label": "PER", "text": "bc"}]}"#,
                "says \"bc\" but the text there is \"ab\"",
            ),
            (
                r#"{"id": "d", "title": "t", "text": "abc", "spans": [{"start": 0, "end": 2, "label": "WHO"}]}"#,
                "bad.jsonl:2: label \"WHO\" is not in the project's schema",
            ),
            (r#"{"text": "😀a", "label": [[1, 3, "LOC"]]}"#, "UTF-16 offset 1 falls inside a character"),
            (r#"{"title": "no text"}"#, "neither a Gloss nor a doccano JSONL line"),
        ];
        for (line, expected) in cases {
            let message = import_error(line);
            assert!(message.contains(expected), "{line}\n→ {message}");
        }
    }

    #[test]
    fn non_utf8_input_names_the_line() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("latin1.jsonl");
        std::fs::write(&path, b"{\"text\": \"ok\", \"label\": []}\n{\"text\": \"caf\xe9\"}\n").expect("write");
        let error = import(&mut Project::new("x"), ImportFormat::Jsonl, &[path], &ImportOptions::default()).expect_err("latin-1");
        assert!(error.to_string().contains("latin1.jsonl:2: not UTF-8"), "{error}");
    }
}

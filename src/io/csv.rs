//! CSV export: one row per annotation, for spreadsheets, pandas and R.
//!
//! The file is UTF-8 without a byte-order mark, with `\n` line ends and a header row; Excel may
//! need *Data › From Text/CSV* with UTF-8 chosen to read it. Cells holding commas, quotes or line
//! breaks (a CRLF inside an annotated text) are quoted, so the break stays inside its cell.
//!
//! # Columns
//!
//! - `document`: the document id; `id`: the annotation id.
//! - `kind`: `entity`, `claim`, `sentiment` or `document`; `label`: the label name.
//! - `start`, `end`: the annotation's extent, half-open, in **Unicode code points** (Python `str`
//!   indices); empty for document labels.
//! - `text`: the text of each fragment, joined with ` … `; empty for document labels.
//! - `fragments`: every fragment as `start-end`, joined with `;` (`48-64;81-90`), so a
//!   discontinuous claim keeps its pieces.
//! - `attributes`: `name=value`, joined with `; `, in the order of the label's schema.
//! - `relations`: `role=target`, joined with `; `; the target is an annotation id or the name of
//!   an implicit participant (`claimant=unnamed source`).
//! - `note`: the note.
//!
//! Values are written as they are, so a free-text attribute holding `; ` reads ambiguously in
//! the `attributes` cell.
//!
//! # Losses
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
//! formula; such cells get a leading `'`, which the loss report counts. The author, times and
//! provenance of annotations, and the texts and titles of documents, have no column; the loss
//! report lists them too.

use std::io::{self, Write};

use serde::Serialize;

use super::convert::{ExportError, Progress, for_each_document};
use super::report::{LossReport, place};
use super::sink::ExportSink;
use crate::model::{Annotation, Document, Project, RelationTarget, Span};
use crate::schema::LabelSchema;

/// The header row; the names of [`Row`]'s fields, in order.
const COLUMNS: [&str; 11] = ["document", "id", "kind", "label", "start", "end", "text", "fragments", "attributes", "relations", "note"];

/// The characters that make a spreadsheet read a cell as a formula when they start it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Loss report entry for each cell given a leading `'`.
const FORMULAS_NEUTRALIZED: &str = "cells starting with = + - @, tab or carriage return prefixed with ' against formula injection";

/// Loss report entry for each annotation.
const HISTORY_DROPPED: &str = "annotation authors, times and provenance dropped: the CSV has no columns for them";

/// Loss report entry for each comment of a discussion thread.
const COMMENTS_DROPPED: &str = "comments dropped: the CSV has no column for discussion threads";

/// Loss report entry for each document.
const TEXTS_NOT_INCLUDED: &str = "document texts and titles not included: rows name documents by id";

/// Writes the project as CSV, one row per annotation (the main output).
pub fn export(project: &Project, sink: &mut dyn ExportSink, progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    let mut report = LossReport::default();
    let mut rows = Vec::new();
    for_each_document(project, progress, |_, document| {
        report.record(TEXTS_NOT_INCLUDED, &document.id);
        report.record_many(COMMENTS_DROPPED, document.comments.len(), &document.id);
        for annotation in &document.annotations {
            report.record(HISTORY_DROPPED, place(document, annotation));
            report.record_many(COMMENTS_DROPPED, annotation.comments.len(), place(document, annotation));
            rows.push(Row::new(&project.schema, document, annotation, &mut report));
        }
        Ok(())
    })?;
    sink.write_file("", &mut |writer| write_rows(writer, &rows))?;
    Ok(report)
}

/// Writes the header and `rows`.
fn write_rows(writer: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    let mut csv = csv_writer(writer);
    csv.write_record(COLUMNS)?;
    for row in rows {
        csv.serialize(row)?;
    }
    csv.flush()
}

/// A writer of Gloss's CSV dialect: RFC 4180 quoting (only cells that need it), `\n` line ends,
/// and no header taken from field names (callers write their own).
pub(crate) fn csv_writer<W: Write>(writer: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::Any(b'\n')).from_writer(writer)
}

/// Whether a spreadsheet would run `value` as a formula.
pub(crate) fn runs_as_formula(value: &str) -> bool {
    value.starts_with(FORMULA_STARTS)
}

/// `value` as a cell safe from formula injection: with a leading `'` if a spreadsheet would run
/// it as a formula.
pub(crate) fn spreadsheet_cell(value: String) -> String {
    if runs_as_formula(&value) { format!("'{value}") } else { value }
}

/// One annotation as a row of cells, in the order of [`COLUMNS`].
#[derive(Debug, Serialize)]
struct Row {
    document: String,
    id: String,
    kind: String,
    label: String,
    start: Option<usize>,
    end: Option<usize>,
    text: String,
    fragments: String,
    attributes: String,
    relations: String,
    note: String,
}

impl Row {
    /// The row of `annotation`, its cells safe from formula injection.
    fn new(schema: &LabelSchema, document: &Document, annotation: &Annotation, report: &mut LossReport) -> Self {
        let mut cell = |value: String| {
            if runs_as_formula(&value) {
                report.record(FORMULAS_NEUTRALIZED, place(document, annotation));
            }
            spreadsheet_cell(value)
        };
        let extent = annotation.extent();
        Self {
            document: cell(document.id.to_string()),
            id: cell(annotation.id.to_string()),
            kind: annotation.kind.name().to_owned(),
            label: cell(annotation.label.clone()),
            start: extent.map(|span| span.start),
            end: extent.map(|span| span.end),
            text: cell(document.annotation_text(annotation)),
            fragments: fragments_cell(&annotation.fragments),
            attributes: cell(attributes_cell(schema, annotation)),
            relations: cell(relations_cell(annotation)),
            note: cell(annotation.note.clone()),
        }
    }
}

/// `start-end;start-end`.
fn fragments_cell(fragments: &[Span]) -> String {
    fragments.iter().map(|fragment| format!("{}-{}", fragment.start, fragment.end)).collect::<Vec<_>>().join(";")
}

/// `name=value; name=value`, in the order the label's schema lists its attributes (attributes
/// the schema lacks last, by name).
fn attributes_cell(schema: &LabelSchema, annotation: &Annotation) -> String {
    let ordered = match schema.label(&annotation.label) {
        Some(label) => label.ordered_attributes(&annotation.attributes),
        None => annotation.attributes.iter().map(|(name, value)| (name.as_str(), value)).collect(),
    };
    ordered.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ")
}

/// `role=target; role=target`, naming annotations by id and implicit participants by name.
fn relations_cell(annotation: &Annotation) -> String {
    let target_name = |target: &RelationTarget| match target {
        RelationTarget::Annotation(id) => id.to_string(),
        RelationTarget::Implicit(name) => name.clone(),
    };
    annotation
        .relations
        .iter()
        .map(|relation| format!("{}={}", relation.role, target_name(&relation.target)))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::{assert_golden, sample_project, tricky_project};
    use crate::io::{MemorySink, NoProgress};
    use crate::model::AttributeValue;

    fn exported(project: &Project) -> (String, LossReport) {
        let mut sink = MemorySink::default();
        let report = export(project, &mut sink, &mut NoProgress).expect("export");
        assert_eq!(sink.files.keys().collect::<Vec<_>>(), [""], "one file, the main output");
        (sink.text(""), report)
    }

    fn parsed(output: &str) -> Vec<csv::StringRecord> {
        let mut reader = csv::Reader::from_reader(output.as_bytes());
        assert_eq!(reader.headers().expect("a header"), &csv::StringRecord::from(COLUMNS.to_vec()));
        reader.records().collect::<Result<_, _>>().expect("well-formed CSV")
    }

    /// The cell of column `name`.
    fn cell<'a>(record: &'a csv::StringRecord, name: &str) -> &'a str {
        let index = COLUMNS.iter().position(|column| *column == name).expect("a column");
        record.get(index).expect("a full row")
    }

    #[test]
    fn sample_project_golden() {
        let project = sample_project();
        let (output, report) = exported(&project);
        assert_golden("csv/sample.csv", output.as_bytes());
        assert_eq!(report.count(HISTORY_DROPPED), project.annotation_count());
        assert_eq!(report.count(TEXTS_NOT_INCLUDED), 1);
        assert_eq!(report.entries().count(), 2, "{report}");
    }

    #[test]
    fn tricky_project_golden() {
        let (output, report) = exported(&tricky_project());
        assert_golden("csv/tricky.csv", output.as_bytes());
        assert_eq!(report.count(FORMULAS_NEUTRALIZED), 0);
        assert!(!output.starts_with('\u{feff}'), "no byte-order mark");
        assert_eq!(output.matches('\r').count(), 1, "lines end with \\n; the one CR is inside the crossing claim's text");
    }

    #[test]
    fn rows_read_back_as_the_annotations_spans_and_texts() {
        for project in [sample_project(), tricky_project()] {
            let (output, _) = exported(&project);
            let records = parsed(&output);
            let annotations: Vec<(&Document, &Annotation)> =
                project.documents.iter().flat_map(|document| document.annotations.iter().map(move |a| (document, a))).collect();
            assert_eq!(records.len(), annotations.len());
            for (record, (document, annotation)) in records.iter().zip(annotations) {
                assert_eq!(cell(record, "id"), annotation.id.as_str());
                let texts: Vec<&str> = annotation.fragments.iter().map(|fragment| document.text.slice(*fragment)).collect();
                assert_eq!(cell(record, "text"), texts.join(" … "), "{record:?}");
                let extent = annotation.extent();
                assert_eq!(cell(record, "start"), extent.map(|span| span.start.to_string()).unwrap_or_default());
                assert_eq!(cell(record, "end"), extent.map(|span| span.end.to_string()).unwrap_or_default());
                let fragments: Vec<Span> = cell(record, "fragments")
                    .split(';')
                    .filter(|part| !part.is_empty())
                    .map(|part| {
                        let (start, end) = part.split_once('-').expect("start-end");
                        Span::new(start.parse().expect("a number"), end.parse().expect("a number"))
                    })
                    .collect();
                assert_eq!(fragments, annotation.fragments);
            }
        }
    }

    #[test]
    fn a_crlf_inside_a_text_stays_inside_its_quoted_cell() {
        let (output, _) = exported(&tricky_project());
        assert!(output.contains(",\"Mujahid 😀.\r\nThe 👩‍👩‍👧 family\","), "{output}");
        let records = parsed(&output);
        assert!(records.iter().any(|record| cell(record, "text") == "Mujahid 😀.\r\nThe 👩‍👩‍👧 family"));
    }

    #[test]
    fn cells_hold_kinds_attributes_relations_and_notes() {
        let project = tricky_project();
        let records = parsed(&exported(&project).0);
        let row_of = |label: &str, text: &str| {
            records.iter().find(|record| cell(record, "label") == label && cell(record, "text") == text).expect("a row")
        };
        let whole = row_of("DOC_SENTIMENT", "");
        assert_eq!((cell(whole, "kind"), cell(whole, "start"), cell(whole, "fragments")), ("document", "", ""));
        assert_eq!(cell(whole, "attributes"), "polarity=mixed");
        let quote = row_of("CLAIM", "Kabul 🇦🇫 is calm");
        assert_eq!(cell(quote, "attributes"), "attribution=direct quote; certainty=asserted; stance=neutral");
        let mujahid = row_of("PER", "Zabihullah\u{a0}Mujahid");
        assert_eq!(cell(quote, "relations"), format!("claimant={}", cell(mujahid, "id")));
        assert_eq!(cell(mujahid, "note"), "Taliban spokesman; “official” title.");
        let crossing = row_of("CLAIM", "Mujahid 😀.\r\nThe 👩‍👩‍👧 family");
        assert_eq!(cell(crossing, "relations"), "claimant=unnamed source");
        let split = row_of("CLAIM", "The 👩‍👩‍👧 family … disagreed");
        assert_eq!(cell(split, "kind"), "claim");
        let sentiment = row_of("SENTIMENT", "👍🏽 replied");
        assert!(cell(sentiment, "relations").starts_with("holder=a") && cell(sentiment, "relations").contains("; target=a"));
        assert_eq!(cell(sentiment, "attributes"), "polarity=positive; intensity=medium", "schema order, not name order");
    }

    #[test]
    fn cells_that_would_run_as_formulas_are_neutralized() {
        let mut project = tricky_project();
        let annotation = &mut project.documents[1].annotations[0];
        annotation.note = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
        annotation.attributes.insert("source".into(), AttributeValue::Text("x".into()));
        let (output, report) = exported(&project);
        let records = parsed(&output);
        let last = records.last().expect("a row");
        assert_eq!(cell(last, "note"), "'=HYPERLINK(\"http://evil.example\",\"click\")");
        assert_eq!(cell(last, "attributes"), "source=x", "attributes the schema lacks still appear");
        assert_eq!(report.count(FORMULAS_NEUTRALIZED), 1);
        for start in ['+', '-', '@', '\t', '\r'] {
            project.documents[1].annotations[0].note = format!("{start}1");
            let (output, _) = exported(&project);
            assert_eq!(cell(parsed(&output).last().expect("a row"), "note"), format!("'{start}1"));
        }
    }

    #[test]
    fn an_empty_project_is_a_header_only() {
        let (output, report) = exported(&Project::new("empty"));
        assert_eq!(output, format!("{}\n", COLUMNS.join(",")));
        assert!(report.is_empty());
    }

    #[test]
    fn the_header_names_the_row_fields() {
        let project = tricky_project();
        let document = &project.documents[1];
        let row = Row::new(&project.schema, document, &document.annotations[0], &mut LossReport::default());
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.serialize(row).expect("serialize");
        let bytes = csv.into_inner().expect("flushed");
        let header = String::from_utf8(bytes).expect("UTF-8").lines().next().map(str::to_owned);
        assert_eq!(header, Some(COLUMNS.join(",")));
    }
}

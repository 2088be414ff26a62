//! The statistics as CSV, for a spreadsheet: one row per document and a total row.
//!
//! The file is UTF-8 without a byte-order mark, with `\n` line ends, a header row and RFC 4180
//! quoting (the dialect of the annotation CSV export). Cells a spreadsheet would run as a formula
//! get a leading `'`.
//!
//! # Columns
//!
//! - `document_id`, `title`: the document; `status`: `not started`, `in progress` or `done`.
//! - `characters`: its length in Unicode code points; `annotations`: all its annotations.
//! - one column per label, named by the label (`PER`, `CLAIM`, ...): every label of the schema
//!   in schema order, then labels the schema lacks; each cell counts the document's annotations
//!   of that label.
//!
//! The last row holds the totals: an empty `document_id`, the title `Total`, and as status how
//! many documents are done (`3 of 20 done`).

use std::io::{self, Write};

use super::{Counts, ProjectStats};
use crate::io::{csv_writer, spreadsheet_cell};

/// The columns before the label columns.
const DOCUMENT_COLUMNS: [&str; 5] = ["document_id", "title", "status", "characters", "annotations"];

impl ProjectStats {
    /// Writes the statistics as CSV to `writer` (see the [module docs](self) for the columns).
    pub fn write_csv(&self, writer: impl Write) -> io::Result<()> {
        let mut csv = csv_writer(writer);
        let labels: Vec<&str> = self.label_distribution.iter().map(|uses| uses.label.as_str()).collect();
        let header = DOCUMENT_COLUMNS.iter().copied().chain(labels.iter().copied()).map(|name| spreadsheet_cell(name.to_owned()));
        csv.write_record(header)?;
        for document in &self.documents {
            let cells = [
                spreadsheet_cell(document.id.clone()),
                spreadsheet_cell(document.title.clone()),
                document.status.title().to_owned(),
                document.characters.to_string(),
            ];
            csv.write_record(cells.into_iter().chain(count_cells(&document.counts, &labels)))?;
        }
        let progress = self.progress;
        let totals =
            [String::new(), "Total".to_owned(), format!("{} of {} done", progress.done, progress.documents()), self.characters.to_string()];
        csv.write_record(totals.into_iter().chain(count_cells(&self.total, &labels)))?;
        csv.flush()
    }
}

/// The `annotations` cell and one cell per label.
fn count_cells<'a>(counts: &'a Counts, labels: &'a [&str]) -> impl Iterator<Item = String> + 'a {
    std::iter::once(counts.annotations).chain(labels.iter().map(|label| counts.label(label))).map(|count| count.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::{assert_golden, sample_project, tricky_project};
    use crate::model::{Document, DocumentStatus, Project};

    fn csv_of(project: &Project) -> String {
        let mut bytes = Vec::new();
        ProjectStats::of(project).write_csv(&mut bytes).expect("written to memory");
        String::from_utf8(bytes).expect("UTF-8")
    }

    fn records(output: &str) -> Vec<csv::StringRecord> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(output.as_bytes());
        reader.records().collect::<Result<_, _>>().expect("well-formed CSV")
    }

    #[test]
    fn sample_project_golden() {
        assert_golden("stats/sample.csv", csv_of(&sample_project()).as_bytes());
    }

    #[test]
    fn tricky_project_golden() {
        let mut project = tricky_project();
        project.documents[0].status = DocumentStatus::Done;
        let output = csv_of(&project);
        assert_golden("stats/tricky.csv", output.as_bytes());
        assert!(!output.starts_with('\u{feff}') && !output.contains('\r'), "no byte-order mark, \\n line ends");
    }

    #[test]
    fn rows_are_documents_then_the_total_with_a_column_per_schema_label() {
        let project = tricky_project();
        let rows = records(&csv_of(&project));
        let header: Vec<&str> = rows[0].iter().collect();
        let labels: Vec<&str> = project.schema.labels.iter().map(|label| label.name.as_str()).collect();
        assert_eq!(header[..5], DOCUMENT_COLUMNS);
        assert_eq!(header[5..], labels[..], "every schema label, in schema order");
        assert_eq!(rows.len(), 1 + project.documents.len() + 1);
        let column = |name: &str| header.iter().position(|column| *column == name).expect("a column");
        let first = &rows[1];
        assert_eq!(&first[column("document_id")], project.documents[0].id.0.as_str());
        assert_eq!((&first[column("status")], &first[column("annotations")]), ("in progress", "10"), "tagging starts a document");
        assert_eq!((&first[column("LOC")], &first[column("ORG")], &first[column("CLAIM")]), ("3", "0", "3"));
        let total = &rows[3];
        assert_eq!((&total[column("document_id")], &total[column("title")], &total[column("status")]), ("", "Total", "0 of 2 done"));
        assert_eq!((&total[column("annotations")], &total[column("PER")]), ("11", "2"));
        let characters: usize = project.documents.iter().map(|document| document.text.char_len()).sum();
        assert_eq!(&total[column("characters")], characters.to_string());
    }

    #[test]
    fn titles_with_commas_quotes_and_any_script_read_back_unchanged() {
        let mut project = Project::new("titles");
        let titles = ["Kabul, “calm” — 😀 said \"Mujahid\"", "Line one\nline two", "कराची; 東京", "=HYPERLINK(\"http://evil.example\")"];
        for (index, title) in titles.into_iter().enumerate() {
            project.documents.push(Document::new(title, format!("Text number {index}.")));
        }
        let output = csv_of(&project);
        assert!(output.contains("\"Kabul, “calm” — 😀 said \"\"Mujahid\"\"\""), "RFC 4180 quoting: {output}");
        let rows = records(&output);
        let read: Vec<&str> = rows[1..=titles.len()].iter().map(|row| &row[1]).collect();
        assert_eq!(read[..3], titles[..3]);
        assert_eq!(read[3], "'=HYPERLINK(\"http://evil.example\")", "formulas are neutralized");
        assert!(rows.iter().all(|row| row.len() == rows[0].len()), "every row has every column");
    }

    #[test]
    fn an_empty_project_has_a_header_and_a_total() {
        let output = csv_of(&Project::new("empty"));
        let rows = records(&output);
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[1][2], "0 of 0 done");
    }
}

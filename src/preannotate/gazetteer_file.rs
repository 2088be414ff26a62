//! Reading a gazetteer from a file: a CSV of `term,label` rows (RFC 4180 quoting, optional
//! `term,label` header), or a plain list of terms, one per line, that all take one label.
//!
//! ```text
//! term,label                 Kabul
//! Kabul,LOC                  Islamabad
//! "Khan, Imran",PER          (a list: every line gets the label the user chose)
//! ```

use std::path::Path;

use crate::io::{ImportError, read_utf8, without_bom};
use crate::model::{Gazetteer, GazetteerEntry};

/// Why a gazetteer file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// The file cannot be read as UTF-8 text.
    #[error(transparent)]
    Read(#[from] ImportError),
    /// A row is not a `term,label` pair.
    #[error("line {line}: {message}")]
    Malformed {
        /// The 1-based line of the row.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// The file has no terms.
    #[error("the file holds no terms")]
    Empty,
    /// A plain list of terms came without the label to give them.
    #[error("a list of terms needs a label for its terms (a CSV file names one per row)")]
    NoListLabel,
}

/// The gazetteer in the file at `path`, named after the file: a `.csv` file holds `term,label`
/// rows, any other file a list of terms that all take `list_label`.
pub fn load_gazetteer(path: &Path, list_label: Option<&str>) -> Result<Gazetteer, GazetteerError> {
    let is_csv = path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("csv"));
    let list_label = list_label.filter(|label| !label.is_empty());
    if !is_csv && list_label.is_none() {
        return Err(GazetteerError::NoListLabel);
    }
    let text = without_bom(read_utf8(path)?);
    let file_name = path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let name = path.file_stem().map_or(file_name, |stem| stem.to_string_lossy().into_owned());
    match list_label {
        Some(label) if !is_csv => read_list(&name, &text, label),
        _ => read_csv(&name, &text),
    }
}

/// A gazetteer named `name` from CSV `text`: two fields per row, the term then the label's name.
/// A first row reading `term,label` is a header and skipped; blank lines are skipped.
pub fn read_csv(name: &str, text: &str) -> Result<Gazetteer, GazetteerError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut entries = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record =
            record.map_err(|error| GazetteerError::Malformed { line: line_at(text, error.position()), message: error.to_string() })?;
        let line = line_at(text, record.position());
        let fields: Vec<&str> = record.iter().collect();
        match fields.as_slice() {
            [""] => continue,
            [term, label] if index == 0 && term.eq_ignore_ascii_case("term") && label.eq_ignore_ascii_case("label") => continue,
            ["", _] => return Err(GazetteerError::Malformed { line, message: "the term is empty".into() }),
            [_, ""] => return Err(GazetteerError::Malformed { line, message: "the label is empty".into() }),
            [term, label] => entries.push(GazetteerEntry { term: (*term).to_owned(), label: (*label).to_owned() }),
            _ => {
                return Err(GazetteerError::Malformed {
                    line,
                    message: format!("expected 2 fields (term,label), found {}; quote terms that hold commas", fields.len()),
                });
            }
        }
    }
    gazetteer(name, entries)
}

/// A gazetteer named `name` from a plain list: each non-blank line is a term labelled `label`.
pub fn read_list(name: &str, text: &str, label: &str) -> Result<Gazetteer, GazetteerError> {
    let entries = text
        .lines()
        .map(str::trim)
        .filter(|term| !term.is_empty())
        .map(|term| GazetteerEntry { term: term.to_owned(), label: label.to_owned() })
        .collect();
    gazetteer(name, entries)
}

/// The 1-based line of a CSV position, counted from its byte offset: the `csv` crate's own line
/// count leaves out blank lines, and a record's position lies before the blank lines it skipped.
fn line_at(text: &str, position: Option<&csv::Position>) -> u64 {
    let byte = position.map_or(0, |position| usize::try_from(position.byte()).unwrap_or(usize::MAX));
    let (before, rest) = text.split_at_checked(byte).unwrap_or((text, ""));
    let blank = rest.len() - rest.trim_start_matches(['\r', '\n']).len();
    let skipped = rest.get(..blank).unwrap_or_default();
    (before.bytes().chain(skipped.bytes()).filter(|&byte| byte == b'\n').count() + 1) as u64
}

fn gazetteer(name: &str, entries: Vec<GazetteerEntry>) -> Result<Gazetteer, GazetteerError> {
    if entries.is_empty() {
        return Err(GazetteerError::Empty);
    }
    Ok(Gazetteer { name: name.to_owned(), entries, case_sensitive: false, match_inside_words: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(term: &str, label: &str) -> GazetteerEntry {
        GazetteerEntry { term: term.into(), label: label.into() }
    }

    #[test]
    fn csv_with_header_quotes_and_blank_lines() {
        let gazetteer =
            read_csv("people", "term,label\nKabul,LOC\n\n\"Khan, Imran\",PER\n\"Shehbaz \"\"Sharif\"\"\",PER\r\n").expect("valid");
        assert_eq!(gazetteer.name, "people");
        assert_eq!(gazetteer.entries, [entry("Kabul", "LOC"), entry("Khan, Imran", "PER"), entry("Shehbaz \"Sharif\"", "PER")]);
        assert!(!gazetteer.case_sensitive && !gazetteer.match_inside_words);
    }

    #[test]
    fn csv_without_header() {
        assert_eq!(read_csv("g", "Taliban,ORG").expect("valid").entries, [entry("Taliban", "ORG")]);
    }

    fn csv_error(text: &str) -> String {
        read_csv("g", text).map(|gazetteer| format!("{gazetteer:?}")).unwrap_or_else(|error| error.to_string())
    }

    #[test]
    fn bad_csv_rows_name_their_line() {
        assert_eq!(
            csv_error("Kabul,LOC\nIslamabad,LOC,extra\n"),
            "line 2: expected 2 fields (term,label), found 3; quote terms that hold commas"
        );
        assert_eq!(csv_error("term,label\nKabul\n"), "line 2: expected 2 fields (term,label), found 1; quote terms that hold commas");
        assert_eq!(csv_error("Kabul,LOC\n\n,PER\n"), "line 3: the term is empty");
        assert_eq!(csv_error("Kabul,\n"), "line 1: the label is empty");
        assert_eq!(csv_error("term,label\n"), "the file holds no terms");
    }

    #[test]
    fn files_are_read_by_extension_and_named_after_themselves() {
        let folder = tempfile::tempdir().expect("temp dir");
        let csv = folder.path().join("people.CSV");
        std::fs::write(&csv, "\u{feff}Imran Khan,PER\n").expect("write");
        let list = folder.path().join("places.txt");
        std::fs::write(&list, "Kabul\n").expect("write");
        let people = load_gazetteer(&csv, None).expect("valid");
        assert_eq!((people.name.as_str(), people.entries.as_slice()), ("people", [entry("Imran Khan", "PER")].as_slice()));
        assert_eq!(load_gazetteer(&list, Some("LOC")).expect("valid").entries, [entry("Kabul", "LOC")]);
        assert!(matches!(load_gazetteer(&list, None), Err(GazetteerError::NoListLabel)));
        std::fs::write(&list, [b'K', 0xff, b'\n']).expect("write");
        assert!(matches!(load_gazetteer(&list, Some("LOC")), Err(GazetteerError::Read(_))));
    }

    #[test]
    fn a_list_gives_every_line_the_chosen_label() {
        let gazetteer = read_list("places", "Kabul\n  Islamabad \n\nPeshawar\r\n", "LOC").expect("valid");
        assert_eq!(gazetteer.entries, [entry("Kabul", "LOC"), entry("Islamabad", "LOC"), entry("Peshawar", "LOC")]);
        assert!(matches!(read_list("places", "\n \n", "LOC"), Err(GazetteerError::Empty)));
    }
}

//! Reading a gazetteer from a file: a CSV of `term,label` rows (RFC 4180 quoting, optional
//! `term,label` header), or a plain list of terms, one per line, that all take one label.
//!
//! ```text
//! term,label                 Kabul
//! Kabul,LOC                  Islamabad
//! "Khan, Imran",PER          (a list: every line gets the label the user chose)
//! ```

use crate::model::{Gazetteer, GazetteerEntry};

/// Why a gazetteer file cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GazetteerError {
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

    #[test]
    fn bad_csv_rows_name_their_line() {
        assert_eq!(
            read_csv("g", "Kabul,LOC\nIslamabad,LOC,extra\n"),
            Err(GazetteerError::Malformed {
                line: 2,
                message: "expected 2 fields (term,label), found 3; quote terms that hold commas".into()
            })
        );
        assert_eq!(
            read_csv("g", "term,label\nKabul\n"),
            Err(GazetteerError::Malformed {
                line: 2,
                message: "expected 2 fields (term,label), found 1; quote terms that hold commas".into()
            })
        );
        assert_eq!(read_csv("g", "Kabul,LOC\n\n,PER\n"), Err(GazetteerError::Malformed { line: 3, message: "the term is empty".into() }));
        assert_eq!(read_csv("g", "Kabul,\n"), Err(GazetteerError::Malformed { line: 1, message: "the label is empty".into() }));
        assert_eq!(read_csv("g", "term,label\n"), Err(GazetteerError::Empty));
    }

    #[test]
    fn a_list_gives_every_line_the_chosen_label() {
        let gazetteer = read_list("places", "Kabul\n  Islamabad \n\nPeshawar\r\n", "LOC").expect("valid");
        assert_eq!(gazetteer.entries, [entry("Kabul", "LOC"), entry("Islamabad", "LOC"), entry("Peshawar", "LOC")]);
        assert_eq!(read_list("places", "\n \n", "LOC"), Err(GazetteerError::Empty));
    }
}

//! What the fuzz targets in `fuzz/` do with arbitrary bytes, shared with the test that replays
//! their regression corpus (`tests/fuzz_regressions.rs`) in `cargo test`.
//!
//! The properties: no input makes the project loader, an importer or pre-annotation panic, and
//! whatever they accept is a valid project (every invariant of [`Project::check_invariants`]
//! holds).

use std::path::Path;

use crate::io::{ImportFormat, ImportOptions, import, parse_project};
use crate::model::{PatternRule, Project, Rules};
use crate::preannotate::{Matcher, edits, read_csv, read_list};

/// Parses `data` as a project file.
pub fn load_project(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(project) = parse_project(text, Path::new("fuzz.gloss.json")) {
        assert_valid(&project);
    }
}

/// Imports `data` in `format` into a new project, with unknown labels added (the most lenient
/// options reach the most code). For brat, the bytes before the first NUL are the `.txt` file and
/// the rest the `.ann` file.
pub fn import_bytes(format: ImportFormat, data: &[u8]) {
    let Ok(folder) = tempfile::tempdir() else { return };
    let (file_name, contents) = match format {
        ImportFormat::Brat => {
            let (text, annotations) = split_brat(data);
            if std::fs::write(folder.path().join("doc.txt"), text).is_err() {
                return;
            }
            ("doc.ann", annotations)
        }
        ImportFormat::Text => ("doc.txt", data),
        ImportFormat::Jsonl => ("doc.jsonl", data),
        ImportFormat::LabelStudio => ("doc.json", data),
    };
    let input = folder.path().join(file_name);
    if std::fs::write(&input, contents).is_err() {
        return;
    }
    let mut project = Project::new("fuzz");
    let options = ImportOptions { add_unknown_labels: true, ..ImportOptions::default() };
    if import(&mut project, format, &[input], &options).is_ok() {
        assert_valid(&project);
    }
}

/// Reads `data` as a gazetteer CSV, as a list of terms and (its first line) as a regex rule, then
/// runs the rules that compile on a text of curly quotes, emoji, a no-break space and CRLF, and
/// keeps their suggestions.
pub fn preannotate(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut project = Project::from_text("fuzz", "“Kabul 🇦🇫 is calm,” said Zabihullah\u{a0}Mujahid 😀.\r\nIslamabad 👍🏽 replied — Kabul.");
    let pattern = PatternRule {
        name: "first line".into(),
        pattern: text.lines().next().unwrap_or_default().into(),
        label: "PER".into(),
        case_sensitive: false,
    };
    let candidates = [
        Rules { gazetteers: read_csv("csv", text).into_iter().collect(), patterns: Vec::new() },
        Rules { gazetteers: read_list("list", text, "LOC").into_iter().collect(), patterns: Vec::new() },
        Rules { gazetteers: Vec::new(), patterns: vec![pattern] },
    ];
    for rules in candidates.into_iter().filter(|rules| Matcher::new(rules, &project.schema).is_ok()) {
        project.rules.gazetteers.extend(rules.gazetteers);
        project.rules.patterns.extend(rules.patterns);
    }
    let document_ids = [project.documents[0].id.clone()];
    for _ in 0..2 {
        if let Ok((transaction, _)) = edits::run(&project, &document_ids) {
            assert!(transaction.apply(&mut project).is_ok(), "the suggestions of a run are valid");
        }
    }
    assert_valid(&project);
}

/// A brat input of the fuzzers: the `.txt` file's bytes (before the first NUL byte) and the
/// `.ann` file's (after it).
pub fn split_brat(data: &[u8]) -> (&[u8], &[u8]) {
    let nul = data.iter().position(|&byte| byte == 0).unwrap_or(data.len());
    (&data[..nul], data.get(nul + 1..).unwrap_or_default())
}

fn assert_valid(project: &Project) {
    let problems = project.check_invariants();
    assert!(problems.is_empty(), "accepted an invalid project: {problems:?}");
}

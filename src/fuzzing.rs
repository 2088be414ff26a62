//! What the fuzz targets in `fuzz/` do with arbitrary bytes, shared with the test that replays
//! their regression corpus (`tests/fuzz_regressions.rs`) in `cargo test`.
//!
//! The properties: no input makes the project loader or an importer panic, and whatever they
//! accept is a valid project (every invariant of [`Project::check_invariants`] holds).

use std::path::Path;

use crate::io::{ImportFormat, ImportOptions, import, parse_project};
use crate::model::Project;

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

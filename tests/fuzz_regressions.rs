//! Replays the fuzzers' regression corpus (`fuzz/regressions/<target>/`): every input a fuzz target
//! ever crashed on, kept after the fix, and hand-written hostile inputs. Each goes through the same
//! code as its target (`gloss::fuzzing`), so `cargo test` catches a regression without a fuzzer.

use std::path::Path;

use gloss::io::ImportFormat;

/// Runs every file of `fuzz/regressions/<target>` through `check`; returns how many there were.
fn replay(target: &str, check: impl Fn(&[u8])) -> usize {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&folder).unwrap_or_else(|error| panic!("{}: {error}", folder.display())) {
        let path = entry.expect("a directory entry").path();
        if path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')) {
            continue;
        }
        let data = std::fs::read(&path).expect("readable");
        eprintln!("{target}: {}", path.display());
        check(&data);
        count += 1;
    }
    count
}

#[test]
fn project_loader_regressions() {
    assert!(replay("project", gloss::fuzzing::load_project) > 0);
}

#[test]
fn jsonl_import_regressions() {
    assert!(replay("import_jsonl", |data| gloss::fuzzing::import_bytes(ImportFormat::Jsonl, data)) > 0);
}

#[test]
fn brat_import_regressions() {
    assert!(replay("import_brat", |data| gloss::fuzzing::import_bytes(ImportFormat::Brat, data)) > 0);
}

#[test]
fn labelstudio_import_regressions() {
    assert!(replay("import_labelstudio", |data| gloss::fuzzing::import_bytes(ImportFormat::LabelStudio, data)) > 0);
}

#[test]
fn text_import_regressions() {
    assert!(replay("import_text", |data| gloss::fuzzing::import_bytes(ImportFormat::Text, data)) > 0);
}

#[test]
fn preannotate_regressions() {
    assert!(replay("preannotate", gloss::fuzzing::preannotate) > 0);
}

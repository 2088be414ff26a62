//! Reading and writing `*.gloss.json` project files.
//!
//! The file is the [`Project`] as pretty-printed JSON (two-space indent, one annotation per block,
//! annotations in canonical order) so that files diff cleanly under version control. Offsets are
//! code points. Loading checks the format version first, migrates older files, then checks every
//! invariant of the project.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::parallel_parse::Parsed;
use super::write_atomically_with;
use crate::model::repair::{self, Repair};
use crate::model::{FORMAT_VERSION, Problem, Project};

/// The file name extension of projects.
pub const PROJECT_EXTENSION: &str = "gloss.json";

/// Why a project file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ProjectFileError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The file is not valid JSON, or not shaped like a project.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file was written by a newer Gloss.
    #[error(
        "{}: format version {found} is newer than this Gloss understands (up to {FORMAT_VERSION}); please update Gloss",
        path.display()
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
    },
    /// The file parses but breaks the project's rules.
    #[error("{}: {} problem(s):\n{}", path.display(), problems.len(), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every broken rule.
        problems: Vec<Problem>,
    },
    /// The file breaks the project's rules, and repairs that lose nothing would fix it; they are
    /// applied only with the user's consent.
    #[error(
        "{}: {} problem(s):\n{}\nRepairs that fix them:\n{}",
        path.display(),
        problems.len(),
        problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"),
        repairs.iter().map(|r| format!("  {r}")).collect::<Vec<_>>().join("\n")
    )]
    Repairable {
        /// The file.
        path: PathBuf,
        /// Every broken rule.
        problems: Vec<Problem>,
        /// What would fix them.
        repairs: Vec<Repair>,
        /// The project with the repairs applied.
        repaired: Box<Project>,
    },
    /// The file could not be written; the previous version on disk is intact.
    #[error("cannot save {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
}

/// Just the version field, read before the rest of the file.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

/// Reads and checks the project at `path`.
pub fn load_project(path: &Path) -> Result<Project, ProjectFileError> {
    let text = super::read_bounded_string(path).map_err(|source| ProjectFileError::Read { path: path.to_owned(), source })?;
    parse_project(&text, path)
}

/// Parses and checks project JSON; `path` only names the source in errors. A byte order mark,
/// which some Windows editors put before UTF-8, is skipped.
pub fn parse_project(json: &str, path: &Path) -> Result<Project, ProjectFileError> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    // Files written by Gloss declare their version first; reading it there spares a second pass
    // over a large file. The typed parse confirms it.
    let parsed = match declared_version(json) {
        Some(FORMAT_VERSION) => {
            super::parallel_parse::parse_in_parallel(json).filter(|parsed| parsed.project.format_version == FORMAT_VERSION)
        }
        _ => None,
    };
    let (mut project, problems) = match parsed {
        Some(Parsed { project, document_problems }) => {
            let problems = project.with_id_problems(document_problems);
            (project, problems)
        }
        None => {
            let mut project = parse_any_version(json, path)?;
            project.normalize();
            let problems = project.check_invariants();
            (project, problems)
        }
    };
    if problems.is_empty() {
        return Ok(project);
    }
    let repairs = repair::repairs(&project);
    if !repairs.is_empty() {
        repair::apply(&mut project, &repairs);
        if project.check_invariants().is_empty() {
            return Err(ProjectFileError::Repairable { path: path.to_owned(), problems, repairs, repaired: Box::new(project) });
        }
    }
    Err(ProjectFileError::Invalid { path: path.to_owned(), problems })
}

/// Parses a project of any known version, reading the version first: a newer one is refused, an
/// older one migrated.
fn parse_any_version(json: &str, path: &Path) -> Result<Project, ProjectFileError> {
    let syntax = |error: serde_json::Error| ProjectFileError::Syntax {
        path: path.to_owned(),
        line: error.line(),
        column: error.column(),
        message: error.to_string().split(" at line ").next().unwrap_or_default().to_owned(),
    };
    let probe: VersionProbe = serde_json::from_str(json).map_err(syntax)?;
    if probe.format_version > FORMAT_VERSION {
        return Err(ProjectFileError::TooNew { path: path.to_owned(), found: probe.format_version });
    }
    if probe.format_version == FORMAT_VERSION {
        return serde_json::from_str(json).map_err(syntax);
    }
    let value = serde_json::from_str(json).map_err(syntax)?;
    serde_json::from_value(migrate(value, probe.format_version)).map_err(syntax)
}

/// The version a file declares in its first lines (`{ "format_version": 1, …`), if it does.
fn declared_version(json: &str) -> Option<u32> {
    let head = json.get(..json.len().min(256)).unwrap_or(json);
    let after_key = head.split_once("\"format_version\"")?.1.trim_start().strip_prefix(':')?.trim_start();
    let digits: String = after_key.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Brings a file of an older format version up to [`FORMAT_VERSION`], one version at a time.
///
/// Version 1 is the first format, so there is nothing to migrate yet; a future version 2 adds a
/// `1 => …` step here that rewrites the JSON value.
fn migrate(value: serde_json::Value, _from_version: u32) -> serde_json::Value {
    value
}

/// The JSON Schema of project files, generated from the model's types and their documentation.
/// A copy is committed at `assets/schema/gloss-project.schema.json`.
pub fn project_json_schema() -> String {
    let mut schema = schemars::schema_for!(Project);
    schema.insert("$id".into(), format!("https://gloss.invalid/schema/gloss-project-v{FORMAT_VERSION}.schema.json").into());
    schema.insert("title".into(), "Gloss project".into());
    let mut json = serde_json::to_string_pretty(&schema).unwrap_or_default();
    json.push('\n');
    json
}

/// The project as the text of a project file: pretty-printed down to the annotations, which
/// take one line each (see [`ProjectFormatter`](super::json_layout::ProjectFormatter)). The file
/// records the format version and generator of this Gloss.
pub fn project_to_json(project: &Project) -> String {
    let mut json = String::from_utf8(super::json_layout::project_json(project)).unwrap_or_default();
    json.push('\n');
    json
}

/// Writes `project` to `path` atomically: the old file survives any failure. The file is the
/// text of [`project_to_json`], streamed as it is serialized.
pub fn save_project(project: &Project, path: &Path) -> Result<(), ProjectFileError> {
    let write = |file: &mut super::atomic::TemporaryFile<'_>| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        super::json_layout::write_project_json(project, &mut out)?;
        out.write_all(b"\n")?;
        out.flush()
    };
    write_atomically_with(path, write).map_err(|source| ProjectFileError::Write { path: path.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Kind, RelationTarget, Span};

    fn sample() -> Project {
        let mut project = Project::from_text("Article", "“Imran Khan” — Pakistan’s\u{a0}leader 😀 spoke.");
        let document = &mut project.documents[0];
        let person = Annotation::new(Kind::Entity, "PER", vec![Span::new(1, 11)], "ann");
        let mut claim = Annotation::new(Kind::Claim, "CLAIM", vec![Span::new(15, 23), Span::new(35, 40)], "ann");
        claim.set_relation("claimant", Some(RelationTarget::Annotation(person.id.clone())));
        document.insert_sorted(person);
        document.insert_sorted(claim);
        project
    }

    #[test]
    fn a_saved_file_is_the_project_json_across_pieces_of_documents() {
        let mut many = Project::new("many");
        many.documents = (0..600).map(|index| crate::model::Document::new(format!("Report {index}"), format!("Text “{index}”."))).collect();
        let folder = tempfile::tempdir().expect("temp dir");
        for project in [sample(), many, Project::new("empty")] {
            let path = folder.path().join("saved.gloss.json");
            save_project(&project, &path).expect("saved");
            assert_eq!(std::fs::read_to_string(&path).expect("read"), project_to_json(&project), "{}", project.metadata.title);
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let project = sample();
        let json = format!("\u{feff}{}", project_to_json(&project));
        assert_eq!(parse_project(&json, Path::new("bom.gloss.json")).expect("valid"), project);
    }

    #[test]
    fn the_declared_version_is_read_from_the_first_line() {
        assert_eq!(declared_version("{\n  \"format_version\": 12,\n"), Some(12));
        assert_eq!(declared_version("{\"metadata\": {}}"), None);
        let nested = r#"{"metadata": {"format_version": 1}, "format_version": 99}"#;
        let error = parse_project(nested, Path::new("x")).expect_err("the typed parse sees the real version");
        assert!(error.to_string().contains("format version 99 is newer"), "{error}");
    }

    #[test]
    fn annotations_take_one_line_each() {
        let json = project_to_json(&sample());
        let annotation_lines = json.lines().filter(|line| line.trim_start().starts_with("{\"id\":")).count();
        assert_eq!(annotation_lines, 2, "{json}");
    }

    #[test]
    fn the_tricky_project_file_matches_its_golden() {
        // Emoji, a ZWJ family, CRLF, no-break spaces and curly quotes in a project file; the
        // Python interop test exports this file with the CLI.
        let json = project_to_json(&crate::io::testing::tricky_project()).replace(&crate::model::generator(), "Gloss (version)");
        crate::io::testing::assert_golden("project/tricky.gloss.json", json.as_bytes());
        let mut loaded = parse_project(&json, Path::new("tricky")).expect("loads");
        loaded.metadata.generator = crate::model::generator();
        assert_eq!(loaded, crate::io::testing::tricky_project());
    }

    #[test]
    fn rules_suggestions_and_their_provenance_round_trip_through_the_golden_file() {
        let project = crate::io::testing::suggested_project();
        let json = project_to_json(&project).replace(&crate::model::generator(), "Gloss (version)");
        crate::io::testing::assert_golden("project/suggested.gloss.json", json.as_bytes());
        let mut loaded = parse_project(&json, Path::new("suggested")).expect("loads");
        loaded.metadata.generator = crate::model::generator();
        assert_eq!(loaded, project);
        assert!(json.contains(r#""provenance":{"method":"suggested","source":{"gazetteer":"names"}}"#), "{json}");
    }

    #[test]
    fn invalid_suggestions_are_refused_on_load() {
        let json = project_to_json(&crate::io::testing::suggested_project()).replace(r#""label":"PER","span""#, r#""label":"NOPE","span""#);
        let error = parse_project(&json, Path::new("bad")).expect_err("refused");
        assert!(error.to_string().contains("suggested label \"NOPE\" is not in the schema"), "{error}");
    }

    #[test]
    fn the_committed_json_schema_is_current() {
        let committed = include_str!("../../assets/schema/gloss-project.schema.json");
        let generated = project_json_schema();
        if std::env::var_os("GLOSS_BLESS").is_some() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/schema/gloss-project.schema.json"), &generated).expect("write");
            return;
        }
        assert!(committed == generated, "assets/schema/gloss-project.schema.json is stale: regenerate it with GLOSS_BLESS=1 cargo test");
        assert!(generated.contains("Unicode code points"), "the schema says offsets are code points");
    }

    #[test]
    fn the_sample_validates_against_the_json_schema_shape() {
        // Every property the schema requires of an annotation is present in the sample's JSON.
        let schema: serde_json::Value = serde_json::from_str(&project_json_schema()).expect("json");
        let required: Vec<&str> =
            schema["$defs"]["Annotation"]["required"].as_array().expect("required").iter().filter_map(|v| v.as_str()).collect();
        let sample: serde_json::Value = serde_json::from_str(include_str!("../../projects/pakistan-taliban.gloss.json")).expect("json");
        for annotation in sample["documents"][0]["annotations"].as_array().expect("annotations") {
            for field in &required {
                assert!(annotation.get(field).is_some(), "{field} missing in {annotation}");
            }
        }
    }

    #[test]
    fn save_then_load_is_the_identity() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("p.gloss.json");
        let project = sample();
        save_project(&project, &path).expect("save");
        let loaded = load_project(&path).expect("load");
        assert_eq!(loaded, project);
    }

    #[test]
    fn offsets_in_the_file_are_code_points() {
        let json = project_to_json(&sample());
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        let document = &value["documents"][0];
        let text = document["text"].as_str().expect("text");
        let person = &document["annotations"][0]["fragments"][0];
        let (start, end) = (person["start"].as_u64().expect("start") as usize, person["end"].as_u64().expect("end") as usize);
        let sliced: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(sliced, "Imran Khan");
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let error =
            parse_project("{\n  \"format_version\": 1,\n  \"metadata\": {,\n}", Path::new("bad.gloss.json")).expect_err("malformed");
        let message = error.to_string();
        assert!(matches!(error, ProjectFileError::Syntax { line: 3, column: 16, .. }), "{message}");
        assert!(message.starts_with("bad.gloss.json:3:16: "), "{message}");
    }

    #[test]
    fn a_newer_format_is_refused_clearly() {
        let error = parse_project(r#"{"format_version": 99}"#, Path::new("new.gloss.json")).expect_err("too new");
        assert!(error.to_string().contains("format version 99 is newer"), "{error}");
    }

    #[test]
    fn missing_fields_are_syntax_errors_with_a_place() {
        let error = parse_project(r#"{"format_version": 1, "metadata": {}}"#, Path::new("x")).expect_err("incomplete");
        assert!(error.to_string().contains("missing field"), "{error}");
    }

    #[test]
    fn broken_invariants_are_listed() {
        let mut project = sample();
        project.documents[0].annotations[0].fragments = vec![Span::new(5, 400)];
        let error = parse_project(&project_to_json(&project), Path::new("x")).expect_err("out of range");
        assert!(error.to_string().contains("fragment ends at 400"), "{error}");
    }

    #[test]
    fn a_failed_save_names_the_file() {
        let path = Path::new("/nonexistent-folder/p.gloss.json");
        let error = save_project(&sample(), path).expect_err("no such folder");
        assert!(error.to_string().starts_with("cannot save /nonexistent-folder/p.gloss.json: "), "{error}");
    }
}

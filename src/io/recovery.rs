//! Recovery journals: the unsaved state of a project, written in the background while the user
//! works, so that a crash, a power cut or `kill -9` loses at most the last moments of work.
//!
//! A journal is a small JSON object wrapping a whole project file:
//!
//! ```text
//! {"gloss_recovery": 1, "original": "/home/amira/story.gloss.json", "project": { …project file… }}
//! ```
//!
//! `original` is the file the project was opened from (`null` for a project never saved). The
//! journal of a saved project lives beside it as a hidden file (`.story.gloss.json.recovery`), so it
//! travels with the project; that of a project never saved lives in the app's data folder. It is
//! written atomically like a project, so a crash while writing it leaves the previous journal, and
//! it is removed once the project is saved or its changes are discarded.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{ProjectFileError, parse_project, project_to_json, write_atomically_with};
use crate::model::Project;

/// The version of the journal wrapper (the project inside has its own format version).
const JOURNAL_VERSION: u32 = 1;

/// The end of every journal's file name.
pub const JOURNAL_SUFFIX: &str = ".recovery";

/// Where the journal of a project lives: beside its file, hidden, or in `data_folder` for a
/// project never saved.
pub fn journal_path(project_file: Option<&Path>, data_folder: &Path) -> PathBuf {
    match project_file.and_then(|file| Some((file.parent()?, file.file_name()?))) {
        Some((folder, name)) => folder.join(format!(".{}{JOURNAL_SUFFIX}", name.to_string_lossy())),
        None => data_folder.join(format!("untitled.gloss.json{JOURNAL_SUFFIX}")),
    }
}

/// A project read back from its journal.
#[derive(Debug)]
pub struct Recovered {
    /// The project as it was when the journal was last written.
    pub project: Project,
    /// The file it was opened from, if any.
    pub original: Option<PathBuf>,
}

/// Why a journal could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// The journal could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The journal.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// The file is not a journal this Gloss can read.
    #[error("{}: not a Gloss recovery journal: {message}", path.display())]
    Format {
        /// The journal.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The project inside is invalid.
    #[error(transparent)]
    Project(#[from] ProjectFileError),
}

/// Writes the journal of `project` (opened from `original`) to `path`, atomically.
pub fn write_journal(path: &Path, project: &Project, original: Option<&Path>) -> io::Result<()> {
    if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        fs::create_dir_all(folder)?;
    }
    let original = serde_json::to_string(&original).map_err(io::Error::other)?;
    let project = project_to_json(project);
    write_atomically_with(path, |file| {
        write!(file, "{{\"gloss_recovery\": {JOURNAL_VERSION}, \"original\": {original}, \"project\": ")?;
        file.write_all(project.trim_end().as_bytes())?;
        file.write_all(b"}\n")
    })
}

/// Reads the journal at `path`; `Ok(None)` when there is none.
pub fn read_journal(path: &Path) -> Result<Option<Recovered>, RecoveryError> {
    let text = match super::read_bounded_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(RecoveryError::Read { path: path.to_owned(), source }),
    };
    #[derive(Deserialize)]
    struct Journal<'a> {
        gloss_recovery: u32,
        original: Option<PathBuf>,
        #[serde(borrow)]
        project: &'a RawValue,
    }
    let format_error = |message: String| RecoveryError::Format { path: path.to_owned(), message };
    let journal: Journal<'_> = serde_json::from_str(&text).map_err(|error| format_error(error.to_string()))?;
    if journal.gloss_recovery != JOURNAL_VERSION {
        return Err(format_error(format!("journal version {} (this Gloss reads {JOURNAL_VERSION})", journal.gloss_recovery)));
    }
    let project = parse_project(journal.project.get(), path)?;
    Ok(Some(Recovered { project, original: journal.original }))
}

/// Removes the journal at `path`, if there is one.
pub fn discard_journal(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Kind, Span};

    fn edited_article() -> Project {
        let mut project = Project::from_text("Article", crate::SEED_ARTICLE);
        let text = project.documents[0].text.as_str().to_owned();
        let start = text.chars().position(|c| c == '—').expect("an em dash");
        let person = Annotation::new(Kind::Entity, "PER", vec![Span::new(start, start + 3)], "amira");
        project.documents[0].insert_sorted(person);
        project
    }

    #[test]
    fn journals_sit_beside_the_project_or_in_the_data_folder() {
        let data = Path::new("/data/gloss");
        assert_eq!(journal_path(Some(Path::new("/work/story.gloss.json")), data), Path::new("/work/.story.gloss.json.recovery"));
        assert_eq!(journal_path(None, data), Path::new("/data/gloss/untitled.gloss.json.recovery"));
    }

    #[test]
    fn a_journal_gives_back_the_project_and_its_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let original = folder.path().join("story.gloss.json");
        let path = journal_path(Some(&original), folder.path());
        let project = edited_article();
        write_journal(&path, &project, Some(&original)).expect("write");
        let recovered = read_journal(&path).expect("read").expect("a journal");
        assert_eq!(recovered.project, project, "offsets survive the article's em dashes and curly quotes");
        assert_eq!(recovered.original.as_deref(), Some(original.as_path()));
        discard_journal(&path).expect("discard");
        assert!(read_journal(&path).expect("read").is_none());
        discard_journal(&path).expect("discarding twice is fine");
    }

    #[test]
    fn the_journal_of_an_unsaved_project_creates_its_folder() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = journal_path(None, &folder.path().join("gloss").join("recovery"));
        write_journal(&path, &edited_article(), None).expect("write");
        assert!(read_journal(&path).expect("read").expect("a journal").original.is_none());
    }

    #[test]
    fn a_damaged_journal_is_an_error_not_a_project() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join(".story.gloss.json.recovery");
        for (contents, expected) in [
            ("{\"gloss_recovery\": 1, \"original\": null, \"proj", "not a Gloss recovery journal"),
            ("{\"gloss_recovery\": 9, \"original\": null, \"project\": {}}", "journal version 9"),
            ("{\"gloss_recovery\": 1, \"original\": null, \"project\": {\"format_version\": 1}}", ".recovery"),
        ] {
            fs::write(&path, contents).expect("write");
            let error = read_journal(&path).expect_err(contents).to_string();
            assert!(error.contains(expected), "{error}");
        }
    }
}

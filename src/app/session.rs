//! An open project: the project, its undo history, where it lives on disk and whether it has
//! unsaved changes. Plain Rust, no egui, so the CLI and tests can drive it too.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::edit::{EditError, History, Transaction};
use crate::io::{PROJECT_EXTENSION, ProjectFileError, load_project, save_project};
use crate::model::Project;

/// Why a file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// A project file that cannot be read or is invalid.
    #[error(transparent)]
    Project(#[from] ProjectFileError),
    /// A text file that cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// A text file that is not UTF-8.
    #[error("{}: not UTF-8 text (invalid byte at offset {byte_offset}); convert it to UTF-8 first", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Where the first invalid byte is.
        byte_offset: usize,
    },
}

/// The project being edited, with its history and file.
pub struct Session {
    /// Shared with the jobs that read it (exports, comparisons), which take a snapshot rather
    /// than a copy; edits copy it only if a job still holds one (jobs are modal, so they don't).
    project: Arc<Project>,
    history: History,
    path: Option<PathBuf>,
    saved_revision: u64,
    /// The file as it was when last read or written, to notice another program changing it.
    on_disk: Option<FileStamp>,
}

/// What tells one version of a file from another without reading it: its size and the time it
/// was last modified (what editors compare before they save).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    modified: std::time::SystemTime,
    len: u64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Self { modified: metadata.modified().ok()?, len: metadata.len() })
    }
}

impl Session {
    /// A session for `project`; `path` is where it was loaded from, if anywhere.
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        let on_disk = path.as_deref().and_then(FileStamp::of);
        Self { project: Arc::new(project), history: History::default(), path, saved_revision: 0, on_disk }
    }

    /// A session whose project differs from its file (work restored from a recovery journal, a
    /// repaired project): it counts as changed until saved.
    pub fn unsaved(project: Project, path: Option<PathBuf>) -> Self {
        // No revision is ever `u64::MAX`: the session counts as changed until saved.
        Self { saved_revision: u64::MAX, ..Self::new(project, path) }
    }

    /// Opens `path`: a `*.gloss.json` project, or any other file as UTF-8 text for a new project
    /// (which has no path until it is saved).
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        if is_project_path(path) {
            // Stamped before reading: a change made while it is read shows up as a change.
            let on_disk = FileStamp::of(path);
            return Ok(Self { on_disk, ..Self::new(load_project(path)?, Some(path.to_owned())) });
        }
        let bytes = crate::io::read_bounded(path).map_err(|source| OpenError::Read { path: path.to_owned(), source })?;
        let text = String::from_utf8(bytes)
            .map_err(|error| OpenError::NotUtf8 { path: path.to_owned(), byte_offset: error.utf8_error().valid_up_to() })?;
        let title = path.file_stem().map_or_else(|| "Untitled".to_owned(), |stem| stem.to_string_lossy().into_owned());
        Ok(Self::new(Project::from_text(title, text), None))
    }

    /// The project as it is now.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The project as it is now, for a job on another thread: shared, not copied.
    pub fn snapshot(&self) -> Arc<Project> {
        Arc::clone(&self.project)
    }

    /// The file the project is saved to, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Applies and records a transaction.
    pub fn apply(&mut self, transaction: Transaction) -> Result<(), EditError> {
        self.history.apply(Arc::make_mut(&mut self.project), transaction)
    }

    /// Undoes the last transaction; returns its description.
    pub fn undo(&mut self) -> Option<String> {
        self.history.undo(Arc::make_mut(&mut self.project))
    }

    /// Redoes the last undone transaction; returns its description.
    pub fn redo(&mut self) -> Option<String> {
        self.history.redo(Arc::make_mut(&mut self.project))
    }

    /// The undo history, to show what Undo and Redo would do.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Whether the project differs from what was last saved (or opened).
    pub fn is_dirty(&self) -> bool {
        self.history.revision() != self.saved_revision
    }

    /// Saves to `path` atomically and makes it the session's file.
    pub fn save_as(&mut self, path: &Path) -> Result<(), ProjectFileError> {
        save_project(&self.project, path)?;
        self.path = Some(path.to_owned());
        self.saved_revision = self.history.revision();
        self.on_disk = FileStamp::of(path);
        Ok(())
    }

    /// Whether another program changed (or replaced) the session's file since Gloss last read or
    /// wrote it; a file since deleted counts as unchanged (saving just writes it again).
    pub fn changed_on_disk(&self) -> bool {
        let Some(path) = &self.path else { return false };
        match FileStamp::of(path) {
            Some(now) => self.on_disk != Some(now),
            None => false,
        }
    }

    /// The file name, or the project title for a project never saved.
    pub fn display_name(&self) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| self.project.metadata.title.clone(), |name| name.to_string_lossy().into_owned())
    }

    /// The window title: the file name, a mark when there are unsaved changes, and the app name.
    pub fn window_title(&self) -> String {
        let mark = if self.is_dirty() { "● " } else { "" };
        format!("{mark}{} — Gloss", self.display_name())
    }

    /// A file name to propose in the Save As dialog.
    pub fn suggested_file_name(&self) -> String {
        format!("{}.{PROJECT_EXTENSION}", self.suggested_file_stem())
    }

    /// The project's title as a file name without extension (`pakistan-confronts-a-new`), for
    /// the files saved and exported from it.
    pub fn suggested_file_stem(&self) -> String {
        let stem: String = self
            .project
            .metadata
            .title
            .chars()
            .map(|c| if c.is_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|part| !part.is_empty())
            .take(6)
            .collect::<Vec<_>>()
            .join("-");
        if stem.is_empty() { "untitled".to_owned() } else { stem }
    }
}

/// Whether `path` names a project file (`*.gloss.json`).
pub fn is_project_path(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name.to_string_lossy().ends_with(&format!(".{PROJECT_EXTENSION}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::ops;
    use crate::model::Span;

    #[test]
    fn notices_another_program_changing_the_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("story.gloss.json");
        let mut session = Session::new(Project::from_text("Story", "Kabul fell."), None);
        assert!(!session.changed_on_disk(), "no file yet");
        session.save_as(&path).expect("save");
        assert!(!session.changed_on_disk());
        save_project(&Project::from_text("Story", "Kabul fell. Then Herat."), &path).expect("their save");
        assert!(session.changed_on_disk());
        session.save_as(&path).expect("overwrite");
        assert!(!session.changed_on_disk(), "our save is the version on disk now");
        std::fs::remove_file(&path).expect("delete");
        assert!(!session.changed_on_disk(), "saving a deleted file just writes it again");
    }

    #[test]
    fn dirty_follows_edits_saves_and_undo() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut session = Session::new(Project::from_text("Pakistan confronts a new reality", "Kabul fell."), None);
        assert!(!session.is_dirty());
        assert_eq!(session.window_title(), "Pakistan confronts a new reality — Gloss");
        let document_id = session.project().documents[0].id.clone();
        let (transaction, _) = ops::tag(session.project(), &document_id, "LOC", vec![Span::new(0, 5)], "me").expect("tag");
        session.apply(transaction).expect("valid");
        assert!(session.is_dirty());
        assert!(session.window_title().starts_with("● "));
        let path = folder.path().join(session.suggested_file_name());
        assert!(path.ends_with("pakistan-confronts-a-new-reality.gloss.json"));
        session.save_as(&path).expect("save");
        assert!(!session.is_dirty());
        assert_eq!(session.window_title(), "pakistan-confronts-a-new-reality.gloss.json — Gloss");
        session.undo();
        assert!(session.is_dirty());
        session.redo();
        assert!(!session.is_dirty());
        let reopened = Session::open(&path).expect("open");
        assert_eq!(reopened.project(), session.project());
    }

    #[test]
    fn opens_text_files_as_new_projects() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("story.txt");
        std::fs::write(&path, "“Quoted” text").expect("write");
        let session = Session::open(&path).expect("open");
        assert_eq!(session.path(), None, "a new project has no file yet");
        assert_eq!(session.project().documents[0].text.as_str(), "“Quoted” text");
        assert_eq!(session.project().metadata.title, "story");
    }

    #[test]
    fn refuses_non_utf8_text_with_the_offset() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("latin1.txt");
        std::fs::write(&path, b"caf\xe9").expect("write");
        let error = Session::open(&path).err().expect("not UTF-8");
        assert!(error.to_string().contains("invalid byte at offset 3"), "{error}");
    }
}

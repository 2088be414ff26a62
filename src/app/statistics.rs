//! The statistics window's state: whether it is open, and the counts of the revision it last
//! showed, so that a 20,000-document project is counted once per change rather than every frame.

use std::path::Path;

use super::Session;
use crate::stats::ProjectStats;

/// The statistics window, and the counts it shows.
#[derive(Default)]
pub(super) struct Statistics {
    /// Whether the window is open.
    pub open: bool,
    /// The counts, with the history revision they were made at.
    counted: Option<(u64, ProjectStats)>,
}

impl Statistics {
    /// The counts of the session's project, recounted only when its revision changed.
    pub fn of(&mut self, session: &Session) -> &ProjectStats {
        let revision = session.history().revision();
        let counted = match self.counted.take() {
            Some((counted_at, stats)) if counted_at == revision => (counted_at, stats),
            _ => (revision, ProjectStats::of(session.project())),
        };
        &self.counted.insert(counted).1
    }

    /// Drops the counts: the session was replaced by another, whose revisions start over.
    pub fn forget(&mut self) {
        self.counted = None;
    }

    /// Writes the counts of the session's project as CSV to `path`, atomically: a failed export
    /// leaves an older file in place.
    pub fn export_csv(&mut self, session: &Session, path: &Path) -> std::io::Result<()> {
        let stats = self.of(session);
        crate::io::write_atomically_with(path, |file| stats.write_csv(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::ops;
    use crate::model::{DocumentStatus, Project};

    /// Where the counted documents live: the same place while the counts are reused.
    fn counted_at(statistics: &mut Statistics, session: &Session) -> *const crate::stats::DocumentStats {
        statistics.of(session).documents.as_ptr()
    }

    #[test]
    fn counts_are_reused_until_the_project_changes() {
        let mut session = Session::new(Project::from_text("Story", "Kabul fell."), None);
        let mut statistics = Statistics::default();
        let first = counted_at(&mut statistics, &session);
        assert_eq!(counted_at(&mut statistics, &session), first, "the same revision is not counted again");

        let document_id = session.project().documents[0].id.clone();
        let transaction = ops::set_status(session.project(), &document_id, DocumentStatus::Done).expect("a status change");
        session.apply(transaction).expect("applied");
        assert_eq!(statistics.of(&session).progress.done, 1, "an edit is counted");
        session.undo();
        assert_eq!(statistics.of(&session).progress.done, 0, "and its undo");

        let replaced = Session::new(Project::from_text("Other", "Doha talks."), None);
        statistics.forget();
        assert_eq!(statistics.of(&replaced).documents[0].title, "Other", "a new session is counted afresh");
    }

    #[test]
    fn the_csv_is_written_atomically_and_a_bad_place_fails_cleanly() {
        let session = Session::new(Project::from_text("Story", "Kabul fell."), None);
        let mut statistics = Statistics::default();
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("statistics.csv");
        statistics.export_csv(&session, &path).expect("written");
        assert!(std::fs::read_to_string(&path).expect("read").starts_with("document_id,title,"));
        assert!(statistics.export_csv(&session, &folder.path().join("missing").join("s.csv")).is_err());
        assert_eq!(std::fs::read_dir(folder.path()).expect("list").count(), 1, "no temporary file left");
    }
}

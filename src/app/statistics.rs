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

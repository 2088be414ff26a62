//! Autosave to the recovery journal (see [`crate::io::journal_path`]): every change reaches it
//! within two seconds, and at once when the window loses focus; saving the project or discarding
//! its changes removes it. A journal found for the open file (or for an unsaved project) is a
//! crash's leftover, and the app offers it back.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use super::jobs::lower_thread_priority;
use super::session::Session;
use crate::io::{Recovered, RecoveryError, discard_journal, journal_path, read_journal, write_journal};

/// How long a change waits for more changes before the journal is written: edits come in bursts,
/// and one write per burst keeps a large project's autosave cheap.
const DELAY: Duration = Duration::from_secs(1);

/// How often a write in flight is looked at.
const POLL: Duration = Duration::from_millis(100);

/// The journal of the open session, kept up to date in the background.
pub struct Autosave {
    /// Where the journal of a project never saved goes; `None` turns autosave off.
    data_folder: Option<PathBuf>,
    /// The journal written for the session, and the revision it holds.
    written: Option<(PathBuf, u64)>,
    /// When the first change not in the journal was seen.
    pending_since: Option<Instant>,
    /// A write on a worker thread: its journal, revision and result.
    writing: Option<(PathBuf, u64, Receiver<io::Result<()>>)>,
    /// Whether the session's journal was looked for (at start and after another file is opened).
    checked: bool,
}

impl Autosave {
    /// Autosave with the journals of unsaved projects in `data_folder` (`None`: off).
    pub fn new(data_folder: Option<PathBuf>) -> Self {
        Self { data_folder, written: None, pending_since: None, writing: None, checked: false }
    }

    /// The journal of `session`, when autosave is on.
    pub fn journal(&self, session: &Session) -> Option<PathBuf> {
        Some(journal_path(session.path(), self.data_folder.as_deref()?))
    }

    /// A journal left for `session` by a crash, looked for once per session.
    pub fn leftover(&mut self, session: &Session) -> Result<Option<Recovered>, RecoveryError> {
        if std::mem::replace(&mut self.checked, true) {
            return Ok(None);
        }
        match self.journal(session) {
            Some(journal) => read_journal(&journal),
            None => Ok(None),
        }
    }

    /// Once per frame: writes the journal on a worker thread when a change has waited [`DELAY`] or
    /// the window lost focus, and removes it once nothing is unsaved. Returns when to look again
    /// (the window may be idle meanwhile), and a write that failed.
    pub fn tick(&mut self, session: &Session, focused: bool, wake: impl Fn() + Send + 'static) -> (Option<Duration>, Option<io::Error>) {
        let mut failure = None;
        if let Some((journal, revision, result)) = &self.writing {
            match result.try_recv() {
                Err(TryRecvError::Empty) => return (Some(POLL), None),
                Ok(Ok(())) => self.written = Some((journal.clone(), *revision)),
                Ok(Err(error)) => failure = Some(error),
                Err(TryRecvError::Disconnected) => {}
            }
            self.writing = None;
        }
        if self.data_folder.is_none() {
            return (None, failure);
        }
        let revision = session.history().revision();
        if !session.is_dirty() {
            // The file holds everything (saved, or undone back to it): no journal is needed.
            self.pending_since = None;
            if let Some((written, _)) = self.written.take() {
                let _ = discard_journal(&written);
            }
            return (None, failure);
        }
        // The journal's place changes only with the session's file, and saving under another
        // name or replacing the session forgets what was written: the revision tells it all.
        if self.written.as_ref().is_some_and(|(_, at)| *at == revision) {
            self.pending_since = None;
            return (None, failure);
        }
        let waited = self.pending_since.get_or_insert_with(Instant::now).elapsed();
        if waited < DELAY && focused && failure.is_none() {
            return (Some(DELAY - waited), failure);
        }
        if failure.is_some() {
            // Try again after a pause rather than every frame.
            self.pending_since = Some(Instant::now());
            return (Some(DELAY), failure);
        }
        let Some(journal) = self.journal(session) else { return (None, failure) };
        let (project, original) = (session.snapshot(), session.path().map(Path::to_owned));
        let (sender, receiver) = channel();
        let target = journal.clone();
        std::thread::spawn(move || {
            lower_thread_priority();
            let _ = sender.send(write_journal(&target, &project, original.as_deref()));
            wake();
        });
        self.writing = Some((journal, revision, receiver));
        self.pending_since = None;
        (Some(POLL), None)
    }

    /// Removes the session's journal (its changes were saved or discarded) and any journal
    /// written under another name (before Save As); the next session's journal is looked for.
    pub fn forget(&mut self, session: &Session) {
        if let Some((_, _, result)) = self.writing.take() {
            // A write in flight would bring the journal back after its removal.
            let _ = result.recv();
        }
        let written = self.written.take().map(|(journal, _)| journal);
        for journal in written.into_iter().chain(self.journal(session)) {
            let _ = discard_journal(&journal);
        }
        self.pending_since = None;
    }

    /// Starts over on another session, whose journal is looked for.
    pub fn replace_session(&mut self, old: &Session) {
        self.forget(old);
        self.checked = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::ops;
    use crate::model::{Project, Span};

    /// An unsaved session with one tag.
    fn edited_session() -> Session {
        let mut session = Session::new(Project::from_text("Story", crate::SEED_ARTICLE), None);
        let document_id = session.project().documents[0].id.clone();
        let (transaction, _) = ops::tag(session.project(), &document_id, "LOC", vec![Span::new(0, 8)], "me").expect("tag");
        session.apply(transaction).expect("valid");
        session
    }

    /// Ticks until the write in flight has finished.
    fn settle(autosave: &mut Autosave, session: &Session, focused: bool) {
        while autosave.writing.is_some() {
            std::thread::sleep(POLL);
            autosave.tick(session, focused, || {});
        }
    }

    #[test]
    fn a_change_waits_for_more_while_the_window_has_focus() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut autosave = Autosave::new(Some(folder.path().to_owned()));
        let session = edited_session();
        let (again, failure) = autosave.tick(&session, true, || {});
        assert!(again.is_some_and(|delay| delay <= DELAY) && failure.is_none());
        assert!(autosave.writing.is_none(), "nothing written yet");
    }

    #[test]
    fn losing_focus_writes_the_journal_at_once() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut autosave = Autosave::new(Some(folder.path().to_owned()));
        let session = edited_session();
        autosave.tick(&session, false, || {});
        assert!(autosave.writing.is_some(), "the first frame without focus starts the write");
        settle(&mut autosave, &session, false);
        let journal = autosave.journal(&session).expect("autosave is on");
        assert_eq!(&read_journal(&journal).expect("readable").expect("written").project, session.project());
        autosave.forget(&session);
        assert!(!journal.exists());
    }

    #[test]
    fn a_failed_write_is_reported_and_retried() {
        let folder = tempfile::tempdir().expect("temp dir");
        let blocker = folder.path().join("file");
        std::fs::write(&blocker, "").expect("write");
        let mut autosave = Autosave::new(Some(blocker.join("recovery")));
        let session = edited_session();
        autosave.tick(&session, false, || {});
        let mut failure = None;
        while failure.is_none() {
            std::thread::sleep(POLL);
            failure = autosave.tick(&session, false, || {}).1;
        }
        assert!(autosave.writing.is_none() && autosave.pending_since.is_some(), "tried again later");
    }
}

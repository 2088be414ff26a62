//! Long work (opening, importing, exporting, comparing, measuring agreement, pre-annotating a
//! corpus) on a worker thread,
//! so the window keeps drawing: the app shows the job's progress, can cancel it, and picks up its
//! result when it is done. Jobs read the project through a shared snapshot, never a copy made on
//! the window's thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};

use super::session::{OpenError, Session};
use crate::io::{ExportError, ExportFormat, ImportError, ImportFormat, ImportSummary, LossReport, Progress, ProjectFileError};
use crate::model::Project;
use crate::review::compare::Colleague;
use crate::review::report::{AgreementReport, GroupAgreement};

/// What a finished job produced.
pub enum JobResult {
    /// An import, computed on a copy of the project.
    Imported {
        /// The format read.
        format: ImportFormat,
        /// The project with the imported documents, and what was added, or why it failed.
        result: Result<(Box<Project>, ImportSummary), ImportError>,
    },
    /// A file opened as a new session.
    Opened {
        /// The file.
        path: PathBuf,
        /// The session on it, or why it could not be opened.
        result: Result<Box<Session>, OpenError>,
    },
    /// Colleagues' projects loaded and compared with ours.
    Compared {
        /// The colleagues, or the file that could not be loaded and why.
        result: Result<Vec<Arc<Colleague>>, ProjectFileError>,
    },
    /// An agreement report.
    Agreement {
        /// The project revision and active colleague it was computed for.
        key: (u64, usize),
        /// The report against the active colleague, with the figures of all annotators when
        /// two colleagues or more are compared; `None` when cancelled.
        result: Option<(Box<AgreementReport>, Option<GroupAgreement>)>,
    },
    /// Pre-annotation suggestions for every document.
    Preannotated {
        /// The project revision the rules ran on.
        revision: u64,
        /// The edit adding the suggestions and how many there are, or why the rules cannot run.
        result: Result<(crate::edit::Transaction, usize), crate::preannotate::RuleError>,
    },
    /// An export.
    Exported {
        /// The format written.
        format: ExportFormat,
        /// Where it was written.
        destination: PathBuf,
        /// The files written and what the format could not hold, or why it failed.
        result: Result<(Vec<PathBuf>, LossReport), ExportError>,
    },
}

/// Counters shared between the worker and the window.
#[derive(Default)]
struct Shared {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

/// A job running on a worker thread.
pub struct Job {
    title: String,
    shared: Arc<Shared>,
    receiver: Receiver<JobResult>,
}

/// The worker's side of the progress: counts documents and answers cancellation.
struct WorkerProgress {
    shared: Arc<Shared>,
    wake: Box<dyn Fn() + Send>,
}

impl Progress for WorkerProgress {
    fn advance(&mut self, done: usize, total: usize) -> bool {
        self.shared.done.store(done, Ordering::Relaxed);
        self.shared.total.store(total, Ordering::Relaxed);
        (self.wake)();
        !self.shared.cancelled.load(Ordering::Relaxed)
    }
}

/// Runs the threads that do long work (jobs and rayon's workers) below the window's priority, so
/// that with every core busy the window's frames still come on time. Call once, before the first
/// parallel work.
pub fn run_workers_in_background() {
    // Another global pool was built first (by a test, say): its workers keep their priority.
    let _ = rayon::ThreadPoolBuilder::new().start_handler(|_| lower_thread_priority()).build_global();
}

/// Lowers the calling thread's priority below the window's (Linux; elsewhere a no-op).
pub fn lower_thread_priority() {
    /// The nice value of worker threads: the window's thread (nice 0) gets about ten times their
    /// share of a busy core.
    #[cfg(target_os = "linux")]
    const WORKER_NICENESS: libc::c_int = 10;
    // SAFETY: on Linux, `setpriority(PRIO_PROCESS, 0, …)` sets the nice value of the calling
    // thread only; it takes no pointers and cannot affect memory.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, WORKER_NICENESS);
    }
}

impl Job {
    /// Runs `work` on a new thread; `wake` asks the window to redraw (progress or result arrived).
    pub fn spawn(
        title: impl Into<String>,
        wake: impl Fn() + Clone + Send + 'static,
        work: impl FnOnce(&mut dyn Progress) -> JobResult + Send + 'static,
    ) -> Self {
        let shared = Arc::new(Shared::default());
        let (sender, receiver) = channel();
        let mut progress = WorkerProgress { shared: Arc::clone(&shared), wake: Box::new(wake.clone()) };
        std::thread::spawn(move || {
            lower_thread_priority();
            let result = work(&mut progress);
            // The window may have closed meanwhile; then nobody waits for the result.
            let _ = sender.send(result);
            wake();
        });
        Self { title: title.into(), shared, receiver }
    }

    /// What the job does, for its progress window.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// How far it got, from 0 to 1, once it knows its total.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.shared.total.load(Ordering::Relaxed);
        (total > 0).then(|| self.shared.done.load(Ordering::Relaxed) as f32 / total as f32)
    }

    /// Asks the job to stop at the next document.
    pub fn cancel(&self) {
        self.shared.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether cancellation was asked for.
    pub fn is_cancelling(&self) -> bool {
        self.shared.cancelled.load(Ordering::Relaxed)
    }

    /// The result, once the job is done.
    pub fn poll(&self) -> Option<JobResult> {
        self.receiver.try_recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{ExportOptions, MemorySink, export};

    fn wait(job: &Job) -> JobResult {
        for _ in 0..500 {
            if let Some(result) = job.poll() {
                return result;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the job never finished");
    }

    /// A job exporting `project` once `start` receives a signal.
    fn exporting(project: Project, start: Receiver<()>) -> Job {
        Job::spawn(
            "Exporting",
            || {},
            move |progress| {
                let _ = start.recv();
                let mut sink = MemorySink::default();
                let result = export(&project, ExportFormat::Jsonl, &ExportOptions::default(), &mut sink, progress)
                    .map(|report| (Vec::new(), report));
                JobResult::Exported { format: ExportFormat::Jsonl, destination: PathBuf::new(), result }
            },
        )
    }

    #[test]
    fn a_job_reports_progress_and_its_result() {
        let (start, started) = channel();
        let job = exporting(Project::from_text("t", "text"), started);
        assert_eq!(job.fraction(), None, "no total before it starts");
        start.send(()).expect("send");
        let JobResult::Exported { result, .. } = wait(&job) else { panic!("an export") };
        assert!(result.is_ok());
        assert_eq!(job.fraction(), Some(1.0));
    }

    #[test]
    fn cancelling_stops_an_export() {
        let (start, started) = channel();
        let job = exporting(Project::from_text("t", "text"), started);
        job.cancel();
        assert!(job.is_cancelling());
        start.send(()).expect("send");
        let JobResult::Exported { result, .. } = wait(&job) else { panic!("an export") };
        assert!(matches!(result, Err(ExportError::Cancelled)), "{result:?}");
    }
}

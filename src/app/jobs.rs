//! Long work (importing, exporting) on a worker thread, so the window keeps drawing: the app
//! shows the job's progress, can cancel it, and picks up its result when it is done.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crate::io::{ExportError, ExportFormat, ImportError, ImportFormat, ImportSummary, LossReport, Progress};
use crate::model::Project;

/// What a finished job produced.
#[derive(Debug)]
pub enum JobResult {
    /// An import, computed on a copy of the project.
    Imported {
        /// The format read.
        format: ImportFormat,
        /// The project with the imported documents, and what was added, or why it failed.
        result: Result<(Box<Project>, ImportSummary), ImportError>,
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

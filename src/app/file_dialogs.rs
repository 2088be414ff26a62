//! Native file dialogs, run on a helper thread so the window keeps drawing while one is open.
//!
//! The dialog itself is a [`FilePicker`]: the real one uses `rfd` (the desktop portal, or `zenity`
//! when no portal runs); tests pass one that answers at once.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// A question for the user: which file?
#[derive(Clone, Debug, PartialEq)]
pub enum FileRequest {
    /// A project or text file to open.
    Open,
    /// Where to save the project.
    Save {
        /// The proposed file name.
        file_name: String,
        /// The folder to start in.
        directory: Option<PathBuf>,
    },
    /// Files (or one folder) to import.
    ImportInputs {
        /// Whether to choose a folder rather than files.
        folder: bool,
    },
    /// Colleagues' projects to compare with.
    CompareWith,
    /// A gazetteer (CSV or list of terms) for pre-annotation.
    Gazetteer,
    /// Where an export goes.
    ExportDestination {
        /// The proposed file name (unused for a folder).
        file_name: String,
        /// Whether the export is a folder.
        folder: bool,
    },
    /// Where the statistics CSV goes.
    StatisticsDestination {
        /// The proposed file name.
        file_name: String,
    },
}

/// Shows a file dialog and returns the chosen paths; none when cancelled.
pub type FilePicker = Arc<dyn Fn(&FileRequest) -> Vec<PathBuf> + Send + Sync>;

/// The system's file dialogs.
pub fn native_picker() -> FilePicker {
    Arc::new(|request: &FileRequest| {
        let dialog = rfd::FileDialog::new();
        let chosen = match request {
            FileRequest::Open => dialog
                .set_title("Open a project or a text file")
                .add_filter("Gloss projects and text", &["gloss.json", "txt", "md"])
                .add_filter("All files", &["*"])
                .pick_file(),
            FileRequest::Save { file_name, directory } => {
                let dialog = dialog.set_title("Save the project").add_filter("Gloss project", &["gloss.json"]).set_file_name(file_name);
                match directory {
                    Some(directory) => dialog.set_directory(directory),
                    None => dialog,
                }
                .save_file()
            }
            FileRequest::CompareWith => {
                return dialog
                    .set_title("Compare with colleagues' projects")
                    .add_filter("Gloss projects", &["gloss.json"])
                    .pick_files()
                    .unwrap_or_default();
            }
            FileRequest::Gazetteer => dialog
                .set_title("Import a gazetteer")
                .add_filter("CSV (term,label) or a list of terms", &["csv", "txt", "lst"])
                .add_filter("All files", &["*"])
                .pick_file(),
            FileRequest::ImportInputs { folder: true } => dialog.set_title("Import the documents of a folder").pick_folder(),
            FileRequest::ImportInputs { folder: false } => return dialog.set_title("Import documents").pick_files().unwrap_or_default(),
            FileRequest::ExportDestination { folder: true, .. } => dialog.set_title("Export into a folder").pick_folder(),
            FileRequest::ExportDestination { file_name, folder: false } => {
                dialog.set_title("Export to a file").set_file_name(file_name).save_file()
            }
            FileRequest::StatisticsDestination { file_name } => {
                dialog.set_title("Export the statistics").add_filter("CSV", &["csv"]).set_file_name(file_name).save_file()
            }
        };
        chosen.into_iter().collect()
    })
}

/// At most one file dialog at a time, answered asynchronously.
pub struct FileDialogs {
    picker: FilePicker,
    pending: Option<(FileRequest, Receiver<Vec<PathBuf>>)>,
}

impl FileDialogs {
    /// Dialogs shown by `picker`.
    pub fn new(picker: FilePicker) -> Self {
        Self { picker, pending: None }
    }

    /// Opens a dialog, unless one is already open. `wake` is called when it is answered.
    pub fn request(&mut self, request: FileRequest, wake: impl FnOnce() + Send + 'static) {
        if self.pending.is_some() {
            return;
        }
        let (sender, receiver) = channel();
        let picker = Arc::clone(&self.picker);
        let question = request.clone();
        std::thread::spawn(move || {
            // The receiver only goes away when the app closes; nobody is left to tell then.
            let _ = sender.send(picker(&question));
            wake();
        });
        self.pending = Some((request, receiver));
    }

    /// The answer of the open dialog, once the user has given it (no paths when cancelled).
    pub fn poll(&mut self) -> Option<(FileRequest, Vec<PathBuf>)> {
        let (_, receiver) = self.pending.as_ref()?;
        let answer = match receiver.try_recv() {
            Ok(answer) => answer,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Vec::new(),
        };
        self.pending.take().map(|(request, _)| (request, answer))
    }

    /// Whether a dialog is open.
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_arrive_once_and_one_dialog_at_a_time() {
        let picker: FilePicker =
            Arc::new(|request| matches!(request, FileRequest::Open).then(|| PathBuf::from("/tmp/a.gloss.json")).into_iter().collect());
        let mut dialogs = FileDialogs::new(picker);
        let (woken_sender, woken) = channel();
        dialogs.request(FileRequest::Open, move || woken_sender.send(()).unwrap_or_default());
        dialogs.request(FileRequest::Save { file_name: "x".into(), directory: None }, || {});
        woken.recv().expect("the picker thread wakes the app");
        assert_eq!(dialogs.poll(), Some((FileRequest::Open, vec![PathBuf::from("/tmp/a.gloss.json")])));
        assert_eq!(dialogs.poll(), None);
        assert!(!dialogs.is_open());
    }
}

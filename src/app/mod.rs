//! The eframe app: owns the session and the view state, lays out the panels, and runs the
//! actions they return once per frame.

mod actions;
mod autosave;
mod commands;
mod file_dialogs;
mod finding;
mod jobs;
pub mod review;
mod reviewing;
mod session;
pub mod settings;
mod statistics;

use std::path::{Path, PathBuf};

pub use actions::Action;
pub use commands::{Command, Menu};
pub use file_dialogs::{FileDialogs, FilePicker, FileRequest, native_picker};
pub use jobs::{Job, JobResult, lower_thread_priority, run_workers_in_background};
pub use session::{OpenError, Session, is_project_path};
pub use settings::{Settings, Theme};

use crate::edit::{Transaction, ops};
use crate::io::{ExportOptions, FileSink, ImportOptions, PROJECT_EXTENSION, ProjectFileError, export, import};
use crate::model::{Annotation, AnnotationId, Document, Project};
use crate::ui::{self, DocumentView, UnsavedChoice, ViewState};

/// A callback that asks the window to redraw, for a worker thread to call.
fn waker(ctx: &egui::Context) -> impl Fn() + Clone + Send + 'static {
    let ctx = ctx.clone();
    move || ctx.request_repaint()
}

/// What to do once unsaved changes are saved or discarded.
#[derive(Clone, Debug, PartialEq)]
enum Continuation {
    Quit,
    NewProject,
    ChooseFileToOpen,
    OpenPath(PathBuf),
}

impl Continuation {
    fn doing(&self) -> &'static str {
        match self {
            Continuation::Quit => "closing",
            Continuation::NewProject => "starting a new project",
            Continuation::ChooseFileToOpen | Continuation::OpenPath(_) => "opening another file",
        }
    }
}

/// The outcome of a finished import or export, shown until dismissed.
struct Summary {
    title: String,
    details: String,
    report: String,
}

/// Modal and windowed UI that is open.
#[derive(Default)]
struct Dialogs {
    error: Option<(String, String)>,
    unsaved: Option<Continuation>,
    preferences: bool,
    shortcuts: bool,
    /// The label schema editor, with what is typed in it.
    schema_editor: ui::SchemaEditor,
    export: Option<ui::ExportChoices>,
    import: Option<ui::ImportChoices>,
    summary: Option<Summary>,
    /// Work a crash left in the recovery journal, offered back.
    recovered: Option<crate::io::Recovered>,
    /// A save held back because another program changed the file, with what was to follow it.
    changed_on_disk: Option<Option<Continuation>>,
    /// A file that breaks the project's rules, with the repairs offered for it.
    repair: Option<RepairOffer>,
}

/// A project file that repairs would fix, waiting for the user's consent.
struct RepairOffer {
    path: PathBuf,
    problems: String,
    repairs: Vec<String>,
    repaired: Box<Project>,
}

/// The Gloss desktop app.
pub struct GlossApp {
    session: Session,
    settings: Settings,
    view: ViewState,
    document_view: DocumentView,
    dialogs: Dialogs,
    file_dialogs: FileDialogs,
    /// What to run after the save in progress succeeds.
    after_save: Option<Continuation>,
    /// The choices the open import or export dialog was confirmed with.
    pending_transfer: Option<Transfer>,
    /// An import or export running on a worker thread.
    job: Option<Job>,
    /// Colleagues compared with the project, while reviewing.
    review: Option<review::Review>,
    /// The colleague's version of the article, when shown side by side.
    their_view: DocumentView,
    /// Whether the left panel shows the review rather than the labels.
    review_tab: bool,
    /// The statistics window and the counts it shows.
    statistics: statistics::Statistics,
    status: Option<String>,
    sent_title: String,
    applied_theme: Option<Theme>,
    close_confirmed: bool,
    /// The recovery journal of the session.
    autosave: autosave::Autosave,
    /// The command palette.
    palette: ui::CommandPalette,
    /// Whether a text field had the keyboard at the end of the last frame (see `shortcuts`).
    typing_last_frame: bool,
    /// The pre-annotation window.
    suggestions: ui::SuggestionsWindow,
}

impl GlossApp {
    /// Creates the app on `session`, with preferences from eframe's storage, asking for file
    /// paths through `picker`.
    pub fn new(cc: &eframe::CreationContext<'_>, session: Session, picker: FilePicker) -> Self {
        let settings: Settings = cc.storage.and_then(|storage| eframe::get_value(storage, settings::SETTINGS_KEY)).unwrap_or_default();
        configure_style(&cc.egui_ctx);
        Self {
            session,
            settings,
            view: ViewState::default(),
            document_view: DocumentView::default(),
            dialogs: Dialogs::default(),
            file_dialogs: FileDialogs::new(picker),
            after_save: None,
            pending_transfer: None,
            job: None,
            review: None,
            their_view: DocumentView::default(),
            review_tab: false,
            statistics: statistics::Statistics::default(),
            status: None,
            sent_title: String::new(),
            applied_theme: None,
            close_confirmed: false,
            autosave: autosave::Autosave::new(eframe::storage_dir("gloss").map(|folder| folder.join("recovery"))),
            palette: ui::CommandPalette::default(),
            typing_last_frame: false,
            suggestions: ui::SuggestionsWindow::default(),
        }
    }

    /// Keeps the recovery journals of projects never saved in `folder` instead of the app's data
    /// folder; `None` turns autosave and recovery off (for tests that must not touch the disk).
    pub fn set_recovery_folder(&mut self, folder: Option<PathBuf>) {
        self.autosave = autosave::Autosave::new(folder);
    }

    /// The recovery journal of the open session, when autosave is on.
    pub fn recovery_journal(&self) -> Option<PathBuf> {
        self.autosave.journal(&self.session)
    }

    /// The open session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// What is selected and shown.
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    /// The article panel, whose last frame tells where characters were drawn.
    pub fn document_view(&self) -> &DocumentView {
        &self.document_view
    }

    /// The preferences.
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// The last status bar message.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The review in progress, if any.
    pub fn review(&self) -> Option<&review::Review> {
        self.review.as_ref()
    }

    /// The running import or export, if any.
    pub fn job(&self) -> Option<&Job> {
        self.job.as_ref()
    }

    /// The headline and report of the last finished import or export, until dismissed.
    pub fn summary(&self) -> Option<(&str, &str)> {
        self.dialogs.summary.as_ref().map(|summary| (summary.title.as_str(), summary.report.as_str()))
    }

    /// The open error message, as (title, message).
    pub fn error(&self) -> Option<(&str, &str)> {
        self.dialogs.error.as_ref().map(|(title, message)| (title.as_str(), message.as_str()))
    }

    fn panels_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        egui::Panel::top("menu bar").show(ui, |ui| {
            ui::menu_bar_ui(ui, &self.session, &self.view, &self.settings.recent_files, self.review.is_some(), actions);
        });
        egui::Panel::bottom("status bar").show(ui, |ui| {
            ui::status_bar_ui(ui, self.session.project(), &self.view, &self.settings.annotator, self.status.as_deref(), actions);
        });
        egui::Panel::left("labels and annotations").resizable(true).default_size(270.0).size_range(200.0..=460.0).show(ui, |ui| {
            ui.add_space(4.0);
            let documents = self.session.project().documents.len();
            egui::CollapsingHeader::new(format!("Documents ({documents})")).default_open(documents > 1).show(ui, |ui| {
                ui::documents_ui(ui, self.session.project(), &self.view, actions);
            });
            ui.separator();
            if self.review.is_some() {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.review_tab, false, "Annotate");
                    ui.selectable_value(&mut self.review_tab, true, "Review");
                });
            }
            if self.review_tab && self.review.is_some() {
                self.review_panel_ui(ui, actions);
            } else {
                if let Some(document) = self.view.document(self.session.project()) {
                    ui::merge_conflicts_ui(ui, self.session.project(), document, actions);
                }
                ui.heading("Labels");
                ui::palette_ui(ui, self.session.project(), &self.view, actions);
                ui.add_space(8.0);
                ui.separator();
                ui.heading("Annotations");
                ui::annotation_list_ui(ui, self.session.project(), &mut self.view, actions);
            }
        });
        egui::Panel::right("inspector").resizable(true).default_size(320.0).size_range(240.0..=520.0).show(ui, |ui| {
            ui.add_space(4.0);
            egui::ScrollArea::vertical().id_salt("inspector scroll").show(ui, |ui| {
                let author = self.author().to_owned();
                ui::inspector_ui(ui, self.session.project(), &mut self.view, &author, actions);
            });
        });
        if self.view.search.open {
            egui::Panel::top("search bar").show(ui, |ui| {
                ui::search_bar_ui(ui, &mut self.view.search, self.session.project(), self.view.document_index, actions);
            });
        }
        let desk = egui::Frame::new().fill(ui::style::desk_color(ui.visuals()));
        egui::CentralPanel::default().frame(desk).show(ui, |ui| {
            let project = self.session.project();
            let Some(document) = project.documents.get(self.view.document_index) else {
                ui.centered_and_justified(|ui| ui.label("This project has no documents."));
                return;
            };
            let font_size = self.settings.font_size;
            let revision = self.session.history().revision();
            let Some(review) = &self.review else {
                let sheet = ui::Sheet { document, ghosts: &[], read_only: false, revision };
                self.document_view.ui(ui, project, &sheet, &mut self.view, font_size, actions);
                return;
            };
            if review.side_by_side
                && let Some(compared) = review.compared(document)
            {
                let theirs = Document { annotations: compared.annotations.clone(), ..document.clone() };
                let (document_view, their_view, view) = (&mut self.document_view, &mut self.their_view, &mut self.view);
                ui.columns(2, |columns| {
                    document_view.ui(
                        &mut columns[0],
                        project,
                        &ui::Sheet { document, ghosts: &[], read_only: false, revision },
                        view,
                        font_size,
                        actions,
                    );
                    their_view.ui(
                        &mut columns[1],
                        project,
                        &ui::Sheet { document: &theirs, ghosts: &[], read_only: true, revision },
                        view,
                        font_size,
                        actions,
                    );
                });
            } else {
                // Their annotations that agree with ours would only repeat ours: draw the others.
                let ghosts: Vec<Annotation> = review
                    .colleagues
                    .iter()
                    .zip(&review.shown)
                    .filter(|(_, shown)| **shown)
                    .filter_map(|(colleague, _)| colleague.document(&document.id))
                    .flat_map(|compared| {
                        let alignment = compared.align_with(document);
                        compared
                            .annotations
                            .iter()
                            .filter(move |annotation| {
                                alignment
                                    .of(crate::review::align::Difference::Agreement)
                                    .all(|pair| pair.b.as_ref() != Some(&annotation.id))
                            })
                            .cloned()
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let sheet = ui::Sheet { document, ghosts: &ghosts, read_only: false, revision };
                self.document_view.ui(ui, project, &sheet, &mut self.view, font_size, actions);
            }
        });
    }

    fn review_panel_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let alignment = self.shown_alignment().unwrap_or_default();
        let project = self.session.project();
        let (Some(review), Some(document)) = (&mut self.review, project.documents.get(self.view.document_index)) else { return };
        egui::ScrollArea::vertical().id_salt("review panel").show(ui, |ui| {
            ui::review_panel_ui(ui, project, document, review, &alignment, actions);
        });
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
        if let Some(offer) = &self.dialogs.repair {
            let name = offer.path.file_name().map_or_else(|| offer.path.display().to_string(), |name| name.to_string_lossy().into_owned());
            if let Some(repair) = ui::repair_offer_ui(ctx, &name, &offer.problems, &offer.repairs)
                && let Some(offer) = self.dialogs.repair.take()
            {
                if repair {
                    let count = offer.repairs.len();
                    self.replace_session(Session::unsaved(*offer.repaired, Some(offer.path)));
                    self.status = Some(format!("Opened with {count} repair(s); save to keep them"));
                } else {
                    self.status = Some("Not opened; the file was left as it is".into());
                }
            }
        }
        if let Some(then) = &self.dialogs.changed_on_disk
            && let Some(choice) = ui::file_changed_ui(ctx, &self.session.display_name())
        {
            let then = then.clone();
            self.dialogs.changed_on_disk = None;
            self.conflict_answered(choice, then, ctx);
        }
        if let Some(recovered) = &self.dialogs.recovered
            && let Some(restore) = ui::recovery_ui(ctx, &self.session.display_name(), recovered.project.annotation_count())
        {
            self.recovery_answered(restore);
        }
        if let Some((title, message)) = &self.dialogs.error
            && ui::error_dialog_ui(ctx, title, message)
        {
            self.dialogs.error = None;
        }
        if let Some(continuation) = self.dialogs.unsaved.clone()
            && let Some(choice) = ui::unsaved_changes_ui(ctx, &self.session.display_name(), continuation.doing())
        {
            self.dialogs.unsaved = None;
            match choice {
                UnsavedChoice::Save => self.save(Some(continuation), ctx),
                UnsavedChoice::Discard => self.continue_with(continuation, ctx),
                UnsavedChoice::Cancel => {}
            }
        }
        self.transfer_dialogs_ui(ctx);
        self.agreement_report_ui(ctx);
        ui::preferences_ui(ctx, &mut self.dialogs.preferences, &mut self.settings);
        ui::shortcuts_ui(ctx, &mut self.dialogs.shortcuts, self.session.project());
    }

    /// The command palette, while open; what it chooses runs with the frame's other actions.
    fn palette_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        ui::command_palette_ui(ctx, &mut self.palette, self.session.project(), actions);
    }

    /// The statistics window, while open.
    fn statistics_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let mut open = self.statistics.open;
        if !open {
            return;
        }
        let stats = self.statistics.of(&self.session);
        ui::statistics_window_ui(ctx, &mut open, self.session.project(), stats, self.view.document_index, actions);
        self.statistics.open = open;
    }

    /// Writes the statistics CSV chosen in the file dialog.
    fn export_statistics(&mut self, path: &Path) {
        match self.statistics.export_csv(&self.session, path) {
            Ok(()) => self.status = Some(format!("Exported the statistics to {}", path.display())),
            Err(error) => {
                self.dialogs.error = Some((
                    "Cannot export the statistics".into(),
                    format!("{}: {error}\n\nNo file was written; try another place.", path.display()),
                ));
            }
        }
    }

    /// The agreement report window, while reviewing; a click on a figure lists the differences
    /// behind it.
    fn agreement_report_ui(&mut self, ctx: &egui::Context) {
        let revision = self.session.history().revision();
        let user = self.author().to_owned();
        let Some(review) = self.review.as_mut().filter(|review| review.report_open) else { return };
        let key = review.report_key(revision);
        let Some((report, group)) = review.report(key) else {
            // Not computed for this revision yet: measure on a worker thread, then show it.
            if self.job.is_none()
                && let Some(inputs) = review.report_inputs(self.session.snapshot(), user)
            {
                self.job = Some(Job::spawn("Measuring agreement", waker(ctx), move |progress| {
                    let result = inputs.compute(progress).map(|(report, group)| (Box::new(report), group));
                    JobResult::Agreement { key, result }
                }));
            }
            return;
        };
        let mut open = true;
        let chosen = ui::agreement_window_ui(ctx, &mut open, report, group);
        review.report_open = open;
        if let Some(filter) = chosen {
            review.filter = filter;
            review.cursor = None;
            self.review_tab = true;
        }
    }

    /// The import and export dialogs, the progress of a running job and the summary of a finished one.
    fn transfer_dialogs_ui(&mut self, ctx: &egui::Context) {
        if let Some(choices) = &mut self.dialogs.export
            && let Some(answer) = ui::export_dialog_ui(ctx, choices)
        {
            let choices = choices.clone();
            self.dialogs.export = None;
            if answer != ui::DialogAnswer::Close {
                let folder = choices.format.layout() == crate::io::OutputLayout::Folder;
                let file_name = format!("{}.{}", self.session.suggested_file_stem(), choices.format.extension());
                self.pending_transfer = Some(Transfer::Export(choices));
                self.request_file(FileRequest::ExportDestination { file_name, folder }, ctx);
            }
        }
        if let Some(choices) = &mut self.dialogs.import
            && let Some(answer) = ui::import_dialog_ui(ctx, choices)
        {
            let choices = choices.clone();
            self.dialogs.import = None;
            if answer != ui::DialogAnswer::Close {
                self.pending_transfer = Some(Transfer::Import(choices));
                self.request_file(FileRequest::ImportInputs { folder: answer == ui::DialogAnswer::ProceedWithFolder }, ctx);
            }
        }
        if let Some(job) = &self.job {
            if ui::job_progress_ui(ctx, job.title(), job.fraction(), job.is_cancelling()) {
                job.cancel();
            }
            if let Some(result) = job.poll() {
                let cancelled = job.is_cancelling();
                self.job = None;
                self.job_finished(result, cancelled, ctx);
            }
        }
        if let Some(summary) = &self.dialogs.summary
            && ui::summary_ui(ctx, &summary.title, &summary.details, &summary.report)
        {
            self.dialogs.summary = None;
        }
    }

    fn request_file(&mut self, request: FileRequest, ctx: &egui::Context) {
        let ctx = ctx.clone();
        self.file_dialogs.request(request, move || ctx.request_repaint());
    }

    /// Starts the import or export the user chose files for.
    fn start_transfer(&mut self, transfer: Transfer, paths: Vec<PathBuf>, ctx: &egui::Context) {
        let wake = waker(ctx);
        match transfer {
            Transfer::Import(choices) => {
                let snapshot = self.session.snapshot();
                let options = ImportOptions { author: self.author().to_owned(), add_unknown_labels: choices.add_labels };
                let format = choices.format;
                self.job = Some(Job::spawn(format!("Importing {format}"), wake, move |_| {
                    let mut project = Project::clone(&snapshot);
                    let result = import(&mut project, format, &paths, &options).map(|summary| (Box::new(project), summary));
                    JobResult::Imported { format, result }
                }));
            }
            Transfer::Export(choices) => {
                let Some(destination) = paths.into_iter().next() else { return };
                let project = self.session.snapshot();
                let format = choices.format;
                let options = ExportOptions { kind: Some(choices.kind) };
                self.job = Some(Job::spawn(format!("Exporting {format}"), wake, move |progress| {
                    let mut sink = FileSink::new(&destination, format.layout());
                    let result = export(&project, format, &options, &mut sink, progress).map(|report| (sink.written().to_vec(), report));
                    JobResult::Exported { format, destination, result }
                }));
            }
        }
    }

    /// Takes in the result of a finished job: opens the session, starts the review, shows the
    /// agreement report, applies an import as one undoable edit, or shows a summary with the loss
    /// report. The result of a job cancelled too late to stop is dropped.
    fn job_finished(&mut self, result: JobResult, cancelled: bool, ctx: &egui::Context) {
        if cancelled && !matches!(result, JobResult::Exported { .. }) {
            if let (JobResult::Agreement { .. }, Some(review)) = (&result, &mut self.review) {
                review.report_open = false;
            }
            self.status = Some("Cancelled; nothing changed".into());
            return;
        }
        match result {
            JobResult::Opened { path, result: Ok(session) } => {
                if session.path().is_some() {
                    self.settings.remember_file(&path);
                }
                self.replace_session(*session);
                self.status = Some(format!("Opened {}", path.display()));
            }
            JobResult::Opened {
                path,
                result: Err(OpenError::Project(ProjectFileError::Repairable { problems, repairs, repaired, .. })),
            } => {
                self.dialogs.repair = Some(RepairOffer {
                    path,
                    problems: problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
                    repairs: repairs.iter().map(ToString::to_string).collect(),
                    repaired,
                });
            }
            JobResult::Opened { result: Err(error), .. } => {
                self.dialogs.error = Some(("Cannot open the file".into(), error.to_string()));
            }
            JobResult::Compared { result: Ok(colleagues) } => self.review_colleagues(colleagues),
            JobResult::Compared { result: Err(error) } => {
                self.dialogs.error = Some(("Cannot compare".into(), error.to_string()));
            }
            JobResult::Preannotated { revision, result } => {
                if revision == self.session.history().revision() {
                    self.run(ui::rules_outcome_action(result), ctx);
                } else {
                    self.status = Some("The project changed while the rules ran; nothing was added, run them again".into());
                }
            }
            JobResult::Agreement { key, result } => {
                if let (Some(review), Some((report, group))) = (&mut self.review, result) {
                    review.store_report(key, *report, group);
                }
            }
            JobResult::Imported { format, result: Ok((imported, summary)) } => {
                let before = self.session.project().clone();
                let description = format!("Import {} document(s)", summary.documents_added + summary.documents_merged);
                self.apply(ops::additions(description, &before, &imported));
                self.dialogs.summary = Some(Summary {
                    title: format!("Imported {format}"),
                    details: format!(
                        "{} document(s) added, {} merged into documents the project had, {} annotation(s). Undo removes them again.",
                        summary.documents_added, summary.documents_merged, summary.annotations_added
                    ),
                    report: report_text(&summary.report),
                });
            }
            JobResult::Imported { format, result: Err(error) } => {
                self.dialogs.error = Some((
                    format!("Cannot import {format}"),
                    format!(
                        "{error}

Nothing was imported."
                    ),
                ));
            }
            JobResult::Exported { format, destination, result: Ok((files, report)) } => {
                self.status = Some(format!("Exported {format} to {}", destination.display()));
                self.dialogs.summary = Some(Summary {
                    title: format!("Exported {format}"),
                    details: format!("Wrote {} file(s) to {}.", files.len(), destination.display()),
                    report: report_text(&report),
                });
            }
            JobResult::Exported { result: Err(crate::io::ExportError::Cancelled), .. } => {
                self.status = Some("Export cancelled; no partial file was left behind".into());
            }
            JobResult::Exported { format, result: Err(error), .. } => {
                self.dialogs.error = Some((format!("Cannot export {format}"), error.to_string()));
            }
        }
    }

    fn author(&self) -> &str {
        let author = self.settings.annotator.trim();
        if author.is_empty() { "annotator" } else { author }
    }

    /// Collects the keyboard shortcuts pressed this frame.
    fn shortcuts(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let modal_open = self.dialogs.unsaved.is_some()
            || self.dialogs.error.is_some()
            || self.dialogs.export.is_some()
            || self.dialogs.import.is_some()
            || self.dialogs.summary.is_some()
            || self.dialogs.recovered.is_some()
            || self.dialogs.changed_on_disk.is_some()
            || self.dialogs.repair.is_some()
            || self.palette.open
            || self.job.is_some();
        if modal_open {
            return;
        }
        // egui takes the focus away from a field before the frame when Escape is pressed in it: a
        // field that had the keyboard last frame still has it for the shortcuts, so the Escape
        // reaches the field's panel (closing the search bar, dropping a draft) and clears nothing.
        let typing = ctx.egui_wants_keyboard_input() || self.typing_last_frame;
        while let Some(command) = Command::consume_pressed(ctx, typing) {
            actions.push(Action::Run(command));
        }
        if typing {
            return;
        }
        for label in &self.session.project().schema.labels {
            let key = label.hotkey.and_then(|hotkey| egui::Key::from_name(&hotkey.to_string()));
            if let Some(key) = key
                && ctx.input_mut(|input| input.consume_key(egui::Modifiers::NONE, key))
            {
                actions.push(Action::Tag { label: label.name.clone() });
            }
        }
    }

    fn run(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::Run(command) => self.run_command(command, ctx),
            Action::Apply { transaction, select } => {
                self.commit_note_draft();
                self.apply(transaction);
                if select.is_some() {
                    self.view.selected = select;
                }
            }
            Action::Tag { label } => self.tag(&label),
            Action::ShowDocument(index) => self.show_document(index),
            Action::TagHits { label } => self.tag_hits(&label),
            Action::PreannotateAll => self.preannotate_all(ctx),
            Action::ShowHit(index) => self.show_hit(index),
            Action::Select(annotation_id) => self.select(annotation_id),
            Action::Reveal(annotation_id) => {
                let start = self
                    .view
                    .document(self.session.project())
                    .and_then(|document| document.annotation(&annotation_id))
                    .and_then(|annotation| annotation.extent());
                if let Some(start) = start {
                    self.view.reveal(start.start);
                }
                self.select(Some(annotation_id));
            }
            Action::RevealOffset(offset) => self.view.reveal(offset),
            Action::OpenPath(path) => self.guard(Continuation::OpenPath(path), ctx),
            Action::SelectTheirs(annotation_id) => self.select_theirs(&annotation_id),
            Action::SelectPair(key) => self.select_pair(key),
            Action::Status(message) => self.status = Some(message),
        }
    }

    fn run_command(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::NewProject => self.guard(Continuation::NewProject, ctx),
            Command::Open => self.guard(Continuation::ChooseFileToOpen, ctx),
            Command::Save => self.save(None, ctx),
            Command::SaveAs => self.choose_save_path(None, ctx),
            Command::ImportDocuments => self.dialogs.import = Some(ui::ImportChoices::default()),
            Command::Export => self.dialogs.export = Some(ui::ExportChoices::default()),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo => {
                self.commit_note_draft();
                let undone = self.session.undo();
                self.after_history_move(undone.map(|what| format!("Undid {what}")), "Nothing to undo");
            }
            Command::Redo => {
                let redone = self.session.redo();
                self.after_history_move(redone.map(|what| format!("Redid {what}")), "Nothing to redo");
            }
            Command::DeleteAnnotation => self.delete_selected(),
            Command::ClearSelection => {
                self.select(None);
                self.view.text_selection.clear();
                self.view.picking = None;
            }
            Command::EditSchema => self.dialogs.schema_editor.open = true,
            Command::Preferences => self.dialogs.preferences = true,
            Command::Preannotation => {
                if self.suggestions.list_label.is_empty()
                    && let Some(label) = self.session.project().schema.labels.iter().find(|label| label.kind.has_spans())
                {
                    self.suggestions.list_label = label.name.clone();
                }
                self.suggestions.open = true;
            }
            Command::RunPreannotation => {
                let project = self.session.project();
                if let Some(document) = self.view.document(project) {
                    let action = ui::run_rules_action(project, std::slice::from_ref(&document.id));
                    self.run(action, ctx);
                }
            }
            Command::ImportGazetteer => self.request_file(FileRequest::Gazetteer, ctx),
            Command::LargerText => self.settings.change_font_size(1.0),
            Command::SmallerText => self.settings.change_font_size(-1.0),
            Command::ToggleTheme => {
                self.settings.theme = if ctx.theme() == egui::Theme::Dark { Theme::Light } else { Theme::Dark };
            }
            Command::ShowShortcuts => self.dialogs.shortcuts = true,
            Command::CommandPalette => self.palette.open(),
            Command::Find | Command::FindNext | Command::FindPrevious | Command::TagAllOccurrences => self.run_finding_command(command),
            movement if movement.menu() == Menu::Go => self.run_finding_command(movement),
            Command::Statistics => self.statistics.open = true,
            Command::ExportStatistics => {
                let file_name = format!("{}-statistics.csv", self.session.suggested_file_stem());
                self.request_file(FileRequest::StatisticsDestination { file_name }, ctx);
            }
            // The rest are the Review menu's commands (see `Command::menu`).
            review_command => self.run_review_command(review_command, ctx),
        }
    }

    fn after_history_move(&mut self, message: Option<String>, nothing: &str) {
        self.status = Some(message.unwrap_or_else(|| nothing.to_owned()));
    }

    /// Keeps the view pointing at things that exist after an edit, undo or redo removed some.
    fn keep_view_valid(&mut self) {
        let project = self.session.project();
        let last = project.documents.len().saturating_sub(1);
        if self.view.document_index > last {
            self.view = ViewState { document_index: last, ..ViewState::default() };
        }
        if self.view.filter.label.as_ref().is_some_and(|name| project.schema.label(name).is_none()) {
            // The label was renamed or deleted (or an undo took it away): show every label.
            self.view.filter.label = None;
        }
        let exists = |id: &AnnotationId| self.view.document(project).is_some_and(|document| document.annotation(id).is_some());
        if self.view.selected.as_ref().is_some_and(|id| !exists(id)) {
            self.view.selected = None;
            self.view.picking = None;
        }
    }

    fn apply(&mut self, transaction: Transaction) {
        let description = transaction.description.clone();
        match self.session.apply(transaction) {
            Ok(()) => self.status = Some(description),
            Err(error) => self.status = Some(format!("{description} failed: {error}")),
        }
    }

    /// Runs the pre-annotation rules on every document on a worker thread; the suggestions are
    /// added as one edit when it is done, unless the project changed meanwhile.
    fn preannotate_all(&mut self, ctx: &egui::Context) {
        if self.job.is_some() {
            self.status = Some("Wait for the running task to finish".into());
            return;
        }
        let (snapshot, revision) = (self.session.snapshot(), self.session.history().revision());
        self.job = Some(Job::spawn("Pre-annotating every document", waker(ctx), move |_| {
            let all: Vec<crate::model::DocumentId> = snapshot.documents.iter().map(|document| document.id.clone()).collect();
            JobResult::Preannotated { revision, result: crate::preannotate::edits::run(&snapshot, &all) }
        }));
    }

    /// Shows document `index`, with nothing selected in it.
    fn show_document(&mut self, index: usize) {
        self.select(None);
        self.view.compared = None;
        if let Some(review) = &mut self.review {
            review.cursor = None;
        }
        self.view.text_selection.clear();
        self.view.document_index = index.min(self.session.project().documents.len().saturating_sub(1));
    }

    pub(crate) fn select(&mut self, annotation_id: Option<AnnotationId>) {
        self.commit_note_draft();
        if annotation_id != self.view.selected {
            self.view.picking = None;
            self.view.comment_draft.clear();
        }
        self.view.selected = annotation_id;
    }

    /// Turns a note typed in the inspector into an edit, if it changed.
    fn commit_note_draft(&mut self) {
        let Some((annotation_id, draft)) = self.view.note_draft.take() else { return };
        let project = self.session.project();
        let Some(document) = self.view.document(project) else { return };
        if document.annotation(&annotation_id).is_some_and(|annotation| annotation.note != draft)
            && let Ok(transaction) = ops::set_note(project, &document.id, &annotation_id, &draft)
        {
            self.apply(transaction);
        }
    }

    /// Tags the text selection, relabels the selected annotation, or adds a document label.
    fn tag(&mut self, label_name: &str) {
        self.commit_note_draft();
        let project = self.session.project();
        let Some(document) = self.view.document(project) else { return };
        let Some(label) = project.schema.label(label_name) else { return };
        let author = self.author().to_owned();
        if !label.kind.has_spans() {
            if let Some(existing) = document.annotations.iter().find(|annotation| annotation.label == label.name) {
                let existing_id = existing.id.clone();
                self.select(Some(existing_id));
                return;
            }
        } else if self.view.text_selection.is_empty() {
            match self.view.selected.clone() {
                Some(selected) if document.annotation(&selected).is_some_and(|a| a.kind.has_spans()) => {
                    match ops::relabel(project, &document.id, &selected, label_name) {
                        Ok(transaction) => self.apply(transaction),
                        Err(error) => self.status = Some(error.to_string()),
                    }
                }
                _ => self.status = Some("Select some text first, then press a label's key.".into()),
            }
            return;
        }
        let first_role = label.relations.first().map(|relation| relation.role.clone());
        match ops::tag(project, &document.id, label_name, self.view.text_selection.clone(), &author) {
            Ok((transaction, annotation_id)) => {
                self.apply(transaction);
                self.view.text_selection.clear();
                self.view.selected = Some(annotation_id);
                // Offer the first relation (a claim's claimant) right away: the next click sets it.
                self.view.picking = first_role;
            }
            Err(error) => self.status = Some(error.to_string()),
        }
    }

    /// Adds the gazetteer in `path` to the rules (replacing one of the same name), as one edit.
    fn import_gazetteer(&mut self, path: &Path) {
        let project = self.session.project();
        let imported = crate::preannotate::load_gazetteer(path, Some(&self.suggestions.list_label)).map_err(|error| error.to_string());
        let change = imported.and_then(|gazetteer| {
            let description = format!("Import gazetteer {} ({} terms)", gazetteer.name, gazetteer.entries.len());
            let mut rules = project.rules.clone();
            rules.gazetteers.retain(|other| other.name != gazetteer.name);
            rules.gazetteers.push(gazetteer);
            crate::preannotate::edits::set_rules(project, rules, description).map_err(|error| error.to_string())
        });
        match change {
            Ok(transaction) => self.apply(transaction),
            Err(error) => self.dialogs.error = Some(("Cannot import the gazetteer".into(), format!("{}: {error}", path.display()))),
        }
    }

    fn delete_selected(&mut self) {
        let project = self.session.project();
        let (Some(document), Some(selected)) = (self.view.document(project), self.view.selected.clone()) else { return };
        match ops::delete(project, &document.id, &selected) {
            Ok(transaction) => {
                self.view.note_draft = None;
                self.apply(transaction);
                self.view.selected = None;
                self.view.picking = None;
            }
            Err(error) => self.status = Some(error.to_string()),
        }
    }

    /// Runs `continuation` now, or first asks about unsaved changes.
    fn guard(&mut self, continuation: Continuation, ctx: &egui::Context) {
        self.commit_note_draft();
        if self.session.is_dirty() {
            self.dialogs.unsaved = Some(continuation);
        } else {
            self.continue_with(continuation, ctx);
        }
    }

    fn continue_with(&mut self, continuation: Continuation, ctx: &egui::Context) {
        match continuation {
            Continuation::Quit => {
                // Saved, or the user chose not to: the recovery copy has nothing to keep.
                self.autosave.forget(&self.session);
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Continuation::NewProject => {
                self.replace_session(Session::new(Project::from_text(crate::SEED_ARTICLE_TITLE, crate::SEED_ARTICLE), None));
                self.status = Some("New project on the bundled article".into());
            }
            Continuation::ChooseFileToOpen => self.request_file(FileRequest::Open, ctx),
            Continuation::OpenPath(path) => self.open_now(&path, ctx),
        }
    }

    fn replace_session(&mut self, session: Session) {
        // The old session's changes were saved or discarded before it is replaced.
        self.autosave.replace_session(&self.session);
        self.session = session;
        self.statistics.forget();
        self.view = ViewState::default();
        self.document_view = DocumentView::default();
    }

    /// Opens `path` on a worker thread; the session is replaced when it is read.
    fn open_now(&mut self, path: &Path, ctx: &egui::Context) {
        let path = path.to_owned();
        let title =
            format!("Opening {}", path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned()));
        self.job = Some(Job::spawn(title, waker(ctx), move |_| JobResult::Opened { result: Session::open(&path).map(Box::new), path }));
    }

    /// Saves to the current file, or asks for one; then runs `then`.
    fn save(&mut self, then: Option<Continuation>, ctx: &egui::Context) {
        self.commit_note_draft();
        match self.session.path().map(Path::to_owned) {
            Some(_) if self.session.changed_on_disk() => self.dialogs.changed_on_disk = Some(then),
            Some(path) => self.save_to(&path, then, ctx),
            None => self.choose_save_path(then, ctx),
        }
    }

    /// The answer to "the file changed on disk" when saving.
    fn conflict_answered(&mut self, choice: ui::ConflictChoice, then: Option<Continuation>, ctx: &egui::Context) {
        let Some(path) = self.session.path().map(Path::to_owned) else { return };
        match choice {
            ui::ConflictChoice::Reload => self.open_now(&path, ctx),
            ui::ConflictChoice::Overwrite => self.save_to(&path, then, ctx),
            ui::ConflictChoice::SaveAs => self.choose_save_path(then, ctx),
            ui::ConflictChoice::Cancel => self.status = Some("Not saved: the file on disk has changes of its own".into()),
        }
    }

    fn choose_save_path(&mut self, then: Option<Continuation>, ctx: &egui::Context) {
        self.commit_note_draft();
        self.after_save = then;
        let directory = self.session.path().and_then(Path::parent).map(Path::to_owned);
        let ctx = ctx.clone();
        self.file_dialogs
            .request(FileRequest::Save { file_name: self.session.suggested_file_name(), directory }, move || ctx.request_repaint());
    }

    fn save_to(&mut self, path: &Path, then: Option<Continuation>, ctx: &egui::Context) {
        match self.session.save_as(path) {
            Ok(()) => {
                self.autosave.forget(&self.session);
                self.settings.remember_file(path);
                self.status = Some(format!("Saved {}", path.display()));
                if let Some(continuation) = then {
                    self.continue_with(continuation, ctx);
                }
            }
            Err(error) => {
                self.dialogs.error =
                    Some(("Cannot save the project".into(), format!("{error}\n\nYour work is still open; try another place.")));
            }
        }
    }

    /// Handles the answer of a finished file dialog.
    fn file_dialog_answered(&mut self, request: FileRequest, paths: Vec<PathBuf>, ctx: &egui::Context) {
        let then = self.after_save.take();
        let transfer = self.pending_transfer.take();
        let Some(first) = paths.first().cloned() else {
            self.status = Some("Cancelled".into());
            return;
        };
        match request {
            FileRequest::Open => self.open_now(&first, ctx),
            FileRequest::Save { .. } => self.save_to(&with_project_extension(first), then, ctx),
            FileRequest::CompareWith => self.compare_with(&paths, ctx),
            FileRequest::StatisticsDestination { .. } => self.export_statistics(&first),
            FileRequest::Gazetteer => self.import_gazetteer(&first),
            FileRequest::ImportInputs { .. } | FileRequest::ExportDestination { .. } => {
                if let Some(transfer) = transfer {
                    self.start_transfer(transfer, paths, ctx);
                }
            }
        }
    }

    fn sync_window(&mut self, ctx: &egui::Context) {
        let title = self.session.window_title();
        if title != self.sent_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.sent_title = title;
        }
        if self.applied_theme != Some(self.settings.theme) {
            ctx.set_theme(match self.settings.theme {
                Theme::System => egui::ThemePreference::System,
                Theme::Light => egui::ThemePreference::Light,
                Theme::Dark => egui::ThemePreference::Dark,
            });
            self.applied_theme = Some(self.settings.theme);
        }
    }

    /// Keeps the window open when it is asked to close with unsaved changes, and asks instead.
    fn intercept_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|input| input.viewport().close_requested()) && !self.close_confirmed {
            self.commit_note_draft();
            if self.session.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.dialogs.unsaved = Some(Continuation::Quit);
            }
        }
    }
}

impl eframe::App for GlossApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if let Some((request, paths)) = self.file_dialogs.poll() {
            self.file_dialog_answered(request, paths, &ctx);
        }
        let mut actions = Vec::new();
        self.shortcuts(&ctx, &mut actions);
        self.panels_ui(ui, &mut actions);
        self.palette_ui(&ctx, &mut actions);
        self.statistics_ui(&ctx, &mut actions);
        if self.suggestions.open {
            let author = self.author().to_owned();
            ui::suggestions_window_ui(&ctx, &mut self.suggestions, self.session.project(), &self.view, &author, &mut actions);
        }
        self.dialogs_ui(&ctx);
        ui::schema_editor_ui(&ctx, &mut self.dialogs.schema_editor, self.session.project(), &mut actions);
        for action in actions {
            self.run(action, &ctx);
        }
        self.keep_view_valid();
        self.typing_last_frame = ctx.egui_wants_keyboard_input();
        self.intercept_close(&ctx);
        self.sync_window(&ctx);
        self.autosave(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::SETTINGS_KEY, &self.settings);
    }
}

impl GlossApp {
    /// Offers back the work a crash left for the session, else keeps its journal up to date.
    fn autosave(&mut self, ctx: &egui::Context) {
        if self.dialogs.recovered.is_some() || self.job.is_some() {
            return;
        }
        match self.autosave.leftover(&self.session) {
            Ok(Some(recovered)) => {
                self.dialogs.recovered = Some(recovered);
                return;
            }
            Ok(None) => {}
            Err(error) => {
                self.dialogs.error = Some(("Cannot read the recovery copy".into(), format!("{error}\n\nIt was left in place.")));
            }
        }
        let focused = ctx.input(|input| input.focused);
        let (again, failure) = self.autosave.tick(&self.session, focused, waker(ctx));
        if let Some(delay) = again {
            ctx.request_repaint_after(delay);
        }
        if let Some(error) = failure {
            self.status = Some(format!("Cannot write the recovery copy ({error}); your work is still open, save it elsewhere"));
        }
    }

    /// The answer to the offer of recovered work: restore it as unsaved changes, or discard it.
    fn recovery_answered(&mut self, restore: bool) {
        let Some(recovered) = self.dialogs.recovered.take() else { return };
        if restore {
            let count = recovered.project.annotation_count();
            self.replace_session(Session::unsaved(recovered.project, recovered.original));
            self.status = Some(format!("Restored unsaved work ({count} annotations); save to keep it"));
        } else {
            self.autosave.forget(&self.session);
            self.status = Some("Discarded the recovery copy".into());
        }
    }
}

/// An import or export whose files are being chosen.
enum Transfer {
    Import(ui::ImportChoices),
    Export(ui::ExportChoices),
}

/// A loss report for the summary dialog; empty when nothing was lost.
fn report_text(report: &crate::io::LossReport) -> String {
    if report.is_empty() { String::new() } else { report.to_string() }
}

/// Adds `.gloss.json` to a chosen path that lacks it (replacing a bare `.json`).
fn with_project_extension(path: PathBuf) -> PathBuf {
    if is_project_path(&path) {
        return path;
    }
    let name = path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let stem = name.strip_suffix(".json").unwrap_or(&name);
    path.with_file_name(format!("{stem}.{PROJECT_EXTENSION}"))
}

/// Slightly larger, airier widgets than egui's defaults.
fn configure_style(ctx: &egui::Context) {
    ui::style::install_fonts(ctx);
    ctx.options_mut(|options| options.zoom_with_keyboard = false);
    ctx.all_styles_mut(|style| {
        for (text_style, size) in [
            (egui::TextStyle::Body, 14.0),
            (egui::TextStyle::Button, 14.0),
            (egui::TextStyle::Heading, 17.0),
            (egui::TextStyle::Small, 11.0),
        ] {
            if let Some(font) = style.text_styles.get_mut(&text_style) {
                font.size = size;
            }
        }
        style.spacing.item_spacing = egui::vec2(8.0, 5.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_paths_get_the_project_extension() {
        assert_eq!(with_project_extension("a/x.gloss.json".into()), PathBuf::from("a/x.gloss.json"));
        assert_eq!(with_project_extension("a/x".into()), PathBuf::from("a/x.gloss.json"));
        assert_eq!(with_project_extension("a/x.json".into()), PathBuf::from("a/x.gloss.json"));
    }
}

//! The eframe app: owns the session and the view state, lays out the panels, and runs the
//! actions they return once per frame.

mod actions;
mod commands;
mod file_dialogs;
mod session;
pub mod settings;

use std::path::{Path, PathBuf};

pub use actions::Action;
pub use commands::{Command, Menu};
pub use file_dialogs::{FileDialogs, FilePicker, FileRequest, native_picker};
pub use session::{OpenError, Session, is_project_path};
pub use settings::{Settings, Theme};

use crate::edit::{Transaction, ops};
use crate::io::PROJECT_EXTENSION;
use crate::model::{AnnotationId, Project};
use crate::ui::{self, DocumentView, UnsavedChoice, ViewState};

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

/// Modal and windowed UI that is open.
#[derive(Default)]
struct Dialogs {
    error: Option<(String, String)>,
    unsaved: Option<Continuation>,
    preferences: bool,
    shortcuts: bool,
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
    status: Option<String>,
    sent_title: String,
    applied_theme: Option<Theme>,
    close_confirmed: bool,
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
            status: None,
            sent_title: String::new(),
            applied_theme: None,
            close_confirmed: false,
        }
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

    /// The open error message, as (title, message).
    pub fn error(&self) -> Option<(&str, &str)> {
        self.dialogs.error.as_ref().map(|(title, message)| (title.as_str(), message.as_str()))
    }

    fn panels_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        egui::Panel::top("menu bar").show(ui, |ui| {
            ui::menu_bar_ui(ui, &self.session, &self.view, &self.settings.recent_files, actions);
        });
        egui::Panel::bottom("status bar").show(ui, |ui| {
            ui::status_bar_ui(ui, self.session.project(), &self.view, &self.settings.annotator, self.status.as_deref());
        });
        egui::Panel::left("labels and annotations").resizable(true).default_size(250.0).size_range(200.0..=420.0).show(ui, |ui| {
            ui.add_space(4.0);
            ui.heading("Labels");
            ui::palette_ui(ui, self.session.project(), &self.view, actions);
            ui.add_space(8.0);
            ui.separator();
            ui.heading("Annotations");
            ui::annotation_list_ui(ui, self.session.project(), &mut self.view, actions);
        });
        egui::Panel::right("inspector").resizable(true).default_size(320.0).size_range(240.0..=520.0).show(ui, |ui| {
            ui.add_space(4.0);
            egui::ScrollArea::vertical().id_salt("inspector scroll").show(ui, |ui| {
                ui::inspector_ui(ui, self.session.project(), &mut self.view, actions);
            });
        });
        let desk = egui::Frame::new().fill(ui::style::desk_color(ui.visuals()));
        egui::CentralPanel::default().frame(desk).show(ui, |ui| {
            self.document_view.ui(ui, self.session.project(), &mut self.view, self.settings.font_size, actions);
        });
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
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
        ui::preferences_ui(ctx, &mut self.dialogs.preferences, &mut self.settings);
        ui::shortcuts_ui(ctx, &mut self.dialogs.shortcuts, self.session.project());
    }

    /// Collects the keyboard shortcuts pressed this frame.
    fn shortcuts(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.dialogs.unsaved.is_some() || self.dialogs.error.is_some() {
            return;
        }
        while let Some(command) = Command::consume_pressed(ctx) {
            actions.push(Action::Run(command));
        }
        if ctx.egui_wants_keyboard_input() {
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
            Action::Select(annotation_id) => self.select(annotation_id),
            Action::Reveal(annotation_id) => {
                self.view.reveal = Some(annotation_id.clone());
                self.select(Some(annotation_id));
            }
            Action::OpenPath(path) => self.guard(Continuation::OpenPath(path), ctx),
            Action::Status(message) => self.status = Some(message),
        }
    }

    fn run_command(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::NewProject => self.guard(Continuation::NewProject, ctx),
            Command::Open => self.guard(Continuation::ChooseFileToOpen, ctx),
            Command::Save => self.save(None, ctx),
            Command::SaveAs => self.choose_save_path(None, ctx),
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
            Command::Preferences => self.dialogs.preferences = true,
            Command::LargerText => self.settings.change_font_size(1.0),
            Command::SmallerText => self.settings.change_font_size(-1.0),
            Command::ToggleTheme => {
                self.settings.theme = if ctx.theme() == egui::Theme::Dark { Theme::Light } else { Theme::Dark };
            }
            Command::ShowShortcuts => self.dialogs.shortcuts = true,
        }
    }

    fn after_history_move(&mut self, message: Option<String>, nothing: &str) {
        self.status = Some(message.unwrap_or_else(|| nothing.to_owned()));
        let project = self.session.project();
        let exists = |id: &AnnotationId| self.view.document(project).is_some_and(|document| document.annotation(id).is_some());
        if self.view.selected.as_ref().is_some_and(|id| !exists(id)) {
            self.view.selected = None;
        }
    }

    fn apply(&mut self, transaction: Transaction) {
        let description = transaction.description.clone();
        match self.session.apply(transaction) {
            Ok(()) => self.status = Some(description),
            Err(error) => self.status = Some(format!("{description} failed: {error}")),
        }
    }

    fn select(&mut self, annotation_id: Option<AnnotationId>) {
        self.commit_note_draft();
        if annotation_id != self.view.selected {
            self.view.picking = None;
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
        let author = self.settings.annotator.trim();
        let author = if author.is_empty() { "annotator" } else { author };
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
        match ops::tag(project, &document.id, label_name, self.view.text_selection.clone(), author) {
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
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Continuation::NewProject => {
                self.replace_session(Session::new(Project::from_text(crate::SEED_ARTICLE_TITLE, crate::SEED_ARTICLE), None));
                self.status = Some("New project on the bundled article".into());
            }
            Continuation::ChooseFileToOpen => {
                let ctx = ctx.clone();
                self.file_dialogs.request(FileRequest::Open, move || ctx.request_repaint());
            }
            Continuation::OpenPath(path) => self.open_now(&path),
        }
    }

    fn replace_session(&mut self, session: Session) {
        self.session = session;
        self.view = ViewState::default();
        self.document_view = DocumentView::default();
    }

    fn open_now(&mut self, path: &Path) {
        match Session::open(path) {
            Ok(session) => {
                if session.path().is_some() {
                    self.settings.remember_file(path);
                }
                self.replace_session(session);
                self.status = Some(format!("Opened {}", path.display()));
            }
            Err(error) => self.dialogs.error = Some(("Cannot open the file".into(), error.to_string())),
        }
    }

    /// Saves to the current file, or asks for one; then runs `then`.
    fn save(&mut self, then: Option<Continuation>, ctx: &egui::Context) {
        self.commit_note_draft();
        match self.session.path().map(Path::to_owned) {
            Some(path) => self.save_to(&path, then, ctx),
            None => self.choose_save_path(then, ctx),
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
    fn file_dialog_answered(&mut self, request: FileRequest, path: Option<PathBuf>, ctx: &egui::Context) {
        let then = self.after_save.take();
        let Some(path) = path else {
            self.status = Some("Cancelled".into());
            return;
        };
        match request {
            FileRequest::Open => self.open_now(&path),
            FileRequest::Save { .. } => self.save_to(&with_project_extension(path), then, ctx),
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
        if let Some((request, path)) = self.file_dialogs.poll() {
            self.file_dialog_answered(request, path, &ctx);
        }
        let mut actions = Vec::new();
        self.shortcuts(&ctx, &mut actions);
        self.panels_ui(ui, &mut actions);
        self.dialogs_ui(&ctx);
        for action in actions {
            self.run(action, &ctx);
        }
        self.intercept_close(&ctx);
        self.sync_window(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::SETTINGS_KEY, &self.settings);
    }
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

//! The menu bar, built from the command list so menus and shortcuts never disagree.

use super::ViewState;
use super::inspector::shortcut_text;
use crate::app::{Action, Command, Menu, Session};

/// Draws the menu bar.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &ViewState,
    recent_files: &[std::path::PathBuf],
    reviewing: bool,
    actions: &mut Vec<Action>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        for (menu, title) in [
            (Menu::File, "File"),
            (Menu::Edit, "Edit"),
            (Menu::View, "View"),
            (Menu::Go, "Go"),
            (Menu::Review, "Review"),
            (Menu::Help, "Help"),
        ] {
            ui.menu_button(title, |ui| {
                for command in Command::ALL.into_iter().filter(|command| command.menu() == menu) {
                    if command == Command::Quit && !recent_files.is_empty() {
                        recent_files_ui(ui, recent_files, actions);
                        ui.separator();
                    }
                    command_button(ui, session, view, reviewing, command, actions);
                }
            });
        }
    });
}

fn command_button(ui: &mut egui::Ui, session: &Session, view: &ViewState, reviewing: bool, command: Command, actions: &mut Vec<Action>) {
    let history = session.history();
    let (title, enabled) = match command {
        Command::Undo => (
            history.undo_description().map_or_else(|| "Undo".to_owned(), |what| format!("Undo {what}")),
            history.undo_description().is_some(),
        ),
        Command::Redo => (
            history.redo_description().map_or_else(|| "Redo".to_owned(), |what| format!("Redo {what}")),
            history.redo_description().is_some(),
        ),
        Command::DeleteAnnotation => (command.title().to_owned(), view.selected.is_some()),
        Command::CompareWith => (command.title().to_owned(), true),
        _ if command.menu() == Menu::Review => (command.title().to_owned(), reviewing),
        _ => (command.title().to_owned(), true),
    };
    let button = super::button_with_shortcut(title, shortcut_text(ui, command));
    if ui.add_enabled(enabled, button).on_hover_text(command.tooltip()).clicked() {
        actions.push(Action::Run(command));
    }
}

fn recent_files_ui(ui: &mut egui::Ui, recent_files: &[std::path::PathBuf], actions: &mut Vec<Action>) {
    ui.menu_button("Open recent", |ui| {
        for path in recent_files {
            let name = path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned());
            if ui.button(name).on_hover_text(path.display().to_string()).clicked() {
                actions.push(Action::OpenPath(path.clone()));
            }
        }
    });
}

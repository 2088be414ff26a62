//! The status bar: what is selected, what a key would do, pending suggestions, and the last
//! message.

use super::{ViewState, ellipsize};
use crate::app::{Action, Command};
use crate::model::Project;

/// Draws the status bar; a click on the count of pending suggestions opens the pre-annotation
/// window.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    project: &Project,
    view: &ViewState,
    annotator: &str,
    message: Option<&str>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        if let Some(document) = view.document(project) {
            ui.label(format!("{} annotations", document.annotations.len()));
            let pending = document.pending_suggestions().count();
            if pending > 0 {
                ui.separator();
                let suggestions = ui.add(egui::Label::new(format!("{pending} suggestions")).sense(egui::Sense::click()));
                if suggestions.on_hover_text(Command::Preannotation.tooltip()).clicked() {
                    actions.push(Action::Run(Command::Preannotation));
                }
            }
            ui.separator();
            if !view.text_selection.is_empty() {
                let chars: usize = view.text_selection.iter().map(|span| span.len()).sum();
                let text: Vec<&str> = view.text_selection.iter().map(|span| document.text.slice(*span)).collect();
                let first = view.text_selection.first().map_or(0, |span| span.start);
                ui.label(format!("Selected “{}” ({chars} characters at {first}) — press 1–9 to tag", ellipsize(&text.join(" … "), 40)));
            } else if let Some(annotation) = view.selected.as_ref().and_then(|id| document.annotation(id)) {
                let extent =
                    annotation.extent().map_or_else(|| "whole document".to_owned(), |span| format!("[{}, {})", span.start, span.end));
                ui.label(format!("Selected {} {extent}", annotation.id));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.weak(format!("Annotator: {annotator}"));
            if let Some(message) = message {
                ui.separator();
                ui.label(message);
            }
        });
    });
}

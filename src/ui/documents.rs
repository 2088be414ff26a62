//! The document list: every document of the project with its tag count and status; clicking one
//! shows it.

use super::{ViewState, ellipsize};
use crate::app::Action;
use crate::edit::ops;
use crate::model::{DocumentStatus, Project};

/// Draws the list, and the status of the shown document.
pub fn documents_ui(ui: &mut egui::Ui, project: &Project, view: &ViewState, actions: &mut Vec<Action>) {
    let row_height = super::list_row_height(ui);
    let rows_shown = project.documents.len().min(8);
    egui::ScrollArea::vertical()
        .id_salt("document list")
        .max_height((row_height + ui.spacing().item_spacing.y) * rows_shown as f32)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, project.documents.len(), |ui, rows| {
            for index in rows {
                let Some(document) = project.documents.get(index) else { continue };
                let shown = index == view.document_index;
                let title = if document.title.is_empty() { document.id.0.as_str() } else { document.title.as_str() };
                let mut detail = format!("{} · {}", document.annotations.len(), status_mark(document.status));
                if !document.conflicts.is_empty() {
                    detail = format!("{} conflict(s) · {detail}", document.conflicts.len());
                }
                let button = egui::Button::selectable(shown, ellipsize(title, 36))
                    .right_text(egui::RichText::new(detail).weak())
                    .truncate()
                    .min_size(egui::vec2(ui.available_width(), 0.0));
                let response = ui.add(button).on_hover_text(format!(
                    "{title}\n{} annotations, {} characters, {}",
                    document.annotations.len(),
                    document.text.char_len(),
                    document.status.title()
                ));
                if response.clicked() && !shown {
                    actions.push(Action::ShowDocument(index));
                }
            }
        });
    if let Some(document) = view.document(project) {
        ui.horizontal(|ui| {
            ui.weak("Status");
            for status in DocumentStatus::ALL {
                if ui.selectable_label(document.status == status, status.title()).clicked() && document.status != status {
                    match ops::set_status(project, &document.id, status) {
                        Ok(transaction) => actions.push(Action::Apply { transaction, select: None }),
                        Err(error) => actions.push(Action::Status(error.to_string())),
                    }
                }
            }
        });
    }
}

/// A short mark for a status, shown in list rows.
fn status_mark(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::NotStarted => "new",
        DocumentStatus::InProgress => "in progress",
        DocumentStatus::Done => "done",
    }
}

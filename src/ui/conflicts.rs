//! The merge conflicts of the shown document, left by `gloss merge` where two branches changed an
//! annotation differently: each shows our version and theirs, to keep one or the other.

use super::{attribute_rows, describe_annotation};
use crate::app::Action;
use crate::merge::{Resolution, resolve_conflict};
use crate::model::{Annotation, Document, MergeConflict, Project};

/// Draws the conflicts of `document` (nothing when it has none); "Keep ours" and "Take theirs"
/// each push one undoable edit.
pub fn merge_conflicts_ui(ui: &mut egui::Ui, project: &Project, document: &Document, actions: &mut Vec<Action>) {
    if document.conflicts.is_empty() {
        return;
    }
    ui.heading(format!("Merge conflicts ({})", document.conflicts.len()));
    ui.weak("A merge found annotations both sides changed. The text shows ours until you choose.");
    egui::ScrollArea::vertical().id_salt("merge conflicts").max_height(260.0).auto_shrink([false, true]).show(ui, |ui| {
        for conflict in &document.conflicts {
            egui::Frame::group(ui.style()).inner_margin(6.0).show(ui, |ui| {
                ui.set_width(ui.available_width());
                conflict_ui(ui, project, document, conflict, actions);
            });
        }
    });
    ui.separator();
}

fn conflict_ui(ui: &mut egui::Ui, project: &Project, document: &Document, conflict: &MergeConflict, actions: &mut Vec<Action>) {
    let id = &conflict.annotation_id;
    ui.weak(conflict.kind.title());
    for (side, version) in [("Ours", &conflict.ours), ("Theirs", &conflict.theirs)] {
        ui.horizontal_wrapped(|ui| {
            ui.strong(side);
            ui.label(version.as_ref().map_or_else(|| "deleted".to_owned(), |version| describe_version(project, document, version)));
        });
    }
    ui.horizontal(|ui| {
        let mut resolve = |resolution: Resolution| match resolve_conflict(project, &document.id, id, resolution) {
            Ok(transaction) => actions.push(Action::Apply { transaction, select: None }),
            Err(error) => actions.push(Action::Status(error.to_string())),
        };
        if ui.button("Keep ours").on_hover_text("Keep the version the text shows and clear the flag").clicked() {
            resolve(Resolution::KeepOurs);
        }
        if ui.button("Take theirs").on_hover_text("Replace it with their version (or delete it, if they did)").clicked() {
            resolve(Resolution::TakeTheirs);
        }
        if document.annotation(id).is_some() && ui.button("Show").on_hover_text("Select it in the text").clicked() {
            actions.push(Action::Reveal(id.clone()));
        }
    });
}

/// One version of the annotation in a line: text and label, attributes, relation count and note.
fn describe_version(project: &Project, document: &Document, version: &Annotation) -> String {
    let mut parts = vec![describe_annotation(project, document, version)];
    let label = project.schema.label(&version.label);
    parts.extend(attribute_rows(label, version).into_iter().map(|(title, value)| format!("{title}: {value}")));
    if !version.relations.is_empty() {
        parts.push(format!("{} relation(s)", version.relations.len()));
    }
    if !version.note.is_empty() {
        parts.push(format!("note: {}", super::ellipsize(&version.note, 80)));
    }
    parts.join(" · ")
}

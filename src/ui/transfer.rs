//! The import and export dialogs, the progress window of a running job and the summary of a
//! finished one with its loss report.

use crate::io::{ExportFormat, ImportFormat};
use crate::model::Kind;

/// The choices of the export dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportChoices {
    /// The format to write.
    pub format: ExportFormat,
    /// The layer, for CoNLL.
    pub kind: Kind,
}

impl Default for ExportChoices {
    fn default() -> Self {
        Self { format: ExportFormat::Jsonl, kind: Kind::Entity }
    }
}

/// The choices of the import dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportChoices {
    /// The format to read.
    pub format: ImportFormat,
    /// Whether labels missing from the schema are added.
    pub add_labels: bool,
}

impl Default for ImportChoices {
    fn default() -> Self {
        Self { format: ImportFormat::Text, add_labels: false }
    }
}

/// What the user asked of a dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogAnswer {
    /// Go on (choose files or a destination).
    Proceed,
    /// For imports: choose a folder rather than files.
    ProceedWithFolder,
    /// Close the dialog.
    Close,
}

/// The export dialog; `None` while it stays open without an answer.
pub fn export_dialog_ui(ctx: &egui::Context, choices: &mut ExportChoices) -> Option<DialogAnswer> {
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("export dialog")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Export");
        ui.add_space(6.0);
        for format in ExportFormat::ALL {
            ui.radio_value(&mut choices.format, format, format.name()).on_hover_text(format.description());
            ui.indent(format.name(), |ui| ui.weak(format.description()));
        }
        if choices.format == ExportFormat::Conll {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.label("Layer");
                for kind in [Kind::Entity, Kind::Claim, Kind::Sentiment] {
                    ui.radio_value(&mut choices.kind, kind, kind.title());
                }
            });
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let destination =
                if choices.format == ExportFormat::Brat { "Choose a folder and export…" } else { "Choose a file and export…" };
            if ui.button(destination).clicked() {
                answer = Some(DialogAnswer::Proceed);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(DialogAnswer::Close);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(DialogAnswer::Close);
    }
    answer
}

/// The import dialog; `None` while it stays open without an answer.
pub fn import_dialog_ui(ctx: &egui::Context, choices: &mut ImportChoices) -> Option<DialogAnswer> {
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("import dialog")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Import documents");
        ui.add_space(6.0);
        for format in ImportFormat::ALL {
            ui.radio_value(&mut choices.format, format, format.name()).on_hover_text(format.description());
            ui.indent(format.name(), |ui| ui.weak(format.description()));
        }
        ui.add_space(4.0);
        ui.checkbox(&mut choices.add_labels, "Add labels the schema lacks")
            .on_hover_text("Otherwise an input using a label the project does not define is refused");
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("Choose files…").clicked() {
                answer = Some(DialogAnswer::Proceed);
            }
            if ui.button("Choose a folder…").clicked() {
                answer = Some(DialogAnswer::ProceedWithFolder);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(DialogAnswer::Close);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(DialogAnswer::Close);
    }
    answer
}

/// The progress of a running job, with a Cancel button; returns `true` when Cancel is clicked.
pub fn job_progress_ui(ctx: &egui::Context, title: &str, fraction: Option<f32>, cancelling: bool) -> bool {
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("job progress")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.heading(title);
        ui.add_space(6.0);
        match fraction {
            Some(fraction) => ui.add(egui::ProgressBar::new(fraction).show_percentage()),
            None => ui.add(egui::ProgressBar::new(0.0).animate(true)),
        };
        ui.add_space(6.0);
        if cancelling {
            ui.weak("Cancelling…");
        } else if ui.button("Cancel").clicked() {
            cancel = true;
        }
    });
    cancel
}

/// The outcome of a finished job: a headline, details and the loss report; returns `true` once
/// dismissed.
pub fn summary_ui(ctx: &egui::Context, title: &str, details: &str, report: &str) -> bool {
    let mut dismissed = false;
    let modal = egui::Modal::new(egui::Id::unique("job summary")).show(ctx, |ui| {
        ui.set_max_width(620.0);
        ui.heading(title);
        ui.add_space(6.0);
        ui.label(details);
        if !report.is_empty() {
            ui.add_space(8.0);
            ui.label("What the format could not carry over:");
            egui::ScrollArea::vertical().max_height(280.0).show(ui, |ui| {
                ui.label(egui::RichText::new(report).monospace());
            });
        }
        ui.add_space(8.0);
        if ui.button("OK").clicked() {
            dismissed = true;
        }
    });
    dismissed || modal.should_close()
}

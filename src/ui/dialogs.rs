//! Modal dialogs and small windows: errors, unsaved changes, preferences and the shortcut list.

use crate::app::settings::FONT_SIZE_RANGE;
use crate::app::{Command, Settings, Theme};
use crate::model::Project;

/// What the user answered to "Save changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    /// Save first, then go on.
    Save,
    /// Go on without saving.
    Discard,
    /// Stay.
    Cancel,
}

/// An error message in a modal; returns `true` once dismissed.
pub fn error_dialog_ui(ctx: &egui::Context, title: &str, message: &str) -> bool {
    let mut dismissed = false;
    let modal = egui::Modal::new(egui::Id::unique("error dialog")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(title);
        ui.add_space(6.0);
        egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            ui.label(egui::RichText::new(message).monospace());
        });
        ui.add_space(8.0);
        if ui.button("OK").clicked() {
            dismissed = true;
        }
    });
    dismissed || modal.should_close()
}

/// Asks whether to save `name` before `doing` (closing, opening another file...).
pub fn unsaved_changes_ui(ctx: &egui::Context, name: &str, doing: &str) -> Option<UnsavedChoice> {
    let mut choice = None;
    let modal = egui::Modal::new(egui::Id::unique("unsaved changes")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Unsaved changes");
        ui.add_space(6.0);
        ui.label(format!("Save the changes to {name} before {doing}?"));
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                choice = Some(UnsavedChoice::Save);
            }
            if ui.button("Don't save").clicked() {
                choice = Some(UnsavedChoice::Discard);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(UnsavedChoice::Cancel);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(UnsavedChoice::Cancel);
    }
    choice
}

/// What to do when the file about to be saved was changed by another program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Drop the changes made here and open the file as it is now.
    Reload,
    /// Replace the file with the project as it is here.
    Overwrite,
    /// Keep both: save the project here under another name.
    SaveAs,
    /// Do nothing for now.
    Cancel,
}

/// Says that `name` changed on disk since it was opened and asks what to do; nothing is
/// overwritten unless asked.
pub fn file_changed_ui(ctx: &egui::Context, name: &str) -> Option<ConflictChoice> {
    let mut choice = None;
    let modal = egui::Modal::new(egui::Id::unique("file changed on disk")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading("The file changed on disk");
        ui.add_space(6.0);
        ui.label(format!(
            "Another program (a colleague, a sync, git) changed {name} since Gloss opened it. Saving now would replace those changes."
        ));
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("Reload").on_hover_text("Drop the changes made here and open the file as it is now").clicked() {
                choice = Some(ConflictChoice::Reload);
            }
            if ui.button("Overwrite").on_hover_text("Replace the file with the project as it is here").clicked() {
                choice = Some(ConflictChoice::Overwrite);
            }
            if ui.button("Save as…").on_hover_text("Keep both: save this version under another name").clicked() {
                choice = Some(ConflictChoice::SaveAs);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(ConflictChoice::Cancel);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(ConflictChoice::Cancel);
    }
    choice
}

/// Says that `name` breaks the project's rules (`problems`) and offers `repairs` that lose
/// nothing; `Some(true)` to repair it and open it, `Some(false)` to leave it as it is.
pub fn repair_offer_ui(ctx: &egui::Context, name: &str, problems: &str, repairs: &[String]) -> Option<bool> {
    let mut repair = None;
    let modal = egui::Modal::new(egui::Id::unique("repair offer")).show(ctx, |ui| {
        ui.set_max_width(620.0);
        ui.heading("This project needs repairs");
        ui.add_space(6.0);
        ui.label(format!("{name} breaks the project's rules:"));
        egui::ScrollArea::vertical().id_salt("problems").max_height(160.0).show(ui, |ui| {
            ui.label(egui::RichText::new(problems).monospace());
        });
        ui.add_space(6.0);
        ui.label("Gloss can repair it without losing an annotation:");
        for repair in repairs {
            ui.label(format!("• {repair}"));
        }
        ui.add_space(6.0);
        ui.weak("The file stays as it is until you save.");
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("Repair and open").clicked() {
                repair = Some(true);
            }
            if ui.button("Cancel").clicked() {
                repair = Some(false);
            }
        });
    });
    if modal.should_close() && repair.is_none() {
        repair = Some(false);
    }
    repair
}

/// Offers back the unsaved work of `name` that a crash left in its recovery journal, with how
/// many annotations it holds; `Some(true)` to restore it, `Some(false)` to discard it.
pub fn recovery_ui(ctx: &egui::Context, name: &str, annotations: usize) -> Option<bool> {
    let mut restore = None;
    egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.heading("Restore unsaved work?");
        ui.add_space(6.0);
        ui.label(format!(
            "Gloss closed without saving the last changes to {name}. A recovery copy with {annotations} annotation(s) was kept."
        ));
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                restore = Some(true);
            }
            if ui.button("Discard the copy").clicked() {
                restore = Some(false);
            }
        });
    });
    restore
}

/// The preferences window; `open` is cleared when it is closed.
pub fn preferences_ui(ctx: &egui::Context, open: &mut bool, settings: &mut Settings) {
    egui::Window::new("Preferences").open(open).collapsible(false).resizable(false).show(ctx, |ui| {
        egui::Grid::new("preferences").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            let name_label = ui.label("Annotator name");
            ui.add(egui::TextEdit::singleline(&mut settings.annotator).hint_text("Your name"))
                .labelled_by(name_label.id)
                .on_hover_text("Recorded as the author of the annotations you make");
            ui.end_row();
            ui.label("Theme");
            ui.horizontal(|ui| {
                ui.selectable_value(&mut settings.theme, Theme::Light, "Light");
                ui.selectable_value(&mut settings.theme, Theme::Dark, "Dark");
                ui.selectable_value(&mut settings.theme, Theme::System, "System");
            });
            ui.end_row();
            ui.label("Article text size");
            ui.add(egui::Slider::new(&mut settings.font_size, FONT_SIZE_RANGE).step_by(1.0).suffix(" pt"));
            ui.end_row();
        });
    });
}

/// The keyboard shortcut reference; `open` is cleared when it is closed.
pub fn shortcuts_ui(ctx: &egui::Context, open: &mut bool, project: &Project) {
    egui::Window::new("Keyboard shortcuts").open(open).collapsible(false).default_width(420.0).show(ctx, |ui| {
        egui::ScrollArea::vertical().max_height(520.0).show(ui, |ui| shortcut_grid_ui(ui, project));
    });
}

/// Every label hotkey, command shortcut and mouse gesture, in a grid.
fn shortcut_grid_ui(ui: &mut egui::Ui, project: &Project) {
    let ctx = ui.ctx().clone();
    egui::Grid::new("shortcuts").num_columns(2).striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
        for label in project.schema.labels.iter().filter(|label| label.hotkey.is_some()) {
            ui.monospace(label.hotkey.map(String::from).unwrap_or_default());
            ui.label(format!("Tag the selection as {}", label.title));
            ui.end_row();
        }
        for command in Command::ALL {
            let keys: Vec<String> = command.shortcuts().iter().map(|shortcut| ctx.format_shortcut(shortcut)).collect();
            if keys.is_empty() {
                continue;
            }
            ui.monospace(keys.join("  "));
            ui.label(command.title());
            ui.end_row();
        }
        for (gesture, meaning) in [
            ("Drag", "Select text, snapped to whole words"),
            ("Alt + drag", "Select exact characters"),
            ("Ctrl + drag", "Add a fragment (discontinuous span)"),
            ("Double-click", "Select a word"),
            ("Click a highlight", "Select the annotation"),
        ] {
            ui.monospace(gesture);
            ui.label(meaning);
            ui.end_row();
        }
    });
}

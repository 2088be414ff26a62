//! The label palette: every label of the schema, grouped by kind, with its colour, hotkey and
//! guideline. Clicking a label tags the text selection (or relabels the selected annotation).

use super::ViewState;
use super::style::{color_swatch, label_color};
use crate::app::Action;
use crate::model::{Kind, Project};

/// Draws the palette.
pub fn palette_ui(ui: &mut egui::Ui, project: &Project, view: &ViewState, actions: &mut Vec<Action>) {
    let hint = if view.text_selection.is_empty() && view.selected.is_none() {
        "Select text in the article first."
    } else if view.text_selection.is_empty() {
        "Changes the selected annotation's label."
    } else {
        "Tags the selected text."
    };
    for kind in Kind::ALL {
        let mut labels = project.schema.labels_of(kind).peekable();
        if labels.peek().is_none() {
            continue;
        }
        ui.add_space(4.0);
        ui.weak(kind_heading(kind));
        for label in labels {
            ui.horizontal(|ui| {
                color_swatch(ui, label_color(label));
                let hotkey = label.hotkey.map(String::from).unwrap_or_default();
                let button = super::button_with_shortcut(label.title.as_str(), hotkey)
                    .frame_when_inactive(false)
                    .min_size(egui::vec2(ui.available_width(), 0.0));
                let tooltip = if kind == Kind::Document { label.guideline.clone() } else { format!("{}\n\n{hint}", label.guideline) };
                let response = ui.add(button).on_hover_text(tooltip);
                if response.clicked() {
                    actions.push(Action::Tag { label: label.name.clone() });
                }
            });
        }
    }
}

fn kind_heading(kind: Kind) -> &'static str {
    match kind {
        Kind::Entity => "ENTITIES",
        Kind::Claim => "CLAIMS",
        Kind::Sentiment => "SENTIMENT",
        Kind::Document => "WHOLE DOCUMENT",
    }
}

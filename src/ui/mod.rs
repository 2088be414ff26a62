//! The egui panels. They draw the session's state and turn gestures into [`Action`](crate::app::Action)s; they never
//! change the project themselves.

mod agreement_window;
mod annotation_list;
mod command_palette;
mod conflicts;
mod dialogs;
mod discussion;
mod document_view;
mod documents;
pub(crate) mod inspector;
mod menu_bar;
mod palette;
mod review_panel;
mod schema_editor;
mod search_bar;
mod statistics_window;
mod status_bar;
pub mod style;
mod suggestions;
mod transfer;

pub use agreement_window::agreement_window_ui;
pub use annotation_list::{ListFilter, annotation_list_ui};
pub use command_palette::{CommandPalette, command_palette_ui};
pub use conflicts::merge_conflicts_ui;
pub use dialogs::{
    ConflictChoice, UnsavedChoice, error_dialog_ui, file_changed_ui, preferences_ui, recovery_ui, repair_offer_ui, shortcuts_ui,
    unsaved_changes_ui,
};
pub use document_view::{DocumentView, Sheet, longest_extent};
pub use documents::documents_ui;
pub use inspector::inspector_ui;
pub use menu_bar::menu_bar_ui;
pub use palette::palette_ui;
pub use review_panel::review_panel_ui;
pub use schema_editor::{SchemaEditor, schema_editor_ui};
pub use search_bar::{SearchBar, search_bar_ui};
pub use statistics_window::statistics_window_ui;
pub use status_bar::status_bar_ui;
pub use suggestions::{SuggestionsWindow, rules_outcome_action, run_rules_action, suggestions_window_ui};
pub use transfer::{DialogAnswer, ExportChoices, ImportChoices, export_dialog_ui, import_dialog_ui, job_progress_ui, summary_ui};

use crate::model::{Annotation, AnnotationId, Document, Project, RelationTarget, Span};

/// What the user is looking at and has selected: runtime state, never saved in the project.
#[derive(Default)]
pub struct ViewState {
    /// Index of the shown document in the project.
    pub document_index: usize,
    /// Text selected in the article (one span, or several after Ctrl-drags), snapped and merged.
    pub text_selection: Vec<Span>,
    /// The selected annotation, shown in the inspector.
    pub selected: Option<AnnotationId>,
    /// When set, the next click on an annotation in the text fills this relation role of the
    /// selected annotation.
    pub picking: Option<String>,
    /// A place to scroll the article to.
    pub reveal: Option<Reveal>,
    /// The colleague's annotation of the pair under review, highlighted in their layer.
    pub compared: Option<AnnotationId>,
    /// The annotation list's filters.
    pub filter: ListFilter,
    /// The note being typed in the inspector, not yet committed as an edit.
    pub note_draft: Option<(AnnotationId, String)>,
    /// The comment being typed in the inspector's discussion box.
    pub comment_draft: String,
    /// The search bar, whose hits the article highlights.
    pub search: SearchBar,
}

impl ViewState {
    /// The shown document.
    pub fn document<'p>(&self, project: &'p Project) -> Option<&'p Document> {
        project.documents.get(self.document_index)
    }

    /// Where keyboard movement starts: the end of the text selection, else the end of the
    /// selected annotation, else the start of the text.
    pub fn caret(&self, document: &Document) -> usize {
        let selected = self.selected.as_ref().and_then(|id| document.annotation(id)).and_then(Annotation::extent);
        self.text_selection.last().or(selected.as_ref()).map_or(0, |span| span.end)
    }
}

/// The height of one row of a list of buttons, without the spacing between rows (as
/// `ScrollArea::show_rows` wants it).
pub fn list_row_height(ui: &egui::Ui) -> f32 {
    let spacing = ui.spacing();
    let button = ui.text_style_height(&egui::TextStyle::Button) + 2.0 * spacing.button_padding.y;
    button.max(spacing.interact_size.y)
}

/// A request to scroll the article so that a code-point offset is in view. Each request has a
/// new serial, so every view of the article follows it once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    /// The offset to bring into view.
    pub offset: usize,
    /// Distinguishes successive requests.
    pub serial: u64,
}

impl ViewState {
    /// Scrolls the article to `offset` on the next frame.
    pub fn reveal(&mut self, offset: usize) {
        let serial = self.reveal.map_or(1, |reveal| reveal.serial + 1);
        self.reveal = Some(Reveal { offset, serial });
    }
}

/// A button showing `shortcut` at its right. Without a shortcut only space follows the text, so
/// the text stays left-aligned in a wide button and the accessible name does not end in a space.
pub fn button_with_shortcut<'a>(text: impl egui::IntoAtoms<'a>, shortcut: String) -> egui::Button<'a> {
    let button = egui::Button::new(text);
    if shortcut.is_empty() { button.right_text(egui::Atom::grow()) } else { button.shortcut_text(shortcut) }
}

/// Shortens `text` to about `max_chars` characters, with an ellipsis.
pub fn ellipsize(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// How a relation target reads in lists: the annotation's text and label, or the implicit name.
pub fn describe_target(project: &Project, document: &Document, target: &RelationTarget) -> String {
    match target {
        RelationTarget::Implicit(who) => who.clone(),
        RelationTarget::Annotation(id) => document
            .annotation(id)
            .map_or_else(|| format!("missing annotation {id}"), |annotation| describe_annotation(project, document, annotation)),
    }
}

/// `“Imran Khan” · Person`.
pub fn describe_annotation(project: &Project, document: &Document, annotation: &Annotation) -> String {
    let title = project.schema.label(&annotation.label).map_or(annotation.label.as_str(), |label| label.title.as_str());
    if annotation.fragments.is_empty() {
        title.to_owned()
    } else {
        format!("“{}” · {title}", ellipsize(&document.annotation_text(annotation), 48))
    }
}

/// A compact description of an annotation: label, text, attributes and relations. Used by the
/// hover tooltip.
pub fn annotation_summary_ui(ui: &mut egui::Ui, project: &Project, document: &Document, annotation: &Annotation) {
    let label = project.schema.label(&annotation.label);
    let title = label.map_or(annotation.label.as_str(), |label| label.title.as_str());
    ui.horizontal(|ui| {
        if let Some(label) = label {
            style::color_swatch(ui, style::label_color(label));
        }
        ui.strong(title);
        if title != annotation.kind.title() {
            ui.weak(annotation.kind.title());
        }
    });
    if !annotation.fragments.is_empty() {
        ui.label(egui::RichText::new(format!("“{}”", ellipsize(&document.annotation_text(annotation), 160))).italics());
    }
    for (title, value) in attribute_rows(label, annotation) {
        ui.label(format!("{title}: {value}"));
    }
    for relation in &annotation.relations {
        let title =
            label.and_then(|label| label.relation(&relation.role)).map_or(relation.role.as_str(), |definition| definition.title.as_str());
        ui.label(format!("{title}: {}", describe_target(project, document, &relation.target)));
    }
    if !annotation.note.is_empty() {
        ui.weak(format!("Note: {}", ellipsize(&annotation.note, 160)));
    }
}

/// The annotation's attribute values as (title, value), in the schema's order.
fn attribute_rows<'a>(label: Option<&'a crate::schema::LabelDef>, annotation: &'a Annotation) -> Vec<(&'a str, String)> {
    let Some(label) = label else {
        return annotation.attributes.iter().map(|(name, value)| (name.as_str(), value.to_string())).collect();
    };
    label
        .ordered_attributes(&annotation.attributes)
        .into_iter()
        .map(|(name, value)| (label.attribute(name).map_or(name, |attribute| attribute.title.as_str()), value.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ellipsize_keeps_short_text_and_cuts_long_text() {
        assert_eq!(ellipsize("Kabul", 10), "Kabul");
        assert_eq!(ellipsize("the Haqqani network member", 12), "the Haqqani…");
    }
}

//! The annotation list: the shown document's annotations, filtered by kind, label and text.
//! Clicking one selects it and scrolls the article to it.

use super::style::{color_swatch, label_color};
use super::{ViewState, ellipsize};
use crate::app::Action;
use crate::model::{Annotation, Document, Kind, Project};

/// Which annotations the list shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListFilter {
    /// Kinds hidden from the list.
    pub hidden_kinds: Vec<Kind>,
    /// Only this label, if set.
    pub label: Option<String>,
    /// Only annotations by this annotator (one layer of the project), if set.
    pub author: Option<String>,
    /// Only annotations whose text or note contains this (case-insensitive).
    pub query: String,
}

impl ListFilter {
    /// Whether `annotation` passes the filter.
    pub fn accepts(&self, document: &Document, annotation: &Annotation) -> bool {
        if self.hidden_kinds.contains(&annotation.kind)
            || self.label.as_ref().is_some_and(|label| label != &annotation.label)
            || self.author.as_ref().is_some_and(|author| author != &annotation.author)
        {
            return false;
        }
        let query = self.query.trim().to_lowercase();
        query.is_empty()
            || document.annotation_text(annotation).to_lowercase().contains(&query)
            || annotation.note.to_lowercase().contains(&query)
    }
}

/// Draws the filters and the list.
pub fn annotation_list_ui(ui: &mut egui::Ui, project: &Project, view: &mut ViewState, actions: &mut Vec<Action>) {
    let Some(document) = view.document(project) else { return };
    let authors: std::collections::BTreeSet<&str> = document.annotations.iter().map(|annotation| annotation.author.as_str()).collect();
    filters_ui(ui, project, &authors, &mut view.filter);
    let shown: Vec<&Annotation> = document.annotations.iter().filter(|a| view.filter.accepts(document, a)).collect();
    ui.weak(format!("{} of {} annotations", shown.len(), document.annotations.len()));
    ui.separator();
    let row_height = super::list_row_height(ui);
    egui::ScrollArea::vertical().id_salt("annotation list").auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        shown.len(),
        |ui, rows| {
            for annotation in &shown[rows] {
                let selected = view.selected.as_ref() == Some(&annotation.id);
                let label = project.schema.label(&annotation.label);
                let text = if annotation.fragments.is_empty() {
                    "(whole document)".to_owned()
                } else {
                    ellipsize(&document.annotation_text(annotation), 40)
                };
                ui.horizontal(|ui| {
                    if let Some(label) = label {
                        color_swatch(ui, label_color(label));
                    }
                    let title = label.map_or(annotation.label.as_str(), |label| label.title.as_str());
                    let button = egui::Button::selectable(selected, text)
                        .right_text(egui::RichText::new(title).weak())
                        .truncate()
                        .min_size(egui::vec2(ui.available_width(), 0.0));
                    let response = ui.add(button);
                    if response.clicked() {
                        actions.push(Action::Reveal(annotation.id.clone()));
                    }
                });
            }
        },
    );
}

fn filters_ui(ui: &mut egui::Ui, project: &Project, authors: &std::collections::BTreeSet<&str>, filter: &mut ListFilter) {
    ui.horizontal_wrapped(|ui| {
        for kind in Kind::ALL {
            let mut shown = !filter.hidden_kinds.contains(&kind);
            if ui
                .toggle_value(&mut shown, kind.title())
                .on_hover_text(format!("Show {} annotations", kind.title().to_lowercase()))
                .changed()
            {
                if shown {
                    filter.hidden_kinds.retain(|hidden| *hidden != kind);
                } else {
                    filter.hidden_kinds.push(kind);
                }
            }
        }
    });
    let selected_title = filter
        .label
        .as_ref()
        .and_then(|name| project.schema.label(name))
        .map_or_else(|| "All labels".to_owned(), |label| label.title.clone());
    egui::ComboBox::new("label filter", "")
        .selected_text(selected_title)
        .width(180.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut filter.label, None, "All labels");
            for label in &project.schema.labels {
                ui.selectable_value(&mut filter.label, Some(label.name.clone()), label.title.as_str());
            }
        })
        .response
        .accessible_name("Filter by label");
    if authors.len() > 1 || filter.author.is_some() {
        let selected = filter.author.clone().unwrap_or_else(|| "All annotators".to_owned());
        egui::ComboBox::new("author filter", "")
            .selected_text(selected)
            .width(180.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.author, None, "All annotators");
                for author in authors {
                    ui.selectable_value(&mut filter.author, Some((*author).to_owned()), *author);
                }
            })
            .response
            .accessible_name("Filter by annotator");
    }
    ui.add(egui::TextEdit::singleline(&mut filter.query).hint_text("Search annotated text…").desired_width(f32::INFINITY))
        .accessible_name("Search annotations");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    #[test]
    fn filter_by_kind_label_and_text() {
        let document = Document::new("t", "Imran Khan met Rana in Kabul");
        let person = Annotation::new(Kind::Entity, "PER", vec![Span::new(0, 10)], "me");
        let place = Annotation::new(Kind::Entity, "LOC", vec![Span::new(23, 28)], "me");
        let mut filter = ListFilter::default();
        assert!(filter.accepts(&document, &person) && filter.accepts(&document, &place));
        filter.query = "kab".into();
        assert!(!filter.accepts(&document, &person) && filter.accepts(&document, &place));
        filter.query.clear();
        filter.label = Some("PER".into());
        assert!(filter.accepts(&document, &person) && !filter.accepts(&document, &place));
        filter.label = None;
        filter.hidden_kinds.push(Kind::Entity);
        assert!(!filter.accepts(&document, &person));
        filter.hidden_kinds.clear();
        filter.author = Some("someone else".into());
        assert!(!filter.accepts(&document, &person), "one annotator's layer");
    }
}

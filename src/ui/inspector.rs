//! The inspector: edits the selected annotation's label, attributes, relations and note, and
//! deletes it. Each change becomes one undoable edit.

use super::style::{color_swatch, label_color};
use super::{ViewState, describe_annotation, describe_target, ellipsize};
use crate::app::{Action, Command};
use crate::edit::{EditError, Transaction, ops};
use crate::model::{Annotation, AttributeValue, Document, Project, RelationTarget};
use crate::schema::{AttributeDef, AttributeType, LabelDef, RelationDef};

/// Draws the inspector for the selected annotation, or a short guide when nothing is selected.
pub fn inspector_ui(ui: &mut egui::Ui, project: &Project, view: &mut ViewState, author: &str, actions: &mut Vec<Action>) {
    let selected = view.document(project).and_then(|document| Some((document, document.annotation(view.selected.as_ref()?)?)));
    let Some((document, annotation)) = selected else {
        empty_ui(ui, project, view, author, actions);
        return;
    };
    let label = project.schema.label(&annotation.label);
    let push = |actions: &mut Vec<Action>, result: Result<Transaction, EditError>| match result {
        Ok(transaction) => actions.push(Action::Apply { transaction, select: Some(annotation.id.clone()) }),
        Err(error) => actions.push(Action::Status(error.to_string())),
    };

    ui.horizontal(|ui| {
        if let Some(label) = label {
            color_swatch(ui, label_color(label));
        }
        let title = label.map_or(annotation.label.as_str(), |label| label.title.as_str());
        ui.heading(title);
        if title != annotation.kind.title() {
            ui.weak(annotation.kind.title());
        }
    });
    if !annotation.fragments.is_empty() {
        ui.label(egui::RichText::new(format!("“{}”", ellipsize(&document.annotation_text(annotation), 300))).italics());
        if annotation.fragments.len() > 1 {
            ui.weak(format!("{} fragments", annotation.fragments.len()));
        }
    }
    ui.add_space(6.0);

    egui::Grid::new("inspector fields").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
        ui.label("Label");
        let mut chosen = annotation.label.clone();
        let same_shape = project.schema.labels.iter().filter(|other| other.kind.has_spans() == annotation.kind.has_spans());
        egui::ComboBox::new("inspector label", "")
            .selected_text(label.map_or(annotation.label.as_str(), |label| label.title.as_str()))
            .show_ui(ui, |ui| {
                for other in same_shape {
                    ui.selectable_value(&mut chosen, other.name.clone(), other.title.as_str()).on_hover_text(other.guideline.as_str());
                }
            })
            .response
            .accessible_name("Label");
        if chosen != annotation.label {
            push(actions, ops::relabel(project, &document.id, &annotation.id, &chosen));
        }
        ui.end_row();

        for attribute in label.map_or(&[][..], |label| &label.attributes) {
            ui.label(attribute.title.as_str()).on_hover_text(attribute.guideline.as_str());
            let current = annotation.attributes.get(&attribute.name);
            if let Some(value) = attribute_editor_ui(ui, attribute, current) {
                push(actions, ops::set_attribute(project, &document.id, &annotation.id, &attribute.name, value));
            }
            ui.end_row();
        }

        for relation in label.map_or(&[][..], |label| &label.relations) {
            ui.label(relation.title.as_str()).on_hover_text(relation.guideline.as_str());
            ui.horizontal(|ui| {
                if let Some(target) = relation_editor_ui(ui, project, document, annotation, relation) {
                    push(actions, ops::set_relation(project, &document.id, &annotation.id, &relation.role, target));
                }
                let picking = view.picking.as_deref() == Some(relation.role.as_str());
                let pick = ui
                    .selectable_label(picking, "Pick")
                    .on_hover_text(format!("Click an annotation in the text to make it the {}", relation.title.to_lowercase()));
                if pick.clicked() {
                    view.picking = if picking { None } else { Some(relation.role.clone()) };
                }
            });
            ui.end_row();
        }
    });

    ui.add_space(6.0);
    note_ui(ui, annotation, view, actions, project, document);
    linked_from_ui(ui, project, document, annotation, actions);
    ui.add_space(6.0);
    if let Some(text) = super::discussion::discussion_ui(ui, "annotation discussion", &annotation.comments, &mut view.comment_draft) {
        match ops::comment_on_annotation(project, &document.id, &annotation.id, author, &text) {
            Ok(transaction) => actions.push(Action::Apply { transaction, select: Some(annotation.id.clone()) }),
            Err(error) => actions.push(Action::Status(error.to_string())),
        }
    }

    ui.add_space(8.0);
    ui.separator();
    ui.weak(format!(
        "By {} · created {} · modified {}",
        annotation.author,
        short_time(&annotation.created),
        short_time(&annotation.modified)
    ));
    ui.weak(format!("Id {}", annotation.id));
    match &annotation.provenance {
        crate::model::Provenance::Manual => {}
        crate::model::Provenance::Imported { format } => {
            ui.weak(format!("Imported from {format}"));
        }
        crate::model::Provenance::Adjudicated { reviewer, sources } => {
            ui.weak(format!("Settled by {reviewer} from {}", sources.join(" and ")));
        }
        crate::model::Provenance::Suggested { source } => {
            ui.weak(format!("Suggested by {source}, accepted by {}", annotation.author));
        }
    }
    ui.add_space(4.0);
    let delete = egui::Button::new("Delete annotation").shortcut_text(shortcut_text(ui, Command::DeleteAnnotation));
    if ui.add(delete).on_hover_text(Command::DeleteAnnotation.tooltip()).clicked() {
        actions.push(Action::Run(Command::DeleteAnnotation));
    }
    if let Some(role) = &view.picking {
        let title = label.and_then(|label| label.relation(role)).map_or(role.as_str(), |relation| relation.title.as_str());
        ui.add_space(8.0);
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("Click an annotation in the text to set the {}. Esc cancels.", title.to_lowercase()),
        );
    }
}

fn empty_ui(ui: &mut egui::Ui, project: &Project, view: &mut ViewState, author: &str, actions: &mut Vec<Action>) {
    ui.add_space(8.0);
    if view.text_selection.is_empty() {
        ui.weak("Drag across words in the article to select them, then press a label's key (1–9) or click it in the palette.");
        ui.add_space(6.0);
        ui.weak("Click a highlight to select its annotation and edit it here. Hold Alt while dragging for exact characters; Ctrl-drag adds a fragment.");
    } else {
        ui.label("Text selected: press a label's key (1–9) or click a label to tag it.");
    }
    let Some(document) = view.document(project) else { return };
    ui.add_space(12.0);
    ui.separator();
    ui.strong(format!("Document: {}", super::ellipsize(&document.title, 60)));
    if let Some(text) = super::discussion::discussion_ui(ui, "document discussion", &document.comments, &mut view.comment_draft) {
        match ops::comment_on_document(project, &document.id, author, &text) {
            Ok(transaction) => actions.push(Action::Apply { transaction, select: None }),
            Err(error) => actions.push(Action::Status(error.to_string())),
        }
    }
}

/// The first shortcut of a command, as menu text.
pub fn shortcut_text(ui: &egui::Ui, command: Command) -> String {
    command.shortcuts().first().map(|shortcut| ui.ctx().format_shortcut(shortcut)).unwrap_or_default()
}

fn short_time(time: &jiff::Timestamp) -> String {
    time.strftime("%Y-%m-%d %H:%M").to_string()
}

/// An editor for one attribute; returns the new value (`Some(None)` to clear) when it changed.
fn attribute_editor_ui(ui: &mut egui::Ui, attribute: &AttributeDef, current: Option<&AttributeValue>) -> Option<Option<AttributeValue>> {
    let id = egui::Id::unique(("attribute", &attribute.name));
    match &attribute.value_type {
        AttributeType::Choice(choices) => {
            let mut chosen = current.cloned();
            egui::ComboBox::new(id, "")
                .selected_text(current.map_or("—".to_owned(), ToString::to_string))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen, None, "—");
                    for choice in choices {
                        ui.selectable_value(&mut chosen, Some(AttributeValue::Text(choice.clone())), choice.as_str());
                    }
                })
                .response
                .accessible_name(attribute.title.as_str());
            (chosen.as_ref() != current).then_some(chosen)
        }
        AttributeType::Flag => {
            let mut flag = matches!(current, Some(AttributeValue::Flag(true)));
            let response = ui.checkbox(&mut flag, "").accessible_name(attribute.title.as_str());
            response.changed().then_some(Some(AttributeValue::Flag(flag)))
        }
        AttributeType::Number { min, max } => {
            let mut number = match current {
                Some(AttributeValue::Number(number)) => *number,
                _ => *min,
            };
            let changed = ui.add(egui::DragValue::new(&mut number).range(*min..=*max)).accessible_name(attribute.title.as_str()).changed();
            changed.then_some(Some(AttributeValue::Number(number)))
        }
        AttributeType::Text => {
            let mut text = match current {
                Some(AttributeValue::Text(text)) => text.clone(),
                _ => String::new(),
            };
            let response = ui.add(egui::TextEdit::singleline(&mut text).id(id).hint_text(attribute.title.as_str()));
            let committed = response.lost_focus() && Some(&AttributeValue::Text(text.clone())) != current;
            committed.then(|| (!text.is_empty()).then_some(AttributeValue::Text(text)))
        }
    }
}

/// A drop-down of possible relation targets; returns the new target when it changed.
fn relation_editor_ui(
    ui: &mut egui::Ui,
    project: &Project,
    document: &Document,
    annotation: &Annotation,
    relation: &RelationDef,
) -> Option<Option<RelationTarget>> {
    let current = annotation.relation(&relation.role).cloned();
    let mut chosen = current.clone();
    let selected_text = current.as_ref().map_or_else(|| "— none —".to_owned(), |target| describe_target(project, document, target));
    egui::ComboBox::new(("relation", &relation.role), "")
        .selected_text(ellipsize(&selected_text, 28))
        .width(170.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "— none —");
            for who in &relation.implicit {
                ui.selectable_value(&mut chosen, Some(RelationTarget::Implicit(who.clone())), who.as_str());
            }
            let candidates =
                document.annotations.iter().filter(|other| other.id != annotation.id && relation.target_kinds.contains(&other.kind));
            for candidate in candidates {
                let target = Some(RelationTarget::Annotation(candidate.id.clone()));
                ui.selectable_value(&mut chosen, target, describe_annotation(project, document, candidate));
            }
        })
        .response
        .accessible_name(relation.title.as_str());
    (chosen != current).then_some(chosen)
}

fn note_ui(
    ui: &mut egui::Ui,
    annotation: &Annotation,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
    project: &Project,
    document: &Document,
) {
    if view.note_draft.as_ref().is_none_or(|(id, _)| id != &annotation.id) {
        view.note_draft = Some((annotation.id.clone(), annotation.note.clone()));
    }
    let Some((_, draft)) = view.note_draft.as_mut() else { return };
    ui.label("Note");
    let response =
        ui.add(egui::TextEdit::multiline(draft).hint_text("Add a note for reviewers…").desired_rows(3).desired_width(f32::INFINITY));
    if response.lost_focus() && *draft != annotation.note {
        match ops::set_note(project, &document.id, &annotation.id, draft) {
            Ok(transaction) => actions.push(Action::Apply { transaction, select: Some(annotation.id.clone()) }),
            Err(error) => actions.push(Action::Status(error.to_string())),
        }
    }
}

/// The annotations whose relations point at this one (the claims an entity makes, ...).
fn linked_from_ui(ui: &mut egui::Ui, project: &Project, document: &Document, annotation: &Annotation, actions: &mut Vec<Action>) {
    let referrers: Vec<&Annotation> = document.annotations.iter().filter(|other| other.refers_to(&annotation.id)).collect();
    if referrers.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label("Linked from");
    for referrer in referrers {
        let roles: Vec<&str> = referrer
            .relations
            .iter()
            .filter(|relation| relation.target == RelationTarget::Annotation(annotation.id.clone()))
            .map(|relation| role_title(project.schema.label(&referrer.label), &relation.role))
            .collect();
        let text = format!("{} ({})", describe_annotation(project, document, referrer), roles.join(", "));
        if ui.link(text).clicked() {
            actions.push(Action::Reveal(referrer.id.clone()));
        }
    }
}

fn role_title<'a>(label: Option<&'a LabelDef>, role: &'a str) -> &'a str {
    label.and_then(|label| label.relation(role)).map_or(role, |relation| relation.title.as_str())
}

//! The pre-annotation window: the shown document's pending suggestions, each with its rule, to
//! accept or reject one by one or all at once; the buttons that run the rules; and the rules
//! themselves, to add a regex rule, import a gazetteer or remove either.

use super::{ViewState, ellipsize, style};
use crate::app::{Action, Command};
use crate::edit::Transaction;
use crate::model::{Document, DocumentId, Kind, PatternRule, Project, Rules, Suggestion};
use crate::preannotate::edits;

/// The window's state: whether it is open and the rule being written. Not saved.
#[derive(Default)]
pub struct SuggestionsWindow {
    /// Whether the window is shown.
    pub open: bool,
    /// The regex rule being written.
    pub draft: PatternRule,
    /// The label given to every term of a gazetteer imported from a plain list.
    pub list_label: String,
    /// Why the last rule change was refused.
    pub error: Option<String>,
}

/// The action that runs the rules on `document_ids`: the edit, or a status message saying why
/// there is nothing to apply.
pub fn run_rules_action(project: &Project, document_ids: &[DocumentId]) -> Action {
    rules_outcome_action(edits::run(project, document_ids))
}

/// The action for what a run of the rules found: its edit, or a status message saying why there
/// is nothing to apply.
pub fn rules_outcome_action(outcome: Result<(Transaction, usize), crate::preannotate::RuleError>) -> Action {
    match outcome {
        Ok((_, 0)) => Action::Status("No new suggestions: the rules found nothing that is not already annotated or decided".into()),
        Ok((transaction, _)) => Action::Apply { transaction, select: None },
        Err(error) => Action::Status(error.to_string()),
    }
}

/// Draws the window while it is open.
pub fn suggestions_window_ui(
    ctx: &egui::Context,
    window: &mut SuggestionsWindow,
    project: &Project,
    view: &ViewState,
    author: &str,
    actions: &mut Vec<Action>,
) {
    let mut open = window.open;
    // Over the inspector at first, so that the article stays in view.
    let corner = ctx.content_rect().right_top() + egui::vec2(-480.0, 48.0);
    let frame = egui::Window::new("Pre-annotation").open(&mut open).default_pos(corner).default_width(460.0).default_height(520.0);
    frame.show(ctx, |ui| {
        let Some(document) = view.document(project) else {
            ui.label("This project has no documents.");
            return;
        };
        ui.horizontal(|ui| {
            if ui.button("Run on this document").on_hover_text(Command::RunPreannotation.tooltip()).clicked() {
                actions.push(run_rules_action(project, std::slice::from_ref(&document.id)));
            }
            let all_documents = ui.button("Run on all documents");
            let hint = "Suggest labels in every document of the project, as one undoable edit (on a worker thread)";
            if all_documents.on_hover_text(hint).clicked() {
                actions.push(Action::PreannotateAll);
            }
        });
        ui.separator();
        pending_ui(ui, project, document, author, actions);
        ui.separator();
        egui::CollapsingHeader::new(format!("Rules ({})", project.rules.gazetteers.len() + project.rules.patterns.len()))
            .id_salt("pre-annotation rules")
            .default_open(project.rules.is_empty())
            .show(ui, |ui| rules_ui(ui, window, project, actions));
    });
    window.open = open;
}

/// The pending suggestions of `document`, with Accept and Reject per row and for all.
fn pending_ui(ui: &mut egui::Ui, project: &Project, document: &Document, author: &str, actions: &mut Vec<Action>) {
    let pending: Vec<&Suggestion> = document.pending_suggestions().collect();
    ui.horizontal(|ui| {
        ui.strong(format!("Suggestions ({})", pending.len()));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.add_enabled_ui(!pending.is_empty(), |ui| {
                if ui.button("Reject all").clicked() {
                    push_edit(actions, edits::reject_all(project, &document.id), None);
                }
                if ui.button("Accept all").clicked() {
                    push_edit(actions, edits::accept_all(project, &document.id, author), None);
                }
            });
        });
    });
    if pending.is_empty() {
        ui.weak("None pending. Run the rules to get suggestions.");
        return;
    }
    // Only the rows in view are drawn: a long article may have thousands of suggestions.
    let row_height = super::list_row_height(ui);
    egui::ScrollArea::vertical().id_salt("suggestions").max_height(260.0).show_rows(ui, row_height, pending.len(), |ui, rows| {
        for suggestion in pending.get(rows).unwrap_or_default() {
            suggestion_row_ui(ui, project, document, suggestion, author, actions);
        }
    });
}

/// One pending suggestion: its text and label (a click scrolls the article to it), its rule, and
/// Accept and Reject.
fn suggestion_row_ui(
    ui: &mut egui::Ui,
    project: &Project,
    document: &Document,
    suggestion: &Suggestion,
    author: &str,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        let label = project.schema.label(&suggestion.label);
        if let Some(label) = label {
            style::color_swatch(ui, style::label_color(label));
        }
        let title = label.map_or(suggestion.label.as_str(), |label| label.title.as_str());
        let text = ellipsize(document.text.slice(suggestion.span), 40);
        let row = ui.add(egui::Label::new(format!("“{text}” · {title}")).sense(egui::Sense::click()));
        if row.on_hover_text(format!("Suggested by {}; click to show it in the text", suggestion.source)).clicked() {
            actions.push(Action::RevealOffset(suggestion.span.start));
        }
        ui.weak(suggestion.source.to_string());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Reject").clicked() {
                push_edit(actions, edits::reject(project, &document.id, &suggestion.id), None);
            }
            if ui.button("Accept").clicked() {
                push_edit(actions, edits::accept(project, &document.id, &suggestion.id, author), Some(suggestion));
            }
        });
    });
}

/// Pushes an edit (selecting the annotation an accepted suggestion becomes), or its error.
fn push_edit(actions: &mut Vec<Action>, edit: Result<Transaction, crate::edit::EditError>, accepted: Option<&Suggestion>) {
    actions.push(match edit {
        Ok(transaction) => Action::Apply { transaction, select: accepted.map(|suggestion| suggestion.id.clone()) },
        Err(error) => Action::Status(error.to_string()),
    });
}

/// The gazetteers and regex rules, with Remove buttons, and the forms that add them.
fn rules_ui(ui: &mut egui::Ui, window: &mut SuggestionsWindow, project: &Project, actions: &mut Vec<Action>) {
    let rules = &project.rules;
    for (index, gazetteer) in rules.gazetteers.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("Gazetteer “{}” · {} terms", gazetteer.name, gazetteer.entries.len()));
            if ui.small_button("Remove").on_hover_text("Remove this gazetteer; its accepted annotations stay").clicked() {
                let mut changed = rules.clone();
                changed.gazetteers.remove(index);
                change_rules(window, project, changed, format!("Remove gazetteer {}", gazetteer.name), actions);
            }
        });
    }
    for (index, pattern) in rules.patterns.iter().enumerate() {
        ui.horizontal(|ui| {
            let title = project.schema.label(&pattern.label).map_or(pattern.label.as_str(), |label| label.title.as_str());
            ui.label(format!("Rule “{}”: {} · {title}", pattern.name, ellipsize(&pattern.pattern, 32)));
            if ui.small_button("Remove").on_hover_text("Remove this rule; its accepted annotations stay").clicked() {
                let mut changed = rules.clone();
                changed.patterns.remove(index);
                change_rules(window, project, changed, format!("Remove rule {}", pattern.name), actions);
            }
        });
    }
    ui.add_space(6.0);
    ui.strong("New regex rule");
    egui::Grid::new("new rule").num_columns(2).spacing([8.0, 4.0]).show(ui, |ui| {
        let name = ui.label("Name");
        ui.add(egui::TextEdit::singleline(&mut window.draft.name).hint_text("dates")).labelled_by(name.id);
        ui.end_row();
        let pattern = ui.label("Pattern");
        ui.add(egui::TextEdit::singleline(&mut window.draft.pattern).hint_text(r"\d{4}").font(egui::TextStyle::Monospace))
            .labelled_by(pattern.id)
            .on_hover_text("A regular expression in Rust regex syntax; each match becomes a suggestion");
        ui.end_row();
        ui.label("Label");
        label_choice_ui(ui, "Rule label", project, &mut window.draft.label);
        ui.end_row();
    });
    ui.checkbox(&mut window.draft.case_sensitive, "Case-sensitive");
    let ready = !window.draft.name.trim().is_empty() && !window.draft.pattern.is_empty() && !window.draft.label.is_empty();
    if ui.add_enabled(ready, egui::Button::new("Add rule")).clicked() {
        let mut draft = window.draft.clone();
        draft.name = draft.name.trim().to_owned();
        if rules.patterns.iter().any(|pattern| pattern.name == draft.name) {
            window.error = Some(format!("A rule named “{}” exists already", draft.name));
        } else {
            let description = format!("Add rule {}", draft.name);
            let mut changed = rules.clone();
            changed.patterns.push(draft);
            if change_rules(window, project, changed, description, actions) {
                window.draft = PatternRule::default();
            }
        }
    }
    ui.add_space(6.0);
    ui.strong("Gazetteer");
    ui.horizontal(|ui| {
        ui.label("Label for plain lists");
        label_choice_ui(ui, "Label for plain lists", project, &mut window.list_label);
    });
    let button = egui::Button::new(Command::ImportGazetteer.title());
    if ui.add_enabled(!window.list_label.is_empty(), button).on_hover_text(Command::ImportGazetteer.tooltip()).clicked() {
        actions.push(Action::Run(Command::ImportGazetteer));
    }
    if let Some(error) = &window.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
}

/// A combo box of the schema's span labels, named `name` for screen readers.
fn label_choice_ui(ui: &mut egui::Ui, name: &str, project: &Project, chosen: &mut String) {
    let shown = project.schema.label(chosen).map_or("Choose…", |label| label.title.as_str());
    egui::ComboBox::new(name, "")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for kind in Kind::ALL.into_iter().filter(|kind| kind.has_spans()) {
                for label in project.schema.labels_of(kind) {
                    ui.selectable_value(chosen, label.name.clone(), &label.title);
                }
            }
        })
        .response
        .accessible_name(name);
}

/// Pushes the edit that replaces the rules, or shows why they are refused. Returns whether the
/// edit was pushed.
fn change_rules(window: &mut SuggestionsWindow, project: &Project, rules: Rules, description: String, actions: &mut Vec<Action>) -> bool {
    match edits::set_rules(project, rules, description) {
        Ok(transaction) => {
            window.error = None;
            actions.push(Action::Apply { transaction, select: None });
            true
        }
        Err(error) => {
            window.error = Some(error.to_string());
            false
        }
    }
}

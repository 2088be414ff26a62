//! The label schema editor: a window listing the labels by kind in palette order, where each
//! label's colour, title, name, hotkey and guideline are edited, labels are added, moved and
//! deleted, and the attributes of the selected label are edited.
//!
//! Every change is one undoable edit built by [`schema_ops`] and sent as [`Action::Apply`]. Text
//! is committed with Enter or by leaving the field, not per keystroke, so a rename is one edit. A
//! refused change (a taken name, a hotkey clash) is shown in red and nothing is applied.

use std::collections::BTreeMap;

use crate::app::Action;
use crate::edit::Transaction;
use crate::edit::schema_ops::{self, Direction, SchemaEditError};
use crate::model::{Kind, Project};
use crate::schema::{AttributeDef, AttributeType, LabelDef};

/// The editor's runtime state: whether it is open, what is selected and what is being typed.
/// Never saved.
pub struct SchemaEditor {
    /// Whether the window is shown.
    pub open: bool,
    /// The label whose attributes are shown, by name.
    selected: Option<String>,
    /// Text typed in a field, by field, until committed.
    drafts: BTreeMap<String, String>,
    /// A colour being picked for a label, committed once the picker closes.
    color_draft: Option<(String, [u8; 3])>,
    /// The label being added.
    new_label: NewLabel,
    /// The attribute being added to the selected label.
    new_attribute: NewAttribute,
    /// Why the last change was refused.
    error: Option<String>,
}

impl Default for SchemaEditor {
    fn default() -> Self {
        Self {
            open: false,
            selected: None,
            drafts: BTreeMap::new(),
            color_draft: None,
            new_label: NewLabel { kind: Kind::Entity, name: String::new(), title: String::new() },
            new_attribute: NewAttribute::default(),
            error: None,
        }
    }
}

/// The fields of the "Add label" row.
struct NewLabel {
    kind: Kind,
    name: String,
    title: String,
}

/// The fields of the "Add attribute" row.
struct NewAttribute {
    name: String,
    title: String,
    value_type: TypeChoice,
    /// The values of a choice, separated by commas.
    choices: String,
    min: f64,
    max: f64,
}

impl Default for NewAttribute {
    fn default() -> Self {
        Self { name: String::new(), title: String::new(), value_type: TypeChoice::Choice, choices: String::new(), min: 0.0, max: 1.0 }
    }
}

/// The attribute types offered when adding an attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TypeChoice {
    Choice,
    Flag,
    Number,
    Text,
}

impl TypeChoice {
    const ALL: [TypeChoice; 4] = [TypeChoice::Choice, TypeChoice::Flag, TypeChoice::Number, TypeChoice::Text];

    fn title(self) -> &'static str {
        match self {
            TypeChoice::Choice => "Choice",
            TypeChoice::Flag => "Yes/no",
            TypeChoice::Number => "Number",
            TypeChoice::Text => "Text",
        }
    }
}

impl NewAttribute {
    fn value_type(&self) -> AttributeType {
        match self.value_type {
            TypeChoice::Choice => AttributeType::Choice(
                self.choices.split(',').map(str::trim).filter(|choice| !choice.is_empty()).map(str::to_owned).collect(),
            ),
            TypeChoice::Flag => AttributeType::Flag,
            TypeChoice::Number => AttributeType::Number { min: self.min.min(self.max), max: self.max.max(self.min) },
            TypeChoice::Text => AttributeType::Text,
        }
    }
}

/// A change asked for in the editor this frame.
type Change = Result<Transaction, SchemaEditError>;

/// Draws the schema editor window while it is open.
pub fn schema_editor_ui(ctx: &egui::Context, editor: &mut SchemaEditor, project: &Project, actions: &mut Vec<Action>) {
    let mut open = editor.open;
    let mut changes: Vec<Change> = Vec::new();
    egui::Window::new("Label schema").open(&mut open).default_width(900.0).default_height(640.0).show(ctx, |ui| {
        ui.weak("Changes apply at once and are undone with Ctrl+Z. Text is kept on Enter or when you leave the field.");
        if let Some(error) = &editor.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.separator();
        // Adding and the selected label's attributes stay in view above the (long) list.
        add_label_ui(ui, editor, project, &mut changes);
        if let Some(label) = editor.selected.as_deref().and_then(|name| project.schema.label(name)) {
            ui.separator();
            attributes_ui(ui, editor, project, label, &mut changes);
        }
        ui.separator();
        egui::ScrollArea::vertical().id_salt("schema editor").show(ui, |ui| {
            labels_ui(ui, editor, project, &mut changes);
        });
    });
    editor.open = open;
    if !open {
        editor.error = None;
    }
    for change in changes {
        match change {
            Ok(transaction) => {
                editor.error = None;
                actions.push(Action::Apply { transaction, select: None });
            }
            Err(error) => editor.error = Some(error.to_string()),
        }
    }
}

/// The labels, grouped by kind in palette order, one row each.
fn labels_ui(ui: &mut egui::Ui, editor: &mut SchemaEditor, project: &Project, changes: &mut Vec<Change>) {
    for kind in Kind::ALL {
        let labels: Vec<&LabelDef> = project.schema.labels_of(kind).collect();
        if labels.is_empty() {
            continue;
        }
        ui.strong(kind.title());
        egui::Grid::new(("schema labels", kind.name())).num_columns(8).spacing([8.0, 4.0]).striped(true).show(ui, |ui| {
            for header in ["Colour", "Title", "Name", "Key", "Guideline"] {
                ui.weak(header);
            }
            ui.end_row();
            for (index, label) in labels.iter().enumerate() {
                let ends = (index == 0, index + 1 == labels.len());
                label_row_ui(ui, editor, project, label, ends, changes);
                ui.end_row();
            }
        });
        ui.add_space(6.0);
    }
}

/// One label's row: colour, title, name, hotkey, guideline, moves, attributes and delete.
/// `ends` says whether the label is the first and the last of its kind.
fn label_row_ui(
    ui: &mut egui::Ui,
    editor: &mut SchemaEditor,
    project: &Project,
    label: &LabelDef,
    ends: (bool, bool),
    changes: &mut Vec<Change>,
) {
    let name = label.name.as_str();
    let drafts = &mut editor.drafts;
    ui.horizontal(|ui| {
        if let Some(color) = color_ui(ui, &mut editor.color_draft, label) {
            changes.push(schema_ops::set_label_color(project, name, &color));
        }
        let field = TextField::new(format!("color {name}"), format!("Colour of {name}"), 76.0);
        if let Some(hex) = committed_text_ui(ui, drafts, field, &label.color) {
            changes.push(schema_ops::set_label_color(project, name, hex.trim()));
        }
    });
    let field = TextField::new(format!("title {name}"), format!("Title of {name}"), 140.0);
    if let Some(title) = committed_text_ui(ui, drafts, field, &label.title) {
        changes.push(schema_ops::set_label_title(project, name, &title));
    }
    let field = TextField::new(format!("name {name}"), format!("Name of {name}"), 100.0);
    if let Some(new_name) = committed_text_ui(ui, drafts, field, name) {
        let new_name = new_name.trim();
        let renamed = schema_ops::rename_label(project, name, new_name);
        if renamed.is_ok() && editor.selected.as_deref() == Some(name) {
            editor.selected = Some(new_name.to_owned());
        }
        changes.push(renamed);
    }
    let hotkey = label.hotkey.map(String::from).unwrap_or_default();
    let field = TextField::new(format!("hotkey {name}"), format!("Hotkey of {name}"), 24.0).single_char();
    if let Some(key) = committed_text_ui(ui, &mut editor.drafts, field, &hotkey) {
        changes.push(schema_ops::set_label_hotkey(project, name, key.trim().chars().next()));
    }
    let field = TextField::new(format!("guideline {name}"), format!("Guideline of {name}"), 260.0);
    if let Some(guideline) = committed_text_ui(ui, &mut editor.drafts, field, &label.guideline) {
        changes.push(schema_ops::set_label_guideline(project, name, &guideline));
    }
    if let Some(direction) = move_buttons_ui(ui, name, ends) {
        changes.push(schema_ops::move_label(project, name, direction));
    }
    let selected = editor.selected.as_deref() == Some(name);
    let attributes = format!("Attributes ({})", label.attributes.len());
    if ui.selectable_label(selected, attributes).accessible_name(format!("Attributes of {name}")).clicked() {
        editor.selected = if selected { None } else { Some(name.to_owned()) };
    }
    let delete = ui.button("Delete").on_hover_text("Delete the label; refused while annotations use it");
    if delete.accessible_name(format!("Delete {name}")).clicked() {
        changes.push(schema_ops::delete_label(project, name));
    }
}

/// The Up and Down buttons of an item named `name`; `ends` disables them at the first and last place.
fn move_buttons_ui(ui: &mut egui::Ui, name: &str, (first, last): (bool, bool)) -> Option<Direction> {
    let mut direction = None;
    ui.horizontal(|ui| {
        let up = ui.add_enabled(!first, egui::Button::new("Up")).on_hover_text("Move up");
        if up.accessible_name(format!("Move {name} up")).clicked() {
            direction = Some(Direction::Up);
        }
        let down = ui.add_enabled(!last, egui::Button::new("Down")).on_hover_text("Move down");
        if down.accessible_name(format!("Move {name} down")).clicked() {
            direction = Some(Direction::Down);
        }
    });
    direction
}

/// The colour button with egui's picker. The colour picked is held in `draft` while the picker is
/// open and returned as `#rrggbb` once it closes, so picking a colour is one edit.
fn color_ui(ui: &mut egui::Ui, draft: &mut Option<(String, [u8; 3])>, label: &LabelDef) -> Option<String> {
    let drafted = draft.as_ref().filter(|(name, _)| *name == label.name).map(|(_, rgb)| *rgb);
    let mut rgb = drafted.unwrap_or_else(|| label.rgb());
    // The id egui gives the picker's popup: the button's auto id, with "popup".
    let popup_id = ui.auto_id_with("popup");
    let response = egui::color_picker::color_edit_button_srgb(ui, &mut rgb);
    response.on_hover_text(format!("Pick the colour of {}", label.title));
    if rgb != label.rgb() || drafted.is_some() {
        *draft = Some((label.name.clone(), rgb));
    }
    if drafted.is_none() || egui::Popup::is_id_open(ui.ctx(), popup_id) {
        return None;
    }
    *draft = None;
    let [red, green, blue] = rgb;
    (rgb != label.rgb()).then(|| format!("#{red:02x}{green:02x}{blue:02x}"))
}

/// A text field of the editor: where its draft is kept and how it is named.
struct TextField {
    /// The key of its draft.
    key: String,
    /// Its name for screen readers and tests.
    accessible_name: String,
    /// Its width in points.
    width: f32,
    /// How many characters it takes.
    char_limit: usize,
}

impl TextField {
    fn new(key: String, accessible_name: String, width: f32) -> Self {
        Self { key, accessible_name, width, char_limit: usize::MAX }
    }

    /// A field for one character (a hotkey).
    fn single_char(self) -> Self {
        Self { char_limit: 1, ..self }
    }
}

/// A single-line field showing `current`; what is typed is kept in `drafts` and returned once,
/// when Enter is pressed or the field is left, if it differs. Escape drops it.
fn committed_text_ui(ui: &mut egui::Ui, drafts: &mut BTreeMap<String, String>, field: TextField, current: &str) -> Option<String> {
    let mut text = drafts.get(&field.key).cloned().unwrap_or_else(|| current.to_owned());
    let cancelled = ui.input(|input| input.key_pressed(egui::Key::Escape));
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .desired_width(field.width)
                .min_size(egui::vec2(field.width, 0.0))
                .char_limit(field.char_limit),
        )
        .accessible_name(field.accessible_name);
    if response.has_focus() {
        drafts.insert(field.key, text);
        return None;
    }
    drafts.remove(&field.key);
    (response.lost_focus() && !cancelled && text != current).then_some(text)
}

/// The row that adds a label of a chosen kind.
fn add_label_ui(ui: &mut egui::Ui, editor: &mut SchemaEditor, project: &Project, changes: &mut Vec<Change>) {
    ui.strong("New label");
    ui.horizontal(|ui| {
        let new = &mut editor.new_label;
        egui::ComboBox::new("new label kind", "")
            .selected_text(new.kind.title())
            .show_ui(ui, |ui| {
                for kind in Kind::ALL {
                    ui.selectable_value(&mut new.kind, kind, kind.title());
                }
            })
            .response
            .accessible_name("Kind of the new label");
        ui.add(egui::TextEdit::singleline(&mut new.name).hint_text("Name (PER)").desired_width(100.0)).accessible_name("New label name");
        ui.add(egui::TextEdit::singleline(&mut new.title).hint_text("Title (Person)").desired_width(140.0))
            .accessible_name("New label title");
        if ui.button("Add label").clicked() {
            let title = if new.title.trim().is_empty() { new.name.trim() } else { new.title.trim() };
            let label = LabelDef {
                name: new.name.trim().to_owned(),
                kind: new.kind,
                title: title.to_owned(),
                color: project.schema.new_label_color().to_owned(),
                hotkey: None,
                guideline: String::new(),
                attributes: Vec::new(),
                relations: Vec::new(),
            };
            let added = schema_ops::add_label(project, label);
            if added.is_ok() {
                new.name.clear();
                new.title.clear();
            }
            changes.push(added);
        }
    });
}

/// The attributes of `label`: title, name, type, moves and delete, then a row that adds one.
fn attributes_ui(ui: &mut egui::Ui, editor: &mut SchemaEditor, project: &Project, label: &LabelDef, changes: &mut Vec<Change>) {
    let label_name = label.name.as_str();
    ui.strong(format!("Attributes of {}", label.title));
    if label.attributes.is_empty() {
        ui.weak("None yet.");
    }
    egui::Grid::new("schema attributes").num_columns(5).spacing([8.0, 4.0]).striped(true).show(ui, |ui| {
        for (index, attribute) in label.attributes.iter().enumerate() {
            let name = attribute.name.as_str();
            let key = format!("{label_name} {name}");
            let field = TextField::new(format!("attribute title {key}"), format!("Title of attribute {name}"), 140.0);
            if let Some(title) = committed_text_ui(ui, &mut editor.drafts, field, &attribute.title) {
                changes.push(schema_ops::set_attribute_title(project, label_name, name, &title));
            }
            let field = TextField::new(format!("attribute name {key}"), format!("Name of attribute {name}"), 110.0);
            if let Some(new_name) = committed_text_ui(ui, &mut editor.drafts, field, name) {
                changes.push(schema_ops::rename_attribute(project, label_name, name, new_name.trim()));
            }
            ui.weak(describe_type(&attribute.value_type));
            let ends = (index == 0, index + 1 == label.attributes.len());
            if let Some(direction) = move_buttons_ui(ui, name, ends) {
                changes.push(schema_ops::move_attribute(project, label_name, name, direction));
            }
            let delete = ui.button("Delete").on_hover_text("Delete the attribute and its values in this label's annotations");
            if delete.accessible_name(format!("Delete attribute {name}")).clicked() {
                changes.push(schema_ops::delete_attribute(project, label_name, name));
            }
            ui.end_row();
        }
    });
    ui.horizontal(|ui| {
        let new = &mut editor.new_attribute;
        ui.add(egui::TextEdit::singleline(&mut new.name).hint_text("Name (polarity)").desired_width(110.0))
            .accessible_name("New attribute name");
        ui.add(egui::TextEdit::singleline(&mut new.title).hint_text("Title (Polarity)").desired_width(140.0))
            .accessible_name("New attribute title");
        egui::ComboBox::new("new attribute type", "")
            .selected_text(new.value_type.title())
            .show_ui(ui, |ui| {
                for choice in TypeChoice::ALL {
                    ui.selectable_value(&mut new.value_type, choice, choice.title());
                }
            })
            .response
            .accessible_name("Type of the new attribute");
        match new.value_type {
            TypeChoice::Choice => {
                ui.add(egui::TextEdit::singleline(&mut new.choices).hint_text("values, separated, by commas").desired_width(200.0))
                    .accessible_name("Values of the new attribute");
            }
            TypeChoice::Number => {
                ui.add(egui::DragValue::new(&mut new.min).prefix("from ")).accessible_name("Smallest value");
                ui.add(egui::DragValue::new(&mut new.max).prefix("to ")).accessible_name("Largest value");
            }
            TypeChoice::Flag | TypeChoice::Text => {}
        }
        if ui.button("Add attribute").clicked() {
            let title = if new.title.trim().is_empty() { new.name.trim() } else { new.title.trim() };
            let attribute = AttributeDef {
                name: new.name.trim().to_owned(),
                title: title.to_owned(),
                value_type: new.value_type(),
                default: None,
                guideline: String::new(),
            };
            let added = schema_ops::add_attribute(project, label_name, attribute);
            if added.is_ok() {
                *new = NewAttribute::default();
            }
            changes.push(added);
        }
    });
}

/// How an attribute type reads in the list ("Choice: asserted, hedged").
fn describe_type(value_type: &AttributeType) -> String {
    match value_type {
        AttributeType::Choice(choices) => format!("Choice: {}", choices.join(", ")),
        AttributeType::Flag => "Yes/no".to_owned(),
        AttributeType::Number { min, max } => format!("Number from {min} to {max}"),
        AttributeType::Text => "Text".to_owned(),
    }
}

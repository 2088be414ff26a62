//! Editing the label schema: add, rename, retitle, recolour, reorder and delete labels and their
//! attributes, and set hotkeys and guidelines. Each function returns one [`Transaction`], or a
//! [`SchemaEditError`] saying why the change makes no sense; the project is never touched here.
//!
//! A rename changes the schema *and* every annotation that uses the old name, as one undoable
//! unit. Since [`Edit::SetSchema`] and [`Edit::Replace`] each check the whole result against the
//! schema, a rename goes through a *bridge* schema that knows both names:
//!
//! ```text
//! SetSchema(old + new)  →  Replace each annotation (PER → PERSON)  →  SetSchema(new)
//! ```
//!
//! Its inverse runs the same steps backwards, so undo restores the project exactly.

use super::{Edit, Transaction};
use crate::model::{Annotation, Project};
use crate::schema::{AttributeDef, AttributeType, LabelDef, LabelSchema, SchemaError, parse_hex_color};

/// Why a schema change was refused. Nothing is changed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SchemaEditError {
    /// The change names a label the schema does not have.
    #[error("there is no label named {0:?}")]
    UnknownLabel(String),
    /// The change names an attribute the label does not have.
    #[error("label {label:?} has no attribute {attribute:?}")]
    UnknownAttribute {
        /// The label's name.
        label: String,
        /// The attribute's name.
        attribute: String,
    },
    /// A name (of a label or an attribute) is empty or holds spaces.
    #[error("{0:?} cannot be a name: use letters, digits, '_' or '-' without spaces")]
    BadName(String),
    /// Another label already has the name.
    #[error("a label named {0:?} already exists")]
    DuplicateLabel(String),
    /// The label already has an attribute of that name.
    #[error("label {label:?} already has an attribute {attribute:?}")]
    DuplicateAttribute {
        /// The label's name.
        label: String,
        /// The attribute's name.
        attribute: String,
    },
    /// A choice attribute has no values to choose from.
    #[error("a choice needs at least one value")]
    NoChoices,
    /// A title is empty.
    #[error("the title cannot be empty")]
    EmptyTitle,
    /// A colour is not `#rrggbb`.
    #[error("{0:?} is not a colour of the form #rrggbb")]
    BadColor(String),
    /// A hotkey is not a digit.
    #[error("{0:?} cannot be a hotkey: use a digit from 0 to 9")]
    BadHotkey(char),
    /// Another label already has the hotkey.
    #[error("hotkey {hotkey} is already used by {title}")]
    HotkeyTaken {
        /// The hotkey.
        hotkey: char,
        /// The title of the label using it.
        title: String,
    },
    /// The label cannot move further in that direction.
    #[error("{0} is already at the end of its list")]
    CannotMove(String),
    /// Annotations still use the label.
    #[error("{count} annotation(s) still use {title}; delete or relabel them first")]
    LabelInUse {
        /// The label's title.
        title: String,
        /// How many annotations use it.
        count: usize,
    },
    /// The result breaks a rule of the schema.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// Which way to move a label or an attribute in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Towards the top.
    Up,
    /// Towards the bottom.
    Down,
}

/// Adds `label` after the last label of its kind (or at the end), so the palette shows it last in
/// its group.
pub fn add_label(project: &Project, label: LabelDef) -> Result<Transaction, SchemaEditError> {
    check_name(&label.name)?;
    check_title(&label.title)?;
    check_color(&label.color)?;
    if project.schema.label(&label.name).is_some() {
        return Err(SchemaEditError::DuplicateLabel(label.name));
    }
    if let Some(hotkey) = label.hotkey {
        check_hotkey(&project.schema, &label.name, hotkey)?;
    }
    let description = format!("Add label {}", label.title);
    schema_change(project, description, |schema| {
        let index = schema.labels.iter().rposition(|other| other.kind == label.kind).map_or(schema.labels.len(), |last| last + 1);
        schema.labels.insert(index, label);
        Ok(())
    })
}

/// Renames label `name` to `new_name` and every annotation using it, in every document, as one
/// transaction. Relation definitions name the kinds they accept, not labels, so they stay as
/// they are.
pub fn rename_label(project: &Project, name: &str, new_name: &str) -> Result<Transaction, SchemaEditError> {
    check_name(new_name)?;
    let label = find_label(&project.schema, name)?;
    if project.schema.label(new_name).is_some() {
        return Err(SchemaEditError::DuplicateLabel(new_name.to_owned()));
    }
    let mut bridge = project.schema.clone();
    bridge.labels.push(LabelDef { name: new_name.to_owned(), hotkey: None, ..label.clone() });
    let mut renamed = project.schema.clone();
    label_mut(&mut renamed, name)?.name = new_name.to_owned();
    renamed.check()?;
    let replaces = replace_annotations(project, |annotation| {
        (annotation.label == name).then(|| Annotation { label: new_name.to_owned(), ..annotation.clone() })
    });
    let description = format!("Rename {} to {new_name}", label.name);
    Ok(bridged(description, bridge, replaces, renamed))
}

/// Gives label `name` the title annotators see.
pub fn set_label_title(project: &Project, name: &str, title: &str) -> Result<Transaction, SchemaEditError> {
    check_title(title)?;
    label_change(project, name, format!("Retitle {name}"), |label| label.title = title.trim().to_owned())
}

/// Gives label `name` the colour `color` (`#rrggbb`).
pub fn set_label_color(project: &Project, name: &str, color: &str) -> Result<Transaction, SchemaEditError> {
    check_color(color)?;
    label_change(project, name, format!("Recolour {name}"), |label| label.color = color.to_owned())
}

/// Sets (or with `None` clears) the hotkey of label `name`; a hotkey another label has is refused.
pub fn set_label_hotkey(project: &Project, name: &str, hotkey: Option<char>) -> Result<Transaction, SchemaEditError> {
    if let Some(hotkey) = hotkey {
        check_hotkey(&project.schema, name, hotkey)?;
    }
    label_change(project, name, format!("Set the hotkey of {name}"), |label| label.hotkey = hotkey)
}

/// Sets the guideline shown as the tooltip of label `name`.
pub fn set_label_guideline(project: &Project, name: &str, guideline: &str) -> Result<Transaction, SchemaEditError> {
    label_change(project, name, format!("Edit the guideline of {name}"), |label| label.guideline = guideline.trim().to_owned())
}

/// Moves label `name` one place up or down among the labels of its kind (the palette's order).
pub fn move_label(project: &Project, name: &str, direction: Direction) -> Result<Transaction, SchemaEditError> {
    let label = find_label(&project.schema, name)?;
    let kind = label.kind;
    let positions: Vec<usize> =
        project.schema.labels.iter().enumerate().filter(|(_, other)| other.kind == kind).map(|(index, _)| index).collect();
    let at = project.schema.labels.iter().position(|other| other.name == name).and_then(|index| positions.iter().position(|&i| i == index));
    let swap = neighbours(&positions, at, direction).ok_or_else(|| SchemaEditError::CannotMove(label.title.clone()))?;
    schema_change(project, format!("Move {}", label.title), |schema| {
        schema.labels.swap(swap.0, swap.1);
        Ok(())
    })
}

/// Deletes label `name`; refused while annotations use it, saying how many.
pub fn delete_label(project: &Project, name: &str) -> Result<Transaction, SchemaEditError> {
    let label = find_label(&project.schema, name)?;
    let count = project.documents.iter().flat_map(|document| &document.annotations).filter(|annotation| annotation.label == name).count();
    if count > 0 {
        return Err(SchemaEditError::LabelInUse { title: label.title.clone(), count });
    }
    schema_change(project, format!("Delete label {}", label.title), |schema| {
        schema.labels.retain(|other| other.name != name);
        Ok(())
    })
}

/// Adds `attribute` at the end of label `label`'s attributes.
pub fn add_attribute(project: &Project, label: &str, attribute: AttributeDef) -> Result<Transaction, SchemaEditError> {
    check_name(&attribute.name)?;
    check_title(&attribute.title)?;
    if attribute.value_type == AttributeType::Choice(Vec::new()) {
        return Err(SchemaEditError::NoChoices);
    }
    let definition = find_label(&project.schema, label)?;
    if definition.attribute(&attribute.name).is_some() {
        return Err(SchemaEditError::DuplicateAttribute { label: label.to_owned(), attribute: attribute.name });
    }
    label_change(project, label, format!("Add attribute {}", attribute.title), |definition| definition.attributes.push(attribute))
}

/// Renames attribute `name` of label `label` to `new_name`, and the attribute's key in every
/// annotation of that label, as one transaction.
pub fn rename_attribute(project: &Project, label: &str, name: &str, new_name: &str) -> Result<Transaction, SchemaEditError> {
    check_name(new_name)?;
    let attribute = find_attribute(&project.schema, label, name)?;
    if find_label(&project.schema, label)?.attribute(new_name).is_some() {
        return Err(SchemaEditError::DuplicateAttribute { label: label.to_owned(), attribute: new_name.to_owned() });
    }
    let mut bridge = project.schema.clone();
    label_mut(&mut bridge, label)?.attributes.push(AttributeDef { name: new_name.to_owned(), ..attribute.clone() });
    let mut renamed = project.schema.clone();
    if let Some(attribute) = label_mut(&mut renamed, label)?.attributes.iter_mut().find(|attribute| attribute.name == name) {
        attribute.name = new_name.to_owned();
    }
    renamed.check()?;
    let replaces = replace_annotations(project, |annotation| {
        let value = annotation.attributes.get(name).filter(|_| annotation.label == label)?;
        let mut renamed = annotation.clone();
        renamed.attributes.remove(name);
        renamed.attributes.insert(new_name.to_owned(), value.clone());
        Some(renamed)
    });
    Ok(bridged(format!("Rename attribute {name} to {new_name}"), bridge, replaces, renamed))
}

/// Gives attribute `name` of label `label` the title annotators see.
pub fn set_attribute_title(project: &Project, label: &str, name: &str, title: &str) -> Result<Transaction, SchemaEditError> {
    check_title(title)?;
    find_attribute(&project.schema, label, name)?;
    label_change(project, label, format!("Retitle attribute {name}"), |definition| {
        if let Some(attribute) = definition.attributes.iter_mut().find(|attribute| attribute.name == name) {
            attribute.title = title.trim().to_owned();
        }
    })
}

/// Moves attribute `name` of label `label` one place up or down (the inspector's order).
pub fn move_attribute(project: &Project, label: &str, name: &str, direction: Direction) -> Result<Transaction, SchemaEditError> {
    let attribute = find_attribute(&project.schema, label, name)?;
    let definition = find_label(&project.schema, label)?;
    let positions: Vec<usize> = (0..definition.attributes.len()).collect();
    let swap = neighbours(&positions, definition.attributes.iter().position(|other| other.name == name), direction)
        .ok_or_else(|| SchemaEditError::CannotMove(attribute.title.clone()))?;
    label_change(project, label, format!("Move attribute {}", attribute.title), |definition| definition.attributes.swap(swap.0, swap.1))
}

/// Deletes attribute `name` of label `label`, and its values from the label's annotations, as
/// one transaction.
pub fn delete_attribute(project: &Project, label: &str, name: &str) -> Result<Transaction, SchemaEditError> {
    let attribute = find_attribute(&project.schema, label, name)?;
    let mut edits = replace_annotations(project, |annotation| {
        (annotation.label == label && annotation.attributes.contains_key(name)).then(|| {
            let mut cleared = annotation.clone();
            cleared.attributes.remove(name);
            cleared
        })
    });
    let mut schema = project.schema.clone();
    label_mut(&mut schema, label)?.attributes.retain(|attribute| attribute.name != name);
    edits.push(Edit::SetSchema { schema: Box::new(schema) });
    Ok(Transaction::new(format!("Delete attribute {}", attribute.title), edits))
}

/// A transaction that replaces the schema by a copy changed by `change`, checked.
fn schema_change(
    project: &Project,
    description: String,
    change: impl FnOnce(&mut LabelSchema) -> Result<(), SchemaEditError>,
) -> Result<Transaction, SchemaEditError> {
    let mut schema = project.schema.clone();
    change(&mut schema)?;
    schema.check()?;
    Ok(Transaction::new(description, vec![Edit::SetSchema { schema: Box::new(schema) }]))
}

/// A transaction that replaces the schema by a copy in which label `name` is changed by `change`.
fn label_change(
    project: &Project,
    name: &str,
    description: String,
    change: impl FnOnce(&mut LabelDef),
) -> Result<Transaction, SchemaEditError> {
    schema_change(project, description, |schema| {
        change(label_mut(schema, name)?);
        Ok(())
    })
}

/// Switches to `bridge` (which accepts both the old and the new annotations), replaces the
/// annotations, then switches to `schema`. Without annotations to change, only the last step.
fn bridged(description: String, bridge: LabelSchema, replaces: Vec<Edit>, schema: LabelSchema) -> Transaction {
    let mut edits = Vec::with_capacity(replaces.len() + 2);
    if !replaces.is_empty() {
        edits.push(Edit::SetSchema { schema: Box::new(bridge) });
        edits.extend(replaces);
    }
    edits.push(Edit::SetSchema { schema: Box::new(schema) });
    Transaction::new(description, edits)
}

/// A [`Edit::Replace`] of every annotation, in every document, that `change` returns a new
/// version of, stamped as modified now.
fn replace_annotations(project: &Project, change: impl Fn(&Annotation) -> Option<Annotation>) -> Vec<Edit> {
    project
        .documents
        .iter()
        .flat_map(|document| {
            document.annotations.iter().filter_map(&change).map(|mut annotation| {
                annotation.touch();
                Edit::Replace { document_id: document.id.clone(), annotation }
            })
        })
        .collect()
}

/// The pair of `positions` to swap to move the item at `at` (an index into `positions`) one place
/// in `direction`; `None` at the ends.
fn neighbours(positions: &[usize], at: Option<usize>, direction: Direction) -> Option<(usize, usize)> {
    let at = at?;
    let other = match direction {
        Direction::Up => at.checked_sub(1)?,
        Direction::Down => at + 1,
    };
    Some((*positions.get(at)?, *positions.get(other)?))
}

fn find_label<'s>(schema: &'s LabelSchema, name: &str) -> Result<&'s LabelDef, SchemaEditError> {
    schema.label(name).ok_or_else(|| SchemaEditError::UnknownLabel(name.to_owned()))
}

fn label_mut<'s>(schema: &'s mut LabelSchema, name: &str) -> Result<&'s mut LabelDef, SchemaEditError> {
    schema.labels.iter_mut().find(|label| label.name == name).ok_or_else(|| SchemaEditError::UnknownLabel(name.to_owned()))
}

fn find_attribute<'s>(schema: &'s LabelSchema, label: &str, name: &str) -> Result<&'s AttributeDef, SchemaEditError> {
    find_label(schema, label)?
        .attribute(name)
        .ok_or_else(|| SchemaEditError::UnknownAttribute { label: label.to_owned(), attribute: name.to_owned() })
}

/// Names are keys in files and exports (brat, CoNLL): no spaces, nothing empty.
fn check_name(name: &str) -> Result<(), SchemaEditError> {
    let fits = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    if name.is_empty() || !name.chars().all(fits) { Err(SchemaEditError::BadName(name.to_owned())) } else { Ok(()) }
}

fn check_title(title: &str) -> Result<(), SchemaEditError> {
    if title.trim().is_empty() { Err(SchemaEditError::EmptyTitle) } else { Ok(()) }
}

fn check_color(color: &str) -> Result<(), SchemaEditError> {
    parse_hex_color(color).map(|_| ()).ok_or_else(|| SchemaEditError::BadColor(color.to_owned()))
}

/// A hotkey is a digit (letters are the review's shortcuts) that no other label than `name` has.
fn check_hotkey(schema: &LabelSchema, name: &str, hotkey: char) -> Result<(), SchemaEditError> {
    if !hotkey.is_ascii_digit() {
        return Err(SchemaEditError::BadHotkey(hotkey));
    }
    match schema.label_for_hotkey(hotkey) {
        Some(other) if other.name != name => Err(SchemaEditError::HotkeyTaken { hotkey, title: other.title.clone() }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;

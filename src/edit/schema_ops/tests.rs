//! Tests of the schema edits: each op, its refusals, and undo restoring the project exactly,
//! with a property test over random sequences of schema edits.

use proptest::prelude::*;

use super::*;
use crate::edit::{History, ops};
use crate::model::{AttributeValue, Document, DocumentId, Kind, Span};
use crate::schema::AttributeType;

const TEXT: &str = "Imran Khan said “everything will be okay.” in Kabul";

/// Two documents, each with a person, a place and a claim (with its default attributes); the
/// annotations are stamped as made long ago so that a change of `modified` shows.
fn project() -> Project {
    let mut project = Project::from_text("first", TEXT);
    project.documents.push(Document::new("second", format!("{TEXT} Later.")));
    let document_ids: Vec<DocumentId> = project.documents.iter().map(|document| document.id.clone()).collect();
    for document_id in &document_ids {
        for (label, span) in [("PER", Span::new(0, 10)), ("LOC", Span::new(46, 51)), ("CLAIM", Span::new(16, 42))] {
            let (transaction, _) = ops::tag(&project, document_id, label, vec![span], "ann").expect("tag");
            transaction.apply(&mut project).expect("valid");
        }
    }
    for annotation in project.documents.iter_mut().flat_map(|document| &mut document.annotations) {
        annotation.modified = jiff::Timestamp::UNIX_EPOCH;
    }
    project
}

fn labels(project: &Project, kind: Kind) -> Vec<&str> {
    project.schema.labels_of(kind).map(|label| label.name.as_str()).collect()
}

fn used_labels(project: &Project) -> Vec<&str> {
    project.documents.iter().flat_map(|document| &document.annotations).map(|annotation| annotation.label.as_str()).collect()
}

/// Applies `transaction` through a history, checks the result, then checks that undo restores
/// the project exactly and redo the result.
fn apply_and_check_undo(project: &mut Project, build: impl FnOnce(&Project) -> Result<Transaction, SchemaEditError>) {
    let transaction = build(project).expect("a valid change");
    let before = project.clone();
    let mut history = History::default();
    history.apply(project, transaction).expect("valid");
    assert_eq!(project.check_invariants(), []);
    project.schema.check().expect("a valid schema");
    let after = project.clone();
    history.undo(project).expect("undone");
    assert_eq!(*project, before, "undo restores the project exactly");
    history.redo(project).expect("redone");
    assert_eq!(*project, after);
}

#[test]
fn renaming_a_label_renames_its_annotations_in_every_document() {
    let mut project = project();
    assert_eq!(rename_label(&project, "PER", "PERSON").map(|transaction| transaction.description).as_deref(), Ok("Rename PER to PERSON"));
    apply_and_check_undo(&mut project, |project| rename_label(project, "PER", "PERSON"));
    assert!(project.schema.label("PER").is_none());
    let person = project.schema.label("PERSON").expect("renamed");
    assert_eq!((person.title.as_str(), person.hotkey), ("Person", Some('1')), "only the name changes");
    assert_eq!(labels(&project, Kind::Entity)[0], "PERSON", "in the same place");
    let renamed: Vec<_> =
        project.documents.iter().flat_map(|document| &document.annotations).filter(|annotation| annotation.label == "PERSON").collect();
    assert_eq!(renamed.len(), 2, "one in each document");
    assert!(renamed.iter().all(|annotation| annotation.modified > jiff::Timestamp::UNIX_EPOCH), "renamed annotations are touched");
    assert!(!used_labels(&project).contains(&"PER"));
}

#[test]
fn an_unused_label_is_renamed_by_the_schema_alone() {
    let project = project();
    let transaction = rename_label(&project, "EVENT", "EVT").expect("built");
    assert_eq!(transaction.edits.len(), 1);
}

#[test]
fn renames_to_taken_or_malformed_names_are_refused() {
    let project = project();
    assert_eq!(rename_label(&project, "PER", "ORG"), Err(SchemaEditError::DuplicateLabel("ORG".into())));
    assert_eq!(rename_label(&project, "PER", "a person"), Err(SchemaEditError::BadName("a person".into())));
    assert_eq!(rename_label(&project, "PER", ""), Err(SchemaEditError::BadName(String::new())));
    assert_eq!(rename_label(&project, "NOPE", "X"), Err(SchemaEditError::UnknownLabel("NOPE".into())));
}

#[test]
fn titles_colours_and_guidelines_change_the_schema_only() {
    let mut project = project();
    apply_and_check_undo(&mut project, |project| set_label_title(project, "PER", " Human "));
    apply_and_check_undo(&mut project, |project| set_label_color(project, "PER", "#123abc"));
    apply_and_check_undo(&mut project, |project| set_label_guideline(project, "PER", "Any named human."));
    let person = project.schema.label("PER").expect("kept");
    assert_eq!((person.title.as_str(), person.color.as_str(), person.guideline.as_str()), ("Human", "#123abc", "Any named human."));
    assert_eq!(set_label_title(&project, "PER", "  "), Err(SchemaEditError::EmptyTitle));
    assert_eq!(set_label_color(&project, "PER", "blue"), Err(SchemaEditError::BadColor("blue".into())));
}

#[test]
fn hotkeys_are_digits_used_once() {
    let mut project = project();
    let clash = set_label_hotkey(&project, "EVENT", Some('1')).expect_err("taken");
    assert_eq!(clash.to_string(), "hotkey 1 is already used by Person");
    assert_eq!(set_label_hotkey(&project, "EVENT", Some('x')), Err(SchemaEditError::BadHotkey('x')));
    apply_and_check_undo(&mut project, |project| set_label_hotkey(project, "EVENT", Some('0')));
    apply_and_check_undo(&mut project, |project| set_label_hotkey(project, "PER", None));
    apply_and_check_undo(&mut project, |project| set_label_hotkey(project, "MISC", Some('1')));
    assert_eq!(project.schema.label_for_hotkey('1').map(|label| label.name.as_str()), Some("MISC"));
    assert!(set_label_hotkey(&project, "MISC", Some('1')).is_ok(), "a label may keep its own hotkey");
}

#[test]
fn labels_move_within_their_kind() {
    let mut project = project();
    apply_and_check_undo(&mut project, |project| move_label(project, "ORG", Direction::Up));
    assert_eq!(labels(&project, Kind::Entity)[..3], ["ORG", "PER", "LOC"]);
    assert_eq!(move_label(&project, "ORG", Direction::Up), Err(SchemaEditError::CannotMove("Organisation".into())));
    assert!(move_label(&project, "MISC", Direction::Down).is_err(), "the last entity does not pass into the claims");
    apply_and_check_undo(&mut project, |project| move_label(project, "ORG", Direction::Down));
    assert_eq!(labels(&project, Kind::Entity)[..3], ["PER", "ORG", "LOC"]);
}

#[test]
fn labels_in_use_are_not_deleted() {
    let mut project = project();
    let refused = delete_label(&project, "LOC").expect_err("in use");
    assert_eq!(refused.to_string(), "2 annotation(s) still use Location; delete or relabel them first");
    apply_and_check_undo(&mut project, |project| delete_label(project, "EVENT"));
    assert!(project.schema.label("EVENT").is_none());
}

#[test]
fn added_labels_come_last_in_their_kind() {
    let mut project = project();
    let mut label = project.schema.label("PER").expect("exists").clone();
    assert_eq!(add_label(&project, label.clone()), Err(SchemaEditError::DuplicateLabel("PER".into())));
    label.name = "TITLE".into();
    label.title = "Job title".into();
    assert!(matches!(add_label(&project, label.clone()), Err(SchemaEditError::HotkeyTaken { hotkey: '1', .. })));
    label.hotkey = Some('0');
    assert_eq!(add_label(&project, label.clone()).map(|transaction| transaction.description).as_deref(), Ok("Add label Job title"));
    apply_and_check_undo(&mut project, |project| add_label(project, label));
    assert_eq!(labels(&project, Kind::Entity).last(), Some(&"TITLE"));
    assert_eq!(project.schema.labels.iter().position(|label| label.name == "TITLE"), Some(7), "before the claims");
}

fn flag(name: &str) -> AttributeDef {
    AttributeDef { name: name.into(), title: "Checked".into(), value_type: AttributeType::Flag, default: None, guideline: String::new() }
}

#[test]
fn renaming_an_attribute_renames_its_values() {
    let mut project = project();
    assert!(matches!(rename_attribute(&project, "CLAIM", "certainty", "stance"), Err(SchemaEditError::DuplicateAttribute { .. })));
    assert!(matches!(rename_attribute(&project, "CLAIM", "polarity", "x"), Err(SchemaEditError::UnknownAttribute { .. })));
    apply_and_check_undo(&mut project, |project| rename_attribute(project, "CLAIM", "certainty", "hedging"));
    let claim = project.schema.label("CLAIM").expect("kept");
    let names: Vec<&str> = claim.attributes.iter().map(|attribute| attribute.name.as_str()).collect();
    assert_eq!(names, ["claim_type", "attribution", "hedging", "stance"], "in the same place");
    for annotation in project.documents.iter().flat_map(|document| &document.annotations).filter(|a| a.label == "CLAIM") {
        assert_eq!(annotation.attributes.get("hedging"), Some(&AttributeValue::Text("asserted".into())));
        assert!(!annotation.attributes.contains_key("certainty"));
    }
}

#[test]
fn attributes_are_added_retitled_moved_and_deleted() {
    let mut project = project();
    apply_and_check_undo(&mut project, |project| add_attribute(project, "PER", flag("checked")));
    assert!(matches!(add_attribute(&project, "PER", flag("checked")), Err(SchemaEditError::DuplicateAttribute { .. })));
    let no_choices = AttributeDef { value_type: AttributeType::Choice(Vec::new()), ..flag("kind") };
    assert_eq!(add_attribute(&project, "PER", no_choices), Err(SchemaEditError::NoChoices));
    apply_and_check_undo(&mut project, |project| set_attribute_title(project, "PER", "checked", "Verified"));
    assert_eq!(project.schema.label("PER").and_then(|label| label.attribute("checked")).map(|a| a.title.as_str()), Some("Verified"));

    apply_and_check_undo(&mut project, |project| move_attribute(project, "CLAIM", "stance", Direction::Up));
    let order = |project: &Project| -> Vec<String> {
        project.schema.label("CLAIM").map(|label| label.attributes.iter().map(|a| a.name.clone()).collect()).unwrap_or_default()
    };
    assert_eq!(order(&project), ["claim_type", "attribution", "stance", "certainty"]);
    assert!(move_attribute(&project, "CLAIM", "claim_type", Direction::Up).is_err());

    apply_and_check_undo(&mut project, |project| delete_attribute(project, "CLAIM", "stance"));
    assert_eq!(order(&project), ["claim_type", "attribution", "certainty"]);
    let claims = project.documents.iter().flat_map(|document| &document.annotations).filter(|a| a.label == "CLAIM");
    assert!(claims.into_iter().all(|annotation| !annotation.attributes.contains_key("stance")), "the values go too");
}

/// One schema edit chosen by the property test.
fn random_edit(project: &Project, choice: u8, which: usize) -> Result<Transaction, SchemaEditError> {
    let names: Vec<String> = project.schema.labels.iter().map(|label| label.name.clone()).collect();
    let name = names.get(which % names.len().max(1)).cloned().unwrap_or_default();
    match choice % 8 {
        0 => rename_label(project, &name, &format!("{name}_{which}")),
        1 => move_label(project, &name, if which.is_multiple_of(2) { Direction::Up } else { Direction::Down }),
        2 => set_label_hotkey(project, &name, char::from_digit((which % 10) as u32, 10)),
        3 => delete_label(project, &name),
        4 => set_label_color(project, &name, "#0a0b0c"),
        5 => rename_attribute(project, "CLAIM", "certainty", &format!("certainty_{which}")),
        6 => rename_attribute(project, "CLAIM", &format!("certainty_{}", which.saturating_sub(1)), "certainty"),
        _ => add_attribute(project, &name, flag(&format!("flag_{which}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any sequence of schema edits keeps the project valid, and undoing them all restores it.
    #[test]
    fn random_schema_edits_keep_the_project_valid_and_undo_exactly(steps in prop::collection::vec((0u8..8, 0usize..20), 1..12)) {
        let mut project = project();
        let original = project.clone();
        let mut history = History::default();
        for (choice, which) in steps {
            if let Ok(transaction) = random_edit(&project, choice, which) {
                history.apply(&mut project, transaction).expect("a built schema edit applies");
                prop_assert_eq!(project.check_invariants(), []);
                prop_assert!(project.schema.check().is_ok());
            }
        }
        while history.undo(&mut project).is_some() {}
        prop_assert_eq!(project, original);
    }
}

//! Tests of edits, transactions and history, including a property test over random edit
//! sequences checked against the project's invariants. The random annotator sessions are shared
//! with the merge's property test.

use proptest::prelude::*;

use super::*;
use crate::model::{Annotation, AnnotationId, AttributeValue, DocumentId, Kind, Project, RelationTarget, RuleSource, Span, Suggestion};

const TEXT: &str = "Imran Khan, Pakistan’s prime minister — said “everything will be okay.”\u{a0}Kabul agreed.";

/// A one-document project on a short text with curly quotes, an em dash and a no-break space.
pub(crate) fn project() -> (Project, DocumentId) {
    let project = Project::from_text("test", TEXT);
    let document_id = project.documents[0].id.clone();
    (project, document_id)
}

fn entity(label: &str, start: usize, end: usize) -> Annotation {
    Annotation::new(Kind::Entity, label, vec![Span::new(start, end)], "tester")
}

#[test]
fn insert_then_undo_and_redo() {
    let (mut project, document_id) = project();
    let original = project.clone();
    let mut history = History::default();
    history.apply(&mut project, Transaction::insert("Tag", &document_id, entity("PER", 0, 10))).expect("valid");
    let tagged = project.clone();
    assert_eq!(project.annotation_count(), 1);
    assert_eq!(history.undo(&mut project).as_deref(), Some("Tag"));
    assert_eq!(project, original);
    assert_eq!(history.redo(&mut project).as_deref(), Some("Tag"));
    assert_eq!(project, tagged);
}

#[test]
fn overlapping_and_nested_tags_are_allowed() {
    let (mut project, document_id) = project();
    let mut history = History::default();
    // "Pakistan’s prime minister" as a person, "Pakistan" inside it as a place, and a claim that
    // overlaps both and ends in the middle of the quotation.
    let tags = [("PER", 12, 37), ("LOC", 12, 20), ("CLAIM", 0, 55), ("SENTIMENT", 30, 60), ("LOC", 12, 20)];
    for (label, start, end) in tags {
        let (transaction, _) = ops::tag(&project, &document_id, label, vec![Span::new(start, end)], "t").expect("tag");
        history.apply(&mut project, transaction).expect("overlaps are fine");
    }
    assert_eq!(project.documents[0].annotations.len(), 5, "even an identical span may carry two tags");
    assert_eq!(project.check_invariants(), []);
    let order: Vec<&str> = project.documents[0].annotations.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(order[0], "CLAIM", "the outermost span comes first");
}

#[test]
fn replace_then_undo_restores_the_old_version() {
    let (mut project, document_id) = project();
    let mut history = History::default();
    let person = entity("PER", 0, 10);
    history.apply(&mut project, Transaction::insert("Tag", &document_id, person.clone())).expect("valid");
    let before = project.clone();
    let mut relabelled = person.clone();
    relabelled.label = "ORG".into();
    relabelled.note = "a party?".into();
    history.apply(&mut project, Transaction::replace("Relabel", &document_id, relabelled)).expect("valid");
    assert_eq!(project.annotation(&document_id, &person.id).map(|a| a.label.as_str()), Some("ORG"));
    history.undo(&mut project);
    assert_eq!(project, before);
}

#[test]
fn delete_clears_relations_in_the_same_transaction() {
    let (mut project, document_id) = project();
    let mut history = History::default();
    let person = entity("PER", 0, 10);
    let mut claim = Annotation::new(Kind::Claim, "CLAIM", vec![Span::new(46, 69)], "tester");
    claim.set_relation("claimant", Some(RelationTarget::Annotation(person.id.clone())));
    history.apply(&mut project, Transaction::insert("Tag", &document_id, person.clone())).expect("valid");
    history.apply(&mut project, Transaction::insert("Claim", &document_id, claim.clone())).expect("valid");
    let linked = project.clone();

    let plain_remove = Transaction::new("x", vec![Edit::Remove { document_id: document_id.clone(), annotation_id: person.id.clone() }]);
    assert!(matches!(history.apply(&mut project, plain_remove), Err(EditError::StillReferenced { .. })));
    assert_eq!(project, linked, "a refused edit changes nothing");

    let delete = ops::delete(&project, &document_id, &person.id).expect("exists");
    history.apply(&mut project, delete).expect("valid");
    let claim_now = project.annotation(&document_id, &claim.id).expect("claim kept");
    assert!(claim_now.relations.is_empty());
    assert_eq!(project.check_invariants(), []);
    history.undo(&mut project);
    assert_eq!(project, linked);
}

#[test]
fn invalid_edits_are_refused_and_roll_back() {
    let (mut project, document_id) = project();
    let before = project.clone();
    let good = Edit::Insert { document_id: document_id.clone(), annotation: entity("PER", 0, 10) };
    let out_of_range = Edit::Insert { document_id: document_id.clone(), annotation: entity("PER", 80, 500) };
    let transaction = Transaction::new("both", vec![good, out_of_range]);
    let error = transaction.apply(&mut project).expect_err("second edit is out of range");
    assert!(error.to_string().contains("fragment ends at 500"), "{error}");
    assert_eq!(project, before);

    let unknown_label = Transaction::insert("x", &document_id, entity("NOPE", 0, 5));
    assert!(matches!(unknown_label.apply(&mut project), Err(EditError::Invalid(_))));
    let wrong_document = Transaction::insert("x", &DocumentId("nope".into()), entity("PER", 0, 5));
    assert!(matches!(wrong_document.apply(&mut project), Err(EditError::DocumentNotFound(_))));
}

#[test]
fn relabelling_a_claimant_into_a_claim_is_refused() {
    let (mut project, document_id) = project();
    let person = entity("PER", 0, 10);
    let mut claim = Annotation::new(Kind::Claim, "CLAIM", vec![Span::new(46, 69)], "tester");
    claim.set_relation("claimant", Some(RelationTarget::Annotation(person.id.clone())));
    Transaction::insert("a", &document_id, person.clone()).apply(&mut project).expect("valid");
    Transaction::insert("b", &document_id, claim).apply(&mut project).expect("valid");
    let before = project.clone();
    let mut as_claim = person;
    as_claim.kind = Kind::Claim;
    as_claim.label = "CLAIM".into();
    let error = Transaction::replace("c", &document_id, as_claim).apply(&mut project).expect_err("claimant must be an entity");
    assert!(error.to_string().contains("cannot point at a Claim"), "{error}");
    assert_eq!(project, before);
}

#[test]
fn revisions_track_saved_state() {
    let (mut project, document_id) = project();
    let mut history = History::default();
    assert_eq!(history.revision(), 0);
    history.apply(&mut project, Transaction::insert("a", &document_id, entity("PER", 0, 10))).expect("valid");
    let saved = history.revision();
    history.undo(&mut project);
    assert_eq!(history.revision(), 0);
    history.apply(&mut project, Transaction::insert("b", &document_id, entity("LOC", 12, 20))).expect("valid");
    assert_ne!(history.revision(), saved, "a new branch never looks saved");
    assert_eq!(history.redo_description(), None);
    assert_eq!(history.undo_description(), Some("b"));
}

/// A random step of an annotator's session.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Tag { label_index: usize, start: usize, len: usize },
    Delete { pick: usize },
    Relabel { pick: usize, label_index: usize },
    Link { claim_pick: usize, entity_pick: usize },
    SetAttribute { pick: usize, value_index: usize },
    Suggest { label_index: usize, start: usize, len: usize },
    Accept { pick: usize },
    Reject { pick: usize },
    Undo,
    Redo,
}

/// A random step, weighted toward tagging.
pub(crate) fn step() -> impl Strategy<Value = Step> {
    let len = TEXT.chars().count();
    prop_oneof![
        4 => (0..9usize, 0..len, 1..20usize).prop_map(|(label_index, start, len)| Step::Tag { label_index, start, len }),
        2 => any::<usize>().prop_map(|pick| Step::Delete { pick }),
        2 => (any::<usize>(), 0..7usize).prop_map(|(pick, label_index)| Step::Relabel { pick, label_index }),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(claim_pick, entity_pick)| Step::Link { claim_pick, entity_pick }),
        1 => (any::<usize>(), 0..5usize).prop_map(|(pick, value_index)| Step::SetAttribute { pick, value_index }),
        2 => (0..9usize, 0..len, 1..20usize).prop_map(|(label_index, start, len)| Step::Suggest { label_index, start, len }),
        1 => any::<usize>().prop_map(|pick| Step::Accept { pick }),
        1 => any::<usize>().prop_map(|pick| Step::Reject { pick }),
        1 => Just(Step::Undo),
        1 => Just(Step::Redo),
    ]
}

/// Turns a step into a transaction on the current project, if it makes sense there.
fn transaction_for(project: &Project, document_id: &DocumentId, step: &Step) -> Option<Transaction> {
    let annotations = &project.documents[0].annotations;
    let pick = |n: usize| (!annotations.is_empty()).then(|| annotations[n % annotations.len()].clone());
    let span_labels: Vec<_> = project.schema.labels.iter().filter(|l| l.kind.has_spans()).collect();
    match *step {
        Step::Tag { label_index, start, len } => {
            let label = span_labels[label_index % span_labels.len()];
            let end = (start + len).min(TEXT.chars().count());
            (start < end).then(|| {
                Transaction::insert("tag", document_id, Annotation::new(label.kind, &label.name, vec![Span::new(start, end)], "p"))
            })
        }
        Step::Delete { pick: n } => pick(n).and_then(|a| ops::delete(project, document_id, &a.id).ok()),
        Step::Relabel { pick: n, label_index } => pick(n).filter(|a| a.kind == Kind::Entity).map(|mut a| {
            let entities: Vec<_> = project.schema.labels_of(Kind::Entity).collect();
            a.label = entities[label_index % entities.len()].name.clone();
            Transaction::replace("relabel", document_id, a)
        }),
        Step::Link { claim_pick, entity_pick } => {
            let claims: Vec<_> = annotations.iter().filter(|a| a.kind == Kind::Claim).collect();
            let entities: Vec<_> = annotations.iter().filter(|a| a.kind == Kind::Entity).collect();
            let mut claim = (*claims.get(claim_pick % claims.len().max(1))?).clone();
            let entity = entities.get(entity_pick % entities.len().max(1))?;
            claim.set_relation("claimant", Some(RelationTarget::Annotation(entity.id.clone())));
            Some(Transaction::replace("link", document_id, claim))
        }
        Step::SetAttribute { pick: n, value_index } => pick(n).filter(|a| a.kind == Kind::Claim).map(|mut a| {
            let values = ["factual", "opinion", "prediction", "causal", "quantitative"];
            a.attributes.insert("claim_type".into(), AttributeValue::Text(values[value_index].into()));
            Transaction::replace("attribute", document_id, a)
        }),
        Step::Suggest { label_index, start, len } => {
            let label = span_labels[label_index % span_labels.len()];
            let end = (start + len).min(TEXT.chars().count());
            let suggestion = Suggestion {
                id: AnnotationId::random(),
                kind: label.kind,
                label: label.name.clone(),
                span: Span::new(start, end),
                source: RuleSource::Pattern("random".into()),
                rejected: false,
            };
            let mut suggestions = project.documents[0].suggestions.clone();
            suggestions.push(suggestion);
            (start < end).then(|| Transaction::new("suggest", vec![Edit::SetSuggestions { document_id: document_id.clone(), suggestions }]))
        }
        Step::Accept { pick } | Step::Reject { pick } => {
            let pending: Vec<_> = project.documents[0].pending_suggestions().collect();
            let chosen = pending.get(pick % pending.len().max(1))?;
            let built = match step {
                Step::Accept { .. } => crate::preannotate::edits::accept(project, document_id, &chosen.id, "p"),
                _ => crate::preannotate::edits::reject(project, document_id, &chosen.id),
            };
            built.ok()
        }
        Step::Undo | Step::Redo => None,
    }
}

/// Plays a session of steps on `project` with its own undo history.
pub(crate) fn play(project: &mut Project, document_id: &DocumentId, steps: &[Step]) {
    let mut history = History::default();
    for step in steps {
        match step {
            Step::Undo => {
                history.undo(project);
            }
            Step::Redo => {
                history.redo(project);
            }
            _ => {
                if let Some(transaction) = transaction_for(project, document_id, step) {
                    history.apply(project, transaction).expect("generated edits are valid");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any sequence of edits (suggestions accepted and rejected among them) keeps the invariants, and saving then loading gives back the same
    /// project; undoing everything gives back the original project, and redoing everything gives
    /// back the final one.
    #[test]
    fn random_edits_undo_to_the_original(steps in prop::collection::vec(step(), 1..40)) {
        let (mut project, document_id) = project();
        let original = project.clone();
        let mut history = History::default();
        for step in &steps {
            match step {
                Step::Undo => { history.undo(&mut project); }
                Step::Redo => { history.redo(&mut project); }
                _ => if let Some(transaction) = transaction_for(&project, &document_id, step) {
                    history.apply(&mut project, transaction).expect("generated edits are valid");
                },
            }
            prop_assert_eq!(project.check_invariants(), vec![]);
        }
        let saved = crate::io::project_to_json(&project);
        prop_assert_eq!(&crate::io::parse_project(&saved, std::path::Path::new("edited.gloss.json")).expect("a valid file"), &project);
        let last = project.clone();
        let mut undone = 0;
        while history.undo(&mut project).is_some() { undone += 1; }
        prop_assert_eq!(&project, &original);
        for _ in 0..undone { history.redo(&mut project); }
        prop_assert_eq!(&project, &last);
    }
}

#[test]
fn unknown_annotation_is_reported() {
    let (mut project, document_id) = project();
    let missing = AnnotationId("missing".into());
    let remove = Transaction::new("x", vec![Edit::Remove { document_id: document_id.clone(), annotation_id: missing.clone() }]);
    assert_eq!(remove.apply(&mut project), Err(EditError::AnnotationNotFound(missing)));
}

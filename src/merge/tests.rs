//! The merge rules, one test each, and settling conflicts with undo.

use super::*;
use crate::edit::{EditError, History, ops};
use crate::model::{AttributeValue, Comment, Decision, DocumentId, Kind, Span, Verdict};

const TEXT: &str = "Imran Khan said “everything will be okay” in Kabul, and the Taliban agreed.";

/// The article with a person (Imran Khan) and a claim whose claimant is that person.
fn base() -> (Project, DocumentId, AnnotationId, AnnotationId) {
    let mut project = Project::from_text("Article", TEXT);
    let document_id = project.documents[0].id.clone();
    let person = tag(&mut project, &document_id, "PER", Span::new(0, 10));
    let claim = tag(&mut project, &document_id, "CLAIM", Span::new(16, 41));
    apply(&mut project, |p| ops::set_relation(p, &document_id, &claim, "claimant", Some(RelationTarget::Annotation(person.clone()))));
    (project, document_id, person, claim)
}

fn tag(project: &mut Project, document_id: &DocumentId, label: &str, span: Span) -> AnnotationId {
    let (transaction, id) = ops::tag(project, document_id, label, vec![span], "tester").expect("tag");
    transaction.apply(project).expect("valid");
    id
}

/// Builds an edit on `project` and applies it.
fn apply(project: &mut Project, build: impl FnOnce(&Project) -> Result<crate::edit::Transaction, EditError>) {
    build(project).expect("built").apply(project).expect("valid");
}

fn note(project: &mut Project, document_id: &DocumentId, id: &AnnotationId, text: &str) {
    apply(project, |p| ops::set_note(p, document_id, id, text));
}

fn delete(project: &mut Project, document_id: &DocumentId, id: &AnnotationId) {
    apply(project, |p| ops::delete(p, document_id, id));
}

fn labels(project: &Project) -> Vec<&str> {
    project.documents[0].annotations.iter().map(|annotation| annotation.label.as_str()).collect()
}

#[test]
fn changes_on_different_annotations_are_all_taken() {
    let (base, document_id, person, _) = base();
    let mut ours = base.clone();
    tag(&mut ours, &document_id, "LOC", Span::new(45, 50));
    let mut theirs = base.clone();
    tag(&mut theirs, &document_id, "ORG", Span::new(60, 67));
    note(&mut theirs, &document_id, &person, "the former prime minister");

    let merged = three_way(&base, &ours, &theirs);
    assert_eq!(labels(&merged.project), ["PER", "CLAIM", "LOC", "ORG"]);
    assert_eq!(merged.project.annotation(&document_id, &person).map(|a| a.note.as_str()), Some("the former prime minister"));
    assert_eq!(merged.summary, MergeSummary { from_ours: 1, from_theirs: 2, flagged: 0, kept_ours: Vec::new() });
    assert!(merged.summary.is_clean());
    assert_eq!(merged.project.check_invariants(), []);
    assert_eq!(three_way(&base, &theirs, &ours).project.documents[0].annotations, merged.project.documents[0].annotations);
}

#[test]
fn the_same_change_on_both_sides_is_taken_once() {
    let (base, document_id, person, _) = base();
    let mut ours = base.clone();
    note(&mut ours, &document_id, &person, "same");
    let theirs = ours.clone();
    let merged = three_way(&base, &ours, &theirs);
    assert_eq!(merged.project.documents, ours.documents);
    assert!(merged.summary.is_clean());
}

#[test]
fn a_deletion_on_one_side_wins_over_no_change() {
    let (base, document_id, _, claim) = base();
    let mut theirs = base.clone();
    delete(&mut theirs, &document_id, &claim);
    let merged = three_way(&base, &base, &theirs);
    assert_eq!(labels(&merged.project), ["PER"]);
    assert_eq!(merged.summary.from_theirs, 1);
    assert!(merged.summary.is_clean());
}

#[test]
fn different_changes_to_one_annotation_are_flagged_with_both_versions() {
    let (base, document_id, person, _) = base();
    let mut ours = base.clone();
    note(&mut ours, &document_id, &person, "ours");
    let mut theirs = base.clone();
    note(&mut theirs, &document_id, &person, "theirs");
    apply(&mut theirs, |p| ops::relabel(p, &document_id, &person, "ORG"));

    let merged = three_way(&base, &ours, &theirs);
    let document = &merged.project.documents[0];
    assert_eq!(document.annotation(&person).map(|a| a.note.as_str()), Some("ours"), "the document holds our version");
    let conflict = document.conflict(&person).expect("flagged");
    assert_eq!(conflict.kind, ConflictKind::BothChanged);
    assert_eq!(conflict.base.as_ref(), base.annotation(&document_id, &person));
    assert_eq!(conflict.ours.as_ref(), ours.annotation(&document_id, &person));
    assert_eq!(conflict.theirs.as_ref().map(|a| a.label.as_str()), Some("ORG"), "their version is kept in the conflict");
    assert_eq!(merged.summary.flagged, 1);
    assert!(!merged.summary.is_clean());
    assert_eq!(merged.project.check_invariants(), []);
}

#[test]
fn different_fields_of_one_annotation_combine() {
    let (base, document_id, _, claim) = base();
    let mut ours = base.clone();
    note(&mut ours, &document_id, &claim, "check the quote");
    apply(&mut ours, |p| ops::comment_on_annotation(p, &document_id, &claim, "bilal", "ours"));
    let mut theirs = base.clone();
    apply(&mut theirs, |p| ops::set_attribute(p, &document_id, &claim, "claim_type", Some(AttributeValue::Text("prediction".into()))));
    apply(&mut theirs, |p| ops::comment_on_annotation(p, &document_id, &claim, "amira", "theirs"));

    let merged = three_way(&base, &ours, &theirs);
    let combined = merged.project.annotation(&document_id, &claim).expect("kept");
    assert_eq!(combined.note, "check the quote");
    assert_eq!(combined.attributes.get("claim_type"), Some(&AttributeValue::Text("prediction".into())));
    let comments: Vec<&str> = combined.comments.iter().map(|comment| comment.text.as_str()).collect();
    assert_eq!(comments.len(), 2, "{comments:?}");
    assert!(merged.summary.is_clean(), "{:?}", merged.summary);
    assert_eq!(merged.project.check_invariants(), []);
}

#[test]
fn a_combination_the_schema_refuses_is_flagged() {
    let (base, document_id, _, claim) = base();
    let mut ours = base.clone();
    apply(&mut ours, |p| ops::set_attribute(p, &document_id, &claim, "claim_type", Some(AttributeValue::Text("prediction".into()))));
    let mut theirs = base.clone();
    apply(&mut theirs, |p| ops::relabel(p, &document_id, &claim, "SENTIMENT"));

    let merged = three_way(&base, &ours, &theirs);
    assert_eq!(merged.project.annotation(&document_id, &claim), ours.annotation(&document_id, &claim), "ours stays");
    let conflict = merged.project.documents[0].conflict(&claim).expect("flagged");
    assert_eq!(conflict.theirs.as_ref().map(|a| a.label.as_str()), Some("SENTIMENT"));
    assert_eq!(merged.summary.flagged, 1);
    assert_eq!(merged.project.check_invariants(), []);
}

#[test]
fn deleting_what_the_other_side_changed_is_flagged() {
    let (base, document_id, _, claim) = base();
    let mut deleted = base.clone();
    delete(&mut deleted, &document_id, &claim);
    let mut changed = base.clone();
    note(&mut changed, &document_id, &claim, "changed");

    let by_us = three_way(&base, &deleted, &changed);
    assert_eq!(by_us.project.documents[0].conflict(&claim).map(|c| c.kind), Some(ConflictKind::DeletedByUs));
    assert!(by_us.project.annotation(&document_id, &claim).is_none(), "our deletion stands until settled");
    let by_them = three_way(&base, &changed, &deleted);
    assert_eq!(by_them.project.documents[0].conflict(&claim).map(|c| c.kind), Some(ConflictKind::DeletedByThem));
    assert!(by_them.project.annotation(&document_id, &claim).is_some());
    assert_eq!(by_us.project.check_invariants(), []);
    assert_eq!(by_them.project.check_invariants(), []);
}

#[test]
fn the_same_id_added_differently_on_both_sides_is_flagged() {
    let (base, document_id, _, _) = base();
    let mut ours = base.clone();
    let added = tag(&mut ours, &document_id, "LOC", Span::new(45, 50));
    let mut theirs = base.clone();
    let mut their_version = ours.annotation(&document_id, &added).expect("added").clone();
    their_version.label = "GPE".into();
    theirs.documents[0].insert_sorted(their_version);

    let merged = three_way(&base, &ours, &theirs);
    let conflict = merged.project.documents[0].conflict(&added).expect("flagged");
    assert_eq!((conflict.kind, conflict.base.is_none()), (ConflictKind::BothChanged, true));
}

#[test]
fn a_relation_to_an_annotation_deleted_on_the_other_side_is_dropped_and_flagged() {
    let (base, document_id, person, claim) = base();
    // We add a sentiment targeting the person and change the claim; they delete the person
    // (which also clears the claim's claimant on their side).
    let mut ours = base.clone();
    let sentiment = tag(&mut ours, &document_id, "SENTIMENT", Span::new(52, 74));
    apply(&mut ours, |p| ops::set_relation(p, &document_id, &sentiment, "target", Some(RelationTarget::Annotation(person.clone()))));
    apply(&mut ours, |p| ops::set_attribute(p, &document_id, &claim, "claim_type", Some(AttributeValue::Text("prediction".into()))));
    let mut theirs = base.clone();
    delete(&mut theirs, &document_id, &person);

    let merged = three_way(&base, &ours, &theirs);
    let document = &merged.project.documents[0];
    assert!(document.annotation(&person).is_none());
    assert_eq!(document.annotation(&sentiment).map(|a| a.relations.len()), Some(0), "the relation does not dangle");
    let dropped = document.conflict(&sentiment).expect("flagged");
    assert_eq!(dropped.kind, ConflictKind::DroppedRelation);
    assert_eq!(dropped.theirs.as_ref().map(|a| a.relations.len()), Some(1), "the version with the relation is kept");
    // Both changed the claim, in different fields: our claim type, their cleared claimant.
    let claim = document.annotation(&claim).expect("kept");
    assert!(document.conflict(&claim.id).is_none());
    assert!(claim.relations.is_empty() && claim.attributes.contains_key("claim_type"), "{claim:?}");
    assert_eq!(merged.project.check_invariants(), []);
}

#[test]
fn schemas_merge_label_by_label() {
    let (base, _, _, _) = base();
    let mut ours = base.clone();
    ours.schema.add_label("MINISTRY", Kind::Entity, "ours");
    ours.schema.labels[0].guideline = "our guideline".into();
    ours.schema.labels[1].hotkey = Some('x');
    let mut theirs = base.clone();
    theirs.schema.add_label("PARTY", Kind::Entity, "theirs");
    theirs.schema.labels[0].guideline = "their guideline".into();
    theirs.schema.labels[2].color = "#000000".into();
    theirs.schema.labels.last_mut().expect("added").hotkey = Some('x');

    let merged = three_way(&base, &ours, &theirs);
    let schema = &merged.project.schema;
    assert!(schema.label("MINISTRY").is_some() && schema.label("PARTY").is_some(), "additions of both sides are kept");
    assert_eq!(schema.labels[0].guideline, "our guideline", "ours wins a conflict");
    assert_eq!(schema.labels[2].color, "#000000", "their change is taken");
    assert_eq!(schema.label("PARTY").and_then(|label| label.hotkey), None, "a hotkey clash is cleared");
    assert!(schema.check().is_ok());
    let reported = merged.summary.kept_ours.join("\n");
    assert!(reported.contains(&format!("label {:?} changed on both sides", base.schema.labels[0].name)), "{reported}");
    assert!(reported.contains("lost its hotkey"), "{reported}");
}

#[test]
fn a_label_deleted_on_one_side_but_used_on_the_other_is_kept() {
    let (base, document_id, _, _) = base();
    let mut ours = base.clone();
    ours.schema.labels.retain(|label| label.name != "LOC");
    let mut theirs = base.clone();
    tag(&mut theirs, &document_id, "LOC", Span::new(45, 50));
    let merged = three_way(&base, &ours, &theirs);
    assert!(merged.project.schema.label("LOC").is_some());
    assert_eq!(merged.project.check_invariants(), []);
    assert!(!merged.summary.is_clean());
}

#[test]
fn comments_decisions_and_status_combine() {
    let (base, document_id, _, _) = base();
    let time = |second: i64| jiff::Timestamp::from_second(second).expect("time");
    let comment = |text: &str, second: i64| Comment { author: "a".into(), time: time(second), text: text.into() };
    let decision = |id: &str| Decision {
        annotation_id: AnnotationId(id.into()),
        annotator: "b".into(),
        verdict: Verdict::Accepted,
        reviewer: "r".into(),
        time: time(0),
    };
    let mut base = base;
    base.documents[0].comments = vec![comment("old", 1)];
    let mut ours = base.clone();
    ours.documents[0].comments.push(comment("ours", 3));
    ours.documents[0].decisions.push(decision("x"));
    ours.documents[0].status = DocumentStatus::Done;
    let mut theirs = base.clone();
    theirs.documents[0].comments = vec![comment("theirs", 2)];
    theirs.documents[0].decisions.push(decision("y"));

    let merged = three_way(&base, &ours, &theirs);
    let document = merged.project.document(&document_id).expect("kept");
    let comments: Vec<&str> = document.comments.iter().map(|comment| comment.text.as_str()).collect();
    assert_eq!(comments, ["theirs", "ours"], "their deletion of `old` is taken; the thread stays in time order");
    assert_eq!(document.decisions, [decision("x"), decision("y")]);
    assert_eq!(document.status, DocumentStatus::Done, "the status further along wins");
    assert!(merged.summary.is_clean());
}

#[test]
fn documents_added_or_removed_on_one_side_follow_it() {
    let (base, _, _, _) = base();
    let second = crate::model::Document::new("Second", "Another article.");
    let mut with_second = base.clone();
    with_second.documents.push(second.clone());
    let added = three_way(&base, &base, &with_second);
    assert_eq!(added.project.documents.len(), 2);
    let removed = three_way(&with_second, &with_second, &base);
    assert_eq!(removed.project.documents.len(), 1);
    assert!(removed.summary.is_clean());

    let mut changed = with_second.clone();
    changed.documents[1].title = "Renamed".into();
    let kept = three_way(&with_second, &base, &changed);
    assert_eq!(kept.project.documents.len(), 2, "a document changed on one side survives its deletion on the other");
    assert!(!kept.summary.is_clean());
}

#[test]
fn a_text_that_differs_between_the_sides_keeps_our_document() {
    let (base, _, _, _) = base();
    let mut theirs = base.clone();
    theirs.documents[0].text = crate::text::DocumentText::new("changed");
    let merged = three_way(&base, &base, &theirs);
    assert_eq!(merged.project.documents, base.documents);
    assert!(merged.summary.kept_ours.iter().any(|line| line.contains("the text differs")), "{:?}", merged.summary.kept_ours);
}

/// The base, and a merge where both sides changed the person differently.
fn conflicted() -> (Project, DocumentId, AnnotationId) {
    let (base, document_id, person, _) = base();
    let mut ours = base.clone();
    note(&mut ours, &document_id, &person, "ours");
    let mut theirs = base.clone();
    note(&mut theirs, &document_id, &person, "theirs");
    (three_way(&base, &ours, &theirs).project, document_id, person)
}

#[test]
fn keeping_ours_or_taking_theirs_settles_the_conflict_undoably() {
    let (mut project, document_id, person) = conflicted();
    let before = project.clone();
    let mut history = History::default();
    let keep = resolve_conflict(&project, &document_id, &person, Resolution::KeepOurs).expect("built");
    history.apply(&mut project, keep).expect("valid");
    assert!(project.documents[0].conflicts.is_empty());
    assert_eq!(project.annotation(&document_id, &person).map(|a| a.note.as_str()), Some("ours"));
    history.undo(&mut project);
    assert_eq!(project, before);

    let take = resolve_conflict(&project, &document_id, &person, Resolution::TakeTheirs).expect("built");
    history.apply(&mut project, take).expect("valid");
    assert!(project.documents[0].conflicts.is_empty());
    assert_eq!(project.annotation(&document_id, &person).map(|a| a.note.as_str()), Some("theirs"));
    assert_eq!(project.check_invariants(), []);
    history.undo(&mut project);
    assert_eq!(project, before);
    assert!(resolve_conflict(&project, &document_id, &AnnotationId("none".into()), Resolution::KeepOurs).is_err());
}

#[test]
fn taking_their_deletion_or_their_restored_annotation() {
    let (base, document_id, person, claim) = base();
    let mut deleted = base.clone();
    delete(&mut deleted, &document_id, &claim);
    let mut changed = base.clone();
    note(&mut changed, &document_id, &claim, "changed");

    // They deleted the claim we changed: taking theirs deletes it.
    let mut project = three_way(&base, &changed, &deleted).project;
    apply(&mut project, |p| resolve_conflict(p, &document_id, &claim, Resolution::TakeTheirs));
    assert!(project.annotation(&document_id, &claim).is_none());
    assert_eq!(project.check_invariants(), []);

    // We deleted the person they changed: taking theirs brings it back.
    let mut changed_person = base.clone();
    note(&mut changed_person, &document_id, &person, "changed");
    let mut without_person = base.clone();
    delete(&mut without_person, &document_id, &person);
    let mut project = three_way(&base, &without_person, &changed_person).project;
    apply(&mut project, |p| resolve_conflict(p, &document_id, &person, Resolution::TakeTheirs));
    assert_eq!(project.annotation(&document_id, &person).map(|a| a.note.as_str()), Some("changed"));
    assert_eq!(project.check_invariants(), []);
}

#[test]
fn merge_lists_keep_order_and_follow_removals() {
    assert_eq!(merge_list(&["a", "b"], &["a", "b", "c"], &["b", "d"]), ["b", "c", "d"]);
    assert_eq!(merge_list::<&str>(&[], &[], &["x"]), ["x"]);
}

#[test]
fn a_conflicted_project_file_round_trips_and_matches_its_golden() {
    let (mut project, _, _) = conflicted();
    let time: jiff::Timestamp = "2026-01-02T03:04:05Z".parse().expect("time");
    project.metadata.created = time;
    let stabilize = |annotation: &mut Annotation, index: usize| {
        annotation.id = AnnotationId(format!("a{index}"));
        annotation.created = time;
        annotation.modified = time;
    };
    let document = &mut project.documents[0];
    let person = document.annotations[0].id.clone();
    for (index, annotation) in document.annotations.iter_mut().enumerate() {
        stabilize(annotation, index + 1);
        for relation in &mut annotation.relations {
            relation.target = RelationTarget::Annotation(AnnotationId("a1".into()));
        }
    }
    for conflict in &mut document.conflicts {
        assert_eq!(conflict.annotation_id, person);
        conflict.annotation_id = AnnotationId("a1".into());
        for version in [&mut conflict.base, &mut conflict.ours, &mut conflict.theirs].into_iter().flatten() {
            stabilize(version, 1);
        }
    }
    assert_eq!(project.check_invariants(), []);
    let json = crate::io::project_to_json(&project).replace(&crate::model::generator(), "Gloss (version)");
    crate::io::testing::assert_golden("project/conflict.gloss.json", json.as_bytes());
    let mut loaded = crate::io::parse_project(&json, std::path::Path::new("conflict")).expect("loads");
    loaded.metadata.generator = crate::model::generator();
    assert_eq!(loaded, project);
    assert_eq!(json.lines().filter(|line| line.trim_start().starts_with("{\"annotation_id\":")).count(), 1, "one conflict per line");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(100))]

    /// Whatever two annotators do after a common session, the merge is a valid project; merging
    /// with an unchanged side gives the other side; settling every conflict either way keeps it
    /// valid and leaves none.
    #[test]
    fn random_sessions_merge_into_valid_projects(
        common in proptest::collection::vec(crate::edit::tests::step(), 0..15),
        our_steps in proptest::collection::vec(crate::edit::tests::step(), 0..20),
        their_steps in proptest::collection::vec(crate::edit::tests::step(), 0..20),
    ) {
        use crate::edit::tests::play;
        let (mut base, document_id) = crate::edit::tests::project();
        play(&mut base, &document_id, &common);
        let mut ours = base.clone();
        play(&mut ours, &document_id, &our_steps);
        let mut theirs = base.clone();
        play(&mut theirs, &document_id, &their_steps);

        let merged = three_way(&base, &ours, &theirs);
        proptest::prop_assert_eq!(merged.project.check_invariants(), vec![]);
        proptest::prop_assert_eq!(&three_way(&base, &base, &theirs).project.documents, &theirs.documents);
        proptest::prop_assert_eq!(&three_way(&base, &ours, &base).project.documents, &ours.documents);
        for resolution in [Resolution::KeepOurs, Resolution::TakeTheirs] {
            let mut project = merged.project.clone();
            while let Some(conflict) = project.documents[0].conflicts.first() {
                let transaction = resolve_conflict(&project, &document_id, &conflict.annotation_id.clone(), resolution).expect("built");
                transaction.apply(&mut project).expect("settling a conflict is a valid edit");
                proptest::prop_assert_eq!(project.check_invariants(), vec![]);
            }
        }
    }
}

#[test]
fn rules_merge_by_name_and_a_suggestion_accepted_on_one_side_is_gone() {
    let (mut base, document_id, _, _) = base();
    base.rules.patterns.push(crate::model::PatternRule {
        name: "places".into(),
        pattern: "Kabul".into(),
        label: "LOC".into(),
        case_sensitive: true,
    });
    apply(&mut base, |p| {
        crate::preannotate::edits::run(p, std::slice::from_ref(&document_id))
            .map(|(transaction, _)| transaction)
            .map_err(|_| EditError::DocumentNotFound(document_id.clone()))
    });
    let suggestion = base.documents[0].suggestions[0].id.clone();
    let mut ours = base.clone();
    apply(&mut ours, |p| crate::preannotate::edits::reject(p, &document_id, &suggestion));
    ours.rules.patterns.push(crate::model::PatternRule {
        name: "years".into(),
        pattern: r"\d{4}".into(),
        label: "DATE".into(),
        case_sensitive: true,
    });
    let mut theirs = base.clone();
    apply(&mut theirs, |p| crate::preannotate::edits::accept(p, &document_id, &suggestion, "tester"));
    theirs.rules.patterns.push(crate::model::PatternRule {
        name: "groups".into(),
        pattern: "Taliban".into(),
        label: "ORG".into(),
        case_sensitive: true,
    });

    let merged = three_way(&base, &ours, &theirs);
    let names: Vec<&str> = merged.project.rules.patterns.iter().map(|rule| rule.name.as_str()).collect();
    assert_eq!(names, ["places", "years", "groups"]);
    assert!(merged.project.annotation(&document_id, &suggestion).is_some(), "their acceptance is taken");
    assert!(merged.project.documents[0].suggestions.is_empty(), "so our rejected suggestion goes");
    assert_eq!(merged.project.check_invariants(), []);
}

//! The edits an annotator makes, as transactions built from the current project: tag a selection,
//! relabel, set an attribute or relation, write a note, delete. Each returns a [`Transaction`]
//! ready for [`History::apply`](super::History::apply), or an error when it makes no sense.

use super::{Edit, EditError, Transaction};
use crate::model::{Annotation, AnnotationId, AttributeValue, Comment, DocumentId, DocumentStatus, Problem, Project, RelationTarget, Span};
use crate::schema::LabelDef;

/// Sorts fragments and merges those that overlap or touch, dropping empty ones.
///
/// ```text
/// [5, 9), [0, 3), [2, 4), [9, 9)  →  [0, 4), [5, 9)
/// ```
pub fn normalize_fragments(mut fragments: Vec<Span>) -> Vec<Span> {
    fragments.retain(|fragment| !fragment.is_empty());
    fragments.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(fragments.len());
    for fragment in fragments {
        match merged.last_mut() {
            Some(last) if last.end >= fragment.start => *last = last.union(fragment),
            _ => merged.push(fragment),
        }
    }
    merged
}

/// An edit refused for a reason about document `document_id` (a label it lacks, nothing to do).
pub(crate) fn document_problem(document_id: &DocumentId, message: String) -> EditError {
    EditError::Invalid(vec![Problem { document_id: Some(document_id.clone()), annotation_id: None, offset: None, message }])
}

fn existing<'p>(project: &'p Project, document_id: &DocumentId, annotation_id: &AnnotationId) -> Result<&'p Annotation, EditError> {
    project
        .document(document_id)
        .ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?
        .annotation(annotation_id)
        .ok_or_else(|| EditError::AnnotationNotFound(annotation_id.clone()))
}

/// Tags `fragments` (normalized first) with label `label_name`, filling the label's default
/// attribute values. A document label takes no fragments. Returns the transaction and the new id.
pub fn tag(
    project: &Project,
    document_id: &DocumentId,
    label_name: &str,
    fragments: Vec<Span>,
    author: &str,
) -> Result<(Transaction, AnnotationId), EditError> {
    let label = schema_label(project, document_id, label_name)?;
    let fragments = if label.kind.has_spans() { normalize_fragments(fragments) } else { Vec::new() };
    let annotation = labelled(label, fragments, author);
    let id = annotation.id.clone();
    let mut transaction = Transaction::insert(format!("Tag as {}", label.title), document_id, annotation);
    transaction.edits.extend(start_document(project, document_id));
    Ok((transaction, id))
}

fn schema_label<'p>(project: &'p Project, document_id: &DocumentId, label_name: &str) -> Result<&'p LabelDef, EditError> {
    project.schema.label(label_name).ok_or_else(|| document_problem(document_id, format!("label {label_name:?} is not in the schema")))
}

/// A new annotation with `label` on `fragments`, its attributes set to the label's defaults.
pub fn labelled(label: &LabelDef, fragments: Vec<Span>, author: &str) -> Annotation {
    let mut annotation = Annotation::new(label.kind, &label.name, fragments, author);
    for attribute in &label.attributes {
        if let Some(default) = &attribute.default {
            annotation.attributes.insert(attribute.name.clone(), default.clone());
        }
    }
    annotation
}

/// The edit that marks a document not started yet as in progress, when its first annotation is
/// made.
pub fn start_document(project: &Project, document_id: &DocumentId) -> Option<Edit> {
    project
        .document(document_id)
        .is_some_and(|document| document.status == DocumentStatus::NotStarted)
        .then(|| Edit::SetStatus { document_id: document_id.clone(), status: DocumentStatus::InProgress })
}

/// What [`tag_all`] would do.
#[derive(Debug)]
pub struct TagAll {
    /// The edit tagging every new span, `None` when each is tagged already.
    pub transaction: Option<Transaction>,
    /// How many spans it tags.
    pub added: usize,
    /// How many spans were skipped because an annotation of the label's kind covers exactly them.
    pub skipped: usize,
}

/// Tags every span of `spans` with label `label_name` as one undoable edit ("tag all
/// occurrences"), skipping spans that already carry an annotation of the same kind, whatever its
/// label: an occurrence someone tagged by hand is left as it is.
pub fn tag_all(project: &Project, document_id: &DocumentId, label_name: &str, spans: &[Span], author: &str) -> Result<TagAll, EditError> {
    let document = project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
    let label = schema_label(project, document_id, label_name)?;
    if !label.kind.has_spans() {
        return Err(document_problem(document_id, format!("{} labels the whole document, not spans of it", label.title)));
    }
    let tagged: std::collections::HashSet<&[Span]> = document
        .annotations
        .iter()
        .filter(|annotation| annotation.kind == label.kind)
        .map(|annotation| annotation.fragments.as_slice())
        .collect();
    let mut fresh: Vec<Span> =
        spans.iter().copied().filter(|span| !span.is_empty() && !tagged.contains(std::slice::from_ref(span))).collect();
    fresh.sort();
    fresh.dedup();
    let skipped = spans.len() - fresh.len();
    let added = fresh.len();
    let mut edits: Vec<Edit> = fresh
        .into_iter()
        .map(|span| Edit::Insert { document_id: document_id.clone(), annotation: labelled(label, vec![span], author) })
        .collect();
    edits.extend(start_document(project, document_id));
    let transaction = (added > 0).then(|| Transaction::new(format!("Tag {added} occurrences as {}", label.title), edits));
    Ok(TagAll { transaction, added, skipped })
}

/// Gives an annotation another label, possibly of another kind. Attributes and relations the new
/// label does not define are dropped; the new label's defaults fill attributes left unset.
pub fn relabel(
    project: &Project,
    document_id: &DocumentId,
    annotation_id: &AnnotationId,
    label_name: &str,
) -> Result<Transaction, EditError> {
    let label = schema_label(project, document_id, label_name)?;
    let mut annotation = existing(project, document_id, annotation_id)?.clone();
    if annotation.kind.has_spans() != label.kind.has_spans() {
        return Err(document_problem(document_id, format!("{} cannot become a {} label", annotation.kind.title(), label.kind.title())));
    }
    annotation.kind = label.kind;
    annotation.label = label.name.clone();
    annotation.attributes.retain(|name, value| label.attribute(name).is_some_and(|a| a.value_type.accepts(value)));
    for attribute in &label.attributes {
        if let Some(default) = &attribute.default
            && !annotation.attributes.contains_key(&attribute.name)
        {
            annotation.attributes.insert(attribute.name.clone(), default.clone());
        }
    }
    annotation.relations.retain(|relation| label.relation(&relation.role).is_some());
    Ok(Transaction::replace(format!("Relabel as {}", label.title), document_id, annotation))
}

/// A transaction that replaces an annotation by a copy changed by `change`.
fn change(
    project: &Project,
    document_id: &DocumentId,
    annotation_id: &AnnotationId,
    description: String,
    change: impl FnOnce(&mut Annotation),
) -> Result<Transaction, EditError> {
    let mut annotation = existing(project, document_id, annotation_id)?.clone();
    change(&mut annotation);
    Ok(Transaction::replace(description, document_id, annotation))
}

/// The title the schema gives to an attribute or relation of an annotation's label, for edit
/// descriptions ("Set Claimant").
fn field_title(project: &Project, document_id: &DocumentId, annotation_id: &AnnotationId, field: &str) -> String {
    let label = project.annotation(document_id, annotation_id).and_then(|annotation| project.schema.label(&annotation.label));
    let title = label
        .and_then(|label| label.attribute(field).map(|a| a.title.as_str()).or_else(|| label.relation(field).map(|r| r.title.as_str())));
    title.unwrap_or(field).to_owned()
}

/// Sets (or with `None` clears) attribute `name`.
pub fn set_attribute(
    project: &Project,
    document_id: &DocumentId,
    annotation_id: &AnnotationId,
    name: &str,
    value: Option<AttributeValue>,
) -> Result<Transaction, EditError> {
    let description = format!("Set {}", field_title(project, document_id, annotation_id, name));
    change(project, document_id, annotation_id, description, |annotation| match value {
        Some(value) => {
            annotation.attributes.insert(name.to_owned(), value);
        }
        None => {
            annotation.attributes.remove(name);
        }
    })
}

/// Sets (or with `None` clears) relation `role`: a claim's claimant, a sentiment's target or holder.
pub fn set_relation(
    project: &Project,
    document_id: &DocumentId,
    annotation_id: &AnnotationId,
    role: &str,
    target: Option<RelationTarget>,
) -> Result<Transaction, EditError> {
    let description = format!("Set {}", field_title(project, document_id, annotation_id, role));
    change(project, document_id, annotation_id, description, |annotation| annotation.set_relation(role, target))
}

/// Replaces the note of an annotation.
pub fn set_note(project: &Project, document_id: &DocumentId, annotation_id: &AnnotationId, note: &str) -> Result<Transaction, EditError> {
    change(project, document_id, annotation_id, "Edit note".into(), |annotation| annotation.note = note.to_owned())
}

/// Adds a comment to an annotation's discussion thread.
pub fn comment_on_annotation(
    project: &Project,
    document_id: &DocumentId,
    annotation_id: &AnnotationId,
    author: &str,
    text: &str,
) -> Result<Transaction, EditError> {
    let comment = Comment::new(author, text.trim());
    change(project, document_id, annotation_id, "Add comment".into(), |annotation| annotation.comments.push(comment))
}

/// Adds a comment to a document's discussion thread.
pub fn comment_on_document(project: &Project, document_id: &DocumentId, author: &str, text: &str) -> Result<Transaction, EditError> {
    let document = project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
    let mut comments = document.comments.clone();
    comments.push(Comment::new(author, text.trim()));
    Ok(Transaction::new("Add comment", vec![Edit::SetDocumentComments { document_id: document_id.clone(), comments }]))
}

/// Marks how far a document's annotation has come.
pub fn set_status(project: &Project, document_id: &DocumentId, status: DocumentStatus) -> Result<Transaction, EditError> {
    project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
    Ok(Transaction::new(format!("Mark {}", status.title()), vec![Edit::SetStatus { document_id: document_id.clone(), status }]))
}

/// The edits that turn `before` into `after`, where `after` is `before` with documents and
/// annotations added (what an import produces): the schema first if it grew, then new documents,
/// then new annotations of existing documents.
pub fn additions(description: impl Into<String>, before: &Project, after: &Project) -> Transaction {
    let mut edits = Vec::new();
    if after.schema != before.schema {
        edits.push(Edit::SetSchema { schema: Box::new(after.schema.clone()) });
    }
    for (index, document) in after.documents.iter().enumerate() {
        match before.document(&document.id) {
            None => edits.push(Edit::InsertDocument { index, document: Box::new(document.clone()) }),
            Some(old) => edits.extend(
                document
                    .annotations
                    .iter()
                    .filter(|annotation| old.annotation(&annotation.id).is_none())
                    .map(|annotation| Edit::Insert { document_id: document.id.clone(), annotation: annotation.clone() }),
            ),
        }
    }
    Transaction::new(description, edits)
}

/// Deletes an annotation, first clearing every relation that points at it so that none dangles.
pub fn delete(project: &Project, document_id: &DocumentId, annotation_id: &AnnotationId) -> Result<Transaction, EditError> {
    let document = project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
    let annotation = existing(project, document_id, annotation_id)?;
    let title = project.schema.label(&annotation.label).map_or(annotation.label.as_str(), |label| label.title.as_str());
    let target = RelationTarget::Annotation(annotation_id.clone());
    let mut edits: Vec<Edit> = document
        .annotations
        .iter()
        .filter(|other| other.refers_to(annotation_id))
        .map(|referrer| {
            let mut unlinked = referrer.clone();
            unlinked.relations.retain(|relation| relation.target != target);
            unlinked.touch();
            Edit::Replace { document_id: document_id.clone(), annotation: unlinked }
        })
        .collect();
    edits.push(Edit::Remove { document_id: document_id.clone(), annotation_id: annotation_id.clone() });
    Ok(Transaction::new(format!("Delete {title}"), edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::History;
    use crate::model::Kind;

    fn project() -> (Project, DocumentId) {
        let project = Project::from_text("t", "Imran Khan said “everything will be okay.” in Kabul");
        let document_id = project.documents[0].id.clone();
        (project, document_id)
    }

    #[test]
    fn fragments_are_sorted_and_merged() {
        let merged = normalize_fragments(vec![Span::new(5, 9), Span::new(0, 3), Span::new(2, 4), Span::new(9, 9)]);
        assert_eq!(merged, [Span::new(0, 4), Span::new(5, 9)]);
        assert_eq!(normalize_fragments(vec![Span::new(0, 3), Span::new(3, 5)]), [Span::new(0, 5)]);
    }

    #[test]
    fn tag_fills_defaults_and_relabel_keeps_what_fits() {
        let (mut project, document_id) = project();
        let mut history = History::default();
        let (transaction, claim_id) = tag(&project, &document_id, "CLAIM", vec![Span::new(17, 40)], "ann").expect("tag");
        assert_eq!(transaction.description, "Tag as Claim");
        history.apply(&mut project, transaction).expect("valid");
        let claim = project.annotation(&document_id, &claim_id).expect("added");
        assert_eq!(claim.attributes.get("certainty"), Some(&AttributeValue::Text("asserted".into())));
        assert_eq!(claim.author, "ann");
        assert_eq!(project.documents[0].status, DocumentStatus::InProgress, "the first tag starts the document");
        history.undo(&mut project);
        assert_eq!(project.documents[0].status, DocumentStatus::NotStarted, "undo restores the status too");
        history.redo(&mut project);

        let (transaction, person_id) = tag(&project, &document_id, "PER", vec![Span::new(0, 10)], "ann").expect("tag");
        history.apply(&mut project, transaction).expect("valid");
        let link = set_relation(&project, &document_id, &claim_id, "claimant", Some(RelationTarget::Annotation(person_id))).expect("link");
        history.apply(&mut project, link).expect("valid");

        let to_sentiment = relabel(&project, &document_id, &claim_id, "SENTIMENT").expect("relabel");
        history.apply(&mut project, to_sentiment).expect("valid");
        let sentiment = project.annotation(&document_id, &claim_id).expect("kept");
        assert_eq!((sentiment.kind, sentiment.label.as_str()), (Kind::Sentiment, "SENTIMENT"));
        assert!(sentiment.relations.is_empty(), "a sentiment has no claimant");
        assert_eq!(sentiment.attributes.keys().collect::<Vec<_>>(), ["intensity"]);
        assert_eq!(project.check_invariants(), []);
    }

    #[test]
    fn tag_all_adds_one_undoable_edit_and_skips_tagged_occurrences() {
        let mut project = Project::from_text("t", "Khan met Khan — and “Khan” left. Khan.");
        let document_id = project.documents[0].id.clone();
        let hits = [Span::new(0, 4), Span::new(9, 13), Span::new(21, 25), Span::new(33, 37)];
        let (by_hand, _) = tag(&project, &document_id, "ORG", vec![hits[1]], "ann").expect("tag");
        by_hand.apply(&mut project).expect("valid");
        let before = project.clone();

        let outcome = tag_all(&project, &document_id, "PER", &hits, "ann").expect("built");
        assert_eq!((outcome.added, outcome.skipped), (3, 1), "the entity tagged ORG by hand is left alone");
        let transaction = outcome.transaction.expect("something to add");
        assert_eq!(transaction.description, "Tag 3 occurrences as Person");
        let mut history = History::default();
        history.apply(&mut project, transaction).expect("valid");
        let people: Vec<Span> =
            project.documents[0].annotations.iter().filter(|a| a.label == "PER").flat_map(|a| a.fragments.clone()).collect();
        assert_eq!(people, [hits[0], hits[2], hits[3]]);
        assert_eq!(project.check_invariants(), []);

        let again = tag_all(&project, &document_id, "PER", &hits, "ann").expect("built");
        assert!(again.transaction.is_none() && again.skipped == 4, "a second run adds nothing");
        let claims = tag_all(&project, &document_id, "CLAIM", &hits[..1], "ann").expect("built");
        assert_eq!(claims.added, 1, "another kind may cover the same words");

        history.undo(&mut project);
        assert_eq!(project, before, "one undo removes every added tag");
        assert!(tag_all(&project, &document_id, "DOC_SENTIMENT", &hits, "ann").is_err(), "a document label has no spans");
    }

    #[test]
    fn comments_are_added_to_threads_and_undone() {
        let (mut project, document_id) = project();
        let (transaction, id) = tag(&project, &document_id, "PER", vec![Span::new(0, 10)], "ann").expect("tag");
        transaction.apply(&mut project).expect("valid");
        let before = project.clone();
        let mut history = History::default();
        let on_annotation = comment_on_annotation(&project, &document_id, &id, "rev", " Is this the spokesman? ").expect("built");
        history.apply(&mut project, on_annotation).expect("valid");
        let on_document = comment_on_document(&project, &document_id, "rev", "Check the byline").expect("built");
        history.apply(&mut project, on_document).expect("valid");
        let annotation = project.annotation(&document_id, &id).expect("kept");
        assert_eq!((annotation.comments[0].author.as_str(), annotation.comments[0].text.as_str()), ("rev", "Is this the spokesman?"));
        assert_eq!(project.documents[0].comments[0].text, "Check the byline");
        history.undo(&mut project);
        history.undo(&mut project);
        assert_eq!(project, before);
    }

    #[test]
    fn status_changes_are_undoable() {
        let (mut project, document_id) = project();
        let mut history = History::default();
        let done = set_status(&project, &document_id, DocumentStatus::Done).expect("built");
        history.apply(&mut project, done).expect("valid");
        assert_eq!(project.documents[0].status, DocumentStatus::Done);
        history.undo(&mut project);
        assert_eq!(project.documents[0].status, DocumentStatus::NotStarted);
    }

    #[test]
    fn additions_replay_an_import_and_undo_it() {
        let (mut project, document_id) = project();
        let (transaction, _) = tag(&project, &document_id, "PER", vec![Span::new(0, 10)], "ann").expect("tag");
        transaction.apply(&mut project).expect("valid");
        let mut imported = project.clone();
        let (transaction, _) = tag(&imported, &document_id, "LOC", vec![Span::new(46, 51)], "ann").expect("tag");
        transaction.apply(&mut imported).expect("valid");
        imported.documents.push(crate::model::Document::new("second", "Another text"));
        imported.schema.labels[0].guideline = "changed".into();

        let mut history = History::default();
        let before = project.clone();
        history.apply(&mut project, additions("Import", &before, &imported)).expect("valid");
        assert_eq!(project, imported);
        history.undo(&mut project);
        assert_eq!(project, before);
    }

    #[test]
    fn document_labels_take_no_fragments_and_cannot_become_span_labels() {
        let (mut project, document_id) = project();
        let (transaction, id) = tag(&project, &document_id, "DOC_SENTIMENT", vec![Span::new(0, 3)], "ann").expect("tag");
        transaction.apply(&mut project).expect("valid");
        assert!(project.annotation(&document_id, &id).expect("added").fragments.is_empty());
        assert!(relabel(&project, &document_id, &id, "PER").is_err());
    }

    #[test]
    fn attributes_and_notes_are_set_and_cleared() {
        let (mut project, document_id) = project();
        let (transaction, id) = tag(&project, &document_id, "CLAIM", vec![Span::new(17, 40)], "ann").expect("tag");
        transaction.apply(&mut project).expect("valid");
        let value = Some(AttributeValue::Text("prediction".into()));
        set_attribute(&project, &document_id, &id, "claim_type", value.clone()).expect("set").apply(&mut project).expect("valid");
        assert_eq!(project.annotation(&document_id, &id).and_then(|a| a.attributes.get("claim_type")), value.as_ref());
        set_attribute(&project, &document_id, &id, "claim_type", None).expect("clear").apply(&mut project).expect("valid");
        assert!(project.annotation(&document_id, &id).is_some_and(|a| !a.attributes.contains_key("claim_type")));
        let bad = set_attribute(&project, &document_id, &id, "claim_type", Some(AttributeValue::Text("gossip".into()))).expect("built");
        assert!(bad.apply(&mut project).is_err(), "the schema refuses unknown values");
        set_note(&project, &document_id, &id, "check the source").expect("note").apply(&mut project).expect("valid");
        assert_eq!(project.annotation(&document_id, &id).map(|a| a.note.as_str()), Some("check the source"));
    }
}

//! A reviewer's decisions, as undoable edits of the reviewed version (the project being edited).
//!
//! Each decision records who decided, about whose annotation, and what ([`Decision`]); an
//! annotation taken or kept is marked [`Provenance::Adjudicated`] with the annotators it came
//! from. A pair with a recorded decision counts as settled.
//!
//! - **Accept theirs**: the colleague's version replaces ours (keeping our id, so links to it
//!   survive) or is added. Its relations are carried over when their targets are in the reviewed
//!   version already (paired, or accepted earlier); others are left out and named.
//! - **Keep mine**: our version stays, marked adjudicated; the colleague's is recorded as set aside.
//! - **Reject**: our version (if any) is deleted, and the colleague's is recorded as rejected.
//! - **Accept all agreements**: every agreement not yet settled is marked adjudicated from both
//!   annotators, in one edit.

use std::collections::HashMap;

use super::align::{AlignedPair, Difference};
use crate::edit::{Edit, EditError, Transaction, ops};
use crate::model::{Annotation, AnnotationId, Decision, Document, DocumentId, Project, Provenance, RelationTarget, Verdict, now};

/// The colleague's side of a decision: their annotation (on our text) and their name.
#[derive(Clone, Copy, Debug)]
pub struct Theirs<'a> {
    /// Their annotation, re-anchored onto the reviewed text.
    pub annotation: &'a Annotation,
    /// Their annotator name.
    pub annotator: &'a str,
}

/// Whether a pair already has a decision in `document`.
pub fn is_settled(document: &Document, pair: &AlignedPair) -> bool {
    pair.a.iter().chain(&pair.b).any(|id| document.decision(id).is_some())
}

fn document<'p>(project: &'p Project, document_id: &DocumentId) -> Result<&'p Document, EditError> {
    project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))
}

fn existing<'p>(document: &'p Document, id: &AnnotationId) -> Result<&'p Annotation, EditError> {
    document.annotation(id).ok_or_else(|| EditError::AnnotationNotFound(id.clone()))
}

/// The document's decisions with new ones replacing any earlier decision on the same annotations.
fn with_decisions(document: &Document, decisions: Vec<Decision>) -> Edit {
    let mut all: Vec<Decision> =
        document.decisions.iter().filter(|old| decisions.iter().all(|new| new.annotation_id != old.annotation_id)).cloned().collect();
    all.extend(decisions);
    Edit::SetDecisions { document_id: document.id.clone(), decisions: all }
}

fn decision(annotation_id: &AnnotationId, annotator: &str, verdict: Verdict, reviewer: &str) -> Decision {
    Decision { annotation_id: annotation_id.clone(), annotator: annotator.to_owned(), verdict, reviewer: reviewer.to_owned(), time: now() }
}

fn adjudicated(mut annotation: Annotation, reviewer: &str, sources: Vec<String>) -> Annotation {
    annotation.provenance = Provenance::Adjudicated { reviewer: reviewer.to_owned(), sources };
    annotation.touch();
    annotation
}

/// Takes the colleague's version into the reviewed document. `theirs_to_mine` maps the
/// colleague's annotation ids to the reviewed version's (from the alignment and from earlier
/// acceptances); relations to targets not in it are left out. Returns the transaction and the
/// roles left out.
pub fn accept_theirs(
    project: &Project,
    document_id: &DocumentId,
    mine: Option<&AnnotationId>,
    theirs: Theirs<'_>,
    theirs_to_mine: &HashMap<AnnotationId, AnnotationId>,
    reviewer: &str,
) -> Result<(Transaction, Vec<String>), EditError> {
    let document = document(project, document_id)?;
    let mut taken = theirs.annotation.clone();
    let mut left_out = Vec::new();
    taken.relations.retain_mut(|relation| match &relation.target {
        RelationTarget::Implicit(_) => true,
        RelationTarget::Annotation(target) => match theirs_to_mine.get(target).filter(|id| document.annotation(id).is_some()) {
            Some(mapped) => {
                relation.target = RelationTarget::Annotation(mapped.clone());
                true
            }
            None => {
                left_out.push(relation.role.clone());
                false
            }
        },
    });
    let taken_id = match mine {
        Some(mine) => existing(document, mine)?.id.clone(),
        None if project.documents.iter().any(|d| d.annotation(&theirs.annotation.id).is_some()) => AnnotationId::random(),
        None => theirs.annotation.id.clone(),
    };
    taken.id = taken_id.clone();
    let taken = adjudicated(taken, reviewer, vec![theirs.annotator.to_owned()]);
    let edit = match mine {
        Some(_) => Edit::Replace { document_id: document_id.clone(), annotation: taken },
        None => Edit::Insert { document_id: document_id.clone(), annotation: taken },
    };
    let record = with_decisions(document, vec![decision(&theirs.annotation.id, theirs.annotator, Verdict::Accepted, reviewer)]);
    Ok((Transaction::new(format!("Accept {}'s version", theirs.annotator), vec![edit, record]), left_out))
}

/// Keeps the reviewed version's annotation, setting the colleague's (if any) aside.
pub fn keep_mine(
    project: &Project,
    document_id: &DocumentId,
    mine: &AnnotationId,
    theirs: Option<Theirs<'_>>,
    reviewer: &str,
) -> Result<Transaction, EditError> {
    let document = document(project, document_id)?;
    let annotation = existing(document, mine)?;
    let kept = adjudicated(annotation.clone(), reviewer, vec![annotation.author.clone()]);
    let decisions = match theirs {
        Some(theirs) => vec![decision(&theirs.annotation.id, theirs.annotator, Verdict::Kept, reviewer)],
        None => vec![decision(mine, &annotation.author, Verdict::Kept, reviewer)],
    };
    Ok(Transaction::new(
        "Keep my version",
        vec![Edit::Replace { document_id: document_id.clone(), annotation: kept }, with_decisions(document, decisions)],
    ))
}

/// Leaves both versions out: deletes the reviewed version's annotation (if any, clearing
/// relations to it) and records the colleague's as rejected.
pub fn reject(
    project: &Project,
    document_id: &DocumentId,
    mine: Option<&AnnotationId>,
    theirs: Option<Theirs<'_>>,
    reviewer: &str,
) -> Result<Transaction, EditError> {
    let document = document(project, document_id)?;
    let mut edits = Vec::new();
    let mut decisions = Vec::new();
    if let Some(mine) = mine {
        let annotation = existing(document, mine)?;
        decisions.push(decision(mine, &annotation.author, Verdict::Rejected, reviewer));
        edits.extend(ops::delete(project, document_id, mine)?.edits);
    }
    if let Some(theirs) = theirs {
        decisions.push(decision(&theirs.annotation.id, theirs.annotator, Verdict::Rejected, reviewer));
    }
    edits.push(with_decisions(document, decisions));
    Ok(Transaction::new("Reject", edits))
}

/// Settles every unsettled agreement among `pairs` at once: the reviewed version's annotation is
/// marked adjudicated from both annotators. `theirs` gives the colleague's annotator name.
pub fn accept_agreements(
    project: &Project,
    document_id: &DocumentId,
    pairs: &[AlignedPair],
    their_annotator: &str,
    reviewer: &str,
) -> Result<Transaction, EditError> {
    let document = document(project, document_id)?;
    let mut edits = Vec::new();
    let mut decisions = Vec::new();
    for pair in pairs.iter().filter(|pair| pair.difference == Difference::Agreement && !is_settled(document, pair)) {
        let (Some(mine), Some(theirs)) = (&pair.a, &pair.b) else { continue };
        let annotation = existing(document, mine)?;
        let sources = vec![annotation.author.clone(), their_annotator.to_owned()];
        edits.push(Edit::Replace { document_id: document_id.clone(), annotation: adjudicated(annotation.clone(), reviewer, sources) });
        decisions.push(decision(theirs, their_annotator, Verdict::Accepted, reviewer));
    }
    let count = decisions.len();
    edits.push(with_decisions(document, decisions));
    Ok(Transaction::new(format!("Accept {count} agreement(s)"), edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::History;
    use crate::model::{Kind, Span};
    use crate::review::align::align;

    fn tagged(project: &mut Project, label: &str, span: Span, author: &str) -> AnnotationId {
        let document_id = project.documents[0].id.clone();
        let (transaction, id) = ops::tag(project, &document_id, label, vec![span], author).expect("tag");
        transaction.apply(project).expect("valid");
        id
    }

    /// A (ours, the reviewed version) and B (the colleague's) on the same text.
    fn two_annotators() -> (Project, Project) {
        let text = "Imran Khan said Rana met Kabul officials in Doha.";
        let mut a = Project::from_text("t", text);
        let mut b = Project::from_text("t", text);
        tagged(&mut a, "PER", Span::new(0, 10), "amira");
        tagged(&mut b, "PER", Span::new(0, 10), "bilal");
        tagged(&mut a, "LOC", Span::new(25, 30), "amira");
        tagged(&mut b, "ORG", Span::new(25, 30), "bilal");
        let rana = tagged(&mut b, "PER", Span::new(16, 20), "bilal");
        let claim = tagged(&mut b, "CLAIM", Span::new(16, 48), "bilal");
        let document_id = b.documents[0].id.clone();
        ops::set_relation(&b, &document_id, &claim, "claimant", Some(RelationTarget::Annotation(rana)))
            .expect("built")
            .apply(&mut b)
            .expect("valid");
        tagged(&mut a, "LOC", Span::new(44, 48), "amira");
        (a, b)
    }

    #[test]
    fn accepting_theirs_replaces_mine_and_records_the_decision() {
        let (mut a, b) = two_annotators();
        let document_id = a.documents[0].id.clone();
        let alignment = align(&a.documents[0].annotations, &b.documents[0].annotations);
        let mismatch = alignment.of(Difference::LabelMismatch).next().expect("Kabul").clone();
        let theirs = b.documents[0].annotation(mismatch.b.as_ref().expect("theirs")).expect("exists");
        let before = a.clone();
        let mut history = History::default();
        let (transaction, left_out) =
            accept_theirs(&a, &document_id, mismatch.a.as_ref(), Theirs { annotation: theirs, annotator: "bilal" }, &HashMap::new(), "rev")
                .expect("built");
        assert!(left_out.is_empty());
        history.apply(&mut a, transaction).expect("valid");
        let kabul = a.documents[0].annotation(mismatch.a.as_ref().expect("mine")).expect("same id");
        assert_eq!(kabul.label, "ORG");
        assert_eq!(kabul.provenance, Provenance::Adjudicated { reviewer: "rev".into(), sources: vec!["bilal".into()] });
        let decision = a.documents[0].decision(&theirs.id).expect("recorded");
        assert_eq!((decision.verdict, decision.reviewer.as_str(), decision.annotator.as_str()), (Verdict::Accepted, "rev", "bilal"));
        assert!(is_settled(&a.documents[0], &mismatch));
        assert_eq!(a.check_invariants(), []);
        history.undo(&mut a);
        assert_eq!(a, before);
    }

    #[test]
    fn accepting_a_claim_carries_its_claimant_once_the_claimant_is_in() {
        let (mut a, b) = two_annotators();
        let document_id = a.documents[0].id.clone();
        let theirs_doc = &b.documents[0];
        let claim = theirs_doc.annotations.iter().find(|x| x.kind == Kind::Claim).expect("claim");
        let rana = theirs_doc.annotations.iter().find(|x| x.fragments == [Span::new(16, 20)]).expect("rana");
        let (_, left_out) =
            accept_theirs(&a, &document_id, None, Theirs { annotation: claim, annotator: "bilal" }, &HashMap::new(), "rev").expect("built");
        assert_eq!(left_out, ["claimant"], "Rana is not in the reviewed version yet");
        let (transaction, _) =
            accept_theirs(&a, &document_id, None, Theirs { annotation: rana, annotator: "bilal" }, &HashMap::new(), "rev").expect("built");
        transaction.apply(&mut a).expect("valid");
        let mapping = HashMap::from([(rana.id.clone(), rana.id.clone())]);
        let (transaction, left_out) =
            accept_theirs(&a, &document_id, None, Theirs { annotation: claim, annotator: "bilal" }, &mapping, "rev").expect("built");
        assert!(left_out.is_empty());
        transaction.apply(&mut a).expect("valid");
        let accepted = a.documents[0].annotations.iter().find(|x| x.kind == Kind::Claim).expect("claim in");
        assert_eq!(accepted.relation("claimant"), Some(&RelationTarget::Annotation(rana.id.clone())));
    }

    #[test]
    fn keep_reject_and_accept_agreements() {
        let (mut a, b) = two_annotators();
        let document_id = a.documents[0].id.clone();
        let alignment = align(&a.documents[0].annotations, &b.documents[0].annotations);
        let agreements: Vec<AlignedPair> = alignment.pairs.clone();
        accept_agreements(&a, &document_id, &agreements, "bilal", "rev").expect("built").apply(&mut a).expect("valid");
        let khan = alignment.of(Difference::Agreement).next().expect("Khan").clone();
        assert!(is_settled(&a.documents[0], &khan));
        let khan_mine = a.documents[0].annotation(khan.a.as_ref().expect("mine")).expect("kept");
        assert_eq!(khan_mine.provenance, Provenance::Adjudicated { reviewer: "rev".into(), sources: vec!["amira".into(), "bilal".into()] });

        let only_mine = alignment.of(Difference::OnlyA).next().expect("Doha").clone();
        keep_mine(&a, &document_id, only_mine.a.as_ref().expect("mine"), None, "rev").expect("built").apply(&mut a).expect("valid");
        assert!(is_settled(&a.documents[0], &only_mine));

        let only_theirs = alignment.of(Difference::OnlyB).next().expect("Rana or the claim").clone();
        let theirs = b.documents[0].annotation(only_theirs.b.as_ref().expect("theirs")).expect("exists");
        let count = a.documents[0].annotations.len();
        reject(&a, &document_id, None, Some(Theirs { annotation: theirs, annotator: "bilal" }), "rev")
            .expect("built")
            .apply(&mut a)
            .expect("valid");
        assert_eq!(a.documents[0].annotations.len(), count, "rejecting theirs adds nothing");
        assert_eq!(a.documents[0].decision(&theirs.id).map(|d| d.verdict), Some(Verdict::Rejected));
        assert_eq!(a.check_invariants(), []);
    }
}

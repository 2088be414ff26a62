//! The undoable changes of pre-annotation: run the rules, accept or reject suggestions one by one
//! or all at once, and change the rules. Each returns one [`Transaction`].

use super::{Matcher, RuleError};
use crate::edit::ops::{document_problem, labelled, start_document};
use crate::edit::{Edit, EditError, Transaction};
use crate::model::{AnnotationId, Document, DocumentId, Project, Provenance, Rules, Suggestion};

/// Runs the project's rules on the documents `document_ids` and adds what they find to each
/// document's suggestions. Returns the transaction and the number of new suggestions.
pub fn run(project: &Project, document_ids: &[DocumentId]) -> Result<(Transaction, usize), RuleError> {
    let matcher = Matcher::new(&project.rules, &project.schema)?;
    if matcher.is_empty() {
        return Err(RuleError::NoRules);
    }
    let mut added = 0;
    let mut edits = Vec::new();
    for document in project.documents.iter().filter(|document| document_ids.contains(&document.id)) {
        let found = matcher.suggest(document);
        if found.is_empty() {
            continue;
        }
        added += found.len();
        let mut suggestions = document.suggestions.clone();
        suggestions.extend(found);
        suggestions.sort_by(|a, b| (a.span, &a.label).cmp(&(b.span, &b.label)));
        edits.push(Edit::SetSuggestions { document_id: document.id.clone(), suggestions });
    }
    Ok((Transaction::new(format!("Pre-annotate ({added} suggestions)"), edits), added))
}

/// Replaces the project's rules, once they compile against its schema.
pub fn set_rules(project: &Project, rules: Rules, description: impl Into<String>) -> Result<Transaction, RuleError> {
    Matcher::new(&rules, &project.schema)?;
    Ok(Transaction::new(description, vec![Edit::SetRules { rules: Box::new(rules) }]))
}

/// Turns suggestion `suggestion_id` into an annotation by `author` that keeps its id and names
/// its rule in its provenance.
pub fn accept(project: &Project, document_id: &DocumentId, suggestion_id: &AnnotationId, author: &str) -> Result<Transaction, EditError> {
    let document = document(project, document_id)?;
    let suggestion = pending(document, suggestion_id)?;
    let label = project.schema.label(&suggestion.label).map_or_else(|| suggestion.label.clone(), |label| label.title.clone());
    accept_where(project, document, format!("Accept {label}"), author, |candidate| &candidate.id == suggestion_id)
}

/// Accepts every pending suggestion of a document.
pub fn accept_all(project: &Project, document_id: &DocumentId, author: &str) -> Result<Transaction, EditError> {
    let document = document(project, document_id)?;
    let count = pending_count(document)?;
    accept_where(project, document, format!("Accept {count} suggestions"), author, Suggestion::is_pending)
}

/// Marks suggestion `suggestion_id` rejected: it is no longer shown, and running the rules again
/// does not propose it anew.
pub fn reject(project: &Project, document_id: &DocumentId, suggestion_id: &AnnotationId) -> Result<Transaction, EditError> {
    let document = document(project, document_id)?;
    pending(document, suggestion_id)?;
    Ok(reject_where(document, "Reject suggestion".into(), |candidate| &candidate.id == suggestion_id))
}

/// Rejects every pending suggestion of a document.
pub fn reject_all(project: &Project, document_id: &DocumentId) -> Result<Transaction, EditError> {
    let document = document(project, document_id)?;
    let count = pending_count(document)?;
    Ok(reject_where(document, format!("Reject {count} suggestions"), Suggestion::is_pending))
}

fn document<'p>(project: &'p Project, document_id: &DocumentId) -> Result<&'p Document, EditError> {
    project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))
}

/// How many suggestions of `document` wait for a decision; an error when none does, so that
/// "all" never records an empty edit.
fn pending_count(document: &Document) -> Result<usize, EditError> {
    match document.pending_suggestions().count() {
        0 => Err(document_problem(&document.id, "the document has no pending suggestions".into())),
        count => Ok(count),
    }
}

fn pending<'d>(document: &'d Document, suggestion_id: &AnnotationId) -> Result<&'d Suggestion, EditError> {
    document
        .suggestion(suggestion_id)
        .filter(|suggestion| suggestion.is_pending())
        .ok_or_else(|| EditError::AnnotationNotFound(suggestion_id.clone()))
}

fn accept_where(
    project: &Project,
    document: &Document,
    description: String,
    author: &str,
    chosen: impl Fn(&Suggestion) -> bool,
) -> Result<Transaction, EditError> {
    let (accepted, kept): (Vec<&Suggestion>, Vec<&Suggestion>) = document.suggestions.iter().partition(|suggestion| chosen(suggestion));
    let mut edits = vec![Edit::SetSuggestions { document_id: document.id.clone(), suggestions: kept.into_iter().cloned().collect() }];
    for suggestion in accepted {
        let label = project
            .schema
            .label(&suggestion.label)
            .ok_or_else(|| document_problem(&document.id, format!("label {:?} is not in the schema", suggestion.label)))?;
        let mut annotation = labelled(label, vec![suggestion.span], author);
        annotation.id = suggestion.id.clone();
        annotation.provenance = Provenance::Suggested { source: suggestion.source.clone() };
        edits.push(Edit::Insert { document_id: document.id.clone(), annotation });
    }
    edits.extend(start_document(project, &document.id));
    Ok(Transaction::new(description, edits))
}

fn reject_where(document: &Document, description: String, chosen: impl Fn(&Suggestion) -> bool) -> Transaction {
    let suggestions = document
        .suggestions
        .iter()
        .map(|suggestion| Suggestion { rejected: suggestion.rejected || chosen(suggestion), ..suggestion.clone() })
        .collect();
    Transaction::new(description, vec![Edit::SetSuggestions { document_id: document.id.clone(), suggestions }])
}

//! Edits and transactions: the only way a project's annotations change.
//!
//! An [`Edit`] changes one annotation. A [`Transaction`] is one undoable unit made of edits (deleting
//! an entity also clears the relations that pointed at it, in the same transaction). Applying a
//! transaction checks every edit against the schema and returns its inverse, computed from the state
//! *before* the change, so [`History`](super::History) can undo it exactly.

use crate::model::{
    Annotation, AnnotationId, Comment, Decision, Document, DocumentId, DocumentStatus, MergeConflict, Problem, Project, Rules, Suggestion,
    check_annotation, check_suggestion,
};
use crate::schema::LabelSchema;

/// One change to one annotation.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Adds a new annotation to a document.
    Insert {
        /// The document to add to.
        document_id: DocumentId,
        /// The annotation, with a fresh id.
        annotation: Annotation,
    },
    /// Removes an annotation that nothing refers to.
    Remove {
        /// The document holding it.
        document_id: DocumentId,
        /// The annotation to remove.
        annotation_id: AnnotationId,
    },
    /// Replaces an annotation with a new version that has the same id.
    Replace {
        /// The document holding it.
        document_id: DocumentId,
        /// The new version.
        annotation: Annotation,
    },
    /// Sets how far a document's annotation has come.
    SetStatus {
        /// The document.
        document_id: DocumentId,
        /// Its new status.
        status: DocumentStatus,
    },
    /// Adds a document (with its annotations) at position `index` of the project.
    InsertDocument {
        /// Where it goes in the document list.
        index: usize,
        /// The document.
        document: Box<Document>,
    },
    /// Removes a document and its annotations.
    RemoveDocument {
        /// The document.
        document_id: DocumentId,
    },
    /// Replaces a document's discussion thread.
    SetDocumentComments {
        /// The document.
        document_id: DocumentId,
        /// The new thread.
        comments: Vec<Comment>,
    },
    /// Replaces a document's review decisions.
    SetDecisions {
        /// The document.
        document_id: DocumentId,
        /// The new decisions.
        decisions: Vec<Decision>,
    },
    /// Replaces a document's merge conflicts (one resolved, or all).
    SetConflicts {
        /// The document.
        document_id: DocumentId,
        /// The conflicts still open.
        conflicts: Vec<MergeConflict>,
    },
    /// Replaces the label schema (labels added by an import, or edited).
    SetSchema {
        /// The new schema.
        schema: Box<LabelSchema>,
    },
    /// Replaces a document's pre-annotation suggestions (pending and rejected).
    SetSuggestions {
        /// The document.
        document_id: DocumentId,
        /// The new suggestions.
        suggestions: Vec<Suggestion>,
    },
    /// Replaces the project's pre-annotation rules.
    SetRules {
        /// The new rules.
        rules: Box<Rules>,
    },
}

/// Why an edit was refused. The project is left as it was.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EditError {
    /// The edit names a document the project does not have.
    #[error("document {0} does not exist")]
    DocumentNotFound(DocumentId),
    /// The edit names an annotation the document does not have.
    #[error("annotation {0} does not exist")]
    AnnotationNotFound(AnnotationId),
    /// An inserted document reuses an id.
    #[error("document id {0} is already used")]
    DuplicateDocument(DocumentId),
    /// An inserted annotation reuses an id.
    #[error("annotation id {0} is already used")]
    DuplicateId(AnnotationId),
    /// A removed annotation is still the target of another annotation's relation.
    #[error("annotation {annotation_id} is still linked from {referrer_id}")]
    StillReferenced {
        /// The annotation that was to be removed.
        annotation_id: AnnotationId,
        /// An annotation whose relation points at it.
        referrer_id: AnnotationId,
    },
    /// The result would break the schema or the document's rules.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
}

impl Edit {
    /// Applies the edit and returns its inverse; on error the project is unchanged.
    fn apply(&self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::Insert { document_id, annotation } => {
                let document = project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                if document.annotation(&annotation.id).is_some() {
                    return Err(EditError::DuplicateId(annotation.id.clone()));
                }
                ensure_valid(check_annotation(&project.schema, document, annotation))?;
                if let Some(document) = project.document_mut(document_id) {
                    document.insert_sorted(annotation.clone());
                }
                Ok(Edit::Remove { document_id: document_id.clone(), annotation_id: annotation.id.clone() })
            }
            Edit::Remove { document_id, annotation_id } => {
                let document = project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                if let Some(referrer) = document.annotations.iter().find(|other| other.refers_to(annotation_id)) {
                    return Err(EditError::StillReferenced { annotation_id: annotation_id.clone(), referrer_id: referrer.id.clone() });
                }
                let document = project.document_mut(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let index = document.annotation_index(annotation_id).ok_or_else(|| EditError::AnnotationNotFound(annotation_id.clone()))?;
                let removed = document.annotations.remove(index);
                Ok(Edit::Insert { document_id: document_id.clone(), annotation: removed })
            }
            Edit::Replace { document_id, annotation } => {
                let document = project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let index =
                    document.annotation_index(&annotation.id).ok_or_else(|| EditError::AnnotationNotFound(annotation.id.clone()))?;
                ensure_valid(check_annotation(&project.schema, document, annotation))?;
                let Project { schema, documents, .. } = project;
                let document = documents
                    .iter_mut()
                    .find(|document| &document.id == document_id)
                    .ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let previous = document.annotations.remove(index);
                document.insert_sorted(annotation.clone());
                // A new kind may no longer suit the relations that point here.
                let referrer_problems: Vec<Problem> = document
                    .annotations
                    .iter()
                    .filter(|other| other.refers_to(&annotation.id))
                    .flat_map(|referrer| check_annotation(schema, document, referrer))
                    .collect();
                if !referrer_problems.is_empty() {
                    if let Some(index) = document.annotation_index(&annotation.id) {
                        document.annotations.remove(index);
                    }
                    document.insert_sorted(previous);
                    return Err(EditError::Invalid(referrer_problems));
                }
                Ok(Edit::Replace { document_id: document_id.clone(), annotation: previous })
            }
            Edit::SetStatus { document_id, status } => {
                let document = project.document_mut(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let previous = std::mem::replace(&mut document.status, *status);
                Ok(Edit::SetStatus { document_id: document_id.clone(), status: previous })
            }
            Edit::SetDocumentComments { document_id, comments } => {
                let document = project.document_mut(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let previous = std::mem::replace(&mut document.comments, comments.clone());
                Ok(Edit::SetDocumentComments { document_id: document_id.clone(), comments: previous })
            }
            Edit::SetDecisions { document_id, decisions } => {
                let document = project.document_mut(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let previous = std::mem::replace(&mut document.decisions, decisions.clone());
                Ok(Edit::SetDecisions { document_id: document_id.clone(), decisions: previous })
            }
            Edit::SetConflicts { document_id, conflicts } => {
                let document = project.document_mut(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let previous = std::mem::replace(&mut document.conflicts, conflicts.clone());
                Ok(Edit::SetConflicts { document_id: document_id.clone(), conflicts: previous })
            }
            Edit::InsertDocument { index, document } => {
                if project.document(&document.id).is_some() {
                    return Err(EditError::DuplicateDocument(document.id.clone()));
                }
                let problems: Vec<Problem> =
                    document.annotations.iter().flat_map(|a| check_annotation(&project.schema, document, a)).collect();
                ensure_valid(problems)?;
                let document_id = document.id.clone();
                project.documents.insert((*index).min(project.documents.len()), (**document).clone());
                Ok(Edit::RemoveDocument { document_id })
            }
            Edit::RemoveDocument { document_id } => {
                let index = project
                    .documents
                    .iter()
                    .position(|document| &document.id == document_id)
                    .ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let document = project.documents.remove(index);
                Ok(Edit::InsertDocument { index, document: Box::new(document) })
            }
            Edit::SetSchema { schema } => {
                let problems: Vec<Problem> = project
                    .documents
                    .iter()
                    .flat_map(|document| {
                        let annotations = document.annotations.iter().flat_map(move |a| check_annotation(schema, document, a));
                        annotations.chain(document.suggestions.iter().flat_map(move |s| check_suggestion(schema, document, s)))
                    })
                    .collect();
                ensure_valid(problems)?;
                let previous = std::mem::replace(&mut project.schema, (**schema).clone());
                Ok(Edit::SetSchema { schema: Box::new(previous) })
            }
            Edit::SetSuggestions { document_id, suggestions } => {
                let document = project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                ensure_valid(suggestions.iter().flat_map(|suggestion| check_suggestion(&project.schema, document, suggestion)).collect())?;
                let document = project.document_mut(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
                let previous = std::mem::replace(&mut document.suggestions, suggestions.clone());
                Ok(Edit::SetSuggestions { document_id: document_id.clone(), suggestions: previous })
            }
            Edit::SetRules { rules } => {
                let previous = std::mem::replace(&mut project.rules, (**rules).clone());
                Ok(Edit::SetRules { rules: Box::new(previous) })
            }
        }
    }
}

fn ensure_valid(problems: Vec<Problem>) -> Result<(), EditError> {
    if problems.is_empty() { Ok(()) } else { Err(EditError::Invalid(problems)) }
}

/// One undoable unit of change: edits applied in order, all or none.
#[derive(Clone, Debug, PartialEq)]
pub struct Transaction {
    /// What the change does, for the Edit menu ("Undo Tag as Person").
    pub description: String,
    /// The edits, in the order they apply.
    pub edits: Vec<Edit>,
}

impl Transaction {
    /// A transaction of the given edits.
    pub fn new(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self { description: description.into(), edits }
    }

    /// Adds `annotation` to a document.
    pub fn insert(description: impl Into<String>, document_id: &DocumentId, annotation: Annotation) -> Self {
        Self::new(description, vec![Edit::Insert { document_id: document_id.clone(), annotation }])
    }

    /// Replaces an annotation by a changed version of it, stamped as modified now.
    pub fn replace(description: impl Into<String>, document_id: &DocumentId, mut annotation: Annotation) -> Self {
        annotation.touch();
        Self::new(description, vec![Edit::Replace { document_id: document_id.clone(), annotation }])
    }

    /// Applies every edit, or none: if one fails, those already applied are rolled back.
    /// Returns the inverse transaction.
    pub fn apply(&self, project: &mut Project) -> Result<Transaction, EditError> {
        let mut inverses = Vec::with_capacity(self.edits.len());
        for edit in &self.edits {
            match edit.apply(project) {
                Ok(inverse) => inverses.push(inverse),
                Err(error) => {
                    for inverse in inverses.iter().rev() {
                        // Inverses of edits that just succeeded cannot fail.
                        let _ = inverse.apply(project);
                    }
                    return Err(error);
                }
            }
        }
        inverses.reverse();
        Ok(Transaction { description: self.description.clone(), edits: inverses })
    }
}

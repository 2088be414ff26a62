//! Settling a merge conflict in the app: keep our version of the annotation, or take theirs.
//! Either is one undoable transaction that also clears the flag.

use crate::edit::{Edit, EditError, Transaction, ops};
use crate::model::{AnnotationId, DocumentId, Project};

/// How a person settles a merge conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Keep the version the document holds (ours).
    KeepOurs,
    /// Replace it with theirs (or delete it, if they deleted it).
    TakeTheirs,
}

/// The transaction that settles the conflict on annotation `annotation_id` of a document.
/// Taking theirs drops relations of their version that point at annotations the document no
/// longer has, and deleting clears relations that point at the annotation, so nothing dangles.
pub fn resolve_conflict(
    project: &Project,
    document_id: &DocumentId,
    annotation_id: &AnnotationId,
    resolution: Resolution,
) -> Result<Transaction, EditError> {
    let document = project.document(document_id).ok_or_else(|| EditError::DocumentNotFound(document_id.clone()))?;
    let conflict = document.conflict(annotation_id).ok_or_else(|| EditError::AnnotationNotFound(annotation_id.clone()))?;
    let mut edits = Vec::new();
    let description = match resolution {
        Resolution::KeepOurs => "Keep our version",
        Resolution::TakeTheirs => {
            let present = document.annotation(annotation_id).is_some();
            match &conflict.theirs {
                Some(theirs) => {
                    let exists = |id: &AnnotationId| document.annotation(id).is_some();
                    let theirs = super::without_dangling_relations(theirs, exists).unwrap_or_else(|| theirs.clone());
                    edits.push(if present {
                        Edit::Replace { document_id: document_id.clone(), annotation: theirs }
                    } else {
                        Edit::Insert { document_id: document_id.clone(), annotation: theirs }
                    });
                }
                None if present => edits.extend(ops::delete(project, document_id, annotation_id)?.edits),
                None => {}
            }
            "Take their version"
        }
    };
    let conflicts = document.conflicts.iter().filter(|other| &other.annotation_id != annotation_id).cloned().collect();
    edits.push(Edit::SetConflicts { document_id: document_id.clone(), conflicts });
    Ok(Transaction::new(description, edits))
}

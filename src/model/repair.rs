//! Repairs for broken rules that can be fixed without guessing: a relation pointing at an
//! annotation that is gone is dropped; a label the schema lacks is added to it; a pre-annotation
//! suggestion that breaks the rules (a label the schema lacks, a span past the text) is dropped,
//! as running the rules again would propose it anew if it still applied. They are offered
//! when a project fails to load, and applied only with the user's consent (`gloss repair`, or
//! Repair in the app), never silently.

use std::fmt;

use super::{AnnotationId, DocumentId, Kind, Project, RelationTarget, check_suggestion};

/// One repair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repair {
    /// Drop a relation whose target annotation does not exist.
    DropDanglingRelation {
        /// The document.
        document_id: DocumentId,
        /// The annotation holding the relation.
        annotation_id: AnnotationId,
        /// The relation's role.
        role: String,
        /// The missing target.
        target: AnnotationId,
    },
    /// Drop a pre-annotation suggestion that breaks the rules.
    DropSuggestion {
        /// The document.
        document_id: DocumentId,
        /// The suggestion.
        suggestion_id: AnnotationId,
        /// What is wrong with it.
        reason: String,
    },
    /// Add a label used by annotations to the schema.
    AddLabel {
        /// The label.
        name: String,
        /// The kind of the annotations using it.
        kind: Kind,
    },
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Repair::DropDanglingRelation { document_id, annotation_id, role, target } => {
                write!(f, "document {document_id}, annotation {annotation_id}: drop relation {role:?} to {target}, which does not exist")
            }
            Repair::DropSuggestion { document_id, suggestion_id, reason } => {
                write!(f, "document {document_id}: drop suggestion {suggestion_id} ({reason})")
            }
            Repair::AddLabel { name, kind } => write!(f, "add the {} label {name:?} to the schema", kind.title()),
        }
    }
}

/// The repairs `project` admits, in document order (labels first, suggestions last).
pub fn repairs(project: &Project) -> Vec<Repair> {
    let mut labels: Vec<Repair> = Vec::new();
    let mut relations = Vec::new();
    for document in &project.documents {
        for annotation in &document.annotations {
            let known = project.schema.label(&annotation.label).is_some();
            let listed = labels.iter().any(|repair| matches!(repair, Repair::AddLabel { name, .. } if *name == annotation.label));
            if !known && !listed {
                labels.push(Repair::AddLabel { name: annotation.label.clone(), kind: annotation.kind });
            }
            for relation in &annotation.relations {
                if let RelationTarget::Annotation(target) = &relation.target
                    && document.annotation(target).is_none()
                {
                    relations.push(Repair::DropDanglingRelation {
                        document_id: document.id.clone(),
                        annotation_id: annotation.id.clone(),
                        role: relation.role.clone(),
                        target: target.clone(),
                    });
                }
            }
        }
    }
    labels.extend(relations);
    for document in &project.documents {
        for suggestion in &document.suggestions {
            if let Some(problem) = check_suggestion(&project.schema, document, suggestion).first() {
                labels.push(Repair::DropSuggestion {
                    document_id: document.id.clone(),
                    suggestion_id: suggestion.id.clone(),
                    reason: problem.message.clone(),
                });
            }
        }
    }
    labels
}

/// Applies `repairs` to `project`.
pub fn apply(project: &mut Project, repairs: &[Repair]) {
    for repair in repairs {
        match repair {
            Repair::AddLabel { name, kind } => {
                if project.schema.label(name).is_none() {
                    project.schema.add_label(name, *kind, "Added by a repair: annotations used it but the schema lacked it.");
                }
            }
            Repair::DropSuggestion { document_id, suggestion_id, .. } => {
                for document in project.documents.iter_mut().filter(|document| document.id == *document_id) {
                    document.suggestions.retain(|suggestion| suggestion.id != *suggestion_id);
                }
            }
            Repair::DropDanglingRelation { document_id, annotation_id, role, target } => {
                let annotation = project
                    .documents
                    .iter_mut()
                    .filter(|document| document.id == *document_id)
                    .flat_map(|document| document.annotations.iter_mut())
                    .find(|annotation| annotation.id == *annotation_id);
                if let Some(annotation) = annotation {
                    annotation.relations.retain(|relation| {
                        !(relation.role == *role && matches!(&relation.target, RelationTarget::Annotation(id) if id == target))
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Span};

    /// The article with a claim whose claimant is gone and a person tagged with an unknown label.
    fn broken() -> Project {
        let mut project = Project::from_text("Article", crate::SEED_ARTICLE);
        let document = &mut project.documents[0];
        let mut claim = Annotation::new(Kind::Claim, "CLAIM", vec![Span::new(10, 40)], "amira");
        claim.set_relation("claimant", Some(RelationTarget::Annotation(AnnotationId("gone".into()))));
        document.annotations.push(claim);
        document.annotations.push(Annotation::new(Kind::Entity, "POLITICIAN", vec![Span::new(50, 60)], "amira"));
        document.annotations.push(Annotation::new(Kind::Entity, "POLITICIAN", vec![Span::new(70, 80)], "amira"));
        project.normalize();
        project
    }

    #[test]
    fn dangling_relations_and_unknown_labels_are_repaired() {
        let mut project = broken();
        assert_eq!(project.check_invariants().len(), 3);
        let repairs = repairs(&project);
        let described: Vec<String> = repairs.iter().map(ToString::to_string).collect();
        assert_eq!(described.len(), 2, "{described:#?}");
        assert!(described[0].contains("add the Entity label \"POLITICIAN\""), "{described:#?}");
        assert!(described[1].contains("drop relation \"claimant\" to gone"), "{described:#?}");
        apply(&mut project, &repairs);
        assert_eq!(project.check_invariants(), []);
        assert_eq!(project.annotation_count(), 3, "no annotation is lost");
    }

    #[test]
    fn broken_suggestions_are_dropped() {
        let mut project = Project::from_text("Article", crate::SEED_ARTICLE);
        let suggestion = |label: &str, span: Span| crate::model::Suggestion {
            id: AnnotationId::random(),
            kind: Kind::Entity,
            label: label.into(),
            span,
            source: crate::model::RuleSource::Pattern("p".into()),
            rejected: false,
        };
        let kept = suggestion("LOC", Span::new(0, 8));
        project.documents[0].suggestions =
            vec![kept.clone(), suggestion("GONE", Span::new(0, 8)), suggestion("LOC", Span::new(0, 1_000_000))];
        let repairs = repairs(&project);
        let described: Vec<String> = repairs.iter().map(ToString::to_string).collect();
        assert_eq!(described.len(), 2, "{described:#?}");
        assert!(described[0].contains("(suggested label \"GONE\" is not in the schema)"), "{described:#?}");
        apply(&mut project, &repairs);
        assert_eq!(project.check_invariants(), []);
        assert_eq!(project.documents[0].suggestions, [kept]);
    }

    #[test]
    fn a_valid_project_needs_no_repair() {
        let project = Project::from_text("Article", crate::SEED_ARTICLE);
        assert_eq!(repairs(&project), []);
    }
}

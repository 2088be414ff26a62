//! The rules a valid project keeps, and the checks that find where it breaks them.
//!
//! Edits check the annotation they write with [`check_annotation`]; loading a file checks the whole
//! project with [`Project::check_invariants`]. Each [`Problem`] names its place (document,
//! annotation, code-point offset) so a person can find it.

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::fmt;

use super::{Annotation, AnnotationId, Document, DocumentId, Project, RelationTarget, Suggestion, sha256_hex};
use crate::schema::LabelSchema;

/// One broken rule, with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The document concerned, if any.
    pub document_id: Option<DocumentId>,
    /// The annotation concerned, if any.
    pub annotation_id: Option<AnnotationId>,
    /// The code-point offset concerned, if any.
    pub offset: Option<usize>,
    /// What is wrong, for people.
    pub message: String,
}

impl Problem {
    fn in_document(document: &Document, message: String) -> Self {
        Self { document_id: Some(document.id.clone()), annotation_id: None, offset: None, message }
    }

    fn in_annotation(document: &Document, annotation: &Annotation, offset: Option<usize>, message: String) -> Self {
        Self { document_id: Some(document.id.clone()), annotation_id: Some(annotation.id.clone()), offset, message }
    }

    fn in_suggestion(document: &Document, suggestion: &Suggestion, offset: Option<usize>, message: String) -> Self {
        Self { document_id: Some(document.id.clone()), annotation_id: Some(suggestion.id.clone()), offset, message }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(document_id) = &self.document_id {
            place.push(format!("document {document_id}"));
        }
        if let Some(annotation_id) = &self.annotation_id {
            place.push(format!("annotation {annotation_id}"));
        }
        if let Some(offset) = self.offset {
            place.push(format!("offset {offset}"));
        }
        if place.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", place.join(", "), self.message) }
    }
}

impl Project {
    /// Every broken rule of the project, in document order; empty when the project is valid.
    ///
    /// The rules: document ids are unique and each text matches its hash; annotation ids are
    /// unique in the project; each annotation passes [`check_annotation`]; annotations are in
    /// canonical order; each annotation has at most one merge conflict, and every version a
    /// conflict holds has the conflict's annotation id; each suggestion passes
    /// [`check_suggestion`] and its id is used by no annotation or other suggestion.
    pub fn check_invariants(&self) -> Vec<Problem> {
        self.with_id_problems(self.document_problems())
    }

    /// Each document's own problems ([`check_document`]), in document order, found on all cores.
    pub fn document_problems(&self) -> Vec<Vec<Problem>> {
        self.documents.par_iter().map(|document| check_document(&self.schema, document)).collect()
    }

    /// The problems of [`Project::check_invariants`] from those of each document on its own
    /// ([`check_document`], in document order), adding ids used twice across the project: a
    /// loader checks each document as it parses it, then the whole project here.
    pub fn with_id_problems(&self, mut per_document: Vec<Vec<Problem>>) -> Vec<Problem> {
        if !self.ids_may_repeat() {
            return per_document.into_iter().flatten().collect();
        }
        let mut document_ids = FxHashSet::default();
        let mut annotation_ids = FxHashSet::default();
        annotation_ids.reserve(self.annotation_count());
        for (document, problems) in self.documents.iter().zip(&mut per_document) {
            if !document_ids.insert(&document.id) {
                problems.insert(0, Problem::in_document(document, "document id is used twice".into()));
            }
            for annotation in &document.annotations {
                if !annotation_ids.insert(&annotation.id) {
                    problems.push(Problem::in_annotation(document, annotation, None, "annotation id is used twice".into()));
                }
            }
            for suggestion in &document.suggestions {
                if !annotation_ids.insert(&suggestion.id) {
                    problems.push(Problem::in_suggestion(document, suggestion, None, "suggestion id is used twice".into()));
                }
            }
        }
        per_document.into_iter().flatten().collect()
    }

    /// Whether two documents, or two annotations or suggestions, might share an id: `false` when
    /// all their hashes differ. Hashing and sorting on all cores spares a large project the
    /// ordered pass over a million ids that finds which ones repeat.
    fn ids_may_repeat(&self) -> bool {
        use std::hash::BuildHasher;
        let hash = |id: &str| rustc_hash::FxBuildHasher.hash_one(id);
        let mut document_hashes: Vec<u64> = self.documents.iter().map(|document| hash(&document.id.0)).collect();
        let mut annotation_hashes: Vec<u64> = (self.documents.par_iter())
            .flat_map_iter(|document| {
                let annotations = document.annotations.iter().map(|annotation| &annotation.id);
                annotations.chain(document.suggestions.iter().map(|suggestion| &suggestion.id)).map(|id| hash(&id.0)).collect::<Vec<_>>()
            })
            .collect();
        document_hashes.sort_unstable();
        annotation_hashes.par_sort_unstable();
        let repeats = |hashes: &[u64]| hashes.windows(2).any(|pair| pair[0] == pair[1]);
        repeats(&document_hashes) || repeats(&annotation_hashes)
    }
}

/// The broken rules within one document, given the project's schema: the text matches its hash,
/// each annotation and suggestion passes its check, annotations are in canonical order, and its
/// merge conflicts are well formed. Ids repeated across documents are the project's to find
/// ([`Project::with_id_problems`]).
pub fn check_document(schema: &LabelSchema, document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    if sha256_hex(document.text.as_str()) != document.sha256 {
        problems.push(Problem::in_document(document, "the text does not match its sha256: it was changed after annotation".into()));
    }
    for annotation in &document.annotations {
        problems.extend(check_annotation(schema, document, annotation));
    }
    if !document.annotations.is_sorted_by(|a, b| a.order_key() <= b.order_key()) {
        problems.push(Problem::in_document(document, "annotations are not in canonical order".into()));
    }
    problems.extend(check_conflicts(document));
    for suggestion in &document.suggestions {
        problems.extend(check_suggestion(schema, document, suggestion));
    }
    problems
}

/// Checks a document's merge conflicts: one per annotation, and each version held is of that
/// annotation (`{"annotation_id": "a1", "ours": {"id": "a1", …}}`).
fn check_conflicts(document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, conflict) in document.conflicts.iter().enumerate() {
        let place = |message: String| Problem {
            document_id: Some(document.id.clone()),
            annotation_id: Some(conflict.annotation_id.clone()),
            offset: None,
            message,
        };
        if document.conflicts[..index].iter().any(|earlier| earlier.annotation_id == conflict.annotation_id) {
            problems.push(place("the annotation has two merge conflicts".into()));
        }
        for version in conflict.versions().filter(|version| version.id != conflict.annotation_id) {
            problems.push(place(format!("a version in its merge conflict is annotation {}", version.id)));
        }
    }
    problems
}

/// Checks one suggestion against the schema and its document: its label exists with its kind and
/// marks spans; its span is non-empty and inside the text.
///
/// ```text
/// "Kabul" (5 code points): LOC [0, 5) is fine; LOC [3, 9) ends past the text
/// ```
pub fn check_suggestion(schema: &LabelSchema, document: &Document, suggestion: &Suggestion) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |offset: Option<usize>, message: String| {
        problems.push(Problem::in_suggestion(document, suggestion, offset, message));
    };
    match schema.label(&suggestion.label) {
        None => problem(None, format!("suggested label {:?} is not in the schema", suggestion.label)),
        Some(label) if label.kind != suggestion.kind || !label.kind.has_spans() => {
            problem(
                None,
                format!("suggested label {:?} is a {} label, not a {} one", label.name, label.kind.title(), suggestion.kind.title()),
            );
        }
        Some(_) => {}
    }
    let span = suggestion.span;
    if span.start >= span.end {
        problem(Some(span.start), format!("suggested span [{}, {}) is empty or reversed", span.start, span.end));
    }
    let text_len = document.text.char_len();
    if span.end > text_len {
        problem(Some(span.end), format!("suggested span ends at {} but the text has {text_len} code points", span.end));
    }
    problems
}

/// Checks one annotation against the schema and its document: the label exists with this kind;
/// fragments are non-empty, inside the text, sorted and not overlapping (none for a document
/// label); attributes and relations are the label's, with valid values; relation targets exist in
/// the document, are of an allowed kind and are not the annotation itself.
pub fn check_annotation(schema: &LabelSchema, document: &Document, annotation: &Annotation) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |offset: Option<usize>, message: String| {
        problems.push(Problem::in_annotation(document, annotation, offset, message));
    };
    let Some(label) = schema.label(&annotation.label) else {
        problem(None, format!("label {:?} is not in the schema", annotation.label));
        return problems;
    };
    if label.kind != annotation.kind {
        problem(None, format!("label {:?} is a {} label, not a {} one", label.name, label.kind.title(), annotation.kind.title()));
    }
    let text_len = document.text.char_len();
    match (annotation.kind.has_spans(), annotation.fragments.is_empty()) {
        (true, true) => problem(None, "a span annotation needs at least one fragment".into()),
        (false, false) => problem(None, "a document label has no fragments".into()),
        _ => {}
    }
    for (index, fragment) in annotation.fragments.iter().enumerate() {
        if fragment.start >= fragment.end {
            problem(Some(fragment.start), format!("fragment [{}, {}) is empty or reversed", fragment.start, fragment.end));
        }
        if fragment.end > text_len {
            problem(Some(fragment.end), format!("fragment ends at {} but the text has {text_len} code points", fragment.end));
        }
        if let Some(previous) = index.checked_sub(1).and_then(|i| annotation.fragments.get(i))
            && previous.end > fragment.start
        {
            problem(Some(fragment.start), "fragments overlap or are out of order".into());
        }
    }
    for (name, value) in &annotation.attributes {
        match label.attribute(name) {
            None => problem(None, format!("attribute {name:?} is not defined for label {:?}", label.name)),
            Some(definition) if !definition.value_type.accepts(value) => {
                problem(None, format!("attribute {name:?} cannot be {value}"));
            }
            Some(_) => {}
        }
    }
    for (index, relation) in annotation.relations.iter().enumerate() {
        let Some(definition) = label.relation(&relation.role) else {
            problem(None, format!("relation {:?} is not defined for label {:?}", relation.role, label.name));
            continue;
        };
        if annotation.relations[..index].iter().any(|earlier| earlier.role == relation.role) {
            problem(None, format!("relation {:?} is set twice", relation.role));
        }
        match &relation.target {
            RelationTarget::Implicit(who) if !definition.implicit.contains(who) => {
                problem(None, format!("{:?} cannot fill the role {:?}", who, relation.role));
            }
            RelationTarget::Implicit(_) => {}
            RelationTarget::Annotation(target_id) if target_id == &annotation.id => {
                problem(None, format!("relation {:?} points at the annotation itself", relation.role));
            }
            RelationTarget::Annotation(target_id) => match document.annotation(target_id) {
                None => problem(None, format!("relation {:?} points at {target_id}, which does not exist", relation.role)),
                Some(target) if !definition.target_kinds.contains(&target.kind) => {
                    problem(None, format!("relation {:?} cannot point at a {} annotation", relation.role, target.kind.title()))
                }
                Some(_) => {}
            },
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttributeValue, Kind, Span};

    fn article_project() -> Project {
        Project::from_text("t", "Imran Khan said “everything will be okay.”")
    }

    fn add(project: &mut Project, annotation: Annotation) -> AnnotationId {
        let id = annotation.id.clone();
        project.documents[0].insert_sorted(annotation);
        id
    }

    #[test]
    fn a_well_formed_project_has_no_problems() {
        let mut project = article_project();
        let person = add(&mut project, Annotation::new(Kind::Entity, "PER", vec![Span::new(0, 10)], "me"));
        let mut claim = Annotation::new(Kind::Claim, "CLAIM", vec![Span::new(17, 40)], "me");
        claim.set_relation("claimant", Some(RelationTarget::Annotation(person)));
        claim.attributes.insert("claim_type".into(), AttributeValue::Text("prediction".into()));
        add(&mut project, claim);
        assert_eq!(project.check_invariants(), []);
    }

    #[test]
    fn finds_each_broken_rule_with_its_place() {
        let mut project = article_project();
        let mut bad = Annotation::new(Kind::Claim, "PER", vec![Span::new(30, 45), Span::new(20, 25)], "me");
        bad.attributes.insert("polarity".into(), AttributeValue::Text("positive".into()));
        bad.set_relation("claimant", Some(RelationTarget::Annotation(AnnotationId("ghost".into()))));
        add(&mut project, bad);
        let messages: Vec<String> = project.check_invariants().iter().map(ToString::to_string).collect();
        let expected = [
            "is a Entity label, not a Claim one",
            "offset 45: fragment ends at 45 but the text has 42 code points",
            "offset 20: fragments overlap or are out of order",
            "attribute \"polarity\" is not defined",
            "relation \"claimant\" is not defined",
        ];
        for fragment in expected {
            assert!(messages.iter().any(|m| m.contains(fragment)), "missing {fragment:?} in {messages:#?}");
        }
    }

    #[test]
    fn dangling_relation_and_duplicate_ids_are_reported() {
        let mut project = article_project();
        let mut claim = Annotation::new(Kind::Claim, "CLAIM", vec![Span::new(17, 40)], "me");
        claim.set_relation("claimant", Some(RelationTarget::Annotation(AnnotationId("ghost".into()))));
        let twin = claim.clone();
        add(&mut project, claim);
        add(&mut project, twin);
        let messages: Vec<String> = project.check_invariants().iter().map(ToString::to_string).collect();
        assert!(messages.iter().any(|m| m.contains("points at ghost, which does not exist")));
        assert!(messages.iter().any(|m| m.contains("annotation id is used twice")));
    }

    #[test]
    fn a_document_id_used_twice_is_reported_once_and_unique_ids_pass() {
        let mut project = article_project();
        assert!(!project.ids_may_repeat() && project.check_invariants().is_empty());
        project.documents.push(project.documents[0].clone());
        project.documents[1].annotations.clear();
        let messages: Vec<String> = project.check_invariants().iter().map(ToString::to_string).collect();
        assert_eq!(messages.iter().filter(|m| m.contains("document id is used twice")).count(), 1, "{messages:?}");
    }

    #[test]
    fn merge_conflicts_hold_versions_of_their_own_annotation_once() {
        let mut project = article_project();
        let person = Annotation::new(Kind::Entity, "PER", vec![Span::new(0, 10)], "me");
        let other = Annotation::new(Kind::Entity, "PER", vec![Span::new(0, 5)], "me");
        let conflict = crate::model::MergeConflict {
            annotation_id: person.id.clone(),
            kind: crate::model::ConflictKind::BothChanged,
            base: None,
            ours: Some(person.clone()),
            theirs: Some(other.clone()),
        };
        add(&mut project, person);
        project.documents[0].conflicts = vec![conflict.clone(), conflict];
        let messages: Vec<String> = project.check_invariants().iter().map(ToString::to_string).collect();
        assert!(messages.iter().any(|m| m.contains("the annotation has two merge conflicts")), "{messages:#?}");
        assert!(
            messages.iter().any(|m| m.contains(&format!("a version in its merge conflict is annotation {}", other.id))),
            "{messages:#?}"
        );
    }

    #[test]
    fn suggestions_outside_the_text_or_schema_are_reported() {
        let mut project = article_project();
        let suggestion = |label: &str, span: Span| Suggestion {
            id: AnnotationId::random(),
            kind: Kind::Entity,
            label: label.into(),
            span,
            source: crate::model::RuleSource::Pattern("names".into()),
            rejected: false,
        };
        let fine = suggestion("PER", Span::new(0, 10));
        let twin = fine.clone();
        project.documents[0].suggestions = vec![fine, twin, suggestion("NOPE", Span::new(0, 5)), suggestion("PER", Span::new(40, 45))];
        let messages: Vec<String> = project.check_invariants().iter().map(ToString::to_string).collect();
        for fragment in
            ["suggestion id is used twice", "suggested label \"NOPE\" is not in the schema", "offset 45: suggested span ends at 45"]
        {
            assert!(messages.iter().any(|m| m.contains(fragment)), "missing {fragment:?} in {messages:#?}");
        }
        assert_eq!(messages.len(), 3, "{messages:#?}");
    }

    #[test]
    fn a_changed_text_breaks_the_hash() {
        let mut project = article_project();
        project.documents[0].text = crate::text::DocumentText::new("changed");
        assert!(project.check_invariants().iter().any(|p| p.message.contains("sha256")));
    }
}

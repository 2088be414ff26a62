//! Documents: an immutable text and the annotations made on it.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Annotation, AnnotationId, Comment, MergeConflict, Suggestion};
use crate::text::DocumentText;

/// A project-unique identifier of a document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct DocumentId(pub String);

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How far the annotation of a document has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// Nobody has tagged it yet.
    #[default]
    NotStarted,
    /// Tagging has begun.
    InProgress,
    /// The annotator marked it finished.
    Done,
}

impl DocumentStatus {
    /// Every status, in workflow order.
    pub const ALL: [DocumentStatus; 3] = [DocumentStatus::NotStarted, DocumentStatus::InProgress, DocumentStatus::Done];

    /// The status for people ("in progress").
    pub fn title(self) -> &'static str {
        match self {
            DocumentStatus::NotStarted => "not started",
            DocumentStatus::InProgress => "in progress",
            DocumentStatus::Done => "done",
        }
    }
}

/// A text to annotate and the annotations made on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Project-unique id; derived from the text's hash when the document is added.
    pub id: DocumentId,
    /// A title for lists and exports (usually the file name or headline).
    pub title: String,
    /// Lower-case hex SHA-256 of the UTF-8 text: identifies the text across projects and detects
    /// a text changed by hand.
    pub sha256: String,
    /// The text. It never changes once the document is added; all offsets refer to it, counted in
    /// Unicode code points (as Python's `str` indexes): a CRLF line end is two code points.
    pub text: DocumentText,
    /// How far its annotation has come.
    #[serde(default)]
    pub status: DocumentStatus,
    /// The annotations, ordered by position (document labels first, then by start, outer spans
    /// before inner ones, then by id).
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// The discussion about the document as a whole, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
    /// A reviewer's decisions on colleagues' annotations of this document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
    /// Annotations a merge of two branches could not settle (see `gloss merge`), each with every
    /// version, until a person keeps ours or takes theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<MergeConflict>,
    /// Labels proposed by the project's pre-annotation rules, pending or rejected, by position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
}

/// What a reviewer decided about one annotator's annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Taken into the reviewed version.
    Accepted,
    /// The reviewed version kept its own annotation instead.
    Kept,
    /// Left out of the reviewed version.
    Rejected,
}

/// A reviewer's decision, recorded so that the difference stays settled and annotators can see
/// who decided what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Decision {
    /// The annotation decided about (an id of the annotator's project).
    pub annotation_id: AnnotationId,
    /// Whose annotation it was.
    pub annotator: String,
    /// What was decided.
    pub verdict: Verdict,
    /// Who decided.
    pub reviewer: String,
    /// When (RFC 3339, UTC).
    #[serde(serialize_with = "super::timestamp::serialize", deserialize_with = "super::timestamp::deserialize")]
    pub time: jiff::Timestamp,
}

impl Document {
    /// A new document without annotations; its id comes from the text's hash.
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        let text = DocumentText::new(text);
        let sha256 = sha256_hex(text.as_str());
        let id = DocumentId(format!("doc-{}", sha256.get(..12).unwrap_or_default()));
        Self {
            id,
            title: title.into(),
            sha256,
            text,
            status: DocumentStatus::NotStarted,
            annotations: Vec::new(),
            comments: Vec::new(),
            decisions: Vec::new(),
            conflicts: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    /// The decision recorded about annotation `id` (of any annotator), if any.
    pub fn decision(&self, id: &AnnotationId) -> Option<&Decision> {
        self.decisions.iter().find(|decision| &decision.annotation_id == id)
    }

    /// The merge conflict flagged on annotation `id`, if any.
    pub fn conflict(&self, id: &AnnotationId) -> Option<&MergeConflict> {
        self.conflicts.iter().find(|conflict| &conflict.annotation_id == id)
    }

    /// The annotation with id `id`.
    pub fn annotation(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.annotations.iter().find(|annotation| &annotation.id == id)
    }

    /// The suggestion with id `id`.
    pub fn suggestion(&self, id: &AnnotationId) -> Option<&Suggestion> {
        self.suggestions.iter().find(|suggestion| &suggestion.id == id)
    }

    /// The suggestions still waiting for a decision, by position.
    pub fn pending_suggestions(&self) -> impl Iterator<Item = &Suggestion> {
        self.suggestions.iter().filter(|suggestion| suggestion.is_pending())
    }

    /// Where annotation `id` sits in [`Document::annotations`].
    pub fn annotation_index(&self, id: &AnnotationId) -> Option<usize> {
        self.annotations.iter().position(|annotation| &annotation.id == id)
    }

    /// The text an annotation covers; the fragments of a discontinuous one are joined with ` … `.
    /// Empty for a document label.
    pub fn annotation_text(&self, annotation: &Annotation) -> String {
        let parts: Vec<&str> = annotation.fragments.iter().map(|fragment| self.text.slice(*fragment)).collect();
        parts.join(" … ")
    }

    /// Inserts `annotation` at its place in the order.
    pub(crate) fn insert_sorted(&mut self, annotation: Annotation) {
        let index = self.annotations.partition_point(|other| other.order_key() < annotation.order_key());
        self.annotations.insert(index, annotation);
    }

    /// Restores the canonical order, for annotations that came from outside (files, importers).
    pub(crate) fn sort_annotations(&mut self) {
        self.annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    }
}

/// Lower-case hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_id_come_from_the_text() {
        let document = Document::new("t", "abc");
        assert_eq!(document.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(document.id.0, "doc-ba7816bf8f01");
    }

    #[test]
    fn annotation_text_joins_fragments() {
        let document = Document::new("t", "Khan, still serving, said “no”");
        let annotation =
            Annotation::new(crate::model::Kind::Claim, "CLAIM", vec![crate::model::Span::new(0, 4), crate::model::Span::new(21, 30)], "me");
        assert_eq!(document.annotation_text(&annotation), "Khan … said “no”");
    }
}

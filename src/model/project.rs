//! The project: everything one annotation file holds.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotation, AnnotationId, Document, DocumentId, Rules, now};
use crate::schema::LabelSchema;

/// The version of the project file format this Gloss writes. Files with a newer version are
/// refused; older ones are migrated on load.
pub const FORMAT_VERSION: u32 = 1;

/// A Gloss annotation project: a label schema, documents and their annotations. Every offset in
/// the file counts Unicode code points (Python `str` indices), as half-open ranges `[start, end)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Project {
    /// The version of the file format (currently 1). Gloss refuses files with a version newer
    /// than it knows and migrates older ones; it always writes its own.
    #[serde(serialize_with = "write_format_version")]
    pub format_version: u32,
    /// Who and what the project is for.
    pub metadata: Metadata,
    /// The labels annotations may use.
    pub schema: LabelSchema,
    /// The pre-annotation rules (gazetteers and patterns); absent when there are none.
    #[serde(default, skip_serializing_if = "Rules::is_empty")]
    pub rules: Rules,
    /// The documents, each with its annotations.
    pub documents: Vec<Document>,
}

/// Descriptive information about a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Metadata {
    /// A title for the project.
    pub title: String,
    /// A longer description: purpose, guidelines, corpus.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// When the project was created (RFC 3339, UTC).
    #[serde(serialize_with = "super::timestamp::serialize", deserialize_with = "super::timestamp::deserialize")]
    pub created: Timestamp,
    /// The program and version that last wrote the file.
    #[serde(serialize_with = "write_generator")]
    pub generator: String,
}

/// Files are written in this Gloss's format version, whatever the project was read as.
fn write_format_version<S: serde::Serializer>(_version: &u32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u32(FORMAT_VERSION)
}

/// Files name the Gloss that wrote them.
fn write_generator<S: serde::Serializer>(_generator: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&generator())
}

impl Project {
    /// An empty project with the default schema.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            metadata: Metadata { title: title.into(), description: String::new(), created: now(), generator: generator() },
            schema: LabelSchema::default_schema(),
            rules: Rules::default(),
            documents: Vec::new(),
        }
    }

    /// A project holding one document made from `text`.
    pub fn from_text(title: impl Into<String>, text: impl Into<String>) -> Self {
        let title = title.into();
        let mut project = Self::new(title.clone());
        project.documents.push(Document::new(title, text));
        project
    }

    /// The document with id `id`.
    pub fn document(&self, id: &DocumentId) -> Option<&Document> {
        self.documents.iter().find(|document| &document.id == id)
    }

    /// The document with id `id`, to change.
    pub fn document_mut(&mut self, id: &DocumentId) -> Option<&mut Document> {
        self.documents.iter_mut().find(|document| &document.id == id)
    }

    /// Annotation `annotation_id` of document `document_id`.
    pub fn annotation(&self, document_id: &DocumentId, annotation_id: &AnnotationId) -> Option<&Annotation> {
        self.document(document_id)?.annotation(annotation_id)
    }

    /// A copy of the project's version, metadata, schema and rules, without documents.
    pub fn clone_without_documents(&self) -> Self {
        Self {
            format_version: self.format_version,
            metadata: self.metadata.clone(),
            schema: self.schema.clone(),
            rules: self.rules.clone(),
            documents: Vec::new(),
        }
    }

    /// Total number of annotations in all documents.
    pub fn annotation_count(&self) -> usize {
        self.documents.iter().map(|document| document.annotations.len()).sum()
    }

    /// Puts every document's annotations in canonical order (after loading or importing).
    pub fn normalize(&mut self) {
        use rayon::prelude::*;
        self.documents.par_iter_mut().for_each(Document::sort_annotations);
    }
}

/// `Gloss x.y.z`, written into saved files.
pub fn generator() -> String {
    format!("Gloss {}", env!("CARGO_PKG_VERSION"))
}

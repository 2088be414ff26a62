//! The annotation model: plain data that serializes to the project file. No UI here.

mod annotation;
mod attributes;
mod conflict;
mod document;
mod invariants;
mod project;
pub mod repair;
mod span;
mod suggestion;
mod timestamp;

pub use annotation::{Annotation, AnnotationId, AttributeValue, Comment, Kind, Provenance, Relation, RelationTarget, now};
pub use attributes::Attributes;
pub use conflict::{ConflictKind, MergeConflict};
pub use document::{Decision, Document, DocumentId, DocumentStatus, Verdict, sha256_hex};
pub use invariants::{Problem, check_annotation, check_document, check_suggestion};
pub use project::{FORMAT_VERSION, Metadata, Project, generator};
pub use span::{Coverage, Span};
pub use suggestion::{Gazetteer, GazetteerEntry, PatternRule, RuleSource, Rules, Suggestion};
pub(crate) use timestamp::format_whole_seconds;

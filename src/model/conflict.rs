//! Merge conflicts: an annotation that two branches changed in different ways, kept in the
//! document with every version so that nothing is lost until a person chooses one.
//!
//! The document's `annotations` hold our version (or nothing, if we deleted it); the conflict
//! holds the common ancestor's, ours and theirs. `gloss merge` records them; the app resolves them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotation, AnnotationId};

/// Why an annotation could not be merged automatically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Both sides changed it, differently (or both added the same id differently).
    BothChanged,
    /// We deleted it; they changed it.
    DeletedByUs,
    /// They deleted it; we changed it.
    DeletedByThem,
    /// One of its relations pointed at an annotation the other side deleted, and was dropped.
    DroppedRelation,
}

impl ConflictKind {
    /// What happened, for people ("changed on both sides").
    pub fn title(self) -> &'static str {
        match self {
            ConflictKind::BothChanged => "changed on both sides",
            ConflictKind::DeletedByUs => "deleted by us, changed by them",
            ConflictKind::DeletedByThem => "changed by us, deleted by them",
            ConflictKind::DroppedRelation => "a relation to an annotation deleted on the other side was dropped",
        }
    }
}

/// One annotation a three-way merge could not settle, with every version of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MergeConflict {
    /// The annotation concerned.
    pub annotation_id: AnnotationId,
    /// Why it was flagged.
    pub kind: ConflictKind,
    /// The version of the common ancestor; absent if the annotation is new on both sides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Annotation>,
    /// Our version, as the document holds it; absent if we deleted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours: Option<Annotation>,
    /// Their version; absent if they deleted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<Annotation>,
}

impl MergeConflict {
    /// The versions the conflict holds (ancestor, ours, theirs), skipping absent ones.
    pub fn versions(&self) -> impl Iterator<Item = &Annotation> {
        [&self.base, &self.ours, &self.theirs].into_iter().flatten()
    }
}

//! Three-way merge of projects, for `gloss merge` as a git merge driver.
//!
//! Git hands the driver the common ancestor (base), our version and theirs. Documents are matched
//! by id, annotations by id inside a document, labels by name. For each of them:
//!
//! ```text
//! base  ours  theirs   result
//!  A     A     B       B          only they changed it (or added, or deleted it)
//!  A     B     A       B          only we changed it
//!  A     B     B       B          both made the same change
//!  A     B     C       B + flag   both changed it differently: a conflict
//! ```
//!
//! An annotation both sides changed is combined field by field when they changed different
//! fields (a note here, an attribute or relation role there; comments from both), provided the
//! result still fits the schema. Otherwise it is a conflict, and it is not lost: the document
//! keeps our version in its annotations and records a [`MergeConflict`] holding every version,
//! for a person to settle in the app ([`resolve_conflict`]). Conflicts outside annotations (a label, a title or a text changed on
//! both sides) keep our version and are listed in [`MergeSummary::kept_ours`]. Comments and
//! review decisions are merged as lists (what either side added is kept, what one side removed
//! goes); a document's status is the furthest along of the two. Pre-annotation rules merge by
//! name like labels, and suggestions by id (see [`merge_suggestions`]).

mod resolve;

use std::hash::Hash;

use rustc_hash::{FxHashMap, FxHashSet};

pub use resolve::{Resolution, resolve_conflict};

use crate::model::{
    Annotation, AnnotationId, Comment, ConflictKind, Document, DocumentStatus, MergeConflict, Project, RelationTarget, Rules, Suggestion,
    check_annotation, check_suggestion,
};
use crate::schema::LabelSchema;

/// The merged project and what the merge did.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The result: valid when the three inputs were.
    pub project: Project,
    /// What came from where, and what needs a person.
    pub summary: MergeSummary,
}

/// What a merge took from each side and what it could not settle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Annotations our side added, changed or deleted, kept in the result.
    pub from_ours: usize,
    /// Annotations their side added, changed or deleted, taken into the result.
    pub from_theirs: usize,
    /// Annotation conflicts newly flagged in the documents (see [`Document::conflicts`]).
    pub flagged: usize,
    /// Conflicts outside annotations, settled by keeping our version, described for people.
    pub kept_ours: Vec<String>,
}

impl MergeSummary {
    /// Whether everything merged without a conflict.
    pub fn is_clean(&self) -> bool {
        self.flagged == 0 && self.kept_ours.is_empty()
    }
}

/// How one item (annotation, label, document) compares across the three versions.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome<'a, T> {
    /// Both sides hold the same version (maybe both changed it the same way); `None`: both deleted it.
    Same(Option<&'a T>),
    /// Only we changed it; this is our version (`None`: we deleted it).
    Ours(Option<&'a T>),
    /// Only they changed it; this is their version (`None`: they deleted it).
    Theirs(Option<&'a T>),
    /// Both changed it, differently.
    Conflict,
}

/// Compares the three versions of one item.
fn outcome<'a, T: PartialEq>(base: Option<&'a T>, ours: Option<&'a T>, theirs: Option<&'a T>) -> Outcome<'a, T> {
    if ours == theirs {
        Outcome::Same(ours)
    } else if base == ours {
        Outcome::Theirs(theirs)
    } else if base == theirs {
        Outcome::Ours(ours)
    } else {
        Outcome::Conflict
    }
}

/// The version both sides settle on (`Some(None)`: deleted), or `None` when they changed it
/// differently.
fn settled<'a, T: PartialEq>(base: Option<&'a T>, ours: Option<&'a T>, theirs: Option<&'a T>) -> Option<Option<&'a T>> {
    match outcome(base, ours, theirs) {
        Outcome::Same(value) | Outcome::Ours(value) | Outcome::Theirs(value) => Some(value),
        Outcome::Conflict => None,
    }
}

/// One field merged three ways, or `None` when both sides changed it differently.
fn settled_field<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
    settled(Some(base), Some(ours), Some(theirs)).flatten().cloned()
}

/// The three versions of one item found by its key.
struct Versions<'a, T, K> {
    /// The key (id or name) the versions share.
    key: K,
    base: Option<&'a T>,
    ours: Option<&'a T>,
    theirs: Option<&'a T>,
}

/// Lines up the items of three lists by key: ours in their order, then those only theirs has, then
/// those only the base has.
fn line_up<'a, T, K: Eq + Hash>(base: &'a [T], ours: &'a [T], theirs: &'a [T], key: impl Fn(&'a T) -> K) -> Vec<Versions<'a, T, K>> {
    let index = |items: &'a [T]| items.iter().map(|item| (key(item), item)).collect::<FxHashMap<K, &'a T>>();
    let (base_by_key, ours_by_key, theirs_by_key) = (index(base), index(ours), index(theirs));
    let mut lined = Vec::with_capacity(ours.len().max(theirs.len()));
    for item in ours {
        let key = key(item);
        let (base, theirs) = (base_by_key.get(&key).copied(), theirs_by_key.get(&key).copied());
        lined.push(Versions { key, base, ours: Some(item), theirs });
    }
    for item in theirs.iter().filter(|item| !ours_by_key.contains_key(&key(item))) {
        let key = key(item);
        lined.push(Versions { base: base_by_key.get(&key).copied(), key, ours: None, theirs: Some(item) });
    }
    for item in base.iter().filter(|item| !ours_by_key.contains_key(&key(item)) && !theirs_by_key.contains_key(&key(item))) {
        lined.push(Versions { key: key(item), base: Some(item), ours: None, theirs: None });
    }
    lined
}

/// A list merged item by item: ours in order without what they removed, then what they added.
///
/// ```text
/// base [a, b]   ours [a, b, c]   theirs [b, d]   →   [b, c, d]
/// ```
fn merge_list<T: PartialEq + Clone>(base: &[T], ours: &[T], theirs: &[T]) -> Vec<T> {
    let kept = ours.iter().filter(|item| theirs.contains(item) || !base.contains(item));
    let added = theirs.iter().filter(|item| !ours.contains(item) && !base.contains(item));
    kept.chain(added).cloned().collect()
}

/// A discussion thread merged as a list, in time order.
fn merge_thread(base: &[Comment], ours: &[Comment], theirs: &[Comment]) -> Vec<Comment> {
    let mut thread = merge_list(base, ours, theirs);
    thread.sort_by_key(|comment| comment.time);
    thread
}

/// One value merged three ways; when both sides changed it differently ours is kept and `what`
/// (with both versions) is reported.
fn merge_value<T: PartialEq + Clone + std::fmt::Debug>(base: &T, ours: &T, theirs: &T, what: &str, kept_ours: &mut Vec<String>) -> T {
    match outcome(Some(base), Some(ours), Some(theirs)) {
        Outcome::Theirs(Some(theirs)) => theirs.clone(),
        Outcome::Conflict => {
            kept_ours.push(format!("{what} changed on both sides: kept ours ({ours:?}), not theirs ({theirs:?})"));
            ours.clone()
        }
        _ => ours.clone(),
    }
}

/// Merges three versions of a project; see the module documentation for the rules.
pub fn three_way(base: &Project, ours: &Project, theirs: &Project) -> Merged {
    let mut summary = MergeSummary::default();
    let mut project = ours.clone_without_documents();
    let metadata = &mut project.metadata;
    metadata.title =
        merge_value(&base.metadata.title, &ours.metadata.title, &theirs.metadata.title, "the project title", &mut summary.kept_ours);
    metadata.description = merge_value(
        &base.metadata.description,
        &ours.metadata.description,
        &theirs.metadata.description,
        "the project description",
        &mut summary.kept_ours,
    );
    project.schema = merge_schema(&base.schema, &ours.schema, &theirs.schema, &mut summary.kept_ours);
    project.rules = Rules {
        gazetteers: merge_named(
            &base.rules.gazetteers,
            &ours.rules.gazetteers,
            &theirs.rules.gazetteers,
            |list| &list.name,
            "gazetteer",
            &mut summary.kept_ours,
        ),
        patterns: merge_named(
            &base.rules.patterns,
            &ours.rules.patterns,
            &theirs.rules.patterns,
            |rule| &rule.name,
            "pattern rule",
            &mut summary.kept_ours,
        ),
    };
    for versions in line_up(&base.documents, &ours.documents, &theirs.documents, |document| &document.id) {
        let merged = match (versions.ours, versions.theirs) {
            (Some(ours), Some(theirs)) => Some(merge_document(&project.schema, versions.base, ours, theirs, &mut summary)),
            (Some(kept), None) | (None, Some(kept)) => match versions.base {
                None => Some(kept.clone()),
                Some(base) if base == kept => None,
                Some(_) => {
                    let side = if versions.ours.is_some() { "they deleted it, we" } else { "we deleted it, they" };
                    summary.kept_ours.push(format!("document {}: {side} changed it; the changed document was kept", kept.id));
                    Some(kept.clone())
                }
            },
            (None, None) => None,
        };
        project.documents.extend(merged);
    }
    restore_used_labels(&mut project, [ours, theirs, base], &mut summary.kept_ours);
    Merged { project, summary }
}

/// Merges the label schemas label by label, matched by name. A hotkey two labels now share is
/// cleared from the later one.
fn merge_schema(base: &LabelSchema, ours: &LabelSchema, theirs: &LabelSchema, kept_ours: &mut Vec<String>) -> LabelSchema {
    let mut labels = Vec::with_capacity(ours.labels.len());
    for versions in line_up(&base.labels, &ours.labels, &theirs.labels, |label| label.name.as_str()) {
        let label = match outcome(versions.base, versions.ours, versions.theirs) {
            Outcome::Same(label) | Outcome::Ours(label) | Outcome::Theirs(label) => label,
            Outcome::Conflict => {
                let kept = if versions.ours.is_some() { "our definition" } else { "their changed definition, which we deleted" };
                kept_ours.push(format!("label {:?} changed on both sides: kept {kept}", versions.key));
                versions.ours.or(versions.theirs)
            }
        };
        labels.extend(label.cloned());
    }
    for index in 0..labels.len() {
        let (earlier, rest) = labels.split_at_mut(index);
        if let Some(label) = rest.first_mut()
            && label.hotkey.is_some()
            && earlier.iter().any(|other| other.hotkey == label.hotkey)
        {
            kept_ours.push(format!("label {:?} lost its hotkey {:?}, which another label now uses", label.name, label.hotkey));
            label.hotkey = None;
        }
    }
    LabelSchema { labels }
}

/// Puts back the definition of every label a merged annotation uses but the merged schema lacks
/// (one side deleted the label while the other used it), from the first input that has it.
fn restore_used_labels(project: &mut Project, sources: [&Project; 3], kept_ours: &mut Vec<String>) {
    let mut missing: Vec<String> = Vec::new();
    for annotation in project.documents.iter().flat_map(|document| &document.annotations) {
        if project.schema.label(&annotation.label).is_none() && !missing.contains(&annotation.label) {
            missing.push(annotation.label.clone());
        }
    }
    for name in missing {
        if let Some(label) = sources.iter().find_map(|source| source.schema.label(&name)) {
            kept_ours.push(format!("label {name:?} was deleted on one side but is still used: it was kept"));
            project.schema.labels.push(label.clone());
        }
    }
}

/// Merges one document present on both sides (`base` is `None` when both added it).
fn merge_document(
    schema: &LabelSchema,
    base: Option<&Document>,
    ours: &Document,
    theirs: &Document,
    summary: &mut MergeSummary,
) -> Document {
    if ours.text != theirs.text {
        summary.kept_ours.push(format!("document {}: the text differs between the sides; our version of the document was kept", ours.id));
        return ours.clone();
    }
    let empty = Document {
        annotations: Vec::new(),
        comments: Vec::new(),
        decisions: Vec::new(),
        conflicts: Vec::new(),
        suggestions: Vec::new(),
        ..ours.clone()
    };
    let base = base.filter(|base| base.text == ours.text).unwrap_or(&empty);
    let what = format!("the title of document {}", ours.id);
    let mut merged = Document {
        title: merge_value(&base.title, &ours.title, &theirs.title, &what, &mut summary.kept_ours),
        status: furthest(ours.status, theirs.status),
        annotations: Vec::with_capacity(ours.annotations.len()),
        comments: merge_thread(&base.comments, &ours.comments, &theirs.comments),
        decisions: merge_list(&base.decisions, &ours.decisions, &theirs.decisions),
        conflicts: merge_list(&base.conflicts, &ours.conflicts, &theirs.conflicts),
        ..ours.clone()
    };
    let mut flagged = Vec::new();
    let mut combined = Vec::new();
    for versions in line_up(&base.annotations, &ours.annotations, &theirs.annotations, |annotation| &annotation.id) {
        let annotation = match outcome(versions.base, versions.ours, versions.theirs) {
            Outcome::Same(annotation) => annotation.cloned(),
            Outcome::Ours(annotation) => {
                summary.from_ours += 1;
                annotation.cloned()
            }
            Outcome::Theirs(annotation) => {
                summary.from_theirs += 1;
                annotation.cloned()
            }
            Outcome::Conflict => {
                let fields = match (versions.base, versions.ours, versions.theirs) {
                    (Some(base), Some(ours), Some(theirs)) => merge_fields(base, ours, theirs),
                    _ => None,
                };
                match fields {
                    Some(fields) => {
                        summary.from_ours += 1;
                        summary.from_theirs += 1;
                        combined.push(versions);
                        Some(fields)
                    }
                    None => {
                        let kind = match (versions.ours, versions.theirs) {
                            (None, _) => ConflictKind::DeletedByUs,
                            (_, None) => ConflictKind::DeletedByThem,
                            _ => ConflictKind::BothChanged,
                        };
                        flagged.push(conflict(kind, &versions));
                        versions.ours.cloned()
                    }
                }
            }
        };
        merged.annotations.extend(annotation);
    }
    // A combination the schema refuses (a relabel on one side, the old label's attribute on the
    // other) is a conflict after all.
    for versions in combined {
        let (Some(index), Some(ours)) = (merged.annotation_index(versions.key), versions.ours) else { continue };
        if merged.annotations.get(index).is_some_and(|annotation| check_annotation(schema, &merged, annotation).is_empty()) {
            continue;
        }
        if let Some(slot) = merged.annotations.get_mut(index) {
            *slot = ours.clone();
        }
        summary.from_ours -= 1;
        summary.from_theirs -= 1;
        flagged.push(conflict(ConflictKind::BothChanged, &versions));
    }
    merged.sort_annotations();
    for (before, after) in drop_dangling_relations(&mut merged) {
        match flagged.iter_mut().find(|conflict| conflict.annotation_id == after.id) {
            Some(conflict) => conflict.ours = Some(after),
            None => {
                let base = base.annotation(&after.id).cloned();
                flagged.push(MergeConflict {
                    annotation_id: after.id.clone(),
                    kind: ConflictKind::DroppedRelation,
                    base,
                    ours: Some(after),
                    theirs: Some(before),
                });
            }
        }
    }
    summary.flagged += flagged.len();
    merged.conflicts.retain(|old| flagged.iter().all(|new| new.annotation_id != old.annotation_id));
    merged.conflicts.extend(flagged);
    merged.suggestions = merge_suggestions(schema, &base.suggestions, &ours.suggestions, &theirs.suggestions, &merged);
    merged
}

/// Items matched by name (gazetteers, pattern rules) merged three ways; one both sides changed
/// differently keeps our version and is reported.
fn merge_named<T: PartialEq + Clone>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    name: impl Fn(&T) -> &String,
    what: &str,
    kept_ours: &mut Vec<String>,
) -> Vec<T> {
    let mut merged = Vec::with_capacity(ours.len());
    for versions in line_up(base, ours, theirs, name) {
        match settled(versions.base, versions.ours, versions.theirs) {
            Some(item) => merged.extend(item.cloned()),
            None => {
                kept_ours.push(format!("{what} {:?} changed on both sides: kept ours", versions.key));
                merged.extend(versions.ours.cloned());
            }
        }
    }
    merged
}

/// Pre-annotation suggestions merged by id: a suggestion both sides changed keeps our version
/// (suggestions are proposals; the annotations made from them merge on their own). A suggestion
/// accepted on either side (its id now an annotation's) or no longer valid under the merged
/// schema is dropped.
fn merge_suggestions(
    schema: &LabelSchema,
    base: &[Suggestion],
    ours: &[Suggestion],
    theirs: &[Suggestion],
    merged: &Document,
) -> Vec<Suggestion> {
    line_up(base, ours, theirs, |suggestion| &suggestion.id)
        .into_iter()
        .filter_map(|versions| settled(versions.base, versions.ours, versions.theirs).unwrap_or(versions.ours))
        .filter(|suggestion| merged.annotation(&suggestion.id).is_none() && check_suggestion(schema, merged, suggestion).is_empty())
        .cloned()
        .collect()
}

/// An annotation both sides changed, combined field by field: each field takes the side that
/// changed it, attributes and relations per name and role, comments from both. `None` when both
/// changed one field differently.
fn merge_fields(base: &Annotation, ours: &Annotation, theirs: &Annotation) -> Option<Annotation> {
    let (kind, label) =
        settled_field(&(base.kind, &base.label), &(ours.kind, &ours.label), &(theirs.kind, &theirs.label)).map(|(k, l)| (k, l.clone()))?;
    let mut attributes = crate::model::Attributes::new();
    for name in ours.attributes.keys().chain(theirs.attributes.keys()).chain(base.attributes.keys()) {
        if let Some(value) = settled(base.attributes.get(name), ours.attributes.get(name), theirs.attributes.get(name))? {
            attributes.insert(name.clone(), value.clone());
        }
    }
    let mut relations = Vec::new();
    for versions in line_up(&base.relations, &ours.relations, &theirs.relations, |relation| relation.role.as_str()) {
        relations.extend(settled(versions.base, versions.ours, versions.theirs)?.cloned());
    }
    relations.sort_by(|a, b| a.role.cmp(&b.role));
    Some(Annotation {
        id: ours.id.clone(),
        kind,
        label,
        fragments: settled_field(&base.fragments, &ours.fragments, &theirs.fragments)?,
        attributes,
        relations,
        note: settled_field(&base.note, &ours.note, &theirs.note)?,
        comments: merge_thread(&base.comments, &ours.comments, &theirs.comments),
        author: settled_field(&base.author, &ours.author, &theirs.author)?,
        created: settled_field(&base.created, &ours.created, &theirs.created)?,
        modified: ours.modified.max(theirs.modified),
        provenance: settled_field(&base.provenance, &ours.provenance, &theirs.provenance)?,
    })
}

/// A conflict holding the three versions of an annotation.
fn conflict(kind: ConflictKind, versions: &Versions<'_, Annotation, &AnnotationId>) -> MergeConflict {
    MergeConflict {
        annotation_id: versions.key.clone(),
        kind,
        base: versions.base.cloned(),
        ours: versions.ours.cloned(),
        theirs: versions.theirs.cloned(),
    }
}

/// The status further along the workflow: a document one side finished is finished.
fn furthest(ours: DocumentStatus, theirs: DocumentStatus) -> DocumentStatus {
    let rank = |status: DocumentStatus| DocumentStatus::ALL.iter().position(|other| *other == status);
    if rank(theirs) > rank(ours) { theirs } else { ours }
}

/// `annotation` without its relations to annotations for which `exists` is false; `None` if
/// none dangles.
fn without_dangling_relations(annotation: &Annotation, exists: impl Fn(&AnnotationId) -> bool) -> Option<Annotation> {
    let dangles = |target: &RelationTarget| matches!(target, RelationTarget::Annotation(id) if !exists(id));
    if !annotation.relations.iter().any(|relation| dangles(&relation.target)) {
        return None;
    }
    let mut kept = annotation.clone();
    kept.relations.retain(|relation| !dangles(&relation.target));
    Some(kept)
}

/// Drops every relation of the document that points at a missing annotation; returns each
/// changed annotation as (before, after).
fn drop_dangling_relations(document: &mut Document) -> Vec<(Annotation, Annotation)> {
    let ids: FxHashSet<&AnnotationId> = document.annotations.iter().map(|annotation| &annotation.id).collect();
    let changed: Vec<(usize, Annotation)> = document
        .annotations
        .iter()
        .enumerate()
        .filter_map(|(index, annotation)| Some((index, without_dangling_relations(annotation, |id| ids.contains(id))?)))
        .collect();
    changed
        .into_iter()
        .filter_map(|(index, after)| {
            let slot = document.annotations.get_mut(index)?;
            Some((std::mem::replace(slot, after.clone()), after))
        })
        .collect()
}

#[cfg(test)]
mod tests;

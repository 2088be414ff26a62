//! Counting annotations per document, kind and label, and how far annotation has come: `gloss
//! stats`, the statistics window and its CSV export ([`ProjectStats::write_csv`]).

mod spreadsheet;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Document, DocumentStatus, Project};
use crate::schema::LabelSchema;

/// Annotation counts of a set of annotations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// All annotations.
    pub annotations: usize,
    /// By kind name (`entity`, `claim`, ...).
    pub kinds: BTreeMap<String, usize>,
    /// By label name (`PER`, `CLAIM`, ...).
    pub labels: BTreeMap<String, usize>,
}

impl Counts {
    /// The counts of one document's annotations.
    fn of_document(document: &Document) -> Self {
        let mut counts = Self::default();
        for annotation in &document.annotations {
            counts.annotations += 1;
            increment(&mut counts.kinds, annotation.kind.name(), 1);
            increment(&mut counts.labels, &annotation.label, 1);
        }
        counts
    }

    /// Adds `other`'s counts to these.
    fn add(&mut self, other: &Counts) {
        self.annotations += other.annotations;
        for (kind, count) in &other.kinds {
            increment(&mut self.kinds, kind, *count);
        }
        for (label, count) in &other.labels {
            increment(&mut self.labels, label, *count);
        }
    }

    /// The uses of `label` (0 when unused).
    pub fn label(&self, label: &str) -> usize {
        self.labels.get(label).copied().unwrap_or(0)
    }
}

/// Adds `by` to `key`'s count, allocating the key only the first time it is seen (a corpus has
/// millions of annotations but a dozen labels).
fn increment(counts: &mut BTreeMap<String, usize>, key: &str, by: usize) {
    match counts.get_mut(key) {
        Some(count) => *count += by,
        None => {
            counts.insert(key.to_owned(), by);
        }
    }
}

/// The counts of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentStats {
    /// The document's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// How far its annotation has come.
    pub status: DocumentStatus,
    /// Its length in code points.
    pub characters: usize,
    /// Its annotations.
    #[serde(flatten)]
    pub counts: Counts,
}

/// How many documents have each status: how far the annotation of a corpus has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Documents nobody has tagged yet.
    pub not_started: usize,
    /// Documents being tagged.
    pub in_progress: usize,
    /// Documents marked finished.
    pub done: usize,
}

impl Progress {
    /// The number of documents with `status`.
    pub fn count(self, status: DocumentStatus) -> usize {
        match status {
            DocumentStatus::NotStarted => self.not_started,
            DocumentStatus::InProgress => self.in_progress,
            DocumentStatus::Done => self.done,
        }
    }

    /// All documents.
    pub fn documents(self) -> usize {
        self.not_started + self.in_progress + self.done
    }

    /// The share of documents done, from 0 to 1 (0 for a project without documents).
    pub fn done_share(self) -> f32 {
        match self.documents() {
            0 => 0.0,
            documents => self.done as f32 / documents as f32,
        }
    }

    fn add(&mut self, status: DocumentStatus) {
        match status {
            DocumentStatus::NotStarted => self.not_started += 1,
            DocumentStatus::InProgress => self.in_progress += 1,
            DocumentStatus::Done => self.done += 1,
        }
    }
}

/// How often one label is used across the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelUses {
    /// The label's name (`PER`).
    pub label: String,
    /// Its annotations in all documents.
    pub count: usize,
}

/// The counts of a project, per document and in total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectStats {
    /// Each document, in project order.
    pub documents: Vec<DocumentStats>,
    /// All documents together.
    pub total: Counts,
    /// The length of all documents together, in code points.
    pub characters: usize,
    /// How many documents have each status.
    pub progress: Progress,
    /// The uses of every label of the schema in schema order, unused ones included, then of
    /// labels the schema lacks (by name), so a chart or a table shows what was *not* tagged too.
    pub label_distribution: Vec<LabelUses>,
}

impl ProjectStats {
    /// Counts the annotations of `project`, its documents in parallel (a corpus of 20,000
    /// documents holds a million annotations).
    pub fn of(project: &Project) -> Self {
        let documents: Vec<DocumentStats> = project
            .documents
            .par_iter()
            .map(|document| DocumentStats {
                id: document.id.0.clone(),
                title: document.title.clone(),
                status: document.status,
                characters: document.text.char_len(),
                counts: Counts::of_document(document),
            })
            .collect();
        let mut total = Counts::default();
        let mut progress = Progress::default();
        for document in &documents {
            total.add(&document.counts);
            progress.add(document.status);
        }
        let label_distribution = label_distribution(&project.schema, &total);
        let characters = documents.iter().map(|document| document.characters).sum();
        Self { documents, total, characters, progress, label_distribution }
    }
}

/// The uses of each label: the schema's in its order, then the others by name.
fn label_distribution(schema: &LabelSchema, total: &Counts) -> Vec<LabelUses> {
    let in_schema = schema.labels.iter().map(|label| label.name.as_str());
    let elsewhere = total.labels.keys().map(String::as_str).filter(|name| schema.label(name).is_none());
    in_schema.chain(elsewhere).map(|label| LabelUses { label: label.to_owned(), count: total.label(label) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::{sample_project, tricky_project};

    #[test]
    fn counts_the_sample() {
        let stats = ProjectStats::of(&sample_project());
        assert_eq!(stats.total.annotations, 71);
        assert_eq!(stats.total.kinds.get("entity"), Some(&47));
        assert_eq!(stats.total.kinds.get("claim"), Some(&14));
        assert_eq!(stats.total.labels.get("SENTIMENT"), Some(&9));
        assert_eq!(stats.documents[0].counts, stats.total);
        assert_eq!(stats.documents[0].characters, 7253);
        let json = serde_json::to_value(&stats).expect("json");
        assert_eq!(json["documents"][0]["kinds"]["sentiment"], 9, "flattened counts: {json}");
    }

    #[test]
    fn the_label_distribution_follows_the_schema_and_keeps_unused_labels() {
        let mut project = tricky_project();
        project.documents[1].annotations[0].label = "ZZ_UNKNOWN".into();
        let stats = ProjectStats::of(&project);
        let names: Vec<&str> = stats.label_distribution.iter().map(|uses| uses.label.as_str()).collect();
        let schema: Vec<&str> = project.schema.labels.iter().map(|label| label.name.as_str()).collect();
        assert_eq!(names[..schema.len()], schema[..], "schema order first");
        assert_eq!(names[schema.len()..], ["ZZ_UNKNOWN"], "then labels the schema lacks");
        let uses = |label: &str| stats.label_distribution.iter().find(|uses| uses.label == label).map(|uses| uses.count);
        assert_eq!(uses("LOC"), Some(3));
        assert_eq!(uses("PER"), Some(1));
        assert_eq!(uses("ORG"), Some(0), "unused labels are listed with zero");
        let sum: usize = stats.label_distribution.iter().map(|uses| uses.count).sum();
        assert_eq!(sum, stats.total.annotations);
    }

    #[test]
    fn progress_counts_documents_per_status() {
        let mut project = tricky_project();
        assert_eq!(ProjectStats::of(&project).progress, Progress { not_started: 0, in_progress: 2, done: 0 }, "tagging starts a document");
        project.documents.push(Document::new("Untouched", "Nobody tagged this."));
        project.documents[0].status = DocumentStatus::Done;
        let progress = ProjectStats::of(&project).progress;
        assert_eq!(progress, Progress { not_started: 1, in_progress: 1, done: 1 });
        assert_eq!((progress.count(DocumentStatus::Done), progress.count(DocumentStatus::NotStarted)), (1, 1));
        assert_eq!((progress.documents(), progress.done_share()), (3, 1.0 / 3.0));
        assert_eq!(Progress::default().done_share(), 0.0, "no documents, nothing done");
    }
}

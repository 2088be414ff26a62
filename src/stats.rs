//! Counting annotations per document, kind and label: `gloss stats` and the app's document list.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Document, DocumentStatus, Project};

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
    fn add_document(&mut self, document: &Document) {
        for annotation in &document.annotations {
            self.annotations += 1;
            *self.kinds.entry(annotation.kind.name().to_owned()).or_default() += 1;
            *self.labels.entry(annotation.label.clone()).or_default() += 1;
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

/// The counts of a project, per document and in total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectStats {
    /// Each document, in project order.
    pub documents: Vec<DocumentStats>,
    /// All documents together.
    pub total: Counts,
}

impl ProjectStats {
    /// Counts the annotations of `project`.
    pub fn of(project: &Project) -> Self {
        let mut total = Counts::default();
        let documents = project
            .documents
            .iter()
            .map(|document| {
                let mut counts = Counts::default();
                counts.add_document(document);
                total.add_document(document);
                DocumentStats {
                    id: document.id.0.clone(),
                    title: document.title.clone(),
                    status: document.status,
                    characters: document.text.char_len(),
                    counts,
                }
            })
            .collect();
        Self { documents, total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::sample_project;

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
}

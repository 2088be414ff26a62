//! A colleague's project set beside ours: documents matched, their annotations placed on our
//! texts, ready for alignment and adjudication.
//!
//! Documents are matched by the SHA-256 of their text; a colleague's document whose text differs
//! from all of ours (a corrected version of the article) is matched by title, or, when both
//! projects hold a single document, with ours. Its annotations are then re-anchored onto our text
//! by quote and context ([`super::anchor`]); those that cannot be placed are listed with the
//! reason, never dropped.

use std::collections::HashMap;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use super::align::{Alignment, align};
use super::anchor::{Outcome, reanchor};
use crate::io::{ProjectFileError, load_project};
use crate::model::{Annotation, AnnotationId, Document, DocumentId, Project};

/// A colleague's annotation that could not be placed on our text.
#[derive(Clone, Debug, PartialEq)]
pub struct Unplaced {
    /// Their annotation, on their text.
    pub annotation: Annotation,
    /// The text it covers in their version.
    pub quote: String,
    /// Why it could not be placed.
    pub reason: String,
}

/// A colleague's annotations of one of our documents.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedDocument {
    /// Our document.
    pub document_id: DocumentId,
    /// Their document.
    pub theirs_document_id: DocumentId,
    /// Whether both texts are identical (otherwise their tags were re-anchored).
    pub same_text: bool,
    /// Their annotations, with offsets on our text.
    pub annotations: Vec<Annotation>,
    /// Their annotations that could not be placed on our text.
    pub unplaced: Vec<Unplaced>,
}

/// A colleague's project, read-only, compared with ours.
#[derive(Clone, Debug)]
pub struct Colleague {
    /// Their annotator name (the most frequent author of their annotations, or the file name).
    pub annotator: String,
    /// Where their project was read from.
    pub source: PathBuf,
    /// Their annotations of each of our documents they also annotated.
    pub documents: Vec<ComparedDocument>,
    /// Their documents that match none of ours.
    pub unmatched: Vec<DocumentId>,
    /// Where each of our documents is in `documents`.
    by_document: HashMap<DocumentId, usize>,
}

impl Colleague {
    /// Reads the colleague's project at `path` and compares it with `ours`.
    pub fn load(ours: &Project, path: &Path) -> Result<Self, ProjectFileError> {
        Ok(Self::new(ours, load_project(path)?, path.to_owned()))
    }

    /// Compares the colleague's `theirs` with `ours`.
    pub fn new(ours: &Project, theirs: Project, source: PathBuf) -> Self {
        let annotator = main_author(&theirs).unwrap_or_else(|| {
            source.file_name().map_or_else(|| "colleague".to_owned(), |name| name.to_string_lossy().replace(".gloss.json", ""))
        });
        let index = DocumentIndex::of(ours);
        let single = ours.documents.len() == 1 && theirs.documents.len() == 1;
        // Their documents are taken apart rather than copied: a million annotations of a large
        // corpus move into the comparison as they are.
        let matched: Vec<Result<ComparedDocument, DocumentId>> = theirs
            .documents
            .into_par_iter()
            .map(|their_document| match index.matching(&their_document).or_else(|| single.then(|| &ours.documents[0])) {
                Some(our_document) => Ok(compare_document(our_document, their_document)),
                None => Err(their_document.id),
            })
            .collect();
        let mut documents = Vec::new();
        let mut unmatched = Vec::new();
        for result in matched {
            match result {
                Ok(compared) => documents.push(compared),
                Err(id) => unmatched.push(id),
            }
        }
        let by_document = documents.iter().enumerate().map(|(position, compared)| (compared.document_id.clone(), position)).collect();
        Self { annotator, source, documents, unmatched, by_document }
    }

    /// Their annotations of our document `document_id`, if they annotated it.
    pub fn document(&self, document_id: &DocumentId) -> Option<&ComparedDocument> {
        self.by_document.get(document_id).and_then(|&position| self.documents.get(position))
    }
}

impl ComparedDocument {
    /// Their annotation with id `id`.
    pub fn annotation(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.annotations.iter().find(|annotation| &annotation.id == id)
    }

    /// Our annotations of the document aligned with theirs.
    pub fn align_with(&self, ours: &Document) -> Alignment {
        align(&ours.annotations, &self.annotations)
    }

    /// The map from their annotation ids to ours, for annotations paired in `alignment` or
    /// already accepted into our document (which then keep their id).
    pub fn theirs_to_ours(&self, ours: &Document, alignment: &Alignment) -> HashMap<AnnotationId, AnnotationId> {
        let mut map: HashMap<AnnotationId, AnnotationId> =
            alignment.pairs.iter().filter_map(|pair| Some((pair.b.clone()?, pair.a.clone()?))).collect();
        for annotation in &self.annotations {
            if ours.annotation(&annotation.id).is_some() {
                map.entry(annotation.id.clone()).or_insert_with(|| annotation.id.clone());
            }
        }
        map
    }
}

/// The author who made most of a project's annotations.
pub fn main_author(project: &Project) -> Option<String> {
    // Annotations come in runs by one author: counting runs looks the map up once a run, not once
    // an annotation (a corpus holds millions); documents are counted on all cores.
    let counts = (project.documents.par_iter())
        .fold(HashMap::<&str, usize>::new, |mut counts, document| {
            for run in document.annotations.chunk_by(|x, y| x.author == y.author) {
                *counts.entry(run[0].author.as_str()).or_default() += run.len();
            }
            counts
        })
        .reduce(HashMap::new, |mut counts, more| {
            for (author, count) in more {
                *counts.entry(author).or_default() += count;
            }
            counts
        });
    counts.into_iter().max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(x.0))).map(|(author, _)| author.to_owned())
}

/// Our documents by text hash and by title.
struct DocumentIndex<'p> {
    by_hash: HashMap<&'p str, &'p Document>,
    by_title: HashMap<&'p str, &'p Document>,
}

impl<'p> DocumentIndex<'p> {
    fn of(ours: &'p Project) -> Self {
        let mut by_hash = HashMap::new();
        let mut by_title = HashMap::new();
        for document in &ours.documents {
            by_hash.entry(document.sha256.as_str()).or_insert(document);
            by_title.entry(document.title.as_str()).or_insert(document);
        }
        Self { by_hash, by_title }
    }

    /// Our document for their document: the same text, else the same title.
    fn matching(&self, their_document: &Document) -> Option<&'p Document> {
        self.by_hash.get(their_document.sha256.as_str()).or_else(|| self.by_title.get(their_document.title.as_str())).copied()
    }
}

fn compare_document(ours: &Document, mut theirs: Document) -> ComparedDocument {
    let same_text = ours.sha256 == theirs.sha256;
    let (annotations, unplaced) = if same_text {
        (std::mem::take(&mut theirs.annotations), Vec::new())
    } else {
        let mut placed = Vec::new();
        let mut unplaced = Vec::new();
        let reanchored = reanchor(&theirs.text, &ours.text, &theirs.annotations);
        for (annotation, entry) in theirs.annotations.iter().zip(reanchored.entries) {
            match entry.outcome {
                Outcome::Placed { fragments, .. } => placed.push(Annotation { fragments, ..annotation.clone() }),
                Outcome::Unplaced { reason } => unplaced.push(Unplaced {
                    annotation: annotation.clone(),
                    quote: theirs.annotation_text(annotation),
                    reason: reason.to_string(),
                }),
            }
        }
        // Relations to tags that could not be placed would dangle on our text.
        let placed_ids: Vec<AnnotationId> = placed.iter().map(|annotation| annotation.id.clone()).collect();
        for annotation in &mut placed {
            annotation.relations.retain(|relation| match &relation.target {
                crate::model::RelationTarget::Annotation(id) => placed_ids.contains(id),
                crate::model::RelationTarget::Implicit(_) => true,
            });
        }
        placed.sort_by(|x, y| x.order_key().cmp(&y.order_key()));
        (placed, unplaced)
    };
    ComparedDocument { document_id: ours.id.clone(), theirs_document_id: theirs.id.clone(), same_text, annotations, unplaced }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Kind, Span};

    fn project_by(authors: &[&[&str]]) -> Project {
        let mut project = Project::new("authors");
        for (index, document_authors) in authors.iter().enumerate() {
            let mut document = Document::new(format!("document {index}"), "Kabul fell.");
            document.annotations =
                document_authors.iter().map(|author| Annotation::new(Kind::Entity, "LOC", vec![Span::new(0, 5)], *author)).collect();
            project.documents.push(document);
        }
        project
    }

    #[test]
    fn the_main_author_made_most_annotations_across_runs_and_documents() {
        assert_eq!(main_author(&project_by(&[&["amira", "bilal", "bilal"], &["amira", "amira"], &["bilal"]])).as_deref(), Some("amira"));
        assert_eq!(main_author(&project_by(&[&["bilal", "amira"]])).as_deref(), Some("amira"), "a tie goes to the first name");
        assert_eq!(main_author(&project_by(&[&[]])), None);
    }
}

//! Deterministic synthetic data for benchmarks: a long document densely tagged, and a corpus of
//! many tagged documents, both built from the bundled article's paragraphs (so the text has its
//! curly quotes, em dashes and no-break spaces).

use crate::model::{Annotation, AnnotationId, AttributeValue, Document, Kind, Project, RelationTarget, Span};
use crate::text::DocumentText;

/// The article's non-empty paragraphs.
fn article_paragraphs() -> Vec<&'static str> {
    crate::SEED_ARTICLE.split('\n').filter(|line| !line.trim().is_empty()).collect()
}

/// About `target_bytes` of text: the article's paragraphs in a random order, blank lines between.
fn text_of_size(rng: &mut fastrand::Rng, target_bytes: usize) -> String {
    let paragraphs = article_paragraphs();
    let mut text = String::with_capacity(target_bytes + 2048);
    while text.len() < target_bytes {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(paragraphs[rng.usize(..paragraphs.len())]);
    }
    text
}

/// `tags` annotations on `text`: about 70% entities of one to four tokens, 15% claims of ten to
/// forty tokens with a claimant, 15% sentiments of two to eight tokens with target and holder;
/// tags overlap and nest as real ones do. Ids are `PREFIX-N`.
fn tags_on(rng: &mut fastrand::Rng, text: &DocumentText, tags: usize, prefix: &str) -> Vec<Annotation> {
    let tokens: Vec<Span> = text
        .paragraphs()
        .iter()
        .flat_map(|paragraph| text.tokens_of(paragraph))
        .filter(|(_, token)| token.is_word)
        .map(|(span, _)| span)
        .collect();
    if tokens.is_empty() {
        return Vec::new();
    }
    const ENTITIES: [&str; 7] = ["PER", "ORG", "LOC", "NORP", "DATE", "EVENT", "MISC"];
    let mut annotations: Vec<Annotation> = Vec::with_capacity(tags);
    let mut entity_ids: Vec<(usize, AnnotationId)> = Vec::new();
    for number in 0..tags {
        let first = rng.usize(..tokens.len());
        let roll = rng.u8(..100);
        let (kind, label, length) = match roll {
            0..70 => (Kind::Entity, ENTITIES[rng.usize(..ENTITIES.len())], rng.usize(1..=4)),
            70..85 => (Kind::Claim, "CLAIM", rng.usize(10..=40)),
            _ => (Kind::Sentiment, "SENTIMENT", rng.usize(2..=8)),
        };
        let last = (first + length - 1).min(tokens.len() - 1);
        let span = Span::new(tokens[first].start, tokens[last].end);
        let mut annotation = Annotation::new(kind, label, vec![span], "synthetic");
        annotation.id = AnnotationId(format!("{prefix}-{number}"));
        annotation.created = jiff::Timestamp::UNIX_EPOCH;
        annotation.modified = jiff::Timestamp::UNIX_EPOCH;
        let nearest_entity = entity_ids.last().filter(|(at, _)| first.abs_diff(*at) < 200).map(|(_, id)| id.clone());
        match kind {
            Kind::Entity => entity_ids.push((first, annotation.id.clone())),
            Kind::Claim => {
                let claimant = nearest_entity.map_or_else(|| RelationTarget::Implicit("unnamed source".into()), RelationTarget::Annotation);
                annotation.set_relation("claimant", Some(claimant));
                annotation.attributes.insert("claim_type".into(), AttributeValue::Text("factual".into()));
            }
            _ => {
                if let Some(target) = nearest_entity {
                    annotation.set_relation("target", Some(RelationTarget::Annotation(target)));
                }
                annotation.set_relation("holder", Some(RelationTarget::Implicit("author".into())));
                let polarity = ["negative", "neutral", "positive", "mixed"][rng.usize(..4)];
                annotation.attributes.insert("polarity".into(), AttributeValue::Text(polarity.into()));
            }
        }
        annotations.push(annotation);
    }
    annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    annotations
}

/// A project with one document of about `bytes` bytes and `tags` annotations.
pub fn long_document(bytes: usize, tags: usize, seed: u64) -> Project {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut project = Project::new("Synthetic long document");
    let mut document = Document::new("Synthetic long document", text_of_size(&mut rng, bytes));
    document.annotations = tags_on(&mut rng, &document.text, tags, "t");
    project.documents.push(document);
    project
}

/// A project of `documents` documents (an article-sized slice of about 3,250 characters each) with
/// `tags` annotations each, ids prefixed `prefix` (two annotators of one corpus get different
/// prefixes and different tags from different seeds).
pub fn corpus(documents: usize, tags: usize, seed: u64, prefix: &str) -> Project {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut text_rng = fastrand::Rng::with_seed(7);
    let mut project = Project::new("Synthetic corpus");
    for index in 0..documents {
        let mut document = Document::new(format!("Story {index}"), text_of_size(&mut text_rng, 3_250));
        document.annotations = tags_on(&mut rng, &document.text, tags, &format!("{prefix}{index}"));
        project.documents.push(document);
    }
    project
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_projects_are_valid_and_deterministic() {
        let document = long_document(50_000, 1_000, 1);
        assert_eq!(document.check_invariants(), []);
        assert_eq!(document.annotation_count(), 1_000);
        assert_eq!(long_document(50_000, 1_000, 1), document, "the same seed gives the same project");
        let corpus = corpus(20, 50, 2, "a");
        assert_eq!(corpus.check_invariants(), []);
        assert_eq!(corpus.annotation_count(), 1_000);
        let other = super::corpus(20, 50, 3, "b");
        assert_eq!(other.documents[5].text, corpus.documents[5].text, "two annotators of one corpus share its texts");
        assert_ne!(other.documents[5].annotations, corpus.documents[5].annotations);
    }
}

//! Builds the review demo: two colleagues' annotations of the article, made independently of the
//! sample project (by "amira") and disagreeing the way real annotators do.
//!
//! - `projects/pakistan-taliban.bilal.gloss.json`: Bilal tagged the same text. He skipped the
//!   byline and dateline, saw the Taliban as a group rather than an organisation, drew some
//!   boundaries differently, judged a few claims and sentiments otherwise, named another claimant
//!   once, and tagged a few things Amira did not.
//! - `projects/pakistan-taliban.carla.gloss.json`: Carla worked on a corrected version of the
//!   article (the missing first author restored in the byline, an editor's note added at the end),
//!   so comparing her tags with the others re-anchors them onto their text.
//!
//! Run with `cargo run --example review_demo` from the repository root.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use gloss::edit::ops;
use gloss::model::{Annotation, AnnotationId, AttributeValue, Document, Project, RelationTarget, Span};

const SAMPLE: &str = "projects/pakistan-taliban.gloss.json";

/// An annotator's copy of Amira's annotations, reshaped by their own judgement.
struct Colleague {
    project: Project,
    author: &'static str,
}

impl Colleague {
    /// Starts from Amira's annotations, re-identified and credited to `author`, on `text`:
    /// Amira's text, or a version with passages inserted, where `shift` moves Amira's offsets.
    fn from(amira: &Project, author: &'static str, text: &str, shift: impl Fn(usize) -> usize) -> Result<Self> {
        let source = &amira.documents[0];
        let mut project = Project::from_text(source.title.clone(), text.to_owned());
        project.metadata.description = format!("{author}'s independent annotation of the article, for the review demo.");
        let mut renamed = HashMap::new();
        let mut copies = Vec::new();
        for annotation in &source.annotations {
            let mut copy = annotation.clone();
            copy.id = AnnotationId::random();
            copy.author = author.to_owned();
            copy.fragments = annotation.fragments.iter().map(|f| Span::new(shift(f.start), shift(f.end))).collect();
            renamed.insert(annotation.id.clone(), copy.id.clone());
            copies.push(copy);
        }
        for copy in &mut copies {
            for relation in &mut copy.relations {
                if let RelationTarget::Annotation(target) = &mut relation.target {
                    *target = renamed.get(target).cloned().context("a relation to an annotation that was not copied")?;
                }
            }
        }
        let document = &mut project.documents[0];
        document.annotations = copies;
        document.annotations.sort_by(|x, y| x.order_key().cmp(&y.order_key()));
        document.status = source.status;
        let problems = project.check_invariants();
        if !problems.is_empty() {
            bail!("{author}'s copy breaks the rules: {problems:?}");
        }
        Ok(Self { project, author })
    }

    fn document(&self) -> &Document {
        &self.project.documents[0]
    }

    fn find(&self, quote: &str, nth: usize) -> Result<Span> {
        let text = self.document().text.as_str();
        let byte = text.match_indices(quote).nth(nth - 1).map(|(byte, _)| byte).with_context(|| format!("{quote:?} #{nth} not found"))?;
        let start = text[..byte].chars().count();
        Ok(Span::new(start, start + quote.chars().count()))
    }

    /// The annotation of label `label` whose fragments cover exactly the `nth` `quote`.
    fn tagged(&self, label: &str, quote: &str, nth: usize) -> Result<Annotation> {
        let span = self.find(quote, nth)?;
        self.document()
            .annotations
            .iter()
            .find(|annotation| annotation.label == label && annotation.extent() == Some(span))
            .cloned()
            .with_context(|| format!("no {label} on {quote:?}"))
    }

    fn apply(&mut self, transaction: gloss::edit::Transaction) -> Result<()> {
        transaction.apply(&mut self.project)?;
        Ok(())
    }

    fn drop_tag(&mut self, label: &str, quote: &str, nth: usize) -> Result<()> {
        let annotation = self.tagged(label, quote, nth)?;
        let document_id = self.document().id.clone();
        let transaction = ops::delete(&self.project, &document_id, &annotation.id)?;
        self.apply(transaction)
    }

    fn relabel(&mut self, label: &str, quote: &str, nth: usize, new_label: &str) -> Result<()> {
        let annotation = self.tagged(label, quote, nth)?;
        let document_id = self.document().id.clone();
        let transaction = ops::relabel(&self.project, &document_id, &annotation.id, new_label)?;
        self.apply(transaction)
    }

    /// Moves the boundaries of a tag to another quote.
    fn reshape(&mut self, label: &str, quote: &str, nth: usize, new_quote: &str) -> Result<()> {
        let mut annotation = self.tagged(label, quote, nth)?;
        annotation.fragments = vec![self.find(new_quote, 1)?];
        let document_id = self.document().id.clone();
        self.apply(gloss::edit::Transaction::replace("Reshape", &document_id, annotation))
    }

    fn set(&mut self, label: &str, quote: &str, nth: usize, attribute: &str, value: &str) -> Result<()> {
        let annotation = self.tagged(label, quote, nth)?;
        let document_id = self.document().id.clone();
        let value = Some(AttributeValue::Text(value.to_owned()));
        let transaction = ops::set_attribute(&self.project, &document_id, &annotation.id, attribute, value)?;
        self.apply(transaction)
    }

    fn link(&mut self, label: &str, quote: &str, role: &str, target: RelationTarget) -> Result<()> {
        let annotation = self.tagged(label, quote, 1)?;
        let document_id = self.document().id.clone();
        let transaction = ops::set_relation(&self.project, &document_id, &annotation.id, role, Some(target))?;
        self.apply(transaction)
    }

    fn add(&mut self, label: &str, quote: &str, nth: usize) -> Result<AnnotationId> {
        let span = self.find(quote, nth)?;
        let document_id = self.document().id.clone();
        let (transaction, id) = ops::tag(&self.project, &document_id, label, vec![span], self.author)?;
        self.apply(transaction)?;
        Ok(id)
    }

    fn save(&self, path: &str) -> Result<()> {
        let problems = self.project.check_invariants();
        if !problems.is_empty() {
            bail!("{path}: {problems:?}");
        }
        gloss::io::save_project(&self.project, std::path::Path::new(path))?;
        println!("{path}: {} annotations by {}", self.project.annotation_count(), self.author);
        Ok(())
    }
}

/// The corrected byline: the seed article lost its first author's name.
const BYLINE_FIX: &str = "Christina Goldbaum";
/// The note Carla's version of the article ends with.
const EDITORS_NOTE: &str = "\n\nEditor’s note: An earlier version of this article omitted the name of one of its authors.";

fn bilal(amira: &Project) -> Result<Colleague> {
    let mut b = Colleague::from(amira, "bilal", amira.documents[0].text.as_str(), |offset| offset)?;
    // Byline and dateline are not news content to him.
    b.drop_tag("PER", "Haq Nawaz Khan", 1)?;
    b.drop_tag("PER", "Shaiq Hussain", 1)?;
    b.drop_tag("DATE", "October 18, 2025", 1)?;
    // The Taliban as a group, the coalition as something else.
    b.relabel("ORG", "Afghan Taliban", 1, "NORP")?;
    b.relabel("ORG", "U.S.-led coalition", 1, "MISC")?;
    b.relabel("ORG", "Islamic State", 1, "NORP")?;
    // Boundaries drawn otherwise.
    b.reshape("PER", "The head of Pakistan’s intelligence service", 1, "head of Pakistan’s intelligence service")?;
    b.reshape("CLAIM", "Pakistan could be losing the Taliban for good", 1, "Pakistan could be losing the Taliban")?;
    b.reshape("SENTIMENT", "historic blunder", 1, "a historic blunder")?;
    // Other judgements.
    b.set("CLAIM", "The TTP is not ready to lay down arms.", 1, "claim_type", "prediction")?;
    b.set("CLAIM", "everything will be okay", 1, "certainty", "hedged")?;
    b.set("SENTIMENT", "they’re paying attention", 1, "polarity", "mixed")?;
    b.set("SENTIMENT", "applauded", 1, "intensity", "high")?;
    let whole = b.document().annotations.iter().find(|a| a.label == "DOC_SENTIMENT").context("document sentiment")?.clone();
    let document_id = b.document().id.clone();
    let transaction = ops::set_attribute(&b.project, &document_id, &whole.id, "polarity", Some(AttributeValue::Text("mixed".into())))?;
    b.apply(transaction)?;
    // Another claimant: the official, whom he tagged.
    let official = b.add("PER", "a Pakistani official", 1)?;
    b.link("CLAIM", "Mehsud survived", "claimant", RelationTarget::Annotation(official))?;
    // What only he saw.
    b.add("DATE", "Thursday", 1)?;
    b.add("NORP", "American investors", 1)?;
    b.add("DATE", "last month", 1)?;
    let limited = b.add("CLAIM", "Support for the TTP in the province appears so far to be limited", 1)?;
    let document_id = b.document().id.clone();
    let transaction =
        ops::set_relation(&b.project, &document_id, &limited, "claimant", Some(RelationTarget::Implicit("unnamed source".into())))?;
    b.apply(transaction)?;
    Ok(b)
}

fn carla(amira: &Project) -> Result<Colleague> {
    let text = amira.documents[0].text.as_str();
    let byte = text.find("By , Haq").context("the byline")? + "By ".len();
    let insert_at = text[..byte].chars().count();
    let corrected = format!("{}{BYLINE_FIX}{}{EDITORS_NOTE}", &text[..byte], &text[byte..]);
    let inserted = BYLINE_FIX.chars().count();
    let mut c = Colleague::from(amira, "carla", &corrected, |offset| if offset >= insert_at { offset + inserted } else { offset })?;
    c.add("PER", BYLINE_FIX, 1)?;
    c.relabel("LOC", "Kandahar", 1, "ORG")?;
    c.drop_tag("EVENT", "ceasefire", 1)?;
    c.set(
        "CLAIM",
        "Pakistan has long lived under the illusion that the Afghan Taliban would become a stabilizing force once in power",
        1,
        "claim_type",
        "causal",
    )?;
    c.add("EVENT", "talks this weekend in Doha", 1)?;
    Ok(c)
}

fn main() -> Result<()> {
    let amira = gloss::io::load_project(std::path::Path::new(SAMPLE))?;
    bilal(&amira)?.save("projects/pakistan-taliban.bilal.gloss.json")?;
    carla(&amira)?.save("projects/pakistan-taliban.carla.gloss.json")?;
    Ok(())
}

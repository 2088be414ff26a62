//! Loss reports: what an export or import dropped or changed because the format cannot hold it.
//! Gloss never loses information silently; every conversion returns one of these.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Annotation, Document};

/// How many example places a report keeps per kind of loss.
const EXAMPLES: usize = 3;

/// One kind of loss: how often it happened and where, for a few examples.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LossEntry {
    /// How many times it happened.
    pub count: usize,
    /// The first few places (`document/annotation`), to look them up.
    pub examples: Vec<String>,
}

/// What a conversion could not carry over, grouped by what was lost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LossReport {
    entries: BTreeMap<String, LossEntry>,
    /// Whether records are dropped (see [`LossReport::discarding`]).
    discard: bool,
}

impl LossReport {
    /// A report that keeps nothing, for code that converts without writing a file (agreement tags
    /// tokens as the CoNLL export does, millions of times, and reports no loss).
    pub fn discarding() -> Self {
        Self { entries: BTreeMap::new(), discard: true }
    }

    /// Whether records are dropped: a caller can skip composing what it would record.
    pub fn is_discarding(&self) -> bool {
        self.discard
    }

    /// Records one loss of kind `what` (a sentence such as "relations dropped: CoNLL holds tags
    /// only") at `place`. The place is only formatted while few examples are kept, so recording
    /// costs no allocation once a kind of loss is known.
    pub fn record(&mut self, what: &str, place: impl fmt::Display) {
        self.record_many(what, 1, place);
    }

    /// Records `count` losses of kind `what` at once.
    pub fn record_many(&mut self, what: &str, count: usize, place: impl fmt::Display) {
        if count == 0 || self.discard {
            return;
        }
        let entry = match self.entries.get_mut(what) {
            Some(entry) => entry,
            None => self.entries.entry(what.to_owned()).or_default(),
        };
        entry.count += count;
        if entry.examples.len() < EXAMPLES {
            entry.examples.push(place.to_string());
        }
    }

    /// Whether nothing was lost.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The kinds of loss with their counts, sorted by description.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &LossEntry)> {
        self.entries.iter().map(|(what, entry)| (what.as_str(), entry))
    }

    /// The count of one kind of loss.
    pub fn count(&self, what: &str) -> usize {
        self.entries.get(what).map_or(0, |entry| entry.count)
    }

    /// Adds the entries of `other`.
    pub fn merge(&mut self, other: LossReport) {
        for (what, entry) in other.entries {
            let mine = self.entries.entry(what).or_default();
            mine.count += entry.count;
            let room = EXAMPLES.saturating_sub(mine.examples.len());
            mine.examples.extend(entry.examples.into_iter().take(room));
        }
    }
}

impl fmt::Display for LossReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entries.is_empty() {
            return f.write_str("nothing was lost");
        }
        for (index, (what, entry)) in self.entries.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{:>6} × {what} (e.g. {})", entry.count, entry.examples.join(", "))?;
        }
        Ok(())
    }
}

/// The place of an annotation in a report, shown as `document-id/annotation-id`.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    document: &'a Document,
    annotation: &'a Annotation,
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.document.id, self.annotation.id)
    }
}

/// The place of `annotation` in `document`, for a report.
pub fn place<'a>(document: &'a Document, annotation: &'a Annotation) -> Place<'a> {
    Place { document, annotation }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discarding_report_keeps_nothing() {
        let mut report = LossReport::discarding();
        report.record("relations dropped", "d/a1");
        assert!(report.is_empty());
        assert!(report.is_discarding() && !LossReport::default().is_discarding());
    }

    #[test]
    fn counts_and_keeps_a_few_examples() {
        let mut report = LossReport::default();
        assert!(report.is_empty());
        for index in 0..5 {
            report.record("relations dropped", format!("d/a{index}"));
        }
        report.record_many("attributes dropped", 4, "d/a9");
        assert_eq!(report.count("relations dropped"), 5);
        let text = report.to_string();
        assert!(text.contains("     5 × relations dropped (e.g. d/a0, d/a1, d/a2)"), "{text}");
        assert!(text.starts_with("     4 × attributes dropped"), "sorted by description: {text}");
        let mut other = LossReport::default();
        other.record("relations dropped", "e/b1");
        let document = Document::new("t", "text");
        let annotation = Annotation::new(crate::model::Kind::Entity, "PER", vec![crate::model::Span::new(0, 4)], "me");
        assert_eq!(place(&document, &annotation).to_string(), format!("{}/{}", document.id, annotation.id));
        report.merge(other);
        assert_eq!(report.count("relations dropped"), 6);
    }
}

//! The state of a review: the colleagues compared with the open project, which of their layers
//! show, which differences the list shows, and the pair under review. No drawing here.

use std::collections::HashSet;
use std::sync::Arc;

use crate::io::Progress;
use crate::model::{AnnotationId, Document, Kind, Project};
use crate::review::adjudicate::is_settled;
use crate::review::align::{AlignedPair, Alignment, Difference};
use crate::review::compare::{Colleague, ComparedDocument, main_author};
use crate::review::report::{AgreementReport, GroupAgreement, agreement_with_progress, group_agreement};

/// Which differences the list shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewFilter {
    /// The classes shown.
    pub classes: HashSet<Difference>,
    /// Only this kind, if set.
    pub kind: Option<Kind>,
    /// Only pairs where either side has this label, if set.
    pub label: Option<String>,
    /// Whether settled pairs are listed too.
    pub include_settled: bool,
}

impl Default for ReviewFilter {
    fn default() -> Self {
        let disagreements = Difference::ALL.into_iter().filter(|difference| difference.is_disagreement()).collect();
        Self { classes: disagreements, kind: None, label: None, include_settled: false }
    }
}

/// A pair, named by the ids on each side.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PairKey {
    /// Our annotation.
    pub a: Option<AnnotationId>,
    /// Their annotation.
    pub b: Option<AnnotationId>,
}

impl PairKey {
    /// The key of `pair`.
    pub fn of(pair: &AlignedPair) -> Self {
        Self { a: pair.a.clone(), b: pair.b.clone() }
    }

    /// Whether `pair` is this one.
    pub fn is(&self, pair: &AlignedPair) -> bool {
        self.a == pair.a && self.b == pair.b
    }
}

/// The project revision and active colleague an agreement report is computed for.
pub type ReportKey = (u64, usize);

/// Everything the agreement report is computed from, for a job on another thread.
pub struct ReportInputs {
    project: Arc<Project>,
    /// Who made our annotations when they name no main author: the user.
    user: String,
    active: Arc<Colleague>,
    colleagues: Vec<Arc<Colleague>>,
}

impl ReportInputs {
    /// The report against the active colleague, and the group figures with two colleagues or
    /// more; `None` when `progress` asks to stop.
    pub fn compute(&self, progress: &mut dyn Progress) -> Option<(AgreementReport, Option<GroupAgreement>)> {
        // Finding the main author reads every annotation: work for this thread, not the window's.
        let ours_name = main_author(&self.project).unwrap_or_else(|| self.user.clone());
        let report = agreement_with_progress(&self.project, &ours_name, &self.active, progress)?;
        let group = (self.colleagues.len() >= 2).then(|| group_agreement(&self.project, &ours_name, &self.colleagues));
        Some((report, group))
    }
}

/// Colleagues compared with the open project.
pub struct Review {
    /// The colleagues, in the order they were opened; shared with the jobs that compute the
    /// agreement report.
    pub colleagues: Vec<Arc<Colleague>>,
    /// The colleague whose differences are listed and adjudicated.
    pub active: usize,
    /// Whether each colleague's annotations are drawn on the article.
    pub shown: Vec<bool>,
    /// What the difference list shows.
    pub filter: ReviewFilter,
    /// The pair under review.
    pub cursor: Option<PairKey>,
    /// Whether the article is shown twice, ours and theirs side by side.
    pub side_by_side: bool,
    /// Whether the agreement report window is open.
    pub report_open: bool,
    /// The alignment of the shown document, for the project revision it was computed at.
    alignment: Option<(AlignmentKey, Alignment)>,
    /// The agreement report (and the group figures with two colleagues or more), for the project
    /// revision and active colleague it was computed for.
    report: Option<(ReportKey, AgreementReport, Option<GroupAgreement>)>,
}

/// What an alignment was computed for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AlignmentKey {
    revision: u64,
    document_index: usize,
    active: usize,
}

impl Review {
    /// A review of `colleagues`, all shown, the first active.
    pub fn new(colleagues: Vec<Arc<Colleague>>) -> Self {
        let shown = vec![true; colleagues.len()];
        Self {
            colleagues,
            active: 0,
            shown,
            filter: ReviewFilter::default(),
            cursor: None,
            side_by_side: false,
            report_open: false,
            alignment: None,
            report: None,
        }
    }

    /// The active colleague.
    pub fn colleague(&self) -> Option<&Arc<Colleague>> {
        self.colleagues.get(self.active)
    }

    /// The active colleague's annotations of `document`.
    pub fn compared(&self, document: &Document) -> Option<&ComparedDocument> {
        self.colleague()?.document(&document.id)
    }

    /// Our annotations of `document` aligned with the active colleague's, recomputed only when
    /// the project, the document or the colleague changed.
    pub fn alignment(&mut self, project: &Project, document_index: usize, revision: u64) -> Option<&Alignment> {
        let key = AlignmentKey { revision, document_index, active: self.active };
        if self.alignment.as_ref().is_none_or(|(cached, _)| *cached != key) {
            let document = project.documents.get(document_index)?;
            let alignment = self.compared(document)?.align_with(document);
            self.alignment = Some((key.clone(), alignment));
        }
        self.alignment.as_ref().map(|(_, alignment)| alignment)
    }

    /// What the agreement report of project revision `revision` is computed for.
    pub fn report_key(&self, revision: u64) -> ReportKey {
        (revision, self.active)
    }

    /// The agreement report of the active colleague and the group figures, if computed for
    /// `key`.
    pub fn report(&self, key: ReportKey) -> Option<(&AgreementReport, Option<&GroupAgreement>)> {
        let (cached, report, group) = self.report.as_ref()?;
        (*cached == key).then_some((report, group.as_ref()))
    }

    /// Keeps a report computed for `key` (by a job: see [`ReportInputs`]).
    pub fn store_report(&mut self, key: ReportKey, report: AgreementReport, group: Option<GroupAgreement>) {
        self.report = Some((key, report, group));
    }

    /// What a job needs to compute the report, shared rather than copied; `None` without an
    /// active colleague.
    pub fn report_inputs(&self, project: Arc<Project>, user: String) -> Option<ReportInputs> {
        let active = Arc::clone(self.colleague()?);
        Some(ReportInputs { project, user, active, colleagues: self.colleagues.clone() })
    }

    /// The pairs the list shows, in text order.
    pub fn listed<'x>(&self, alignment: &'x Alignment, ours: &Document, theirs: &ComparedDocument) -> Vec<&'x AlignedPair> {
        alignment.pairs.iter().filter(|pair| self.passes(pair, ours, theirs)).collect()
    }

    fn passes(&self, pair: &AlignedPair, ours: &Document, theirs: &ComparedDocument) -> bool {
        let a = pair.a.as_ref().and_then(|id| ours.annotation(id));
        let b = pair.b.as_ref().and_then(|id| theirs.annotation(id));
        let kind = a.or(b).map(|annotation| annotation.kind);
        let labels: Vec<&str> = a.iter().chain(b.iter()).map(|annotation| annotation.label.as_str()).collect();
        self.filter.classes.contains(&pair.difference)
            && self.filter.kind.is_none_or(|wanted| kind == Some(wanted))
            && self.filter.label.as_deref().is_none_or(|wanted| labels.contains(&wanted))
            && (self.filter.include_settled || !is_settled(ours, pair))
    }

    /// Moves the cursor to the next (or previous) listed pair after the current one, wrapping
    /// around; returns the new cursor.
    pub fn step(&mut self, listed: &[&AlignedPair], forward: bool) -> Option<PairKey> {
        if listed.is_empty() {
            self.cursor = None;
            return None;
        }
        let current = self.cursor.as_ref().and_then(|cursor| listed.iter().position(|pair| cursor.is(pair)));
        let next = match (current, forward) {
            (Some(index), true) => (index + 1) % listed.len(),
            (Some(index), false) => (index + listed.len() - 1) % listed.len(),
            (None, true) => 0,
            (None, false) => listed.len() - 1,
        };
        self.cursor = listed.get(next).map(|pair| PairKey::of(pair));
        self.cursor.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn pair(a: &str, start: usize, difference: Difference) -> AlignedPair {
        AlignedPair { a: Some(AnnotationId(a.into())), b: None, difference, differing: Vec::new(), start }
    }

    #[test]
    fn stepping_wraps_around_both_ways() {
        let mut review = Review::new(Vec::new());
        let pairs = [pair("x", 0, Difference::OnlyA), pair("y", 5, Difference::OnlyA), pair("z", 9, Difference::OnlyA)];
        let listed: Vec<&AlignedPair> = pairs.iter().collect();
        let name = |key: Option<PairKey>| key.and_then(|key| key.a).map(|id| id.0);
        assert_eq!(name(review.step(&listed, true)).as_deref(), Some("x"));
        assert_eq!(name(review.step(&listed, true)).as_deref(), Some("y"));
        assert_eq!(name(review.step(&listed, false)).as_deref(), Some("x"));
        assert_eq!(name(review.step(&listed, false)).as_deref(), Some("z"), "wraps to the last");
        assert_eq!(review.step(&[], true), None);
    }

    #[test]
    fn the_default_filter_lists_unsettled_disagreements() {
        let review = Review::new(Vec::new());
        let document = Document::new("t", "Imran Khan");
        let theirs = ComparedDocument {
            document_id: document.id.clone(),
            theirs_document_id: document.id.clone(),
            same_text: true,
            annotations: Vec::new(),
            unplaced: Vec::new(),
        };
        let mut annotation = crate::model::Annotation::new(Kind::Entity, "PER", vec![Span::new(0, 10)], "a");
        annotation.id = AnnotationId("x".into());
        let mut ours = document.clone();
        ours.annotations.push(annotation);
        let alignment = Alignment { pairs: vec![pair("x", 0, Difference::OnlyA), pair("y", 0, Difference::Agreement)] };
        assert_eq!(review.listed(&alignment, &ours, &theirs).len(), 1, "agreements are not listed by default");
    }
}

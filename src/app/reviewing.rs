//! The app's review commands: comparing with colleagues, moving between differences and
//! recording decisions. The review's state lives in [`super::review`]; the decisions themselves
//! are edits built by [`crate::review::adjudicate`].

use std::path::PathBuf;
use std::sync::Arc;

use super::review::{PairKey, Review};
use super::{Command, FileRequest, GlossApp, Job, JobResult, waker};
use crate::review::adjudicate::{self, Theirs};
use crate::review::align::{AlignedPair, Alignment};
use crate::review::compare::Colleague;

impl GlossApp {
    /// Runs a command of the Review menu.
    pub(super) fn run_review_command(&mut self, command: Command, ctx: &egui::Context) {
        if command == Command::CompareWith {
            self.request_file(FileRequest::CompareWith, ctx);
            return;
        }
        if self.review.is_none() {
            self.status = Some("Compare with a colleague first (Review › Compare with…)".into());
            return;
        }
        match command {
            Command::EndReview => {
                self.review = None;
                self.review_tab = false;
                self.view.compared = None;
                self.status = Some("Review ended; the decisions stay in the project".into());
            }
            Command::NextDifference | Command::PreviousDifference => self.step(command == Command::NextDifference),
            Command::AcceptTheirs | Command::KeepMine | Command::RejectPair => self.decide(command),
            Command::AcceptAllAgreements => self.accept_all_agreements(),
            Command::AgreementReport => {
                if let Some(review) = &mut self.review {
                    review.report_open = true;
                }
            }
            Command::SideBySide => {
                if let Some(review) = &mut self.review {
                    review.side_by_side = !review.side_by_side;
                }
            }
            // Compare with… is handled above; the other menus' commands never come here.
            _ => {}
        }
    }

    /// Loads the colleagues' projects at `paths` and compares them with ours, on a worker thread.
    pub(super) fn compare_with(&mut self, paths: &[PathBuf], ctx: &egui::Context) {
        let project = self.session.snapshot();
        let paths = paths.to_vec();
        self.job = Some(Job::spawn("Comparing with colleagues", waker(ctx), move |progress| {
            let mut colleagues = Vec::new();
            for (done, path) in paths.iter().enumerate() {
                if !progress.advance(done, paths.len()) {
                    break;
                }
                match Colleague::load(&project, path) {
                    Ok(colleague) => colleagues.push(Arc::new(colleague)),
                    Err(error) => return JobResult::Compared { result: Err(error) },
                }
            }
            JobResult::Compared { result: Ok(colleagues) }
        }));
    }

    /// Starts (or extends) the review with the compared colleagues.
    pub(super) fn review_colleagues(&mut self, colleagues: Vec<Arc<Colleague>>) {
        let names: Vec<String> = colleagues.iter().map(|colleague| colleague.annotator.clone()).collect();
        match &mut self.review {
            Some(review) => {
                review.shown.extend(colleagues.iter().map(|_| true));
                review.colleagues.extend(colleagues);
            }
            None => self.review = Some(Review::new(colleagues)),
        }
        self.review_tab = true;
        self.status = Some(format!("Comparing with {}; n / p move between differences", names.join(", ")));
    }

    /// The alignment of the shown document with the active colleague (computed again only when
    /// the project, the document or the colleague changed).
    pub(super) fn shown_alignment(&mut self) -> Option<Alignment> {
        let project = self.session.project();
        let revision = self.session.history().revision();
        self.review.as_mut()?.alignment(project, self.view.document_index, revision).cloned()
    }

    /// The pairs of the shown document's alignment that the difference list shows.
    fn listed_pairs(&mut self) -> Vec<AlignedPair> {
        let Some(alignment) = self.shown_alignment() else { return Vec::new() };
        let project = self.session.project();
        let (Some(review), Some(document)) = (&self.review, project.documents.get(self.view.document_index)) else { return Vec::new() };
        let Some(theirs) = review.compared(document) else { return Vec::new() };
        review.listed(&alignment, document, theirs).into_iter().cloned().collect()
    }

    fn step(&mut self, forward: bool) {
        let listed = self.listed_pairs();
        let references: Vec<&AlignedPair> = listed.iter().collect();
        let key = self.review.as_mut().and_then(|review| review.step(&references, forward));
        match key {
            Some(key) => self.select_pair(key),
            None => self.status = Some("No difference left in the list".into()),
        }
    }

    /// Makes `key` the pair under review: selects our annotation, highlights theirs, scrolls.
    pub(super) fn select_pair(&mut self, key: PairKey) {
        let start = self.shown_alignment().and_then(|alignment| alignment.pairs.iter().find(|pair| key.is(pair)).map(|pair| pair.start));
        if let Some(start) = start {
            self.view.reveal(start);
        }
        self.select(key.a.clone());
        self.view.compared = key.b.clone();
        if let Some(review) = &mut self.review {
            review.cursor = Some(key);
        }
        self.view.text_selection.clear();
    }

    /// Selects the pair holding the active colleague's annotation `id`.
    pub(super) fn select_theirs(&mut self, id: &crate::model::AnnotationId) {
        let key =
            self.shown_alignment().and_then(|alignment| alignment.pairs.iter().find(|pair| pair.b.as_ref() == Some(id)).map(PairKey::of));
        if let Some(key) = key {
            self.select_pair(key);
        }
    }

    /// Records a decision on the pair under review, then moves to the next difference.
    fn decide(&mut self, command: Command) {
        let Some(key) = self.review.as_ref().and_then(|review| review.cursor.clone()) else {
            self.status = Some("Select a difference first (n / p, or click one)".into());
            return;
        };
        let Some(alignment) = self.shown_alignment() else { return };
        let project = self.session.project();
        let reviewer = self.author().to_owned();
        let Some(document) = project.documents.get(self.view.document_index) else { return };
        let Some(review) = &self.review else { return };
        let (Some(colleague), Some(theirs)) = (review.colleague(), review.compared(document)) else { return };
        let their_annotation = key.b.as_ref().and_then(|id| theirs.annotation(id));
        let their = their_annotation.map(|annotation| Theirs { annotation, annotator: &colleague.annotator });
        let result = match (command, their) {
            (Command::AcceptTheirs, Some(their)) => {
                let mapping = theirs.theirs_to_ours(document, &alignment);
                adjudicate::accept_theirs(project, &document.id, key.a.as_ref(), their, &mapping, &reviewer).map(
                    |(transaction, left_out)| {
                        if !left_out.is_empty() {
                            self.status = Some(format!("Accepted without {}: accept the linked annotations first", left_out.join(", ")));
                        }
                        transaction
                    },
                )
            }
            (Command::KeepMine, their) => match &key.a {
                Some(mine) => adjudicate::keep_mine(project, &document.id, mine, their, &reviewer),
                None => return,
            },
            (Command::RejectPair, their) => adjudicate::reject(project, &document.id, key.a.as_ref(), their, &reviewer),
            _ => return,
        };
        match result {
            Ok(transaction) => {
                self.apply(transaction);
                self.step(true);
            }
            Err(error) => self.status = Some(error.to_string()),
        }
    }

    fn accept_all_agreements(&mut self) {
        let Some(alignment) = self.shown_alignment() else { return };
        let project = self.session.project();
        let reviewer = self.author().to_owned();
        let Some(document) = project.documents.get(self.view.document_index) else { return };
        let Some(colleague) = self.review.as_ref().and_then(|review| review.colleague()) else { return };
        match adjudicate::accept_agreements(project, &document.id, &alignment.pairs, &colleague.annotator, &reviewer) {
            Ok(transaction) => self.apply(transaction),
            Err(error) => self.status = Some(error.to_string()),
        }
    }
}

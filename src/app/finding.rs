//! The app's search and keyboard-movement commands: the search bar's hits, tagging them all, and
//! moving the selection by word, annotation and untagged sentence. The searching and the moving
//! themselves are [`crate::search`] and [`crate::navigation`].

use super::{Command, GlossApp};
use crate::edit::{Transaction, ops};
use crate::model::Span;
use crate::navigation::{self, Direction};
use crate::search::Query;

impl GlossApp {
    /// Runs a command of the search or the Go menu.
    pub(super) fn run_finding_command(&mut self, command: Command) {
        match command {
            Command::Find => {
                let selected = self.selected_text();
                self.view.search.open_with(selected);
            }
            Command::FindNext | Command::FindPrevious => self.step_hit(command == Command::FindNext),
            Command::TagAllOccurrences => self.tag_all_occurrences(),
            Command::NextAnnotation | Command::PreviousAnnotation => self.step_annotation(direction(command == Command::NextAnnotation)),
            Command::NextUntaggedSentence | Command::PreviousUntaggedSentence => {
                self.step_sentence(direction(command == Command::NextUntaggedSentence));
            }
            Command::ExtendSelection => self.reshape_selection(navigation::extend_end),
            Command::ShrinkSelection => self.reshape_selection(navigation::shrink_end),
            Command::ExtendSelectionStart => self.reshape_selection(navigation::extend_start),
            Command::ShrinkSelectionStart => self.reshape_selection(navigation::shrink_start),
            _ => {}
        }
    }

    /// The selected text, when one short stretch is selected: what Find starts searching for.
    fn selected_text(&self) -> Option<String> {
        let document = self.view.document(self.session.project())?;
        match self.view.text_selection.as_slice() {
            [span] if span.len() <= 200 => Some(document.text.slice(*span).to_owned()),
            _ => None,
        }
    }

    fn step_hit(&mut self, forward: bool) {
        let project = self.session.project();
        let Some(document) = self.view.document(project) else { return };
        if !self.view.search.open {
            self.view.search.open_with(None);
        }
        self.view.search.refresh(project, self.view.document_index);
        let caret = self.view.caret(document);
        match self.view.search.step(forward, self.view.document_index, caret) {
            Some(_) => self.show_current_hit(),
            None => self.status = Some("No hits".into()),
        }
    }

    /// Goes to hit `index` of the search bar: shows its document and selects its text, so a
    /// label's key tags it.
    pub(super) fn show_hit(&mut self, index: usize) {
        self.view.search.current = Some(index);
        self.show_current_hit();
    }

    fn show_current_hit(&mut self) {
        let Some(hit) = self.view.search.current_hit() else { return };
        if hit.document_index != self.view.document_index {
            self.show_document(hit.document_index);
        }
        self.select(None);
        self.view.text_selection = vec![hit.span];
        self.view.reveal(hit.span.start);
    }

    /// Tags every hit of the search bar with `label_name`, in every document searched, as one
    /// edit.
    pub(super) fn tag_hits(&mut self, label_name: &str) {
        let project = self.session.project();
        let author = self.author().to_owned();
        let hits = self.view.search.hits();
        let mut edits = Vec::new();
        let (mut added, mut skipped) = (0, 0);
        for group in hits.chunk_by(|one, next| one.document_index == next.document_index) {
            let Some(document) = group.first().and_then(|hit| project.documents.get(hit.document_index)) else { break };
            let spans: Vec<Span> = group.iter().map(|hit| hit.span).collect();
            match ops::tag_all(project, &document.id, label_name, &spans, &author) {
                Ok(outcome) => {
                    added += outcome.added;
                    skipped += outcome.skipped;
                    edits.extend(outcome.transaction.map(|transaction| transaction.edits).unwrap_or_default());
                }
                Err(error) => {
                    self.status = Some(error.to_string());
                    return;
                }
            }
        }
        self.report_tag_all(label_name, edits, added, skipped);
    }

    /// Tags the other occurrences of the selected annotation's words with its label; with text
    /// selected instead, opens the search bar on that text so a label can be chosen.
    fn tag_all_occurrences(&mut self) {
        let project = self.session.project();
        let Some(document) = self.view.document(project) else { return };
        let selected = self.view.selected.as_ref().and_then(|id| document.annotation(id)).filter(|annotation| annotation.kind.has_spans());
        let Some(annotation) = selected else {
            match self.selected_text() {
                Some(text) => self.view.search.open_with(Some(text)),
                None => self.status = Some("Select a tag (or some text) first".into()),
            }
            return;
        };
        let text = document.annotation_text(annotation);
        let hits = match Query::exact_words(text.clone()).compile() {
            Ok(Some(matcher)) => matcher.find_in(&document.text),
            _ => Vec::new(),
        };
        let label = annotation.label.clone();
        match ops::tag_all(project, &document.id, &label, &hits, self.author()) {
            Ok(outcome) => {
                let edits = outcome.transaction.map(|transaction| transaction.edits).unwrap_or_default();
                self.report_tag_all(&label, edits, outcome.added, outcome.skipped);
            }
            Err(error) => self.status = Some(error.to_string()),
        }
    }

    fn report_tag_all(&mut self, label_name: &str, edits: Vec<crate::edit::Edit>, added: usize, skipped: usize) {
        let title = self.session.project().schema.label(label_name).map_or(label_name, |label| label.title.as_str()).to_owned();
        let tagged_already = if skipped > 0 { format!(" ({skipped} already tagged)") } else { String::new() };
        if edits.is_empty() {
            self.status = Some(format!("Nothing to tag{tagged_already}"));
            return;
        }
        let plural = if added == 1 { "" } else { "s" };
        self.apply(Transaction::new(format!("Tag {added} occurrence{plural} as {title}"), edits));
        self.status = Some(format!("Tagged {added} occurrence{plural} as {title}{tagged_already}"));
    }

    fn step_annotation(&mut self, direction: Direction) {
        let project = self.session.project();
        let Some(document) = self.view.document(project) else { return };
        let caret = self.view.text_selection.first().map_or_else(|| self.view.caret(document), |span| span.start);
        match navigation::step_annotation(document, self.view.selected.as_ref(), caret, direction) {
            Some(annotation) => {
                let (id, start) = (annotation.id.clone(), annotation.extent().map_or(0, |extent| extent.start));
                self.view.text_selection.clear();
                self.select(Some(id));
                self.view.reveal(start);
            }
            None => self.status = Some("No more annotations".into()),
        }
    }

    fn step_sentence(&mut self, direction: Direction) {
        let project = self.session.project();
        let Some(document) = self.view.document(project) else { return };
        let caret = match direction {
            Direction::Forward => self.view.caret(document),
            Direction::Backward => self.view.text_selection.first().map_or_else(|| self.view.caret(document), |span| span.start),
        };
        match navigation::untagged_sentence(document, caret, direction) {
            Some(sentence) => {
                self.select(None);
                self.view.text_selection = vec![sentence];
                self.view.reveal(sentence.start);
            }
            None => self.status = Some("No untagged sentence that way".into()),
        }
    }

    /// Changes the text selection with `reshape`; with nothing selected, selects the word at the
    /// caret first.
    fn reshape_selection(&mut self, reshape: fn(&crate::text::DocumentText, Span) -> Span) {
        let project = self.session.project();
        let Some(document) = self.view.document(project) else { return };
        let selection = match self.view.text_selection.as_slice() {
            [] => navigation::word_at_or_after(&document.text, self.view.caret(document)),
            [.., last] => {
                let first = self.view.text_selection.first().copied().unwrap_or(*last);
                Some(reshape(&document.text, Span::new(first.start, last.end)))
            }
        };
        if let Some(selection) = selection {
            self.select(None);
            self.view.text_selection = vec![selection];
            self.view.reveal(selection.end.saturating_sub(1));
        }
    }
}

fn direction(forward: bool) -> Direction {
    if forward { Direction::Forward } else { Direction::Backward }
}

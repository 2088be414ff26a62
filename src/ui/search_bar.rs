//! The search bar (Ctrl+F): a query over the shown document or every document, its hits listed
//! and highlighted in the article, and "tag all" to label every hit at once.

use crate::app::Action;
use crate::model::{Project, Span};
use crate::search::{Hit, Query};

/// Most hits listed under the bar; all of them are highlighted and tagged.
const LISTED_HITS: usize = 2_000;

/// The search bar's state: runtime only, never saved.
#[derive(Default)]
pub struct SearchBar {
    /// Whether the bar is shown.
    pub open: bool,
    /// What to look for.
    pub query: Query,
    /// Whether to search every document rather than the shown one.
    pub whole_project: bool,
    /// The label "tag all" applies.
    pub label: Option<String>,
    /// The hit last gone to, as an index into the hits.
    pub current: Option<usize>,
    /// Whether the query field takes the keyboard focus on the next frame.
    focus_requested: bool,
    results: Option<Results>,
}

/// The hits of one query, with what they were computed for.
struct Results {
    key: ResultsKey,
    hits: Result<Vec<Hit>, String>,
}

/// What the hits depend on: the query, the scope and the texts (which only change when documents
/// are added or removed).
#[derive(Clone, Debug, PartialEq, Eq)]
struct ResultsKey {
    query: Query,
    scope: Option<usize>,
    documents: usize,
    characters: usize,
}

impl SearchBar {
    /// Shows the bar with the keyboard in its field, searching for `pattern` if given.
    pub fn open_with(&mut self, pattern: Option<String>) {
        self.open = true;
        self.focus_requested = true;
        if let Some(pattern) = pattern {
            self.query.pattern = pattern;
            self.current = None;
        }
    }

    /// Hides the bar and its highlights.
    pub fn close(&mut self) {
        self.open = false;
        self.current = None;
    }

    /// Searches again if the query, the scope or the documents changed since the last search.
    pub fn refresh(&mut self, project: &Project, shown_document: usize) {
        if !self.open {
            return;
        }
        let key = ResultsKey {
            query: self.query.clone(),
            scope: (!self.whole_project).then_some(shown_document),
            documents: project.documents.len(),
            characters: project.documents.iter().map(|document| document.text.as_str().len()).sum(),
        };
        if self.results.as_ref().is_some_and(|results| results.key == key) {
            return;
        }
        let hits = self.query.compile().map_err(|error| error.to_string()).map(|matcher| {
            let Some(matcher) = matcher else { return Vec::new() };
            match key.scope {
                Some(index) => project.documents.get(index).map_or_else(Vec::new, |document| {
                    matcher.find_in(&document.text).into_iter().map(|span| Hit { document_index: index, span }).collect()
                }),
                None => matcher.find_in_project(project),
            }
        });
        self.current = None;
        self.results = Some(Results { key, hits });
    }

    /// Every hit of the last search, document after document; none while the bar is closed.
    pub fn hits(&self) -> &[Hit] {
        match &self.results {
            Some(Results { hits: Ok(hits), .. }) if self.open => hits,
            _ => &[],
        }
    }

    /// The hits in document `document_index`, in order.
    pub fn hits_in(&self, document_index: usize) -> &[Hit] {
        let hits = self.hits();
        let start = hits.partition_point(|hit| hit.document_index < document_index);
        let end = hits.partition_point(|hit| hit.document_index <= document_index);
        hits.get(start..end).unwrap_or_default()
    }

    /// The hit last gone to.
    pub fn current_hit(&self) -> Option<Hit> {
        self.current.and_then(|index| self.hits().get(index).copied())
    }

    /// The hit after (or before) the current one, wrapping around; without a current hit, the
    /// first one at or after `caret` in the shown document.
    pub fn step(&mut self, forward: bool, shown_document: usize, caret: usize) -> Option<Hit> {
        let count = self.hits().len();
        if count == 0 {
            return None;
        }
        let index = match self.current {
            Some(current) if forward => (current + 1) % count,
            Some(current) => (current + count - 1) % count,
            None => {
                let here = self.hits().partition_point(|hit| (hit.document_index, hit.span.start) < (shown_document, caret));
                if forward { here % count } else { (here + count - 1) % count }
            }
        };
        self.current = Some(index);
        self.hits().get(index).copied()
    }
}

/// Draws the bar and its list of hits.
pub fn search_bar_ui(ui: &mut egui::Ui, bar: &mut SearchBar, project: &Project, shown_document: usize, actions: &mut Vec<Action>) {
    bar.refresh(project, shown_document);
    ui.add_space(4.0);
    ui.horizontal(|ui| query_row_ui(ui, bar, actions));
    let error = match &bar.results {
        Some(Results { hits: Err(error), .. }) => Some(error.clone()),
        _ => None,
    };
    if let Some(error) = error {
        ui.colored_label(ui.visuals().error_fg_color, error);
        ui.add_space(4.0);
        return;
    }
    if bar.query.pattern.is_empty() {
        ui.add_space(4.0);
        return;
    }
    ui.horizontal(|ui| tag_all_row_ui(ui, bar, project, actions));
    hit_list_ui(ui, bar, project, actions);
    ui.add_space(4.0);
}

fn query_row_ui(ui: &mut egui::Ui, bar: &mut SearchBar, actions: &mut Vec<Action>) {
    let field = egui::TextEdit::singleline(&mut bar.query.pattern)
        .hint_text(if bar.query.regex { "Regular expression" } else { "Find" })
        .desired_width(220.0)
        .id_salt("search query");
    let response = ui.add(field).accessible_name("Find");
    if std::mem::take(&mut bar.focus_requested) {
        response.request_focus();
    }
    if response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
        let backward = ui.input(|input| input.modifiers.shift);
        actions.push(Action::Run(if backward { crate::app::Command::FindPrevious } else { crate::app::Command::FindNext }));
        response.request_focus();
    }
    if response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Escape)) {
        bar.close();
    }
    ui.toggle_value(&mut bar.query.case_sensitive, "Aa").on_hover_text("Match case");
    ui.toggle_value(&mut bar.query.whole_word, "ab|").on_hover_text("Whole words only");
    ui.toggle_value(&mut bar.query.regex, ".*").on_hover_text("Regular expression (Rust regex syntax)");
    egui::ComboBox::from_id_salt("search scope")
        .selected_text(if bar.whole_project { "All documents" } else { "This document" })
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut bar.whole_project, false, "This document");
            ui.selectable_value(&mut bar.whole_project, true, "All documents");
        })
        .response
        .accessible_name("Search in");
    let count = bar.hits().len();
    let position = match bar.current {
        Some(index) if count > 0 => format!("{} of {count}", index + 1),
        _ if bar.query.pattern.is_empty() => String::new(),
        _ => format!("{count} hit{}", if count == 1 { "" } else { "s" }),
    };
    ui.label(position);
    if ui.add_enabled(count > 0, egui::Button::new("Previous")).on_hover_text("Previous hit (Shift+F3)").clicked() {
        actions.push(Action::Run(crate::app::Command::FindPrevious));
    }
    if ui.add_enabled(count > 0, egui::Button::new("Next")).on_hover_text("Next hit (F3)").clicked() {
        actions.push(Action::Run(crate::app::Command::FindNext));
    }
    if ui.button("Close").on_hover_text("Close the search bar (Esc)").clicked() {
        bar.close();
    }
}

fn tag_all_row_ui(ui: &mut egui::Ui, bar: &mut SearchBar, project: &Project, actions: &mut Vec<Action>) {
    let span_labels: Vec<_> = project.schema.labels.iter().filter(|label| label.kind.has_spans()).collect();
    if bar.label.as_ref().is_none_or(|name| project.schema.label(name).is_none()) {
        bar.label = span_labels.first().map(|label| label.name.clone());
    }
    let count = bar.hits().len();
    ui.label("Tag all hits as");
    let title = bar.label.as_deref().and_then(|name| project.schema.label(name)).map_or("", |label| label.title.as_str());
    egui::ComboBox::from_id_salt("tag all label")
        .selected_text(title)
        .show_ui(ui, |ui| {
            for label in &span_labels {
                ui.selectable_value(&mut bar.label, Some(label.name.clone()), label.title.as_str());
            }
        })
        .response
        .accessible_name("Label for the hits");
    let button = egui::Button::new(format!("Tag {count}"));
    let hint =
        "Tags every hit with the label as one edit (Ctrl+Z undoes it); hits already tagged with a label of the same kind are skipped";
    if ui.add_enabled(count > 0 && bar.label.is_some(), button).on_hover_text(hint).clicked()
        && let Some(label) = bar.label.clone()
    {
        actions.push(Action::TagHits { label });
    }
}

fn hit_list_ui(ui: &mut egui::Ui, bar: &mut SearchBar, project: &Project, actions: &mut Vec<Action>) {
    let hits = bar.hits();
    if hits.is_empty() {
        return;
    }
    let shown = hits.len().min(LISTED_HITS);
    let current = bar.current;
    egui::CollapsingHeader::new(format!("Hits ({})", hits.len())).id_salt("search hits").default_open(true).show(ui, |ui| {
        let row_height = super::list_row_height(ui);
        egui::ScrollArea::vertical().id_salt("search hit list").max_height(140.0).auto_shrink([false, true]).show_rows(
            ui,
            row_height,
            shown,
            |ui, rows| {
                for index in rows {
                    let Some(hit) = hits.get(index) else { continue };
                    let Some(document) = project.documents.get(hit.document_index) else { continue };
                    let mut text = context_snippet(&document.text, hit.span);
                    if bar.whole_project {
                        text = format!("{} · {text}", super::ellipsize(&document.title, 24));
                    }
                    let button = egui::Button::selectable(current == Some(index), text).min_size(egui::vec2(ui.available_width(), 0.0));
                    if ui.add(button).clicked() {
                        actions.push(Action::ShowHit(index));
                    }
                }
            },
        );
        if hits.len() > shown {
            ui.weak(format!("The first {shown} hits are listed; all of them are highlighted and tagged."));
        }
    });
}

/// A hit with a little of the text around it, on one line: `…the head of [Pakistan’s] spy…`.
fn context_snippet(text: &crate::text::DocumentText, span: Span) -> String {
    const AROUND: usize = 30;
    let before = text.slice(Span::new(span.start.saturating_sub(AROUND), span.start));
    let after = text.slice(Span::new(span.end, span.end + AROUND));
    let one_line = |part: &str| part.replace(['\n', '\r'], " ");
    format!("…{}[{}]{}…", one_line(before), one_line(text.slice(span)), one_line(after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::sample_project;

    #[test]
    fn hits_follow_the_query_and_scope_and_steps_wrap_around() {
        let mut project = sample_project();
        let mut copy = project.documents[0].clone();
        copy.id = crate::model::DocumentId("copy".into());
        project.documents.push(copy);
        let mut bar = SearchBar::default();
        bar.open_with(Some("Taliban".into()));
        bar.refresh(&project, 1);
        let in_one = bar.hits().len();
        assert!(in_one > 3 && bar.hits().iter().all(|hit| hit.document_index == 1));
        bar.whole_project = true;
        bar.refresh(&project, 1);
        assert_eq!(bar.hits().len(), 2 * in_one);
        assert_eq!(bar.hits_in(0).len(), in_one);

        let first_in_second = bar.step(true, 1, 0).expect("a hit");
        assert_eq!((first_in_second.document_index, bar.current), (1, Some(in_one)), "starts at the caret");
        let last = bar.step(false, 1, 0).expect("a hit");
        assert_eq!(last.document_index, 0);
        bar.current = Some(2 * in_one - 1);
        assert_eq!(bar.step(true, 0, 0).map(|hit| hit.document_index), Some(0), "wraps to the first");
        assert_eq!(bar.current, Some(0));
    }

    #[test]
    fn a_bad_pattern_shows_an_error_and_no_hits() {
        let project = sample_project();
        let mut bar = SearchBar { query: Query { pattern: "Khan(".into(), regex: true, ..Query::default() }, ..SearchBar::default() };
        bar.open_with(None);
        bar.refresh(&project, 0);
        assert!(bar.hits().is_empty());
        assert!(matches!(&bar.results, Some(Results { hits: Err(error), .. }) if error.contains("unclosed")));
    }

    #[test]
    fn snippets_show_the_hit_in_its_line() {
        let text = crate::text::DocumentText::new("first line\nthe head of Pakistan’s spy agency");
        assert_eq!(context_snippet(&text, Span::new(23, 33)), "…first line the head of [Pakistan’s] spy agency…");
    }
}

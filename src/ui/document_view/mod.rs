//! The article: wrapped, readable text with every annotation drawn on it, and the gestures that
//! select text, select annotations and pick relation targets.
//!
//! How annotations look, so kinds are told apart at a glance:
//! - **entities** are tinted boxes behind the words, in the label's colour (a nested entity is a
//!   smaller box inside the outer one);
//! - **claims** are solid bands under the text with a tick at each end;
//! - **sentiments** are dashed bands under the text;
//! - **suggestions** of the pre-annotation rules, still pending, are dotted outlines without fill.
//!
//! Bands that overlap stack in lanes below the row. Only visible paragraphs are laid out and drawn.

mod highlights;
mod lanes;
mod layout;
mod spans;

use std::sync::Arc;

use egui::{Galley, Pos2, Rect, Sense, Vec2};

pub use lanes::assign_lanes;
use layout::{Metrics, ParagraphLayout, layout_paragraph, range_rects};
use spans::Spans;
pub use spans::longest_extent;

use super::ViewState;
use super::style::{paper_color, reading_text_color};
use crate::app::Action;
use crate::edit::ops;
use crate::model::{Annotation, AnnotationId, Document, Kind, Project, RelationTarget, Span, Suggestion};

/// Widest the text column grows, in points: longer lines are hard to read.
const MAX_READING_WIDTH: f32 = 720.0;
/// Space around the text column.
const MARGIN: f32 = 32.0;

/// A paragraph drawn this frame: where, and its galley, for hit-testing.
struct VisibleParagraph {
    chars: Span,
    origin: Pos2,
    galley: Arc<Galley>,
}

/// A drag selection in progress.
struct Drag {
    /// Where the drag started, in code points.
    anchor: usize,
    /// Fragments selected before a Ctrl-drag that adds to them.
    kept: Vec<Span>,
}

/// What a document view shows: a document's annotations, and maybe a colleague's beside them.
pub struct Sheet<'a> {
    /// The document; its annotations are drawn normally.
    pub document: &'a Document,
    /// A colleague's annotations of the same text, drawn as dashed outlines (read-only).
    pub ghosts: &'a [Annotation],
    /// Whether the sheet only shows (a colleague's version): no selection, clicks pick pairs.
    pub read_only: bool,
    /// A number that changes whenever the document's annotations change (the history's
    /// revision), so derived data is computed again only then.
    pub revision: u64,
}

/// The document panel's runtime state: layout caches and the gesture in progress.
#[derive(Default)]
pub struct DocumentView {
    layout: ParagraphLayout,
    visible: Vec<VisibleParagraph>,
    drag: Option<Drag>,
    /// The last [`super::Reveal`] scrolled to.
    revealed: u64,
    /// The longest extent of the sheet's annotations and of its ghosts, with what they were
    /// computed for.
    longest: [(Option<ListKey>, usize); 2],
}

/// Identifies one version of a list of annotations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ListKey {
    address: usize,
    len: usize,
    revision: u64,
}

impl DocumentView {
    /// The sheet's annotations and ghosts, ready for range queries.
    fn spans<'s>(&mut self, sheet: &Sheet<'s>) -> (Spans<'s>, Spans<'s>) {
        let mut cached = |slot: usize, annotations: &'s [Annotation]| {
            let key = ListKey { address: annotations.as_ptr() as usize, len: annotations.len(), revision: sheet.revision };
            let (cached_key, longest) = &mut self.longest[slot];
            if *cached_key != Some(key) {
                *cached_key = Some(key);
                *longest = longest_extent(annotations);
            }
            Spans::new(annotations, *longest)
        };
        (cached(0, &sheet.document.annotations), cached(1, sheet.ghosts))
    }
}

impl DocumentView {
    /// Draws a sheet and handles its gestures.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        sheet: &Sheet<'_>,
        view: &mut ViewState,
        font_size: f32,
        actions: &mut Vec<Action>,
    ) {
        let document = sheet.document;
        let (spans, ghosts) = self.spans(sheet);
        let metrics = Metrics::new(ui, font_size);
        let available = ui.available_width();
        let width = (available - 2.0 * MARGIN).clamp(120.0, MAX_READING_WIDTH);
        let paragraphs = document.text.paragraphs();
        self.layout.prepare(&document.id, paragraphs, width, &metrics);

        let reveal = view.reveal.filter(|reveal| reveal.serial != self.revealed);
        let scroll_id = if sheet.read_only { "their document" } else { "document" };
        egui::ScrollArea::vertical().id_salt(scroll_id).auto_shrink(false).show_viewport(ui, |ui, viewport| {
            let height = self.layout.total_height() + 2.0 * MARGIN;
            let (content, response) = ui.allocate_exact_size(Vec2::new(available, height), Sense::click_and_drag());
            let response =
                response.on_hover_cursor(if view.picking.is_some() { egui::CursorIcon::Crosshair } else { egui::CursorIcon::Text });
            let name = if sheet.read_only { "Colleague's article text" } else { "Article text" };
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, name));
            let column_left = content.left() + ((available - width) / 2.0).max(MARGIN);
            let column = Rect::from_min_size(Pos2::new(column_left, content.top() + MARGIN), Vec2::new(width, self.layout.total_height()));
            ui.painter().rect_filled(column.expand2(Vec2::new(MARGIN * 0.75, MARGIN * 0.5)), 4.0, paper_color(ui.visuals()));

            self.lay_out_visible(ui, document, &metrics, width, column.min, viewport.translate(content.min.to_vec2()));
            if let Some(reveal) = reveal {
                self.revealed = reveal.serial;
                let top = column.top() + self.layout.top(layout_paragraph_of(document, reveal.offset));
                ui.scroll_to_rect(
                    Rect::from_min_size(Pos2::new(column.left(), top), Vec2::new(width, metrics.row_pitch)),
                    Some(egui::Align::Center),
                );
            }
            let hover_offset = response.hover_pos().and_then(|pos| self.offset_at(pos));
            let hovered = hover_offset.and_then(|offset| spans.innermost_at(offset));
            self.paint(ui, project, sheet, (spans, ghosts), view, &metrics, hovered.map(|a| &a.id));
            if sheet.read_only {
                self.pick_theirs(&response, spans, actions);
            } else {
                self.handle_pointer(ui, &response, project, sheet, (spans, ghosts), view, actions);
            }
            if self.drag.is_none()
                && let Some(offset) = hover_offset
            {
                hover_tooltip(&response, project, sheet, (spans, ghosts), offset);
            }
        });
        if self.layout.refresh_tops() {
            ui.ctx().request_repaint();
        }
    }

    /// Lays out the paragraphs inside `visible` (screen coordinates) and remembers where they are.
    fn lay_out_visible(&mut self, ui: &egui::Ui, document: &Document, metrics: &Metrics, width: f32, origin: Pos2, visible: Rect) {
        self.visible.clear();
        let paragraphs = document.text.paragraphs();
        let color = reading_text_color(ui.visuals());
        let mut index = self.layout.paragraph_at_y(visible.top() - origin.y);
        while let Some(paragraph) = paragraphs.get(index) {
            let top = origin.y + self.layout.top(index);
            if top > visible.bottom() {
                break;
            }
            if !paragraph.chars.is_empty() {
                let text = document.text.as_str().get(paragraph.bytes.clone()).unwrap_or_default();
                let galley = layout_paragraph(ui, text, metrics, width, color);
                self.layout.set_height(index, galley.rect.height() + metrics.row_pitch * 0.35);
                self.visible.push(VisibleParagraph { chars: paragraph.chars, origin: Pos2::new(origin.x, top), galley });
            }
            index += 1;
        }
    }

    /// The code-point offset under a screen position: the boundary nearest to it.
    fn offset_at(&self, pos: Pos2) -> Option<usize> {
        let paragraph = self.visible.iter().find(|p| pos.y < p.origin.y + p.galley.rect.height()).or_else(|| self.visible.last())?;
        let cursor = paragraph.galley.cursor_from_pos(pos - paragraph.origin);
        Some(paragraph.chars.start + cursor.index.0.min(paragraph.chars.len()))
    }

    /// The innermost annotation under a screen position, as a click there would select it
    /// (hit-testing against the last frame's layout).
    pub fn annotation_at<'d>(&self, document: &'d Document, longest: usize, pos: Pos2) -> Option<&'d Annotation> {
        self.offset_at(pos).and_then(|offset| Spans::new(&document.annotations, longest).innermost_at(offset))
    }

    /// The screen rectangle of the character at `offset`, if it was drawn in the last frame.
    pub fn char_rect(&self, offset: usize) -> Option<Rect> {
        let paragraph = self.visible.iter().find(|p| p.chars.contains(offset))?;
        let local = offset - paragraph.chars.start;
        range_rects(&paragraph.galley, local, local + 1).first().map(|rect| rect.translate(paragraph.origin.to_vec2()))
    }

    #[allow(clippy::too_many_arguments)]
    fn paint(
        &self,
        ui: &egui::Ui,
        project: &Project,
        sheet: &Sheet<'_>,
        (spans, ghost_spans): (Spans<'_>, Spans<'_>),
        view: &ViewState,
        metrics: &Metrics,
        hovered: Option<&AnnotationId>,
    ) {
        let painter = ui.painter();
        let dark_mode = ui.visuals().dark_mode;
        let selected = if sheet.read_only { view.compared.as_ref() } else { view.selected.as_ref() };
        // The pending suggestions on screen, found in one pass a frame rather than one per paragraph.
        let on_screen = match (self.visible.first(), self.visible.last()) {
            (Some(first), Some(last)) => Span::new(first.chars.start, last.chars.end),
            _ => Span::default(),
        };
        let suggested: Vec<&Suggestion> = if sheet.read_only {
            Vec::new()
        } else {
            sheet.document.pending_suggestions().filter(|suggestion| suggestion.span.overlaps(on_screen)).collect()
        };
        let hits = view.search.hits_in(view.document_index);
        let current_hit = view.search.current_hit().filter(|hit| hit.document_index == view.document_index).map(|hit| hit.span);
        for paragraph in &self.visible {
            let here: Vec<&Annotation> = spans.overlapping(paragraph.chars).collect();
            let ghosts: Vec<&Annotation> = ghost_spans.overlapping(paragraph.chars).collect();
            let context = highlights::Context {
                painter,
                schema: &project.schema,
                galley: &paragraph.galley,
                origin: paragraph.origin,
                paragraph: paragraph.chars,
                metrics,
                dark_mode,
                selected,
                hovered,
                text_color: reading_text_color(ui.visuals()),
                selection_color: ui.visuals().selection.bg_fill,
            };
            if !sheet.read_only {
                let first = hits.partition_point(|hit| hit.span.end <= paragraph.chars.start);
                let hits_here: Vec<Span> = hits
                    .get(first..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|hit| hit.span.start < paragraph.chars.end)
                    .map(|hit| hit.span)
                    .collect();
                context.search_hits(&hits_here, current_hit);
            }
            context.entity_boxes(&here);
            painter.galley(paragraph.origin, paragraph.galley.clone(), reading_text_color(ui.visuals()));
            context.bands(&here);
            context.ghost_outlines(&ghosts, view.compared.as_ref());
            if !sheet.read_only {
                let suggested_here: Vec<&Suggestion> =
                    suggested.iter().copied().filter(|suggestion| suggestion.span.overlaps(paragraph.chars)).collect();
                context.suggestion_outlines(&suggested_here);
                context.text_selection(&view.text_selection);
            }
        }
    }

    /// In a colleague's read-only sheet, a click picks the pair of their annotation under it.
    fn pick_theirs(&self, response: &egui::Response, spans: Spans<'_>, actions: &mut Vec<Action>) {
        if response.clicked() {
            let offset = response.interact_pointer_pos().and_then(|pos| self.offset_at(pos));
            if let Some(theirs) = offset.and_then(|offset| spans.innermost_at(offset)) {
                actions.push(Action::SelectTheirs(theirs.id.clone()));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn handle_pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        project: &Project,
        sheet: &Sheet<'_>,
        (spans, ghost_spans): (Spans<'_>, Spans<'_>),
        view: &mut ViewState,
        actions: &mut Vec<Action>,
    ) {
        let document = sheet.document;
        let modifiers = ui.input(|input| input.modifiers);
        if response.drag_started() {
            let anchor = ui.input(|input| input.pointer.press_origin()).and_then(|pos| self.offset_at(pos));
            if let Some(anchor) = anchor {
                let kept = if modifiers.command { std::mem::take(&mut view.text_selection) } else { Vec::new() };
                self.drag = Some(Drag { anchor, kept });
                view.selected = None;
                view.picking = None;
            }
        }
        if let Some(drag) = &self.drag
            && let Some(offset) = response.interact_pointer_pos().and_then(|pos| self.offset_at(pos))
        {
            let raw = Span::new(drag.anchor, offset);
            let span = if modifiers.alt { raw } else { document.text.snap_to_words(raw) };
            let mut fragments = drag.kept.clone();
            fragments.push(span);
            view.text_selection = ops::normalize_fragments(fragments);
        }
        if response.drag_stopped() {
            self.drag = None;
        }
        if response.double_clicked()
            && let Some(offset) = response.interact_pointer_pos().and_then(|pos| self.offset_at(pos))
        {
            let word = document.text.snap_to_words(Span::new(offset, offset + 1));
            view.text_selection = if word.is_empty() { Vec::new() } else { vec![word] };
            view.selected = None;
        } else if response.clicked() {
            let offset = response.interact_pointer_pos().and_then(|pos| self.offset_at(pos));
            let clicked = offset.and_then(|offset| spans.innermost_at(offset));
            let ghost = offset.and_then(|offset| ghost_spans.innermost_at(offset));
            match (&view.picking, clicked) {
                (Some(role), Some(target)) => {
                    let role = role.clone();
                    pick_relation_target(project, document, view, &role, target, actions);
                }
                (Some(_), None) => actions.push(Action::Status("Click an annotation to link it, or press Esc to cancel.".into())),
                (None, None) if ghost.is_some() => {
                    view.text_selection.clear();
                    actions.extend(ghost.map(|theirs| Action::SelectTheirs(theirs.id.clone())));
                }
                (None, clicked) => {
                    view.text_selection.clear();
                    actions.push(Action::Select(clicked.map(|annotation| annotation.id.clone())));
                }
            }
        }
    }
}

/// The paragraph holding `offset`.
fn layout_paragraph_of(document: &Document, offset: usize) -> usize {
    crate::text::paragraph_at(document.text.paragraphs(), offset)
}

/// Links the selected annotation's relation `role` to `target`, if the schema allows it.
fn pick_relation_target(
    project: &Project,
    document: &Document,
    view: &mut ViewState,
    role: &str,
    target: &Annotation,
    actions: &mut Vec<Action>,
) {
    let Some(source) = view.selected.as_ref().and_then(|id| document.annotation(id)) else {
        view.picking = None;
        return;
    };
    let definition = project.schema.label(&source.label).and_then(|label| label.relation(role));
    let allowed = definition.is_some_and(|definition| definition.target_kinds.contains(&target.kind)) && target.id != source.id;
    if !allowed {
        let title = definition.map_or(role, |definition| definition.title.as_str());
        actions.push(Action::Status(format!("A {} annotation cannot be the {title}.", target.kind.title())));
        return;
    }
    match ops::set_relation(project, &document.id, &source.id, role, Some(RelationTarget::Annotation(target.id.clone()))) {
        Ok(transaction) => actions.push(Action::Apply { transaction, select: Some(source.id.clone()) }),
        Err(error) => actions.push(Action::Status(error.to_string())),
    }
    view.picking = None;
}

/// A tooltip listing the annotations under the pointer with their attributes and relations.
fn hover_tooltip(
    response: &egui::Response,
    project: &Project,
    sheet: &Sheet<'_>,
    (spans, ghost_spans): (Spans<'_>, Spans<'_>),
    offset: usize,
) {
    let covering = spans.at(offset);
    let ghosts = ghost_spans.at(offset);
    let suggested: Vec<&Suggestion> = if sheet.read_only {
        Vec::new()
    } else {
        sheet.document.pending_suggestions().filter(|suggestion| suggestion.span.contains(offset)).collect()
    };
    if covering.is_empty() && ghosts.is_empty() && suggested.is_empty() {
        return;
    }
    response.clone().on_hover_ui_at_pointer(|ui| {
        ui.set_max_width(360.0);
        for (index, annotation) in covering.iter().enumerate() {
            if index > 0 {
                ui.separator();
            }
            super::annotation_summary_ui(ui, project, sheet.document, annotation);
        }
        for annotation in ghosts {
            ui.separator();
            ui.weak(format!("{}'s version", annotation.author));
            let theirs = Document { annotations: sheet.ghosts.to_vec(), ..sheet.document.clone() };
            super::annotation_summary_ui(ui, project, &theirs, annotation);
        }
        for suggestion in suggested {
            ui.separator();
            let title = project.schema.label(&suggestion.label).map_or(suggestion.label.as_str(), |label| label.title.as_str());
            ui.strong(format!("Suggested: {title}"));
            ui.label(egui::RichText::new(format!("“{}”", super::ellipsize(sheet.document.text.slice(suggestion.span), 160))).italics());
            ui.weak(format!("From {}; accept or reject it in the Pre-annotation window", suggestion.source));
        }
    });
}

/// Which annotations kinds are drawn as underline bands rather than boxes.
fn is_band(kind: Kind) -> bool {
    matches!(kind, Kind::Claim | Kind::Sentiment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_tag_under_the_pointer_wins() {
        let mut project = Project::from_text("t", "The head of Pakistan’s intelligence service spoke.");
        let document_id = project.documents[0].id.clone();
        for (label, span) in [("CLAIM", Span::new(0, 50)), ("PER", Span::new(0, 43)), ("LOC", Span::new(12, 20))] {
            let (transaction, _) = ops::tag(&project, &document_id, label, vec![span], "t").expect("tag");
            transaction.apply(&mut project).expect("valid");
        }
        let document = &project.documents[0];
        let spans = Spans::new(&document.annotations, longest_extent(&document.annotations));
        let labels = |offset| spans.at(offset).iter().map(|a| a.label.as_str()).collect::<Vec<_>>();
        assert_eq!(labels(14), ["LOC", "PER", "CLAIM"]);
        assert_eq!(labels(2), ["PER", "CLAIM"]);
        assert_eq!(labels(45), ["CLAIM"]);
        assert!(labels(50).is_empty());
        assert_eq!(spans.overlapping(Span::new(44, 46)).count(), 1);
    }
}

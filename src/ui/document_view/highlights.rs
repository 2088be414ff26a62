//! Painting annotations on one laid-out paragraph: entity boxes under the text, claim and
//! sentiment bands below it, pending suggestions as dotted outlines, and the text selection.

use egui::{Color32, Galley, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};

use super::layout::{Metrics, VISIBLE_LANES, range_rects};
use super::{assign_lanes, is_band};
use crate::model::{Annotation, AnnotationId, Kind, Span, Suggestion};
use crate::schema::LabelSchema;
use crate::ui::style::{highlight_fill, label_color};

/// Everything needed to paint on one paragraph.
pub struct Context<'a> {
    pub painter: &'a Painter,
    pub schema: &'a LabelSchema,
    pub galley: &'a Galley,
    pub origin: Pos2,
    pub paragraph: Span,
    pub metrics: &'a Metrics,
    pub dark_mode: bool,
    pub selected: Option<&'a AnnotationId>,
    pub hovered: Option<&'a AnnotationId>,
    pub text_color: Color32,
    pub selection_color: Color32,
}

impl Context<'_> {
    /// Screen rectangles, one per row, of the part of `span` inside this paragraph.
    fn rects(&self, span: Span) -> Vec<Rect> {
        let start = span.start.max(self.paragraph.start) - self.paragraph.start;
        let end = span.end.min(self.paragraph.end).saturating_sub(self.paragraph.start);
        if start >= end {
            return Vec::new();
        }
        range_rects(self.galley, start, end).into_iter().map(|rect| rect.translate(self.origin.to_vec2())).collect()
    }

    fn color(&self, annotation: &Annotation) -> Color32 {
        self.schema.label(&annotation.label).map_or(Color32::GRAY, label_color)
    }

    fn emphasized(&self, annotation: &Annotation) -> bool {
        Some(&annotation.id) == self.selected || Some(&annotation.id) == self.hovered
    }

    /// Tinted boxes behind entities; an entity inside another is inset so both stay visible.
    pub fn entity_boxes(&self, annotations: &[&Annotation]) {
        let entities: Vec<&Annotation> = annotations.iter().copied().filter(|a| a.kind == Kind::Entity).collect();
        for entity in &entities {
            let Some(extent) = entity.extent() else { continue };
            let depth = entities
                .iter()
                .filter(|other| other.id != entity.id && other.extent().is_some_and(|outer| outer.contains_span(extent) && outer != extent))
                .count();
            let inset = (depth as f32 * 2.5).min(self.metrics.row_height * 0.3);
            let color = self.color(entity);
            let fill = highlight_fill(color, self.dark_mode, self.emphasized(entity));
            for fragment in &entity.fragments {
                for rect in self.rects(*fragment) {
                    let rect = rect.expand2(Vec2::new(1.5 - inset * 0.4, 1.0 - inset));
                    self.painter.rect_filled(rect, 3.0, fill);
                    self.painter.hline(rect.x_range(), rect.bottom() - 0.75, Stroke::new(1.5, color));
                    if Some(&entity.id) == self.selected {
                        self.painter.rect_stroke(rect.expand(1.0), 3.0, Stroke::new(2.0, self.text_color), StrokeKind::Outside);
                    }
                }
            }
        }
    }

    /// Bands under the text for claims (solid, with end ticks) and sentiments (dashed).
    pub fn bands(&self, annotations: &[&Annotation]) {
        let banded: Vec<&Annotation> = annotations.iter().copied().filter(|a| is_band(a.kind)).collect();
        let extents: Vec<Span> = banded.iter().map(|a| a.extent().unwrap_or_default()).collect();
        let lanes = assign_lanes(&extents);
        for (annotation, lane) in banded.iter().zip(lanes) {
            let color = self.color(annotation);
            let emphasized = self.emphasized(annotation);
            let thickness = if emphasized { 3.5 } else { 2.0 };
            let lane = lane.min(VISIBLE_LANES - 1) as f32;
            for fragment in &annotation.fragments {
                let rects = self.rects(*fragment);
                for rect in &rects {
                    let y = rect.bottom() + 3.0 + lane * self.metrics.lane_pitch;
                    if annotation.kind == Kind::Claim {
                        self.painter.hline(rect.x_range(), y, Stroke::new(thickness, color));
                    } else {
                        let points = [Pos2::new(rect.left(), y), Pos2::new(rect.right(), y)];
                        self.painter.extend(Shape::dashed_line(&points, Stroke::new(thickness, color), 5.0, 3.0));
                    }
                    if emphasized {
                        self.painter.rect_filled(*rect, 2.0, highlight_fill(color, self.dark_mode, false).gamma_multiply(0.6));
                    }
                }
                if annotation.kind == Kind::Claim {
                    self.claim_ticks(*fragment, &rects, lane, color);
                }
            }
        }
    }

    /// Short vertical ticks where a claim fragment starts and ends, like brackets.
    fn claim_ticks(&self, fragment: Span, rects: &[Rect], lane: f32, color: Color32) {
        let stroke = Stroke::new(2.0, color);
        let lane_offset = 3.0 + lane * self.metrics.lane_pitch;
        if self.paragraph.contains(fragment.start)
            && let Some(first) = rects.first()
        {
            let bottom = first.bottom() + lane_offset;
            self.painter.vline(first.left(), (first.bottom() - first.height() * 0.35)..=bottom, stroke);
        }
        if fragment.end <= self.paragraph.end
            && let Some(last) = rects.last()
        {
            let bottom = last.bottom() + lane_offset;
            self.painter.vline(last.right(), (last.bottom() - last.height() * 0.35)..=bottom, stroke);
        }
    }

    /// A colleague's annotations, as dashed outlines in their label's colour, so they read as a
    /// layer apart from ours; the one under review is drawn thicker.
    pub fn ghost_outlines(&self, annotations: &[&Annotation], compared: Option<&AnnotationId>) {
        for annotation in annotations {
            let width = if Some(&annotation.id) == compared { 2.5 } else { 1.25 };
            let stroke = Stroke::new(width, self.color(annotation));
            for fragment in &annotation.fragments {
                for rect in self.rects(*fragment) {
                    let rect = rect.expand2(Vec2::new(2.5, 2.5));
                    let corners = [rect.left_top(), rect.right_top(), rect.right_bottom(), rect.left_bottom(), rect.left_top()];
                    self.painter.extend(Shape::dashed_line(&corners, stroke, 4.0, 3.0));
                }
            }
        }
    }

    /// Pending pre-annotation suggestions, as dotted outlines in their label's colour with no
    /// fill, so that they read as proposals, apart from annotations and colleagues' versions.
    pub fn suggestion_outlines(&self, suggestions: &[&Suggestion]) {
        for suggestion in suggestions {
            let color = self.schema.label(&suggestion.label).map_or(Color32::GRAY, label_color);
            for rect in self.rects(suggestion.span) {
                let rect = rect.expand2(Vec2::new(2.0, 1.5));
                let corners = [rect.left_top(), rect.right_top(), rect.right_bottom(), rect.left_bottom(), rect.left_top()];
                self.painter.extend(Shape::dotted_line(&corners, color, 3.0, 1.0));
            }
        }
    }

    /// The current text selection, as a translucent overlay with a border.
    pub fn text_selection(&self, fragments: &[Span]) {
        for fragment in fragments {
            for rect in self.rects(*fragment) {
                self.painter.rect_filled(rect, 2.0, self.selection_color.gamma_multiply(0.45));
                self.painter.rect_stroke(rect, 2.0, Stroke::new(1.0, self.selection_color), StrokeKind::Outside);
            }
        }
    }

    /// Search hits: an amber marker under the text, the current hit outlined.
    pub fn search_hits(&self, hits: &[Span], current: Option<Span>) {
        for &hit in hits {
            let is_current = Some(hit) == current;
            for rect in self.rects(hit) {
                let rect = rect.expand2(Vec2::new(1.0, 0.0));
                self.painter.rect_filled(rect, 2.0, search_hit_color(self.dark_mode).gamma_multiply(if is_current { 0.8 } else { 0.4 }));
                if is_current {
                    self.painter.rect_stroke(rect, 2.0, Stroke::new(1.5, search_hit_color(self.dark_mode)), StrokeKind::Outside);
                }
            }
        }
    }
}

/// The marker colour of search hits: amber, told apart from every label colour by its outline
/// and its place under the entity boxes.
fn search_hit_color(dark_mode: bool) -> Color32 {
    if dark_mode { Color32::from_rgb(214, 160, 30) } else { Color32::from_rgb(255, 196, 0) }
}

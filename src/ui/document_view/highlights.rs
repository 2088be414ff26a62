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
        // A box and an underline per entity on most rows.
        let mut quads = Quads::with_capacity(2 * entities.len());
        let mut outlines = Vec::new();
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
                    quads.rect(rect, fill);
                    quads.hline(rect.x_range(), rect.bottom() - 0.75, 1.5, color);
                    if Some(&entity.id) == self.selected {
                        outlines.push(Shape::rect_stroke(rect.expand(1.0), 3.0, Stroke::new(2.0, self.text_color), StrokeKind::Outside));
                    }
                }
            }
        }
        self.painter.add(quads.into_shape());
        self.painter.extend(outlines);
    }

    /// Bands under the text for claims (solid, with end ticks) and sentiments (dashed).
    pub fn bands(&self, annotations: &[&Annotation]) {
        let banded: Vec<&Annotation> = annotations.iter().copied().filter(|a| is_band(a.kind)).collect();
        let extents: Vec<Span> = banded.iter().map(|a| a.extent().unwrap_or_default()).collect();
        let lanes = assign_lanes(&extents);
        // A band and two ticks per claim, a dozen dashes per sentiment on most rows.
        let mut quads = Quads::with_capacity(12 * banded.len());
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
                        quads.hline(rect.x_range(), y, thickness, color);
                    } else {
                        quads.dashed_hline(rect.x_range(), y, thickness, color);
                    }
                    if emphasized {
                        quads.rect(*rect, highlight_fill(color, self.dark_mode, false).gamma_multiply(0.6));
                    }
                }
                if annotation.kind == Kind::Claim {
                    self.claim_ticks(&mut quads, *fragment, &rects, lane, color);
                }
            }
        }
        self.painter.add(quads.into_shape());
    }

    /// Short vertical ticks where a claim fragment starts and ends, like brackets.
    fn claim_ticks(&self, quads: &mut Quads, fragment: Span, rects: &[Rect], lane: f32, color: Color32) {
        let lane_offset = 3.0 + lane * self.metrics.lane_pitch;
        if self.paragraph.contains(fragment.start)
            && let Some(first) = rects.first()
        {
            let bottom = first.bottom() + lane_offset;
            quads.vline(first.left(), (first.bottom() - first.height() * 0.35)..=bottom, 2.0, color);
        }
        if fragment.end <= self.paragraph.end
            && let Some(last) = rects.last()
        {
            let bottom = last.bottom() + lane_offset;
            quads.vline(last.right(), (last.bottom() - last.height() * 0.35)..=bottom, 2.0, color);
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

/// Filled axis-aligned rectangles gathered into one mesh: a paragraph's highlights are hundreds
/// of boxes and strokes, and one mesh of plain quads costs the tessellator a copy, whereas as many
/// anti-aliased shapes cost it a path each. Box edges fall on the text's own pixel grid, so they
/// need no anti-aliasing.
struct Quads {
    mesh: egui::Mesh,
}

impl Quads {
    fn with_capacity(rects: usize) -> Self {
        let mut mesh = egui::Mesh::default();
        mesh.reserve_vertices(4 * rects);
        mesh.reserve_triangles(2 * rects);
        Self { mesh }
    }

    fn rect(&mut self, rect: Rect, color: Color32) {
        self.mesh.add_colored_rect(rect, color);
    }

    /// A horizontal line `thickness` thick centred on `y`.
    fn hline(&mut self, x: egui::Rangef, y: f32, thickness: f32, color: Color32) {
        self.rect(Rect::from_x_y_ranges(x, (y - thickness / 2.0)..=(y + thickness / 2.0)), color);
    }

    /// A vertical line `thickness` thick centred on `x`.
    fn vline(&mut self, x: f32, y: std::ops::RangeInclusive<f32>, thickness: f32, color: Color32) {
        self.rect(Rect::from_x_y_ranges((x - thickness / 2.0)..=(x + thickness / 2.0), y), color);
    }

    /// A dashed horizontal line: 5-point dashes with 3-point gaps.
    fn dashed_hline(&mut self, x: egui::Rangef, y: f32, thickness: f32, color: Color32) {
        const DASH: f32 = 5.0;
        const GAP: f32 = 3.0;
        let mut left = x.min;
        while left < x.max {
            let right = (left + DASH).min(x.max);
            self.hline(egui::Rangef::new(left, right), y, thickness, color);
            left += DASH + GAP;
        }
    }

    fn into_shape(self) -> Shape {
        Shape::mesh(self.mesh)
    }
}

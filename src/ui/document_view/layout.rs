//! Laying out the article one paragraph at a time, only where it is visible.
//!
//! Each paragraph is its own galley, wrapped to the reading width. Paragraphs not yet laid out
//! have an estimated height; once laid out, the measured height replaces it. The tops of all
//! paragraphs are prefix sums, so finding what is visible for a scroll offset is a binary search.

use std::sync::Arc;

use egui::{Galley, Pos2, Rect, Vec2, text::CharIndex};

use crate::model::DocumentId;
use crate::text::Paragraph;

/// The font size and spacing the article is drawn with.
#[derive(Clone, Debug)]
pub struct Metrics {
    /// The article's font.
    pub font_id: egui::FontId,
    /// Height of a row of text in that font.
    pub row_height: f32,
    /// Distance between consecutive underline lanes.
    pub lane_pitch: f32,
    /// Distance from one row's top to the next row's top.
    pub row_pitch: f32,
    /// Height of an empty line.
    pub empty_line_height: f32,
}

/// How many underline lanes fit below a row before bands are drawn on top of each other.
pub const VISIBLE_LANES: usize = 3;

impl Metrics {
    /// The metrics for the article font at `font_size` points.
    pub fn new(ui: &egui::Ui, font_size: f32) -> Self {
        let font_id = egui::FontId::new(font_size, egui::FontFamily::Name(crate::ui::style::ARTICLE_FONT.into()));
        let row_height = ui.fonts_mut(|fonts| fonts.row_height(&font_id));
        let lane_pitch = (font_size * 0.2).clamp(3.0, 5.0);
        let lane_space = 3.0 + lane_pitch * VISIBLE_LANES as f32;
        let row_pitch = row_height + lane_space + (font_size * 0.2).round();
        Self { font_id, row_height, lane_pitch, row_pitch, empty_line_height: (row_pitch * 0.5).round() }
    }
}

/// What the cached heights were computed for; a change invalidates them.
#[derive(Clone, Debug, PartialEq)]
struct LayoutKey {
    document_id: DocumentId,
    paragraph_count: usize,
    width: f32,
    row_pitch: f32,
}

/// Heights and positions of all paragraphs of the shown document.
#[derive(Default)]
pub struct ParagraphLayout {
    key: Option<LayoutKey>,
    heights: Vec<f32>,
    /// `tops[i]` is the top of paragraph `i`; one more entry holds the total height.
    tops: Vec<f32>,
    tops_stale: bool,
}

impl ParagraphLayout {
    /// Makes sure the cache fits this document, width and font; estimates every height if not.
    pub fn prepare(&mut self, document_id: &DocumentId, paragraphs: &[Paragraph], width: f32, metrics: &Metrics) {
        let key = LayoutKey { document_id: document_id.clone(), paragraph_count: paragraphs.len(), width, row_pitch: metrics.row_pitch };
        if self.key.as_ref() == Some(&key) {
            return;
        }
        // Average glyph width of proportional text is about half the font size.
        let chars_per_row = (width / (metrics.font_id.size * 0.48)).max(1.0);
        self.heights = paragraphs
            .iter()
            .map(|paragraph| {
                if paragraph.chars.is_empty() {
                    metrics.empty_line_height
                } else {
                    (paragraph.chars.len() as f32 / chars_per_row).ceil() * metrics.row_pitch
                }
            })
            .collect();
        self.key = Some(key);
        self.tops_stale = true;
        self.refresh_tops();
    }

    /// Records the measured height of paragraph `index`.
    pub fn set_height(&mut self, index: usize, height: f32) {
        if let Some(slot) = self.heights.get_mut(index)
            && (*slot - height).abs() > 0.5
        {
            *slot = height;
            self.tops_stale = true;
        }
    }

    /// Recomputes the paragraph tops after heights changed; returns whether anything moved.
    pub fn refresh_tops(&mut self) -> bool {
        if !self.tops_stale {
            return false;
        }
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut top = 0.0;
        for height in &self.heights {
            self.tops.push(top);
            top += height;
        }
        self.tops.push(top);
        self.tops_stale = false;
        true
    }

    /// The top of paragraph `index`, relative to the top of the document.
    pub fn top(&self, index: usize) -> f32 {
        self.tops.get(index).copied().unwrap_or_else(|| self.total_height())
    }

    /// The height of the whole document.
    pub fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The paragraph at height `y` (clamped to the first and last).
    pub fn paragraph_at_y(&self, y: f32) -> usize {
        let count = self.heights.len();
        self.tops[..count.min(self.tops.len())].partition_point(|&top| top <= y).saturating_sub(1)
    }
}

/// Lays out one paragraph's text, wrapped at `width`, with rows spread `row_pitch` apart so there
/// is room for underline lanes below each row.
pub fn layout_paragraph(ui: &egui::Ui, text: &str, metrics: &Metrics, width: f32, color: egui::Color32) -> Arc<Galley> {
    let job = egui::text::LayoutJob::simple(text.to_owned(), metrics.font_id.clone(), color, width);
    let galley = ui.fonts_mut(|fonts| fonts.layout_job(job));
    let mut spread = (*galley).clone();
    for (index, row) in spread.rows.iter_mut().enumerate() {
        row.pos.y = index as f32 * metrics.row_pitch;
    }
    let height = spread.rows.len() as f32 * metrics.row_pitch;
    spread.rect = Rect::from_min_size(galley.rect.min, Vec2::new(galley.rect.width(), height));
    spread.mesh_bounds = spread.mesh_bounds.union(spread.rect);
    Arc::new(spread)
}

/// The rectangles (one per row, relative to the galley) covering characters `start..end` of a
/// galley laid out from a single paragraph.
pub fn range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let row_chars = row.char_count_excluding_newline().0;
        let from = start.max(row_start);
        let to = end.min(row_start + row_chars);
        if from < to {
            let x0 = row.pos.x + row.x_offset(CharIndex(from - row_start));
            let x1 = row.pos.x + row.x_offset(CharIndex(to - row_start));
            rects.push(Rect::from_min_max(Pos2::new(x0, row.min_y()), Pos2::new(x1, row.max_y())));
        }
        row_start += row.char_count_including_newline().0;
        if row_start >= end {
            break;
        }
    }
    rects
}

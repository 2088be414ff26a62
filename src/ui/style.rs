//! Colours and visual constants shared by the panels.

use egui::Color32;

use crate::schema::LabelDef;

/// The label's colour, opaque.
pub fn label_color(label: &LabelDef) -> Color32 {
    let [r, g, b] = label.rgb();
    Color32::from_rgb(r, g, b)
}

/// A translucent version of a label colour for highlight backgrounds, stronger on dark themes
/// where translucent colours look fainter.
pub fn highlight_fill(color: Color32, dark_mode: bool, emphasis: bool) -> Color32 {
    let alpha = match (dark_mode, emphasis) {
        (false, false) => 0.26,
        (false, true) => 0.45,
        (true, false) => 0.34,
        (true, true) => 0.55,
    };
    color.gamma_multiply(alpha)
}

/// The colour of the article's text: darker than egui's default body text, for reading.
pub fn reading_text_color(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(226, 226, 230) } else { Color32::from_rgb(28, 30, 36) }
}

/// The background of the reading column.
pub fn paper_color(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(30, 31, 34) } else { Color32::from_rgb(253, 253, 251) }
}

/// The font family of the article text.
pub const ARTICLE_FONT: &str = "article";

/// Installs Source Serif 4 as the article's font, falling back to egui's fonts for characters it
/// lacks. The interface keeps egui's sans-serif font.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "Source Serif 4".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(include_bytes!("../../assets/fonts/SourceSerif4-Regular.ttf"))),
    );
    let mut article = vec!["Source Serif 4".to_owned()];
    article.extend(fonts.families.get(&egui::FontFamily::Proportional).cloned().unwrap_or_default());
    fonts.families.insert(egui::FontFamily::Name(ARTICLE_FONT.into()), article);
    ctx.set_fonts(fonts);
}

/// The background around the reading column.
pub fn desk_color(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(22, 23, 25) } else { Color32::from_rgb(232, 234, 238) }
}

/// A small rounded swatch of a label colour, the size of a line of text.
pub fn color_swatch(ui: &mut egui::Ui, color: Color32) -> egui::Response {
    let size = egui::Vec2::splat(ui.text_style_height(&egui::TextStyle::Body) * 0.8);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    ui.painter().rect_filled(rect, 3.0, color);
    response
}

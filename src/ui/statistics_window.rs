//! The statistics window: how far annotation has come, how often each label is used (a bar
//! chart in the labels' colours) and the tag counts of every document. Only the rows in view are
//! laid out, so a 20,000-document project scrolls as smoothly as a small one; the counts come
//! from the app, computed once per change of the project.

use egui::{Align, Layout, RichText, Sense, TextStyle, WidgetText};

use super::{list_row_height, style};
use crate::app::{Action, Command};
use crate::model::{DocumentStatus, Project};
use crate::stats::{Counts, ProjectStats};

/// The width of the table's title column.
const TITLE_WIDTH: f32 = 240.0;
/// The width of the status column.
const STATUS_WIDTH: f32 = 90.0;
/// The narrowest number column.
const NUMBER_WIDTH: f32 = 52.0;
/// The width of the chart's label names.
const CHART_NAME_WIDTH: f32 = 150.0;

/// Draws the window while `open`; clicking a document shows it, and "Export CSV…" runs
/// [`Command::ExportStatistics`]. `shown_document` is the index of the document on screen.
pub fn statistics_window_ui(
    ctx: &egui::Context,
    open: &mut bool,
    project: &Project,
    stats: &ProjectStats,
    shown_document: usize,
    actions: &mut Vec<Action>,
) {
    // Centred, so that it first leaves the document list and the labels in view.
    let window = egui::Window::new("Statistics")
        .open(open)
        .default_width(720.0)
        .default_height(640.0)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center());
    window.show(ctx, |ui| {
        ui.horizontal(|ui| {
            ui.label(format!("{} tags in {} document(s)", stats.total.annotations, stats.documents.len()));
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui.button("Export CSV…").on_hover_text(Command::ExportStatistics.tooltip()).clicked() {
                    actions.push(Action::Run(Command::ExportStatistics));
                }
            });
        });
        progress_ui(ui, stats);
        ui.separator();
        egui::CollapsingHeader::new("Label distribution").default_open(true).show(ui, |ui| label_chart_ui(ui, project, stats));
        ui.separator();
        documents_table_ui(ui, project, stats, shown_document, actions);
    });
}

/// A progress bar of the documents done, and the count of each status.
fn progress_ui(ui: &mut egui::Ui, stats: &ProjectStats) {
    let progress = stats.progress;
    let text = format!("{} of {} documents done", progress.done, progress.documents());
    ui.add(egui::ProgressBar::new(progress.done_share()).text(text));
    ui.horizontal_wrapped(|ui| {
        for status in DocumentStatus::ALL {
            ui.label(format!("{} {}", progress.count(status), status.title()));
        }
    });
}

/// One bar per label, in schema order and in the label's colour, as long as its share of the
/// most used label.
fn label_chart_ui(ui: &mut egui::Ui, project: &Project, stats: &ProjectStats) {
    let most = stats.label_distribution.iter().map(|uses| uses.count).max().unwrap_or(0).max(1);
    let height = ui.text_style_height(&TextStyle::Body);
    for uses in &stats.label_distribution {
        let definition = project.schema.label(&uses.label);
        let title = definition.map_or_else(|| uses.label.clone(), |label| format!("{} ({})", label.title, label.name));
        let color = definition.map_or_else(|| ui.visuals().weak_text_color(), style::label_color);
        ui.horizontal(|ui| {
            cell_ui(ui, CHART_NAME_WIDTH, height, title, false);
            let width = (ui.available_width() - NUMBER_WIDTH).max(NUMBER_WIDTH);
            let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), Sense::hover());
            let share = uses.count as f32 / most as f32;
            let bar = egui::Rect::from_min_size(rect.min, egui::vec2(rect.width() * share, rect.height())).shrink2(egui::vec2(0.0, 2.0));
            ui.painter().rect_filled(bar, 2.0, color);
            let described = format!("{}: {} tag(s)", uses.label, uses.count);
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Meter, true, &described));
            response.on_hover_text(described);
            ui.label(uses.count.to_string());
        });
    }
}

/// The width of each label column: its name's, at least [`NUMBER_WIDTH`].
fn label_widths(ui: &egui::Ui, stats: &ProjectStats) -> Vec<f32> {
    stats
        .label_distribution
        .iter()
        .map(|uses| {
            let galley = WidgetText::from(RichText::new(&uses.label).strong()).into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                TextStyle::Body,
            );
            (galley.size().x + 8.0).max(NUMBER_WIDTH)
        })
        .collect()
}

/// A cell of `width`, its text right-aligned (numbers) or left-aligned, cut with an ellipsis
/// if too long; returns the text's response.
fn cell_ui(ui: &mut egui::Ui, width: f32, height: f32, text: impl Into<WidgetText>, right_aligned: bool) -> egui::Response {
    let layout = if right_aligned { Layout::right_to_left(Align::Center) } else { Layout::left_to_right(Align::Center) };
    ui.allocate_ui_with_layout(egui::vec2(width, height), layout, |ui| {
        ui.set_min_width(width);
        ui.add(egui::Label::new(text).truncate())
    })
    .inner
}

/// The count cells of a row: characters, tags, then one per label.
fn counts_ui(ui: &mut egui::Ui, height: f32, characters: usize, counts: &Counts, stats: &ProjectStats, widths: &[f32], strong: bool) {
    let text = |count: usize| if strong { RichText::new(count.to_string()).strong() } else { RichText::new(count.to_string()) };
    cell_ui(ui, NUMBER_WIDTH + 24.0, height, text(characters), true);
    cell_ui(ui, NUMBER_WIDTH, height, text(counts.annotations), true);
    for (uses, width) in stats.label_distribution.iter().zip(widths) {
        cell_ui(ui, *width, height, text(counts.label(&uses.label)), true);
    }
}

/// Documents × labels: a header, the totals, then one row per document, of which only those in
/// view are laid out. Clicking a document shows it.
fn documents_table_ui(ui: &mut egui::Ui, project: &Project, stats: &ProjectStats, shown_document: usize, actions: &mut Vec<Action>) {
    let widths = label_widths(ui, stats);
    let height = list_row_height(ui);
    egui::ScrollArea::horizontal().id_salt("statistics table").show(ui, |ui| {
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                cell_ui(ui, TITLE_WIDTH, height, RichText::new("Document").strong(), false);
                cell_ui(ui, STATUS_WIDTH, height, RichText::new("Status").strong(), false);
                cell_ui(ui, NUMBER_WIDTH + 24.0, height, RichText::new("Characters").strong(), true);
                cell_ui(ui, NUMBER_WIDTH, height, RichText::new("Tags").strong(), true);
                for (uses, width) in stats.label_distribution.iter().zip(&widths) {
                    let title = project.schema.label(&uses.label).map_or(uses.label.as_str(), |label| label.title.as_str());
                    cell_ui(ui, *width, height, RichText::new(&uses.label).strong(), true).on_hover_text(title);
                }
            });
            ui.horizontal(|ui| {
                cell_ui(ui, TITLE_WIDTH, height, RichText::new("Total").strong(), false);
                cell_ui(ui, STATUS_WIDTH, height, RichText::new(format!("{} done", stats.progress.done)).strong(), false);
                counts_ui(ui, height, stats.characters, &stats.total, stats, &widths, true);
            });
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("statistics rows")
                .auto_shrink([true, false])
                .max_height(ui.available_height().max(160.0))
                .show_rows(ui, height, stats.documents.len(), |ui, rows| {
                    for index in rows {
                        let Some(document) = stats.documents.get(index) else { continue };
                        ui.horizontal(|ui| {
                            let title = if document.title.is_empty() { document.id.as_str() } else { document.title.as_str() };
                            // The growing space after the title keeps it at the left of the wide button.
                            let button = egui::Button::selectable(index == shown_document, (title, egui::Atom::grow()))
                                .truncate()
                                .min_size(egui::vec2(TITLE_WIDTH, height));
                            let response = ui
                                .allocate_ui_with_layout(egui::vec2(TITLE_WIDTH, height), Layout::left_to_right(Align::Center), |ui| {
                                    ui.add(button)
                                })
                                .inner
                                .on_hover_text(title);
                            if response.clicked() && index != shown_document {
                                actions.push(Action::ShowDocument(index));
                            }
                            cell_ui(ui, STATUS_WIDTH, height, document.status.title(), false);
                            counts_ui(ui, height, document.characters, &document.counts, stats, &widths, false);
                        });
                    }
                });
        });
    });
}

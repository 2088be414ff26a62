//! The agreement report window: tables per kind with every figure, a per-label chart, and, with
//! three or more annotators, the pairwise matrix and Fleiss' kappa. Clicking a figure filters the
//! review list to the differences behind it.

use egui_plot::{Bar, BarChart, Plot};

use crate::app::review::ReviewFilter;
use crate::model::Kind;
use crate::review::align::Difference;
use crate::review::metrics::{SchemeAgreement, SpanAgreement};
use crate::review::report::{AgreementReport, GroupAgreement, KindAgreement};

/// Draws the report; returns the filter to show when the user clicks a figure. `open` is
/// cleared when the window is closed.
pub fn agreement_window_ui(
    ctx: &egui::Context,
    open: &mut bool,
    report: &AgreementReport,
    group: Option<&GroupAgreement>,
) -> Option<ReviewFilter> {
    let mut chosen = None;
    let [a, b] = &report.annotators;
    egui::Window::new("Agreement report").open(open).default_width(620.0).default_height(560.0).show(ctx, |ui| {
        ui.label(format!(
            "{b} compared with {a} (the reference) over {} document(s). Click a figure to list the differences behind it.",
            report.documents.len()
        ));
        if report.unplaced > 0 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{} of {b}'s tags could not be placed and are not counted.", report.unplaced),
            );
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            differences_ui(ui, report, &mut chosen);
            egui::CollapsingHeader::new("All kinds together").default_open(true).show(ui, |ui| {
                kind_ui(ui, "overall", None, &report.overall, &mut chosen);
            });
            for kind in [Kind::Entity, Kind::Claim, Kind::Sentiment, Kind::Document] {
                if let Some(agreement) = report.kinds.get(kind.name()) {
                    egui::CollapsingHeader::new(kind.title()).default_open(kind == Kind::Entity).show(ui, |ui| {
                        kind_ui(ui, kind.name(), Some(kind), agreement, &mut chosen);
                    });
                }
            }
            if let Some(group) = group {
                egui::CollapsingHeader::new(format!("All {} annotators", group.annotators.len())).default_open(true).show(ui, |ui| {
                    group_ui(ui, group);
                });
            }
        });
    });
    chosen
}

/// A filter listing `classes` of `kind` (and `label`), settled pairs included.
fn filter(classes: &[Difference], kind: Option<Kind>, label: Option<&str>) -> ReviewFilter {
    ReviewFilter { classes: classes.iter().copied().collect(), kind, label: label.map(str::to_owned), include_settled: true }
}

const SPAN_DISAGREEMENTS: [Difference; 4] = [Difference::LabelMismatch, Difference::BoundaryMismatch, Difference::OnlyA, Difference::OnlyB];

fn differences_ui(ui: &mut egui::Ui, report: &AgreementReport, chosen: &mut Option<ReviewFilter>) {
    ui.horizontal_wrapped(|ui| {
        for difference in Difference::ALL {
            let count = report.differences.get(difference.name()).copied().unwrap_or(0);
            if ui.link(format!("{count} {}", difference.title())).clicked() {
                *chosen = Some(filter(&[difference], None, None));
            }
        }
    });
}

/// A figure that lists `filter`'s differences when clicked.
fn cell(ui: &mut egui::Ui, text: String, target: ReviewFilter, chosen: &mut Option<ReviewFilter>) {
    if ui.link(text).clicked() {
        *chosen = Some(target);
    }
}

fn optional(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |value| format!("{value:.3}"))
}

fn kind_ui(ui: &mut egui::Ui, id: &str, kind: Option<Kind>, agreement: &KindAgreement, chosen: &mut Option<ReviewFilter>) {
    if let Some(span) = &agreement.span {
        scheme_table(ui, &format!("{id} spans"), span, filter(&SPAN_DISAGREEMENTS, kind, None), chosen);
    }
    if let Some(token) = &agreement.token {
        ui.horizontal_wrapped(|ui| {
            ui.weak(format!("Tokens: {}", token.tokens));
            let behind = filter(&SPAN_DISAGREEMENTS, kind, None);
            cell(ui, format!("agreement {}", optional(token.percent)), behind.clone(), chosen);
            cell(ui, format!("Cohen's κ {}", optional(token.cohen_kappa)), behind.clone(), chosen);
            cell(ui, format!("Krippendorff's α {}", optional(token.krippendorff_alpha)), behind, chosen);
        });
    }
    if !agreement.labels.is_empty() {
        label_chart(ui, id, &agreement.labels);
        egui::Grid::new(format!("{id} labels")).striped(true).num_columns(5).show(ui, |ui| {
            for heading in ["Label", "strict F1", "exact F1", "partial F1", "type F1"] {
                ui.strong(heading);
            }
            ui.end_row();
            for (label, span) in &agreement.labels {
                ui.label(label.as_str());
                for scheme in [&span.strict, &span.exact, &span.partial, &span.r#type] {
                    cell(ui, format!("{:.3}", scheme.f1), filter(&SPAN_DISAGREEMENTS, kind, Some(label)), chosen);
                }
                ui.end_row();
            }
        });
    }
    if !agreement.attributes.is_empty() {
        egui::Grid::new(format!("{id} attributes")).striped(true).num_columns(4).show(ui, |ui| {
            for heading in ["Attribute", "pairs", "agreement", "Cohen's κ"] {
                ui.strong(heading);
            }
            ui.end_row();
            for (name, attribute) in &agreement.attributes {
                let behind = filter(&[Difference::AttributeMismatch], kind, None);
                ui.label(name.as_str());
                ui.label(attribute.pairs.to_string());
                cell(ui, optional(attribute.percent), behind.clone(), chosen);
                cell(ui, optional(attribute.cohen_kappa), behind, chosen);
                ui.end_row();
            }
        });
    }
    if !agreement.relations.is_empty() {
        egui::Grid::new(format!("{id} relations")).striped(true).num_columns(4).show(ui, |ui| {
            for heading in ["Relation", "precision", "recall", "F1"] {
                ui.strong(heading);
            }
            ui.end_row();
            for (role, relation) in &agreement.relations {
                let behind = filter(&[Difference::RelationMismatch], kind, None);
                ui.label(role.as_str());
                for value in [relation.scores.precision, relation.scores.recall, relation.scores.f1] {
                    cell(ui, format!("{value:.3}"), behind.clone(), chosen);
                }
                ui.end_row();
            }
        });
    }
}

fn scheme_table(ui: &mut egui::Ui, id: &str, span: &SpanAgreement, behind: ReviewFilter, chosen: &mut Option<ReviewFilter>) {
    egui::Grid::new(id).striped(true).num_columns(8).show(ui, |ui| {
        for heading in ["Scheme", "P", "R", "F1", "correct", "partial", "missed", "spurious"] {
            ui.strong(heading);
        }
        ui.end_row();
        let schemes: [(&str, &SchemeAgreement); 4] =
            [("strict", &span.strict), ("exact", &span.exact), ("partial", &span.partial), ("type", &span.r#type)];
        for (name, scheme) in schemes {
            ui.label(name);
            for value in [scheme.precision, scheme.recall, scheme.f1] {
                cell(ui, format!("{value:.3}"), behind.clone(), chosen);
            }
            for count in [scheme.correct, scheme.partial, scheme.missed, scheme.spurious] {
                ui.label(count.to_string());
            }
            ui.end_row();
        }
    });
}

/// Strict and type F1 of each label, as bars in the order of the label table below (hovering a bar
/// names its label).
fn label_chart(ui: &mut egui::Ui, id: &str, labels: &std::collections::BTreeMap<String, SpanAgreement>) {
    ui.weak(format!("F1 per label, left to right: {}", labels.keys().cloned().collect::<Vec<_>>().join(", ")));
    let bar = |index: usize, label: &str, offset: f64, value: f64| Bar::new(index as f64 + offset, value).width(0.38).name(label);
    let strict: Vec<Bar> = labels.iter().enumerate().map(|(index, (label, span))| bar(index, label, -0.2, span.strict.f1)).collect();
    let type_scheme: Vec<Bar> = labels.iter().enumerate().map(|(index, (label, span))| bar(index, label, 0.2, span.r#type.f1)).collect();
    Plot::new(format!("{id} chart"))
        .height(150.0)
        .include_y(0.0)
        .include_y(1.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_grid(false)
        .show_axes([false, true])
        .legend(egui_plot::Legend::default())
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("strict F1", strict));
            plot.bar_chart(BarChart::new("type F1", type_scheme));
        });
}

fn group_ui(ui: &mut egui::Ui, group: &GroupAgreement) {
    for (kind, agreement) in &group.kinds {
        ui.strong(format!("{kind}: Fleiss' κ {}", optional(agreement.fleiss_kappa)));
        egui::Grid::new(format!("{kind} pairwise")).striped(true).show(ui, |ui| {
            ui.weak("token Cohen's κ");
            for name in &group.annotators {
                ui.strong(name.as_str());
            }
            ui.end_row();
            for (name, row) in group.annotators.iter().zip(&agreement.pairwise_cohen_kappa) {
                ui.strong(name.as_str());
                for value in row {
                    ui.label(optional(*value));
                }
                ui.end_row();
            }
        });
    }
}

//! The review panel: the colleagues compared with the project, their layers, the differences of
//! the shown document filtered by class, and the pair under review with its decision buttons.

use super::style::{color_swatch, label_color};
use super::{describe_target, ellipsize};
use crate::app::review::{PairKey, Review};
use crate::app::{Action, Command};
use crate::model::{Annotation, Document, Project, Provenance};
use crate::review::adjudicate::is_settled;
use crate::review::align::{AlignedPair, Alignment, Difference};
use crate::review::compare::ComparedDocument;

/// Draws the panel for the shown `document`; `alignment` pairs ours with the active colleague's.
pub fn review_panel_ui(
    ui: &mut egui::Ui,
    project: &Project,
    document: &Document,
    review: &mut Review,
    alignment: &Alignment,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.heading("Review");
        if ui.small_button("End review").on_hover_text(Command::EndReview.tooltip()).clicked() {
            actions.push(Action::Run(Command::EndReview));
        }
    });
    colleagues_ui(ui, document, review);
    let Some(theirs) = review.compared(document).cloned() else {
        ui.weak("The active colleague did not annotate this document.");
        return;
    };
    ui.separator();
    filters_ui(ui, review, alignment);
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut review.filter.include_settled, "Show settled");
        ui.toggle_value(&mut review.side_by_side, "Side by side").on_hover_text(Command::SideBySide.tooltip());
        if ui.button("Agreement report").on_hover_text(Command::AgreementReport.tooltip()).clicked() {
            review.report_open = true;
        }
    });
    let unsettled = alignment.of(Difference::Agreement).filter(|pair| !is_settled(document, pair)).count();
    let accept_all = egui::Button::new(format!("Accept all agreements ({unsettled})"));
    if ui.add_enabled(unsettled > 0, accept_all).on_hover_text(Command::AcceptAllAgreements.tooltip()).clicked() {
        actions.push(Action::Run(Command::AcceptAllAgreements));
    }
    let listed = review.listed(alignment, document, &theirs);
    ui.weak(format!("{} difference(s) listed · n / p to move", listed.len()));
    let row_height = super::list_row_height(ui);
    egui::ScrollArea::vertical().id_salt("differences").max_height(220.0).auto_shrink([false, true]).show_rows(
        ui,
        row_height,
        listed.len(),
        |ui, rows| {
            for pair in &listed[rows] {
                let current = review.cursor.as_ref().is_some_and(|cursor| cursor.is(pair));
                let settled = is_settled(document, pair);
                let text = pair_line(document, &theirs, pair);
                let mark = if settled { "settled · " } else { "" };
                let button = egui::Button::selectable(current, format!("{mark}{text}"))
                    .right_text(egui::RichText::new(pair.difference.title()).weak())
                    .truncate()
                    .min_size(egui::vec2(ui.available_width(), 0.0));
                if ui.add(button).clicked() {
                    actions.push(Action::SelectPair(PairKey::of(pair)));
                }
            }
        },
    );
    if let Some(cursor) = review.cursor.clone()
        && let Some(pair) = alignment.pairs.iter().find(|pair| cursor.is(pair))
    {
        ui.separator();
        let annotator = review.colleague().map_or("colleague", |colleague| colleague.annotator.as_str()).to_owned();
        pair_card_ui(ui, project, document, &theirs, &annotator, pair, actions);
    }
    unplaced_ui(ui, &theirs);
}

fn colleagues_ui(ui: &mut egui::Ui, document: &Document, review: &mut Review) {
    let mut active = review.active;
    for (index, colleague) in review.colleagues.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.radio_value(&mut active, index, colleague.annotator.as_str())
                .on_hover_text(format!("Compare with {}", colleague.source.display()));
            if let Some(shown) = review.shown.get_mut(index) {
                ui.checkbox(shown, "show").on_hover_text("Draw their annotations on the article (dashed)");
            }
            match colleague.document(&document.id) {
                Some(compared) if !compared.same_text => {
                    ui.weak("re-anchored")
                        .on_hover_text("They annotated another version of this text; their tags were placed by quote and context");
                }
                Some(_) => {}
                None => {
                    ui.weak("not annotated");
                }
            }
        });
    }
    if active != review.active {
        review.active = active;
        review.cursor = None;
    }
}

fn filters_ui(ui: &mut egui::Ui, review: &mut Review, alignment: &Alignment) {
    let counts = alignment.counts();
    ui.horizontal_wrapped(|ui| {
        for difference in Difference::ALL {
            let mut shown = review.filter.classes.contains(&difference);
            let count = counts.get(&difference).copied().unwrap_or(0);
            if ui.toggle_value(&mut shown, format!("{} {count}", difference.title())).changed() {
                if shown {
                    review.filter.classes.insert(difference);
                } else {
                    review.filter.classes.remove(&difference);
                }
            }
        }
    });
    if let Some(label) = review.filter.label.clone() {
        ui.horizontal(|ui| {
            ui.weak(format!("Only {label}"));
            if ui.small_button("show all labels").clicked() {
                review.filter.label = None;
                review.filter.kind = None;
            }
        });
    } else if let Some(kind) = review.filter.kind {
        ui.horizontal(|ui| {
            ui.weak(format!("Only {}", kind.title().to_lowercase()));
            if ui.small_button("show all kinds").clicked() {
                review.filter.kind = None;
            }
        });
    }
}

/// `Kabul · LOC vs ORG`: the text and the labels on each side.
fn pair_line(document: &Document, theirs: &ComparedDocument, pair: &AlignedPair) -> String {
    let a = pair.a.as_ref().and_then(|id| document.annotation(id));
    let b = pair.b.as_ref().and_then(|id| theirs.annotation(id));
    let text = a.or(b).map(|annotation| document.annotation_text(annotation)).unwrap_or_default();
    let text = if text.is_empty() { "(whole document)".to_owned() } else { ellipsize(&text, 28) };
    let labels = match (a, b) {
        (Some(a), Some(b)) if a.label != b.label => format!("{} vs {}", a.label, b.label),
        (Some(annotation), _) | (None, Some(annotation)) => annotation.label.clone(),
        (None, None) => String::new(),
    };
    format!("{text} · {labels}")
}

/// Both versions of the pair under review, and the decision buttons.
fn pair_card_ui(
    ui: &mut egui::Ui,
    project: &Project,
    document: &Document,
    theirs: &ComparedDocument,
    annotator: &str,
    pair: &AlignedPair,
    actions: &mut Vec<Action>,
) {
    ui.strong(format!("{}{}", capitalized(pair.difference.title()), differing(pair)));
    let mine = pair.a.as_ref().and_then(|id| document.annotation(id));
    let their = pair.b.as_ref().and_then(|id| theirs.annotation(id));
    let their_document = Document { annotations: theirs.annotations.clone(), ..document.clone() };
    ui.columns(2, |columns| {
        version_ui(&mut columns[0], project, document, "Mine", mine);
        version_ui(&mut columns[1], project, &their_document, annotator, their);
    });
    if let Some(decision) = pair.a.iter().chain(&pair.b).find_map(|id| document.decision(id)) {
        ui.weak(format!("{:?} by {} ({})", decision.verdict, decision.reviewer, decision.time.strftime("%Y-%m-%d %H:%M")));
    } else if let Some(Provenance::Adjudicated { reviewer, sources }) = mine.map(|annotation| &annotation.provenance) {
        ui.weak(format!("Settled by {reviewer} from {}", sources.join(" and ")));
    }
    ui.horizontal_wrapped(|ui| {
        for command in [Command::AcceptTheirs, Command::KeepMine, Command::RejectPair] {
            let enabled = match command {
                Command::AcceptTheirs => their.is_some(),
                Command::KeepMine => mine.is_some(),
                _ => true,
            };
            let button = egui::Button::new(command.title()).shortcut_text(super::inspector::shortcut_text(ui, command));
            if ui.add_enabled(enabled, button).on_hover_text(command.tooltip()).clicked() {
                actions.push(Action::Run(command));
            }
        }
    });
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn differing(pair: &AlignedPair) -> String {
    if pair.differing.is_empty() { String::new() } else { format!(": {}", pair.differing.join(", ")) }
}

/// One side of a pair: label, text, attributes and relations.
fn version_ui(ui: &mut egui::Ui, project: &Project, document: &Document, title: &str, annotation: Option<&Annotation>) {
    ui.weak(title);
    let Some(annotation) = annotation else {
        ui.label("(nothing)");
        return;
    };
    let label = project.schema.label(&annotation.label);
    ui.horizontal(|ui| {
        if let Some(label) = label {
            color_swatch(ui, label_color(label));
        }
        ui.strong(label.map_or(annotation.label.as_str(), |label| label.title.as_str()));
    });
    if !annotation.fragments.is_empty() {
        ui.label(egui::RichText::new(format!("“{}”", ellipsize(&document.annotation_text(annotation), 80))).italics());
    }
    for (name, value) in &annotation.attributes {
        ui.small(format!("{name}: {value}"));
    }
    for relation in &annotation.relations {
        ui.small(format!("{}: {}", relation.role, describe_target(project, document, &relation.target)));
    }
}

fn unplaced_ui(ui: &mut egui::Ui, theirs: &ComparedDocument) {
    if theirs.unplaced.is_empty() {
        return;
    }
    ui.separator();
    egui::CollapsingHeader::new(format!("{} tag(s) could not be placed", theirs.unplaced.len())).default_open(true).show(ui, |ui| {
        for unplaced in &theirs.unplaced {
            ui.label(format!("{} “{}”", unplaced.annotation.label, ellipsize(&unplaced.quote, 60)));
            ui.weak(unplaced.reason.as_str());
        }
    });
}

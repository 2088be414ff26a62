//! Headless frames of the document view and the document list: `egui::Context::run_ui` plus
//! tessellation at 1280×800, the work a frame of the app does before the GPU draws it.

use std::time::Instant;

use egui::{Pos2, Rect, Vec2};

use super::{Measurement, Sizes, median_ms, memory_mb, synthetic};
use crate::app::Action;
use crate::edit::{History, ops};
use crate::model::{Document, Project, Span};
use crate::ui::{DocumentView, Sheet, ViewState};

/// The article's font size in the benchmarks (the app's default).
const FONT_SIZE: f32 = 17.0;

/// An egui context and the document view's state, drawing frames off screen.
struct Headless {
    ctx: egui::Context,
    view: DocumentView,
    state: ViewState,
    time: f64,
}

impl Headless {
    fn new() -> Self {
        let ctx = egui::Context::default();
        crate::ui::style::install_fonts(&ctx);
        Self { ctx, view: DocumentView::default(), state: ViewState::default(), time: 0.0 }
    }

    fn input(&mut self, events: Vec<egui::Event>) -> egui::RawInput {
        self.time += 1.0 / 60.0;
        egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1280.0, 800.0))),
            time: Some(self.time),
            events,
            ..Default::default()
        }
    }

    /// One frame of the document view of `document` (at edit `revision`), tessellated; returns
    /// its duration in ms.
    fn frame_at(&mut self, project: &Project, document: &Document, revision: u64, events: Vec<egui::Event>) -> f64 {
        let input = self.input(events);
        let start = Instant::now();
        let (view, state) = (&mut self.view, &mut self.state);
        let mut output = self.ctx.run_ui(input, |ui| {
            let mut actions: Vec<Action> = Vec::new();
            egui::CentralPanel::default().show(ui, |ui| {
                view.ui(ui, project, &Sheet { document, ghosts: &[], read_only: false, revision }, state, FONT_SIZE, &mut actions);
            });
        });
        let _ = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        // No GPU takes the font atlas updates here.
        output.textures_delta.clear();
        elapsed
    }

    /// A frame of a document that does not change.
    fn frame(&mut self, project: &Project, document: &Document, events: Vec<egui::Event>) -> f64 {
        self.frame_at(project, document, 0, events)
    }

    /// Settles the layout: draws frames until nothing moves.
    fn settle(&mut self, project: &Project, document: &Document) {
        for _ in 0..5 {
            self.frame(project, document, Vec::new());
        }
    }

    /// A mouse-wheel scroll over the article.
    fn scroll(delta: f32) -> Vec<egui::Event> {
        vec![
            egui::Event::PointerMoved(Pos2::new(640.0, 400.0)),
            egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: Vec2::new(0.0, delta),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            },
        ]
    }
}

/// The median of frames produced by `step` after `settle`.
fn median_frames(runs: usize, headless: &mut Headless, mut step: impl FnMut(&mut Headless) -> f64) -> f64 {
    let mut times: Vec<f64> = (0..runs.max(3) * 3).map(|_| step(headless)).collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The document view on the article and on a long, densely tagged document.
pub fn document_view(sizes: Sizes) -> Vec<Measurement> {
    let mut results = Vec::new();
    let article =
        crate::io::load_project(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/projects/pakistan-taliban.gloss.json")))
            .unwrap_or_else(|_| Project::from_text("article", crate::SEED_ARTICLE));
    let mut headless = Headless::new();
    headless.settle(&article, &article.documents[0]);
    let idle = median_frames(sizes.runs, &mut headless, |h| h.frame(&article, &article.documents[0], Vec::new()));
    results.push(Measurement::new("article with the sample project: idle frame", idle, "ms", Some(1.0)));

    let label = format!("{:.1} MB document, {} tags", sizes.document_bytes as f64 / 1e6, sizes.document_tags);
    let mut project = synthetic::long_document(sizes.document_bytes, sizes.document_tags, 5);
    let untagged = Document { annotations: Vec::new(), ..project.documents[0].clone() };

    let mut first = Headless::new();
    first.frame(&article, &article.documents[0], Vec::new());
    let opened = median_ms(sizes.runs, DocumentView::default, |view| {
        first.view = view;
        first.frame(&project, &project.documents[0], Vec::new());
    });
    results.push(Measurement::new(format!("{label}: first frame after opening"), opened, "ms", Some(100.0)));

    let mut headless = Headless::new();
    let document = project.documents[0].clone();
    headless.settle(&project, &document);
    let idle = median_frames(sizes.runs, &mut headless, |h| h.frame(&project, &document, Vec::new()));
    results.push(Measurement::new(format!("{label}: idle frame"), idle, "ms", Some(4.0)));
    let scrolling = median_frames(sizes.runs, &mut headless, |h| h.frame(&project, &document, Headless::scroll(-240.0)));
    results.push(Measurement::new(format!("{label}: frame while scrolling"), scrolling, "ms", Some(4.0)));
    let middle = document.text.char_len() / 2;
    let jumping = median_frames(sizes.runs, &mut headless, |h| {
        let offset = middle + (h.time * 997.0) as usize % 10_000;
        h.state.reveal(offset);
        h.frame(&project, &document, Vec::new())
    });
    results.push(Measurement::new(format!("{label}: frame jumping to the middle"), jumping, "ms", Some(4.0)));
    let longest = crate::ui::longest_extent(&document.annotations);
    let hover = median_ms(
        sizes.runs * 50,
        || (),
        |()| {
            let _ = headless.view.annotation_at(&document, longest, Pos2::new(640.0, 400.0));
        },
    );
    results.push(Measurement::new(format!("{label}: hover hit-test"), hover, "ms", Some(1.0)));

    let mut untagged_view = Headless::new();
    untagged_view.settle(&project, &untagged);
    let bare = median_frames(sizes.runs, &mut untagged_view, |h| h.frame(&project, &untagged, Vec::new()));
    results.push(Measurement::new(format!("{label}: idle frame without tags (egui's own text drawing)"), bare, "ms", None));
    results.push(Measurement::new(format!("{label}: tagged ÷ untagged, idle frame"), idle / bare.max(f64::EPSILON), "×", Some(1.5)));
    let bare_scrolling = median_frames(sizes.runs, &mut untagged_view, |h| h.frame(&project, &untagged, Headless::scroll(-240.0)));
    results.push(Measurement::new(format!("{label}: frame while scrolling without tags"), bare_scrolling, "ms", None));
    results.push(Measurement::new(
        format!("{label}: tagged ÷ untagged, frame while scrolling"),
        scrolling / bare_scrolling.max(f64::EPSILON),
        "×",
        Some(1.5),
    ));

    let document_id = project.documents[0].id.clone();
    let mut history = History::default();
    let edited = median_frames(sizes.runs, &mut headless, |h| {
        let start = Instant::now();
        let at = (h.time * 7919.0) as usize % middle;
        let span = project.documents[0].text.snap_to_words(Span::new(at, at + 8));
        if let Ok((transaction, _)) = ops::tag(&project, &document_id, "PER", vec![span], "bench") {
            let _ = history.apply(&mut project, transaction);
        }
        let apply = start.elapsed().as_secs_f64() * 1000.0;
        apply + h.frame_at(&project, &project.documents[0], history.revision(), Vec::new())
    });
    results.push(Measurement::new(format!("{label}: adding a tag and the next frame"), edited, "ms", Some(16.0)));
    let deleted = median_frames(sizes.runs, &mut headless, |h| {
        let start = Instant::now();
        history.undo(&mut project);
        let apply = start.elapsed().as_secs_f64() * 1000.0;
        apply + h.frame_at(&project, &project.documents[0], history.revision(), Vec::new())
    });
    results.push(Measurement::new(format!("{label}: deleting a tag and the next frame"), deleted, "ms", Some(16.0)));
    let (_, peak) = memory_mb();
    results.push(Measurement::new(format!("{label}: peak memory of the process so far"), peak, "MB", Some(300.0)));
    results
}

/// The document list of a corpus, and switching between its documents.
pub fn document_list(project: &Project, sizes: Sizes) -> Vec<Measurement> {
    let mut headless = Headless::new();
    let list_frame = |h: &mut Headless, events: Vec<egui::Event>| {
        let input = h.input(events);
        let start = Instant::now();
        let state = &h.state;
        let mut output = h.ctx.run_ui(input, |ui| {
            let mut actions: Vec<Action> = Vec::new();
            egui::Panel::left("documents").default_size(280.0).show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| crate::ui::documents_ui(ui, project, state, &mut actions));
            });
        });
        let _ = h.ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        output.textures_delta.clear();
        elapsed
    };
    for _ in 0..3 {
        list_frame(&mut headless, Vec::new());
    }
    let scrolling = median_frames(sizes.runs, &mut headless, |h| {
        let mut events = Headless::scroll(-120.0);
        if let Some(egui::Event::PointerMoved(position)) = events.first_mut() {
            *position = Pos2::new(100.0, 100.0);
        }
        list_frame(h, events)
    });
    let count = project.documents.len();
    let mut results = vec![Measurement::new(format!("document list of {count}: frame while scrolling"), scrolling, "ms", Some(4.0))];
    let mut viewer = Headless::new();
    viewer.settle(project, &project.documents[0]);
    let mut index = 0;
    let switching = median_frames(sizes.runs, &mut viewer, |h| {
        index = (index + 7) % count;
        h.frame(project, &project.documents[index], Vec::new())
    });
    results.push(Measurement::new("corpus: switching documents (the next frame)", switching, "ms", Some(16.0)));
    results
}

/// Frames of the document view, switching documents every frame, while `work` runs on another
/// thread as a job of the app does: the 99th percentile (the target: the window stays responsive
/// during long jobs) and the longest (one hiccup of the machine makes it, so it is shown, not
/// judged).
pub fn frames_while(project: &Project, job: &str, work: impl FnOnce() + Send) -> [Measurement; 2] {
    let mut viewer = Headless::new();
    viewer.settle(project, &project.documents[0]);
    let done = std::sync::atomic::AtomicBool::new(false);
    let mut times = Vec::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            crate::app::lower_thread_priority();
            work();
            done.store(true, std::sync::atomic::Ordering::Release);
        });
        let mut index = 0;
        while !done.load(std::sync::atomic::Ordering::Acquire) {
            index = (index + 7) % project.documents.len().max(1);
            times.push(viewer.frame(project, &project.documents[index], Vec::new()));
        }
    });
    times.sort_by(f64::total_cmp);
    let percentile = times.get(times.len() * 99 / 100).copied().unwrap_or_default();
    let longest = times.last().copied().unwrap_or_default();
    [
        Measurement::new(format!("corpus: 99th percentile frame while {job} runs on a worker thread"), percentile, "ms", Some(16.0)),
        Measurement::new(format!("corpus: longest frame while {job} runs on a worker thread"), longest, "ms", None),
    ]
}

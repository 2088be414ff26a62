//! The `gloss` binary: opens the annotation workbench, or runs a headless subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use gloss::app::{GlossApp, Session, native_picker, run_workers_in_background};
use gloss::cli::Cli;
use gloss::model::Project;

/// mimalloc: loading or exporting a project allocates millions of small strings, and a faster
/// allocator takes a third off those times.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => gloss::cli::run(command),
        None => open_window(cli.path),
    }
}

fn open_window(path: Option<PathBuf>) -> ExitCode {
    run_workers_in_background();
    let session = match path {
        None => Session::new(Project::from_text(gloss::SEED_ARTICLE_TITLE, gloss::SEED_ARTICLE), None),
        Some(path) => match Session::open(&path) {
            Ok(session) => session,
            Err(error) => {
                eprintln!("gloss: {error}");
                return ExitCode::from(2);
            }
        },
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(session.window_title())
            .with_app_id("gloss")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0]),
        ..Default::default()
    };
    let result = eframe::run_native("Gloss", options, Box::new(|cc| Ok(Box::new(GlossApp::new(cc, session, native_picker())))));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gloss: cannot open the window: {error}");
            ExitCode::FAILURE
        }
    }
}

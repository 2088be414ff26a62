//! The `gloss` binary: opens the annotation workbench, or runs a headless subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gloss::app::{GlossApp, Session, native_picker};
use gloss::model::Project;

/// Gloss: annotate news articles with entities, claims and sentiment.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// A project (`*.gloss.json`) or a UTF-8 text file to open; without it, Gloss opens the bundled
    /// article in a new project.
    path: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<CliCommand>,
}

#[derive(Subcommand)]
enum CliCommand {
    /// Check project files: exit 0 when all are valid, 1 when a file has problems, 2 when one
    /// cannot be read or parsed.
    Validate {
        /// The project files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(CliCommand::Validate { files }) => gloss::cli::validate(&files),
        None => open_window(cli.path),
    }
}

fn open_window(path: Option<PathBuf>) -> ExitCode {
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

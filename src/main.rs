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

/// How long memory freed by the program stays with the allocator before it goes back to the
/// system. mimalloc's default of a second returns the memory of a closed project, an export or
/// an agreement just before the next one asks for it again, and taking fresh memory from the
/// system is slow (every page is zeroed, on virtual machines at the cost of a trap to the host):
/// the next open or export of a large project then takes about a tenth longer.
const KEEP_FREED_MEMORY_MS: std::ffi::c_long = 10_000;

/// mimalloc's `mi_option_purge_delay`, which its bindings name no constant for. mimalloc only
/// appends options to its list (retired ones are renamed `deprecated_…`), so the number stays.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // SAFETY: `mi_option_set` stores a number in mimalloc's option table; it touches no memory
    // of ours, and the option is read again at each purge, so setting it at any time is sound.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, KEEP_FREED_MEMORY_MS);
    }
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

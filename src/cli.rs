//! Headless subcommands of the `gloss` binary. Exit codes: 0 success, 1 validation findings,
//! 2 bad input or usage.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::io::{ProjectFileError, load_project};

/// `gloss validate FILE...`: checks each project and prints every problem with its place.
pub fn validate(files: &[PathBuf]) -> ExitCode {
    let mut worst = 0;
    for file in files {
        match load_project(file) {
            Ok(project) => {
                println!("{}: valid ({} documents, {} annotations)", file.display(), project.documents.len(), project.annotation_count())
            }
            Err(error @ ProjectFileError::Invalid { .. }) => {
                eprintln!("{error}");
                worst = worst.max(1);
            }
            Err(error) => {
                eprintln!("{error}");
                worst = worst.max(2);
            }
        }
    }
    ExitCode::from(worst)
}

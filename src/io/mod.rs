//! Files: project files, and safe writing.

mod atomic;
mod project_file;

pub use atomic::{write_atomically, write_atomically_with};
pub use project_file::{PROJECT_EXTENSION, ProjectFileError, load_project, parse_project, project_to_json, save_project};

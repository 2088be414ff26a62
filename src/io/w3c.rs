//! w3c (in progress).

use super::convert::{ExportError, Progress};
use super::report::LossReport;
use super::sink::ExportSink;
use crate::model::Project;

/// Writes the project.
pub fn export(_project: &Project, _sink: &mut dyn ExportSink, _progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    Err(ExportError::Write(std::io::Error::other("w3c export is not built yet")))
}

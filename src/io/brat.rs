//! brat (in progress).

use std::path::PathBuf;

use super::convert::{ExportError, ImportError, ImportOptions, ImportedDocument, Progress};
use super::report::LossReport;
use super::sink::ExportSink;
use crate::model::Project;
use crate::schema::LabelSchema;

/// Writes the project.
pub fn export(_project: &Project, _sink: &mut dyn ExportSink, _progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    Err(ExportError::Write(std::io::Error::other("brat export is not built yet")))
}

/// Reads inputs.
pub fn read(
    inputs: &[PathBuf],
    _options: &ImportOptions,
    _schema: &LabelSchema,
    _report: &mut LossReport,
) -> Result<Vec<ImportedDocument>, ImportError> {
    Err(super::convert::SourcePlace::new(inputs.first().map_or(std::path::Path::new("-"), |p| p.as_path()), 1)
        .error("brat import is not built yet"))
}

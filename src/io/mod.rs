//! Files: project files, safe writing, and the export and import formats.
//!
//! Every format lives in its own module. Exports write through an [`ExportSink`] and return a
//! [`LossReport`] of what the format could not hold; imports return [`ImportedDocument`]s that
//! [`add_documents`] merges into a project, all or nothing, with errors naming file and line.

mod atomic;
mod brat;
mod conll;
mod convert;
mod csv;
mod json_layout;
mod json_writer;
mod jsonl;
mod labelstudio;
mod limits;
mod parallel_parse;
mod project_file;
mod recovery;
mod report;
mod sink;
#[cfg(test)]
pub(crate) mod testing;
mod text;
mod w3c;

pub(crate) use self::csv::{csv_writer, spreadsheet_cell};
pub use atomic::{TemporaryFile, write_atomically, write_atomically_with};
pub use conll::{Chunk, TokenTag, chunks, sentences, tag_sentences, tag_tokens, tokens};
pub use convert::{
    ExportError, ExportFormat, ExportOptions, ImportError, ImportFormat, ImportOptions, ImportSummary, ImportedAnnotation,
    ImportedDocument, NoProgress, Progress, SourcePlace, add_documents, export, for_each_document, import, input_files, read_utf8,
    without_bom, write_documents, write_stream,
};
pub use limits::{MAX_FILE_BYTES, read_bounded, read_bounded_string};
pub use project_file::{
    PROJECT_EXTENSION, ProjectFileError, load_project, parse_project, project_json_schema, project_to_json, save_project,
};
pub use recovery::{JOURNAL_SUFFIX, Recovered, RecoveryError, discard_journal, journal_path, read_journal, write_journal};
pub use report::{LossEntry, LossReport, place};
pub use sink::{ExportSink, FileSink, MemorySink, OutputLayout, document_file_stems, slugify};

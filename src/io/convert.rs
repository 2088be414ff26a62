//! The export and import formats, and what every conversion shares: options, progress,
//! errors with file and line, and merging imported documents into a project.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::report::LossReport;
use super::sink::{ExportSink, OutputLayout};
use super::{brat, conll, csv, jsonl, labelstudio, text, w3c};
use crate::model::{Annotation, AnnotationId, Document, Kind, Problem, Project, RelationTarget, check_annotation};

/// A format Gloss exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// One JSON object per document, for spaCy, Prodigy and Hugging Face datasets.
    Jsonl,
    /// IOB2 token tags, one layer at a time, for seqeval and sequence taggers.
    Conll,
    /// brat standoff: a `.txt` and an `.ann` per document, and `annotation.conf`.
    Brat,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// Label Studio tasks with their labeling config.
    LabelStudio,
    /// One row per annotation, for spreadsheets.
    Csv,
}

impl ExportFormat {
    /// Every export format.
    pub const ALL: [ExportFormat; 6] =
        [ExportFormat::Jsonl, ExportFormat::Conll, ExportFormat::Brat, ExportFormat::W3c, ExportFormat::LabelStudio, ExportFormat::Csv];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Conll => "conll",
            ExportFormat::Brat => "brat",
            ExportFormat::W3c => "w3c",
            ExportFormat::LabelStudio => "labelstudio",
            ExportFormat::Csv => "csv",
        }
    }

    /// A one-line description for menus and `--help`.
    pub fn description(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "JSON lines with code-point spans (spaCy, Prodigy, Hugging Face datasets)",
            ExportFormat::Conll => "CoNLL IOB2 token tags, one layer (seqeval, sequence taggers)",
            ExportFormat::Brat => "brat standoff: .txt + .ann per document and annotation.conf (a folder)",
            ExportFormat::W3c => "W3C Web Annotation JSON-LD",
            ExportFormat::LabelStudio => "Label Studio tasks JSON with its labeling config XML",
            ExportFormat::Csv => "CSV, one row per annotation (spreadsheets)",
        }
    }

    /// Whether the export is a folder of files or one file (with companions).
    pub fn layout(self) -> OutputLayout {
        if self == ExportFormat::Brat { OutputLayout::Folder } else { OutputLayout::File }
    }

    /// The usual file extension of the main output (none for folders).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Conll => "conll",
            ExportFormat::Brat => "",
            ExportFormat::W3c => "jsonld",
            ExportFormat::LabelStudio => "json",
            ExportFormat::Csv => "csv",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|format| format.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|format| format.name()).collect();
            format!("unknown export format {name:?}; use one of {}", names.join(", "))
        })
    }
}

/// A format Gloss imports from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportFormat {
    /// Plain UTF-8 text files, one document each (or every `.txt` file of a folder).
    Text,
    /// Gloss JSON lines, or doccano's JSONL with UTF-16 offsets.
    Jsonl,
    /// brat standoff folders or `.ann` files.
    Brat,
    /// Label Studio JSON exports.
    LabelStudio,
}

impl ImportFormat {
    /// Every import format.
    pub const ALL: [ImportFormat; 4] = [ImportFormat::Text, ImportFormat::Jsonl, ImportFormat::Brat, ImportFormat::LabelStudio];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Text => "text",
            ImportFormat::Jsonl => "jsonl",
            ImportFormat::Brat => "brat",
            ImportFormat::LabelStudio => "labelstudio",
        }
    }

    /// A one-line description for menus and `--help`.
    pub fn description(self) -> &'static str {
        match self {
            ImportFormat::Text => "plain UTF-8 text files or folders of .txt files, one document each",
            ImportFormat::Jsonl => "Gloss JSON lines, or doccano JSONL (UTF-16 offsets, converted)",
            ImportFormat::Brat => "brat standoff: folders or .ann files next to their .txt",
            ImportFormat::LabelStudio => "Label Studio JSON export (tasks with annotations)",
        }
    }
}

impl fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ImportFormat {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|format| format.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|format| format.name()).collect();
            format!("unknown import format {name:?}; use one of {}", names.join(", "))
        })
    }
}

/// Choices that shape an export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportOptions {
    /// For formats that hold one layer (CoNLL): which kind of annotation; entities by default.
    pub kind: Option<Kind>,
}

/// Told how far a long conversion got; answers whether to go on.
pub trait Progress {
    /// `done` of `total` documents are converted; return `false` to cancel.
    fn advance(&mut self, done: usize, total: usize) -> bool;
}

/// Progress nobody watches.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&mut self, _done: usize, _total: usize) -> bool {
        true
    }
}

/// Why an export stopped. Files written before the error are complete; none is half-written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file could not be written.
    #[error("{0}")]
    Write(#[from] std::io::Error),
    /// The user cancelled.
    #[error("the export was cancelled")]
    Cancelled,
}

/// Writes `project` in `format` into `sink`; returns what the format could not hold.
pub fn export(
    project: &Project,
    format: ExportFormat,
    options: &ExportOptions,
    sink: &mut dyn ExportSink,
    progress: &mut dyn Progress,
) -> Result<LossReport, ExportError> {
    match format {
        ExportFormat::Jsonl => jsonl::export(project, sink, progress),
        ExportFormat::Conll => conll::export(project, options.kind.unwrap_or(Kind::Entity), sink, progress),
        ExportFormat::Brat => brat::export(project, sink, progress),
        ExportFormat::W3c => w3c::export(project, sink, progress),
        ExportFormat::LabelStudio => labelstudio::export(project, sink, progress),
        ExportFormat::Csv => csv::export(project, sink, progress),
    }
}

/// Visits each document in order, reporting progress; stops with [`ExportError::Cancelled`].
pub fn for_each_document(
    project: &Project,
    progress: &mut dyn Progress,
    mut visit: impl FnMut(usize, &Document) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let total = project.documents.len();
    for (index, document) in project.documents.iter().enumerate() {
        if !progress.advance(index, total) {
            return Err(ExportError::Cancelled);
        }
        visit(index, document)?;
    }
    progress.advance(total, total);
    Ok(())
}

/// Documents rendered together by [`write_documents`]: enough to keep every core busy, few enough
/// that a batch's output stays small and progress and cancellation stay prompt.
const BATCH: usize = 512;

/// Documents of a batch rendered in sequence by one thread into one buffer and one loss report:
/// a report formats only its first few example places, so fewer reports format fewer.
const PART: usize = 64;

/// Writes file `name` as the concatenation of each document's rendering, in project order.
///
/// `render` turns one document into bytes and records its losses; batches of documents are
/// rendered in parallel and written in order, so the output and the report (merged in document
/// order) equal those of a sequential run, while memory holds one batch's output at a time.
pub fn write_documents(
    project: &Project,
    sink: &mut dyn ExportSink,
    name: &str,
    progress: &mut dyn Progress,
    render: impl Fn(&Document, &mut Vec<u8>, &mut LossReport) -> std::io::Result<()> + Sync,
) -> Result<LossReport, ExportError> {
    use rayon::prelude::*;
    let mut report = LossReport::default();
    let total = project.documents.len();
    // The buffers of one batch, emptied once written, hold the next batch: the memory is reused
    // instead of asked of the system anew for every batch.
    let mut spare: Vec<Vec<u8>> = Vec::new();
    write_stream(sink, name, |out| {
        for (batch, documents) in project.documents.chunks(BATCH).enumerate() {
            if !progress.advance(batch * BATCH, total) {
                return Err(ExportError::Cancelled);
            }
            let parts: Vec<(&[Document], Vec<u8>)> = documents.chunks(PART).map(|part| (part, spare.pop().unwrap_or_default())).collect();
            let rendered: Vec<(Vec<u8>, LossReport)> = parts
                .into_par_iter()
                .map(|(part, mut bytes)| {
                    let mut losses = LossReport::default();
                    for document in part {
                        render(document, &mut bytes, &mut losses)?;
                    }
                    Ok((bytes, losses))
                })
                .collect::<std::io::Result<_>>()?;
            for (mut bytes, losses) in rendered {
                out.write_all(&bytes)?;
                report.merge(losses);
                bytes.clear();
                spare.push(bytes);
            }
        }
        progress.advance(total, total);
        Ok(())
    })?;
    Ok(report)
}

/// Writes file `name` of an export with `body`. A cancelled or failed body leaves no file behind
/// (the sink writes atomically), and cancellation comes back as [`ExportError::Cancelled`].
pub fn write_stream(
    sink: &mut dyn ExportSink,
    name: &str,
    mut body: impl FnMut(&mut dyn std::io::Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut cancelled = false;
    let written = sink.write_file(name, &mut |out| match body(out) {
        Ok(()) => Ok(()),
        Err(ExportError::Write(error)) => Err(error),
        Err(ExportError::Cancelled) => {
            cancelled = true;
            Err(std::io::Error::other("cancelled"))
        }
    });
    if cancelled {
        return Err(ExportError::Cancelled);
    }
    Ok(written?)
}

/// Why an import failed. Nothing was changed or written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// An input could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The input.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// An input is not UTF-8.
    #[error("{}:{line}: not UTF-8 text (invalid byte at byte offset {byte_offset})", path.display())]
    NotUtf8 {
        /// The input.
        path: PathBuf,
        /// The 1-based line of the first invalid byte.
        line: usize,
        /// The offset of the first invalid byte.
        byte_offset: usize,
    },
    /// An input is malformed or does not fit the project.
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        /// The input.
        path: PathBuf,
        /// The 1-based line of the problem (1 for whole-file problems).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Where an imported item came from, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourcePlace {
    /// The input file.
    pub path: PathBuf,
    /// The 1-based line.
    pub line: usize,
}

impl SourcePlace {
    /// Line `line` of `path`.
    pub fn new(path: &Path, line: usize) -> Self {
        Self { path: path.to_owned(), line }
    }

    /// An [`ImportError::Invalid`] at this place.
    pub fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::Invalid { path: self.path.clone(), line: self.line, message: message.into() }
    }
}

/// An annotation read from an input, with where it was read.
#[derive(Clone, Debug)]
pub struct ImportedAnnotation {
    /// The annotation; offsets are code points of the document's text.
    pub annotation: Annotation,
    /// Where it came from.
    pub place: SourcePlace,
}

/// A document read from an input, with its annotations.
#[derive(Clone, Debug)]
pub struct ImportedDocument {
    /// Its title.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Its annotations; relations refer to ids among them.
    pub annotations: Vec<ImportedAnnotation>,
    /// Its discussion thread, for formats that carry one.
    pub comments: Vec<crate::model::Comment>,
    /// Where the document came from.
    pub place: SourcePlace,
}

/// Choices that shape an import.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The author recorded on annotations whose format does not name one.
    pub author: String,
    /// Add labels the schema lacks (as new labels of the annotation's kind) instead of refusing.
    pub add_unknown_labels: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { author: "import".into(), add_unknown_labels: false }
    }
}

/// What an import added.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportSummary {
    /// Documents added to the project.
    pub documents_added: usize,
    /// Documents whose text the project already had; their annotations joined it.
    pub documents_merged: usize,
    /// Annotations added.
    pub annotations_added: usize,
    /// What was changed or could not be carried over.
    pub report: LossReport,
}

/// Reads `inputs` in `format` and adds them to `project`. On error the project is unchanged.
pub fn import(
    project: &mut Project,
    format: ImportFormat,
    inputs: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let mut report = LossReport::default();
    let documents = match format {
        ImportFormat::Text => text::read(inputs)?,
        ImportFormat::Jsonl => jsonl::read(inputs, options, &mut report)?,
        ImportFormat::Brat => brat::read(inputs, options, &project.schema, &mut report)?,
        ImportFormat::LabelStudio => labelstudio::read(inputs, options, &project.schema, &mut report)?,
    };
    let mut summary = add_documents(project, documents, options)?;
    summary.report.merge(report);
    Ok(summary)
}

/// Adds imported documents to `project`: a text the project already has receives the new
/// annotations; labels missing from the schema are refused, or added with
/// [`ImportOptions::add_unknown_labels`]; every annotation is checked against the schema. Ids
/// that clash with the project's are renewed (relations follow). All or nothing.
pub fn add_documents(
    project: &mut Project,
    documents: Vec<ImportedDocument>,
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let mut updated = project.clone();
    let mut summary = ImportSummary::default();
    let mut used_ids: std::collections::HashSet<AnnotationId> =
        updated.documents.iter().flat_map(|document| document.annotations.iter().map(|a| a.id.clone())).collect();
    for imported in documents {
        for item in &imported.annotations {
            ensure_label(&mut updated, item, options, &mut summary.report)?;
        }
        let fresh = Document::new(imported.title.clone(), imported.text);
        let index = match updated.documents.iter().position(|document| document.sha256 == fresh.sha256) {
            Some(index) => {
                summary.documents_merged += 1;
                index
            }
            None => {
                let mut fresh = fresh;
                if !imported.annotations.is_empty() {
                    fresh.status = crate::model::DocumentStatus::InProgress;
                }
                while updated.documents.iter().any(|document| document.id == fresh.id) {
                    fresh.id.0.push('x');
                }
                updated.documents.push(fresh);
                summary.documents_added += 1;
                updated.documents.len() - 1
            }
        };
        let (new_ids, followed) = renew_clashing_ids(&imported.annotations, &mut used_ids, &mut summary.report);
        let Project { schema, documents, .. } = &mut updated;
        let document = &mut documents[index];
        document.comments.extend(imported.comments.iter().cloned());
        let mut annotations: Vec<(Annotation, &SourcePlace)> = imported
            .annotations
            .iter()
            .zip(new_ids)
            .map(|(item, new_id)| {
                let mut annotation = item.annotation.clone();
                if let Some(new_id) = new_id {
                    annotation.id = new_id;
                }
                for relation in &mut annotation.relations {
                    if let RelationTarget::Annotation(target) = &mut relation.target
                        && let Some(new_id) = followed.get(target)
                    {
                        *target = new_id.clone();
                    }
                }
                (annotation, &item.place)
            })
            .collect();
        // Relations may point forward, so all annotations go in before any is checked.
        for (annotation, _) in &annotations {
            document.annotations.push(annotation.clone());
        }
        document.sort_annotations();
        for (annotation, place) in annotations.drain(..) {
            let problems = check_annotation(schema, document, &annotation);
            if let Some(problem) = problems.first() {
                return Err(place.error(describe(problem)));
            }
            summary.annotations_added += 1;
        }
    }
    *project = updated;
    Ok(summary)
}

/// A problem's message with its offset, for an import error that already names file and line.
fn describe(problem: &Problem) -> String {
    match problem.offset {
        Some(offset) => format!("{} (offset {offset})", problem.message),
        None => problem.message.clone(),
    }
}

/// Gives new ids to imported annotations whose ids are taken: by the project, by an earlier
/// input, or by an earlier annotation of the same input. Returns each annotation's new id, if it
/// got one, and the renaming relations follow: that of each id's first annotation here (a
/// relation to an id used twice in one input points at the first).
fn renew_clashing_ids(
    annotations: &[ImportedAnnotation],
    used: &mut std::collections::HashSet<AnnotationId>,
    report: &mut LossReport,
) -> (Vec<Option<AnnotationId>>, std::collections::HashMap<AnnotationId, AnnotationId>) {
    let mut seen_here = std::collections::HashSet::new();
    let mut followed = std::collections::HashMap::new();
    let new_ids = annotations
        .iter()
        .map(|item| {
            let id = &item.annotation.id;
            let first_here = seen_here.insert(id);
            if used.insert(id.clone()) {
                return None;
            }
            let mut fresh = AnnotationId::random();
            while !used.insert(fresh.clone()) {
                fresh = AnnotationId::random();
            }
            let place = format!("{}:{}", item.place.path.display(), item.place.line);
            if first_here {
                report.record("annotation ids already in the project were renewed", place);
                followed.insert(id.clone(), fresh.clone());
            } else {
                report.record("annotation ids used twice in the input were renewed (relations point at the first)", place);
            }
            Some(fresh)
        })
        .collect();
    (new_ids, followed)
}

/// Makes sure the schema has the imported annotation's label, with its kind.
fn ensure_label(
    project: &mut Project,
    item: &ImportedAnnotation,
    options: &ImportOptions,
    report: &mut LossReport,
) -> Result<(), ImportError> {
    let annotation = &item.annotation;
    match project.schema.label(&annotation.label) {
        Some(label) if label.kind == annotation.kind => Ok(()),
        Some(label) => Err(item.place.error(format!(
            "label {:?} is a {} label in the project, not a {} one",
            label.name,
            label.kind.title(),
            annotation.kind.title()
        ))),
        None if options.add_unknown_labels => {
            project.schema.add_label(&annotation.label, annotation.kind, "Added by an import.");
            report.record(
                &format!("label {:?} was added to the schema", annotation.label),
                format!("{}:{}", item.place.path.display(), item.place.line),
            );
            Ok(())
        }
        None => Err(item.place.error(format!("label {:?} is not in the project's schema (pass --add-labels to add it)", annotation.label))),
    }
}

/// Reads a file as UTF-8, naming the line of the first invalid byte.
pub fn read_utf8(path: &Path) -> Result<String, ImportError> {
    let bytes = super::read_bounded(path).map_err(|source| ImportError::Read { path: path.to_owned(), source })?;
    String::from_utf8(bytes).map_err(|error| {
        let byte_offset = error.utf8_error().valid_up_to();
        let line = 1 + error.as_bytes()[..byte_offset].iter().filter(|&&byte| byte == b'\n').count();
        ImportError::NotUtf8 { path: path.to_owned(), line, byte_offset }
    })
}

/// `text` without the byte order mark some Windows tools put first: it is not part of the
/// content. (brat texts keep theirs: the offsets of their `.ann` files count it.)
pub fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// The files an input names: the file itself, or the files of a folder with extension `extension`,
/// sorted by name.
pub fn input_files(input: &Path, extension: &str) -> Result<Vec<PathBuf>, ImportError> {
    if !input.is_dir() {
        return Ok(vec![input.to_owned()]);
    }
    let entries = std::fs::read_dir(input).map_err(|source| ImportError::Read { path: input.to_owned(), source })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    Ok(files)
}

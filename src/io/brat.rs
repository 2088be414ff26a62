//! brat standoff: the format of the brat rapid annotation tool (<https://brat.nlplab.org/standoff.html>).
//!
//! An export is a folder that brat opens as a collection: for each document `STEM.txt` (its text,
//! byte for byte) and `STEM.ann` (its annotations), with `STEM` from [`document_file_stems`]; and
//! `annotation.conf` (the label schema) and `visual.conf` (each label's title and colour).
//!
//! # Mapping
//!
//! | Gloss                                        | brat `.ann` line                                       |
//! |----------------------------------------------|--------------------------------------------------------|
//! | entity, claim or sentiment                   | text-bound: `T1\tPER 178 186\tPakistan`                |
//! | discontinuous fragments                      | `T3\tCLAIM 0 5;10 20\ttext1 text2` (texts joined by a space) |
//! | relation to an annotation                    | `R1\tclaimant Arg1:T5 Arg2:T1`                         |
//! | relation to an implicit participant          | attribute named after the role: `A3\tclaimant T5 unnamed_source` |
//! | attribute                                    | `A1\tclaim_type T5 prediction`                         |
//! | flag attribute set to yes                    | binary attribute: `A2\tname T5`                        |
//! | note                                         | `#1\tAnnotatorNotes T1\tnote text`                     |
//! | document label (no fragments)                | nothing: brat has no document-level annotations        |
//!
//! Offsets count Unicode code points (Python `str` indices) in brat as in Gloss, so they are written
//! unchanged. Ids are numbered per document in annotation order (`T1`, `T2`, ... and likewise `R`,
//! `A`, `#`); Gloss annotation ids are not carried, and imported annotations get fresh ids.
//!
//! # What changes on the way
//!
//! Every change is recorded in the returned [`LossReport`]:
//!
//! - Document labels are dropped, with their attributes; so are annotations on nothing but line
//!   breaks and blanks, relations to annotations brat cannot hold, flags set to no (a binary
//!   attribute is only present or absent), empty text values, and document titles (brat knows a
//!   document by its file name).
//! - brat span text never contains a line break, so each fragment is split at its line breaks, the
//!   way brat splits a selection: `\n`, `\r\n` (as one break) and a lone `\r` belong to no piece, and
//!   blank pieces at either end of the fragment are dropped. The reader joins consecutive fragments
//!   separated only by line breaks back into one, so a split fragment comes back whole:
//!
//!   ```text
//!   Gloss fragment:  [Mujahid 😀.␍␊The family]
//!   brat fragments:  [Mujahid 😀.]␍␊[The family]   →  read back as the Gloss fragment
//!   ```
//!
//!   What cannot come back is reported: blank lines cut from fragment ends, and two fragments that
//!   were already apart with nothing but line breaks between them (they are read back as one).
//! - brat names and attribute values cannot contain spaces: spaces are written as underscores
//!   (`direct quote` → `direct_quote`) and mapped back by matching against the schema's labels,
//!   roles, attribute names and choices. Only a value that does not map back (free text with spaces,
//!   or two choices that differ only by space and underscore) is reported.
//! - Line breaks and tabs in notes become spaces.
//! - brat's web interface counts a CRLF line end as one character (nlplab/brat#853), so it shows
//!   the spans after a CRLF shifted; the files count both characters, as the standoff format and
//!   other tools do. Such documents are reported.
//!
//! # `annotation.conf`
//!
//! `[entities]` lists every span label; `[relations]` declares each role from its labels to the
//! labels of its target kinds (a role several labels use is declared once for all of them), and
//! allows any overlap of text-bound annotations, as Gloss does; `[events]` is empty; `[attributes]`
//! declares each attribute with its values (the choices; for numbers and free text, the values the
//! project uses) and, for each role with implicit participants, an attribute of that role's name.
//!
//! # Import
//!
//! The reader takes folders (every `.ann` with its `.txt` beside it) or `.ann` files; each becomes a
//! document titled by its file stem. It reads `T`, `R`, `A`/`M` and `#` (`AnnotatorNotes`) lines and
//! skips events (`E`), normalizations (`N`) and any other line, counting them in the report. It
//! refuses, naming file and line: malformed lines, references to unknown ids, reversed or empty
//! offsets and offsets past the end of the text, span text that differs from the text at its offsets
//! (brat's own rule), overlapping fragments, a missing or non-UTF-8 text, labels missing from the
//! schema (unless [`ImportOptions::add_unknown_labels`]), and attributes or values the schema lacks.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use super::convert::{
    ExportError, ImportError, ImportOptions, ImportedAnnotation, ImportedDocument, Progress, SourcePlace, for_each_document, input_files,
    read_utf8, without_bom,
};
use super::report::{LossReport, place};
use super::sink::{ExportSink, document_file_stems};
use crate::model::{Annotation, AnnotationId, AttributeValue, Document, Kind, Project, Provenance, RelationTarget, Span};
use crate::schema::{AttributeDef, AttributeType, LabelDef, LabelSchema};
use crate::text::DocumentText;

/// The format's name, recorded in the provenance of imported annotations.
const FORMAT: &str = "brat";

/// The annotation configuration file of an export.
const ANNOTATION_CONF: &str = "annotation.conf";

/// The display configuration file of an export.
const VISUAL_CONF: &str = "visual.conf";

const DOCUMENT_LABELS_DROPPED: &str = "document labels dropped: brat has no document-level annotations";
const DOCUMENT_COMMENTS_DROPPED: &str = "comments on whole documents dropped: brat notes belong to annotations";
const TITLES_DROPPED: &str = "document titles dropped: brat knows a document by its file name";
const CRLF_TEXTS: &str = "texts with CRLF line ends: brat's web view counts CRLF as one character and shifts later spans (nlplab/brat#853)";
const FRAGMENTS_SPLIT: &str = "fragments split at line breaks: brat span text cannot contain them (joined again on import)";
const FRAGMENTS_CHANGED: &str =
    "fragments changed at line breaks: blank lines at fragment ends dropped, or fragments apart only by line breaks read back as one";
const BLANK_ANNOTATIONS_DROPPED: &str = "annotations on nothing but line breaks and blanks dropped: brat spans cannot hold them";
const RELATIONS_DROPPED: &str = "relations to annotations brat cannot hold dropped";
const FALSE_FLAGS_DROPPED: &str = "flags set to no dropped: a brat binary attribute is only present or absent";
const EMPTY_VALUES_DROPPED: &str = "empty attribute values dropped: brat needs a value";
const VALUES_CHANGED: &str = "attribute values changed: brat values cannot contain spaces, and these do not map back to the schema";
const NOTES_FLATTENED: &str = "line breaks and tabs in notes replaced by spaces";

const EVENTS_SKIPPED: &str = "brat events (E lines) skipped: Gloss has no events";
const NORMALIZATIONS_SKIPPED: &str = "brat normalizations (N lines) skipped: Gloss does not link to knowledge bases";
const OTHER_LINES_SKIPPED: &str = "other brat lines skipped (equivalences, comments other than AnnotatorNotes)";
const REPEATS_DROPPED: &str = "repeated relations or attributes of one annotation dropped: Gloss keeps one per name";
const NEW_LABEL_LINKS_DROPPED: &str = "relations and attributes of labels new to the schema dropped";

/// Writes the project as a brat collection into `sink` (a folder); returns what brat cannot hold.
pub fn export(project: &Project, sink: &mut dyn ExportSink, progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    let mut report = LossReport::default();
    let stems = document_file_stems(project);
    for_each_document(project, progress, |index, document| {
        let stem = stems.get(index).ok_or_else(|| io::Error::other(format!("document {} has no file name", document.id)))?;
        record_document_losses(document, stem, &mut report);
        let ann = AnnWriter::new(document, &project.schema, &mut report).write();
        write_text(sink, &format!("{stem}.txt"), document.text.as_str())?;
        write_text(sink, &format!("{stem}.ann"), &ann)?;
        Ok(())
    })?;
    write_text(sink, ANNOTATION_CONF, &annotation_conf(project))?;
    write_text(sink, VISUAL_CONF, &visual_conf(&project.schema))?;
    Ok(report)
}

fn write_text(sink: &mut dyn ExportSink, name: &str, text: &str) -> io::Result<()> {
    sink.write_file(name, &mut |writer| writer.write_all(text.as_bytes()))
}

/// Records what brat loses of a document as a whole.
fn record_document_losses(document: &Document, stem: &str, report: &mut LossReport) {
    if document.title != stem {
        report.record(TITLES_DROPPED, &document.id);
    }
    if document.text.as_str().contains("\r\n") {
        report.record(CRLF_TEXTS, &document.id);
    }
    report.record_many(DOCUMENT_COMMENTS_DROPPED, document.comments.len(), &document.id);
}

/// Builds one document's `.ann` file: text-bound lines first, then relations, attributes and notes,
/// each numbered in annotation order.
struct AnnWriter<'a> {
    document: &'a Document,
    schema: &'a LabelSchema,
    report: &'a mut LossReport,
    text_bound: Vec<String>,
    relations: Vec<String>,
    attributes: Vec<String>,
    notes: Vec<String>,
}

impl<'a> AnnWriter<'a> {
    fn new(document: &'a Document, schema: &'a LabelSchema, report: &'a mut LossReport) -> Self {
        Self { document, schema, report, text_bound: Vec::new(), relations: Vec::new(), attributes: Vec::new(), notes: Vec::new() }
    }

    /// The text of the `.ann` file.
    fn write(mut self) -> String {
        let spans = self.text_bound_annotations();
        let brat_ids: HashMap<&AnnotationId, String> =
            spans.iter().enumerate().map(|(index, (annotation, _))| (&annotation.id, format!("T{}", index + 1))).collect();
        for (annotation, fragments) in &spans {
            let Some(brat_id) = brat_ids.get(&annotation.id) else { continue };
            self.write_text_bound(brat_id, annotation, fragments);
            self.write_relations(brat_id, annotation, &brat_ids);
            self.write_attributes(brat_id, annotation);
            self.write_note(brat_id, annotation);
        }
        let lines = [self.text_bound, self.relations, self.attributes, self.notes].concat();
        lines.iter().map(|line| format!("{line}\n")).collect()
    }

    /// The annotations brat can hold, each with its brat fragments; records the others.
    fn text_bound_annotations(&mut self) -> Vec<(&'a Annotation, Vec<Span>)> {
        let document = self.document;
        let mut spans = Vec::new();
        for annotation in &document.annotations {
            if !annotation.kind.has_spans() {
                self.report.record(DOCUMENT_LABELS_DROPPED, format!("{} ({})", place(document, annotation), describe(annotation)));
                continue;
            }
            let fragments = self.brat_fragments(annotation);
            if fragments.is_empty() {
                self.report.record(BLANK_ANNOTATIONS_DROPPED, place(document, annotation));
                continue;
            }
            spans.push((annotation, fragments));
        }
        spans
    }

    /// The annotation's fragments split at line breaks; records the splits and any change that
    /// reading the file back would not undo.
    fn brat_fragments(&mut self, annotation: &Annotation) -> Vec<Span> {
        let text = &self.document.text;
        let mut fragments = Vec::new();
        for fragment in &annotation.fragments {
            let pieces = split_at_line_breaks(text, *fragment);
            if pieces.len() > 1 {
                self.report.record(FRAGMENTS_SPLIT, place(self.document, annotation));
            }
            fragments.extend(pieces);
        }
        if !fragments.is_empty() && join_line_broken(text, fragments.iter().copied()) != annotation.fragments {
            self.report.record(FRAGMENTS_CHANGED, place(self.document, annotation));
        }
        fragments
    }

    fn write_text_bound(&mut self, brat_id: &str, annotation: &Annotation, fragments: &[Span]) {
        let offsets: Vec<String> = fragments.iter().map(|fragment| format!("{} {}", fragment.start, fragment.end)).collect();
        let text = span_text(&self.document.text, fragments);
        self.text_bound.push(format!("{brat_id}\t{} {}\t{text}", brat_name(&annotation.label), offsets.join(";")));
    }

    fn write_relations(&mut self, brat_id: &str, annotation: &Annotation, brat_ids: &HashMap<&AnnotationId, String>) {
        for relation in &annotation.relations {
            let role = brat_name(&relation.role);
            match &relation.target {
                RelationTarget::Annotation(target) => match brat_ids.get(target) {
                    Some(target) => {
                        let id = self.relations.len() + 1;
                        self.relations.push(format!("R{id}\t{role} Arg1:{brat_id} Arg2:{target}"));
                    }
                    None => self.report.record(RELATIONS_DROPPED, place(self.document, annotation)),
                },
                RelationTarget::Implicit(participant) => {
                    let meant = Assignment::Relation(relation.role.clone(), relation.target.clone());
                    self.write_attribute(annotation, brat_id, &role, Some(&brat_name(participant)), meant);
                }
            }
        }
    }

    fn write_attributes(&mut self, brat_id: &str, annotation: &Annotation) {
        for (name, value) in &annotation.attributes {
            let written = match BratValue::of(value) {
                BratValue::Unwritable(loss) => {
                    self.report.record(loss, place(self.document, annotation));
                    continue;
                }
                BratValue::Binary => None,
                BratValue::Value(text) => Some(text),
            };
            let meant = Assignment::Attribute(name.clone(), value.clone());
            self.write_attribute(annotation, brat_id, &brat_name(name), written.as_deref(), meant);
        }
    }

    /// Writes an `A` line; records a loss if reading it back would not give what was `meant`.
    fn write_attribute(&mut self, annotation: &Annotation, brat_id: &str, name: &str, value: Option<&str>, meant: Assignment) {
        let read_back = self.schema.label(&annotation.label).and_then(|label| attribute_assignment(label, name, value).ok());
        if read_back.is_some_and(|read_back| read_back != meant) {
            self.report.record(VALUES_CHANGED, place(self.document, annotation));
        }
        let id = self.attributes.len() + 1;
        self.attributes.push(match value {
            Some(value) => format!("A{id}\t{name} {brat_id} {value}"),
            None => format!("A{id}\t{name} {brat_id}"),
        });
    }

    /// The note, then each comment of the thread, as `AnnotatorNotes` lines.
    fn write_note(&mut self, brat_id: &str, annotation: &Annotation) {
        let comments =
            annotation.comments.iter().map(|comment| format!("{COMMENT_PREFIX}{} ({}): {}", comment.author, comment.time, comment.text));
        let texts: Vec<String> = (!annotation.note.is_empty()).then(|| annotation.note.clone()).into_iter().chain(comments).collect();
        for text in texts {
            let flat = text.replace(['\r', '\n', '\t'], " ");
            if flat != text {
                self.report.record(NOTES_FLATTENED, place(self.document, annotation));
            }
            let id = self.notes.len() + 1;
            self.notes.push(format!("#{id}\tAnnotatorNotes {brat_id}\t{flat}"));
        }
    }
}

/// How an `AnnotatorNotes` line marks a comment of the discussion thread rather than the note:
/// `Comment by AUTHOR (TIME): TEXT`.
const COMMENT_PREFIX: &str = "Comment by ";

/// Reads a comment line written by [`AnnWriter::write_note`]; `None` for a plain note.
fn parse_comment(note: &str) -> Option<crate::model::Comment> {
    let rest = note.strip_prefix(COMMENT_PREFIX)?;
    let (author, rest) = rest.split_once(" (")?;
    let (time, text) = rest.split_once("): ")?;
    Some(crate::model::Comment { author: author.to_owned(), time: time.parse().ok()?, text: text.to_owned() })
}

/// A dropped annotation for the report: its label and attributes (`DOC_SENTIMENT polarity=mixed`).
fn describe(annotation: &Annotation) -> String {
    let mut parts = vec![annotation.label.clone()];
    parts.extend(annotation.attributes.iter().map(|(name, value)| format!("{name}={value}")));
    parts.join(" ")
}

/// How an attribute value is written in an `A` line.
enum BratValue {
    /// A binary attribute: present, without a value.
    Binary,
    /// A value, spaces written as underscores.
    Value(String),
    /// Not writable; the loss to report.
    Unwritable(&'static str),
}

impl BratValue {
    fn of(value: &AttributeValue) -> Self {
        match value {
            AttributeValue::Flag(true) => BratValue::Binary,
            AttributeValue::Flag(false) => BratValue::Unwritable(FALSE_FLAGS_DROPPED),
            AttributeValue::Number(number) => BratValue::Value(number.to_string()),
            AttributeValue::Text(text) if text.is_empty() => BratValue::Unwritable(EMPTY_VALUES_DROPPED),
            AttributeValue::Text(text) => BratValue::Value(brat_name(text)),
        }
    }
}

/// The pieces of `fragment` between its line breaks (`\n`, `\r\n` or a lone `\r`), the way brat
/// splits a selection: line-break characters belong to no piece, and when the fragment has line
/// breaks, blank pieces at its ends are dropped. A fragment without line breaks is its own piece.
///
/// ```text
/// [Mujahid 😀.␍␊The family]  →  [Mujahid 😀.] [The family]
/// [replied.␊␊   ]             →  [replied.]
/// ```
fn split_at_line_breaks(text: &DocumentText, fragment: Span) -> Vec<Span> {
    let mut pieces = Vec::new();
    let mut piece_start = fragment.start;
    for (offset, character) in (fragment.start..).zip(text.slice(fragment).chars()) {
        if is_line_break(character) {
            if piece_start < offset {
                pieces.push(Span::new(piece_start, offset));
            }
            piece_start = offset + 1;
        }
    }
    if piece_start < fragment.end {
        pieces.push(Span::new(piece_start, fragment.end));
    }
    if pieces == [fragment] {
        return pieces;
    }
    let is_blank = |piece: &Span| text.slice(*piece).chars().all(char::is_whitespace);
    let mut pieces: Vec<Span> = pieces.into_iter().skip_while(is_blank).collect();
    while pieces.last().is_some_and(is_blank) {
        pieces.pop();
    }
    pieces
}

/// Joins consecutive fragments separated by nothing but line breaks: the inverse of
/// [`split_at_line_breaks`]. `fragments` are sorted and do not overlap.
fn join_line_broken(text: &DocumentText, fragments: impl IntoIterator<Item = Span>) -> Vec<Span> {
    let mut joined: Vec<Span> = Vec::new();
    for fragment in fragments {
        match joined.last_mut() {
            Some(last) if last.end < fragment.start && text.slice(Span::new(last.end, fragment.start)).chars().all(is_line_break) => {
                last.end = fragment.end;
            }
            _ => joined.push(fragment),
        }
    }
    joined
}

fn is_line_break(character: char) -> bool {
    matches!(character, '\n' | '\r')
}

/// The text brat writes after a text-bound annotation's offsets: the fragments' texts joined by a
/// space.
fn span_text(text: &DocumentText, fragments: &[Span]) -> String {
    let texts: Vec<&str> = fragments.iter().map(|fragment| text.slice(*fragment)).collect();
    texts.join(" ")
}

/// A name or value as brat can store it: whitespace becomes underscores (`direct quote` →
/// `direct_quote`).
fn brat_name(name: &str) -> String {
    name.chars().map(|character| if character.is_whitespace() { '_' } else { character }).collect()
}

/// The first of `names` that brat writes as `written`.
fn from_brat<'n>(written: &str, names: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    names.into_iter().find(|name| brat_name(name) == written)
}

/// The value of attribute `definition` that brat wrote as `written` (`None` for a binary
/// attribute); the error says why it is not one.
fn attribute_from_brat(definition: &AttributeDef, written: Option<&str>) -> Result<AttributeValue, String> {
    let name = &definition.name;
    let value = match (&definition.value_type, written) {
        (AttributeType::Flag, None) => AttributeValue::Flag(true),
        (AttributeType::Flag, Some(written)) => return Err(format!("attribute {name:?} is a flag and takes no value, not {written:?}")),
        (_, None) => return Err(format!("attribute {name:?} needs a value")),
        (AttributeType::Choice(choices), Some(written)) => match from_brat(written, choices.iter().map(String::as_str)) {
            Some(choice) => AttributeValue::Text(choice.to_owned()),
            None => {
                let allowed: Vec<String> = choices.iter().map(|choice| brat_name(choice)).collect();
                return Err(format!("{written:?} is not a value of attribute {name:?} (one of {})", allowed.join(", ")));
            }
        },
        (AttributeType::Number { .. }, Some(written)) => {
            AttributeValue::Number(written.parse().map_err(|_| format!("attribute {name:?} needs a number, not {written:?}"))?)
        }
        (AttributeType::Text, Some(written)) => AttributeValue::Text(written.to_owned()),
    };
    if definition.value_type.accepts(&value) { Ok(value) } else { Err(format!("attribute {name:?} cannot be {value}")) }
}

/// `annotation.conf`: the project's span labels, relation roles and attributes.
fn annotation_conf(project: &Project) -> String {
    let span_labels: Vec<&LabelDef> = project.schema.labels.iter().filter(|label| label.kind.has_spans()).collect();
    let mut relations = Declarations::default();
    let mut attributes = Declarations::default();
    for label in &span_labels {
        for relation in &label.relations {
            let targets =
                span_labels.iter().filter(|target| relation.target_kinds.contains(&target.kind)).map(|target| brat_name(&target.name));
            relations.declare(&relation.role, &label.name, targets);
            if !relation.implicit.is_empty() {
                attributes.declare(&relation.role, &label.name, relation.implicit.iter().map(|participant| brat_name(participant)));
            }
        }
        for attribute in &label.attributes {
            let values = declared_values(project, label, attribute);
            if values.is_empty() && attribute.value_type != AttributeType::Flag {
                continue;
            }
            attributes.declare(&attribute.name, &label.name, values);
        }
    }
    let mut lines =
        vec!["# brat annotation configuration, written by Gloss from the project's label schema.".to_owned(), "[entities]".to_owned()];
    lines.extend(span_labels.iter().map(|label| brat_name(&label.name)));
    lines.extend(["".to_owned(), "[relations]".to_owned(), "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>".to_owned()]);
    lines.extend(
        relations
            .0
            .iter()
            .filter(|(_, declaration)| !declaration.members.is_empty())
            .map(|(role, declaration)| format!("{role}\tArg1:{}, Arg2:{}", declaration.owners.join("|"), declaration.members.join("|"))),
    );
    lines.extend(["".to_owned(), "[events]".to_owned(), "".to_owned(), "[attributes]".to_owned()]);
    lines.extend(attributes.0.iter().map(|(name, declaration)| {
        let owners = declaration.owners.join("|");
        if declaration.members.is_empty() {
            format!("{name}\tArg:{owners}")
        } else {
            format!("{name}\tArg:{owners}, Value:{}", declaration.members.join("|"))
        }
    }));
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// The values `annotation.conf` lists for an attribute: the schema's choices; for numbers and free
/// text, the values the project's annotations use; none for a flag.
fn declared_values(project: &Project, label: &LabelDef, attribute: &AttributeDef) -> Vec<String> {
    match &attribute.value_type {
        AttributeType::Choice(choices) => choices.iter().map(|choice| brat_name(choice)).collect(),
        AttributeType::Flag => Vec::new(),
        AttributeType::Number { .. } | AttributeType::Text => {
            let used: BTreeSet<String> = project
                .documents
                .iter()
                .flat_map(|document| &document.annotations)
                .filter(|annotation| annotation.label == label.name)
                .filter_map(|annotation| match BratValue::of(annotation.attributes.get(&attribute.name)?) {
                    BratValue::Value(text) => Some(text),
                    BratValue::Binary | BratValue::Unwritable(_) => None,
                })
                .collect();
            used.into_iter().collect()
        }
    }
}

/// The lines of one `annotation.conf` section by brat name: a role or attribute that several labels
/// use is declared once for all of them.
#[derive(Default)]
struct Declarations(BTreeMap<String, Declaration>);

/// One line of [`Declarations`].
#[derive(Default)]
struct Declaration {
    /// The labels it applies to (`Arg1` of a relation, `Arg` of an attribute).
    owners: Vec<String>,
    /// A relation's target labels (`Arg2`), or an attribute's values.
    members: Vec<String>,
}

impl Declarations {
    fn declare(&mut self, name: &str, owner: &str, members: impl IntoIterator<Item = String>) {
        let declaration = self.0.entry(brat_name(name)).or_default();
        push_new(&mut declaration.owners, brat_name(owner));
        for member in members {
            push_new(&mut declaration.members, member);
        }
    }
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// `visual.conf`: each span label's title and colour.
fn visual_conf(schema: &LabelSchema) -> String {
    let span_labels: Vec<&LabelDef> = schema.labels.iter().filter(|label| label.kind.has_spans()).collect();
    let mut lines =
        vec!["# brat display configuration, written by Gloss: each label's title and colour.".to_owned(), "[labels]".to_owned()];
    lines.extend(span_labels.iter().map(|label| format!("{} | {}", brat_name(&label.name), conf_title(&label.title))));
    lines.extend([
        "".to_owned(),
        "[drawing]".to_owned(),
        "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken".to_owned(),
        "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5".to_owned(),
        "ATTRIBUTE_DEFAULT\tglyph:*".to_owned(),
    ]);
    lines.extend(span_labels.iter().map(|label| format!("{}\tbgColor:{}", brat_name(&label.name), label.color)));
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// A title as a `[labels]` entry can hold it: `|` separates names there, `<...>` is a macro and
/// control characters end the line, so they become spaces.
fn conf_title(title: &str) -> String {
    title.chars().map(|character| if matches!(character, '|' | '<' | '>') || character.is_control() { ' ' } else { character }).collect()
}

/// Reads brat `.ann` files, given directly or as the folders holding them, each with its `.txt`.
pub fn read(
    inputs: &[PathBuf],
    options: &ImportOptions,
    schema: &LabelSchema,
    report: &mut LossReport,
) -> Result<Vec<ImportedDocument>, ImportError> {
    let mut documents = Vec::new();
    for input in inputs {
        for ann_path in input_files(input, "ann")? {
            documents.push(read_document(&ann_path, options, schema, report)?);
        }
    }
    Ok(documents)
}

/// Reads one `.ann` file and the `.txt` beside it.
fn read_document(
    ann_path: &Path,
    options: &ImportOptions,
    schema: &LabelSchema,
    report: &mut LossReport,
) -> Result<ImportedDocument, ImportError> {
    let text_path = ann_path.with_extension("txt");
    if !text_path.is_file() {
        return Err(SourcePlace::new(ann_path, 1).error(format!("the document text {} is missing", text_path.display())));
    }
    let text = DocumentText::new(read_utf8(&text_path)?);
    let source = without_bom(read_utf8(ann_path)?);
    let mut entries = Vec::new();
    for (index, line) in source.trim_start_matches('\u{feff}').lines().enumerate() {
        let place = SourcePlace::new(ann_path, index + 1);
        if !line.trim().is_empty() {
            entries.push((parse_line(line, &text).map_err(|message| place.error(message))?, place));
        }
    }
    let mut reader = AnnReader { schema, options, report, annotations: BratAnnotations::default() };
    for (entry, place) in &entries {
        if let Entry::TextBound { brat_id, label, fragments } = entry {
            reader.add_text_bound(brat_id, label, fragments.clone(), place)?;
        }
    }
    for (entry, place) in &entries {
        reader.apply(entry, place)?;
    }
    let title = ann_path.file_stem().map_or_else(|| ann_path.display().to_string(), |stem| stem.to_string_lossy().into_owned());
    Ok(ImportedDocument {
        comments: Vec::new(),
        title,
        text: text.as_str().to_owned(),
        annotations: reader.annotations.items,
        place: SourcePlace::new(ann_path, 1),
    })
}

/// One line of an `.ann` file, borrowing its names from the line.
enum Entry<'a> {
    /// `T1\tPER 0 5\tImran`, with the fragments sorted and rejoined across line breaks.
    TextBound { brat_id: &'a str, label: &'a str, fragments: Vec<Span> },
    /// `R1\tclaimant Arg1:T2 Arg2:T1`.
    Relation { role: &'a str, source: &'a str, target: &'a str },
    /// `A1\tclaim_type T2 factual`, or `A2\tname T2` (binary).
    Attribute { name: &'a str, target: &'a str, value: Option<&'a str> },
    /// `#1\tAnnotatorNotes T1\tnote`.
    Note { target: &'a str, note: &'a str },
    /// A line Gloss does not read; the loss to report.
    Skipped(&'static str),
}

/// Parses one non-blank line; the error says what is wrong with it.
fn parse_line<'a>(line: &'a str, text: &DocumentText) -> Result<Entry<'a>, String> {
    let (brat_id, rest) =
        line.split_once('\t').ok_or_else(|| format!("malformed line {line:?}: expected an id, a tab and the annotation"))?;
    match brat_id.chars().next() {
        Some('T') => parse_text_bound(brat_id, rest, text),
        Some('R') => parse_relation(rest),
        Some('A' | 'M') => parse_attribute(rest),
        Some('#') => Ok(parse_note(rest)),
        Some('E') => Ok(Entry::Skipped(EVENTS_SKIPPED)),
        Some('N') => Ok(Entry::Skipped(NORMALIZATIONS_SKIPPED)),
        Some(_) => Ok(Entry::Skipped(OTHER_LINES_SKIPPED)),
        None => Err(format!("malformed line {line:?}: it has no id")),
    }
}

fn parse_text_bound<'a>(brat_id: &'a str, rest: &'a str, text: &DocumentText) -> Result<Entry<'a>, String> {
    let malformed = || format!("malformed text-bound annotation {brat_id}: expected `{brat_id}<TAB>LABEL START END<TAB>TEXT`");
    let (data, written_text) = rest.split_once('\t').ok_or_else(malformed)?;
    let (label, offsets) = data.split_once(' ').ok_or_else(malformed)?;
    let mut fragments = offsets.split(';').map(|pair| parse_fragment(pair, text.char_len())).collect::<Result<Vec<Span>, String>>()?;
    let expected = span_text(text, &fragments);
    if written_text != expected {
        return Err(format!("the span text {written_text:?} of {brat_id} differs from the text at its offsets, {expected:?}"));
    }
    fragments.sort();
    if fragments.windows(2).any(|pair| matches!(pair, [first, second] if first.overlaps(*second))) {
        return Err(format!("the fragments of {brat_id} overlap"));
    }
    Ok(Entry::TextBound { brat_id, label, fragments: join_line_broken(text, fragments) })
}

/// Parses `START END` of a text of `char_len` code points.
fn parse_fragment(pair: &str, char_len: usize) -> Result<Span, String> {
    let mut numbers = pair.split_whitespace().map(str::parse::<usize>);
    let (Some(Ok(start)), Some(Ok(end)), None) = (numbers.next(), numbers.next(), numbers.next()) else {
        return Err(format!("offsets {pair:?} are not two whole numbers"));
    };
    if start > end {
        return Err(format!("offsets {start} {end} are reversed"));
    }
    if start == end {
        return Err(format!("offsets {start} {end} mark an empty span"));
    }
    if end > char_len {
        return Err(format!("offset {end} is past the end of the text ({char_len} code points)"));
    }
    Ok(Span::new(start, end))
}

fn parse_relation(rest: &str) -> Result<Entry<'_>, String> {
    let data = rest.split('\t').next().unwrap_or_default();
    let mut words = data.split_whitespace();
    let (Some(role), Some(source), Some(target), None) =
        (words.next(), words.next().and_then(argument_id), words.next().and_then(argument_id), words.next())
    else {
        return Err(format!("malformed relation {data:?}: expected `TYPE Arg1:ID Arg2:ID`"));
    };
    Ok(Entry::Relation { role, source, target })
}

/// The id of a relation argument `NAME:ID`.
fn argument_id(argument: &str) -> Option<&str> {
    argument.split_once(':').map(|(_, id)| id).filter(|id| !id.is_empty())
}

fn parse_attribute(rest: &str) -> Result<Entry<'_>, String> {
    let data = rest.split('\t').next().unwrap_or_default();
    let mut words = data.split_whitespace();
    let (Some(name), Some(target), value, None) = (words.next(), words.next(), words.next(), words.next()) else {
        return Err(format!("malformed attribute {data:?}: expected `NAME ID` or `NAME ID VALUE`"));
    };
    Ok(Entry::Attribute { name, target, value })
}

fn parse_note(rest: &str) -> Entry<'_> {
    let (data, note) = rest.split_once('\t').unwrap_or((rest, ""));
    match data.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["AnnotatorNotes", target] => Entry::Note { target, note },
        _ => Entry::Skipped(OTHER_LINES_SKIPPED),
    }
}

/// The annotations read from one `.ann` file, by brat id.
#[derive(Default)]
struct BratAnnotations<'a> {
    items: Vec<ImportedAnnotation>,
    by_brat_id: HashMap<&'a str, usize>,
}

impl<'a> BratAnnotations<'a> {
    fn insert(&mut self, brat_id: &'a str, item: ImportedAnnotation) -> Result<(), String> {
        if self.by_brat_id.insert(brat_id, self.items.len()).is_some() {
            return Err(format!("the id {brat_id} is used twice"));
        }
        self.items.push(item);
        Ok(())
    }

    fn get_mut(&mut self, brat_id: &str) -> Result<&mut Annotation, String> {
        self.by_brat_id
            .get(brat_id)
            .and_then(|&index| self.items.get_mut(index))
            .map(|item| &mut item.annotation)
            .ok_or_else(|| format!("unknown annotation id {brat_id:?}"))
    }
}

/// Turns the entries of one `.ann` file into annotations.
struct AnnReader<'a> {
    schema: &'a LabelSchema,
    options: &'a ImportOptions,
    report: &'a mut LossReport,
    annotations: BratAnnotations<'a>,
}

/// A relation or attribute to set on an imported annotation.
#[derive(Debug, PartialEq)]
enum Assignment {
    Attribute(String, AttributeValue),
    Relation(String, RelationTarget),
}

impl<'a> AnnReader<'a> {
    fn add_text_bound(&mut self, brat_id: &'a str, label: &str, fragments: Vec<Span>, place: &SourcePlace) -> Result<(), ImportError> {
        let label = from_brat(label, self.schema.labels.iter().map(|known| known.name.as_str())).unwrap_or(label);
        let kind = match self.schema.label(label) {
            Some(known) => known.kind,
            None if self.options.add_unknown_labels => Kind::Entity,
            None => return Err(place.error(format!("label {label:?} is not in the project's schema (pass --add-labels to add it)"))),
        };
        let mut annotation = Annotation::new(kind, label, fragments, self.options.author.clone());
        annotation.provenance = Provenance::Imported { format: FORMAT.into() };
        self.annotations.insert(brat_id, ImportedAnnotation { annotation, place: place.clone() }).map_err(|message| place.error(message))
    }

    /// Applies a relation, attribute or note line to the annotation it names.
    fn apply(&mut self, entry: &Entry<'_>, place: &SourcePlace) -> Result<(), ImportError> {
        let at = |message: String| place.error(message);
        let line_place = || format!("{}:{}", place.path.display(), place.line);
        match entry {
            Entry::TextBound { .. } => {}
            Entry::Skipped(loss) => self.report.record(loss, line_place()),
            Entry::Note { target, note } => {
                let annotation = self.annotations.get_mut(target).map_err(at)?;
                if let Some(comment) = parse_comment(note) {
                    annotation.comments.push(comment);
                } else {
                    if !annotation.note.is_empty() {
                        annotation.note.push('\n');
                    }
                    annotation.note.push_str(note);
                }
            }
            Entry::Relation { role, source, target } => {
                let target_id = self.annotations.get_mut(target).map_err(at)?.id.clone();
                let annotation = self.annotations.get_mut(source).map_err(at)?;
                let Some(label) = self.schema.label(&annotation.label) else {
                    self.report.record(NEW_LABEL_LINKS_DROPPED, line_place());
                    return Ok(());
                };
                let role = from_brat(role, label.relations.iter().map(|relation| relation.role.as_str()))
                    .ok_or_else(|| at(format!("relation {role:?} is not defined for label {:?}", label.name)))?;
                assign(annotation, Assignment::Relation(role.to_owned(), RelationTarget::Annotation(target_id)), self.report, line_place());
            }
            Entry::Attribute { name, target, value } => {
                let annotation = self.annotations.get_mut(target).map_err(at)?;
                let Some(label) = self.schema.label(&annotation.label) else {
                    self.report.record(NEW_LABEL_LINKS_DROPPED, line_place());
                    return Ok(());
                };
                let assignment = attribute_assignment(label, name, *value).map_err(at)?;
                assign(annotation, assignment, self.report, line_place());
            }
        }
        Ok(())
    }
}

/// What an `A` line sets on an annotation of `label`: one of its attributes, or a relation to an
/// implicit participant written as an attribute named after the role.
fn attribute_assignment(label: &LabelDef, name: &str, value: Option<&str>) -> Result<Assignment, String> {
    if let Some(definition) = label.attributes.iter().find(|definition| brat_name(&definition.name) == name) {
        return Ok(Assignment::Attribute(definition.name.clone(), attribute_from_brat(definition, value)?));
    }
    let Some(relation) = label.relations.iter().find(|relation| !relation.implicit.is_empty() && brat_name(&relation.role) == name) else {
        return Err(format!("attribute {name:?} is not defined for label {:?}", label.name));
    };
    let participant = value.and_then(|value| from_brat(value, relation.implicit.iter().map(String::as_str))).ok_or_else(|| {
        let allowed: Vec<String> = relation.implicit.iter().map(|participant| brat_name(participant)).collect();
        format!("{name} needs one of the implicit participants {}", allowed.join(", "))
    })?;
    Ok(Assignment::Relation(relation.role.clone(), RelationTarget::Implicit(participant.to_owned())))
}

/// Sets a relation or attribute, unless the annotation already has one of that name (Gloss holds one).
fn assign(annotation: &mut Annotation, assignment: Assignment, report: &mut LossReport, line_place: String) {
    let taken = match &assignment {
        Assignment::Attribute(name, _) => annotation.attributes.contains_key(name),
        Assignment::Relation(role, _) => annotation.relation(role).is_some(),
    };
    if taken {
        report.record(REPEATS_DROPPED, line_place);
        return;
    }
    match assignment {
        Assignment::Attribute(name, value) => {
            annotation.attributes.insert(name, value);
        }
        Assignment::Relation(role, target) => annotation.set_relation(&role, Some(target)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;
    use crate::io::testing::{assert_golden, sample_project, tricky_project};
    use crate::io::{FileSink, ImportFormat, ImportSummary, MemorySink, NoProgress, OutputLayout, import};

    fn export_to_memory(project: &Project) -> (MemorySink, LossReport) {
        let mut sink = MemorySink::default();
        let report = export(project, &mut sink, &mut NoProgress).expect("export");
        (sink, report)
    }

    /// Exports `project` to a folder and imports that folder into a fresh project with the same schema.
    fn round_trip(project: &Project) -> (Project, LossReport, ImportSummary) {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut sink = FileSink::new(folder.path(), OutputLayout::Folder);
        let report = export(project, &mut sink, &mut NoProgress).expect("export");
        let mut imported = Project::new("x");
        imported.schema = project.schema.clone();
        let summary = import(&mut imported, ImportFormat::Brat, &[folder.path().to_owned()], &ImportOptions::default()).expect("import");
        (imported, report, summary)
    }

    /// An annotation as brat keeps it, relation targets named by label and fragments instead of ids.
    #[derive(Debug, PartialEq)]
    struct Shape {
        label: String,
        kind: Kind,
        fragments: Vec<Span>,
        attributes: crate::model::Attributes,
        relations: Vec<(String, String)>,
        note: String,
    }

    fn shapes(document: &Document) -> Vec<Shape> {
        let mut shapes: Vec<Shape> = document
            .annotations
            .iter()
            .filter(|annotation| annotation.kind.has_spans())
            .map(|annotation| Shape {
                label: annotation.label.clone(),
                kind: annotation.kind,
                fragments: annotation.fragments.clone(),
                attributes: annotation.attributes.clone(),
                relations: annotation
                    .relations
                    .iter()
                    .map(|relation| {
                        let target = match &relation.target {
                            RelationTarget::Annotation(id) => {
                                let target = document.annotation(id).expect("target exists");
                                format!("{} {:?}", target.label, target.fragments)
                            }
                            RelationTarget::Implicit(participant) => participant.clone(),
                        };
                        (relation.role.clone(), target)
                    })
                    .collect(),
                note: annotation.note.clone(),
            })
            .collect();
        shapes.sort_by(|a, b| (&a.label, &a.fragments).cmp(&(&b.label, &b.fragments)));
        shapes
    }

    fn assert_same_span_annotations(original: &Project, imported: &Project) {
        assert_eq!(imported.documents.len(), original.documents.len());
        for document in &original.documents {
            let copy = imported.documents.iter().find(|copy| copy.sha256 == document.sha256).expect("the text comes back byte for byte");
            assert_eq!(shapes(copy), shapes(document), "document {}", document.title);
            assert!(copy.annotations.iter().all(|a| a.provenance == Provenance::Imported { format: "brat".into() }));
        }
    }

    #[test]
    fn sample_export_matches_the_golden_files() {
        let (sink, _) = export_to_memory(&sample_project());
        let names: Vec<&str> = sink.files.keys().map(String::as_str).collect();
        let stem = "pakistan-confronts-a-new-reality-it-may-have";
        assert_eq!(names, ["annotation.conf", &format!("{stem}.ann"), &format!("{stem}.txt"), "visual.conf"]);
        for (name, bytes) in &sink.files {
            assert_golden(&format!("brat/sample/{name}"), bytes);
        }
    }

    #[test]
    fn tricky_export_matches_the_golden_files() {
        let (sink, _) = export_to_memory(&tricky_project());
        assert_eq!(sink.files.len(), 6, "two documents, each .txt and .ann, and the two .conf files");
        for (name, bytes) in &sink.files {
            assert_golden(&format!("brat/tricky/{name}"), bytes);
        }
    }

    #[test]
    fn texts_are_written_byte_for_byte() {
        let project = tricky_project();
        let (sink, _) = export_to_memory(&project);
        let stems = document_file_stems(&project);
        for (document, stem) in project.documents.iter().zip(&stems) {
            assert_eq!(sink.files[&format!("{stem}.txt")], document.text.as_str().as_bytes());
        }
    }

    /// brat's own rules for an `.ann` file and its text, checked independently of the exporter.
    fn brat_rule_violations(text: &str, ann: &str) -> Vec<String> {
        let characters: Vec<char> = text.chars().collect();
        let mut problems = Vec::new();
        let mut text_bound_ids = HashSet::new();
        let mut references = Vec::new();
        assert!(ann.ends_with('\n') && !ann.contains('\r'), "lines end with \\n only");
        for line in ann.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                [id, data, span_text] if id.starts_with('T') => {
                    text_bound_ids.insert(*id);
                    let (_, offsets) = data.split_once(' ').expect("label and offsets");
                    let mut fragments: Vec<(usize, usize)> = offsets
                        .split(';')
                        .map(|pair| {
                            let (start, end) = pair.split_once(' ').expect("start and end");
                            (start.parse().expect("start"), end.parse().expect("end"))
                        })
                        .collect();
                    let mut texts = Vec::new();
                    for &(start, end) in &fragments {
                        if !(start < end && end <= characters.len()) {
                            problems.push(format!("{line}: offsets {start} {end} outside the text"));
                            continue;
                        }
                        let fragment: String = characters[start..end].iter().collect();
                        if fragment.contains(['\n', '\r']) {
                            problems.push(format!("{line}: fragment {fragment:?} holds a line break"));
                        }
                        texts.push(fragment);
                    }
                    if texts.join(" ") != *span_text {
                        problems.push(format!("{line}: span text differs from the text at the offsets"));
                    }
                    fragments.sort();
                    if fragments.windows(2).any(|pair| pair[0].1 > pair[1].0) {
                        problems.push(format!("{line}: fragments overlap"));
                    }
                }
                [id, data] if id.starts_with('R') => {
                    for argument in data.split(' ').skip(1) {
                        references.push((line.to_owned(), argument.split_once(':').expect("NAME:ID").1.to_owned()));
                    }
                }
                [id, data] if id.starts_with('A') => {
                    references.push((line.to_owned(), data.split(' ').nth(1).expect("target").to_owned()));
                }
                [id, data, _] if id.starts_with('#') => {
                    references.push((line.to_owned(), data.split(' ').nth(1).expect("target").to_owned()));
                }
                _ => problems.push(format!("{line}: not a line the exporter writes")),
            }
        }
        for (line, target) in references {
            if !text_bound_ids.contains(target.as_str()) {
                problems.push(format!("{line}: refers to {target}, which does not exist"));
            }
        }
        problems
    }

    #[test]
    fn every_exported_ann_file_follows_brats_rules() {
        for project in [sample_project(), tricky_project()] {
            let (sink, _) = export_to_memory(&project);
            for stem in document_file_stems(&project) {
                let problems = brat_rule_violations(&sink.text(&format!("{stem}.txt")), &sink.text(&format!("{stem}.ann")));
                assert_eq!(problems, Vec::<String>::new(), "{stem}.ann");
            }
        }
    }

    #[test]
    fn the_sample_project_comes_back_except_its_document_label() {
        let project = sample_project();
        let (imported, report, summary) = round_trip(&project);
        assert_same_span_annotations(&project, &imported);
        let span_annotations = project.documents[0].annotations.iter().filter(|a| a.kind.has_spans()).count();
        assert_eq!(summary.annotations_added, span_annotations);
        assert_eq!(report.count(DOCUMENT_LABELS_DROPPED), 1);
        assert_eq!(report.count(TITLES_DROPPED), 1);
        assert_eq!(report.entries().count(), 2, "nothing else is lost: {report}");
        assert!(report.to_string().contains("(DOC_SENTIMENT polarity=negative)"), "the report names what was dropped: {report}");
        assert!(summary.report.is_empty(), "the import loses nothing: {}", summary.report);
    }

    #[test]
    fn the_tricky_project_comes_back_except_its_document_label() {
        let project = tricky_project();
        let (imported, report, summary) = round_trip(&project);
        assert_same_span_annotations(&project, &imported);
        assert_eq!(report.count(DOCUMENT_LABELS_DROPPED), 1);
        assert_eq!(report.count(FRAGMENTS_SPLIT), 1, "the claim across the CRLF");
        assert_eq!(report.count(CRLF_TEXTS), 1);
        assert_eq!(report.count(TITLES_DROPPED), 2);
        assert_eq!(report.count(DOCUMENT_COMMENTS_DROPPED), 1);
        assert_eq!(report.entries().count(), 5, "nothing else is lost: {report}");
        let claim = imported.documents[0].annotations.iter().find(|a| !a.comments.is_empty()).expect("a commented claim");
        assert_eq!(claim.comments, project.documents[0].annotations[1].comments, "comments travel as AnnotatorNotes");
        assert!(summary.report.is_empty(), "the import loses nothing: {}", summary.report);
    }

    #[test]
    fn a_claim_across_a_crlf_is_split_there_and_joined_on_import() {
        let project = tricky_project();
        let document = &project.documents[0];
        let crossing = document.annotations.iter().find(|a| document.annotation_text(a).contains("\r\n")).expect("the crossing claim");
        let (sink, _) = export_to_memory(&project);
        let ann = sink.text("emoji-crlf.ann");
        let line = ann.lines().find(|line| line.ends_with("\tMujahid 😀. The 👩‍👩‍👧 family")).expect("one T line, two fragments");
        let [fragment] = crossing.fragments.as_slice() else { panic!("one fragment in Gloss") };
        let crlf = document.text.as_str().find("\r\n").map(|byte| document.text.byte_to_char(byte)).expect("a CRLF");
        let offsets = format!("CLAIM {} {crlf};{} {}\t", fragment.start, crlf + 2, fragment.end);
        assert!(line.contains(&offsets), "{line} has {offsets}: the \\r and \\n belong to neither fragment");
        let (imported, _, _) = round_trip(&project);
        let copy = imported.documents.iter().find(|copy| copy.sha256 == document.sha256).expect("document");
        assert!(copy.annotations.iter().any(|a| a.label == "CLAIM" && a.fragments == crossing.fragments));
    }

    #[test]
    fn spaces_in_choices_and_implicit_participants_are_underscores() {
        let (sink, _) = export_to_memory(&tricky_project());
        let ann = sink.text("emoji-crlf.ann");
        assert!(ann.lines().any(|line| line.starts_with('A') && line.ends_with(" direct_quote")), "{ann}");
        assert!(
            ann.lines().any(|line| line.starts_with('A') && line.contains("\tclaimant T") && line.ends_with(" unnamed_source")),
            "{ann}"
        );
        let conf = sink.text(ANNOTATION_CONF);
        assert!(conf.contains("\nclaimant\tArg:CLAIM, Value:unnamed_source\n"), "{conf}");
        assert!(conf.contains("\nholder\tArg:SENTIMENT, Value:author|unnamed_source\n"), "{conf}");
        assert!(conf.contains("\nattribution\tArg:CLAIM, Value:direct_quote|paraphrase|unattributed\n"), "{conf}");
        assert!(conf.contains("\nclaimant\tArg1:CLAIM, Arg2:PER|ORG|LOC|NORP|DATE|EVENT|MISC\n"), "{conf}");
        assert!(!conf.contains("DOC_SENTIMENT"), "document labels are not brat types: {conf}");
    }

    fn project_with(text: &str, annotations: Vec<Annotation>) -> Project {
        let mut project = Project::from_text("t", text);
        for annotation in annotations {
            project.documents[0].insert_sorted(annotation);
        }
        project
    }

    fn tagged(kind: Kind, label: &str, fragments: Vec<Span>) -> Annotation {
        Annotation::new(kind, label, fragments, "tester")
    }

    #[test]
    fn changes_at_line_breaks_that_do_not_come_back_are_reported() {
        let text = "Ends here.\n\nNext line\nlast";
        let blank = tagged(Kind::Entity, "LOC", vec![Span::new(10, 12)]);
        let mut apart = tagged(Kind::Claim, "CLAIM", vec![Span::new(12, 21), Span::new(22, 26)]);
        apart.set_relation("claimant", Some(RelationTarget::Annotation(blank.id.clone())));
        let trailing = tagged(Kind::Entity, "PER", vec![Span::new(5, 12)]);
        let split = tagged(Kind::Entity, "MISC", vec![Span::new(0, 16)]);
        let project = project_with(text, vec![blank, apart, trailing, split]);
        let (sink, report) = export_to_memory(&project);
        assert_eq!(report.count(BLANK_ANNOTATIONS_DROPPED), 1, "{report}");
        assert_eq!(report.count(RELATIONS_DROPPED), 1, "the claimant was the blank annotation: {report}");
        assert_eq!(report.count(FRAGMENTS_CHANGED), 2, "the trailing blank line, and the fragments apart by a line break: {report}");
        assert_eq!(report.count(FRAGMENTS_SPLIT), 1, "{report}");
        let ann = sink.text("t.ann");
        assert_eq!(ann, "T1\tMISC 0 10;12 16\tEnds here. Next\nT2\tPER 5 10\there.\nT3\tCLAIM 12 21;22 26\tNext line last\n");
    }

    #[test]
    fn flags_numbers_and_free_text_are_written_and_read_back() {
        let mut project = Project::from_text("t", "Imran Khan spoke.");
        let person = project.schema.labels.iter_mut().find(|label| label.name == "PER").expect("PER");
        let attribute = |name: &str, value_type| AttributeDef {
            name: name.into(),
            title: name.into(),
            value_type,
            default: None,
            guideline: String::new(),
        };
        person.attributes.extend([
            attribute("verified", AttributeType::Flag),
            attribute("age", AttributeType::Number { min: 0.0, max: 150.0 }),
            attribute("alias", AttributeType::Text),
        ]);
        let mut khan = tagged(Kind::Entity, "PER", vec![Span::new(0, 10)]);
        khan.attributes.insert("verified".into(), AttributeValue::Flag(true));
        khan.attributes.insert("age".into(), AttributeValue::Number(72.5));
        khan.attributes.insert("alias".into(), AttributeValue::Text("Kaptaan of Pakistan".into()));
        let mut imran = tagged(Kind::Entity, "PER", vec![Span::new(0, 5)]);
        imran.attributes.insert("verified".into(), AttributeValue::Flag(false));
        imran.note = "first line\nsecond\tline".into();
        project.documents[0].insert_sorted(khan);
        project.documents[0].insert_sorted(imran);
        let (sink, report) = export_to_memory(&project);
        assert_eq!(
            sink.text("t.ann"),
            "T1\tPER 0 10\tImran Khan\nT2\tPER 0 5\tImran\nA1\tage T1 72.5\nA2\talias T1 Kaptaan_of_Pakistan\nA3\tverified T1\n\
             #1\tAnnotatorNotes T2\tfirst line second line\n"
        );
        let conf = sink.text(ANNOTATION_CONF);
        for line in ["\nage\tArg:PER, Value:72.5\n", "\nalias\tArg:PER, Value:Kaptaan_of_Pakistan\n", "\nverified\tArg:PER\n"] {
            assert!(conf.contains(line), "{line:?} in {conf}");
        }
        assert_eq!(report.count(FALSE_FLAGS_DROPPED), 1);
        assert_eq!(report.count(VALUES_CHANGED), 1, "the alias keeps its underscores");
        assert_eq!(report.count(NOTES_FLATTENED), 1);
        let (imported, _, _) = round_trip(&project);
        let khan = imported.documents[0].annotations.iter().find(|a| a.fragments == [Span::new(0, 10)]).expect("Khan");
        assert_eq!(khan.attributes.get("verified"), Some(&AttributeValue::Flag(true)));
        assert_eq!(khan.attributes.get("age"), Some(&AttributeValue::Number(72.5)));
        assert_eq!(khan.attributes.get("alias"), Some(&AttributeValue::Text("Kaptaan_of_Pakistan".into())));
    }

    #[test]
    fn only_values_that_do_not_map_back_are_reported() {
        let mut project = Project::from_text("t", "Imran Khan said Kabul is calm.");
        let claim_label = project.schema.labels.iter_mut().find(|label| label.name == "CLAIM").expect("CLAIM");
        let attribution = claim_label.attributes.iter_mut().find(|attribute| attribute.name == "attribution").expect("attribution");
        attribution.value_type = AttributeType::Choice(vec!["direct quote".into(), "direct_quote".into()]);
        for (span, value) in [(Span::new(16, 30), "direct quote"), (Span::new(16, 21), "direct_quote")] {
            let mut claim = tagged(Kind::Claim, "CLAIM", vec![span]);
            claim.attributes.insert("attribution".into(), AttributeValue::Text(value.into()));
            project.documents[0].insert_sorted(claim);
        }
        let (sink, report) = export_to_memory(&project);
        assert!(sink.text("t.ann").contains("A2\tattribution T2 direct_quote\n"), "both are written alike");
        assert_eq!(report.count(VALUES_CHANGED), 1, "only the one with an underscore is read back as the other: {report}");
    }

    #[test]
    fn cancelling_stops_the_export() {
        let mut sink = MemorySink::default();
        assert!(matches!(export(&sample_project(), &mut sink, &mut crate::io::testing::CancelAtOnce), Err(ExportError::Cancelled)));
        assert!(sink.files.is_empty());
    }

    proptest! {
        #[test]
        fn split_pieces_hold_no_line_break_and_join_back(text in "[a \r\n😀é]{1,30}", a in 0usize..30, b in 0usize..30) {
            let text = DocumentText::new(text);
            let fragment = Span::new(a.min(text.char_len()), b.min(text.char_len()));
            prop_assume!(!fragment.is_empty());
            let pieces = split_at_line_breaks(&text, fragment);
            for piece in &pieces {
                prop_assert!(!piece.is_empty() && fragment.contains_span(*piece));
                prop_assert!(!text.slice(*piece).contains(['\n', '\r']));
            }
            let covered = text.slice(fragment);
            let solid = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
            if solid(covered.chars().next()) && solid(covered.chars().last()) {
                prop_assert_eq!(join_line_broken(&text, pieces), vec![fragment]);
            }
        }
    }

    const TEXT: &str = "Imran Khan said Kabul is calm.\nAfghans agreed.";

    /// Writes `NAME.ann` (with `ann`) and `NAME.txt` (with `text`, if any) into a fresh folder.
    fn brat_folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let folder = tempfile::tempdir().expect("temp dir");
        for (name, bytes) in files {
            std::fs::write(folder.path().join(name), bytes).expect("write");
        }
        folder
    }

    fn import_folder(folder: &Path, options: &ImportOptions) -> (Project, Result<ImportSummary, ImportError>) {
        let mut project = Project::new("x");
        let result = import(&mut project, ImportFormat::Brat, &[folder.to_owned()], options);
        (project, result)
    }

    #[test]
    fn reads_what_brat_writes() {
        let ann = "\u{feff}R1\tclaimant Arg1:T3 Arg2:T1\r\n\
                   T1\tPER 0 10\tImran Khan\r\n\
                   T2\tLOC 16 21\tKabul\r\n\
                   T3\tCLAIM 16 30\tKabul is calm.\r\n\
                   A1\tattribution T3 direct_quote\r\n\
                   A2\tclaimant T3 unnamed_source\r\n\
                   #1\tAnnotatorNotes T1\tPrime minister\r\n\
                   #2\tAnnotatorNotes T1\tof Pakistan\r\n\
                   T4\tCLAIM 39 46;31 38\tagreed. Afghans\r\n\
                   T5\tCLAIM 22 30;31 38\tis calm. Afghans\r\n\
                   E1\tCLAIM:T3\r\n\
                   N1\tReference T1 Wikipedia:5404131\tImran Khan\r\n\
                   *\tEquiv T1 T2\r\n\
                   \r\n";
        let folder = brat_folder(&[("story.ann", ann.as_bytes()), ("story.txt", TEXT.as_bytes())]);
        let options = ImportOptions { author: "reader".into(), add_unknown_labels: false };
        let (project, result) = import_folder(folder.path(), &options);
        let summary = result.expect("import");
        assert_eq!(summary.annotations_added, 5);
        let document = &project.documents[0];
        assert_eq!(document.title, "story");
        let by_text = |wanted: &str| document.annotations.iter().find(|a| document.annotation_text(a) == wanted).expect(wanted);
        let khan = by_text("Imran Khan");
        assert_eq!(khan.note, "Prime minister\nof Pakistan");
        assert_eq!((khan.author.as_str(), &khan.provenance), ("reader", &Provenance::Imported { format: "brat".into() }));
        let claim = by_text("Kabul is calm.");
        assert_eq!(claim.relation("claimant"), Some(&RelationTarget::Annotation(khan.id.clone())), "R lines may come first");
        assert_eq!(claim.attributes.get("attribution"), Some(&AttributeValue::Text("direct quote".into())));
        assert_eq!(by_text("Afghans … agreed.").fragments, [Span::new(31, 38), Span::new(39, 46)], "fragments are sorted");
        assert_eq!(by_text("is calm.\nAfghans").fragments, [Span::new(22, 38)], "fragments apart by a line break are joined");
        let report = &summary.report;
        assert_eq!(report.count(REPEATS_DROPPED), 1, "a second claimant: {report}");
        assert_eq!(report.count(EVENTS_SKIPPED), 1);
        assert_eq!(report.count(NORMALIZATIONS_SKIPPED), 1);
        assert_eq!(report.count(OTHER_LINES_SKIPPED), 1);
        assert!(report.to_string().contains("story.ann:11"), "skipped lines are named: {report}");
    }

    #[test]
    fn ann_files_can_be_given_directly_and_unknown_labels_added() {
        let folder = brat_folder(&[("a.ann", b"T1\tPERSON 0 10\tImran Khan\nA1\tgender T1 male\n"), ("a.txt", TEXT.as_bytes())]);
        let options = ImportOptions { add_unknown_labels: true, ..ImportOptions::default() };
        let mut project = Project::new("x");
        let summary = import(&mut project, ImportFormat::Brat, &[folder.path().join("a.ann")], &options).expect("import");
        assert_eq!(project.schema.label("PERSON").map(|label| label.kind), Some(Kind::Entity));
        assert_eq!(summary.report.count(NEW_LABEL_LINKS_DROPPED), 1, "{}", summary.report);
        assert_eq!(project.documents[0].annotations.len(), 1);
    }

    /// Imports `ann` beside [`TEXT`] and returns the error's message, checking that nothing was added.
    fn import_error(ann: &[u8], text: &[u8]) -> String {
        let folder = brat_folder(&[("bad.ann", ann), ("bad.txt", text)]);
        let (project, result) = import_folder(folder.path(), &ImportOptions::default());
        assert!(project.documents.is_empty(), "nothing is added on error");
        let error = result.expect_err("refused").to_string();
        error.rsplit_once(std::path::MAIN_SEPARATOR).map_or(error.clone(), |(_, file)| file.to_owned())
    }

    #[test]
    fn bad_input_is_refused_with_file_and_line() {
        let claim = "T1\tCLAIM 16 30\tKabul is calm.\n";
        let cases: Vec<(String, &str)> = vec![
            ("T1\tPER 0 10\tImran Khan\nT2\tNORP 31".into(), "bad.ann:2: malformed text-bound annotation T2"),
            ("T1 PER 0 10 Imran Khan\n".into(), "bad.ann:1: malformed line"),
            ("T1\tPER zero 10\tImran Khan\n".into(), "bad.ann:1: offsets \"zero 10\" are not two whole numbers"),
            ("T1\tPER 0 99\tImran Khan\n".into(), "bad.ann:1: offset 99 is past the end of the text (46 code points)"),
            ("T1\tPER 10 0\tImran Khan\n".into(), "bad.ann:1: offsets 10 0 are reversed"),
            ("T1\tPER 3 3\t\n".into(), "bad.ann:1: offsets 3 3 mark an empty span"),
            ("T1\tPER 0 10\tImran Kahn\n".into(), "bad.ann:1: the span text \"Imran Kahn\" of T1 differs"),
            ("T1\tPER 0 5;3 10\tImran an Khan\n".into(), "bad.ann:1: the fragments of T1 overlap"),
            ("T1\tPERSON 0 10\tImran Khan\n".into(), "bad.ann:1: label \"PERSON\" is not in the project's schema"),
            ("T1\tPER 0 10\tImran Khan\nT1\tLOC 16 21\tKabul\n".into(), "bad.ann:2: the id T1 is used twice"),
            (format!("{claim}R1\tclaimant Arg1:T1 Arg2:T9\n"), "bad.ann:2: unknown annotation id \"T9\""),
            (format!("{claim}R1\tclaimant Arg1:T1\n"), "bad.ann:2: malformed relation"),
            (format!("{claim}R1\tholder Arg1:T1 Arg2:T1\n"), "bad.ann:2: relation \"holder\" is not defined for label \"CLAIM\""),
            (format!("{claim}A1\tclaim_type T1 rumour\n"), "bad.ann:2: \"rumour\" is not a value of attribute \"claim_type\""),
            (format!("{claim}A1\tclaim_type T1\n"), "bad.ann:2: attribute \"claim_type\" needs a value"),
            (format!("{claim}A1\tpolarity T1 positive\n"), "bad.ann:2: attribute \"polarity\" is not defined for label \"CLAIM\""),
            (format!("{claim}A1\tclaimant T1 the_author\n"), "bad.ann:2: claimant needs one of the implicit participants unnamed_source"),
            (format!("{claim}#1\tAnnotatorNotes T7\tnote\n"), "bad.ann:2: unknown annotation id \"T7\""),
        ];
        for (ann, expected) in cases {
            let message = import_error(ann.as_bytes(), TEXT.as_bytes());
            assert!(message.starts_with(expected), "{ann:?}\n  gave {message:?}\n  not {expected:?}");
        }
    }

    #[test]
    fn non_utf8_and_missing_texts_are_refused_with_file_and_line() {
        let message = import_error(b"T1\tPER 0 10\tImran Khan\nT2\tLOC 16 21\tKab\xfcl\n", TEXT.as_bytes());
        assert_eq!(message, "bad.ann:2: not UTF-8 text (invalid byte at byte offset 39)");
        let message = import_error(b"T1\tPER 0 10\tImran Khan\n", b"Imran Khan \xe9");
        assert_eq!(message, "bad.txt:1: not UTF-8 text (invalid byte at byte offset 11)");
        let folder = brat_folder(&[("lonely.ann", b"T1\tPER 0 10\tImran Khan\n")]);
        let (project, result) = import_folder(folder.path(), &ImportOptions::default());
        let error = result.expect_err("no text").to_string();
        assert!(error.contains("lonely.ann:1: the document text ") && error.ends_with("lonely.txt is missing"), "{error}");
        assert!(project.documents.is_empty());
    }
}

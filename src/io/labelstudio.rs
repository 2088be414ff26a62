//! Label Studio: tasks JSON with the labeling config that imports them as they are, and the
//! reader of Label Studio's JSON exports.
//!
//! The export is one JSON array of tasks (pretty-printed), one task per document, and the
//! companion `label-config.xml` (written beside it as `STEM.label-config.xml`): paste the config
//! into a project's *Labeling Interface*, then import the tasks, and every region, choice, note
//! and relation shows up as Gloss had it.
//!
//! ```text
//! {"id": 1,
//!  "data": {"text": "…", "title": "…", "gloss_document_id": "doc-…", "sha256": "…"},
//!  "annotations": [{"id": 1, "result": [ …regions, choices, notes, relations… ],
//!                   "ground_truth": false, "was_cancelled": false}],
//!  "meta": {"gloss_authors": {"a3k9x0m2q7b1z": "amira"}}}
//! ```
//!
//! # Mapping
//!
//! Offsets are Unicode code points, half-open, as in Gloss: Label Studio stores Python string
//! indices. (Some Label Studio versions *draw* regions that follow an emoji a little off, because
//! the browser counts UTF-16 units; the stored offsets are still code points.)
//!
//! - **Span annotation** → one `labels` region of the `label` control per fragment. The region id is
//!   the Gloss annotation id. Label Studio has no discontinuous regions, so the fragments of a
//!   discontinuous annotation become regions `ID`, `ID~2`, `ID~3`, … sharing the label; the
//!   importer joins regions named `ID~N` back into annotation `ID` when region `ID` exists.
//! - **Attributes** of a span annotation → per-region results on its first region (same id): a
//!   choice attribute → `choices`; a flag → `choices` with the one value `yes` (a checkbox; a flag
//!   set to *no* is left unticked); a number → `number`; free text → `textarea`. The control is
//!   named after the attribute (`claim_type`). Labels sharing an attribute name share the control:
//!   its `whenLabelValue` lists them all and its choices are the union of theirs.
//! - **Relations** → `relation` results from the annotation's first region to the target's, with
//!   the role as the relation label. An **implicit** target ("unnamed source") → a per-region
//!   `choices` result of the control `ROLE_implicit`.
//! - **Note** → a per-region `textarea` result of the `note` control.
//! - **Document label** `L` → task-level results (no offsets) sharing the annotation's id: the
//!   checkbox control `L` ticked `present`, attribute controls `L_ATTRIBUTE`, and the note control
//!   `L_note`. Names use only letters, digits and `_`, so they are safe as XML attributes, in
//!   Label Studio's `whenTagName` and as column names in its converters; any other character
//!   becomes `_`, and a name already taken gets `_2`, `_3`, …
//! - **Authors** → the task's `meta.gloss_authors` (annotation id → name). Label Studio's own
//!   `completed_by` must be the id or e-mail of a Label Studio user, so it is not written.
//! - A document without annotations is an unlabelled task (`"annotations": []`), unless it is
//!   marked done: then it has one annotation with no results, as Label Studio records "nothing to
//!   label here".
//!
//! Lost, and recorded in the loss report: the times annotations were made and changed (Label
//! Studio keeps none per region), relations of or to document labels (Label Studio relations
//! join regions), and flags set to *no*.
//!
//! # Import
//!
//! The reader takes a Label Studio JSON export (an array of tasks, or a single task object):
//! the text from `data.text`, the title from `data.title` (else `task N`), and the results of the
//! task's first annotation (the others are reported), or of its first prediction when it has
//! none. Controls are recognised by the names the project's schema gives them (as above); `labels`
//! regions are read whatever their control's name. Errors name the file and a line: the exact
//! line for JSON syntax and type errors, the line where the task starts for the rest (and the
//! task's number, for exports written on one line).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::convert::{
    ExportError, ImportError, ImportOptions, ImportedAnnotation, ImportedDocument, Progress, SourcePlace, for_each_document, input_files,
    read_utf8, without_bom,
};
use super::report::{LossReport, place};
use super::sink::ExportSink;
use crate::model::{Annotation, AnnotationId, AttributeValue, Document, DocumentStatus, Kind, Project, Provenance, RelationTarget, Span};
use crate::schema::{AttributeType, LabelSchema};
use crate::text::DocumentText;

/// The format's name in provenance and reports.
const FORMAT: &str = "labelstudio";
/// The sink name of the labeling config, written beside the tasks.
const CONFIG_FILE: &str = "label-config.xml";
/// The `<Text>` object every control labels.
const TEXT_OBJECT: &str = "text";
/// The `<Labels>` control of span labels.
const LABELS_CONTROL: &str = "label";
/// The per-region `<TextArea>` of notes.
const NOTE_CONTROL: &str = "note";
/// Names no attribute or document label may take.
const RESERVED_NAMES: [&str; 3] = [TEXT_OBJECT, LABELS_CONTROL, NOTE_CONTROL];
/// The one choice of a document label's checkbox.
const PRESENT: &str = "present";
/// The one choice of a flag attribute's checkbox.
const FLAG_YES: &str = "yes";
/// The `origin` of every exported result.
const ORIGIN: &str = "manual";
/// Separates an annotation id from the number of its fragment in region ids (`ID~2`).
const FRAGMENT_SEPARATOR: char = '~';
/// The key of the task's `meta` that maps annotation ids to their authors.
const AUTHORS_KEY: &str = "gloss_authors";

/// Loss: a discontinuous annotation became several regions.
const SPLIT_FRAGMENTS: &str = "discontinuous annotations split into one region per fragment";
/// Loss: annotation times are not kept.
const TIMES_DROPPED: &str = "annotation times dropped: Label Studio keeps no times per region";
const COMMENTS_DROPPED: &str = "comments dropped: Label Studio results have no discussion thread";
/// Loss: relations that do not join two regions.
const DOCUMENT_RELATIONS: &str = "relations of or to document labels dropped: Label Studio relations join text regions";
/// Loss: flags set to no are unticked checkboxes.
const FLAG_NO: &str = "flag attributes set to no left unticked: Label Studio stores only ticked choices";
/// Loss: parts of annotations the project's own schema rejects.
const INVALID_PARTS: &str = "parts of annotations that break the schema dropped";
/// Import: tasks with several annotations.
const OTHER_ANNOTATIONS: &str = "annotations after the first of a task left out: Gloss imports one per task";
/// Import: tasks read from their prediction.
const PREDICTION_USED: &str = "tasks without annotations read from their first prediction";
/// Import: results of other types, or of a type that does not fit their control.
const UNREAD_RESULTS: &str = "results Gloss does not read skipped (other result types, or a type that does not fit its control)";
/// Import: results of controls the schema does not define.
const UNKNOWN_CONTROLS: &str = "results of controls the project's schema does not define skipped";
/// Import: regions or relations with several labels.
const EXTRA_LABELS: &str = "extra labels of a region or relation dropped: Gloss keeps one";
/// Import: relations without a label.
const RELATIONS_WITHOUT_ROLE: &str = "relations without a label skipped: a Gloss relation needs a role";

// ---------------------------------------------------------------------------------------------
// The file format
// ---------------------------------------------------------------------------------------------

/// One Label Studio task. Ids are written on export and ignored on import.
#[derive(Debug, Serialize, Deserialize)]
struct Task {
    #[serde(skip_deserializing)]
    id: usize,
    data: TaskData,
    #[serde(default)]
    annotations: Vec<TaskAnnotation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    predictions: Vec<TaskAnnotation>,
    /// Free-form task metadata; Gloss keeps the authors here.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    meta: Value,
}

/// The data a task is labelled on. Label Studio keeps unknown keys.
#[derive(Debug, Serialize, Deserialize)]
struct TaskData {
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    gloss_document_id: Option<String>,
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
}

/// One annotation (or prediction) of a task: its results.
#[derive(Debug, Serialize, Deserialize)]
struct TaskAnnotation {
    #[serde(skip_deserializing)]
    id: usize,
    result: Vec<ResultItem>,
    /// Label Studio marks imported annotations as ground truth unless told otherwise.
    #[serde(default)]
    ground_truth: bool,
    #[serde(default)]
    was_cancelled: bool,
}

/// One result: a region, a choice, a number, a text or a relation.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum ResultItem {
    Labels(ControlResult<LabelsBody>),
    Choices(ControlResult<ChoicesBody>),
    Number(ControlResult<NumberBody>),
    Textarea(ControlResult<TextAreaBody>),
    Relation(RelationResult),
    /// Any other type (rectangles, ratings, …), which Gloss does not read.
    #[serde(other, skip_serializing)]
    Unsupported,
}

/// A result of a control. Results with the same `id` belong to the same region.
#[derive(Debug, Serialize, Deserialize)]
struct ControlResult<T> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    from_name: String,
    to_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
    value: RegionValue<T>,
}

/// Which control a result comes from, and for which region.
#[derive(Clone, Copy)]
struct ControlRef<'r> {
    id: Option<&'r str>,
    from_name: &'r str,
}

impl<T> ControlResult<T> {
    fn control_ref(&self) -> ControlRef<'_> {
        ControlRef { id: self.id.as_deref(), from_name: &self.from_name }
    }
}

/// A result's value: the region's offsets (none for task-level results) and the control's data.
#[derive(Debug, Serialize, Deserialize)]
struct RegionValue<T> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(flatten)]
    body: T,
}

/// The value of a `labels` region: the text it covers and its labels.
#[derive(Debug, Serialize, Deserialize)]
struct LabelsBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    labels: Vec<String>,
}

/// The value of a `choices` result.
#[derive(Debug, Serialize, Deserialize)]
struct ChoicesBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    choices: Vec<String>,
}

/// The value of a `number` result.
#[derive(Debug, Serialize, Deserialize)]
struct NumberBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    number: f64,
}

/// The value of a `textarea` result: its submitted texts.
#[derive(Debug, Serialize, Deserialize)]
struct TextAreaBody {
    text: Vec<String>,
}

/// A relation between two regions, labelled with its role.
#[derive(Debug, Serialize, Deserialize)]
struct RelationResult {
    from_id: String,
    to_id: String,
    #[serde(default = "right")]
    direction: String,
    #[serde(default)]
    labels: Vec<String>,
}

/// The direction of every exported relation: from the source to the target.
fn right() -> String {
    "right".into()
}

// ---------------------------------------------------------------------------------------------
// The labeling interface: every control and its name, shared by the config, export and import
// ---------------------------------------------------------------------------------------------

/// What a control holds.
#[derive(Clone, Debug, PartialEq)]
enum Slot {
    /// An attribute of span annotations, per region.
    Attribute(String),
    /// The implicit target of a relation role, per region.
    Implicit(String),
    /// The note of span annotations, per region.
    Note,
    /// Whether a document label is present.
    DocumentLabel(String),
    /// An attribute of a document label.
    DocumentAttribute { label: String, attribute: String },
    /// The note of a document label.
    DocumentNote(String),
}

impl Slot {
    /// Whether the control belongs to regions rather than to the whole task.
    fn is_per_region(&self) -> bool {
        matches!(self, Slot::Attribute(_) | Slot::Implicit(_) | Slot::Note)
    }
}

/// How a control asks for its value.
#[derive(Clone, Debug, PartialEq)]
enum Widget {
    /// Choices of which at most one is ticked (`choice="single"`: checkboxes that can be unticked).
    Choices(Vec<String>),
    /// A number field.
    Number { min: f64, max: f64 },
    /// A text field.
    TextArea,
}

/// The kind of a [`Widget`], without its settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WidgetKind {
    Choices,
    Number,
    TextArea,
}

impl Widget {
    /// The widget of an attribute of type `value_type`.
    fn for_attribute(value_type: &AttributeType) -> Self {
        match value_type {
            AttributeType::Choice(values) => Widget::Choices(values.clone()),
            AttributeType::Flag => Widget::Choices(vec![FLAG_YES.into()]),
            AttributeType::Number { min, max } => Widget::Number { min: *min, max: *max },
            AttributeType::Text => Widget::TextArea,
        }
    }

    fn kind(&self) -> WidgetKind {
        match self {
            Widget::Choices(_) => WidgetKind::Choices,
            Widget::Number { .. } => WidgetKind::Number,
            Widget::TextArea => WidgetKind::TextArea,
        }
    }

    /// Widens this widget to also offer what `other` (of the same kind) offers.
    fn absorb(&mut self, other: Widget) {
        match (self, other) {
            (Widget::Choices(values), Widget::Choices(more)) => {
                for value in more {
                    if !values.contains(&value) {
                        values.push(value);
                    }
                }
            }
            (Widget::Number { min, max }, Widget::Number { min: other_min, max: other_max }) => {
                *min = min.min(other_min);
                *max = max.max(other_max);
            }
            _ => {}
        }
    }

    /// Whether a choices widget offers `choice`.
    fn offers(&self, choice: &str) -> bool {
        matches!(self, Widget::Choices(values) if values.iter().any(|value| value == choice))
    }
}

/// One control of the labeling config.
#[derive(Clone, Debug)]
struct ControlDef {
    /// Its unique name (`from_name` in results).
    name: String,
    /// What it holds.
    slot: Slot,
    /// How it asks.
    widget: Widget,
    /// For per-region controls, the span labels whose regions show it; empty for all.
    labels: Vec<String>,
    /// The attribute's or label's title, shown to annotators.
    title: String,
}

/// The controls a schema needs, with their names. Export, import and the config all derive names
/// from here, so they always agree.
#[derive(Clone, Debug)]
struct LabelingInterface {
    /// Every control, in the order the config shows them.
    controls: Vec<ControlDef>,
    /// The relation roles of span labels, in schema order.
    relation_roles: Vec<String>,
}

impl LabelingInterface {
    /// The controls of `schema`: per-region attributes, implicit targets and the note, then each
    /// document label with its attributes and note.
    fn new(schema: &LabelSchema) -> Self {
        let mut interface = Self { controls: Vec::new(), relation_roles: Vec::new() };
        let span_labels: Vec<_> = schema.labels.iter().filter(|label| label.kind.has_spans()).collect();
        for label in &span_labels {
            for attribute in &label.attributes {
                let widget = Widget::for_attribute(&attribute.value_type);
                interface.add(Slot::Attribute(attribute.name.clone()), &attribute.name, widget, Some(&label.name), &attribute.title);
            }
        }
        for label in &span_labels {
            for relation in &label.relations {
                if !interface.relation_roles.contains(&relation.role) {
                    interface.relation_roles.push(relation.role.clone());
                }
                if !relation.implicit.is_empty() {
                    let name = format!("{}_implicit", relation.role);
                    let widget = Widget::Choices(relation.implicit.clone());
                    interface.add(Slot::Implicit(relation.role.clone()), &name, widget, Some(&label.name), &relation.title);
                }
            }
        }
        interface.controls.push(ControlDef {
            name: NOTE_CONTROL.into(),
            slot: Slot::Note,
            widget: Widget::TextArea,
            labels: Vec::new(),
            title: "Note".into(),
        });
        for label in schema.labels_of(Kind::Document) {
            interface.add(Slot::DocumentLabel(label.name.clone()), &label.name, Widget::Choices(vec![PRESENT.into()]), None, &label.title);
            for attribute in &label.attributes {
                let slot = Slot::DocumentAttribute { label: label.name.clone(), attribute: attribute.name.clone() };
                let name = format!("{}_{}", label.name, attribute.name);
                interface.add(slot, &name, Widget::for_attribute(&attribute.value_type), None, &attribute.title);
            }
            let title = format!("Note on {}", label.title);
            interface.add(Slot::DocumentNote(label.name.clone()), &format!("{}_note", label.name), Widget::TextArea, None, &title);
        }
        interface
    }

    /// Adds a control for `slot`, or merges into the existing one of the same kind.
    fn add(&mut self, slot: Slot, base_name: &str, widget: Widget, label: Option<&str>, title: &str) {
        let labels = label.map(str::to_owned).into_iter();
        if let Some(control) = self.controls.iter_mut().find(|control| control.slot == slot && control.widget.kind() == widget.kind()) {
            control.widget.absorb(widget);
            control.labels.extend(labels);
            return;
        }
        let name = self.unique_name(base_name);
        self.controls.push(ControlDef { name, slot, widget, labels: labels.collect(), title: title.to_owned() });
    }

    /// `base` made of letters, digits and `_`, and not yet taken (`polarity`, `polarity_2`).
    fn unique_name(&self, base: &str) -> String {
        let mut base: String = base.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
        if base.is_empty() {
            base = "control".into();
        }
        let taken = |name: &str| RESERVED_NAMES.contains(&name) || self.controls.iter().any(|control| control.name == name);
        let mut name = base.clone();
        let mut counter = 1;
        while taken(&name) {
            counter += 1;
            name = format!("{base}_{counter}");
        }
        name
    }

    /// The control that holds `slot` with a widget of kind `kind`.
    fn find(&self, slot: &Slot, kind: WidgetKind) -> Option<&ControlDef> {
        self.controls.iter().find(|control| &control.slot == slot && control.widget.kind() == kind)
    }

    /// The control named `name`.
    fn control(&self, name: &str) -> Option<&ControlDef> {
        self.controls.iter().find(|control| control.name == name)
    }

    /// The labeling config: the title, the span labels, the text, the relation roles, the
    /// per-region controls and the document labels.
    fn to_xml(&self, schema: &LabelSchema) -> String {
        let mut xml = XmlWriter::default();
        xml.open("View", &[]);
        xml.text_element("Style", ".htx-text { white-space: pre-wrap; }");
        xml.empty("Header", &[("value", "$title")]);
        xml.open("Labels", &[("name", LABELS_CONTROL), ("toName", TEXT_OBJECT)]);
        for label in schema.labels.iter().filter(|label| label.kind.has_spans()) {
            xml.empty("Label", &[("value", &label.name), ("background", &label.color), ("hint", &label.guideline)]);
        }
        xml.close("Labels");
        xml.empty("Text", &[("name", TEXT_OBJECT), ("value", "$text")]);
        if !self.relation_roles.is_empty() {
            xml.open("Relations", &[]);
            for role in &self.relation_roles {
                xml.empty("Relation", &[("value", role)]);
            }
            xml.close("Relations");
        }
        for control in &self.controls {
            self.control_xml(&mut xml, control);
        }
        xml.close("View");
        xml.finish()
    }

    /// Writes one control.
    fn control_xml(&self, xml: &mut XmlWriter, control: &ControlDef) {
        let when_labels = control.labels.join(",");
        let mut attributes: Vec<(&str, &str)> = vec![("name", &control.name), ("toName", TEXT_OBJECT)];
        if control.slot.is_per_region() {
            attributes.push(("perRegion", "true"));
            if matches!(control.widget, Widget::Choices(_)) {
                attributes.push(("visibleWhen", "region-selected"));
            }
            if !when_labels.is_empty() {
                attributes.push(("whenLabelValue", &when_labels));
            }
        } else if let Some(shown_with) = self.shown_with(&control.slot)
            && matches!(control.widget, Widget::Choices(_))
        {
            attributes.extend([("visibleWhen", "choice-selected"), ("whenTagName", shown_with), ("whenChoiceValue", PRESENT)]);
        }
        match &control.widget {
            Widget::Choices(values) => {
                if matches!(control.slot, Slot::DocumentLabel(_)) {
                    xml.empty("Header", &[("value", &control.title)]);
                }
                attributes.push(("choice", "single"));
                xml.open("Choices", &attributes);
                for value in values {
                    xml.empty("Choice", &[("value", value)]);
                }
                xml.close("Choices");
            }
            Widget::Number { min, max } => {
                let (min, max) = (min.to_string(), max.to_string());
                attributes.extend([("min", min.as_str()), ("max", max.as_str())]);
                xml.empty("Number", &attributes);
            }
            Widget::TextArea => {
                attributes.extend([("editable", "true"), ("maxSubmissions", "1"), ("placeholder", &control.title)]);
                xml.empty("TextArea", &attributes);
            }
        }
    }

    /// For a document label's attribute or note, the name of the label's checkbox.
    fn shown_with(&self, slot: &Slot) -> Option<&str> {
        let label = match slot {
            Slot::DocumentAttribute { label, .. } | Slot::DocumentNote(label) => label,
            _ => return None,
        };
        self.find(&Slot::DocumentLabel(label.clone()), WidgetKind::Choices).map(|control| control.name.as_str())
    }
}

/// Writes indented XML, escaping every attribute and text.
#[derive(Default)]
struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.line(format!("<{name}{}>", xml_attributes(attributes)));
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line(format!("</{name}>"));
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.line(format!("<{name}{}/>", xml_attributes(attributes)));
    }

    fn text_element(&mut self, name: &str, text: &str) {
        self.line(format!("<{name}>{}</{name}>", escape_xml(text)));
    }

    fn line(&mut self, line: String) {
        self.out.push_str(&"  ".repeat(self.depth));
        self.out.push_str(&line);
        self.out.push('\n');
    }

    fn finish(self) -> String {
        self.out
    }
}

/// ` name="value"` for each attribute, escaped.
fn xml_attributes(attributes: &[(&str, &str)]) -> String {
    attributes.iter().map(|(name, value)| format!(" {name}=\"{}\"", escape_xml(value))).collect()
}

/// `text` safe inside XML text and double-quoted attributes. Line breaks and tabs become
/// character references (so attribute values keep them); other control characters, which XML
/// forbids, become U+FFFD.
fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\t' => escaped.push_str("&#9;"),
            '\u{0}'..='\u{1f}' => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/// Writes the project as Label Studio tasks (the main output) and the labeling config
/// (`label-config.xml`); returns what Label Studio cannot hold.
pub fn export(project: &Project, sink: &mut dyn ExportSink, progress: &mut dyn Progress) -> Result<LossReport, ExportError> {
    let interface = LabelingInterface::new(&project.schema);
    let mut report = LossReport::default();
    let mut tasks = Vec::with_capacity(project.documents.len());
    for_each_document(project, progress, |index, document| {
        tasks.push(TaskWriter::new(&interface, project, document, &mut report).task(index + 1));
        Ok(())
    })?;
    sink.write_file("", &mut |out| {
        serde_json::to_writer_pretty(&mut *out, &tasks).map_err(io::Error::from)?;
        out.write_all(b"\n")
    })?;
    let config = interface.to_xml(&project.schema);
    sink.write_file(CONFIG_FILE, &mut |out| out.write_all(config.as_bytes()))?;
    Ok(report)
}

/// Builds the task of one document.
struct TaskWriter<'a> {
    interface: &'a LabelingInterface,
    project: &'a Project,
    document: &'a Document,
    report: &'a mut LossReport,
    /// Regions and choices, in annotation order.
    results: Vec<ResultItem>,
    /// Relations, written after every region they join.
    relations: Vec<ResultItem>,
}

/// What the results of one Gloss annotation share: an id and, for a span annotation, the
/// offsets and text of the region.
struct Anchor {
    id: String,
    region: Option<(Span, String)>,
}

impl Anchor {
    /// A result of control `from_name` on this anchor.
    fn result<T>(&self, from_name: &str, body: T) -> ControlResult<T> {
        ControlResult {
            id: Some(self.id.clone()),
            from_name: from_name.to_owned(),
            to_name: TEXT_OBJECT.into(),
            origin: Some(ORIGIN.into()),
            value: RegionValue {
                start: self.region.as_ref().map(|(span, _)| span.start),
                end: self.region.as_ref().map(|(span, _)| span.end),
                body,
            },
        }
    }

    /// The text of the region, if any.
    fn quote(&self) -> Option<String> {
        self.region.as_ref().map(|(_, text)| text.clone())
    }
}

impl<'a> TaskWriter<'a> {
    fn new(interface: &'a LabelingInterface, project: &'a Project, document: &'a Document, report: &'a mut LossReport) -> Self {
        Self { interface, project, document, report, results: Vec::new(), relations: Vec::new() }
    }

    /// The task numbered `number`.
    fn task(mut self, number: usize) -> Task {
        self.report.record_many(COMMENTS_DROPPED, self.document.comments.len(), &self.document.id);
        for annotation in &self.document.annotations {
            self.report.record(TIMES_DROPPED, place(self.document, annotation));
            self.report.record_many(COMMENTS_DROPPED, annotation.comments.len(), place(self.document, annotation));
            if annotation.kind.has_spans() {
                self.span_results(annotation);
            } else {
                self.document_label_results(annotation);
            }
        }
        let mut results = self.results;
        results.append(&mut self.relations);
        let document = self.document;
        let annotated = !results.is_empty() || document.status == DocumentStatus::Done;
        let annotations = if annotated {
            vec![TaskAnnotation { id: number, result: results, ground_truth: false, was_cancelled: false }]
        } else {
            Vec::new()
        };
        let authors: BTreeMap<&str, &str> =
            document.annotations.iter().map(|annotation| (annotation.id.as_str(), annotation.author.as_str())).collect();
        let meta = if authors.is_empty() { Value::Null } else { serde_json::json!({ AUTHORS_KEY: authors }) };
        Task {
            id: number,
            data: TaskData {
                text: document.text.as_str().to_owned(),
                title: Some(document.title.clone()),
                gloss_document_id: Some(document.id.to_string()),
                sha256: Some(document.sha256.clone()),
            },
            annotations,
            predictions: Vec::new(),
            meta,
        }
    }

    /// A region per fragment, then the attributes, relations and note on the first region.
    fn span_results(&mut self, annotation: &Annotation) {
        if annotation.fragments.len() > 1 {
            self.report.record(SPLIT_FRAGMENTS, place(self.document, annotation));
        }
        let anchors: Vec<Anchor> = annotation
            .fragments
            .iter()
            .enumerate()
            .map(|(index, fragment)| Anchor {
                id: region_id(&annotation.id, index),
                region: Some((*fragment, self.document.text.slice(*fragment).to_owned())),
            })
            .collect();
        for anchor in &anchors {
            let body = LabelsBody { text: anchor.quote(), labels: vec![annotation.label.clone()] };
            self.results.push(ResultItem::Labels(anchor.result(LABELS_CONTROL, body)));
        }
        let Some(first) = anchors.first() else {
            self.report.record(INVALID_PARTS, place(self.document, annotation));
            return;
        };
        self.attribute_results(annotation, first, |attribute| Slot::Attribute(attribute.to_owned()));
        self.relation_results(annotation, first);
        self.note_result(annotation, first, Slot::Note);
    }

    /// The checkbox of the label, then its attributes and note, all task-level.
    fn document_label_results(&mut self, annotation: &Annotation) {
        let anchor = Anchor { id: annotation.id.to_string(), region: None };
        let Some(control) = self.interface.find(&Slot::DocumentLabel(annotation.label.clone()), WidgetKind::Choices) else {
            self.report.record(INVALID_PARTS, place(self.document, annotation));
            return;
        };
        let body = ChoicesBody { text: None, choices: vec![PRESENT.into()] };
        self.results.push(ResultItem::Choices(anchor.result(&control.name, body)));
        self.attribute_results(annotation, &anchor, |attribute| Slot::DocumentAttribute {
            label: annotation.label.clone(),
            attribute: attribute.to_owned(),
        });
        self.note_result(annotation, &anchor, Slot::DocumentNote(annotation.label.clone()));
        self.report.record_many(DOCUMENT_RELATIONS, annotation.relations.len(), place(self.document, annotation));
    }

    /// One result per attribute, on the control `slot_of(attribute name)`.
    fn attribute_results(&mut self, annotation: &Annotation, anchor: &Anchor, slot_of: impl Fn(&str) -> Slot) {
        let label = self.project.schema.label(&annotation.label);
        for (name, value) in &annotation.attributes {
            let definition = label.and_then(|label| label.attribute(name));
            let control = definition.and_then(|definition| {
                let kind = Widget::for_attribute(&definition.value_type).kind();
                self.interface.find(&slot_of(name), kind)
            });
            match control.and_then(|control| attribute_result(control, anchor, value)) {
                Some(result) => self.results.push(result),
                None if *value == AttributeValue::Flag(false) => self.report.record(FLAG_NO, place(self.document, annotation)),
                None => self.report.record(INVALID_PARTS, place(self.document, annotation)),
            }
        }
    }

    /// Relations to other regions, and implicit targets as per-region choices.
    fn relation_results(&mut self, annotation: &Annotation, anchor: &Anchor) {
        for relation in &annotation.relations {
            match &relation.target {
                RelationTarget::Annotation(target) => match self.document.annotation(target) {
                    Some(target) if !target.kind.has_spans() => self.report.record(DOCUMENT_RELATIONS, place(self.document, annotation)),
                    Some(target) if self.interface.relation_roles.contains(&relation.role) => {
                        self.relations.push(ResultItem::Relation(RelationResult {
                            from_id: annotation.id.to_string(),
                            to_id: target.id.to_string(),
                            direction: right(),
                            labels: vec![relation.role.clone()],
                        }));
                    }
                    _ => self.report.record(INVALID_PARTS, place(self.document, annotation)),
                },
                RelationTarget::Implicit(who) => match self.interface.find(&Slot::Implicit(relation.role.clone()), WidgetKind::Choices) {
                    Some(control) if control.widget.offers(who) => {
                        let body = ChoicesBody { text: anchor.quote(), choices: vec![who.clone()] };
                        self.results.push(ResultItem::Choices(anchor.result(&control.name, body)));
                    }
                    _ => self.report.record(INVALID_PARTS, place(self.document, annotation)),
                },
            }
        }
    }

    /// The note, if any, on the text area of `slot`.
    fn note_result(&mut self, annotation: &Annotation, anchor: &Anchor, slot: Slot) {
        if annotation.note.is_empty() {
            return;
        }
        match self.interface.find(&slot, WidgetKind::TextArea) {
            Some(control) => {
                let body = TextAreaBody { text: vec![annotation.note.clone()] };
                self.results.push(ResultItem::Textarea(anchor.result(&control.name, body)));
            }
            None => self.report.record(INVALID_PARTS, place(self.document, annotation)),
        }
    }
}

/// The result of attribute value `value` on `control`; `None` when the control cannot hold it
/// (a flag set to no, or a value of another type).
fn attribute_result(control: &ControlDef, anchor: &Anchor, value: &AttributeValue) -> Option<ResultItem> {
    let choice = |choice: &str| {
        control.widget.offers(choice).then(|| {
            ResultItem::Choices(anchor.result(&control.name, ChoicesBody { text: anchor.quote(), choices: vec![choice.to_owned()] }))
        })
    };
    match (&control.widget, value) {
        (Widget::Choices(_), AttributeValue::Flag(true)) => choice(FLAG_YES),
        (Widget::Choices(_), AttributeValue::Text(text)) => choice(text),
        (Widget::Number { .. }, AttributeValue::Number(number)) => {
            Some(ResultItem::Number(anchor.result(&control.name, NumberBody { text: anchor.quote(), number: *number })))
        }
        (Widget::TextArea, AttributeValue::Text(text)) => {
            Some(ResultItem::Textarea(anchor.result(&control.name, TextAreaBody { text: vec![text.clone()] })))
        }
        _ => None,
    }
}

/// The id of region `index` of annotation `id`: `ID` for the first fragment, then `ID~2`, `ID~3`, …
fn region_id(id: &AnnotationId, index: usize) -> String {
    if index == 0 { id.to_string() } else { format!("{id}{FRAGMENT_SEPARATOR}{}", index + 1) }
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/// Reads Label Studio JSON exports (files, or folders of `.json` files), one document per task.
pub fn read(
    inputs: &[PathBuf],
    options: &ImportOptions,
    schema: &LabelSchema,
    report: &mut LossReport,
) -> Result<Vec<ImportedDocument>, ImportError> {
    let context = ImportContext { schema, interface: LabelingInterface::new(schema), options };
    let mut documents = Vec::new();
    for input in inputs {
        for path in input_files(input, "json")? {
            let text = without_bom(read_utf8(&path)?);
            for (index, (line, task)) in parse_tasks(&path, &text)?.into_iter().enumerate() {
                documents.push(context.read_task(task, SourcePlace::new(&path, line), index + 1, report)?);
            }
        }
    }
    Ok(documents)
}

/// The tasks of an export (an array of tasks, or one task), each with the line it starts on.
fn parse_tasks(path: &Path, text: &str) -> Result<Vec<(usize, Task)>, ImportError> {
    let at = |offset: usize| SourcePlace::new(path, line_and_column(text, offset).0);
    let mut lines = LineCounter::new(text);
    let start = skip_whitespace(text, text.strip_prefix('\u{feff}').map_or(0, |_| '\u{feff}'.len_utf8()));
    match text.as_bytes().get(start) {
        Some(b'{') => {
            let (task, end) = parse_task_at(path, text, start, 1)?;
            expect_end(text, end, at)?;
            Ok(vec![(lines.line_at(start), task)])
        }
        Some(b'[') => {
            let mut tasks = Vec::new();
            let mut cursor = skip_whitespace(text, start + 1);
            if text.as_bytes().get(cursor) == Some(&b']') {
                return expect_end(text, cursor + 1, at).map(|()| tasks);
            }
            loop {
                let (task, end) = parse_task_at(path, text, cursor, tasks.len() + 1)?;
                tasks.push((lines.line_at(cursor), task));
                cursor = skip_whitespace(text, end);
                match text.as_bytes().get(cursor) {
                    Some(b',') => cursor = skip_whitespace(text, cursor + 1),
                    Some(b']') => break,
                    Some(_) => return Err(at(cursor).error("expected `,` or `]` after a task")),
                    None => return Err(at(cursor).error("the file ends before the list of tasks is closed (truncated?)")),
                }
            }
            expect_end(text, cursor + 1, at)?;
            Ok(tasks)
        }
        _ => Err(at(start).error("expected a Label Studio JSON export: a list of tasks `[{\"data\": …}, …]`")),
    }
}

/// Parses task number `number`, which starts at byte `offset`; returns it and the byte after it.
fn parse_task_at(path: &Path, text: &str, offset: usize, number: usize) -> Result<(Task, usize), ImportError> {
    let rest = text.get(offset..).unwrap_or_default();
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Task>();
    match stream.next() {
        Some(Ok(task)) => Ok((task, offset + stream.byte_offset())),
        Some(Err(error)) => Err(json_error(path, text, offset, number, &error)),
        None => Err(SourcePlace::new(path, line_and_column(text, offset).0).error(format!("task {number}: the file ends here"))),
    }
}

/// A JSON error in the task that starts at byte `offset`, placed in the whole file.
fn json_error(path: &Path, text: &str, offset: usize, number: usize, error: &serde_json::Error) -> ImportError {
    let (start_line, start_column) = line_and_column(text, offset);
    let line = start_line + error.line().saturating_sub(1);
    let column = if error.line() <= 1 { start_column + error.column().saturating_sub(1) } else { error.column() };
    let place = SourcePlace::new(path, line);
    if error.is_eof() {
        return place.error(format!("task {number}: the file ends in the middle of the task (truncated?)"));
    }
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&position).unwrap_or(&message);
    place.error(format!("task {number}: {message} (column {column})"))
}

/// Fails unless only whitespace follows byte `offset`.
fn expect_end(text: &str, offset: usize, at: impl Fn(usize) -> SourcePlace) -> Result<(), ImportError> {
    let end = skip_whitespace(text, offset);
    if end < text.len() { Err(at(end).error("unexpected text after the tasks")) } else { Ok(()) }
}

/// The first byte at or after `offset` that is not JSON whitespace.
fn skip_whitespace(text: &str, offset: usize) -> usize {
    let rest = text.as_bytes().get(offset..).unwrap_or_default();
    offset + rest.iter().take_while(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r')).count()
}

/// Finds the lines of increasing byte offsets, reading the text once (exports can be large).
struct LineCounter<'t> {
    text: &'t str,
    /// The last offset asked for, and its 1-based line.
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        Self { text, offset: 0, line: 1 }
    }

    /// The 1-based line of byte `offset`, which is at least the previous one asked for.
    fn line_at(&mut self, offset: usize) -> usize {
        let bytes = self.text.as_bytes().get(self.offset..offset).unwrap_or_default();
        self.line += bytes.iter().filter(|&&byte| byte == b'\n').count();
        self.offset = self.offset.max(offset);
        self.line
    }
}

/// The 1-based line and column (in bytes) of byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    let line = 1 + before.iter().filter(|&&byte| byte == b'\n').count();
    let column = 1 + before.iter().rev().take_while(|&&byte| byte != b'\n').count();
    (line, column)
}

/// The annotation id of region `id`: `ID` for `ID~N` when region `ID` exists, else `id` itself.
fn annotation_id_of_region<'a>(id: &'a str, region_ids: &HashSet<&str>) -> &'a str {
    match id.rsplit_once(FRAGMENT_SEPARATOR) {
        Some((base, number)) if region_ids.contains(base) && number.parse::<usize>().is_ok_and(|number| number >= 2) => base,
        _ => id,
    }
}

/// A value read from a control, before the schema types it.
enum Reading {
    Choice(String),
    Number(f64),
    Text(String),
}

/// What reading every task needs: the schema, its controls and the import's options.
struct ImportContext<'a> {
    schema: &'a LabelSchema,
    interface: LabelingInterface,
    options: &'a ImportOptions,
}

impl ImportContext<'_> {
    /// The document of `task`, task number `number` of its file, which starts at `place`.
    fn read_task(&self, task: Task, place: SourcePlace, number: usize, report: &mut LossReport) -> Result<ImportedDocument, ImportError> {
        let Task { data, annotations, predictions, meta, .. } = task;
        let mut reader = TaskReader {
            context: self,
            report,
            place,
            number,
            text: DocumentText::new(data.text),
            meta,
            annotations: Vec::new(),
            by_result_id: HashMap::new(),
        };
        let results = reader.chosen_results(annotations, predictions);
        reader.read_results(&results)?;
        let title = data.title.filter(|title| !title.is_empty()).unwrap_or_else(|| format!("task {number}"));
        Ok(reader.into_document(title))
    }
}

/// Turns one task into a document.
struct TaskReader<'a> {
    context: &'a ImportContext<'a>,
    report: &'a mut LossReport,
    /// Where the task starts.
    place: SourcePlace,
    /// The task's 1-based number in its file.
    number: usize,
    text: DocumentText,
    /// The task's meta, which may name authors.
    meta: Value,
    annotations: Vec<Annotation>,
    /// The annotation (index into `annotations`) of each result id: every region of a span
    /// annotation, and each document label.
    by_result_id: HashMap<String, usize>,
}

impl TaskReader<'_> {
    /// Reads the results: regions first, then document labels, then what refers to them.
    fn read_results(&mut self, results: &[ResultItem]) -> Result<(), ImportError> {
        self.read_regions(results)?;
        for result in results {
            if let ResultItem::Choices(choices) = result
                && let Some(label) = self.document_label_of(choices)
            {
                self.read_document_label(choices, label)?;
            }
        }
        results.iter().try_for_each(|result| self.read_result(result))
    }

    /// The document read, titled `title`.
    fn into_document(self, title: String) -> ImportedDocument {
        let place = self.place;
        let annotations = self.annotations.into_iter().map(|annotation| ImportedAnnotation { annotation, place: place.clone() }).collect();
        ImportedDocument { comments: Vec::new(), title, text: self.text.as_str().to_owned(), annotations, place }
    }

    /// The results of the task's first annotation, else of its first prediction.
    fn chosen_results(&mut self, annotations: Vec<TaskAnnotation>, predictions: Vec<TaskAnnotation>) -> Vec<ResultItem> {
        let place = self.report_place();
        self.report.record_many(OTHER_ANNOTATIONS, annotations.len().saturating_sub(1), &place);
        if let Some(first) = annotations.into_iter().next() {
            return first.result;
        }
        let Some(prediction) = predictions.into_iter().next() else { return Vec::new() };
        self.report.record(PREDICTION_USED, &place);
        prediction.result
    }

    /// Makes an annotation of every `labels` region, joining regions `ID~N` into annotation `ID`.
    fn read_regions(&mut self, results: &[ResultItem]) -> Result<(), ImportError> {
        let regions: Vec<&ControlResult<LabelsBody>> =
            results.iter().filter_map(|result| if let ResultItem::Labels(region) = result { Some(region) } else { None }).collect();
        let region_ids: HashSet<&str> = regions.iter().filter_map(|region| region.id.as_deref()).collect();
        for region in regions {
            let id = region.id.clone().unwrap_or_else(|| AnnotationId::random().0);
            let fragment = self.region_span(&id, &region.value)?;
            let label = self.region_label(&id, &region.value.body.labels)?;
            let annotation_id = annotation_id_of_region(&id, &region_ids).to_owned();
            match self.by_result_id.get(&annotation_id).copied() {
                Some(index) => self.add_fragment(index, &id, label, fragment)?,
                None => {
                    let kind = self.kind_of(label, Kind::Entity)?;
                    let index = self.push_annotation(annotation_id, kind, label, vec![fragment]);
                    self.by_result_id.insert(id, index);
                }
            }
        }
        for annotation in &mut self.annotations {
            annotation.fragments.sort();
        }
        Ok(())
    }

    /// Adds region `id` as a fragment of annotation `index`, which must have the same label.
    fn add_fragment(&mut self, index: usize, id: &str, label: &str, fragment: Span) -> Result<(), ImportError> {
        let Some(annotation) = self.annotations.get_mut(index) else { return Ok(()) };
        if annotation.label != label {
            let message = format!("region {id:?} is labelled {label} but the other regions of {} are {}", annotation.id, annotation.label);
            return Err(self.error(message));
        }
        if annotation.fragments.contains(&fragment) {
            self.report.record(EXTRA_LABELS, self.report_place());
        } else {
            annotation.fragments.push(fragment);
        }
        self.by_result_id.insert(id.to_owned(), index);
        Ok(())
    }

    /// The checked span of region `id`.
    fn region_span(&self, id: &str, value: &RegionValue<LabelsBody>) -> Result<Span, ImportError> {
        let (Some(start), Some(end)) = (value.start, value.end) else {
            return Err(self.error(format!("region {id:?} has no start and end offsets")));
        };
        if start >= end {
            return Err(self.error(format!("region {id:?} starts at {start}, not before its end {end}")));
        }
        let length = self.text.char_len();
        if end > length {
            return Err(self.error(format!("region {id:?} ends at {end}, past the end of the text ({length} code points)")));
        }
        let span = Span::new(start, end);
        let actual = self.text.slice(span);
        match &value.body.text {
            Some(quoted) if quoted != actual => {
                Err(self.error(format!("region {id:?} quotes {quoted:?} but the text at [{start}, {end}) is {actual:?}")))
            }
            _ => Ok(span),
        }
    }

    /// The label of region `id`: its first (extra ones are reported).
    fn region_label<'l>(&mut self, id: &str, labels: &'l [String]) -> Result<&'l str, ImportError> {
        let Some(label) = labels.first() else { return Err(self.error(format!("region {id:?} has no label"))) };
        if labels.len() > 1 {
            self.report.record(EXTRA_LABELS, self.report_place());
        }
        Ok(label)
    }

    /// The kind of label `label`; `unknown_kind` for a label the schema lacks, if those may be added.
    fn kind_of(&self, label: &str, unknown_kind: Kind) -> Result<Kind, ImportError> {
        match self.context.schema.label(label) {
            Some(definition) => Ok(definition.kind),
            None if self.context.options.add_unknown_labels => Ok(unknown_kind),
            None => Err(self.error(format!("label {label:?} is not in the project's schema (pass --add-labels to add it)"))),
        }
    }

    /// Adds a new imported annotation; returns its index.
    fn push_annotation(&mut self, id: String, kind: Kind, label: &str, fragments: Vec<Span>) -> usize {
        let mut annotation = Annotation::new(kind, label, fragments, self.author_of(&id));
        annotation.provenance = Provenance::Imported { format: FORMAT.into() };
        annotation.id = AnnotationId(id.clone());
        self.annotations.push(annotation);
        let index = self.annotations.len() - 1;
        self.by_result_id.insert(id, index);
        index
    }

    /// The author `meta.gloss_authors` names for annotation `id`, else the import's.
    fn author_of(&self, id: &str) -> String {
        let named = self.meta.get(AUTHORS_KEY).and_then(|authors| authors.get(id)).and_then(Value::as_str);
        named.map_or_else(|| self.context.options.author.clone(), str::to_owned)
    }

    /// The document label a choices result sets: the label of its control, or, for a task-level
    /// `present` from a control the schema lacks, the control's name.
    fn document_label_of(&self, choices: &ControlResult<ChoicesBody>) -> Option<String> {
        match self.context.interface.control(&choices.from_name) {
            Some(ControlDef { slot: Slot::DocumentLabel(label), .. }) => Some(label.clone()),
            Some(_) => None,
            None => (choices.value.start.is_none() && choices.value.body.choices == [PRESENT]).then(|| choices.from_name.clone()),
        }
    }

    /// Adds the document label `label` if its checkbox is ticked.
    fn read_document_label(&mut self, choices: &ControlResult<ChoicesBody>, label: String) -> Result<(), ImportError> {
        match choices.value.body.choices.as_slice() {
            [] => return Ok(()),
            [present] if present == PRESENT => {}
            other => {
                let message = format!("control {:?} holds {other:?}; a document label's only choice is {PRESENT:?}", choices.from_name);
                return Err(self.error(message));
            }
        }
        let kind = self.kind_of(&label, Kind::Document)?;
        let id = choices.id.clone().unwrap_or_else(|| AnnotationId::random().0);
        self.push_annotation(id, kind, &label, Vec::new());
        Ok(())
    }

    /// Applies a choice, number, text or relation to the annotation it belongs to.
    fn read_result(&mut self, result: &ResultItem) -> Result<(), ImportError> {
        let (control, reading) = match result {
            ResultItem::Labels(_) => return Ok(()),
            ResultItem::Choices(choices) if self.document_label_of(choices).is_some() => return Ok(()),
            ResultItem::Choices(choices) => {
                let reading = match choices.value.body.choices.as_slice() {
                    [] => None,
                    [choice] => Some(Reading::Choice(choice.clone())),
                    several => {
                        return Err(self.error(format!("control {:?} holds {several:?}; Gloss keeps one choice", choices.from_name)));
                    }
                };
                (choices.control_ref(), reading)
            }
            ResultItem::Number(number) => (number.control_ref(), Some(Reading::Number(number.value.body.number))),
            ResultItem::Textarea(text) => {
                let lines = &text.value.body.text;
                (text.control_ref(), (!lines.is_empty()).then(|| Reading::Text(lines.join("\n"))))
            }
            ResultItem::Relation(relation) => return self.read_relation(relation),
            ResultItem::Unsupported => {
                self.report.record(UNREAD_RESULTS, self.report_place());
                return Ok(());
            }
        };
        match reading {
            Some(reading) => self.read_control(control, reading),
            None => Ok(()),
        }
    }

    /// Applies the value of control `control.from_name` to its region or document label.
    fn read_control(&mut self, control: ControlRef<'_>, reading: Reading) -> Result<(), ImportError> {
        let Some(definition) = self.context.interface.control(control.from_name) else {
            self.report.record(UNKNOWN_CONTROLS, self.report_place());
            return Ok(());
        };
        let target = match &definition.slot {
            Slot::Attribute(_) | Slot::Implicit(_) | Slot::Note => self.region_target(control)?,
            Slot::DocumentAttribute { label, .. } | Slot::DocumentNote(label) => self.document_label_target(control, label)?,
            Slot::DocumentLabel(_) => {
                self.report.record(UNREAD_RESULTS, self.report_place());
                return Ok(());
            }
        };
        match (&definition.slot, reading) {
            (Slot::Attribute(attribute) | Slot::DocumentAttribute { attribute, .. }, reading) => {
                self.set_attribute(target, attribute, reading)
            }
            (Slot::Implicit(role), Reading::Choice(who)) => {
                if let Some(annotation) = self.annotations.get_mut(target) {
                    annotation.set_relation(role, Some(RelationTarget::Implicit(who)));
                }
                Ok(())
            }
            (Slot::Note | Slot::DocumentNote(_), Reading::Text(note)) => {
                if let Some(annotation) = self.annotations.get_mut(target) {
                    annotation.note = note;
                }
                Ok(())
            }
            _ => {
                self.report.record(UNREAD_RESULTS, self.report_place());
                Ok(())
            }
        }
    }

    /// Sets attribute `attribute` of annotation `target`, typed and checked by the schema.
    fn set_attribute(&mut self, target: usize, attribute: &str, reading: Reading) -> Result<(), ImportError> {
        let Some(label) = self.annotations.get(target).map(|annotation| annotation.label.clone()) else { return Ok(()) };
        let Some(definition) = self.context.schema.label(&label).and_then(|definition| definition.attribute(attribute)) else {
            return Err(self.error(format!("label {label} has no attribute {attribute:?}")));
        };
        let value = match (&definition.value_type, reading) {
            (AttributeType::Flag, Reading::Choice(choice)) if choice == FLAG_YES => AttributeValue::Flag(true),
            (_, Reading::Choice(text) | Reading::Text(text)) => AttributeValue::Text(text),
            (_, Reading::Number(number)) => AttributeValue::Number(number),
        };
        if !definition.value_type.accepts(&value) {
            return Err(self.error(format!("{:?} is not a value of attribute {attribute:?} of label {label}", value.to_string())));
        }
        if let Some(annotation) = self.annotations.get_mut(target) {
            annotation.attributes.insert(attribute.to_owned(), value);
        }
        Ok(())
    }

    /// The annotation whose region a per-region result belongs to.
    fn region_target(&self, control: ControlRef<'_>) -> Result<usize, ImportError> {
        control.id.and_then(|id| self.by_result_id.get(id)).copied().ok_or_else(|| {
            self.error(format!(
                "a result of control {:?} belongs to no labelled region (id {:?})",
                control.from_name,
                control.id.unwrap_or("")
            ))
        })
    }

    /// The document label `label` a task-level result belongs to: the one with its id, else the
    /// task's first.
    fn document_label_target(&self, control: ControlRef<'_>, label: &str) -> Result<usize, ImportError> {
        let is_label = |index: &usize| {
            self.annotations.get(*index).is_some_and(|annotation| annotation.label == label && !annotation.kind.has_spans())
        };
        let by_id = control.id.and_then(|id| self.by_result_id.get(id)).copied().filter(is_label);
        by_id
            .or_else(|| (0..self.annotations.len()).find(is_label))
            .ok_or_else(|| self.error(format!("control {:?} is set, but the task has no document label {label}", control.from_name)))
    }

    /// Links the annotations of two regions by the relation's first label.
    fn read_relation(&mut self, relation: &RelationResult) -> Result<(), ImportError> {
        let (from, to) =
            if relation.direction == "left" { (&relation.to_id, &relation.from_id) } else { (&relation.from_id, &relation.to_id) };
        let endpoint = |id: &str| {
            self.by_result_id
                .get(id)
                .copied()
                .ok_or_else(|| self.error(format!("a relation points at region {id:?}, which does not exist")))
        };
        let (source, target) = (endpoint(from)?, endpoint(to)?);
        let Some(role) = relation.labels.first() else {
            self.report.record(RELATIONS_WITHOUT_ROLE, self.report_place());
            return Ok(());
        };
        if relation.labels.len() > 1 {
            self.report.record(EXTRA_LABELS, self.report_place());
        }
        let Some(target_id) = self.annotations.get(target).map(|annotation| annotation.id.clone()) else { return Ok(()) };
        if let Some(annotation) = self.annotations.get_mut(source) {
            annotation.set_relation(role, Some(RelationTarget::Annotation(target_id)));
        }
        Ok(())
    }

    /// An error at the task's line, naming the task.
    fn error(&self, message: impl fmt::Display) -> ImportError {
        self.place.error(format!("task {}: {message}", self.number))
    }

    /// The task's place in a report: `file:line`.
    fn report_place(&self) -> String {
        format!("{}:{}", self.place.path.display(), self.place.line)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::io::testing::{assert_golden, sample_project, tricky_project};
    use crate::io::{ImportFormat, MemorySink, NoProgress, add_documents, import};
    use crate::schema::AttributeDef;

    /// Exports `project` into memory.
    fn export_to_memory(project: &Project) -> (MemorySink, LossReport) {
        let mut sink = MemorySink::default();
        let report = export(project, &mut sink, &mut NoProgress).expect("export");
        (sink, report)
    }

    /// Writes `text` to `name` in a fresh folder; returns the folder (kept alive) and the path.
    fn file_with(name: &str, text: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join(name);
        std::fs::write(&path, text).expect("write");
        (folder, path)
    }

    /// Reads `text` as an export with `schema`.
    fn read_text(text: &str, schema: &LabelSchema, options: &ImportOptions) -> (Result<Vec<ImportedDocument>, ImportError>, LossReport) {
        let (_folder, path) = file_with("tasks.json", text);
        let mut report = LossReport::default();
        let documents = read(&[path], options, schema, &mut report);
        (documents, report)
    }

    /// The error of reading `text` with the default schema; asserts it names the file and `line`.
    fn read_error(text: &str, line: usize) -> String {
        let (result, _) = read_text(text, &LabelSchema::default_schema(), &ImportOptions::default());
        let error = result.expect_err("the input is refused").to_string();
        assert!(error.contains(&format!("tasks.json:{line}: ")), "{error}");
        error
    }

    /// Exports `project` and imports the tasks into a fresh project with the same schema.
    fn round_trip(project: &Project) -> (Project, LossReport) {
        let (sink, export_report) = export_to_memory(project);
        let (_folder, path) = file_with("tasks.json", sink.text(""));
        let mut import_report = LossReport::default();
        let documents = read(&[path], &ImportOptions::default(), &project.schema, &mut import_report).expect("read");
        assert!(import_report.is_empty(), "{import_report}");
        let mut copy = Project::new("x");
        copy.schema = project.schema.clone();
        add_documents(&mut copy, documents, &ImportOptions::default()).expect("the tasks fit the schema");
        (copy, export_report)
    }

    /// Asserts that `copy` holds the documents and annotations of `original`, field by field.
    fn assert_same_annotations(original: &Project, copy: &Project) {
        assert_eq!(copy.check_invariants(), []);
        assert_eq!(original.documents.len(), copy.documents.len());
        for (document, imported) in original.documents.iter().zip(&copy.documents) {
            assert_eq!(document.title, imported.title);
            assert_eq!(document.sha256, imported.sha256, "the text comes back byte for byte");
            assert_eq!(document.annotations.len(), imported.annotations.len(), "{}", document.title);
            for annotation in &document.annotations {
                let copy = imported.annotation(&annotation.id).expect("the annotation keeps its id");
                assert_eq!(copy.label, annotation.label);
                assert_eq!(copy.kind, annotation.kind);
                assert_eq!(copy.fragments, annotation.fragments, "{}", annotation.id);
                assert_eq!(copy.attributes, annotation.attributes, "{}", annotation.id);
                assert_eq!(copy.relations, annotation.relations, "{}", annotation.id);
                assert_eq!(copy.note, annotation.note);
                assert_eq!(copy.author, annotation.author);
                assert_eq!(copy.provenance, Provenance::Imported { format: FORMAT.into() });
            }
        }
    }

    fn annotation_count(project: &Project) -> usize {
        project.documents.iter().map(|document| document.annotations.len()).sum()
    }

    fn discontinuous_count(project: &Project) -> usize {
        project.documents.iter().flat_map(|document| &document.annotations).filter(|annotation| annotation.fragments.len() > 1).count()
    }

    // --- A tiny XML reader, to check the config as Label Studio will parse it ---

    /// An element of the config.
    #[derive(Debug)]
    struct Element {
        name: String,
        attributes: BTreeMap<String, String>,
        children: Vec<Element>,
    }

    impl Element {
        fn attribute(&self, name: &str) -> Option<&str> {
            self.attributes.get(name).map(String::as_str)
        }

        fn descendants(&self) -> Vec<&Element> {
            self.children.iter().flat_map(|child| std::iter::once(child).chain(child.descendants())).collect()
        }

        fn child_values(&self) -> BTreeSet<&str> {
            self.children.iter().filter_map(|child| child.attribute("value")).collect()
        }
    }

    /// Parses the config; panics unless it is well-formed (balanced tags, every `&<>"` escaped).
    fn parse_xml(xml: &str) -> Element {
        let mut stack = vec![Element { name: String::new(), attributes: BTreeMap::new(), children: Vec::new() }];
        let mut rest = xml;
        while let Some(open) = rest.find('<') {
            assert_plain_text(&rest[..open]);
            let close = rest[open..].find('>').expect("a tag ends") + open;
            let tag = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let element = stack.pop().expect("an open element");
                assert_eq!(element.name, name, "tags are balanced");
                stack.last_mut().expect("a parent").children.push(element);
                continue;
            }
            let (tag, self_closing) = tag.strip_suffix('/').map_or((tag, false), |tag| (tag, true));
            let (name, mut attributes_text) = tag.split_once(' ').unwrap_or((tag, ""));
            assert!(name.chars().all(|c| c.is_ascii_alphabetic()), "tag name {name:?}");
            let mut attributes = BTreeMap::new();
            while let Some((key, after)) = attributes_text.trim_start().split_once("=\"") {
                let (raw, after) = after.split_once('"').expect("a closing quote");
                assert!(!raw.contains('<'), "{raw:?}");
                assert!(attributes.insert(key.to_owned(), unescape(raw)).is_none(), "attribute {key} once");
                attributes_text = after;
            }
            assert!(attributes_text.trim().is_empty(), "left over: {attributes_text:?}");
            let element = Element { name: name.to_owned(), attributes, children: Vec::new() };
            if self_closing {
                stack.last_mut().expect("a parent").children.push(element);
            } else {
                stack.push(element);
            }
        }
        assert_plain_text(rest);
        let mut document = stack.pop().expect("the document");
        assert!(stack.is_empty(), "every element is closed");
        assert_eq!(document.children.len(), 1, "one root");
        document.children.pop().expect("the root")
    }

    fn assert_plain_text(text: &str) {
        assert!(!text.contains(['>', '&']), "unescaped text {text:?}");
    }

    fn unescape(raw: &str) -> String {
        let mut text = String::new();
        let mut rest = raw;
        while let Some(at) = rest.find('&') {
            text.push_str(&rest[..at]);
            let (entity, after) = rest[at + 1..].split_once(';').expect("an entity ends with ;");
            text.push(match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "#10" => '\n',
                "#13" => '\r',
                "#9" => '\t',
                other => panic!("unknown entity &{other};"),
            });
            rest = after;
        }
        text.push_str(rest);
        text
    }

    /// Asserts that every result of the tasks uses a control the config declares, for the object
    /// it names, with values it offers, shown for the label of its region: what makes the tasks
    /// import into Label Studio as they are.
    fn assert_config_declares_every_result(sink: &MemorySink) {
        let config = parse_xml(&sink.text(CONFIG_FILE));
        assert_eq!(config.name, "View");
        let elements = config.descendants();
        let named: Vec<&&Element> = elements.iter().filter(|element| element.attribute("name").is_some()).collect();
        let names: BTreeSet<&str> = named.iter().filter_map(|element| element.attribute("name")).collect();
        assert_eq!(names.len(), named.len(), "names are unique");
        let text = named.iter().find(|element| element.name == "Text").expect("a Text object");
        assert_eq!((text.attribute("name"), text.attribute("value")), (Some(TEXT_OBJECT), Some("$text")));
        let roles =
            elements.iter().find(|element| element.name == "Relations").map(|relations| relations.child_values()).unwrap_or_default();
        let tasks: Vec<Task> = serde_json::from_str(&sink.text("")).expect("tasks parse");
        for results in tasks.iter().flat_map(|task| &task.annotations).map(|annotation| &annotation.result) {
            let region_labels: HashMap<&str, &str> = results
                .iter()
                .filter_map(|result| match result {
                    ResultItem::Labels(region) => Some((region.id.as_deref()?, region.value.body.labels.first()?.as_str())),
                    _ => None,
                })
                .collect();
            for result in results {
                let (tag, control, to_name, values, start) = match result {
                    ResultItem::Labels(r) => ("Labels", r.control_ref(), &r.to_name, r.value.body.labels.clone(), r.value.start),
                    ResultItem::Choices(r) => ("Choices", r.control_ref(), &r.to_name, r.value.body.choices.clone(), r.value.start),
                    ResultItem::Number(r) => ("Number", r.control_ref(), &r.to_name, Vec::new(), r.value.start),
                    ResultItem::Textarea(r) => ("TextArea", r.control_ref(), &r.to_name, Vec::new(), r.value.start),
                    ResultItem::Relation(relation) => {
                        assert!(relation.labels.iter().all(|role| roles.contains(role.as_str())), "{:?} declared", relation.labels);
                        assert!(
                            region_labels.contains_key(relation.from_id.as_str()) && region_labels.contains_key(relation.to_id.as_str())
                        );
                        continue;
                    }
                    ResultItem::Unsupported => panic!("only known results are written"),
                };
                let element = named.iter().find(|element| element.attribute("name") == Some(control.from_name)).expect("declared");
                assert_eq!(element.name, tag, "{}", control.from_name);
                assert_eq!(element.attribute("toName"), Some(to_name.as_str()), "{}", control.from_name);
                for value in &values {
                    assert!(element.child_values().contains(value.as_str()), "{value} offered by {}", control.from_name);
                }
                let id = control.id.expect("every result has an id");
                let per_region = element.attribute("perRegion") == Some("true");
                assert_eq!(
                    per_region || element.name == "Labels",
                    start.is_some(),
                    "{} has offsets exactly when per region",
                    control.from_name
                );
                if let (true, Some(shown_for)) = (per_region, element.attribute("whenLabelValue")) {
                    let label = region_labels.get(id).expect("a per-region result sits on a region");
                    assert!(shown_for.split(',').any(|shown| shown == *label), "{} is shown for {label}", control.from_name);
                }
            }
        }
    }

    // --- Export ---

    #[test]
    fn sample_project_golden() {
        let project = sample_project();
        let (sink, report) = export_to_memory(&project);
        assert_golden("labelstudio/sample.json", &sink.files[""]);
        assert_golden("labelstudio/sample.label-config.xml", &sink.files[CONFIG_FILE]);
        assert_eq!(sink.files.len(), 2);
        assert_eq!(report.count(TIMES_DROPPED), annotation_count(&project));
        assert_eq!(report.count(SPLIT_FRAGMENTS), discontinuous_count(&project));
        assert_eq!(report.count(INVALID_PARTS), 0);
    }

    #[test]
    fn tricky_project_golden() {
        let project = tricky_project();
        let (sink, report) = export_to_memory(&project);
        assert_golden("labelstudio/tricky.json", &sink.files[""]);
        assert_eq!(report.count(SPLIT_FRAGMENTS), 1, "{report}");
        assert_eq!(report.count(TIMES_DROPPED), annotation_count(&project));
        assert_eq!(report.count(COMMENTS_DROPPED), 2, "a comment on a claim and one on the document");
        assert_eq!(report.entries().count(), 3, "nothing else is lost: {report}");
    }

    #[test]
    fn exports_are_deterministic() {
        let project = sample_project();
        assert_eq!(export_to_memory(&project).0.files, export_to_memory(&project).0.files);
    }

    #[test]
    fn regions_carry_code_point_offsets_and_their_text() {
        let project = tricky_project();
        let (sink, _) = export_to_memory(&project);
        let tasks: Vec<Task> = serde_json::from_str(&sink.text("")).expect("tasks parse");
        let document = &project.documents[0];
        let python_slice = |start: usize, end: usize| document.text.as_str().chars().skip(start).take(end - start).collect::<String>();
        let regions: Vec<&ControlResult<LabelsBody>> = tasks[0].annotations[0]
            .result
            .iter()
            .filter_map(|result| if let ResultItem::Labels(region) = result { Some(region) } else { None })
            .collect();
        assert_eq!(regions.len(), 10, "9 span annotations, one of them in two fragments");
        for region in regions {
            let (Some(start), Some(end)) = (region.value.start, region.value.end) else { panic!("offsets") };
            assert_eq!(region.value.body.text.as_deref(), Some(python_slice(start, end).as_str()));
        }
        assert_eq!(tasks[0].data.text, document.text.as_str());
    }

    #[test]
    fn discontinuous_annotations_become_numbered_regions() {
        let project = tricky_project();
        let (sink, _) = export_to_memory(&project);
        let split = project.documents[0].annotations.iter().find(|annotation| annotation.fragments.len() == 2).expect("a split claim");
        let json = sink.text("");
        assert!(json.contains(&format!("\"id\": \"{}\"", split.id)));
        assert!(json.contains(&format!("\"id\": \"{}~2\"", split.id)));
        assert!(!json.contains(&format!("\"id\": \"{}~3\"", split.id)));
    }

    #[test]
    fn config_declares_every_control_the_tasks_use() {
        for project in [sample_project(), tricky_project(), project_with_every_attribute_type()] {
            let (sink, _) = export_to_memory(&project);
            assert_config_declares_every_result(&sink);
        }
    }

    #[test]
    fn shared_attributes_merge_into_one_control() {
        let mut project = tricky_project();
        let polarity =
            project.schema.labels.iter().find(|label| label.name == "SENTIMENT").and_then(|label| label.attribute("polarity")).cloned();
        let claim = project.schema.labels.iter_mut().find(|label| label.name == "CLAIM").expect("CLAIM");
        let mut polarity = polarity.expect("polarity");
        polarity.value_type = AttributeType::Choice(vec!["positive".into(), "sarcastic".into()]);
        claim.attributes.push(polarity);
        let (sink, _) = export_to_memory(&project);
        let config = parse_xml(&sink.text(CONFIG_FILE));
        let controls: Vec<&Element> =
            config.descendants().into_iter().filter(|element| element.attribute("name") == Some("polarity")).collect();
        assert_eq!(controls.len(), 1);
        assert_eq!(controls[0].attribute("whenLabelValue"), Some("CLAIM,SENTIMENT"));
        assert_eq!(controls[0].child_values(), BTreeSet::from(["negative", "neutral", "positive", "mixed", "sarcastic"]));
        assert!(config.descendants().iter().any(|element| element.attribute("name") == Some("DOC_SENTIMENT_polarity")));
    }

    #[test]
    fn the_config_escapes_what_it_quotes() {
        let mut project = tricky_project();
        let person = project.schema.labels.iter_mut().find(|label| label.name == "PER").expect("PER");
        person.guideline = "Tom & \"Jerry\" <cats>, l'un\nl'autre".into();
        let (sink, _) = export_to_memory(&project);
        let xml = sink.text(CONFIG_FILE);
        assert!(xml.contains("hint=\"Tom &amp; &quot;Jerry&quot; &lt;cats&gt;, l&apos;un&#10;l&apos;autre\""), "{xml}");
        let config = parse_xml(&xml);
        let label = config.descendants().into_iter().find(|element| element.attribute("value") == Some("PER")).expect("PER");
        assert_eq!(label.attribute("hint"), Some("Tom & \"Jerry\" <cats>, l'un\nl'autre"));
        assert_eq!(escape_xml("a\u{1}b"), "a\u{fffd}b", "characters XML forbids are replaced");
    }

    #[test]
    fn control_names_stay_unique_and_plain() {
        let mut schema = LabelSchema::default_schema();
        let text_attribute = |name: &str| AttributeDef {
            name: name.into(),
            title: name.into(),
            value_type: AttributeType::Text,
            default: None,
            guideline: String::new(),
        };
        let person = schema.labels.iter_mut().find(|label| label.name == "PER").expect("PER");
        person.attributes.extend([text_attribute("note"), text_attribute("claim type"), text_attribute("claim_type")]);
        let interface = LabelingInterface::new(&schema);
        let names: Vec<&str> = interface.controls.iter().map(|control| control.name.as_str()).collect();
        assert!(names.contains(&"note_2") && names.contains(&"claim_type_2"), "{names:?}");
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len());
        assert!(names.iter().all(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')));
        assert_eq!(interface.find(&Slot::Note, WidgetKind::TextArea).map(|control| control.name.as_str()), Some(NOTE_CONTROL));
    }

    #[test]
    fn unannotated_documents_have_no_annotation() {
        let mut project = Project::from_text("p", "Nothing tagged yet.");
        project.documents.push(crate::model::Document::new("done", "Read, nothing to tag."));
        project.documents[1].status = crate::model::DocumentStatus::Done;
        let (sink, report) = export_to_memory(&project);
        let tasks: Vec<Value> = serde_json::from_str(&sink.text("")).expect("tasks parse");
        assert_eq!(tasks[0]["annotations"], serde_json::json!([]));
        assert_eq!(tasks[0].get("meta"), None);
        assert_eq!(tasks[1]["annotations"][0]["result"], serde_json::json!([]), "a finished document is an empty annotation");
        assert!(report.is_empty());
    }

    // --- Round trips ---

    #[test]
    fn sample_project_round_trips() {
        let project = sample_project();
        let (copy, report) = round_trip(&project);
        assert_same_annotations(&project, &copy);
        assert_eq!(report.count(SPLIT_FRAGMENTS), discontinuous_count(&project), "split, then joined again");
    }

    #[test]
    fn tricky_project_round_trips() {
        let project = tricky_project();
        let (copy, report) = round_trip(&project);
        assert_same_annotations(&project, &copy);
        assert_eq!(report.count(SPLIT_FRAGMENTS), 1);
    }

    /// The tricky project with a flag, a number and a text attribute on PER, named to clash.
    fn project_with_every_attribute_type() -> Project {
        let mut project = tricky_project();
        let attribute = |name: &str, value_type: AttributeType| AttributeDef {
            name: name.into(),
            title: name.into(),
            value_type,
            default: None,
            guideline: String::new(),
        };
        let person = project.schema.labels.iter_mut().find(|label| label.name == "PER").expect("PER");
        person.attributes.extend([
            attribute("verified", AttributeType::Flag),
            attribute("anonymous", AttributeType::Flag),
            attribute("confidence", AttributeType::Number { min: 0.0, max: 1.0 }),
            attribute("note", AttributeType::Text),
            attribute("polarity", AttributeType::Text),
        ]);
        let person = project.documents[0].annotations.iter_mut().find(|annotation| annotation.label == "PER").expect("a person");
        person.attributes.extend([
            ("verified".to_owned(), AttributeValue::Flag(true)),
            ("anonymous".to_owned(), AttributeValue::Flag(false)),
            ("confidence".to_owned(), AttributeValue::Number(0.75)),
            ("note".to_owned(), AttributeValue::Text("spokesman\nsince 2007".into())),
            ("polarity".to_owned(), AttributeValue::Text("anything goes".into())),
        ]);
        assert_eq!(project.check_invariants(), []);
        project
    }

    #[test]
    fn every_attribute_type_round_trips() {
        let project = project_with_every_attribute_type();
        let (sink, report) = export_to_memory(&project);
        assert_eq!(report.count(FLAG_NO), 1, "{report}");
        let json = sink.text("");
        for expected in ["\"from_name\": \"note_2\"", "\"from_name\": \"polarity_2\"", "\"number\": 0.75", "\"yes\""] {
            assert!(json.contains(expected), "{expected}");
        }
        let (copy, _) = round_trip(&project);
        let mut expected = project.clone();
        for annotation in &mut expected.documents[0].annotations {
            annotation.attributes.remove("anonymous");
        }
        assert_same_annotations(&expected, &copy);
    }

    #[test]
    fn relations_of_document_labels_are_reported() {
        let mut project = tricky_project();
        let mut schema_doc = project.schema.labels.iter().find(|label| label.kind == Kind::Document).cloned().expect("a document label");
        let claim_relation = project.schema.label("CLAIM").and_then(|label| label.relation("claimant")).cloned().expect("claimant");
        schema_doc.relations.push(claim_relation);
        if let Some(label) = project.schema.labels.iter_mut().find(|label| label.name == schema_doc.name) {
            *label = schema_doc;
        }
        let document = &mut project.documents[0];
        let person = document.annotations.iter().find(|annotation| annotation.label == "PER").map(|a| a.id.clone()).expect("person");
        let whole = document.annotations.iter_mut().find(|annotation| annotation.kind == Kind::Document).expect("document label");
        whole.set_relation("claimant", Some(RelationTarget::Annotation(person)));
        let (_, report) = export_to_memory(&project);
        assert_eq!(report.count(DOCUMENT_RELATIONS), 1, "{report}");
    }

    #[test]
    fn importing_twice_renews_ids_and_keeps_relations() {
        let project = tricky_project();
        let (sink, _) = export_to_memory(&project);
        let (_folder, path) = file_with("tasks.json", sink.text(""));
        let mut copy = Project::new("x");
        import(&mut copy, ImportFormat::LabelStudio, std::slice::from_ref(&path), &ImportOptions::default()).expect("first import");
        let summary = import(&mut copy, ImportFormat::LabelStudio, &[path], &ImportOptions::default()).expect("second import");
        assert_eq!(summary.documents_merged, 2);
        assert_eq!(copy.check_invariants(), []);
    }

    // --- Import of Label Studio's own exports ---

    /// A task as Label Studio exports it: random ids, user ids, a second annotation, predictions.
    const LABEL_STUDIO_EXPORT: &str = r#"[
  {
    "id": 41,
    "data": {"text": "Imran Khan met Afghans in Kabul, then Doha."},
    "meta": {},
    "annotations": [
      {
        "id": 7, "completed_by": 1, "was_cancelled": false, "ground_truth": false, "lead_time": 12.5,
        "result": [
          {"id": "Xy_1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
           "value": {"start": 0, "end": 10, "text": "Imran Khan", "labels": ["PER"]}},
          {"id": "c9~2", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 38, "end": 42, "text": "Doha", "labels": ["CLAIM"]}},
          {"id": "c9", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 11, "end": 31, "text": "met Afghans in Kabul", "labels": ["CLAIM"]}},
          {"id": "c9", "from_name": "claim_type", "to_name": "text", "type": "choices",
           "value": {"start": 11, "end": 31, "text": "met Afghans in Kabul", "choices": ["factual"]}},
          {"id": "c9", "from_name": "note", "to_name": "text", "type": "textarea",
           "value": {"start": 11, "end": 31, "text": ["two", "lines"]}},
          {"from_id": "Xy_1", "to_id": "c9~2", "type": "relation", "direction": "left", "labels": ["claimant"]},
          {"id": "d1", "from_name": "DOC_SENTIMENT_polarity", "to_name": "text", "type": "choices", "value": {"choices": ["neutral"]}},
          {"id": "d2", "from_name": "DOC_SENTIMENT", "to_name": "text", "type": "choices", "value": {"choices": ["present"]}},
          {"id": "r1", "from_name": "rating", "to_name": "text", "type": "rating", "value": {"rating": 4}},
          {"id": "s1", "from_name": "mood", "to_name": "text", "type": "choices", "value": {"choices": ["calm"]}}
        ]
      },
      {"id": 8, "completed_by": 2, "result": []}
    ]
  },
  {
    "id": 42,
    "data": {"text": "Doha talks."},
    "predictions": [
      {"model_version": "v1", "score": 0.5, "result": [
        {"id": "p1", "from_name": "ner", "to_name": "body", "type": "labels", "value": {"start": 0, "end": 4, "labels": ["LOC", "EVENT"]}}
      ]}
    ]
  }
]
"#;

    #[test]
    fn reads_label_studio_exports() {
        let (documents, report) = read_text(LABEL_STUDIO_EXPORT, &LabelSchema::default_schema(), &ImportOptions::default());
        let documents = documents.expect("read");
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].title, "task 1");
        assert_eq!(documents[0].place.line, 2);
        let second_task = LABEL_STUDIO_EXPORT.lines().position(|line| line.contains("\"id\": 42")).expect("task 42");
        assert_eq!(documents[1].place.line, second_task, "the line of its opening brace");
        let annotations: Vec<&Annotation> = documents[0].annotations.iter().map(|item| &item.annotation).collect();
        assert_eq!(annotations.len(), 3);
        let claim = annotations.iter().find(|annotation| annotation.id.as_str() == "c9").expect("the claim keeps its id");
        assert_eq!(claim.fragments, [Span::new(11, 31), Span::new(38, 42)], "fragments joined and sorted");
        assert_eq!(claim.attributes.get("claim_type"), Some(&AttributeValue::Text("factual".into())));
        assert_eq!(claim.note, "two\nlines");
        assert_eq!(claim.relation("claimant"), Some(&RelationTarget::Annotation(AnnotationId("Xy_1".into()))), "left means to → from");
        assert_eq!(claim.author, "import");
        assert_eq!(claim.provenance, Provenance::Imported { format: FORMAT.into() });
        let whole = annotations.iter().find(|annotation| annotation.kind == Kind::Document).expect("document label");
        assert_eq!(whole.id.as_str(), "d2");
        assert_eq!(whole.attributes.get("polarity"), Some(&AttributeValue::Text("neutral".into())), "attached by label when ids differ");
        let predicted = &documents[1].annotations[0].annotation;
        assert_eq!((predicted.label.as_str(), predicted.fragments.as_slice()), ("LOC", &[Span::new(0, 4)][..]));
        assert_eq!(report.count(OTHER_ANNOTATIONS), 1);
        assert_eq!(report.count(PREDICTION_USED), 1);
        assert_eq!(report.count(UNREAD_RESULTS), 1);
        assert_eq!(report.count(UNKNOWN_CONTROLS), 1);
        assert_eq!(report.count(EXTRA_LABELS), 1);
        let mut project = Project::new("x");
        add_documents(&mut project, documents, &ImportOptions::default()).expect("fits the default schema");
    }

    #[test]
    fn reads_a_single_task_and_minified_exports() {
        let schema = LabelSchema::default_schema();
        let single = r#"{"data": {"text": "Kabul", "title": "One"}, "annotations": [{"result": [
            {"id": "k", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 5, "labels": ["LOC"]}}]}]}"#;
        let (documents, _) = read_text(single, &schema, &ImportOptions::default());
        let documents = documents.expect("a single task object");
        assert_eq!((documents[0].title.as_str(), documents[0].annotations.len()), ("One", 1));
        let minified: Value = serde_json::from_str(LABEL_STUDIO_EXPORT).expect("valid");
        let (documents, _) = read_text(&minified.to_string(), &schema, &ImportOptions::default());
        assert_eq!(documents.expect("minified").len(), 2);
        let (documents, _) = read_text(" [ ] ", &schema, &ImportOptions::default());
        assert!(documents.expect("no tasks").is_empty());
    }

    #[test]
    fn unknown_labels_are_added_when_asked() {
        let text = r#"[{"data": {"text": "Kabul"}, "annotations": [{"result": [
            {"id": "k", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 5, "labels": ["CITY"]}},
            {"id": "w", "from_name": "WHOLE", "to_name": "text", "type": "choices", "value": {"choices": ["present"]}}]}]}]"#;
        let options = ImportOptions { add_unknown_labels: true, ..ImportOptions::default() };
        let (documents, _) = read_text(text, &LabelSchema::default_schema(), &options);
        let kinds: Vec<(String, Kind)> =
            documents.expect("read").remove(0).annotations.into_iter().map(|item| (item.annotation.label, item.annotation.kind)).collect();
        assert_eq!(kinds, [("CITY".to_owned(), Kind::Entity), ("WHOLE".to_owned(), Kind::Document)]);
    }

    // --- Bad input ---

    /// One task on line 2 of a file, with `results` as its results.
    fn task_with(results: &str) -> String {
        format!("[\n  {{\"data\": {{\"text\": \"Imran Khan met Afghans.\"}},\n    \"annotations\": [{{\"result\": [{results}]}}]}}\n]\n")
    }

    fn region(id: &str, start: i64, end: i64, text: &str, label: &str) -> String {
        format!(
            r#"{{"id": "{id}", "from_name": "label", "to_name": "text", "type": "labels", "value": {{"start": {start}, "end": {end}, "text": "{text}", "labels": ["{label}"]}}}}"#
        )
    }

    #[test]
    fn truncated_files_name_the_last_line() {
        let (sink, _) = export_to_memory(&tricky_project());
        let text = sink.text("");
        let half = (0..=text.len() / 2).rev().find(|&byte| text.is_char_boundary(byte)).unwrap_or(0);
        let cut = &text[..half];
        let error = read_error(cut, 1 + cut.matches('\n').count());
        assert!(error.contains("truncated"), "{error}");
        read_error("[\n  {\"data\": {\"text\": \"x\"}}", 2);
    }

    #[test]
    fn wrong_types_name_their_line() {
        let error = read_error("[\n  {\"data\": {\"text\": \"x\"}},\n  {\"data\": {\"text\": 5}}\n]", 3);
        assert!(error.contains("task 2: invalid type: integer `5`"), "{error}");
        read_error("[\n  {\"data\": {\"text\": \"x\"}, \"annotations\": [{\"result\": {}}]}\n]", 2);
        let error = read_error("\n\n\"tasks\"", 3);
        assert!(error.contains("expected a Label Studio JSON export"), "{error}");
        read_error("[\n  {\"data\": {\"text\": \"x\"}}\n  {\"data\": {\"text\": \"y\"}}\n]", 3);
        read_error("[{\"data\": {\"text\": \"x\"}}]\n]", 2);
        read_error(&task_with(&region("a", -1, 5, "Imran", "PER")), 3);
    }

    #[test]
    fn offsets_past_the_end_are_refused() {
        let error = read_error(&task_with(&region("a", 15, 99, "Afghans.", "PER")), 2);
        assert!(error.contains("task 1: region \"a\" ends at 99, past the end of the text (23 code points)"), "{error}");
    }

    #[test]
    fn reversed_offsets_are_refused() {
        let error = read_error(&task_with(&region("a", 10, 0, "Imran Khan", "PER")), 2);
        assert!(error.contains("starts at 10, not before its end 0"), "{error}");
    }

    #[test]
    fn quotes_must_match_the_text() {
        let error = read_error(&task_with(&region("a", 0, 10, "Imran Kahn", "PER")), 2);
        assert!(error.contains("quotes \"Imran Kahn\" but the text at [0, 10) is \"Imran Khan\""), "{error}");
    }

    #[test]
    fn unknown_labels_are_refused() {
        let error = read_error(&task_with(&region("a", 0, 10, "Imran Khan", "POLITICIAN")), 2);
        assert!(error.contains("label \"POLITICIAN\" is not in the project's schema"), "{error}");
    }

    #[test]
    fn choices_outside_the_schema_are_refused() {
        let claim = region("c", 11, 22, "met Afghans", "CLAIM");
        let choice = r#"{"id": "c", "from_name": "claim_type", "to_name": "text", "type": "choices", "value": {"start": 11, "end": 22, "choices": ["rumour"]}}"#;
        let error = read_error(&task_with(&format!("{claim}, {choice}")), 2);
        assert!(error.contains("\"rumour\" is not a value of attribute \"claim_type\" of label CLAIM"), "{error}");
        let on_person =
            r#"{"id": "p", "from_name": "claim_type", "to_name": "text", "type": "choices", "value": {"choices": ["factual"]}}"#;
        let person = region("p", 0, 10, "Imran Khan", "PER");
        let error = read_error(&task_with(&format!("{person}, {on_person}")), 2);
        assert!(error.contains("label PER has no attribute \"claim_type\""), "{error}");
        let stray =
            r#"{"id": "zz", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"start": 0, "end": 4, "text": ["x"]}}"#;
        let error = read_error(&task_with(stray), 2);
        assert!(error.contains("belongs to no labelled region"), "{error}");
    }

    #[test]
    fn relations_to_unknown_regions_are_refused() {
        let relation = r#"{"from_id": "c", "to_id": "ghost", "type": "relation", "labels": ["claimant"]}"#;
        let error = read_error(&task_with(&format!("{}, {relation}", region("c", 11, 22, "met Afghans", "CLAIM"))), 2);
        assert!(error.contains("a relation points at region \"ghost\", which does not exist"), "{error}");
    }

    #[test]
    fn fragments_must_share_their_label() {
        let regions = format!("{}, {}", region("a", 0, 5, "Imran", "PER"), region("a~2", 6, 10, "Khan", "ORG"));
        let error = read_error(&task_with(&regions), 2);
        assert!(error.contains("region \"a~2\" is labelled ORG but the other regions of a are PER"), "{error}");
    }

    #[test]
    fn non_utf8_files_name_the_line() {
        let mut bytes = task_with(&region("a", 0, 5, "Imran", "PER")).into_bytes();
        bytes.splice(3..3, [0xff, 0xfe]);
        let (_folder, path) = file_with("tasks.json", bytes);
        let error = read(&[path], &ImportOptions::default(), &LabelSchema::default_schema(), &mut LossReport::default())
            .expect_err("not UTF-8")
            .to_string();
        assert!(error.contains("tasks.json:2: not UTF-8"), "{error}");
    }

    #[test]
    fn refused_imports_change_nothing() {
        let mut project = sample_project();
        let before = project.clone();
        let schema_errors = [
            task_with(&region("a", 0, 99, "Imran Khan", "PER")),
            // add_documents refuses it: PER has no claimant; still at the task's line.
            task_with(&format!(
                "{}, {}, {}",
                region("p", 0, 10, "Imran Khan", "PER"),
                region("q", 15, 22, "Afghans", "NORP"),
                r#"{"from_id": "p", "to_id": "q", "type": "relation", "labels": ["claimant"]}"#
            )),
        ];
        for text in schema_errors {
            let (_folder, path) = file_with("tasks.json", text);
            let error = import(&mut project, ImportFormat::LabelStudio, &[path], &ImportOptions::default()).expect_err("refused");
            assert!(error.to_string().contains("tasks.json:2: "), "{error}");
            assert_eq!(project, before);
        }
    }

    #[test]
    fn line_and_column_count_bytes_from_one() {
        assert_eq!(line_and_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("ab", 99), (1, 3));
    }
}

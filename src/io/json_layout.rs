//! The layout of project files: pretty-printed down to the annotations, then one annotation per
//! line.
//!
//! ```text
//! {
//!   "format_version": 1,
//!   "documents": [
//!     {
//!       "id": "doc-…",
//!       "annotations": [
//!         {"id":"a1","kind":"entity","label":"PER","fragments":[{"start":0,"end":10}],…},
//!         {"id":"a2",…}
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! One annotation per line keeps files diffable and mergeable line by line (an edit changes one
//! line), and compact annotations keep a million of them small enough to load and save in about a
//! second.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use super::json_writer::{push_array, push_attributes, push_serialized, push_string, push_timestamp, push_usize};
use crate::model::{Annotation, Document, Project, RelationTarget};

/// Containers nested deeper than this are written on one line.
const PRETTY_DEPTH: usize = 4;

/// A `serde_json` formatter: two-space indentation for the outer [`PRETTY_DEPTH`] levels, compact
/// JSON inside them.
#[derive(Default)]
pub struct ProjectFormatter {
    depth: usize,
    has_value: bool,
}

impl ProjectFormatter {
    fn pretty(&self) -> bool {
        self.depth <= PRETTY_DEPTH
    }

    fn newline(&self, writer: &mut (impl ?Sized + Write), first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open(&mut self, writer: &mut (impl ?Sized + Write), bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close(&mut self, writer: &mut (impl ?Sized + Write), bracket: &[u8]) -> io::Result<()> {
        let pretty = self.pretty();
        self.depth -= 1;
        if pretty && self.has_value {
            writer.write_all(b"\n")?;
            for _ in 0..self.depth {
                writer.write_all(b"  ")?;
            }
        }
        writer.write_all(bracket)
    }

    fn separate(&self, writer: &mut (impl ?Sized + Write), first: bool) -> io::Result<()> {
        match (self.pretty(), first) {
            (true, _) => self.newline(writer, first),
            (false, true) => Ok(()),
            (false, false) => writer.write_all(b","),
        }
    }
}

impl Formatter for ProjectFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.separate(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.separate(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.pretty() { b": " } else { b":" })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as JSON laid out by [`ProjectFormatter`], as if nested `depth` levels deep.
pub fn to_project_json<T: serde::Serialize>(value: &T, depth: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, ProjectFormatter { depth, has_value: false });
    // Serializing plain data with string keys into memory cannot fail.
    let _ = value.serialize(&mut serializer);
    bytes
}

/// A project as JSON laid out by [`ProjectFormatter`], its documents serialized on all cores:
/// the same bytes as serializing it whole.
pub fn project_json(project: &Project) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_project_json(project, &mut bytes);
    bytes
}

/// Documents written together by one task before their bytes go to the writer.
const DOCUMENTS_PER_PIECE: usize = 128;

/// Writes `project` as [`project_json`] does, to `out`: pieces of documents are written on all
/// cores while a writer thread writes the pieces before them, so a large project's writing
/// overlaps its serializing instead of following it. The writer hands each piece's buffer back
/// for a later piece, so the pieces reuse memory instead of asking the system for more.
pub fn write_project_json(project: &Project, out: &mut (impl Write + Send)) -> io::Result<()> {
    use rayon::prelude::*;
    let outline = Project { documents: Vec::new(), ..project.clone_without_documents() };
    let mut head = to_project_json(&outline, 0);
    // The outline ends with `"documents": []` and the closing brace.
    head.truncate(head.len().saturating_sub(b"[]\n}".len()));
    head.push(b'[');
    let tail: &[u8] = if project.documents.is_empty() { b"]\n}" } else { b"\n  ]\n}" };
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::default();
    let take_spare = || spare.lock().ok().and_then(|mut spare| spare.pop()).unwrap_or_default();
    std::thread::scope(|scope| {
        let (pieces, received) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let spare = &spare;
        let writer = scope.spawn(move || {
            received.iter().try_for_each(|mut piece| {
                out.write_all(&piece)?;
                piece.clear();
                if let Ok(mut spare) = spare.lock() {
                    spare.push(piece);
                }
                Ok(())
            })
        });
        let mut sent = pieces.send(head).is_ok();
        for (batch_index, batch) in project.documents.chunks(DOCUMENTS_PER_PIECE * rayon::current_num_threads()).enumerate() {
            if !sent {
                break;
            }
            let written: Vec<Vec<u8>> = (batch.par_chunks(DOCUMENTS_PER_PIECE).enumerate())
                .map(|(index, documents)| {
                    let mut piece = take_spare();
                    for (offset, document) in documents.iter().enumerate() {
                        let first = batch_index == 0 && index == 0 && offset == 0;
                        piece.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                        push_document(&mut piece, document);
                    }
                    piece
                })
                .collect();
            // A failed send means the writer stopped on an error, which `join` reports.
            sent = written.into_iter().all(|piece| pieces.send(piece).is_ok());
        }
        if sent {
            let _ = pieces.send(tail.to_vec());
        }
        drop(pieces);
        writer.join().unwrap_or_else(|_| Err(io::Error::other("the project writer thread panicked")))
    })
}

/// Appends `document` as [`to_project_json`] writes it two levels deep, its annotations one per
/// line by [`push_annotation`] and its text by the fast escaper; its rarer lists (comments,
/// decisions, conflicts, suggestions) go through `serde_json` and [`ProjectFormatter`].
fn push_document(out: &mut Vec<u8>, document: &Document) {
    out.extend_from_slice(b"{\n      \"id\": ");
    push_string(out, &document.id.0);
    push_field(out, "title");
    push_string(out, &document.title);
    push_field(out, "sha256");
    push_string(out, &document.sha256);
    push_field(out, "text");
    push_string(out, document.text.as_str());
    push_field(out, "status");
    push_serialized(out, &document.status);
    push_field(out, "annotations");
    if document.annotations.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        for (index, annotation) in document.annotations.iter().enumerate() {
            out.extend_from_slice(if index == 0 { b"[\n        " } else { b",\n        " });
            push_annotation(out, annotation);
        }
        out.extend_from_slice(b"\n      ]");
    }
    push_list(out, "comments", &document.comments);
    push_list(out, "decisions", &document.decisions);
    push_list(out, "conflicts", &document.conflicts);
    push_list(out, "suggestions", &document.suggestions);
    out.extend_from_slice(b"\n    }");
}

/// Appends the key of a document's field after the one before it.
fn push_field(out: &mut Vec<u8>, key: &str) {
    out.extend_from_slice(b",\n      \"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// Appends a document's list field, one item per line, unless it is empty (then the field is
/// left out, as the model's serialization leaves it out).
fn push_list(out: &mut Vec<u8>, key: &str, list: &[impl Serialize]) {
    if !list.is_empty() {
        push_field(out, key);
        out.extend_from_slice(&to_project_json(&list, 3));
    }
}

/// Appends `annotation` as compact JSON, as `serde_json` writes it.
fn push_annotation(out: &mut Vec<u8>, annotation: &Annotation) {
    out.extend_from_slice(b"{\"id\":");
    push_string(out, annotation.id.as_str());
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(annotation.kind.name().as_bytes());
    out.extend_from_slice(b"\",\"label\":");
    push_string(out, &annotation.label);
    if !annotation.fragments.is_empty() {
        out.extend_from_slice(b",\"fragments\":");
        push_array(out, &annotation.fragments, |out, fragment| {
            out.extend_from_slice(b"{\"start\":");
            push_usize(out, fragment.start);
            out.extend_from_slice(b",\"end\":");
            push_usize(out, fragment.end);
            out.push(b'}');
        });
    }
    if !annotation.attributes.is_empty() {
        out.extend_from_slice(b",\"attributes\":");
        push_attributes(out, &annotation.attributes);
    }
    if !annotation.relations.is_empty() {
        out.extend_from_slice(b",\"relations\":");
        push_array(out, &annotation.relations, |out, relation| {
            out.extend_from_slice(b"{\"role\":");
            push_string(out, &relation.role);
            let (kind, target) = match &relation.target {
                RelationTarget::Annotation(id) => (&b",\"target\":{\"annotation\":"[..], id.as_str()),
                RelationTarget::Implicit(who) => (&b",\"target\":{\"implicit\":"[..], who.as_str()),
            };
            out.extend_from_slice(kind);
            push_string(out, target);
            out.extend_from_slice(b"}}");
        });
    }
    if !annotation.note.is_empty() {
        out.extend_from_slice(b",\"note\":");
        push_string(out, &annotation.note);
    }
    if !annotation.comments.is_empty() {
        out.extend_from_slice(b",\"comments\":");
        push_serialized(out, &annotation.comments);
    }
    out.extend_from_slice(b",\"author\":");
    push_string(out, &annotation.author);
    out.extend_from_slice(b",\"created\":");
    let created = out.len();
    push_timestamp(out, annotation.created);
    out.extend_from_slice(b",\"modified\":");
    if annotation.modified == annotation.created {
        // Most annotations were never changed: the time is written already.
        out.extend_from_within(created..created + (out.len() - created - b",\"modified\":".len()));
    } else {
        push_timestamp(out, annotation.modified);
    }
    if !annotation.provenance.is_manual() {
        out.extend_from_slice(b",\"provenance\":");
        push_serialized(out, &annotation.provenance);
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_levels_are_pretty_and_inner_ones_compact() {
        let value = serde_json::json!({
            "a": 1,
            "documents": [{"annotations": [{"id": "x", "fragments": [{"start": 0, "end": 2}]}, {"id": "y"}], "empty": []}]
        });
        let text = String::from_utf8(to_project_json(&value, 0)).expect("UTF-8");
        assert_eq!(
            text,
            "{\n  \"a\": 1,\n  \"documents\": [\n    {\n      \"annotations\": [\n        {\"fragments\":[{\"end\":2,\"start\":0}],\"id\":\"x\"},\n        {\"id\":\"y\"}\n      ],\n      \"empty\": []\n    }\n  ]\n}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn parallel_serialization_gives_the_same_bytes() {
        for project in [crate::io::testing::sample_project(), crate::io::testing::tricky_project(), crate::model::Project::new("empty")] {
            assert_eq!(String::from_utf8(project_json(&project)), String::from_utf8(to_project_json(&project, 0)));
        }
    }

    mod written_by_hand {
        use super::*;
        use crate::model::{
            AnnotationId, AttributeValue, Comment, DocumentStatus, Kind, Provenance, Relation, RuleSource, Span, Suggestion,
        };
        use proptest::collection::vec;
        use proptest::prelude::*;

        /// Text with every character JSON escapes among others.
        const TEXT: &str = "[a-z \"\\\\\u{0}-\u{1f}“—😀]{0,10}";

        fn timestamp() -> impl Strategy<Value = jiff::Timestamp> {
            (-62_167_219_200_i64..253_402_300_800, prop_oneof![3 => Just(0), 1 => 0..1_000_000_000_i32])
                .prop_map(|(second, nanosecond)| jiff::Timestamp::new(second, nanosecond).unwrap_or(jiff::Timestamp::UNIX_EPOCH))
        }

        fn comment() -> impl Strategy<Value = Comment> {
            (TEXT, timestamp(), TEXT).prop_map(|(author, time, text)| Comment { author, time, text })
        }

        fn attribute_value() -> impl Strategy<Value = AttributeValue> {
            prop_oneof![
                any::<bool>().prop_map(AttributeValue::Flag),
                any::<f64>().prop_map(AttributeValue::Number),
                TEXT.prop_map(AttributeValue::Text),
            ]
        }

        fn provenance() -> impl Strategy<Value = Provenance> {
            prop_oneof![
                3 => Just(Provenance::Manual),
                1 => TEXT.prop_map(|format| Provenance::Imported { format }),
                1 => (TEXT, vec(TEXT, 0..3)).prop_map(|(reviewer, sources)| Provenance::Adjudicated { reviewer, sources }),
                1 => TEXT.prop_map(|name| Provenance::Suggested { source: RuleSource::Gazetteer(name) }),
            ]
        }

        prop_compose! {
            fn annotation()(
                (id, kind, label) in (TEXT, proptest::sample::select(Kind::ALL.to_vec()), TEXT),
                fragments in vec((0_usize..100_000, 1_usize..50).prop_map(|(start, len)| Span::new(start, start + len)), 0..3),
                attributes in vec((TEXT, attribute_value()), 0..3),
                relations in vec((TEXT, any::<bool>(), TEXT), 0..3),
                (note, comments, author) in (prop_oneof![Just(String::new()), TEXT.prop_map(String::from)], vec(comment(), 0..2), TEXT),
                (created, modified, provenance) in (timestamp(), proptest::option::of(timestamp()), provenance()),
            ) -> Annotation {
                // Mostly never changed, as most annotations are.
                let modified = modified.unwrap_or(created);
                let relations = relations.into_iter().map(|(role, implicit, target)| Relation {
                    role,
                    target: if implicit { RelationTarget::Implicit(target) } else { RelationTarget::Annotation(AnnotationId(target)) },
                }).collect();
                Annotation {
                    id: AnnotationId(id), kind, label, fragments, attributes: attributes.into_iter().collect(), relations,
                    note, comments, author, created, modified, provenance,
                }
            }
        }

        prop_compose! {
            fn document()(
                (title, text) in (TEXT, "[a-z \"\\\\\n\t“—😀]{0,80}"),
                annotations in vec(annotation(), 0..5),
                comments in vec(comment(), 0..2),
                suggestions in vec((TEXT, 0_usize..1000), 0..2),
                status in proptest::sample::select(DocumentStatus::ALL.to_vec()),
            ) -> Document {
                let mut document = Document::new(title, text);
                document.annotations = annotations;
                document.comments = comments;
                document.status = status;
                document.suggestions = suggestions.into_iter().map(|(label, start)| Suggestion {
                    id: AnnotationId(format!("s{start}")), kind: Kind::Entity, label, span: Span::new(start, start + 3),
                    source: RuleSource::Pattern("rule".into()), rejected: start % 2 == 0,
                }).collect();
                document
            }
        }

        proptest! {
            /// Any document, whatever its strings, numbers, timestamps and lists, is written
            /// by hand as `serde_json` and the project layout write it.
            #[test]
            fn documents_are_written_as_serde_json_writes_them(document in document()) {
                let mut written = Vec::new();
                push_document(&mut written, &document);
                prop_assert_eq!(String::from_utf8(written), String::from_utf8(to_project_json(&document, 2)));
            }
        }

        #[test]
        fn decisions_and_conflicts_are_written_as_serde_json_writes_them() {
            let mut document = crate::io::testing::tricky_project().documents.swap_remove(0);
            let annotation = document.annotations[1].clone();
            document.decisions.push(crate::model::Decision {
                annotator: "bilal".into(),
                annotation_id: annotation.id.clone(),
                verdict: crate::model::Verdict::Kept,
                reviewer: "rev".into(),
                time: jiff::Timestamp::UNIX_EPOCH,
            });
            document.conflicts.push(crate::model::MergeConflict {
                annotation_id: annotation.id.clone(),
                kind: crate::model::ConflictKind::BothChanged,
                base: Some(annotation.clone()),
                ours: None,
                theirs: Some(annotation),
            });
            let mut written = Vec::new();
            push_document(&mut written, &document);
            assert_eq!(String::from_utf8(written), String::from_utf8(to_project_json(&document, 2)));
        }
    }
}

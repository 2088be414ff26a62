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

use serde_json::ser::Formatter;

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
pub fn project_json(project: &crate::model::Project) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_project_json(project, &mut bytes);
    bytes
}

/// Documents serialized together before their bytes go to the writer.
const DOCUMENTS_PER_PIECE: usize = 256;

/// Writes `project` as [`project_json`] does, to `out`: pieces of documents are serialized on all
/// cores while a writer thread writes the pieces before them, so a large project's writing
/// overlaps its serializing instead of following it.
pub fn write_project_json(project: &crate::model::Project, out: &mut (impl Write + Send)) -> io::Result<()> {
    use rayon::prelude::*;
    let outline = crate::model::Project { documents: Vec::new(), ..project.clone_without_documents() };
    let mut head = to_project_json(&outline, 0);
    // The outline ends with `"documents": []` and the closing brace.
    head.truncate(head.len().saturating_sub(b"[]\n}".len()));
    head.push(b'[');
    let tail: &[u8] = if project.documents.is_empty() { b"]\n}" } else { b"\n  ]\n}" };
    std::thread::scope(|scope| {
        let (pieces, received) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let writer = scope.spawn(move || received.iter().try_for_each(|piece| out.write_all(&piece)));
        let mut sent = pieces.send(head).is_ok();
        for (index, batch) in project.documents.chunks(DOCUMENTS_PER_PIECE).enumerate() {
            if !sent {
                break;
            }
            let documents: Vec<Vec<u8>> = batch.par_iter().map(|document| to_project_json(document, 2)).collect();
            let mut piece = Vec::with_capacity(documents.iter().map(|document| document.len() + 6).sum());
            for (offset, document) in documents.iter().enumerate() {
                piece.extend_from_slice(if index == 0 && offset == 0 { b"\n    " } else { b",\n    " });
                piece.extend_from_slice(document);
            }
            // A failed send means the writer stopped on an error, which `join` reports.
            sent = pieces.send(piece).is_ok();
        }
        if sent {
            let _ = pieces.send(tail.to_vec());
        }
        drop(pieces);
        writer.join().unwrap_or_else(|_| Err(io::Error::other("the project writer thread panicked")))
    })
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
}

//! Parsing a project file on all cores.
//!
//! Most of a large project file is its documents, and each parses on its own. A file in the
//! layout Gloss writes (see `json_layout`) shows where its documents begin and end without being
//! read: every raw line break of JSON lies outside strings, and a document is the text from a
//! `{` to a `}` at four spaces' indent:
//!
//! ```text
//! {
//!   "format_version": 1,
//!   …
//!   "documents": [
//!     {
//!       "id": "doc-1", …
//!     },
//!     {
//!       "id": "doc-2", …
//!     }
//!   ]
//! }
//! ```
//!
//! Such a file is cut into pieces at those lines and the pieces are parsed at once, each document
//! sorted and checked against the schema while it is fresh in the cache. The cut is only trusted
//! because each piece then parses as whole documents: if all do, the documents array is exactly
//! those documents. Any other layout is read by one thread that cuts the documents array into
//! batches as it passes them, for the pool to parse while it reads on.

use std::fmt;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::model::{Document, Metadata, Problem, Project, Rules, check_document};
use crate::schema::LabelSchema;

/// Documents parsed together by one task: enough to outweigh the cost of a task, few enough
/// that the last batches keep both cores busy.
const BATCH: usize = 64;

/// A project parsed on all cores, its annotations in canonical order.
pub(super) struct Parsed {
    /// The project.
    pub project: Project,
    /// Each document's own problems ([`check_document`]), in document order.
    pub document_problems: Vec<Vec<Problem>>,
}

/// Parses a project file, its documents in parallel, and sorts and checks each document. `None`
/// on any error: the caller parses the file again the plain way to report it.
pub(super) fn parse_in_parallel(json: &str) -> Option<Parsed> {
    match GlossLayout::of(json) {
        Some(layout) => layout.parse(),
        None => {
            let mut project = parse_streaming(json)?;
            project.normalize();
            let document_problems = project.document_problems();
            Some(Parsed { project, document_problems })
        }
    }
}

/// A file in the layout Gloss writes: its outline with an empty documents array, and the text of
/// the documents, from the first one's `{` to the last one's `}`.
struct GlossLayout<'a> {
    outline: String,
    documents: &'a str,
}

/// What opens the documents array, on a line of its own at two spaces' indent.
const DOCUMENTS_OPEN: &str = "\n  \"documents\": [";
/// What closes the documents array and the file.
const DOCUMENTS_CLOSE: &str = "\n  ]\n}";
/// What lies between two documents: the first one's closing brace and the next one's opening
/// brace, each on a line of its own at four spaces' indent.
const SEPARATOR: &str = "\n    },\n    {";
/// Where the document before a [`SEPARATOR`] ends within it: just after its `}`.
const END_IN_SEPARATOR: usize = "\n    }".len();
/// Where the document after a [`SEPARATOR`] starts within it: at its `{`.
const START_IN_SEPARATOR: usize = SEPARATOR.len() - 1;
/// About how many bytes of documents one task parses.
const PIECE_BYTES: usize = 1 << 20;

impl<'a> GlossLayout<'a> {
    /// The layout of `json`, if Gloss wrote it (and it has documents).
    fn of(json: &'a str) -> Option<Self> {
        let open = json.find(DOCUMENTS_OPEN)? + DOCUMENTS_OPEN.len();
        let close = json.trim_end().strip_suffix(DOCUMENTS_CLOSE)?.len();
        let documents = json.get(open..close)?.strip_prefix("\n    ")?;
        if !documents.starts_with('{') || !documents.ends_with("\n    }") {
            return None;
        }
        let outline = format!("{}]\n}}", json.get(..open)?);
        Some(Self { outline, documents })
    }

    /// Parses the outline, then the documents, piece by piece on all cores.
    fn parse(self) -> Option<Parsed> {
        let mut project: Project = serde_json::from_str(&self.outline).ok()?;
        if !project.documents.is_empty() {
            return None;
        }
        let schema = &project.schema;
        let pieces: Vec<Vec<(Document, Vec<Problem>)>> =
            self.pieces(PIECE_BYTES)?.into_par_iter().map(|piece| parse_documents(piece, schema)).collect::<Option<_>>()?;
        let count = pieces.iter().map(Vec::len).sum();
        let (mut documents, mut document_problems) = (Vec::with_capacity(count), Vec::with_capacity(count));
        for (document, problems) in pieces.into_iter().flatten() {
            documents.push(document);
            document_problems.push(problems);
        }
        project.documents = documents;
        Some(Parsed { project, document_problems })
    }

    /// The documents cut into pieces of about `piece_bytes`, each a run of whole documents.
    /// (The cuts fall on ASCII, so slicing there cannot fail; were it to, nothing is dropped:
    /// the whole cut is given up.)
    fn pieces(&self, piece_bytes: usize) -> Option<Vec<&'a str>> {
        let text = self.documents;
        let finder = memchr::memmem::Finder::new(SEPARATOR);
        let mut pieces = Vec::with_capacity(text.len() / piece_bytes + 1);
        let mut start = 0;
        while let Some(separator) = text.as_bytes().get(start + piece_bytes..).and_then(|rest| finder.find(rest)) {
            let separator = start + piece_bytes + separator;
            pieces.push(text.get(start..separator + END_IN_SEPARATOR)?);
            start = separator + START_IN_SEPARATOR;
        }
        pieces.push(text.get(start..)?);
        Some(pieces)
    }
}

/// Parses a run of whole documents in Gloss's layout, each sorted and checked against `schema`.
fn parse_documents(piece: &str, schema: &LabelSchema) -> Option<Vec<(Document, Vec<Problem>)>> {
    let mut parsed = Vec::new();
    let mut parse = |text: &str| {
        let mut document: Document = serde_json::from_str(text).ok()?;
        document.sort_annotations();
        let problems = check_document(schema, &document);
        parsed.push((document, problems));
        Some(())
    };
    let mut start = 0;
    for separator in memchr::memmem::find_iter(piece.as_bytes(), SEPARATOR) {
        parse(piece.get(start..separator + END_IN_SEPARATOR)?)?;
        start = separator + START_IN_SEPARATOR;
    }
    parse(piece.get(start..)?)?;
    Some(parsed)
}

/// Parses a project file of any layout: one thread reads the outline and hands the documents to
/// the pool in batches as it passes them.
fn parse_streaming(json: &str) -> Option<Project> {
    let batches = Batches::default();
    let (outline, expected) = rayon::in_place_scope(|scope| {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let outline = OutlineReader { scope, batches: &batches }.deserialize(&mut deserializer).ok()?;
        deserializer.end().ok()?;
        Some(outline)
    })?;
    let mut batches = batches.into_inner().ok()?;
    if batches.len() != expected {
        return None;
    }
    batches.sort_unstable_by_key(|(index, _)| *index);
    let mut documents = Vec::with_capacity(batches.iter().map(|(_, batch)| batch.as_ref().map_or(0, Vec::len)).sum());
    for (_, batch) in batches {
        documents.extend(batch?);
    }
    Some(Project {
        format_version: outline.format_version,
        metadata: outline.metadata,
        schema: outline.schema,
        rules: outline.rules,
        documents,
    })
}

/// The parts of a project file besides its documents.
struct Outline {
    format_version: u32,
    metadata: Metadata,
    schema: LabelSchema,
    rules: Rules,
}

/// Parsed batches of documents by position (`None` for a batch that failed to parse).
type Batches = Mutex<Vec<(usize, Option<Vec<Document>>)>>;

/// Reads the outline, handing the documents to [`DocumentsReader`]; yields the outline and how
/// many batches were handed out.
struct OutlineReader<'a, 'scope> {
    scope: &'a rayon::Scope<'scope>,
    batches: &'scope Batches,
}

impl<'de: 'scope, 'scope> DeserializeSeed<'de> for OutlineReader<'_, 'scope> {
    type Value = (Outline, usize);

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de: 'scope, 'scope> Visitor<'de> for OutlineReader<'_, 'scope> {
    type Value = (Outline, usize);

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a Gloss project")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let (mut format_version, mut metadata, mut schema, mut rules, mut batches) = (None, None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            let duplicate = match key.as_str() {
                "format_version" => format_version.replace(map.next_value()?).is_some(),
                "metadata" => metadata.replace(map.next_value()?).is_some(),
                "schema" => schema.replace(map.next_value()?).is_some(),
                "rules" => rules.replace(map.next_value()?).is_some(),
                "documents" => {
                    let reader = DocumentsReader { scope: self.scope, batches: self.batches };
                    batches.replace(map.next_value_seed(reader)?).is_some()
                }
                _ => map.next_value::<IgnoredAny>().map(|_| false)?,
            };
            if duplicate {
                return Err(M::Error::custom(format_args!("duplicate field `{key}`")));
            }
        }
        let outline = Outline {
            format_version: format_version.ok_or_else(|| M::Error::missing_field("format_version"))?,
            metadata: metadata.ok_or_else(|| M::Error::missing_field("metadata"))?,
            schema: schema.ok_or_else(|| M::Error::missing_field("schema"))?,
            rules: rules.unwrap_or_default(),
        };
        Ok((outline, batches.ok_or_else(|| M::Error::missing_field("documents"))?))
    }
}

/// Cuts the documents array into batches of raw documents and spawns a task parsing each;
/// yields how many batches it spawned.
struct DocumentsReader<'a, 'scope> {
    scope: &'a rayon::Scope<'scope>,
    batches: &'scope Batches,
}

impl<'scope> DocumentsReader<'_, 'scope> {
    /// Spawns the task that parses batch number `index`.
    fn spawn<'de: 'scope>(&self, index: usize, raw: Vec<&'de RawValue>) {
        let batches = self.batches;
        self.scope.spawn(move |_| {
            let parsed = raw.iter().map(|document| serde_json::from_str(document.get()).ok()).collect();
            if let Ok(mut batches) = batches.lock() {
                batches.push((index, parsed));
            }
        });
    }
}

impl<'de: 'scope, 'scope> DeserializeSeed<'de> for DocumentsReader<'_, 'scope> {
    type Value = usize;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de: 'scope, 'scope> Visitor<'de> for DocumentsReader<'_, 'scope> {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list of documents")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<usize, S::Error> {
        let mut spawned = 0;
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            batch.push(raw);
            if batch.len() == BATCH {
                self.spawn(spawned, std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                spawned += 1;
            }
        }
        if !batch.is_empty() {
            self.spawn(spawned, batch);
            spawned += 1;
        }
        Ok(spawned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::project_to_json;

    fn numbered(documents: usize) -> Project {
        let mut project = Project::new("numbered");
        project.documents = (0..documents).map(|index| Document::new(format!("document {index}"), format!("Text “{index}”."))).collect();
        project
    }

    /// The project `parse_in_parallel` makes of `json`, and whether the file had Gloss's layout.
    fn parse(json: &str) -> Option<(Project, bool)> {
        parse_in_parallel(json).map(|parsed| (parsed.project, GlossLayout::of(json).is_some()))
    }

    #[test]
    fn gloss_layout_is_cut_into_pieces_of_whole_documents() {
        let mut project = numbered(40);
        // A text holding the separator's characters: escaped, they are no separator.
        project.documents[7] = Document::new("tricky", "a\n    },\n    {\n  ]\n}\"documents\": [");
        let json = project_to_json(&project);
        let layout = GlossLayout::of(&json).expect("Gloss's own layout");
        let pieces = layout.pieces(200).expect("cut");
        let longest = project
            .documents
            .iter()
            .map(|document| project_to_json(&Project { documents: vec![document.clone()], ..Project::new("one") }).len())
            .max();
        assert!(
            pieces.iter().all(|piece| piece.len() <= 200 + longest.unwrap_or(0)),
            "pieces of {:?}",
            pieces.iter().map(|piece| piece.len()).collect::<Vec<_>>()
        );
        let documents: Vec<Document> = (pieces.iter())
            .flat_map(|piece| parse_documents(piece, &project.schema).expect("whole documents"))
            .map(|(document, problems)| {
                assert_eq!(problems, [], "{}", document.title);
                document
            })
            .collect();
        assert_eq!(documents, project.documents);
        assert_eq!(parse(&json), Some((project, true)));
    }

    #[test]
    fn documents_are_sorted_and_checked_as_they_are_parsed() {
        let mut project = numbered(3);
        project.documents[1].sha256 = "0".repeat(64);
        for json in [project_to_json(&project), serde_json::to_string(&project).expect("serialized")] {
            let problems = parse_in_parallel(&json).expect("parsed").document_problems;
            assert_eq!(problems.iter().map(Vec::len).collect::<Vec<_>>(), [0, 1, 0]);
            assert!(problems[1][0].message.contains("sha256"), "{:?}", problems[1]);
        }
    }

    #[test]
    fn other_layouts_are_read_by_the_outline_reader() {
        let project = numbered(3 * BATCH + 5);
        let compact = serde_json::to_string(&project).expect("serialized");
        assert!(GlossLayout::of(&compact).is_none());
        assert_eq!(parse(&compact), Some((project.clone(), false)));
        // Gloss's layout with a field after the documents is another layout.
        let moved = project_to_json(&project).trim_end().strip_suffix("\n}").expect("closing brace").to_owned() + ",\n  \"rules\": {}\n}";
        assert!(GlossLayout::of(&moved).is_none());
        assert_eq!(parse(&moved), Some((project, false)));
    }

    #[test]
    fn unknown_fields_are_ignored_as_the_plain_parse_ignores_them() {
        let json = project_to_json(&numbered(2)).replacen('{', "{\n  \"comment\": [1, {\"a\": null}],", 1);
        assert_eq!(parse(&json), Some((numbered(2), true)));
        let streamed = serde_json::to_string(&numbered(2)).expect("serialized").replacen('{', "{\"comment\": [1],", 1);
        assert_eq!(parse(&streamed), Some((numbered(2), false)));
    }

    /// Any fault gives `None`, for the plain parse to report with its line and column.
    #[test]
    fn faults_are_left_to_the_plain_parse() {
        for json in [project_to_json(&numbered(BATCH + 1)), serde_json::to_string(&numbered(BATCH + 1)).expect("serialized")] {
            let broken_document =
                json.replacen("\"title\": \"document 3\"", "\"title\": 3", 1).replacen("\"title\":\"document 3\"", "\"title\":3", 1);
            let duplicate = json.replacen('{', "{\n  \"schema\": {},", 1);
            let no_documents =
                json.get(..json.find("\"documents\"").unwrap_or(0)).unwrap_or_default().trim_end().trim_end_matches(',').to_owned() + "}";
            let two_documents_as_one = json.replacen("\n    },\n    {", "\n    }\n    {", 1).replacen("},{\"id\"", "}{\"id\"", 1);
            for (what, bad) in [
                ("a broken document", broken_document),
                ("a duplicate field", duplicate),
                ("no documents", no_documents),
                ("trailing text", json.clone() + "]"),
                ("a missing comma", two_documents_as_one),
            ] {
                assert!(parse(&bad).is_none(), "{what}");
            }
        }
    }

    proptest::proptest! {
        /// Whatever lines of a Gloss file are deleted, repeated or swapped, a parallel parse that
        /// succeeds gives what the plain parse gives, and one that the plain parse refuses fails.
        #[test]
        fn a_cut_file_parses_as_the_plain_parse_or_not_at_all(
            edit in 0..3_usize,
            first in proptest::prelude::any::<proptest::sample::Index>(),
            second in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let mut project = crate::io::testing::tricky_project();
            project.documents.extend(numbered(4).documents);
            let json = project_to_json(&project);
            let mut lines: Vec<&str> = json.lines().collect();
            let (i, j) = (first.index(lines.len()), second.index(lines.len()));
            match edit {
                0 => drop(lines.remove(i)),
                1 => lines.insert(i, lines[j]),
                _ => lines.swap(i, j),
            }
            let edited = lines.join("\n");
            let plain = serde_json::from_str::<Project>(&edited).ok().map(|mut project| {
                project.normalize();
                project
            });
            let parallel = parse_in_parallel(&edited).map(|mut parsed| {
                parsed.project.normalize();
                parsed.project
            });
            if parallel.is_some() {
                proptest::prop_assert_eq!(parallel, plain);
            }
        }
    }
}

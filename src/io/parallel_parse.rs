//! Parsing a project file on all cores.
//!
//! Most of a large project file is its documents, and each parses on its own. One thread reads
//! the file's outline (version, metadata, schema, rules) and cuts the documents array into raw
//! batches as it passes them; the pool parses each batch while the reader goes on, so reading
//! and parsing overlap instead of one following the other.

use std::fmt;
use std::sync::Mutex;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::model::{Document, Metadata, Project, Rules};
use crate::schema::LabelSchema;

/// Documents parsed together by one task: enough to outweigh the cost of a task, few enough
/// that the last batches keep both cores busy.
const BATCH: usize = 64;

/// Parses a project file, its documents in parallel. `None` on any error: the caller parses the
/// file again the plain way to report it.
pub(super) fn parse_in_parallel(json: &str) -> Option<Project> {
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

    #[test]
    fn documents_of_many_batches_come_back_in_order() {
        let project = numbered(3 * BATCH + 5);
        assert_eq!(parse_in_parallel(&project_to_json(&project)), Some(project));
    }

    #[test]
    fn unknown_fields_are_ignored_as_the_plain_parse_ignores_them() {
        let json = project_to_json(&numbered(2)).replacen('{', "{\n  \"comment\": [1, {\"a\": null}],", 1);
        assert_eq!(parse_in_parallel(&json), Some(numbered(2)));
    }

    /// Any fault gives `None`, for the plain parse to report with its line and column.
    #[test]
    fn faults_are_left_to_the_plain_parse() {
        let json = project_to_json(&numbered(BATCH + 1));
        let broken_document = json.replacen("\"title\": \"document 3\"", "\"title\": 3", 1);
        let duplicate = json.replacen('{', "{\n  \"schema\": {},", 1);
        let no_documents =
            json.get(..json.find("\"documents\"").unwrap_or(0)).unwrap_or_default().trim_end().trim_end_matches(',').to_owned() + "}";
        for (what, bad) in [
            ("a broken document", broken_document),
            ("a duplicate field", duplicate),
            ("no documents", no_documents),
            ("trailing text", json.clone() + "]"),
        ] {
            assert_eq!(parse_in_parallel(&bad), None, "{what}");
        }
    }
}

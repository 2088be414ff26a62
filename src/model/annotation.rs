//! Annotations: a label on one or more spans of a document (or on the whole document), with
//! attributes, relations to other annotations, a note and its history.

use std::cmp::Reverse;
use std::fmt;

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Attributes, RuleSource, Span};

/// A stable, project-unique identifier of an annotation. It never changes once given, so exports,
/// relations and reviews can refer to it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct AnnotationId(pub String);

impl AnnotationId {
    /// A fresh random id such as `a3k9x0m2q7b1z` (62 bits of randomness, base 36).
    pub fn random() -> Self {
        const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let id = (0..12).map(|_| char::from(DIGITS[fastrand::usize(..DIGITS.len())])).collect::<String>();
        Self(format!("a{id}"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an annotation is about; each label of the schema belongs to one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A named thing: a person, organisation, place, group, date or event.
    Entity,
    /// A statement put forward as true, linked to its claimant.
    Claim,
    /// A polarity toward a target, held by a holder.
    Sentiment,
    /// A label of the whole document (for example its overall sentiment); it has no fragments.
    Document,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 4] = [Kind::Entity, Kind::Claim, Kind::Sentiment, Kind::Document];

    /// The kind's name in files (`entity`), as serialized.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Entity => "entity",
            Kind::Claim => "claim",
            Kind::Sentiment => "sentiment",
            Kind::Document => "document",
        }
    }

    /// The kind's name for people ("Entity").
    pub fn title(self) -> &'static str {
        match self {
            Kind::Entity => "Entity",
            Kind::Claim => "Claim",
            Kind::Sentiment => "Sentiment",
            Kind::Document => "Document",
        }
    }

    /// Whether annotations of this kind mark spans of text (all but document labels).
    pub fn has_spans(self) -> bool {
        self != Kind::Document
    }
}

/// The value of one attribute of an annotation, typed by the schema: a JSON boolean, number or
/// string.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum AttributeValue {
    /// A yes/no attribute.
    Flag(bool),
    /// A numeric attribute (for example an intensity score).
    Number(f64),
    /// A choice among the schema's values, or free text.
    Text(String),
}

/// Reads a boolean, number or string directly, without the buffering of serde's untagged enums:
/// a project may hold hundreds of thousands of attribute values.
impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl serde::de::Visitor<'_> for ValueVisitor {
            type Value = AttributeValue;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a boolean, a number or a string")
            }

            fn visit_bool<E>(self, value: bool) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Flag(value))
            }

            fn visit_i64<E>(self, value: i64) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Number(value as f64))
            }

            fn visit_u64<E>(self, value: u64) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Number(value as f64))
            }

            fn visit_f64<E>(self, value: f64) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Number(value))
            }

            fn visit_str<E>(self, value: &str) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Text(value.to_owned()))
            }

            fn visit_string<E>(self, value: String) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Text(value))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

impl fmt::Display for AttributeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeValue::Flag(flag) => write!(f, "{}", if *flag { "yes" } else { "no" }),
            AttributeValue::Number(number) => write!(f, "{number}"),
            AttributeValue::Text(text) => f.write_str(text),
        }
    }
}

/// What a relation points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelationTarget {
    /// Another annotation of the same document, by id.
    Annotation(AnnotationId),
    /// A participant who is not in the text, named by one of the relation's `implicit` choices in
    /// the schema (for example "unnamed source" for a claimant, "author" for a holder).
    Implicit(String),
}

/// A typed link from an annotation to another: a claim's claimant, a sentiment's target or holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Relation {
    /// The role of the target, as named in the schema (`claimant`, `target`, `holder`).
    pub role: String,
    /// The annotation (or implicit participant) that plays the role.
    pub target: RelationTarget,
}

/// How an annotation came to be.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Provenance {
    /// Made by a person in the editor.
    #[default]
    Manual,
    /// Read from a file in another format.
    Imported {
        /// The format's name (`brat`, `jsonl`, ...).
        format: String,
    },
    /// Settled by a reviewer when comparing annotators.
    Adjudicated {
        /// Who decided.
        reviewer: String,
        /// The annotators whose version was taken (both, when they agreed).
        sources: Vec<String>,
    },
    /// Suggested by a pre-annotation rule and accepted by a person (the annotation's author).
    Suggested {
        /// The gazetteer or pattern that suggested it.
        source: RuleSource,
    },
}

impl Provenance {
    /// Whether the annotation was made by hand (the default, left out of files).
    pub fn is_manual(&self) -> bool {
        *self == Provenance::Manual
    }
}

/// One message of a discussion thread on an annotation or a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Comment {
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339, UTC).
    #[serde(serialize_with = "super::timestamp::serialize", deserialize_with = "super::timestamp::deserialize")]
    pub time: Timestamp,
    /// The message.
    pub text: String,
}

impl Comment {
    /// A comment by `author`, written now.
    pub fn new(author: impl Into<String>, text: impl Into<String>) -> Self {
        Self { author: author.into(), time: now(), text: text.into() }
    }
}

/// A label on one or more fragments of a document, or on the whole document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Annotation {
    /// Stable, project-unique id.
    pub id: AnnotationId,
    /// The kind of the label.
    pub kind: Kind,
    /// The label's `name` in the project's schema.
    pub label: String,
    /// The annotated ranges in code points, sorted, non-empty and not overlapping; more than one
    /// for a discontinuous span. Empty for a document-level label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<Span>,
    /// Attribute values by attribute name, as the label's schema defines them.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Links to other annotations of the same document, at most one per role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    /// A free-text note by the annotator.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The discussion about this annotation, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
    /// Who made the annotation (the annotator name set in the preferences).
    pub author: String,
    /// When the annotation was made (RFC 3339, UTC).
    #[serde(serialize_with = "super::timestamp::serialize", deserialize_with = "super::timestamp::deserialize")]
    pub created: Timestamp,
    /// When the annotation last changed (RFC 3339, UTC).
    #[serde(serialize_with = "super::timestamp::serialize", deserialize_with = "super::timestamp::deserialize")]
    pub modified: Timestamp,
    /// How the annotation was made; absent for annotations made by hand.
    #[serde(default, skip_serializing_if = "Provenance::is_manual")]
    pub provenance: Provenance,
}

impl Annotation {
    /// A new manual annotation with a fresh id, made now by `author`.
    pub fn new(kind: Kind, label: impl Into<String>, fragments: Vec<Span>, author: impl Into<String>) -> Self {
        let now = now();
        Self {
            id: AnnotationId::random(),
            kind,
            label: label.into(),
            fragments,
            attributes: Attributes::new(),
            relations: Vec::new(),
            note: String::new(),
            comments: Vec::new(),
            author: author.into(),
            created: now,
            modified: now,
            provenance: Provenance::Manual,
        }
    }

    /// The smallest span covering every fragment; `None` for a document-level label.
    pub fn extent(&self) -> Option<Span> {
        let first = self.fragments.first()?;
        let last = self.fragments.last()?;
        Some(Span::new(first.start, last.end))
    }

    /// The target of relation `role`, if set.
    pub fn relation(&self, role: &str) -> Option<&RelationTarget> {
        self.relations.iter().find(|relation| relation.role == role).map(|relation| &relation.target)
    }

    /// Sets (or, with `None`, clears) the target of relation `role`.
    pub fn set_relation(&mut self, role: &str, target: Option<RelationTarget>) {
        self.relations.retain(|relation| relation.role != role);
        if let Some(target) = target {
            self.relations.push(Relation { role: role.to_owned(), target });
            self.relations.sort_by(|a, b| a.role.cmp(&b.role));
        }
    }

    /// Whether any relation of this annotation points at annotation `id`.
    pub fn refers_to(&self, id: &AnnotationId) -> bool {
        self.relations.iter().any(|relation| relation.target == RelationTarget::Annotation(id.clone()))
    }

    /// The key that orders a document's annotations: document labels first, then by start, outer
    /// spans before the spans they contain, then by id. Files list annotations in this order so
    /// that they diff cleanly.
    pub fn order_key(&self) -> (bool, usize, Reverse<usize>, &AnnotationId) {
        let extent = self.extent().unwrap_or_default();
        (self.kind.has_spans(), extent.start, Reverse(extent.end), &self.id)
    }

    /// Marks the annotation as changed now.
    pub fn touch(&mut self) {
        self.modified = now();
    }
}

/// The current time to the second: annotation files do not need sub-second precision.
pub fn now() -> Timestamp {
    Timestamp::from_second(Timestamp::now().as_second()).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_short_and_distinct() {
        let ids: std::collections::HashSet<AnnotationId> = (0..1000).map(|_| AnnotationId::random()).collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|id| id.as_str().len() == 13 && id.as_str().starts_with('a')));
    }

    #[test]
    fn set_relation_replaces_the_role() {
        let mut claim = Annotation::new(Kind::Claim, "claim", vec![Span::new(0, 4)], "me");
        let first = AnnotationId("a1".into());
        claim.set_relation("claimant", Some(RelationTarget::Annotation(first.clone())));
        claim.set_relation("claimant", Some(RelationTarget::Implicit("unnamed source".into())));
        assert_eq!(claim.relations.len(), 1);
        assert!(!claim.refers_to(&first));
        claim.set_relation("claimant", None);
        assert!(claim.relations.is_empty());
    }

    #[test]
    fn order_puts_document_labels_first_and_outer_spans_before_inner() {
        let outer = Annotation::new(Kind::Claim, "claim", vec![Span::new(2, 20)], "me");
        let inner = Annotation::new(Kind::Entity, "PER", vec![Span::new(2, 6)], "me");
        let document = Annotation::new(Kind::Document, "document_sentiment", vec![], "me");
        let mut all = [inner.clone(), outer.clone(), document.clone()];
        all.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        assert_eq!([&all[0].id, &all[1].id, &all[2].id], [&document.id, &outer.id, &inner.id]);
    }

    #[test]
    fn kind_names_match_their_serialization() {
        for kind in Kind::ALL {
            assert_eq!(serde_json::to_string(&kind).ok(), Some(format!("\"{}\"", kind.name())));
        }
    }

    #[test]
    fn attribute_values_read_every_json_type() {
        let values: Vec<AttributeValue> = serde_json::from_str(r#"[true, 3, -2, 0.5, "hedged"]"#).expect("valid");
        assert_eq!(
            values,
            [
                AttributeValue::Flag(true),
                AttributeValue::Number(3.0),
                AttributeValue::Number(-2.0),
                AttributeValue::Number(0.5),
                AttributeValue::Text("hedged".into())
            ]
        );
        assert!(serde_json::from_str::<AttributeValue>("[1]").is_err());
        assert_eq!(serde_json::to_string(&values).ok().as_deref(), Some(r#"[true,3.0,-2.0,0.5,"hedged"]"#));
    }

    #[test]
    fn relation_target_json_shape() {
        let relation = Relation { role: "claimant".into(), target: RelationTarget::Annotation(AnnotationId("a1".into())) };
        assert_eq!(serde_json::to_string(&relation).ok(), Some(r#"{"role":"claimant","target":{"annotation":"a1"}}"#.into()));
        let implicit: Relation = serde_json::from_str(r#"{"role":"holder","target":{"implicit":"author"}}"#).expect("valid");
        assert_eq!(implicit.target, RelationTarget::Implicit("author".into()));
    }
}

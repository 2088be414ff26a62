//! The label schema: which labels an annotator can use, their kinds, colours, hotkeys, guidelines,
//! attributes and relations.
//!
//! Every new project starts from the default schema in `assets/default-schema.ron`; the schema is
//! then saved inside the project, so a project stays readable even if the default changes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{AttributeValue, Attributes, Kind};

/// The default schema, as shipped in `assets/default-schema.ron`.
const DEFAULT_SCHEMA_RON: &str = include_str!("../assets/default-schema.ron");

/// The labels of a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LabelSchema {
    /// The labels, in the order the palette shows them.
    pub labels: Vec<LabelDef>,
}

/// One label: its identity, look and the attributes and relations its annotations carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LabelDef {
    /// The key written in files and exports (`PER`, `claim`); unique in the schema.
    pub name: String,
    /// What the label's annotations are about.
    pub kind: Kind,
    /// The name shown to annotators ("Person").
    pub title: String,
    /// Highlight colour as `#rrggbb`.
    pub color: String,
    /// The key that applies the label to the selection (`1`–`9`), if any.
    #[serde(default)]
    pub hotkey: Option<char>,
    /// A one-line guideline shown as a tooltip.
    #[serde(default)]
    pub guideline: String,
    /// Attributes the label's annotations carry.
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
    /// Relations from the label's annotations to others.
    #[serde(default)]
    pub relations: Vec<RelationDef>,
}

/// An attribute of a label, such as a claim's type or a sentiment's polarity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AttributeDef {
    /// The key written in files (`polarity`).
    pub name: String,
    /// The name shown to annotators ("Polarity").
    pub title: String,
    /// The values the attribute takes.
    pub value_type: AttributeType,
    /// The value a new annotation starts with, if any.
    #[serde(default)]
    pub default: Option<AttributeValue>,
    /// A one-line guideline shown as a tooltip.
    #[serde(default)]
    pub guideline: String,
}

/// The type of an attribute's values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    /// One of a fixed list of values.
    Choice(Vec<String>),
    /// Yes or no.
    Flag,
    /// A number in `[min, max]`.
    Number {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// Free text.
    Text,
}

impl AttributeType {
    /// Whether `value` is a value of this type.
    pub fn accepts(&self, value: &AttributeValue) -> bool {
        match (self, value) {
            (AttributeType::Choice(choices), AttributeValue::Text(text)) => choices.contains(text),
            (AttributeType::Flag, AttributeValue::Flag(_)) => true,
            (AttributeType::Number { min, max }, AttributeValue::Number(number)) => (*min..=*max).contains(number),
            (AttributeType::Text, AttributeValue::Text(_)) => true,
            _ => false,
        }
    }
}

/// A relation role of a label, such as a claim's claimant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RelationDef {
    /// The key written in files (`claimant`).
    pub role: String,
    /// The name shown to annotators ("Claimant").
    pub title: String,
    /// Which kinds of annotation may fill the role.
    pub target_kinds: Vec<Kind>,
    /// Participants outside the text that may fill the role instead ("unnamed source").
    #[serde(default)]
    pub implicit: Vec<String>,
    /// A one-line guideline shown as a tooltip.
    #[serde(default)]
    pub guideline: String,
}

/// Why a schema file could not be read, or a schema is not valid.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SchemaError {
    /// The RON text does not parse as a schema.
    #[error("label schema, line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Two labels share a name, or a label's colour or hotkey is malformed.
    #[error("label schema: {0}")]
    Invalid(String),
}

impl LabelSchema {
    /// The schema shipped with Gloss.
    pub fn default_schema() -> Self {
        // The shipped file is checked by a unit test, so it always parses; an empty schema is the
        // harmless fallback should that ever be broken.
        Self::from_ron(DEFAULT_SCHEMA_RON).unwrap_or(Self { labels: Vec::new() })
    }

    /// Parses and checks a schema written in RON.
    pub fn from_ron(text: &str) -> Result<Self, SchemaError> {
        let schema: LabelSchema = ron::from_str(text).map_err(|error| SchemaError::Syntax {
            line: error.span.start.line,
            column: error.span.start.col,
            message: error.code.to_string(),
        })?;
        schema.check()?;
        Ok(schema)
    }

    /// Checks that names and hotkeys are unique and colours well-formed.
    pub fn check(&self) -> Result<(), SchemaError> {
        for (index, label) in self.labels.iter().enumerate() {
            let earlier = &self.labels[..index];
            if earlier.iter().any(|other| other.name == label.name) {
                return Err(SchemaError::Invalid(format!("two labels are named {:?}", label.name)));
            }
            if label.hotkey.is_some() && earlier.iter().any(|other| other.hotkey == label.hotkey) {
                return Err(SchemaError::Invalid(format!("label {:?} reuses hotkey {:?}", label.name, label.hotkey)));
            }
            if parse_hex_color(&label.color).is_none() {
                return Err(SchemaError::Invalid(format!("label {:?} has colour {:?}, not #rrggbb", label.name, label.color)));
            }
        }
        Ok(())
    }

    /// The label named `name`.
    pub fn label(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|label| label.name == name)
    }

    /// Adds a bare label (no attributes, relations or hotkey) of `kind` named `name`, in a colour
    /// of its own, with `guideline` saying where it came from (an import, a repair).
    pub fn add_label(&mut self, name: &str, kind: Kind, guideline: &str) {
        let color = self.new_label_color();
        self.labels.push(LabelDef {
            name: name.to_owned(),
            kind,
            title: name.to_owned(),
            color: color.to_owned(),
            hotkey: None,
            guideline: guideline.to_owned(),
            attributes: Vec::new(),
            relations: Vec::new(),
        });
    }

    /// A colour for the next label added, taken in turn from a small palette.
    pub fn new_label_color(&self) -> &'static str {
        NEW_LABEL_COLORS.get(self.labels.len() % NEW_LABEL_COLORS.len()).copied().unwrap_or("#808080")
    }

    /// The label whose hotkey is `key`.
    pub fn label_for_hotkey(&self, key: char) -> Option<&LabelDef> {
        self.labels.iter().find(|label| label.hotkey == Some(key))
    }

    /// The labels of one kind, in palette order.
    pub fn labels_of(&self, kind: Kind) -> impl Iterator<Item = &LabelDef> {
        self.labels.iter().filter(move |label| label.kind == kind)
    }
}

impl LabelDef {
    /// The attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.iter().find(|attribute| attribute.name == name)
    }

    /// An annotation's attribute values in the order the schema lists them (attributes the schema
    /// does not define come last, by name).
    pub fn ordered_attributes<'a>(&self, attributes: &'a Attributes) -> Vec<(&'a str, &'a AttributeValue)> {
        let mut ordered: Vec<(&str, &AttributeValue)> = attributes.iter().map(|(name, value)| (name.as_str(), value)).collect();
        ordered.sort_by_key(|(name, _)| self.attributes.iter().position(|attribute| attribute.name == *name).unwrap_or(usize::MAX));
        ordered
    }

    /// The relation role named `role`.
    pub fn relation(&self, role: &str) -> Option<&RelationDef> {
        self.relations.iter().find(|relation| relation.role == role)
    }

    /// The colour as red, green and blue bytes (grey if malformed).
    pub fn rgb(&self) -> [u8; 3] {
        parse_hex_color(&self.color).unwrap_or([128, 128, 128])
    }
}

/// Colours for labels added by imports and repairs.
const NEW_LABEL_COLORS: [&str; 6] = ["#ff9da7", "#9d7660", "#499894", "#86bcb6", "#e15759", "#79706e"];

/// Parses `#rrggbb`.
pub fn parse_hex_color(color: &str) -> Option<[u8; 3]> {
    let hex = color.strip_prefix('#').filter(|hex| hex.len() == 6)?;
    let channel = |at: usize| hex.get(at..at + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok());
    Some([channel(0)?, channel(2)?, channel(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_parses_and_covers_the_brief() {
        let schema = LabelSchema::from_ron(DEFAULT_SCHEMA_RON).expect("the shipped schema is valid");
        assert_eq!(schema.labels_of(Kind::Entity).count(), 7);
        let claim = schema.labels_of(Kind::Claim).next().expect("a claim label");
        for attribute in ["claim_type", "attribution", "certainty"] {
            assert!(claim.attribute(attribute).is_some(), "claim lacks {attribute}");
        }
        let claimant = claim.relation("claimant").expect("claimant relation");
        assert!(claimant.implicit.iter().any(|who| who == "unnamed source"));
        let sentiment = schema.labels_of(Kind::Sentiment).next().expect("a sentiment label");
        assert!(sentiment.relation("target").is_some() && sentiment.relation("holder").is_some());
        let polarity = sentiment.attribute("polarity").expect("polarity");
        for value in ["negative", "neutral", "positive", "mixed"] {
            assert!(polarity.value_type.accepts(&AttributeValue::Text(value.into())));
        }
        assert!(schema.labels_of(Kind::Document).next().is_some());
        let hotkeys: Vec<char> = schema.labels.iter().filter_map(|label| label.hotkey).collect();
        assert_eq!(hotkeys, ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
        assert!(schema.labels.iter().all(|label| !label.guideline.is_empty()));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = LabelSchema::from_ron("(labels: [\n  (name: )\n])").expect_err("malformed");
        assert!(matches!(error, SchemaError::Syntax { line: 2, .. }), "{error}");
    }

    #[test]
    fn duplicate_names_and_bad_colours_are_refused() {
        let mut schema = LabelSchema::default_schema();
        schema.labels[1].name = schema.labels[0].name.clone();
        assert!(schema.check().is_err());
        let mut schema = LabelSchema::default_schema();
        schema.labels[0].color = "red".into();
        assert!(schema.check().is_err());
    }

    #[test]
    fn attribute_types_accept_only_their_values() {
        let number = AttributeType::Number { min: 1.0, max: 3.0 };
        assert!(number.accepts(&AttributeValue::Number(2.0)));
        assert!(!number.accepts(&AttributeValue::Number(4.0)));
        assert!(!AttributeType::Flag.accepts(&AttributeValue::Text("yes".into())));
    }
}

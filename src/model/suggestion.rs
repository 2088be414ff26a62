//! Pre-annotation: the rules saved in a project (gazetteers and regular expressions) and the
//! suggestions they make, which wait in their document until a person accepts or rejects them.
//!
//! ```text
//! gazetteer "places": Kabul → LOC      text: "… in [Kabul] …"   suggestion: LOC [12, 17) from gazetteer places
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AnnotationId, Kind, Span};

/// The pre-annotation rules of a project.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rules {
    /// Lists of terms, each with the label it suggests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gazetteers: Vec<Gazetteer>,
    /// Regular expressions, each with the label it suggests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<PatternRule>,
}

impl Rules {
    /// Whether the project has no rules (they are then left out of the file).
    pub fn is_empty(&self) -> bool {
        self.gazetteers.is_empty() && self.patterns.is_empty()
    }
}

/// A named list of terms, each suggesting a label where it occurs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Gazetteer {
    /// The list's name, unique among gazetteers; suggestions name it as their source.
    pub name: String,
    /// The terms and their labels.
    pub entries: Vec<GazetteerEntry>,
    /// Whether `Kabul` should miss `KABUL` (by default case is ignored).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Whether a term may also match inside a longer word (by default only whole words match).
    #[serde(default)]
    pub match_inside_words: bool,
}

/// One term of a gazetteer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GazetteerEntry {
    /// The text to find.
    pub term: String,
    /// The label's `name` in the schema.
    pub label: String,
}

/// A named regular expression (Rust `regex` syntax) suggesting a label where it matches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PatternRule {
    /// The rule's name, unique among patterns; suggestions name it as their source.
    pub name: String,
    /// The regular expression.
    pub pattern: String,
    /// The label's `name` in the schema.
    pub label: String,
    /// Whether letters must match in case (by default case is ignored).
    #[serde(default)]
    pub case_sensitive: bool,
}

/// Which rule made a suggestion (and, once accepted, an annotation).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleSource {
    /// A gazetteer, by name.
    Gazetteer(String),
    /// A regular-expression rule, by name.
    Pattern(String),
}

impl fmt::Display for RuleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleSource::Gazetteer(name) => write!(f, "gazetteer “{name}”"),
            RuleSource::Pattern(name) => write!(f, "rule “{name}”"),
        }
    }
}

/// A label proposed on a span by a rule, waiting for a person's decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Suggestion {
    /// Project-unique id; the annotation made by accepting the suggestion keeps it.
    pub id: AnnotationId,
    /// The kind of the label.
    pub kind: Kind,
    /// The label's `name` in the schema.
    pub label: String,
    /// The suggested range in code points.
    pub span: Span,
    /// The rule that found it.
    pub source: RuleSource,
    /// Whether a person rejected it; rejected suggestions are kept so that running the rules
    /// again does not propose them anew.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rejected: bool,
}

impl Suggestion {
    /// Whether it still waits for a decision.
    pub fn is_pending(&self) -> bool {
        !self.rejected
    }
}

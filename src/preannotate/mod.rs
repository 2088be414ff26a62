//! Pre-annotation: labels suggested by the project's gazetteers and regular-expression rules,
//! which a person then accepts or rejects. No UI here.
//!
//! The rules and the suggestions live in the project file ([`crate::model::Rules`],
//! [`crate::model::Suggestion`]); an accepted suggestion becomes an annotation whose provenance
//! names its rule ([`crate::model::Provenance::Suggested`]).

pub mod edits;
mod gazetteer_file;
mod matcher;

pub use gazetteer_file::{GazetteerError, load_gazetteer, read_csv, read_list};
pub use matcher::Matcher;

use crate::model::RuleSource;

/// Why the rules cannot run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RuleError {
    /// A pattern is not a valid regular expression.
    #[error("{rule}: invalid regular expression: {message}")]
    InvalidPattern {
        /// The rule.
        rule: RuleSource,
        /// The regex compiler's explanation.
        message: String,
    },
    /// A rule suggests a label the schema does not have.
    #[error("{rule}: label {label:?} is not in the schema")]
    UnknownLabel {
        /// The rule.
        rule: RuleSource,
        /// The missing label.
        label: String,
    },
    /// A rule suggests a document label, which marks no span.
    #[error("{rule}: {label:?} is a document label; suggestions mark spans of text")]
    DocumentLabel {
        /// The rule.
        rule: RuleSource,
        /// The document label.
        label: String,
    },
    /// The project has no rules to run.
    #[error("the project has no pre-annotation rules yet: add a pattern or import a gazetteer")]
    NoRules,
}

#[cfg(test)]
mod tests;

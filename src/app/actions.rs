//! What panels ask the app to do. Panels only read the project; they push actions, and the app
//! runs them once per frame, after drawing, in the order they came.

use std::path::PathBuf;

use super::Command;
use crate::edit::Transaction;
use crate::model::AnnotationId;

/// A request from the UI to the app.
#[derive(Debug)]
#[must_use]
pub enum Action {
    /// Run an app-wide command.
    Run(Command),
    /// Apply an edit, then select `select` if given.
    Apply {
        /// The edit.
        transaction: Transaction,
        /// The annotation to select afterwards.
        select: Option<AnnotationId>,
    },
    /// Tag the text selection with a label, or relabel the selected annotation if no text is
    /// selected.
    Tag {
        /// The label's name in the schema.
        label: String,
    },
    /// Show the document at this index of the project.
    ShowDocument(usize),
    /// Select an annotation (or nothing) without scrolling.
    Select(Option<AnnotationId>),
    /// Select an annotation and scroll the article to it.
    Reveal(AnnotationId),
    /// Scroll the article to a code-point offset (where a suggestion is).
    RevealOffset(usize),
    /// Select the review pair holding this annotation of the active colleague.
    SelectTheirs(AnnotationId),
    /// Select a review pair and scroll to it.
    SelectPair(super::review::PairKey),
    /// Open this project or text file (after the unsaved-changes check).
    OpenPath(PathBuf),
    /// Tag every search hit with a label, as one edit.
    TagHits {
        /// The label's name in the schema.
        label: String,
    },
    /// Go to the search hit at this index of the search bar's hits.
    ShowHit(usize),
    /// Run the pre-annotation rules on every document, on a worker thread.
    PreannotateAll,
    /// Show a short message in the status bar.
    Status(String),
}

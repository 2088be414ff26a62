//! Reviewing colleagues' tags: aligning two annotators' annotations, classifying their
//! differences, measuring agreement, and re-anchoring tags made on another version of a text.
//! Plain functions over projects; no UI.

pub mod adjudicate;
pub mod align;
pub mod anchor;
pub mod compare;
pub mod metrics;
pub mod report;

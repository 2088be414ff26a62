//! Changing a project: edits, transactions and the undo history.

mod history;
pub mod ops;
pub mod schema_ops;
mod transaction;

pub use history::History;
pub use transaction::{Edit, EditError, Transaction};

#[cfg(test)]
pub(crate) mod tests;

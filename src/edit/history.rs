//! Undo and redo: a linear history of applied transactions and their inverses.

use super::{EditError, Transaction};
use crate::model::Project;

/// A transaction as applied, with the inverse that undoes it.
#[derive(Clone, Debug)]
struct Entry {
    transaction: Transaction,
    inverse: Transaction,
    /// The revision the project is at once the transaction is applied.
    revision: u64,
}

/// The undo and redo stacks of one open project. Not saved in the project file.
///
/// Every state of the project reached through the history has a revision number; the session
/// compares it with the revision last saved to know whether there are unsaved changes. A new edit
/// after an undo gets a fresh revision, so it never looks like a saved state.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    last_revision: u64,
}

impl History {
    /// Applies `transaction` and records it; clears the redo stack.
    pub fn apply(&mut self, project: &mut Project, transaction: Transaction) -> Result<(), EditError> {
        let inverse = transaction.apply(project)?;
        self.last_revision += 1;
        self.undo.push(Entry { transaction, inverse, revision: self.last_revision });
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last transaction; returns its description, or `None` when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Option<String> {
        move_between(&mut self.undo, &mut self.redo, project, |entry| &entry.inverse)
    }

    /// Redoes the last undone transaction; returns its description.
    pub fn redo(&mut self, project: &mut Project) -> Option<String> {
        move_between(&mut self.redo, &mut self.undo, project, |entry| &entry.transaction)
    }

    /// What Undo would undo.
    pub fn undo_description(&self) -> Option<&str> {
        self.undo.last().map(|entry| entry.transaction.description.as_str())
    }

    /// What Redo would redo.
    pub fn redo_description(&self) -> Option<&str> {
        self.redo.last().map(|entry| entry.transaction.description.as_str())
    }

    /// The revision of the current state: 0 before any edit.
    pub fn revision(&self) -> u64 {
        self.undo.last().map_or(0, |entry| entry.revision)
    }
}

/// Applies `change` of the top entry of `from` and moves the entry to `to`; returns the entry's
/// description. If applying fails (only possible if the project was changed behind the history's
/// back) nothing moves.
fn move_between(from: &mut Vec<Entry>, to: &mut Vec<Entry>, project: &mut Project, change: fn(&Entry) -> &Transaction) -> Option<String> {
    let entry = from.last()?;
    change(entry).apply(project).ok()?;
    let entry = from.pop()?;
    let description = entry.transaction.description.clone();
    to.push(entry);
    Some(description)
}

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
        let entry = self.undo.pop()?;
        match entry.inverse.apply(project) {
            Ok(_) => {
                let description = entry.transaction.description.clone();
                self.redo.push(entry);
                Some(description)
            }
            Err(_) => {
                // Only possible if the project was changed behind the history's back.
                self.undo.push(entry);
                None
            }
        }
    }

    /// Redoes the last undone transaction; returns its description.
    pub fn redo(&mut self, project: &mut Project) -> Option<String> {
        let entry = self.redo.pop()?;
        match entry.transaction.apply(project) {
            Ok(_) => {
                let description = entry.transaction.description.clone();
                self.undo.push(entry);
                Some(description)
            }
            Err(_) => {
                self.redo.push(entry);
                None
            }
        }
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

//! Agreement metrics (in progress).

//! Re-anchoring annotations on a changed text (in progress).

//! Gloss: a desktop annotation workbench for news articles.
//!
//! Journalists, fact-checkers and NLP researchers tag spans of an article as entities, claims (with
//! their claimant) and sentiment (with target and holder), and save the work as a versioned JSON
//! project.
//!
//! The crate is layered so the core can be used and tested headless:
//! - [`text`]: document text, code-point ↔ byte offsets, paragraphs, tokens, word snapping;
//! - [`model`]: projects, documents and annotations, and their invariants;
//! - [`schema`]: the label schema (kinds, labels, attributes, relations);
//! - [`edit`]: transactions and the undo history, the only way annotations change;
//! - [`io`]: project files, atomic saving, and the export and import formats;
//! - [`preannotate`]: suggestions from gazetteers and regex rules, accepted or rejected;
//! - [`review`]: comparing annotators, agreement metrics, re-anchoring;
//! - [`navigation`]: keyboard movement by word, annotation and untagged sentence;
//! - [`search`]: plain and regular-expression search over documents and projects;
//! - [`merge`]: three-way merge of project files (the git merge driver) and settling conflicts;
//! - [`stats`]: annotation counts per document, kind and label, progress, and their CSV;
//! - [`app`] and [`ui`]: the egui desktop app, the only modules that use egui;
//! - [`cli`]: the headless subcommands of the `gloss` binary.

pub mod app;
pub mod bench;
pub mod cli;
pub mod edit;
pub mod fuzzing;
pub mod io;
pub mod merge;
pub mod model;
pub mod navigation;
pub mod preannotate;
pub mod review;
pub mod schema;
pub mod search;
pub mod stats;
pub mod text;
pub mod ui;

/// The article Gloss opens when started without a file.
pub const SEED_ARTICLE: &str = include_str!("../assets/seed-article.txt");

/// The title of the article Gloss opens when started without a file.
pub const SEED_ARTICLE_TITLE: &str = "Pakistan confronts a new reality: It may have lost the Taliban";

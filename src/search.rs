//! Finding text: plain or regular-expression queries over a document or a whole project, with
//! hits as code-point spans, ready to highlight or to tag.
//!
//! ```text
//! query "khan", case-insensitive, whole words:
//! "Imran [Khan]’s party … the [Khan] family … Khanate"   (no hit in "Khanate")
//! ```

use rayon::prelude::*;
use regex::{Regex, RegexBuilder};

use crate::model::{Project, Span};
use crate::text::DocumentText;

/// What to look for and how.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The text to find, or a regular expression (Rust `regex` syntax) when `regex` is set.
    pub pattern: String,
    /// Whether `pattern` is a regular expression rather than plain text.
    pub regex: bool,
    /// Whether upper and lower case must match exactly.
    pub case_sensitive: bool,
    /// Whether a hit must not start or end inside a word.
    pub whole_word: bool,
}

/// Why a query cannot run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    /// The regular expression does not parse (or compiles too large); the message names the place.
    #[error("invalid regular expression: {0}")]
    InvalidPattern(String),
}

/// A compiled query.
#[derive(Clone, Debug)]
pub struct Matcher {
    regex: Regex,
    whole_word: bool,
}

/// One hit of a project-wide search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The index of the document in the project.
    pub document_index: usize,
    /// Where the hit is, in code points.
    pub span: Span,
}

impl Query {
    /// A query for exactly `text`, as a whole word or words: what "tag all occurrences" of a
    /// selection looks for.
    pub fn exact_words(text: impl Into<String>) -> Self {
        Self { pattern: text.into(), regex: false, case_sensitive: true, whole_word: true }
    }

    /// Compiles the query; `None` when there is nothing to look for.
    pub fn compile(&self) -> Result<Option<Matcher>, SearchError> {
        if self.pattern.is_empty() {
            return Ok(None);
        }
        let pattern = if self.regex { self.pattern.clone() } else { regex::escape(&self.pattern) };
        let regex = RegexBuilder::new(&pattern)
            .case_insensitive(!self.case_sensitive)
            .build()
            .map_err(|error| SearchError::InvalidPattern(error.to_string()))?;
        Ok(Some(Matcher { regex, whole_word: self.whole_word }))
    }
}

impl Matcher {
    /// The hits in `text`, in order, never empty and never overlapping.
    pub fn find_in(&self, text: &DocumentText) -> Vec<Span> {
        let whole = text.as_str();
        let bytes = self
            .regex
            .find_iter(whole)
            .filter(|found| !found.is_empty())
            .filter(|found| !self.whole_word || !cuts_a_word(whole, found.start(), found.end()))
            .map(|found| found.range());
        text.char_spans(bytes).collect()
    }

    /// The hits in every document of `project`, document after document.
    pub fn find_in_project(&self, project: &Project) -> Vec<Hit> {
        let per_document: Vec<Vec<Span>> = project.documents.par_iter().map(|document| self.find_in(&document.text)).collect();
        per_document
            .into_iter()
            .enumerate()
            .flat_map(|(document_index, spans)| spans.into_iter().map(move |span| Hit { document_index, span }))
            .collect()
    }
}

/// Whether the byte range `start..end` of `text` begins or ends in the middle of a word.
fn cuts_a_word(text: &str, start: usize, end: usize) -> bool {
    let inside = text.get(start..end).unwrap_or_default();
    let before = text.get(..start).and_then(|head| head.chars().next_back());
    let after = text.get(end..).and_then(|tail| tail.chars().next());
    let joins = |outside: Option<char>, edge: Option<char>| outside.is_some_and(is_word_char) && edge.is_some_and(is_word_char);
    joins(before, inside.chars().next()) || joins(after, inside.chars().next_back())
}

/// Whether `c` belongs to a word, for whole-word matching (search, gazetteer terms).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::sample_project;

    fn hits(query: Query, text: &str) -> Vec<(usize, usize, String)> {
        let text = DocumentText::new(text);
        let matcher = query.compile().expect("valid").expect("not empty");
        matcher.find_in(&text).into_iter().map(|span| (span.start, span.end, text.slice(span).to_owned())).collect()
    }

    fn plain(pattern: &str) -> Query {
        Query { pattern: pattern.into(), ..Query::default() }
    }

    #[test]
    fn plain_search_ignores_case_by_default_and_counts_code_points() {
        let found = hits(plain("khan"), "“Imran Khan’s” — KHAN\u{a0}khan");
        assert_eq!(found, [(7, 11, "Khan".into()), (17, 21, "KHAN".into()), (22, 26, "khan".into())]);
    }

    #[test]
    fn case_sensitive_search_matches_exactly() {
        let found = hits(Query { case_sensitive: true, ..plain("Khan") }, "Khan KHAN khan Khan");
        assert_eq!(found.iter().map(|hit| hit.0).collect::<Vec<_>>(), [0, 15]);
    }

    #[test]
    fn plain_text_is_not_a_regular_expression() {
        assert_eq!(hits(plain("a.b"), "a.b axb"), [(0, 3, "a.b".into())]);
    }

    #[test]
    fn whole_words_skip_hits_inside_words() {
        let query = Query { whole_word: true, ..plain("khan") };
        let found = hits(query, "Khanate Khan’s Afkhan khan_ “Khan”");
        assert_eq!(found.iter().map(|hit| hit.0).collect::<Vec<_>>(), [8, 29]);
    }

    #[test]
    fn regular_expressions_find_patterns_and_skip_empty_matches() {
        let query = Query { regex: true, case_sensitive: true, ..plain(r"\d{4}|x*") };
        assert_eq!(hits(query, "In 2021 — and 1996."), [(3, 7, "2021".into()), (14, 18, "1996".into())]);
    }

    #[test]
    fn a_bad_regular_expression_is_an_error_that_says_where() {
        let error = Query { regex: true, ..plain("(Khan") }.compile().expect_err("unclosed group");
        assert!(error.to_string().contains("unclosed group"), "{error}");
    }

    #[test]
    fn an_empty_query_finds_nothing() {
        assert!(plain("").compile().expect("valid").is_none());
    }

    #[test]
    fn project_search_lists_hits_document_by_document() {
        let mut project = sample_project();
        let mut second = project.documents[0].clone();
        second.id = crate::model::DocumentId("second".into());
        project.documents.push(second);
        let matcher = Query::exact_words("Taliban").compile().expect("valid").expect("not empty");
        let found = matcher.find_in_project(&project);
        let per_document = found.len() / 2;
        assert!(per_document > 3, "{found:?}");
        assert!(found[..per_document].iter().all(|hit| hit.document_index == 0));
        assert!(found[per_document..].iter().all(|hit| hit.document_index == 1));
        let text = &project.documents[0].text;
        assert!(found.iter().all(|hit| text.slice(hit.span) == "Taliban"));
    }
}

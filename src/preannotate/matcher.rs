//! Finding what the rules suggest in a document: every gazetteer and pattern is compiled once into
//! a regular expression, run over the text, and its byte matches become code-point spans.
//!
//! Overlapping candidates of the same kind are settled by length: the longest wins, then the
//! earliest, then the rule listed first (gazetteers before patterns). Candidates of different
//! kinds may overlap, as an entity inside a claim does.
//!
//! ```text
//! gazetteer: "Khan" → PER, "Imran Khan" → PER     text: "[Imran Khan] said"   (one suggestion)
//! ```

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};

use regex::{Regex, RegexBuilder};

use super::RuleError;
use crate::model::{AnnotationId, Coverage, Document, Gazetteer, Kind, PatternRule, RuleSource, Rules, Span, Suggestion};
use crate::schema::LabelSchema;

/// Room for large gazetteers: the `regex` crate's default limit (10 MB) holds a few thousand terms.
const GAZETTEER_SIZE_LIMIT: usize = 256 * 1024 * 1024;

/// The `regex` crate's default, for hand-written patterns: one like `a{1000}{1000}` is refused
/// rather than allowed to take hundreds of megabytes.
const PATTERN_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// The project's rules, compiled and checked against its schema.
pub struct Matcher {
    rules: Vec<CompiledRule>,
}

/// One rule, ready to run.
struct CompiledRule {
    regex: Regex,
    source: RuleSource,
    labels: Labels,
}

/// How a match finds its label.
enum Labels {
    /// A pattern gives every match the same label.
    One(String, Kind),
    /// A gazetteer gives each term its own; terms are lower-cased when case is ignored.
    ByTerm { case_sensitive: bool, labels: HashMap<String, (String, Kind)> },
}

impl Labels {
    fn of(&self, matched: &str) -> Option<(&str, Kind)> {
        match self {
            Labels::One(label, kind) => Some((label, *kind)),
            Labels::ByTerm { case_sensitive, labels } => {
                let key = if *case_sensitive { matched.to_owned() } else { matched.to_lowercase() };
                labels.get(&key).map(|(label, kind)| (label.as_str(), *kind))
            }
        }
    }
}

/// A match before overlaps are settled.
struct Candidate<'m> {
    span: Span,
    label: &'m str,
    kind: Kind,
    rule: usize,
}

impl Matcher {
    /// Compiles `rules`: every label must be a span label of `schema`, every pattern a valid
    /// regular expression.
    pub fn new(rules: &Rules, schema: &LabelSchema) -> Result<Self, RuleError> {
        let gazetteers = rules.gazetteers.iter().map(|gazetteer| compile_gazetteer(gazetteer, schema));
        let patterns = rules.patterns.iter().map(|pattern| compile_pattern(pattern, schema));
        Ok(Self { rules: gazetteers.chain(patterns).collect::<Result<_, _>>()? })
    }

    /// Whether there is no rule to run.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The new suggestions for `document`, by position, each with a fresh id. Spans that an
    /// annotation with the same label already overlaps are skipped, and so are those the document
    /// already holds as suggestions (pending or rejected) with the same label.
    pub fn suggest(&self, document: &Document) -> Vec<Suggestion> {
        let text = document.text.as_str();
        let known = Known::of(document);
        let mut candidates: Vec<Candidate<'_>> = Vec::new();
        for (rule_index, rule) in self.rules.iter().enumerate() {
            for found in rule.regex.find_iter(text) {
                let Some((label, kind)) = rule.labels.of(found.as_str()) else { continue };
                let span = Span::new(document.text.byte_to_char(found.start()), document.text.byte_to_char(found.end()));
                if span.is_empty() || known.holds(label, span) {
                    continue;
                }
                candidates.push(Candidate { span, label, kind, rule: rule_index });
            }
        }
        candidates.sort_by_key(|candidate| (Reverse(candidate.span.len()), candidate.span.start, candidate.rule));
        // Spans of one kind compete; an entity inside a suggested claim is fine.
        let mut taken: BTreeMap<(Kind, usize), Candidate<'_>> = BTreeMap::new();
        for candidate in candidates {
            let (kind, span) = (candidate.kind, candidate.span);
            let before = taken.range((kind, 0)..=(kind, span.start)).next_back().is_some_and(|(_, other)| other.span.end > span.start);
            let after = taken.range((kind, span.start)..(kind, span.end)).next().is_some();
            if !before && !after {
                taken.insert((kind, span.start), candidate);
            }
        }
        let mut found: Vec<Suggestion> = taken
            .into_values()
            .filter_map(|candidate| {
                let source = self.rules.get(candidate.rule)?.source.clone();
                Some(Suggestion {
                    id: AnnotationId::random(),
                    kind: candidate.kind,
                    label: candidate.label.to_owned(),
                    span: candidate.span,
                    source,
                    rejected: false,
                })
            })
            .collect();
        found.sort_by(|a, b| (a.span, &a.label).cmp(&(b.span, &b.label)));
        found
    }
}

/// What a document already holds, looked up per match without a pass over its annotations (a
/// long document may hold a hundred thousand, and rules as many matches).
struct Known<'d> {
    /// The fragments of the annotations of each label.
    annotated: HashMap<&'d str, Coverage>,
    /// The suggestions, pending or rejected, by label and span.
    suggested: HashSet<(&'d str, Span)>,
}

impl<'d> Known<'d> {
    fn of(document: &'d Document) -> Self {
        let mut fragments: HashMap<&'d str, Vec<Span>> = HashMap::new();
        for annotation in &document.annotations {
            fragments.entry(annotation.label.as_str()).or_default().extend(&annotation.fragments);
        }
        let annotated = fragments.into_iter().map(|(label, spans)| (label, spans.into_iter().collect())).collect();
        let suggested = document.suggestions.iter().map(|suggestion| (suggestion.label.as_str(), suggestion.span)).collect();
        Self { annotated, suggested }
    }

    /// Whether `label` on `span` overlaps an annotation with that label or is a suggestion already.
    fn holds(&self, label: &str, span: Span) -> bool {
        self.annotated.get(label).is_some_and(|coverage| coverage.overlaps(span)) || self.suggested.contains(&(label, span))
    }
}

/// The kind of span label `label`, or why it cannot be suggested.
fn span_label(schema: &LabelSchema, rule: &RuleSource, label: &str) -> Result<Kind, RuleError> {
    match schema.label(label) {
        None => Err(RuleError::UnknownLabel { rule: rule.clone(), label: label.to_owned() }),
        Some(definition) if !definition.kind.has_spans() => Err(RuleError::DocumentLabel { rule: rule.clone(), label: label.to_owned() }),
        Some(definition) => Ok(definition.kind),
    }
}

fn build(pattern: &str, case_sensitive: bool, size_limit: usize, rule: &RuleSource) -> Result<Regex, RuleError> {
    RegexBuilder::new(pattern)
        .case_insensitive(!case_sensitive)
        .size_limit(size_limit)
        .build()
        .map_err(|error| RuleError::InvalidPattern { rule: rule.clone(), message: error.to_string() })
}

fn compile_pattern(rule: &PatternRule, schema: &LabelSchema) -> Result<CompiledRule, RuleError> {
    let source = RuleSource::Pattern(rule.name.clone());
    let kind = span_label(schema, &source, &rule.label)?;
    let regex = build(&rule.pattern, rule.case_sensitive, PATTERN_SIZE_LIMIT, &source)?;
    Ok(CompiledRule { regex, labels: Labels::One(rule.label.clone(), kind), source })
}

/// One alternation of all the terms, longest first so that the longest term wins where several
/// start at the same place; a term's edges that are word characters must be word boundaries
/// unless the gazetteer matches inside words.
fn compile_gazetteer(gazetteer: &Gazetteer, schema: &LabelSchema) -> Result<CompiledRule, RuleError> {
    let source = RuleSource::Gazetteer(gazetteer.name.clone());
    let mut labels = HashMap::new();
    let mut terms: Vec<&str> = Vec::new();
    for entry in &gazetteer.entries {
        let term = entry.term.trim();
        if term.is_empty() {
            continue;
        }
        let kind = span_label(schema, &source, &entry.label)?;
        let key = if gazetteer.case_sensitive { term.to_owned() } else { term.to_lowercase() };
        if let std::collections::hash_map::Entry::Vacant(vacant) = labels.entry(key) {
            vacant.insert((entry.label.clone(), kind));
            terms.push(term);
        }
    }
    terms.sort_by_key(|term| Reverse(term.chars().count()));
    let is_word = |c: Option<char>| c.is_some_and(crate::search::is_word_char);
    let alternatives: Vec<String> = terms
        .iter()
        .map(|term| {
            let whole = !gazetteer.match_inside_words;
            let start = if whole && is_word(term.chars().next()) { r"\b" } else { "" };
            let end = if whole && is_word(term.chars().next_back()) { r"\b" } else { "" };
            format!("{start}{}{end}", regex::escape(term))
        })
        .collect();
    // An empty gazetteer matches nothing: `[^\s\S]` is a class no character belongs to.
    let pattern = if alternatives.is_empty() { r"[^\s\S]".to_owned() } else { alternatives.join("|") };
    let regex = build(&pattern, gazetteer.case_sensitive, GAZETTEER_SIZE_LIMIT, &source)?;
    Ok(CompiledRule { regex, source, labels: Labels::ByTerm { case_sensitive: gazetteer.case_sensitive, labels } })
}

//! Matching on the seed article (curly quotes, em dashes, no-break spaces: offsets must be code
//! points) and the transactions with undo.

use super::edits::{accept, accept_all, reject, reject_all, run, set_rules};
use super::{Matcher, RuleError};
use crate::edit::History;
use crate::model::{
    Annotation, DocumentId, DocumentStatus, Gazetteer, GazetteerEntry, Kind, PatternRule, Project, Provenance, RuleSource, Rules, Span,
};

fn article() -> (Project, DocumentId) {
    let project = Project::from_text(crate::SEED_ARTICLE_TITLE, crate::SEED_ARTICLE);
    let document_id = project.documents[0].id.clone();
    (project, document_id)
}

fn places() -> Gazetteer {
    let entry = |term: &str, label: &str| GazetteerEntry { term: term.into(), label: label.into() };
    Gazetteer {
        name: "places".into(),
        entries: vec![
            entry("kabul", "LOC"),
            entry("Islamabad", "LOC"),
            entry("Khan", "PER"),
            entry("Imran Khan", "PER"),
            entry("Tali", "ORG"),
        ],
        case_sensitive: false,
        match_inside_words: false,
    }
}

fn pattern(name: &str, pattern: &str, label: &str) -> PatternRule {
    PatternRule { name: name.into(), pattern: pattern.into(), label: label.into(), case_sensitive: true }
}

/// The code-point spans of every occurrence of `needle` in `text`.
fn occurrences(text: &str, needle: &str) -> Vec<Span> {
    text.match_indices(needle)
        .map(|(byte, _)| {
            let start = text[..byte].chars().count();
            Span::new(start, start + needle.chars().count())
        })
        .collect()
}

#[test]
fn gazetteer_terms_match_whole_words_in_code_points_longest_first() {
    let (project, _) = article();
    let rules = Rules { gazetteers: vec![places()], patterns: Vec::new() };
    let document = &project.documents[0];
    let suggestions = Matcher::new(&rules, &project.schema).expect("valid").suggest(document);
    let text = document.text.as_str();
    let spans_of = |label: &str| suggestions.iter().filter(|s| s.label == label).map(|s| s.span).collect::<Vec<_>>();
    let mut places = occurrences(text, "Kabul");
    places.extend(occurrences(text, "Islamabad"));
    places.sort();
    assert_eq!(spans_of("LOC"), places, "case is ignored; offsets count code points past curly quotes and dashes");
    let terms = ["kabul", "islamabad", "khan", "imran khan"];
    assert!(suggestions.iter().all(|s| terms.contains(&document.text.slice(s.span).to_lowercase().as_str())));
    let imran_khan = occurrences(text, "Imran Khan")[0];
    let people = spans_of("PER");
    assert!(people.contains(&imran_khan), "the longer term wins over “Khan”");
    assert!(!people.iter().any(|span| span.start == imran_khan.start + 6), "“Khan” inside “Imran Khan” is not suggested again");
    assert!(people.iter().any(|span| document.text.slice(*span) == "Khan"), "a lone “Khan” is suggested");
    assert!(spans_of("ORG").is_empty(), "“Tali” does not match inside “Taliban”");
    assert!(suggestions.iter().all(|s| s.source == RuleSource::Gazetteer("places".into()) && s.is_pending()));
}

#[test]
fn patterns_match_across_non_ascii_text_and_skip_what_is_annotated() {
    let (mut project, _) = article();
    project.rules.patterns = vec![pattern("quoted", "“[^”]+”", "CLAIM"), pattern("taliban", r"(Afghan )?Taliban", "ORG")];
    let text = project.documents[0].text.as_str().to_owned();
    let first_quote = occurrences(&text, "“retaliatory operations”")[0];
    let afghan_taliban = occurrences(&text, "Afghan Taliban")[0];
    project.documents[0].annotations.push(Annotation::new(Kind::Entity, "ORG", vec![afghan_taliban], "me"));
    let suggestions = Matcher::new(&project.rules, &project.schema).expect("valid").suggest(&project.documents[0]);
    assert!(suggestions.iter().any(|s| s.span == first_quote && s.label == "CLAIM" && s.kind == Kind::Claim));
    assert!(!suggestions.iter().any(|s| s.span.overlaps(afghan_taliban)), "already annotated ORG");
    let organisations = suggestions.iter().filter(|s| s.label == "ORG").count();
    assert_eq!(organisations, occurrences(&text, "Taliban").len() - 1, "entities inside suggested claims are suggested too");
    let nbsp = text.chars().position(|c| c == '\u{a0}').expect("the article has a no-break space");
    let after = suggestions.iter().find(|s| s.label == "ORG" && s.span.start > nbsp).expect("a Taliban after the no-break space");
    assert!(project.documents[0].text.slice(after.span).ends_with("Taliban"));
}

#[test]
fn bad_rules_are_named_in_the_error() {
    let (project, _) = article();
    let bad = |patterns: Vec<PatternRule>| Matcher::new(&Rules { gazetteers: Vec::new(), patterns }, &project.schema).err();
    let invalid = bad(vec![pattern("dates", "(unclosed", "DATE")]).expect("refused");
    assert!(matches!(&invalid, RuleError::InvalidPattern { rule: RuleSource::Pattern(name), .. } if name == "dates"));
    assert!(invalid.to_string().starts_with("rule “dates”: invalid regular expression"), "{invalid}");
    assert_eq!(
        bad(vec![pattern("x", "x", "NOPE")]),
        Some(RuleError::UnknownLabel { rule: RuleSource::Pattern("x".into()), label: "NOPE".into() })
    );
    assert!(matches!(bad(vec![pattern("x", "x", "DOC_SENTIMENT")]), Some(RuleError::DocumentLabel { .. })));
    assert_eq!(run(&project, &[]).err(), Some(RuleError::NoRules));
}

#[test]
fn run_accept_reject_and_undo() {
    let (mut project, document_id) = article();
    let mut history = History::default();
    let rules = Rules { gazetteers: vec![places()], patterns: Vec::new() };
    let change = set_rules(&project, rules, "Import gazetteer").expect("valid");
    history.apply(&mut project, change).expect("applied");
    let (transaction, added) = run(&project, std::slice::from_ref(&document_id)).expect("runs");
    assert!(added > 5);
    history.apply(&mut project, transaction).expect("applied");
    assert_eq!(project.documents[0].suggestions.len(), added);
    assert_eq!(run(&project, std::slice::from_ref(&document_id)).expect("runs").1, 0, "running again finds nothing new");

    let first = project.documents[0].suggestions[0].clone();
    let transaction = accept(&project, &document_id, &first.id, "ann").expect("built");
    history.apply(&mut project, transaction).expect("applied");
    let annotation = project.annotation(&document_id, &first.id).expect("accepted with the suggestion's id");
    assert_eq!((annotation.fragments.as_slice(), annotation.author.as_str()), ([first.span].as_slice(), "ann"));
    assert_eq!(annotation.provenance, Provenance::Suggested { source: first.source.clone() });
    assert_eq!(project.documents[0].status, DocumentStatus::InProgress);
    assert!(project.documents[0].suggestion(&first.id).is_none());

    let second = project.documents[0].suggestions[0].clone();
    let transaction = reject(&project, &document_id, &second.id).expect("built");
    history.apply(&mut project, transaction).expect("applied");
    assert!(project.documents[0].suggestion(&second.id).is_some_and(|s| s.rejected));
    assert!(reject(&project, &document_id, &second.id).is_err(), "a rejected suggestion is no longer pending");
    assert_eq!(run(&project, std::slice::from_ref(&document_id)).expect("runs").1, 0, "a rejection is remembered");

    let pending = project.documents[0].pending_suggestions().count();
    let before_all = project.clone();
    let transaction = accept_all(&project, &document_id, "ann").expect("built");
    history.apply(&mut project, transaction).expect("applied");
    assert_eq!(project.documents[0].pending_suggestions().count(), 0);
    assert_eq!(project.documents[0].annotations.len(), pending + 1);
    assert_eq!(project.check_invariants(), []);
    history.undo(&mut project);
    assert_eq!(project, before_all, "accept all is one edit");
    let transaction = reject_all(&project, &document_id).expect("built");
    history.apply(&mut project, transaction).expect("applied");
    assert_eq!(project.documents[0].pending_suggestions().count(), 0);
    assert_eq!(project.documents[0].annotations.len(), 1);
    assert!(accept_all(&project, &document_id, "ann").is_err() && reject_all(&project, &document_id).is_err(), "nothing left to decide");
    for _ in 0..4 {
        history.undo(&mut project);
    }
    assert!(project.documents[0].annotations.is_empty() && project.documents[0].suggestions.is_empty());
    history.undo(&mut project);
    assert!(project.rules.is_empty());
}

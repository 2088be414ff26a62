//! Test fixtures shared by the format modules: the sample project, a corpus of tricky text, and
//! golden-file comparison.

use std::path::PathBuf;

use crate::edit::ops;
use crate::model::{AnnotationId, AttributeValue, Project, RelationTarget, Span};

/// The sample project in `projects/`.
pub fn sample_project() -> Project {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("projects/pakistan-taliban.gloss.json");
    super::load_project(&path).expect("the sample project loads")
}

/// Two documents whose text has emoji outside the BMP, a ZWJ family, CRLF line ends, no-break
/// spaces and curly quotes, tagged across all of them, including a claim whose fragment spans a
/// line break, a discontinuous claim, relations, attributes and notes.
pub fn tricky_project() -> Project {
    let mut project = Project::new("tricky");
    project.documents.push(crate::model::Document::new(
        "Emoji & CRLF",
        "“Kabul 🇦🇫 is calm,” said Zabihullah\u{a0}Mujahid 😀.\r\nThe 👩‍👩‍👧 family — in Kandahar — disagreed.\r\n\r\nIslamabad 👍🏽 replied.",
    ));
    project.documents.push(crate::model::Document::new("Plain", "Imran Khan applauded Afghans."));
    let first = project.documents[0].id.clone();
    let second = project.documents[1].id.clone();
    let text = project.documents[0].text.as_str().to_owned();
    let span = |needle: &str| {
        let byte = text.find(needle).expect("needle in text");
        let start = text[..byte].chars().count();
        Span::new(start, start + needle.chars().count())
    };
    let tag = |project: &mut Project, document: &crate::model::DocumentId, label: &str, fragments: Vec<Span>| -> AnnotationId {
        let (transaction, id) = ops::tag(project, document, label, fragments, "tester").expect("tag");
        transaction.apply(project).expect("valid");
        id
    };
    let kabul = tag(&mut project, &first, "LOC", vec![span("Kabul 🇦🇫")]);
    let mujahid = tag(&mut project, &first, "PER", vec![span("Zabihullah\u{a0}Mujahid")]);
    let family = tag(&mut project, &first, "NORP", vec![span("👩‍👩‍👧 family")]);
    tag(&mut project, &first, "LOC", vec![span("Kandahar")]);
    let islamabad = tag(&mut project, &first, "LOC", vec![span("Islamabad")]);
    let claim = tag(&mut project, &first, "CLAIM", vec![span("Kabul 🇦🇫 is calm")]);
    let crossing = tag(&mut project, &first, "CLAIM", vec![span("Mujahid 😀.\r\nThe 👩‍👩‍👧 family")]);
    let split = tag(&mut project, &first, "CLAIM", vec![span("The 👩‍👩‍👧 family"), span("disagreed")]);
    let sentiment = tag(&mut project, &first, "SENTIMENT", vec![span("👍🏽 replied")]);
    let whole = tag(&mut project, &first, "DOC_SENTIMENT", vec![]);
    fn change(project: &mut Project, build: impl FnOnce(&Project) -> Result<crate::edit::Transaction, crate::edit::EditError>) {
        let transaction = build(project).expect("built");
        transaction.apply(project).expect("valid");
    }
    let link = |id: &AnnotationId| Some(RelationTarget::Annotation(id.clone()));
    change(&mut project, |p| ops::set_relation(p, &first, &claim, "claimant", link(&mujahid)));
    change(&mut project, |p| ops::set_relation(p, &first, &crossing, "claimant", Some(RelationTarget::Implicit("unnamed source".into()))));
    change(&mut project, |p| ops::set_relation(p, &first, &split, "claimant", link(&family)));
    change(&mut project, |p| ops::set_relation(p, &first, &sentiment, "target", link(&kabul)));
    change(&mut project, |p| ops::set_relation(p, &first, &sentiment, "holder", link(&islamabad)));
    let text_value = |value: &str| Some(AttributeValue::Text(value.into()));
    change(&mut project, |p| ops::set_attribute(p, &first, &claim, "attribution", text_value("direct quote")));
    change(&mut project, |p| ops::set_attribute(p, &first, &sentiment, "polarity", text_value("positive")));
    change(&mut project, |p| ops::set_attribute(p, &first, &whole, "polarity", text_value("mixed")));
    change(&mut project, |p| ops::set_note(p, &first, &mujahid, "Taliban spokesman; “official” title."));
    change(&mut project, |p| ops::comment_on_annotation(p, &first, &claim, "reviewer", "Is “calm” a quote or a paraphrase? 🤔"));
    change(&mut project, |p| ops::comment_on_document(p, &first, "reviewer", "Second line has a CRLF;\nplease keep it."));
    tag(&mut project, &second, "PER", vec![Span::new(0, 10)]);
    with_stable_ids_and_times(project)
}

/// A document pre-annotated by a gazetteer and a pattern: two suggestions accepted (annotations
/// with `suggested` provenance), one rejected, one pending; text with emoji, a no-break space, an
/// em dash and curly quotes.
pub fn suggested_project() -> Project {
    use crate::model::{Gazetteer, GazetteerEntry, PatternRule, Rules};
    use crate::preannotate::edits;
    let mut project = Project::from_text("suggested", "“Kabul 🇦🇫 is calm,” said Zabihullah\u{a0}Mujahid 😀 — in Kandahar.");
    let document_id = project.documents[0].id.clone();
    let entry = |term: &str, label: &str| GazetteerEntry { term: term.into(), label: label.into() };
    let rules = Rules {
        gazetteers: vec![Gazetteer {
            name: "names".into(),
            entries: vec![entry("Kabul", "LOC"), entry("Kandahar", "LOC"), entry("Mujahid", "PER")],
            case_sensitive: false,
            match_inside_words: false,
        }],
        patterns: vec![PatternRule { name: "quotes".into(), pattern: "“[^”]+”".into(), label: "CLAIM".into(), case_sensitive: true }],
    };
    edits::set_rules(&project, rules, "rules").expect("valid rules").apply(&mut project).expect("applied");
    edits::run(&project, std::slice::from_ref(&document_id)).expect("runs").0.apply(&mut project).expect("applied");
    let find = |project: &Project, term: &str| {
        let document = &project.documents[0];
        document.suggestions.iter().find(|s| document.text.slice(s.span) == term).map(|s| s.id.clone()).expect("suggested")
    };
    let kabul = find(&project, "Kabul");
    edits::accept(&project, &document_id, &kabul, "tester").expect("built").apply(&mut project).expect("applied");
    let quote = find(&project, "“Kabul 🇦🇫 is calm,”");
    edits::accept(&project, &document_id, &quote, "tester").expect("built").apply(&mut project).expect("applied");
    let kandahar = find(&project, "Kandahar");
    edits::reject(&project, &document_id, &kandahar).expect("built").apply(&mut project).expect("applied");
    with_stable_ids_and_times(project)
}

/// Renames annotations to `a01`, `a02`, ... and suggestions to `s01`, ... in document order
/// (relations follow) and sets every time to one instant, so exports of a built project are
/// byte-stable for golden files.
fn with_stable_ids_and_times(mut project: Project) -> Project {
    let time: jiff::Timestamp = "2026-01-02T03:04:05Z".parse().expect("a valid time");
    let mut renamed = std::collections::HashMap::new();
    for annotation in project.documents.iter_mut().flat_map(|document| document.annotations.iter_mut()) {
        let stable = AnnotationId(format!("a{:02}", renamed.len() + 1));
        renamed.insert(annotation.id.clone(), stable.clone());
        annotation.id = stable;
        annotation.created = time;
        annotation.modified = time;
        annotation.comments.iter_mut().for_each(|comment| comment.time = time);
    }
    project.documents.iter_mut().flat_map(|document| document.comments.iter_mut()).for_each(|comment| comment.time = time);
    let suggestions = project.documents.iter_mut().flat_map(|document| document.suggestions.iter_mut());
    for (index, suggestion) in suggestions.enumerate() {
        suggestion.id = AnnotationId(format!("s{:02}", index + 1));
    }
    let relations = project.documents.iter_mut().flat_map(|document| document.annotations.iter_mut()).flat_map(|a| &mut a.relations);
    for relation in relations {
        if let RelationTarget::Annotation(target) = &mut relation.target {
            *target = renamed[target].clone();
        }
    }
    project.metadata.created = time;
    project.normalize();
    assert_eq!(project.check_invariants(), []);
    project
}

/// Progress that cancels at the first document.
pub struct CancelAtOnce;

impl super::Progress for CancelAtOnce {
    fn advance(&mut self, _done: usize, _total: usize) -> bool {
        false
    }
}

/// Compares `actual` with the committed golden file `tests/golden/NAME`; with `GLOSS_BLESS=1` in
/// the environment, writes it instead.
pub fn assert_golden(name: &str, actual: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("GLOSS_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("golden folder")).expect("create golden folder");
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| panic!("missing golden file {}; run with GLOSS_BLESS=1", path.display()));
    if expected != actual {
        let expected = String::from_utf8_lossy(&expected);
        let actual = String::from_utf8_lossy(actual);
        let first_difference = expected.lines().zip(actual.lines()).position(|(e, a)| e != a);
        panic!(
            "{} differs from the export (first differing line: {:?}); rerun with GLOSS_BLESS=1 if the change is intended\n--- expected\n{}\n--- actual\n{}",
            path.display(),
            first_difference.map(|line| line + 1),
            expected.chars().take(2000).collect::<String>(),
            actual.chars().take(2000).collect::<String>()
        );
    }
}

#[test]
fn the_tricky_project_is_valid() {
    assert_eq!(tricky_project().check_invariants(), []);
}

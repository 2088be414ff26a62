//! UI behaviour, driven headless through egui_kittest: tagging, undo, the annotation list, the
//! inspector, saving through the file dialog and the unsaved-changes prompt.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gloss::app::{FilePicker, GlossApp, Session};
use gloss::edit::ops;
use gloss::model::{AnnotationId, Kind, Project, RelationTarget, Span};

/// The article's text.
fn article() -> Project {
    Project::from_text(gloss::SEED_ARTICLE_TITLE, gloss::SEED_ARTICLE)
}

/// The code-point span of the first occurrence of `needle` in the article.
fn find(project: &Project, needle: &str) -> Span {
    let text = project.documents[0].text.as_str();
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} is in the article"));
    let start = text[..byte].chars().count();
    Span::new(start, start + needle.chars().count())
}

/// A picker that answers every dialog with `answer` and records the questions.
fn picker(answer: Option<PathBuf>) -> (FilePicker, Arc<Mutex<usize>>) {
    let asked = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&asked);
    let picker: FilePicker = Arc::new(move |_| {
        *counter.lock().expect("lock") += 1;
        answer.clone().into_iter().collect()
    });
    (picker, asked)
}

fn harness(session: Session, picker: FilePicker) -> Harness<'static, GlossApp> {
    harness_with_recovery(session, picker, None)
}

/// The app with its recovery journals in `recovery_folder` (`None`: autosave off, so that tests
/// write nothing beside the sample projects).
fn harness_with_recovery(session: Session, picker: FilePicker, recovery_folder: Option<PathBuf>) -> Harness<'static, GlossApp> {
    let mut harness = Harness::builder().with_size([1280.0, 800.0]).with_max_steps(12).build_eframe(move |cc| {
        let mut app = GlossApp::new(cc, session, picker);
        app.settings_mut().annotator = "tester".into();
        app.set_recovery_folder(recovery_folder);
        app
    });
    harness.run();
    harness
}

/// The screen position of the middle of character `offset` in the article.
fn char_center(harness: &Harness<'_, GlossApp>, offset: usize) -> Pos2 {
    harness.state().document_view().char_rect(offset).unwrap_or_else(|| panic!("character {offset} is on screen")).center()
}

/// Drags across the article from the middle of character `from` to the middle of character `to`.
fn drag(harness: &mut Harness<'_, GlossApp>, from: usize, to: usize) {
    let start = char_center(harness, from);
    let end = char_center(harness, to);
    harness.hover_at(start);
    harness.drag_at(start);
    harness.run();
    harness.hover_at(start + egui::vec2(6.0, 0.0));
    harness.run();
    harness.hover_at(end);
    harness.run();
    harness.drop_at(end);
    harness.run();
}

fn click_text(harness: &mut Harness<'_, GlossApp>, offset: usize) {
    let position = char_center(harness, offset);
    harness.hover_at(position);
    harness.drag_at(position);
    harness.drop_at(position);
    harness.run();
}

/// Runs frames until the file dialog (or job) thread has answered and the app has handled it.
fn wait_for_dialog(harness: &mut Harness<'_, GlossApp>, done: impl Fn(&GlossApp) -> bool) {
    // Generous: a loaded CI machine runs the worker threads late.
    for _ in 0..2000 {
        harness.step();
        if done(harness.state()) {
            harness.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the file dialog was never answered");
}

fn annotations(harness: &Harness<'_, GlossApp>) -> Vec<gloss::model::Annotation> {
    harness.state().session().project().documents[0].annotations.clone()
}

#[test]
fn drag_snaps_to_words_and_the_palette_tags_the_selection() {
    let project = article();
    let word = find(&project, "Pakistan, their former protector");
    let mut harness = harness(Session::new(project, None), picker(None).0);
    // Drag from inside "Pakistan" to inside it again: the selection snaps to the whole word.
    drag(&mut harness, word.start + 2, word.start + 5);
    assert_eq!(harness.state().view().text_selection, [Span::new(word.start, word.start + 8)]);

    harness.get_by_label("Person 1").click();
    harness.run();
    let tagged = annotations(&harness);
    assert_eq!(tagged.len(), 1);
    assert_eq!((tagged[0].label.as_str(), tagged[0].kind), ("PER", Kind::Entity));
    assert_eq!(tagged[0].fragments, [Span::new(word.start, word.start + 8)]);
    assert_eq!(tagged[0].author, "tester");
    let text = &harness.state().session().project().documents[0].text;
    assert_eq!(text.slice(tagged[0].fragments[0]), "Pakistan");
    assert_eq!(harness.state().view().selected.as_ref(), Some(&tagged[0].id), "the new tag is selected");
    assert!(harness.state().session().is_dirty());
}

#[test]
fn undo_and_redo_a_tag_from_the_keyboard() {
    let project = article();
    let word = find(&project, "Qatar. Afghan forces");
    let mut harness = harness(Session::new(project, None), picker(None).0);
    drag(&mut harness, word.start, word.start + 4);
    harness.key_press(Key::Num3);
    harness.run();
    assert_eq!(annotations(&harness).len(), 1, "hotkey 3 tags as Location");
    assert_eq!(annotations(&harness)[0].label, "LOC");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(annotations(&harness).is_empty(), "Ctrl+Z undoes the tag");
    assert!(!harness.state().session().is_dirty());

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(annotations(&harness).len(), 1, "Ctrl+Shift+Z redoes it");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert_eq!(annotations(&harness).len(), 1, "Ctrl+Y redoes too");
}

#[test]
fn alt_drag_selects_exact_characters() {
    let project = article();
    let word = find(&project, "Pakistan, their former protector");
    let mut harness = harness(Session::new(project, None), picker(None).0);
    harness.event(egui::Event::ModifiersChanged(Modifiers::ALT));
    drag(&mut harness, word.start + 2, word.start + 5);
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
    let selection = harness.state().view().text_selection.clone();
    assert_eq!(selection.len(), 1);
    assert!(selection[0].start > word.start && selection[0].end < word.start + 8, "{selection:?} is inside the word");
}

/// A project with a person, an organisation and a claim, for list and inspector tests.
fn tagged_article() -> (Project, AnnotationId, AnnotationId, AnnotationId) {
    let mut project = article();
    let document_id = project.documents[0].id.clone();
    let person = find(&project, "Imran Khan");
    let org = find(&project, "Hurriyat Radio");
    let claim = find(&project, "Pakistan could be losing the Taliban for good");
    let mut ids = Vec::new();
    for (label, span) in [("PER", person), ("ORG", org), ("CLAIM", claim)] {
        let (transaction, id) = ops::tag(&project, &document_id, label, vec![span], "colleague").expect("tag");
        transaction.apply(&mut project).expect("valid");
        ids.push(id);
    }
    let claim_id = ids.pop().expect("claim");
    let org_id = ids.pop().expect("org");
    let person_id = ids.pop().expect("person");
    (project, person_id, org_id, claim_id)
}

#[test]
fn clicking_an_annotation_in_the_list_selects_it() {
    let (project, person_id, _, _) = tagged_article();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    assert_eq!(harness.state().view().selected, None);
    harness.get_by_label("Imran Khan Person").click();
    harness.run();
    assert_eq!(harness.state().view().selected.as_ref(), Some(&person_id));
    assert!(harness.query_by_label("Delete annotation Delete").is_some(), "the inspector shows the annotation");
}

#[test]
fn the_list_filters_by_text() {
    let (project, _, _, _) = tagged_article();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    harness.get_by_label("Search annotations").click();
    harness.run();
    harness.get_by_label("Search annotations").type_text("hurriyat");
    harness.run();
    assert!(harness.query_by_label("Hurriyat Radio Organisation").is_some());
    assert!(harness.query_by_label("Imran Khan Person").is_none());
}

#[test]
fn picking_in_the_text_sets_a_claims_claimant() {
    let (project, person_id, _, claim_id) = tagged_article();
    let person = find(&project, "Imran Khan");
    let mut harness = harness(Session::new(project, None), picker(None).0);
    harness.get_by_label_contains("Pakistan could be losing").click();
    harness.run();
    assert_eq!(harness.state().view().selected.as_ref(), Some(&claim_id));
    harness.get_by_label("Pick").click();
    harness.run();
    assert_eq!(harness.state().view().picking.as_deref(), Some("claimant"));

    click_text(&mut harness, person.start + 2);
    let claim = annotations(&harness).into_iter().find(|a| a.id == claim_id).expect("claim");
    assert_eq!(claim.relation("claimant"), Some(&RelationTarget::Annotation(person_id)));
    assert_eq!(harness.state().view().selected.as_ref(), Some(&claim_id), "the claim stays selected");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let claim = annotations(&harness).into_iter().find(|a| a.id == claim_id).expect("claim");
    assert_eq!(claim.relation("claimant"), None, "undo clears the claimant again");
}

#[test]
fn the_claimant_can_be_chosen_from_a_list() {
    let (project, _, org_id, claim_id) = tagged_article();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    harness.get_by_label_contains("Pakistan could be losing").click();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Claimant").click();
    harness.run();
    harness.get_by_label("“Hurriyat Radio” · Organisation").click();
    harness.run();
    let claim = annotations(&harness).into_iter().find(|a| a.id == claim_id).expect("claim");
    assert_eq!(claim.relation("claimant"), Some(&RelationTarget::Annotation(org_id)));
}

#[test]
fn deleting_an_entity_clears_the_claimant_and_undo_restores_both() {
    let (mut project, person_id, _, claim_id) = tagged_article();
    let document_id = project.documents[0].id.clone();
    let link = ops::set_relation(&project, &document_id, &claim_id, "claimant", Some(RelationTarget::Annotation(person_id.clone())));
    link.expect("link").apply(&mut project).expect("valid");
    let before = project.clone();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    harness.get_by_label("Imran Khan Person").click();
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    assert!(annotations(&harness).iter().all(|a| a.id != person_id));
    let claim = annotations(&harness).into_iter().find(|a| a.id == claim_id).expect("claim");
    assert!(claim.relations.is_empty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().session().project(), &before);
}

#[test]
fn setting_an_attribute_from_the_inspector() {
    let (project, _, _, claim_id) = tagged_article();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    harness.get_by_label_contains("Pakistan could be losing").click();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Type").click();
    harness.run();
    harness.get_by_label("prediction").click();
    harness.run();
    let claim = annotations(&harness).into_iter().find(|a| a.id == claim_id).expect("claim");
    assert_eq!(claim.attributes.get("claim_type").map(ToString::to_string).as_deref(), Some("prediction"));
}

#[test]
fn save_asks_for_a_file_then_writes_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let target = folder.path().join("mine");
    let (picker, asked) = picker(Some(target.clone()));
    let project = article();
    let word = find(&project, "Doha, Qatar");
    let mut harness = harness(Session::new(project, None), picker);
    drag(&mut harness, word.start, word.start + 2);
    harness.key_press(Key::Num3);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_for_dialog(&mut harness, |app| !app.session().is_dirty());
    assert_eq!(*asked.lock().expect("lock"), 1);
    let saved = folder.path().join("mine.gloss.json");
    assert_eq!(harness.state().session().path(), Some(saved.as_path()));
    let reloaded = gloss::io::load_project(&saved).expect("valid file");
    assert_eq!(&reloaded, harness.state().session().project());
    assert_eq!(reloaded.documents[0].text.slice(reloaded.documents[0].annotations[0].fragments[0]), "Doha");
}

#[test]
fn opening_a_malformed_project_shows_line_and_column_and_keeps_the_work() {
    let folder = tempfile::tempdir().expect("temp dir");
    let broken = folder.path().join("broken.gloss.json");
    std::fs::write(&broken, "{\n  \"format_version\": 1,\n  \"metadata\": {,\n}").expect("write");
    let (picker, _) = picker(Some(broken.clone()));
    let mut harness = harness(Session::new(article(), None), picker);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    wait_for_dialog(&mut harness, |app| app.error().is_some());
    let (title, message) = harness.state().error().expect("an error dialog");
    assert_eq!(title, "Cannot open the file");
    assert!(message.contains("broken.gloss.json:3:16"), "{message}");
    assert!(harness.query_by_label_contains("broken.gloss.json:3:16").is_some(), "the dialog shows it");
    assert_eq!(harness.state().session().project().documents[0].text.as_str(), gloss::SEED_ARTICLE, "the article stays open");
    harness.get_by_label("OK").click();
    harness.run();
    assert!(harness.state().error().is_none());
    assert_eq!(
        std::fs::read_to_string(&broken).expect("read"),
        "{\n  \"format_version\": 1,\n  \"metadata\": {,\n}",
        "nothing overwritten"
    );
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let project = article();
    let word = find(&project, "Doha, Qatar");
    let mut harness = harness(Session::new(project, None), picker(None).0);
    drag(&mut harness, word.start, word.start + 2);
    harness.key_press(Key::Num3);
    harness.run();
    harness.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().events.push(egui::ViewportEvent::Close);
    harness.step();
    let commands = &harness.output().viewport_output[&egui::ViewportId::ROOT].commands;
    assert!(commands.contains(&egui::ViewportCommand::CancelClose), "the close is held back");
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_some());
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert_eq!(annotations(&harness).len(), 1, "the work is still there");
}

#[test]
fn import_documents_through_the_dialog_and_undo_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let input = folder.path().join("second.jsonl");
    let line = r#"{"id": "x", "title": "Second story", "text": "Rana said “no”.", "spans": [{"start": 0, "end": 4, "label": "PER"}]}"#;
    std::fs::write(&input, line).expect("write");
    let (picker, _) = picker(Some(input));
    let mut harness = harness(Session::new(article(), None), picker);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::I);
    harness.run();
    harness.get_by_label("jsonl").click();
    harness.run();
    harness.get_by_label("Choose files…").click();
    wait_for_dialog(&mut harness, |app| app.summary().is_some());
    let (title, _) = harness.state().summary().expect("a summary");
    assert_eq!(title, "Imported jsonl");
    let project = harness.state().session().project();
    assert_eq!(project.documents.len(), 2);
    assert_eq!(project.documents[1].text.slice(project.documents[1].annotations[0].fragments[0]), "Rana");
    harness.get_by_label("OK").click();
    harness.run();

    // The new document is in the list; showing it shows its annotation.
    harness.get_by_label_contains("Second story").click();
    harness.run();
    assert_eq!(harness.state().view().document_index, 1);
    assert!(harness.query_by_label("Rana Person").is_some());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().session().project().documents.len(), 1, "undo removes the import");
    assert_eq!(harness.state().view().document_index, 0, "the view falls back to a document that exists");
}

#[test]
fn export_through_the_dialog_writes_the_file_and_reports_losses() {
    let folder = tempfile::tempdir().expect("temp dir");
    let destination = folder.path().join("article.conll");
    let (picker, _) = picker(Some(destination.clone()));
    let (project, _, _, _) = tagged_article();
    let mut harness = harness(Session::new(project, None), picker);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    harness.get_by_label("conll").click();
    harness.run();
    harness.get_by_label("Choose a file and export…").click();
    wait_for_dialog(&mut harness, |app| app.summary().is_some());
    let (title, report) = harness.state().summary().expect("a summary");
    assert_eq!(title, "Exported conll");
    assert!(report.contains("claim annotations not in the entity layer"), "{report}");
    let written = std::fs::read_to_string(&destination).expect("exported");
    assert!(written.contains("Imran\tB-PER\nKhan\tI-PER\n"), "{written}");
}

#[test]
fn comments_are_posted_on_annotations_and_documents() {
    let (project, person_id, _, _) = tagged_article();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    // With nothing selected, the inspector shows the document's discussion.
    harness.get_by_label("New comment").click();
    harness.run();
    harness.get_by_label("New comment").type_text("Byline is missing a name.");
    harness.run();
    harness.get_by_label("Post comment").click();
    harness.run();
    let document = &harness.state().session().project().documents[0];
    assert_eq!(document.comments.len(), 1);
    assert_eq!((document.comments[0].author.as_str(), document.comments[0].text.as_str()), ("tester", "Byline is missing a name."));

    harness.get_by_label("Imran Khan Person").click();
    harness.run();
    harness.get_by_label("New comment").click();
    harness.run();
    harness.get_by_label("New comment").type_text("Former prime minister, not current.");
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    let person = annotations(&harness).into_iter().find(|a| a.id == person_id).expect("person");
    assert_eq!(person.comments.len(), 1, "Ctrl+Enter posts");
    assert_eq!(person.comments[0].text, "Former prime minister, not current.");
    assert!(harness.query_by_label_contains("Former prime minister").is_some(), "the thread shows it");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(annotations(&harness).into_iter().find(|a| a.id == person_id).is_some_and(|a| a.comments.is_empty()), "undoable");
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/pakistan-taliban.gloss.json");
const BILAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/pakistan-taliban.bilal.gloss.json");

/// Opens the sample project and compares it with Bilal's through Review › Compare with….
fn reviewing_bilal() -> Harness<'static, GlossApp> {
    let session = Session::open(std::path::Path::new(SAMPLE)).expect("the sample opens");
    let (picker, _) = picker(Some(PathBuf::from(BILAL)));
    let mut harness = harness(session, picker);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    wait_for_dialog(&mut harness, |app| app.review().is_some());
    harness
}

fn doc_sentiment_polarity(harness: &Harness<'_, GlossApp>) -> String {
    let document = &harness.state().session().project().documents[0];
    let whole = document.annotations.iter().find(|a| a.kind == Kind::Document).expect("document sentiment");
    whole.attributes.get("polarity").map(ToString::to_string).unwrap_or_default()
}

#[test]
fn review_jump_to_a_disagreement_accept_theirs_and_undo() {
    let mut harness = reviewing_bilal();
    assert!(harness.query_by_label_contains("label mismatch 3").is_some(), "the class counts show");
    harness.key_press(Key::N);
    harness.run();
    let cursor = harness.state().review().and_then(|review| review.cursor.clone()).expect("n selects the first difference");
    assert!(cursor.a.is_some() && cursor.b.is_some(), "the document sentiment differs in polarity");
    assert_eq!(doc_sentiment_polarity(&harness), "negative");

    harness.key_press(Key::A);
    harness.run();
    assert_eq!(doc_sentiment_polarity(&harness), "mixed", "a takes Bilal's version");
    let document = &harness.state().session().project().documents[0];
    let decision = document.decision(cursor.b.as_ref().expect("theirs")).expect("the decision is recorded");
    assert_eq!((decision.annotator.as_str(), decision.reviewer.as_str()), ("bilal", "tester"));
    let next = harness.state().review().and_then(|review| review.cursor.clone());
    assert!(next.is_some() && next != Some(cursor.clone()), "the review moves on to the next difference");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(doc_sentiment_polarity(&harness), "negative", "undo restores ours");
    assert!(harness.state().session().project().documents[0].decisions.is_empty(), "and removes the decision");
}

#[test]
fn review_list_click_then_keep_mine_or_accept() {
    let mut harness = reviewing_bilal();
    harness.get_by_label_contains("Afghan Taliban · ORG vs NORP").click();
    harness.run();
    harness.get_by_label("Accept theirs A").click();
    harness.run();
    let document = &harness.state().session().project().documents[0];
    let taliban = document.annotations.iter().find(|a| a.fragments.first().is_some_and(|f| document.text.slice(*f) == "Afghan Taliban"));
    assert_eq!(taliban.map(|a| a.label.as_str()), Some("NORP"));

    harness.get_by_label_contains("Haq Nawaz Khan · PER").click();
    harness.run();
    harness.key_press(Key::K);
    harness.run();
    let document = &harness.state().session().project().documents[0];
    let khan = document.annotations.iter().find(|a| a.fragments.first().is_some_and(|f| document.text.slice(*f) == "Haq Nawaz Khan"));
    assert!(matches!(khan.map(|a| &a.provenance), Some(gloss::model::Provenance::Adjudicated { .. })), "kept and marked");
    assert!(harness.query_by_label_contains("Haq Nawaz Khan · PER").is_none(), "settled pairs leave the list");
}

#[test]
fn accept_all_agreements_and_the_report() {
    let mut harness = reviewing_bilal();
    harness.get_by_label_contains("Accept all agreements (56)").click();
    harness.run();
    assert_eq!(harness.state().session().project().documents[0].decisions.len(), 56);
    harness.get_by_label("Agreement report").click();
    harness.run();
    wait_for_dialog(&mut harness, |app| app.job().is_none());
    assert!(harness.query_by_label_contains("compared with amira (the reference)").is_some(), "the report window opens");
    // A figure lists the differences behind it.
    harness.get_by_label("1 relation mismatch").click_accesskit();
    harness.run();
    let filter = harness.state().review().map(|review| review.filter.classes.clone()).expect("reviewing");
    assert_eq!(filter.len(), 1);
    assert!(harness.query_by_label_contains("Mehsud survived").is_some(), "the relation mismatch is listed");
}

/// Runs frames (without waiting for the window to settle: a running job animates its progress)
/// until `done`.
fn step_until(harness: &mut Harness<'_, GlossApp>, done: impl Fn(&GlossApp) -> bool) {
    for _ in 0..6000 {
        harness.step();
        if done(harness.state()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("never happened");
}

#[test]
fn the_agreement_of_a_corpus_is_measured_on_a_worker_thread_and_can_be_cancelled() {
    let ours = gloss::bench::synthetic::corpus(2_000, 50, 11, "a");
    let folder = tempfile::tempdir().expect("temp dir");
    let theirs = folder.path().join("theirs.gloss.json");
    gloss::io::save_project(&gloss::bench::synthetic::corpus(2_000, 50, 12, "b"), &theirs).expect("save");
    let (picker, _) = picker(Some(theirs));
    let mut harness = harness(Session::new(ours, None), picker);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    step_until(&mut harness, |app| app.review().is_some());
    // The review panel appears on the next frames.
    for _ in 0..20 {
        if harness.query_by_label("Agreement report").is_some() {
            break;
        }
        harness.step();
    }
    harness.get_by_label("Agreement report").click();
    step_until(&mut harness, |app| app.job().is_some());
    assert_eq!(harness.state().job().map(|job| job.title()), Some("Measuring agreement"));
    harness.step();
    harness.get_by_label("Cancel").click();
    step_until(&mut harness, |app| app.job().is_none());
    assert!(!harness.state().review().expect("reviewing").report_open, "a cancelled report closes its window");
    assert_eq!(harness.state().status(), Some("Cancelled; nothing changed"));
}

#[test]
fn opening_a_project_runs_as_a_job_then_replaces_the_session() {
    let (picker, _) = picker(Some(PathBuf::from(SAMPLE)));
    let mut harness = harness(Session::new(article(), None), picker);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    // Stepped, not run to rest: a running job animates its progress.
    step_until(&mut harness, |app| app.job().is_some() || app.session().path().is_some());
    wait_for_dialog(&mut harness, |app| app.job().is_none() && app.session().path().is_some());
    assert_eq!(harness.state().session().path(), Some(std::path::Path::new(SAMPLE)));
    assert_eq!(harness.state().session().project().annotation_count(), 71);
    assert!(harness.state().status().is_some_and(|status| status.starts_with("Opened ")));
}

/// The article saved as a project in a fresh folder, and the path of that file.
fn saved_article() -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("story.gloss.json");
    gloss::io::save_project(&article(), &path).expect("save");
    (folder, path)
}

#[test]
fn changes_reach_the_recovery_journal_and_saving_removes_it() {
    let (folder, path) = saved_article();
    let session = Session::open(&path).expect("open");
    let word = find(session.project(), "Doha, Qatar");
    let mut harness = harness_with_recovery(session, picker(None).0, Some(folder.path().join("data")));
    let journal = harness.state().recovery_journal().expect("autosave is on");
    assert_eq!(journal, folder.path().join(".story.gloss.json.recovery"), "beside the project, hidden");
    drag(&mut harness, word.start, word.start + 2);
    harness.key_press(Key::Num3);
    harness.run();
    assert!(harness.state().session().is_dirty());
    // Written a second after the change, on a worker thread.
    step_until(&mut harness, |_| journal.exists());
    let recovered = gloss::io::read_journal(&journal).expect("readable").expect("a journal");
    assert_eq!(&recovered.project, harness.state().session().project());
    assert_eq!(recovered.original.as_deref(), Some(path.as_path()));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(&mut harness, |app| !app.session().is_dirty());
    assert!(!journal.exists(), "the saved file holds everything");
}

#[test]
fn undoing_back_to_the_saved_state_removes_the_journal() {
    let (folder, path) = saved_article();
    let session = Session::open(&path).expect("open");
    let word = find(session.project(), "Doha, Qatar");
    let mut harness = harness_with_recovery(session, picker(None).0, Some(folder.path().join("data")));
    let journal = harness.state().recovery_journal().expect("autosave is on");
    drag(&mut harness, word.start, word.start + 2);
    harness.key_press(Key::Num3);
    harness.run();
    step_until(&mut harness, |_| journal.exists());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    step_until(&mut harness, |_| !journal.exists());
    assert!(!harness.state().session().is_dirty());
}

/// A journal as a crash leaves it: the saved article with one more tag.
fn leave_a_journal(path: &std::path::Path) -> (PathBuf, Project) {
    let mut project = gloss::io::load_project(path).expect("load");
    let word = find(&project, "Doha, Qatar");
    let document_id = project.documents[0].id.clone();
    let (transaction, _) = ops::tag(&project, &document_id, "LOC", vec![Span::new(word.start, word.start + 4)], "amira").expect("tag");
    transaction.apply(&mut project).expect("valid");
    let journal = path.with_file_name(".story.gloss.json.recovery");
    gloss::io::write_journal(&journal, &project, Some(path)).expect("write the journal");
    (journal, project)
}

#[test]
fn starting_after_a_crash_offers_to_restore_the_unsaved_work() {
    let (folder, path) = saved_article();
    let (journal, crashed) = leave_a_journal(&path);
    let mut harness = harness_with_recovery(Session::open(&path).expect("open"), picker(None).0, Some(folder.path().join("data")));
    harness.run();
    assert!(harness.query_by_label("Restore unsaved work?").is_some(), "the offer is shown");
    harness.get_by_label("Restore").click();
    harness.run();
    assert_eq!(harness.state().session().project(), &crashed, "the restored state is the state before the crash");
    assert_eq!(harness.state().session().path(), Some(path.as_path()));
    assert!(harness.state().session().is_dirty(), "restored work still needs saving");
    assert_eq!(gloss::io::load_project(&path).expect("load").annotation_count(), 0, "the file is untouched until saved");
    assert!(!journal.exists(), "the restored work is journaled afresh as it changes");
}

#[test]
fn the_recovered_work_can_be_discarded() {
    let (folder, path) = saved_article();
    let (journal, _) = leave_a_journal(&path);
    let mut harness = harness_with_recovery(Session::open(&path).expect("open"), picker(None).0, Some(folder.path().join("data")));
    harness.run();
    harness.get_by_label("Discard the copy").click();
    harness.run();
    assert!(!journal.exists());
    assert_eq!(harness.state().session().project().annotation_count(), 0);
    assert!(!harness.state().session().is_dirty());
}

/// The words the killed child tags, in order, as Person.
const CHILD_WORDS: [&str; 10] =
    ["Clashes", "between", "Afghan", "Taliban", "Pakistan", "former", "protector", "threatening", "lasting", "rift"];

/// Run by `a_killed_gloss_restores_its_last_journal` as a child process: opens the project named by
/// `GLOSS_KILL_TEST_PROJECT` and tags words until it is killed.
#[test]
#[ignore = "a child process of a_killed_gloss_restores_its_last_journal"]
fn tags_words_until_killed() {
    let Some(path) = std::env::var_os("GLOSS_KILL_TEST_PROJECT").map(PathBuf::from) else { return };
    let session = Session::open(&path).expect("open");
    let paragraph = find(
        session.project(),
        "Clashes between the Afghan Taliban and Pakistan, their former protector, are threatening to open a lasting rift",
    );
    let mut harness = harness_with_recovery(session, picker(None).0, Some(path.with_file_name("data")));
    let mut searched_from = paragraph.start;
    for word in CHILD_WORDS {
        let text = harness.state().session().project().documents[0].text.as_str().to_owned();
        let byte = text.char_indices().map(|(byte, _)| byte).nth(searched_from).expect("in the text");
        let start = searched_from + text[byte..].find(word).map(|found| text[byte..byte + found].chars().count()).expect("the word");
        searched_from = start + word.chars().count();
        drag(&mut harness, start, start + word.len() - 1);
        harness.key_press(Key::Num1);
        harness.run();
        println!("tagged {word}");
        for _ in 0..40 {
            harness.step();
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    // Idle until killed.
    loop {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_killed_gloss_restores_its_last_journal() {
    let (folder, path) = saved_article();
    let journal = folder.path().join(".story.gloss.json.recovery");
    let mut child = std::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", "tags_words_until_killed", "--ignored", "--nocapture", "--test-threads=1"])
        .env("GLOSS_KILL_TEST_PROJECT", &path)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the child starts");
    // Kill it in the middle of its run of edits: once the journal holds some of them.
    let mut journaled = 0;
    for _ in 0..6000 {
        if let Ok(Some(recovered)) = gloss::io::read_journal(&journal) {
            journaled = recovered.project.annotation_count();
            if journaled >= 3 {
                break;
            }
        }
        assert!(child.try_wait().expect("the child").is_none(), "the child ended before it was killed");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(journaled >= 3, "the journal follows the edits");
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    // The journal is whole: some prefix of the edits, each a Person tag on its word.
    let recovered = gloss::io::read_journal(&journal).expect("a whole journal").expect("a journal");
    let document = &recovered.project.documents[0];
    let tagged: Vec<&str> = document.annotations.iter().map(|annotation| document.text.slice(annotation.fragments[0])).collect();
    assert!(tagged.len() >= 3 && tagged.len() <= CHILD_WORDS.len(), "{tagged:?}");
    assert_eq!(tagged, CHILD_WORDS[..tagged.len()], "the words are tagged in text order");
    assert!(document.annotations.iter().all(|annotation| annotation.label == "PER"));

    // Starting again offers it back, and restoring gives exactly that state.
    let mut harness = harness_with_recovery(Session::open(&path).expect("open"), picker(None).0, Some(folder.path().join("data")));
    harness.run();
    harness.get_by_label("Restore").click();
    harness.run();
    assert_eq!(harness.state().session().project(), &recovered.project);
}

/// Another program's version of the saved article: one Organisation tag on "Hurriyat Radio".
fn change_on_disk(path: &std::path::Path) -> Project {
    let mut theirs = gloss::io::load_project(path).expect("load");
    let document_id = theirs.documents[0].id.clone();
    let span = find(&theirs, "Hurriyat Radio");
    let (transaction, _) = ops::tag(&theirs, &document_id, "ORG", vec![span], "colleague").expect("tag");
    transaction.apply(&mut theirs).expect("valid");
    gloss::io::save_project(&theirs, path).expect("their save");
    theirs
}

/// The saved article open with one Location tag of ours, unsaved, and another program's change
/// to the file.
fn edited_while_changed_on_disk() -> (tempfile::TempDir, PathBuf, Project, Harness<'static, GlossApp>) {
    let (folder, path) = saved_article();
    let session = Session::open(&path).expect("open");
    let word = find(session.project(), "Doha, Qatar");
    let mut harness = harness(session, picker(None).0);
    drag(&mut harness, word.start, word.start + 2);
    harness.key_press(Key::Num3);
    harness.run();
    let theirs = change_on_disk(&path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert!(harness.query_by_label("The file changed on disk").is_some(), "Save says so");
    assert_eq!(gloss::io::load_project(&path).expect("load"), theirs, "nothing is overwritten before the user answers");
    (folder, path, theirs, harness)
}

#[test]
fn saving_over_a_file_changed_on_disk_can_overwrite_it() {
    let (_folder, path, _, mut harness) = edited_while_changed_on_disk();
    harness.get_by_label("Overwrite").click();
    harness.run();
    assert!(!harness.state().session().is_dirty());
    assert_eq!(&gloss::io::load_project(&path).expect("load"), harness.state().session().project());
}

#[test]
fn saving_over_a_file_changed_on_disk_can_reload_it() {
    let (_folder, _path, theirs, mut harness) = edited_while_changed_on_disk();
    harness.get_by_label("Reload").click();
    wait_for_dialog(&mut harness, |app| app.job().is_none() && !app.session().is_dirty());
    assert_eq!(harness.state().session().project(), &theirs);
}

#[test]
fn saving_over_a_file_changed_on_disk_can_be_cancelled() {
    let (_folder, path, theirs, mut harness) = edited_while_changed_on_disk();
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.state().session().is_dirty(), "the work stays open");
    assert_eq!(gloss::io::load_project(&path).expect("load"), theirs);
    assert_eq!(harness.state().status(), Some("Not saved: the file on disk has changes of its own"));
}

#[test]
fn opening_a_repairable_project_offers_the_repairs_and_applies_them_on_consent() {
    let folder = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(SAMPLE).expect("sample");
    let broken = folder.path().join("broken.gloss.json");
    std::fs::write(&broken, text.replacen("{\"annotation\":\"abk15b49kws1x\"}", "{\"annotation\":\"gone\"}", 1)).expect("write");
    let (picker, _) = picker(Some(broken.clone()));
    let mut harness = harness(Session::new(article(), None), picker);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    // The open job may start and finish within one frame: wait for its outcome.
    for _ in 0..2000 {
        harness.step();
        if harness.query_by_label("This project needs repairs").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(harness.query_by_label("This project needs repairs").is_some());
    assert!(harness.query_by_label_contains("drop relation \"claimant\" to gone").is_some(), "the repair is described");
    assert_eq!(harness.state().session().path(), None, "nothing is opened before the user agrees");
    harness.get_by_label("Repair and open").click();
    harness.run();
    assert_eq!(harness.state().session().path(), Some(broken.as_path()));
    assert_eq!(harness.state().session().project().annotation_count(), 71);
    assert!(harness.state().session().project().check_invariants().is_empty());
    assert!(harness.state().session().is_dirty(), "the repair is saved only when the user saves");
    assert!(std::fs::read_to_string(&broken).expect("read").contains("\"gone\""), "the file is untouched");
}

#[test]
fn a_save_that_fails_keeps_the_work_open_and_in_the_journal() {
    let folder = tempfile::tempdir().expect("temp dir");
    // A file where a folder should be: nothing can be written below it.
    let blocker = folder.path().join("not-a-folder");
    std::fs::write(&blocker, "").expect("write");
    let (picker, _) = picker(Some(blocker.join("story.gloss.json")));
    let project = article();
    let word = find(&project, "Doha, Qatar");
    let mut harness = harness_with_recovery(Session::new(project, None), picker, Some(folder.path().join("data")));
    let journal = harness.state().recovery_journal().expect("autosave is on");
    drag(&mut harness, word.start, word.start + 2);
    harness.key_press(Key::Num3);
    harness.run();
    step_until(&mut harness, |_| journal.exists());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    step_until(&mut harness, |app| app.error().is_some());
    let (title, message) = harness.state().error().expect("an error");
    assert_eq!(title, "Cannot save the project");
    assert!(message.contains("not-a-folder") && message.contains("still open"), "{message}");
    assert!(harness.state().session().is_dirty(), "the work stays open");
    let journaled = gloss::io::read_journal(&journal).expect("readable").expect("the journal stays");
    assert_eq!(&journaled.project, harness.state().session().project());
}

/// The spans of every whole-word, case-sensitive occurrence of `needle` in the article.
fn occurrences(project: &Project, needle: &str) -> Vec<Span> {
    let matcher = gloss::search::Query::exact_words(needle).compile().expect("valid").expect("not empty");
    matcher.find_in(&project.documents[0].text)
}

#[test]
fn search_lists_hits_and_tags_them_all_as_one_undoable_edit() {
    let mut project = article();
    let taliban = occurrences(&project, "Taliban");
    assert!(taliban.len() > 3, "{taliban:?}");
    let document_id = project.documents[0].id.clone();
    let (by_hand, _) = ops::tag(&project, &document_id, "ORG", vec![taliban[1]], "tester").expect("tag");
    by_hand.apply(&mut project).expect("valid");
    let mut harness = harness(Session::new(project, None), picker(None).0);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label("Find").type_text("taliban");
    harness.run();
    let count = harness.state().view().search.hits().len();
    assert!(count >= taliban.len(), "case-insensitive by default: {count}");
    assert!(harness.query_by_label(&format!("{count} hits")).is_some(), "the bar counts the hits");
    assert!(harness.query_by_label(&format!("Hits ({count})")).is_some(), "and lists them");

    harness.get_by_label("Aa").click();
    harness.run();
    assert_eq!(harness.state().view().search.hits().len(), 0, "“taliban” in lower case is not in the article");
    harness.get_by_label("Aa").click();
    harness.run();
    harness.get_by_label("ab|").click();
    harness.run();
    let spans: Vec<Span> = harness.state().view().search.hits().iter().map(|hit| hit.span).collect();
    assert_eq!(spans, taliban, "whole words only");

    harness.get_by_label(&format!("Tag {}", taliban.len())).click();
    harness.run();
    let people: Vec<Span> = annotations(&harness).iter().filter(|a| a.label == "PER").flat_map(|a| a.fragments.clone()).collect();
    let expected: Vec<Span> = taliban.iter().copied().filter(|span| *span != taliban[1]).collect();
    assert_eq!(people, expected, "every hit but the one tagged by hand");
    assert!(harness.state().status().is_some_and(|status| status.contains("(1 already tagged)")), "{:?}", harness.state().status());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(annotations(&harness).len(), 1, "one undo removes them all, the hand-made tag stays");
}

#[test]
fn find_next_selects_a_hit_for_a_label_key_to_tag() {
    let project = article();
    let kabul = occurrences(&project, "Kabul");
    let mut harness = harness(Session::new(project, None), picker(None).0);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label("Find").type_text("Kabul");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().view().text_selection, [kabul[1]], "Enter goes from hit to hit");
    assert!(harness.query_by_label(&format!("2 of {}", kabul.len())).is_some());
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F3);
    harness.run();
    assert_eq!(harness.state().view().text_selection, [kabul[0]], "Shift+F3 goes back");

    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().view().search.open, "Esc in the field closes the bar");
    harness.key_press(Key::Num3);
    harness.run();
    assert_eq!(
        annotations(&harness).iter().map(|a| (a.label.as_str(), a.fragments.clone())).collect::<Vec<_>>(),
        [("LOC", vec![kabul[0]])]
    );
}

#[test]
fn tag_all_occurrences_of_the_selected_tag() {
    let mut project = article();
    let khan = occurrences(&project, "Khan");
    let document_id = project.documents[0].id.clone();
    let (transaction, id) = ops::tag(&project, &document_id, "PER", vec![khan[0]], "tester").expect("tag");
    transaction.apply(&mut project).expect("valid");
    let mut harness = harness(Session::new(project, None), picker(None).0);
    click_text(&mut harness, khan[0].start + 1);
    assert_eq!(harness.state().view().selected.as_ref(), Some(&id));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    harness.run();
    let people: Vec<Span> = annotations(&harness).iter().flat_map(|a| a.fragments.clone()).collect();
    assert_eq!(people, khan, "every occurrence of “Khan” is a person now");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(annotations(&harness).len(), 1);
}

#[test]
fn the_command_palette_runs_commands_and_tags_by_name() {
    let project = article();
    let word = find(&project, "Qatar. Afghan forces");
    let mut harness = harness(Session::new(project, None), picker(None).0);
    drag(&mut harness, word.start, word.start + 4);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::P);
    harness.run();
    let field = "Command palette";
    harness.get_by_label(field).type_text("tag loc");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.query_by_label(field).is_none(), "the palette closes");
    assert_eq!(annotations(&harness).iter().map(|a| a.label.as_str()).collect::<Vec<_>>(), ["LOC"]);

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    harness.run();
    harness.get_by_label(field).type_text("edit");
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(harness.query_by_label_contains("Edit: Redo").is_some(), "the list is filtered to the Edit menu");
    harness.get_by_label(field).type_text(" undo");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(annotations(&harness).is_empty(), "“Edit: Undo” ran");
}

#[test]
fn keyboard_only_selection_tagging_and_navigation() {
    let project = article();
    let mut harness = harness(Session::new(project.clone(), None), picker(None).0);
    let text = &project.documents[0].text;
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    let first = harness.state().view().text_selection.clone();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].start, 0, "the first word");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowLeft);
    harness.run();
    let two_words = harness.state().view().text_selection[0];
    assert_eq!(text.slice(two_words).split_whitespace().count(), 2, "{:?}", text.slice(two_words));
    harness.key_press(Key::Num2);
    harness.run();
    assert_eq!(annotations(&harness)[0].fragments, [two_words], "tagged without the mouse");

    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    harness.run();
    let sentence = harness.state().view().text_selection[0];
    assert!(sentence.start > two_words.end, "the first sentence is tagged, so the next untagged one is chosen");
    harness.key_press(Key::Num3);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    harness.run();
    let ids: Vec<AnnotationId> = annotations(&harness).iter().map(|a| a.id.clone()).collect();
    assert_eq!(harness.state().view().selected.as_ref(), Some(&ids[0]), "Alt+→ selects the first annotation");
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().view().selected.as_ref(), Some(&ids[1]));
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    harness.run();
    assert_eq!(harness.state().view().selected.as_ref(), Some(&ids[0]));
}

/// The article after a merge where both sides wrote a different note on Imran Khan.
fn merged_with_a_conflict() -> (Project, AnnotationId) {
    let mut base = article();
    let document_id = base.documents[0].id.clone();
    let (transaction, person) = ops::tag(&base, &document_id, "PER", vec![find(&base, "Imran Khan")], "tester").expect("tag");
    transaction.apply(&mut base).expect("valid");
    let note = |text: &str| {
        let mut changed = base.clone();
        ops::set_note(&base, &document_id, &person, text).expect("built").apply(&mut changed).expect("valid");
        changed
    };
    (gloss::merge::three_way(&base, &note("ours"), &note("theirs")).project, person)
}

#[test]
fn a_merge_conflict_is_settled_in_the_app_and_undone() {
    let (project, person) = merged_with_a_conflict();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    let note = |harness: &Harness<'_, GlossApp>| annotations(harness).into_iter().find(|a| a.id == person).map(|a| a.note);
    let conflicts = |harness: &Harness<'_, GlossApp>| harness.state().session().project().documents[0].conflicts.len();
    assert!(harness.query_by_label("Merge conflicts (1)").is_some());
    assert_eq!(note(&harness).as_deref(), Some("ours"), "the text shows ours until a choice is made");

    harness.get_by_label("Take theirs").click();
    harness.run();
    assert_eq!(note(&harness).as_deref(), Some("theirs"));
    assert_eq!(conflicts(&harness), 0);
    assert!(harness.query_by_label("Merge conflicts (1)").is_none(), "the section goes with the last conflict");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!((note(&harness).as_deref(), conflicts(&harness)), (Some("ours"), 1), "undo brings the conflict back");

    harness.get_by_label("Keep ours").click();
    harness.run();
    assert_eq!((note(&harness).as_deref(), conflicts(&harness)), (Some("ours"), 0));
}

/// Opens Edit › Label schema….
fn open_schema_editor(harness: &mut Harness<'_, GlossApp>) {
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label("Label schema…").click();
    harness.run();
}

/// Replaces the text of the field named `field` by `text` and presses Enter.
fn retype(harness: &mut Harness<'_, GlossApp>, field: &str, text: &str) {
    harness.get_by_label(field).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(field).type_text(text);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
}

fn entity_order(harness: &Harness<'_, GlossApp>) -> Vec<String> {
    harness.state().session().project().schema.labels_of(Kind::Entity).map(|label| label.name.clone()).collect()
}

#[test]
fn renaming_a_label_in_the_schema_editor_renames_its_annotations_and_undo_restores_them() {
    let (project, person_id, _, _) = tagged_article();
    let before = project.clone();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    open_schema_editor(&mut harness);
    retype(&mut harness, "Name of PER", "PERSON");
    let person = annotations(&harness).into_iter().find(|a| a.id == person_id).expect("person");
    assert_eq!(person.label, "PERSON", "the annotation follows the rename");
    assert!(harness.state().session().project().schema.label("PER").is_none());
    assert!(harness.state().session().is_dirty());
    assert!(harness.query_by_label("Name of PERSON").is_some(), "the editor shows the new name");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().session().project(), &before, "one Ctrl+Z undoes the whole rename");
}

#[test]
fn a_hotkey_clash_is_shown_in_the_schema_editor_and_nothing_changes() {
    let project = article();
    let before = project.clone();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    open_schema_editor(&mut harness);
    retype(&mut harness, "Hotkey of EVENT", "1");
    assert!(harness.query_by_label("hotkey 1 is already used by Person").is_some(), "the error shows");
    assert_eq!(harness.state().session().project(), &before);
    assert!(!harness.state().session().is_dirty());
}

#[test]
fn the_schema_editor_refuses_to_delete_a_label_in_use_and_escape_drops_a_typed_name() {
    let (project, _, _, _) = tagged_article();
    let before = project.clone();
    let mut harness = harness(Session::new(project, None), picker(None).0);
    open_schema_editor(&mut harness);
    harness.get_by_label("Delete PER").click();
    harness.run();
    assert!(harness.query_by_label("1 annotation(s) still use Person; delete or relabel them first").is_some());

    harness.get_by_label("Name of ORG").click();
    harness.run();
    harness.get_by_label("Name of ORG").type_text("X");
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().session().project(), &before, "nothing changed");
    assert!(harness.query_by_label("Name of ORGX").is_none() && harness.query_by_label("Name of ORG").is_some());
}

#[test]
fn moving_and_recolouring_a_label_changes_the_palette() {
    let mut harness = harness(Session::new(article(), None), picker(None).0);
    open_schema_editor(&mut harness);
    harness.get_by_label("Move ORG up").click();
    harness.run();
    assert_eq!(entity_order(&harness)[..2], ["ORG", "PER"]);
    let palette: Vec<f32> = ["Organisation 2", "Person 1"].iter().map(|label| harness.get_by_label(label).rect().min.y).collect();
    assert!(palette[0] < palette[1], "the palette lists Organisation first");

    retype(&mut harness, "Colour of PER", "#123456");
    assert_eq!(harness.state().session().project().schema.label("PER").map(|label| label.color.as_str()), Some("#123456"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().session().project().schema, article().schema, "both are undone");
}

#[test]
fn a_label_added_in_the_schema_editor_joins_the_palette() {
    let mut harness = harness(Session::new(article(), None), picker(None).0);
    open_schema_editor(&mut harness);
    harness.get_by_label("New label name").click();
    harness.run();
    harness.get_by_label("New label name").type_text("WEAPON");
    harness.get_by_label("New label title").click();
    harness.run();
    harness.get_by_label("New label title").type_text("Weapon");
    harness.run();
    harness.get_by_label("Add label").click();
    harness.run();
    assert_eq!(entity_order(&harness).last().map(String::as_str), Some("WEAPON"));
    assert!(harness.query_by_label("Weapon").is_some(), "the palette shows it");

    harness.get_by_label("Attributes of WEAPON").click();
    harness.run();
    harness.get_by_label("New attribute name").click();
    harness.run();
    harness.get_by_label("New attribute name").type_text("calibre");
    harness.get_by_label("Values of the new attribute").click();
    harness.run();
    harness.get_by_label("Values of the new attribute").type_text("light, heavy");
    harness.run();
    harness.get_by_label("Add attribute").click();
    harness.run();
    let schema = &harness.state().session().project().schema;
    let calibre = schema.label("WEAPON").and_then(|label| label.attribute("calibre")).expect("added");
    assert_eq!(calibre.value_type, gloss::schema::AttributeType::Choice(vec!["light".into(), "heavy".into()]));
}

/// Opens the statistics window with its shortcut.
fn open_statistics(harness: &mut Harness<'_, GlossApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::I);
    harness.run();
}

#[test]
fn the_statistics_window_shows_progress_the_label_chart_and_counts_that_follow_edits() {
    let session = Session::open(std::path::Path::new(SAMPLE)).expect("the sample opens");
    let mut harness = harness(session, picker(None).0);
    open_statistics(&mut harness);
    assert!(harness.query_by_label("0 of 1 documents done").is_some(), "the progress bar");
    assert!(harness.query_by_label("PER: 15 tag(s)").is_some(), "the chart's Person bar");
    assert!(harness.query_by_label("ORG: 12 tag(s)").is_some());
    assert!(harness.query_by_label("71 tags in 1 document(s)").is_some());
    assert!(harness.query_by_label(gloss::SEED_ARTICLE_TITLE).is_some(), "the document's row");

    // Marking the document done is counted at once: the counts follow the project's revision.
    harness.get_by_label("Documents (1)").click_accesskit();
    harness.run();
    harness.get_by_label("done").click_accesskit();
    harness.run();
    assert!(harness.query_by_label("1 of 1 documents done").is_some());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(harness.query_by_label("0 of 1 documents done").is_some(), "and undo");
}

#[test]
fn clicking_a_document_in_the_statistics_shows_it() {
    let mut project = article();
    project.documents.push(gloss::model::Document::new("Second article", "Imran Khan spoke in Kabul."));
    let mut harness = harness(Session::new(project, None), picker(None).0);
    open_statistics(&mut harness);
    assert!(harness.query_by_label("0 of 2 documents done").is_some());
    harness.get_by_label("Second article").click();
    harness.run();
    assert_eq!(harness.state().view().document_index, 1);
}

#[test]
fn the_statistics_export_writes_a_csv_through_the_file_dialog() {
    let folder = tempfile::tempdir().expect("temp dir");
    let destination = folder.path().join("statistics.csv");
    let (picker, asked) = picker(Some(destination.clone()));
    let session = Session::open(std::path::Path::new(SAMPLE)).expect("the sample opens");
    let mut harness = harness(session, picker);
    open_statistics(&mut harness);
    harness.get_by_label("Export CSV…").click();
    wait_for_dialog(&mut harness, |app| app.status().is_some_and(|status| status.starts_with("Exported the statistics")));
    assert_eq!(*asked.lock().expect("lock"), 1);
    let written = std::fs::read_to_string(&destination).expect("exported");
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "document_id,title,status,characters,annotations,PER,ORG,LOC,NORP,DATE,EVENT,MISC,CLAIM,SENTIMENT,DOC_SENTIMENT");
    assert!(
        lines[1].ends_with(",Pakistan confronts a new reality: It may have lost the Taliban,in progress,7253,71,15,12,13,2,3,1,1,14,9,1")
    );
    assert_eq!(lines[2], ",Total,0 of 1 done,7253,71,15,12,13,2,3,1,1,14,9,1");
    assert_eq!(lines.len(), 3);
}

#[test]
fn a_failed_statistics_export_says_why() {
    let folder = tempfile::tempdir().expect("temp dir");
    let destination = folder.path().join("missing folder").join("statistics.csv");
    let mut harness = harness(Session::new(article(), None), picker(Some(destination)).0);
    open_statistics(&mut harness);
    harness.get_by_label("Export CSV…").click();
    wait_for_dialog(&mut harness, |app| app.error().is_some());
    let (title, message) = harness.state().error().expect("an error");
    assert_eq!(title, "Cannot export the statistics");
    assert!(message.contains("missing folder") && message.contains("No file was written"), "{message}");
}

#[test]
fn the_statistics_table_of_20000_documents_lays_out_only_the_rows_in_view() {
    let mut corpus = Project::new("Corpus");
    corpus.documents = (0..20_000).map(|index| gloss::model::Document::new(format!("Report {index}"), format!("Text {index}."))).collect();
    let (first, last) = ("Report 0", "Report 19999");
    let mut harness = harness(Session::new(corpus, None), picker(None).0);
    open_statistics(&mut harness);
    assert!(harness.query_by_label("0 of 20000 documents done").is_some());
    assert!(harness.query_by_label(first).is_some(), "the first row is laid out");
    assert!(harness.query_by_label(last).is_none(), "rows out of view are not");
}

/// The article with a regex rule suggesting Kabul and Islamabad as locations.
fn article_with_a_rule() -> Project {
    let mut project = article();
    project.rules.patterns.push(gloss::model::PatternRule {
        name: "capitals".into(),
        pattern: r"\b(Kabul|Islamabad)\b".into(),
        label: "LOC".into(),
        case_sensitive: true,
    });
    project
}

fn pending_suggestions(harness: &Harness<'_, GlossApp>) -> Vec<gloss::model::Suggestion> {
    harness.state().session().project().documents[0].pending_suggestions().cloned().collect()
}

#[test]
fn pre_annotation_suggestions_are_accepted_with_provenance_undone_and_rejected() {
    let mut harness = harness(Session::new(article_with_a_rule(), None), picker(None).0);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    harness.run();
    assert_eq!(pending_suggestions(&harness).len(), 10, "Ctrl+Shift+R runs the rules on the shown document");
    harness.get_by_label("10 suggestions").click();
    harness.run();
    harness.get_by_label("Pre-annotation");
    let suggested = pending_suggestions(&harness);
    assert_eq!(suggested.len(), 10, "four Kabuls and six Islamabads");
    harness.get_by_label("Suggestions (10)");
    let text = &harness.state().session().project().documents[0].text;
    assert_eq!(text.slice(suggested[0].span), "Kabul", "offsets count code points past the curly quotes");
    harness.get_all_by_label("“Kabul” · Location").next().expect("a row per suggestion").click();
    harness.run();
    let over_kabul = char_center(&harness, suggested[0].span.start + 2);
    harness.hover_at(over_kabul);
    // Past egui's tooltip delay.
    for _ in 0..60 {
        harness.step();
    }
    assert!(harness.query_by_label("Suggested: Location").is_some(), "hovering a suggestion shows its label");
    assert!(harness.query_by_label("From rule “capitals”; accept or reject it in the Pre-annotation window").is_some());

    harness.get_all_by_label("Accept").next().expect("an Accept button per row").click();
    harness.run();
    let accepted = annotations(&harness);
    assert_eq!(accepted.len(), 1);
    assert_eq!((&accepted[0].id, accepted[0].fragments.as_slice()), (&suggested[0].id, [suggested[0].span].as_slice()));
    assert_eq!(accepted[0].author, "tester");
    assert_eq!(
        accepted[0].provenance,
        gloss::model::Provenance::Suggested { source: gloss::model::RuleSource::Pattern("capitals".into()) }
    );
    assert_eq!(harness.state().view().selected.as_ref(), Some(&accepted[0].id), "the new annotation is selected");
    assert_eq!(pending_suggestions(&harness).len(), 9);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(annotations(&harness).is_empty(), "Ctrl+Z undoes the acceptance");
    assert_eq!(pending_suggestions(&harness).len(), 10, "and the suggestion is back");

    harness.get_by_label("Reject all").click();
    harness.run();
    assert!(pending_suggestions(&harness).is_empty());
    assert!(annotations(&harness).is_empty());
    harness.get_by_label("Run on this document").click();
    harness.run();
    assert!(pending_suggestions(&harness).is_empty(), "rejected suggestions are not proposed again");
}

#[test]
fn a_regex_rule_is_added_from_the_window_and_a_gazetteer_imported_through_the_file_dialog() {
    let folder = tempfile::tempdir().expect("temp dir");
    let gazetteer = folder.path().join("groups.csv");
    std::fs::write(&gazetteer, "term,label\nTaliban,ORG\n\"Hurriyat Radio\",ORG\n").expect("write");
    let mut harness = harness(Session::new(article(), None), picker(Some(gazetteer)).0);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::U);
    harness.run();
    for (field, text) in [("Name", "years"), ("Pattern", r"\b20\d\d\b")] {
        harness.get_by_label(field).click();
        harness.run();
        harness.get_by_label(field).type_text(text);
        harness.run();
    }
    harness.get_by_label("Rule label").click();
    harness.run();
    harness.get_by_label("Date").click();
    harness.run();
    harness.get_by_label("Add rule").click();
    harness.run();
    let rules = harness.state().session().project().rules.clone();
    assert_eq!(rules.patterns.len(), 1);
    assert_eq!((rules.patterns[0].name.as_str(), rules.patterns[0].label.as_str()), ("years", "DATE"));

    harness.get_by_label("Import gazetteer…").click();
    wait_for_dialog(&mut harness, |app| !app.session().project().rules.gazetteers.is_empty());
    let rules = harness.state().session().project().rules.clone();
    assert_eq!((rules.gazetteers[0].name.as_str(), rules.gazetteers[0].entries.len()), ("groups", 2));

    harness.get_by_label("Run on this document").click();
    harness.run();
    let pending = pending_suggestions(&harness);
    assert!(pending.iter().any(|s| s.label == "DATE"));
    assert!(pending.iter().any(|s| s.source == gloss::model::RuleSource::Gazetteer("groups".into())));
    harness.get_by_label("Accept all").click();
    harness.run();
    assert_eq!(annotations(&harness).len(), pending.len());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(annotations(&harness).is_empty(), "accepting all is one edit");
}

#[test]
fn pre_annotating_every_document_runs_as_a_job_and_is_one_edit() {
    let mut project = article_with_a_rule();
    let mut copy = project.documents[0].clone();
    copy.id = gloss::model::DocumentId("copy".into());
    project.documents.push(copy);
    let mut harness = harness(Session::new(project, None), picker(None).0);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::U);
    harness.run();
    harness.get_by_label("Run on all documents").click();
    // Stepped, not run to rest: a running job animates its progress.
    step_until(&mut harness, |app| app.session().project().documents.iter().all(|document| document.suggestions.len() == 10));
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        harness.state().session().project().documents.iter().all(|document| document.suggestions.is_empty()),
        "one undo takes back the suggestions of every document"
    );
}

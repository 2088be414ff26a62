//! `gloss merge` as a real git merge driver: two branches tag the article, `git merge` runs the
//! driver, and the merged file holds both sets of tags, or flags the annotation both changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gloss::edit::ops;
use gloss::io::{load_project, save_project};
use gloss::model::{AnnotationId, ConflictKind, DocumentId, Project, Span};

const FILE: &str = "article.gloss.json";

/// A git repository in a temporary folder, with the Gloss merge driver installed as the README
/// says.
struct Repository {
    folder: tempfile::TempDir,
}

impl Repository {
    /// `None` (with a note) when git is not installed.
    fn new() -> Option<Self> {
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("note: git is not installed; skipping the merge driver test");
            return None;
        }
        let repository = Self { folder: tempfile::tempdir().expect("temp dir") };
        repository.git(&["-c", "init.defaultBranch=main", "init", "-q"]);
        repository.git(&["config", "user.name", "Tester"]);
        repository.git(&["config", "user.email", "tester@example.invalid"]);
        repository.git(&["config", "merge.gloss.name", "Gloss annotation projects"]);
        let driver = format!("'{}' merge %O %A %B", env!("CARGO_BIN_EXE_gloss"));
        repository.git(&["config", "merge.gloss.driver", &driver]);
        std::fs::write(repository.path(".gitattributes"), "*.gloss.json merge=gloss\n").expect("write");
        Some(repository)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// Runs git; panics if it fails.
    fn git(&self, args: &[&str]) -> Output {
        let output = self.try_git(args);
        assert!(
            output.status.success(),
            "git {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn try_git(&self, args: &[&str]) -> Output {
        Command::new("git").args(args).current_dir(self.folder.path()).env_remove("GIT_DIR").output().expect("git runs")
    }

    /// Saves `project` and commits it on the current branch.
    fn commit(&self, project: &Project, message: &str) {
        save_project(project, &self.path(FILE)).expect("save");
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    fn project(&self) -> Project {
        load_project(&self.path(FILE)).expect("the merged file loads")
    }
}

fn article() -> (Project, DocumentId) {
    let project = Project::from_text(gloss::SEED_ARTICLE_TITLE, gloss::SEED_ARTICLE);
    let document_id = project.documents[0].id.clone();
    (project, document_id)
}

/// Tags the first occurrence of `needle` with `label`.
fn tag(project: &mut Project, document_id: &DocumentId, needle: &str, label: &str, author: &str) -> AnnotationId {
    let text = project.documents[0].text.as_str();
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} is in the article"));
    let start = text[..byte].chars().count();
    let span = Span::new(start, start + needle.chars().count());
    let (transaction, id) = ops::tag(project, document_id, label, vec![span], author).expect("tag");
    transaction.apply(project).expect("valid");
    id
}

fn stderr(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn branches_tagging_different_paragraphs_merge_cleanly() {
    let Some(repository) = Repository::new() else { return };
    let (mut project, document_id) = article();
    repository.commit(&project, "The article");
    let base = project.clone();

    repository.git(&["checkout", "-q", "-b", "amira"]);
    let mut amira = base.clone();
    let theirs: Vec<AnnotationId> = [("Hurriyat Radio", "ORG"), ("Paktika", "LOC"), ("Doha", "LOC")]
        .iter()
        .map(|(needle, label)| tag(&mut amira, &document_id, needle, label, "amira"))
        .collect();
    repository.commit(&amira, "Amira tags the second paragraph");

    repository.git(&["checkout", "-q", "main"]);
    let ours: Vec<AnnotationId> = [("Imran Khan", "PER"), ("Kabul", "LOC"), ("Islamabad", "LOC")]
        .iter()
        .map(|(needle, label)| tag(&mut project, &document_id, needle, label, "bilal"))
        .collect();
    repository.commit(&project, "Bilal tags the fourth paragraph");

    let merge = repository.try_git(&["merge", "--no-edit", "amira"]);
    let output = stderr(&merge);
    assert!(merge.status.success(), "{output}");
    assert!(output.contains("gloss merge: 3 annotation change(s) from ours, 3 from theirs, 0 conflict(s) flagged"), "{output}");
    let merged = repository.project();
    for id in ours.iter().chain(&theirs) {
        assert!(merged.annotation(&document_id, id).is_some(), "{id} is in the merged file");
    }
    assert_eq!(merged.annotation_count(), 6);
    assert!(merged.documents[0].conflicts.is_empty());
}

#[test]
fn a_conflicting_edit_is_flagged_not_lost() {
    let Some(repository) = Repository::new() else { return };
    let (mut project, document_id) = article();
    let person = tag(&mut project, &document_id, "Imran Khan", "PER", "bilal");
    repository.commit(&project, "Imran Khan");
    let base = project.clone();

    let note = |project: &Project, text: &str| {
        let mut changed = project.clone();
        ops::set_note(project, &document_id, &person, text).expect("built").apply(&mut changed).expect("valid");
        changed
    };
    repository.git(&["checkout", "-q", "-b", "amira"]);
    repository.commit(&note(&base, "former prime minister"), "Amira's note");
    repository.git(&["checkout", "-q", "main"]);
    repository.commit(&note(&base, "Pakistan's leader in 2021"), "Bilal's note");

    let merge = repository.try_git(&["merge", "--no-edit", "amira"]);
    let output = stderr(&merge);
    assert!(!merge.status.success(), "{output}");
    assert!(output.contains("CONFLICT") && output.contains(FILE), "{output}");
    let merged = repository.project();
    let document = &merged.documents[0];
    assert_eq!(document.annotation(&person).map(|a| a.note.as_str()), Some("Pakistan's leader in 2021"), "ours stays in the text");
    let conflict = document.conflict(&person).expect("the conflict is flagged");
    assert_eq!(conflict.kind, ConflictKind::BothChanged);
    assert_eq!(conflict.theirs.as_ref().map(|a| a.note.as_str()), Some("former prime minister"), "theirs is kept");
    assert_eq!(conflict.base.as_ref().map(|a| a.note.as_str()), Some(""));
    assert_unmerged(&repository.try_git(&["status", "--porcelain"]), Path::new(FILE));
    let validate = Command::new(env!("CARGO_BIN_EXE_gloss")).arg("validate").arg(repository.path(FILE)).output().expect("gloss runs");
    assert!(String::from_utf8_lossy(&validate.stdout).contains("1 merge conflict(s) to settle"), "{validate:?}");
}

/// Git lists the file as unmerged (`UU`) until someone settles it.
fn assert_unmerged(status: &Output, file: &Path) {
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.lines().any(|line| line.starts_with("UU") && line.ends_with(&*file.to_string_lossy())), "{status}");
}

#[test]
fn unreadable_input_is_reported_with_its_place() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (project, _) = article();
    let good = folder.path().join("good.gloss.json");
    save_project(&project, &good).expect("save");
    let broken = folder.path().join("broken.gloss.json");
    std::fs::write(&broken, "{\n  \"format_version\": 1,\n  \"metadata\": {,\n}").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_gloss")).arg("merge").args([&good, &broken, &good]).output().expect("gloss runs");
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("broken.gloss.json:3:16:"), "{message}");
    assert_eq!(
        std::fs::read_to_string(&broken).expect("read"),
        "{\n  \"format_version\": 1,\n  \"metadata\": {,\n}",
        "nothing was written"
    );
}

#[test]
fn the_result_goes_to_the_output_when_given() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (base, document_id) = article();
    let mut theirs = base.clone();
    tag(&mut theirs, &document_id, "Doha", "LOC", "amira");
    let path = |name: &str| folder.path().join(name);
    save_project(&base, &path("base.gloss.json")).expect("save");
    save_project(&base, &path("ours.gloss.json")).expect("save");
    save_project(&theirs, &path("theirs.gloss.json")).expect("save");
    let output = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg("merge")
        .args([path("base.gloss.json"), path("ours.gloss.json"), path("theirs.gloss.json")])
        .arg("-o")
        .arg(path("out.gloss.json"))
        .output()
        .expect("gloss runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(load_project(&path("out.gloss.json")).expect("loads").annotation_count(), 1);
    assert_eq!(load_project(&path("ours.gloss.json")).expect("loads").annotation_count(), 0, "ours is left alone");
}

//! The `gloss` binary's headless behaviour: validation and clear errors for bad files.

use std::process::Command;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/pakistan-taliban.gloss.json");

fn gloss(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gloss")).args(args).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").output().expect("gloss runs")
}

#[test]
fn validate_accepts_the_sample() {
    let output = gloss(&["validate".as_ref(), SAMPLE.as_ref()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("valid (1 documents, 71 annotations)"));
}

#[test]
fn malformed_json_is_reported_with_line_and_column() {
    let folder = tempfile::tempdir().expect("temp dir");
    let broken = folder.path().join("broken.gloss.json");
    std::fs::write(&broken, "{\n  \"format_version\": 1,\n  \"metadata\": {,\n}").expect("write");
    for args in [vec!["validate".as_ref(), broken.as_os_str()], vec![broken.as_os_str()]] {
        let output = gloss(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("broken.gloss.json:3:16: key must be a string"), "{stderr}");
    }
    assert_eq!(std::fs::read_to_string(&broken).expect("read"), "{\n  \"format_version\": 1,\n  \"metadata\": {,\n}");
}

#[test]
fn broken_rules_are_findings_with_their_place() {
    let folder = tempfile::tempdir().expect("temp dir");
    let invalid = folder.path().join("invalid.gloss.json");
    let sample = std::fs::read_to_string(SAMPLE).expect("read");
    let mut json: serde_json::Value = serde_json::from_str(&sample).expect("json");
    json["documents"][0]["annotations"][3]["fragments"][0]["end"] = serde_json::json!(99999);
    json["documents"][0]["annotations"][5]["label"] = serde_json::json!("NOPE");
    std::fs::write(&invalid, serde_json::to_string_pretty(&json).expect("json")).expect("write");
    let output = gloss(&["validate".as_ref(), invalid.as_os_str()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("2 problem(s)"), "{stderr}");
    assert!(stderr.contains("offset 99999: fragment ends at 99999 but the text has 7253 code points"), "{stderr}");
    assert!(stderr.contains("label \"NOPE\" is not in the schema"), "{stderr}");
}

#[test]
fn a_missing_file_is_bad_input() {
    let output = gloss(&["validate".as_ref(), "/nonexistent/x.gloss.json".as_ref()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent/x.gloss.json"));
}

#[test]
fn every_subcommand_has_help() {
    for subcommand in ["schema", "validate", "export", "import", "stats", "merge", "preannotate"] {
        let output = gloss(&[subcommand.as_ref(), "--help".as_ref()]);
        assert_eq!(output.status.code(), Some(0), "{subcommand}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("Usage: gloss"), "{subcommand}");
    }
}

#[test]
fn schema_prints_the_committed_json_schema() {
    let output = gloss(&["schema".as_ref()]);
    assert_eq!(output.status.code(), Some(0));
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/schema/gloss-project.schema.json")).expect("read");
    assert_eq!(String::from_utf8_lossy(&output.stdout), committed);
}

#[test]
fn export_writes_every_format_and_reports_losses_on_stderr() {
    let folder = tempfile::tempdir().expect("temp dir");
    for (format, output) in
        [("jsonl", "a.jsonl"), ("conll", "a.conll"), ("brat", "brat"), ("w3c", "a.jsonld"), ("labelstudio", "tasks.json"), ("csv", "a.csv")]
    {
        let destination = folder.path().join(output);
        let result =
            gloss(&["export".as_ref(), SAMPLE.as_ref(), "--format".as_ref(), format.as_ref(), "-o".as_ref(), destination.as_os_str()]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(0), "{format}: {stderr}");
        assert!(destination.exists(), "{format}");
        if format == "conll" {
            assert!(stderr.contains("claim annotations not in the entity layer"), "{stderr}");
        }
    }
    assert!(folder.path().join("brat/annotation.conf").exists());
    assert!(folder.path().join("tasks.label-config.xml").exists());
    let layer = gloss(&[
        "export".as_ref(),
        SAMPLE.as_ref(),
        "-f".as_ref(),
        "conll".as_ref(),
        "--kind".as_ref(),
        "document".as_ref(),
        "-o".as_ref(),
        folder.path().join("x").as_os_str(),
    ]);
    assert_eq!(layer.status.code(), Some(2), "CoNLL has no document layer");
    let unknown =
        gloss(&["export".as_ref(), SAMPLE.as_ref(), "-f".as_ref(), "docx".as_ref(), "-o".as_ref(), folder.path().join("x").as_os_str()]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown export format \"docx\""));
}

#[test]
fn import_creates_then_extends_a_project() {
    let folder = tempfile::tempdir().expect("temp dir");
    let exported = folder.path().join("sample.jsonl");
    assert_eq!(
        gloss(&["export".as_ref(), SAMPLE.as_ref(), "-f".as_ref(), "jsonl".as_ref(), "-o".as_ref(), exported.as_os_str()]).status.code(),
        Some(0)
    );
    let text = folder.path().join("note.txt");
    std::fs::write(&text, "A second “document”.").expect("write");
    let project = folder.path().join("new.gloss.json");

    let created = gloss(&["import".as_ref(), "-f".as_ref(), "jsonl".as_ref(), exported.as_os_str(), "-o".as_ref(), project.as_os_str()]);
    assert_eq!(created.status.code(), Some(0), "{}", String::from_utf8_lossy(&created.stderr));
    let extended = gloss(&["import".as_ref(), "-f".as_ref(), "text".as_ref(), text.as_os_str(), "-o".as_ref(), project.as_os_str()]);
    assert_eq!(extended.status.code(), Some(0), "{}", String::from_utf8_lossy(&extended.stderr));

    let stats = gloss(&["stats".as_ref(), project.as_os_str(), "--json".as_ref()]);
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).expect("stats JSON");
    assert_eq!(json["documents"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["total"]["annotations"], 71);
    assert_eq!(json["total"]["kinds"]["claim"], 14);
    assert_eq!(json["documents"][1]["title"], "note");
    let table = String::from_utf8_lossy(&gloss(&["stats".as_ref(), project.as_os_str()]).stdout).into_owned();
    assert!(table.contains("All 2 documents") && table.contains("      14  claim"), "{table}");
}

#[test]
fn stats_prints_csv_with_a_row_per_document_and_a_total() {
    let output = gloss(&["stats".as_ref(), SAMPLE.as_ref(), "--format".as_ref(), "csv".as_ref()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let csv = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "header, the one document, the total: {csv}");
    assert!(lines[0].starts_with("document_id,title,status,characters,annotations,PER,ORG,LOC,"), "{csv}");
    assert!(lines[1].ends_with(",in progress,7253,71,15,12,13,2,3,1,1,14,9,1"), "{csv}");
    assert_eq!(lines[2], ",Total,0 of 1 done,7253,71,15,12,13,2,3,1,1,14,9,1");

    let json = gloss(&["stats".as_ref(), SAMPLE.as_ref(), "-f".as_ref(), "json".as_ref()]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("stats JSON");
    assert_eq!(value["progress"]["in_progress"], 1);
    assert_eq!(value["label_distribution"][0], serde_json::json!({ "label": "PER", "count": 15 }));
    assert_eq!(json.stdout, gloss(&["stats".as_ref(), SAMPLE.as_ref(), "--json".as_ref()]).stdout, "--json is --format json");

    let both = gloss(&["stats".as_ref(), SAMPLE.as_ref(), "--json".as_ref(), "--format".as_ref(), "csv".as_ref()]);
    assert_eq!(both.status.code(), Some(2), "--json and --format conflict");
    let unknown = gloss(&["stats".as_ref(), SAMPLE.as_ref(), "--format".as_ref(), "xlsx".as_ref()]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("invalid value 'xlsx'"), "{}", String::from_utf8_lossy(&unknown.stderr));
}

#[test]
fn a_malformed_import_exits_non_zero_and_writes_nothing() {
    let folder = tempfile::tempdir().expect("temp dir");
    let project = folder.path().join("kept.gloss.json");
    std::fs::copy(SAMPLE, &project).expect("copy");
    let before = std::fs::read(&project).expect("read");
    let cases: [(&str, &str, &[u8]); 4] = [
        (
            "jsonl",
            "bad.jsonl",
            b"{\"text\": \"abc\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\"}], \"id\": \"d\", \"title\": \"t\"}\n",
        ),
        ("jsonl", "cut.jsonl", b"{\"text\": \"abc\", \"spa"),
        ("labelstudio", "tasks.json", b"[{\"data\": {\"text\": 5}}]"),
        ("text", "latin1.txt", b"caf\xe9"),
    ];
    for (format, name, content) in cases {
        let input = folder.path().join(name);
        std::fs::write(&input, content).expect("write");
        for output in [project.clone(), folder.path().join("never.gloss.json")] {
            let result = gloss(&["import".as_ref(), "-f".as_ref(), format.as_ref(), input.as_os_str(), "-o".as_ref(), output.as_os_str()]);
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert_eq!(result.status.code(), Some(2), "{name}: {stderr}");
            assert!(stderr.contains(&format!("{name}:1")), "{name}: the message names file and line: {stderr}");
        }
        assert_eq!(std::fs::read(&project).expect("read"), before, "{name}: the project is untouched");
        assert!(!folder.path().join("never.gloss.json").exists(), "{name}: no project was created");
    }
}

const BILAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/pakistan-taliban.bilal.gloss.json");
const CARLA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/pakistan-taliban.carla.gloss.json");

#[test]
fn agree_prints_stable_json_keys() {
    let output = gloss(&["agree".as_ref(), SAMPLE.as_ref(), BILAL.as_ref(), "--json".as_ref()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    for path in [
        "/kinds/entity/span/strict/f1",
        "/kinds/entity/span/exact/precision",
        "/kinds/entity/span/partial/recall",
        "/kinds/entity/span/type/f1",
        "/kinds/entity/token/cohen_kappa",
        "/kinds/entity/token/krippendorff_alpha",
        "/kinds/claim/relations/claimant/f1",
        "/kinds/sentiment/attributes/polarity/cohen_kappa",
        "/overall/span/strict/f1",
        "/differences/label_mismatch",
    ] {
        assert!(json.pointer(path).is_some_and(serde_json::Value::is_number), "{path}");
    }
    assert_eq!(json["annotators"], serde_json::json!(["amira", "bilal"]));
}

#[test]
fn agree_among_three_reports_pairs_and_fleiss_and_unplaced_tags() {
    let output = gloss(&["agree".as_ref(), SAMPLE.as_ref(), BILAL.as_ref(), CARLA.as_ref()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("Agreement of bilal with amira (reference)"), "{stdout}");
    assert!(stdout.contains("Agreement of carla with amira (reference)"), "{stdout}");
    assert!(stdout.contains("Agreement among amira, bilal, carla") && stdout.contains("Fleiss' kappa"), "{stdout}");
    assert!(stderr.contains("carla's annotation") && stderr.contains("could not be placed"), "unplaced tags are listed: {stderr}");
}

/// The smoke run CI makes: every measurement of the targets appears in the table. Times
/// are not checked: a test never asserts a wall-clock time.
#[test]
fn bench_quick_prints_every_measurement() {
    let output = gloss(&["bench".as_ref(), "--quick".as_ref()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.starts_with("| Measurement | Median | Target | Met |"), "{table}");
    for measurement in [
        "article with the sample project: idle frame",
        "first frame after opening",
        "idle frame",
        "frame while scrolling",
        "frame jumping to the middle",
        "hover hit-test",
        "tagged ÷ untagged, idle frame",
        "tagged ÷ untagged, frame while scrolling",
        "adding a tag and the next frame",
        "deleting a tag and the next frame",
        "peak memory",
        "corpus: open",
        "corpus: save",
        "corpus: export jsonl",
        "corpus: export conll",
        "memory beyond the project",
        "corpus: agreement of two annotators",
        "document list of 200: frame while scrolling",
        "corpus: switching documents",
        "99th percentile frame while opening runs on a worker thread",
        "99th percentile frame while a conll export runs on a worker thread",
        "99th percentile frame while agreement runs on a worker thread",
    ] {
        assert!(table.contains(measurement), "{measurement} missing from\n{table}");
    }
}

/// Every hostile input of the fuzz regression corpus, given to the CLI: a clear message and exit
/// code 0, 1 or 2, never a panic (101).
#[test]
fn hostile_inputs_never_panic_the_cli() {
    let regressions = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let folder = tempfile::tempdir().expect("temp dir");
    let inputs = |target: &str| -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> =
            std::fs::read_dir(regressions.join(target)).expect("regressions").map(|entry| entry.expect("entry").path()).collect();
        files.sort();
        files
    };
    let check = |output: std::process::Output, what: &str| {
        let code = output.status.code();
        assert!(matches!(code, Some(0..=2)), "{what}: exit {code:?}\n{}", String::from_utf8_lossy(&output.stderr));
        if code != Some(0) {
            let message = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
            assert!(message.lines().count() >= 1 && !message.contains("panicked"), "{what}: a readable message, not {message}");
        }
    };
    for file in inputs("project") {
        check(gloss(&["validate".as_ref(), file.as_os_str()]), &file.display().to_string());
    }
    for (target, format, extension) in [
        ("import_jsonl", "jsonl", "jsonl"),
        ("import_labelstudio", "labelstudio", "json"),
        ("import_text", "text", "txt"),
        ("import_brat", "brat", "ann"),
    ] {
        for (index, file) in inputs(target).into_iter().enumerate() {
            let data = std::fs::read(&file).expect("read");
            let input = folder.path().join(format!("{target}-{index}.{extension}"));
            let contents = if format == "brat" {
                let (text, annotations) = gloss::fuzzing::split_brat(&data);
                std::fs::write(input.with_extension("txt"), text).expect("write");
                annotations.to_vec()
            } else {
                data
            };
            std::fs::write(&input, contents).expect("write");
            let output = folder.path().join(format!("{target}-{index}.gloss.json"));
            let args: [&std::ffi::OsStr; 7] = [
                "import".as_ref(),
                "-f".as_ref(),
                format.as_ref(),
                input.as_os_str(),
                "-o".as_ref(),
                output.as_os_str(),
                "--add-labels".as_ref(),
            ];
            check(gloss(&args), &file.display().to_string());
        }
    }
}

#[test]
fn text_that_is_not_utf8_is_refused_with_its_place() {
    let folder = tempfile::tempdir().expect("temp dir");
    let input = folder.path().join("latin1.txt");
    std::fs::write(&input, b"Caf\xe9 cr\xe8me").expect("write");
    let output = folder.path().join("out.gloss.json");
    let result = gloss(&["import".as_ref(), "-f".as_ref(), "text".as_ref(), input.as_os_str(), "-o".as_ref(), output.as_os_str()]);
    assert_eq!(result.status.code(), Some(2));
    let message = String::from_utf8_lossy(&result.stderr);
    assert!(message.contains("latin1.txt") && message.contains("UTF-8"), "{message}");
    assert!(!output.exists(), "nothing written");
}

/// The sample with a claimant that is gone and a label the schema lacks.
fn broken_sample(folder: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(SAMPLE).expect("sample");
    let broken = text.replacen("{\"annotation\":\"abk15b49kws1x\"}", "{\"annotation\":\"gone\"}", 1).replacen(
        "\"label\":\"PER\"",
        "\"label\":\"POLITICIAN\"",
        1,
    );
    assert_ne!(broken, text);
    let path = folder.join("broken.gloss.json");
    std::fs::write(&path, broken).expect("write");
    path
}

#[test]
fn repairs_are_listed_by_validate_and_applied_only_by_repair() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = broken_sample(folder.path());
    let before = std::fs::read(&path).expect("read");
    let validated = gloss(&["validate".as_ref(), path.as_os_str()]);
    assert_eq!(validated.status.code(), Some(1));
    let message = String::from_utf8_lossy(&validated.stderr);
    assert!(message.contains("relation \"claimant\" points at gone, which does not exist"), "{message}");
    assert!(message.contains("add the Entity label \"POLITICIAN\" to the schema"), "{message}");
    assert!(message.contains("gloss repair"), "{message}");
    assert_eq!(std::fs::read(&path).expect("read"), before, "validate changes nothing");

    let repaired = folder.path().join("repaired.gloss.json");
    let output = gloss(&["repair".as_ref(), path.as_os_str(), "-o".as_ref(), repaired.as_os_str()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("2 repair(s)"));
    assert_eq!(gloss(&["validate".as_ref(), repaired.as_os_str()]).status.code(), Some(0));
    let project = gloss::io::load_project(&repaired).expect("valid");
    assert_eq!(project.annotation_count(), 71, "no annotation lost");
    assert_eq!(std::fs::read(&path).expect("read"), before, "the original is kept when -o is given");
}

/// A full disk, simulated with a file size limit (`ulimit -f`, SIGXFSZ ignored so that writes
/// fail with EFBIG as on a full disk): the import that would grow the project fails with a
/// message, and the project file on disk is the old one, whole.
#[test]
fn a_full_disk_leaves_the_project_file_intact() {
    let folder = tempfile::tempdir().expect("temp dir");
    let project = folder.path().join("story.gloss.json");
    std::fs::copy(SAMPLE, &project).expect("copy");
    let before = std::fs::read(&project).expect("read");
    let big = folder.path().join("big.txt");
    std::fs::write(&big, "Kabul fell. ".repeat(100_000)).expect("write");
    // 200 KiB: more than the sample, less than the sample plus 1.2 MB of text.
    let script = "trap '' XFSZ; ulimit -f 200; exec \"$0\" import -f text \"$1\" -o \"$2\"";
    let output = std::process::Command::new("bash")
        .args(["-c", script, env!("CARGO_BIN_EXE_gloss")])
        .arg(&big)
        .arg(&project)
        .output()
        .expect("bash runs");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("cannot save") && message.contains("story.gloss.json"), "{message}");
    assert_eq!(std::fs::read(&project).expect("read"), before, "the old file is intact");
    let leftovers: Vec<_> = std::fs::read_dir(folder.path()).expect("list").map(|entry| entry.expect("entry").file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary file left behind: {leftovers:?}");
}

#[test]
fn a_file_too_large_to_open_is_refused_before_it_is_read() {
    let folder = tempfile::tempdir().expect("temp dir");
    let huge = folder.path().join("huge.gloss.json");
    // Sparse: no disk space, and no memory is spent on it.
    std::fs::File::create(&huge).expect("create").set_len(3 << 30).expect("sparse");
    let output = gloss(&["validate".as_ref(), huge.as_os_str()]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("huge.gloss.json") && message.contains("Gloss reads files of up to 2 GB"), "{message}");
    let text = folder.path().join("huge.txt");
    std::fs::File::create(&text).expect("create").set_len(3 << 30).expect("sparse");
    let output_project = folder.path().join("out.gloss.json");
    let import = gloss(&["import".as_ref(), "-f".as_ref(), "text".as_ref(), text.as_os_str(), "-o".as_ref(), output_project.as_os_str()]);
    assert_eq!(import.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&import.stderr).contains("Gloss reads files of up to 2 GB"));
}

#[test]
fn a_byte_order_mark_before_an_input_is_skipped() {
    let folder = tempfile::tempdir().expect("temp dir");
    let jsonl = folder.path().join("bom.jsonl");
    std::fs::write(&jsonl, "\u{feff}{\"text\": \"“Imran Khan” spoke.\", \"label\": [[1, 11, \"PER\"]]}\r\n").expect("write");
    let text = folder.path().join("bom.txt");
    std::fs::write(&text, "\u{feff}Kabul fell.").expect("write");
    let output = folder.path().join("out.gloss.json");
    for (format, input) in [("jsonl", &jsonl), ("text", &text)] {
        let result = gloss(&["import".as_ref(), "-f".as_ref(), format.as_ref(), input.as_os_str(), "-o".as_ref(), output.as_os_str()]);
        assert_eq!(result.status.code(), Some(0), "{format}: {}", String::from_utf8_lossy(&result.stderr));
    }
    let project = gloss::io::load_project(&output).expect("valid");
    let texts: Vec<&str> = project.documents.iter().map(|document| document.text.as_str()).collect();
    assert_eq!(texts, ["“Imran Khan” spoke.", "Kabul fell."]);
    let person = &project.documents[0].annotations[0];
    assert_eq!(project.documents[0].text.slice(person.fragments[0]), "Imran Khan", "offsets count from after the mark");
}

#[test]
fn preannotate_adds_gazetteers_runs_the_rules_and_saves_the_suggestions() {
    let folder = tempfile::tempdir().expect("temp dir");
    let project = folder.path().join("article.gloss.json");
    std::fs::copy(SAMPLE, &project).expect("copy");
    let csv = folder.path().join("groups.csv");
    std::fs::write(&csv, "term,label\nTaliban,ORG\n\"Hurriyat Radio\",ORG\n").expect("write");
    let list = folder.path().join("places.txt");
    std::fs::write(&list, "Kabul\nDoha\n").expect("write");

    let refused = gloss(&["preannotate".as_ref(), project.as_os_str(), "--gazetteer".as_ref(), list.as_os_str()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("a list of terms needs a label"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    let args = [
        "preannotate".as_ref(),
        project.as_os_str(),
        "--gazetteer".as_ref(),
        csv.as_os_str(),
        "--gazetteer".as_ref(),
        list.as_os_str(),
        "--list-label".as_ref(),
        "LOC".as_ref(),
    ];
    let output = gloss(&args);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("gazetteer “groups”: 2 terms") && stdout.contains("gazetteer “places”: 2 terms"), "{stdout}");
    let saved = gloss::io::load_project(&project).expect("valid");
    assert_eq!(saved.rules.gazetteers.len(), 2);
    let suggestions = &saved.documents[0].suggestions;
    let place = gloss::model::RuleSource::Gazetteer("places".into());
    assert!(suggestions.iter().any(|s| s.source == place && saved.documents[0].text.slice(s.span) == "Kabul"), "{suggestions:#?}");
    assert!(stdout.contains(&format!("{} new suggestion(s) in 1 document(s)", suggestions.len())), "{stdout}");
    assert_eq!(saved.annotation_count(), 71, "suggestions are not annotations");

    let again = gloss(&["preannotate".as_ref(), project.as_os_str()]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 new suggestion(s)"), "running again finds nothing new");
    std::fs::write(&csv, "Taliban,ORG,extra\n").expect("write");
    let bad = gloss(&["preannotate".as_ref(), project.as_os_str(), "--gazetteer".as_ref(), csv.as_os_str()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("groups.csv: line 1: expected 2 fields"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

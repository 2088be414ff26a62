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

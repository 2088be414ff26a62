//! Importing plain UTF-8 text files: each file is one document, titled by its file name; a
//! folder contributes its `.txt` files in name order.

use std::path::PathBuf;

use super::convert::{ImportError, ImportedDocument, SourcePlace, input_files, read_utf8, without_bom};

/// Reads each input (a file, or a folder of `.txt` files) as one document.
pub fn read(inputs: &[PathBuf]) -> Result<Vec<ImportedDocument>, ImportError> {
    let mut documents = Vec::new();
    for input in inputs {
        for path in input_files(input, "txt")? {
            let text = without_bom(read_utf8(&path)?);
            let title = path.file_stem().map_or_else(|| path.display().to_string(), |stem| stem.to_string_lossy().into_owned());
            documents.push(ImportedDocument {
                comments: Vec::new(),
                title,
                text,
                annotations: Vec::new(),
                place: SourcePlace::new(&path, 1),
            });
        }
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use crate::io::{ImportFormat, ImportOptions, import};
    use crate::model::Project;

    #[test]
    fn files_and_folders_become_documents() {
        let folder = tempfile::tempdir().expect("temp dir");
        std::fs::write(folder.path().join("b.txt"), "Second “story”.").expect("write");
        std::fs::write(folder.path().join("a.txt"), "First story.\r\nWith CRLF.").expect("write");
        std::fs::write(folder.path().join("notes.md"), "not a .txt").expect("write");
        let single = folder.path().join("single.text");
        std::fs::write(&single, "Alone.").expect("write");
        let mut project = Project::new("p");
        let summary =
            import(&mut project, ImportFormat::Text, &[folder.path().to_owned(), single], &ImportOptions::default()).expect("import");
        assert_eq!(summary.documents_added, 3);
        let titles: Vec<&str> = project.documents.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(titles, ["a", "b", "single"]);
        assert_eq!(project.documents[0].text.as_str(), "First story.\r\nWith CRLF.", "text is kept byte for byte");
    }

    #[test]
    fn the_same_text_twice_is_one_document() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("a.txt");
        std::fs::write(&path, "Same.").expect("write");
        let mut project = Project::new("p");
        import(&mut project, ImportFormat::Text, std::slice::from_ref(&path), &ImportOptions::default()).expect("import");
        let again = import(&mut project, ImportFormat::Text, &[path], &ImportOptions::default()).expect("import");
        assert_eq!((again.documents_added, again.documents_merged), (0, 1));
        assert_eq!(project.documents.len(), 1);
    }

    #[test]
    fn non_utf8_names_file_and_line() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("latin1.txt");
        std::fs::write(&path, b"line one\nline two caf\xe9\n").expect("write");
        let mut project = Project::new("p");
        let error = import(&mut project, ImportFormat::Text, &[path], &ImportOptions::default()).expect_err("not UTF-8");
        assert!(error.to_string().ends_with("latin1.txt:2: not UTF-8 text (invalid byte at byte offset 21)"), "{error}");
        assert!(project.documents.is_empty(), "nothing was added");
    }

    #[test]
    fn a_missing_input_is_an_error() {
        let mut project = Project::new("p");
        let error =
            import(&mut project, ImportFormat::Text, &["/nonexistent/x.txt".into()], &ImportOptions::default()).expect_err("missing");
        assert!(error.to_string().starts_with("cannot read /nonexistent/x.txt"), "{error}");
    }
}

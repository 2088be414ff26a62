//! Where exports write: a file, a folder of files, or memory (for tests). Every file is written
//! atomically, and file names derived from document titles never leave the chosen destination.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::write_atomically_with;
use crate::model::Project;

/// Receives the files of an export.
pub trait ExportSink {
    /// Writes one file of the export. `name` is empty for the main output of a single-file format;
    /// otherwise it is a plain file name: an entry of the destination folder, or a companion file
    /// beside the main output (`tasks.json` → `tasks.NAME`).
    fn write_file(&mut self, name: &str, body: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> io::Result<()>;
}

/// How an export lays out its files on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputLayout {
    /// One main file, maybe with companions beside it.
    File,
    /// A folder of files.
    Folder,
}

/// Writes export files to disk, each atomically.
pub struct FileSink {
    destination: PathBuf,
    layout: OutputLayout,
    written: Vec<PathBuf>,
}

impl FileSink {
    /// A sink writing to `destination`, a file or a folder (created if missing).
    pub fn new(destination: impl Into<PathBuf>, layout: OutputLayout) -> Self {
        Self { destination: destination.into(), layout, written: Vec::new() }
    }

    /// The files written so far.
    pub fn written(&self) -> &[PathBuf] {
        &self.written
    }

    fn path_of(&self, name: &str) -> io::Result<PathBuf> {
        if name.is_empty() {
            return match self.layout {
                OutputLayout::File => Ok(self.destination.clone()),
                OutputLayout::Folder => Err(io::Error::new(io::ErrorKind::InvalidInput, "a folder export names each file")),
            };
        }
        if !is_plain_file_name(name) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("unsafe file name {name:?}")));
        }
        Ok(match self.layout {
            OutputLayout::Folder => self.destination.join(name),
            OutputLayout::File => {
                let file_name = self.destination.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let stem = file_name.rsplit_once('.').map_or(file_name.as_str(), |(stem, _)| stem);
                self.destination.with_file_name(format!("{stem}.{name}"))
            }
        })
    }
}

impl ExportSink for FileSink {
    fn write_file(&mut self, name: &str, body: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        let path = self.path_of(name)?;
        if self.layout == OutputLayout::Folder {
            std::fs::create_dir_all(&self.destination).map_err(|error| with_path(&self.destination, error))?;
        }
        write_atomically_with(&path, |file| {
            let mut buffered = BufWriter::new(file);
            body(&mut buffered)?;
            buffered.flush()
        })
        .map_err(|error| with_path(&path, error))?;
        self.written.push(path);
        Ok(())
    }
}

fn with_path(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

/// Keeps export files in memory, by name; used by tests and golden files.
#[derive(Debug, Default)]
pub struct MemorySink {
    /// The files written, by name (`""` for the main output).
    pub files: BTreeMap<String, Vec<u8>>,
}

impl MemorySink {
    /// The text of file `name`.
    pub fn text(&self, name: &str) -> String {
        self.files.get(name).map(|bytes| String::from_utf8_lossy(bytes).into_owned()).unwrap_or_default()
    }
}

impl ExportSink for MemorySink {
    fn write_file(&mut self, name: &str, body: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        let mut bytes = Vec::new();
        body(&mut bytes)?;
        self.files.insert(name.to_owned(), bytes);
        Ok(())
    }
}

/// Whether `name` is a single path component that cannot reach outside its folder.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !name.starts_with('.')
        && Path::new(name).components().count() == 1
}

/// A safe, readable, unique file stem for every document of the project, in document order:
/// the title lower-cased to ASCII letters, digits and dashes (at most 48 characters), or the
/// document id when the title has none; duplicates get `-2`, `-3`, ...
///
/// ```text
/// "Pakistan confronts a new reality"  →  pakistan-confronts-a-new-reality
/// "../../etc/passwd"                  →  etc-passwd
/// ```
pub fn document_file_stems(project: &Project) -> Vec<String> {
    let mut taken = HashSet::new();
    project
        .documents
        .iter()
        .map(|document| {
            let slug = slugify(&document.title, 48);
            let base = if slug.is_empty() { slugify(&document.id.0, 48) } else { slug };
            let mut stem = base.clone();
            let mut counter = 1;
            while !taken.insert(stem.clone()) {
                counter += 1;
                stem = format!("{base}-{counter}");
            }
            stem
        })
        .collect()
}

/// `text` lower-cased to ASCII letters, digits and single dashes, cut at a word boundary.
pub fn slugify(text: &str, max_len: usize) -> String {
    let mut slug = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|word| !word.is_empty()) {
        let extra = word.len() + usize::from(!slug.is_empty());
        if slug.len() + extra > max_len {
            if slug.is_empty() {
                slug.extend(word.chars().take(max_len));
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    #[test]
    fn titles_become_safe_unique_stems() {
        let mut project = Project::new("p");
        for title in ["Pakistan confronts a new reality: It may have lost the Taliban", "../../etc/passwd", "../../etc/passwd", "“”", ""]
        {
            project.documents.push(Document::new(title, format!("text of {title} {}", project.documents.len())));
        }
        let stems = document_file_stems(&project);
        assert_eq!(stems[0], "pakistan-confronts-a-new-reality-it-may-have");
        assert_eq!(stems[1], "etc-passwd");
        assert_eq!(stems[2], "etc-passwd-2");
        assert!(stems[3].starts_with("doc-") && stems[4].starts_with("doc-"));
        assert!(stems.iter().all(|stem| is_plain_file_name(stem)));
    }

    #[test]
    fn folder_sinks_refuse_names_that_escape() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut sink = FileSink::new(folder.path().join("out"), OutputLayout::Folder);
        for name in ["../x.txt", "/etc/passwd", "a/b.txt", "..", ".hidden", ""] {
            assert!(sink.write_file(name, &mut |w| w.write_all(b"x")).is_err(), "{name:?}");
        }
        sink.write_file("doc.txt", &mut |w| w.write_all(b"text")).expect("plain names work");
        assert_eq!(std::fs::read_to_string(folder.path().join("out/doc.txt")).expect("written"), "text");
    }

    #[test]
    fn file_sinks_put_companions_beside_the_main_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut sink = FileSink::new(folder.path().join("tasks.json"), OutputLayout::File);
        sink.write_file("", &mut |w| w.write_all(b"[]")).expect("main");
        sink.write_file("label-config.xml", &mut |w| w.write_all(b"<View/>")).expect("companion");
        assert!(folder.path().join("tasks.json").exists());
        assert!(folder.path().join("tasks.label-config.xml").exists());
        assert_eq!(sink.written().len(), 2);
    }
}

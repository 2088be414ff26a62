//! Writing files so that a crash, a full disk or a failed serializer never leaves a half-written
//! file in place of a good one.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Writes `contents` to `path` atomically: into a temporary file in the same folder, synced to
/// disk, then renamed over `path`, and the folder synced so the rename itself is durable.
/// If anything fails, `path` keeps its old contents and the temporary file is removed.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomically_with(path, |file| file.write_all(contents))
}

/// Like [`write_atomically`], with the contents written by `write` (for streaming writers). If
/// `write` fails, `path` is left untouched.
pub fn write_atomically_with(path: &Path, write: impl FnOnce(&mut fs::File) -> io::Result<()>) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new().prefix(".gloss-save-").suffix(".tmp").tempfile_in(folder)?;
    write(temporary.as_file_mut())?;
    if let Some(permissions) = permissions_for(path) {
        temporary.as_file().set_permissions(permissions)?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    sync_folder(folder)
}

/// The permissions of the file being replaced, or the usual `rw-r--r--` for a new file on Unix
/// (the temporary file starts private).
fn permissions_for(path: &Path) -> Option<fs::Permissions> {
    match fs::metadata(path) {
        Ok(metadata) => Some(metadata.permissions()),
        Err(_) => new_file_permissions(),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<fs::Permissions> {
    Some(std::os::unix::fs::PermissionsExt::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    fs::File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("p.gloss.json");
        write_atomically(&path, b"old").expect("write");
        write_atomically(&path, b"new").expect("write");
        assert_eq!(fs::read(&path).expect("read"), b"new");
        let names: Vec<_> = fs::read_dir(folder.path()).expect("list").flatten().map(|e| e.file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o644, "readable like any new file");
        }
    }

    #[test]
    fn a_writer_failing_halfway_keeps_the_old_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("p.gloss.json");
        write_atomically(&path, b"good old contents").expect("write");
        let result = write_atomically_with(&path, |file| {
            file.write_all(b"half of the new")?;
            Err(io::Error::other("disk full"))
        });
        assert_eq!(result.map_err(|e| e.to_string()), Err("disk full".to_string()));
        assert_eq!(fs::read(&path).expect("read"), b"good old contents");
        assert_eq!(fs::read_dir(folder.path()).expect("list").count(), 1, "no temporary file left");
    }

    #[test]
    fn an_impossible_target_fails_cleanly() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("missing-folder").join("p.gloss.json");
        assert!(write_atomically(&path, b"x").is_err());
        let target = folder.path().join("p.gloss.json");
        fs::create_dir(&target).expect("a folder where the file should go");
        assert!(write_atomically(&target, b"x").is_err(), "cannot rename a file over a folder");
        assert!(target.is_dir());
        let leftovers = fs::read_dir(folder.path()).expect("list").flatten().count();
        assert_eq!(leftovers, 1, "the temporary file is cleaned up");
    }
}

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
pub fn write_atomically_with(path: &Path, write: impl FnOnce(&mut TemporaryFile<'_>) -> io::Result<()>) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new().prefix(".gloss-save-").suffix(".tmp").tempfile_in(folder)?;
    write(&mut TemporaryFile { file: temporary.as_file_mut(), written: 0, on_disk_from: 0 })?;
    if let Some(permissions) = permissions_for(path) {
        temporary.as_file().set_permissions(permissions)?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    sync_folder(folder)
}

/// How many written bytes make the system start putting them on disk.
const WRITEBACK_STEP: u64 = 8 << 20;

/// The temporary file that [`write_atomically_with`] writes. Every [`WRITEBACK_STEP`] bytes, it
/// asks the system to start putting them on disk while the writer goes on (Linux), so that the
/// sync at the end waits for the last few megabytes instead of the whole file.
pub struct TemporaryFile<'a> {
    file: &'a mut fs::File,
    written: u64,
    /// Where the bytes not yet handed to the disk start.
    on_disk_from: u64,
}

impl Write for TemporaryFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let count = self.file.write(bytes)?;
        self.written += count as u64;
        if self.written - self.on_disk_from >= WRITEBACK_STEP {
            start_writeback(self.file, self.on_disk_from, self.written - self.on_disk_from);
            self.on_disk_from = self.written;
        }
        Ok(count)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Starts writing `length` bytes of `file` from `offset` to disk without waiting for them. Only a
/// hint: the final sync is what makes the file durable, so a failure here changes nothing.
#[cfg(target_os = "linux")]
fn start_writeback(file: &fs::File, offset: u64, length: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(length)) = (libc::off64_t::try_from(offset), libc::off64_t::try_from(length)) else { return };
    // SAFETY: `sync_file_range` takes an open descriptor (the file outlives the call) and plain
    // integers; it reads and writes no memory of this process.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, length, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &fs::File, _offset: u64, _length: u64) {}

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
    fn a_large_file_handed_to_disk_on_the_way_is_written_whole() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("large.gloss.json");
        let block: Vec<u8> = (0..=255).cycle().take(1 << 20).collect();
        let blocks = 2 * (WRITEBACK_STEP as usize >> 20) + 3;
        write_atomically_with(&path, |file| (0..blocks).try_for_each(|_| file.write_all(&block))).expect("write");
        let written = fs::read(&path).expect("read");
        assert_eq!(written.len(), blocks * block.len());
        assert!(written.chunks(block.len()).all(|chunk| chunk == block.as_slice()));
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

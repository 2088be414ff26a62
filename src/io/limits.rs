//! The largest file Gloss reads. A project or an input is read whole into memory, and a parsed
//! project takes a few times its size, so a file past the limit is refused up front with a
//! message instead of exhausting memory. The 20,000-document benchmark corpus is 295 MB.

use std::fs;
use std::io;
use std::path::Path;

/// 2 GiB.
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// Reads `path` whole, refusing a file larger than [`MAX_FILE_BYTES`] before reading any of it.
pub fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let size = fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("the file is {:.1} GB; Gloss reads files of up to {} GB", size as f64 / 1e9, MAX_FILE_BYTES >> 30),
        ));
    }
    fs::read(path)
}

/// [`read_bounded`], as UTF-8 text.
pub fn read_bounded_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_bounded(path)?).map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error.utf8_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_past_the_limit_is_refused_without_reading_it() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("huge.gloss.json");
        // Sparse: it takes no disk space, and reading it would take 3 GB of memory.
        fs::File::create(&path).expect("create").set_len(3 << 30).expect("sparse");
        let error = read_bounded(&path).expect_err("too large");
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
        assert!(error.to_string().contains("the file is 3.2 GB; Gloss reads files of up to 2 GB"), "{error}");
    }

    #[test]
    fn a_file_within_the_limit_is_read() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("small.txt");
        fs::write(&path, "“Quoted”").expect("write");
        assert_eq!(read_bounded_string(&path).expect("read"), "“Quoted”");
    }
}

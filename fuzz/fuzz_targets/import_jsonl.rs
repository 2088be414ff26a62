//! The jsonl importer on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gloss::fuzzing::import_bytes(gloss::io::ImportFormat::Jsonl, data));

//! Gazetteer parsing and pre-annotation on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gloss::fuzzing::preannotate(data));

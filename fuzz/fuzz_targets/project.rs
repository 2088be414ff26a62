//! The project loader on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gloss::fuzzing::load_project(data));

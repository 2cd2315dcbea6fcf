//! Fuzz target `text_parsers`: see `fuzz/bodies.rs`.
#![no_main]

#[path = "../bodies.rs"]
#[allow(dead_code)]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::text_parsers(data));

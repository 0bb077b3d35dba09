//! Scenario TOML loader: any bytes give a scenario or diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(error) = staffplan::scenario::Scenario::from_toml(
            text,
            Path::new("fuzz.toml"),
            Path::new("/nonexistent"),
        ) {
            // Every diagnostic carries a code and a fix.
            for d in error.diagnostics() {
                assert!(!d.code.is_empty());
            }
        }
    }
});

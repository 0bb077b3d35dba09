//! Inputs for the fuzz targets (`fuzz/`), replayed on every `cargo test`: hand-made extremes
//! (overflowing numbers, deep nesting, unterminated quotes, years past chrono's range, a BOM
//! alone) and any crash input a fuzz run finds, saved under
//! `tests/fuzz_regressions/TARGET/`. Each must give a result or errors that carry a registered
//! code, a place and a fix — never a panic.

use std::path::Path;

use staffplan::cli::explain::all_codes;
use staffplan::error::Error;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{target}: too few regression inputs");
    files
}

/// Every diagnostic of `error` has a registered code, a place and a fix.
fn assert_explained(name: &str, error: &Error) {
    let codes = all_codes();
    let diagnostics = error.diagnostics();
    assert!(
        !diagnostics.is_empty(),
        "{name}: an error without diagnostics"
    );
    for d in diagnostics {
        assert!(
            codes.iter().any(|c| c.code == d.code),
            "{name}: unregistered code {:?} in {d:?}",
            d.code
        );
        assert!(!d.place.is_empty() && !d.fix.is_empty(), "{name}: {d:?}");
    }
}

#[test]
fn scenario_toml_regressions_are_explained() {
    for (name, bytes) in inputs("scenario_toml") {
        let text = String::from_utf8_lossy(&bytes);
        let result = staffplan::scenario::Scenario::from_toml(
            &text,
            Path::new("fuzz.toml"),
            Path::new("/nonexistent"),
        );
        match result {
            Ok(_) => panic!("{name}: a broken scenario was accepted"),
            Err(error) => assert_explained(&name, &error),
        }
    }
}

#[test]
fn volume_csv_regressions_are_explained() {
    let zone = chrono_tz::America::New_York;
    for (name, bytes) in inputs("volume_csv") {
        match staffplan::forecast::read_history_csv(&bytes[..], &name, zone) {
            Ok(_) => panic!("{name}: a broken volume file was accepted"),
            Err(error) => assert_explained(&name, &error),
        }
    }
}

#[test]
fn agents_csv_regressions_are_explained() {
    use staffplan::scenario::agents::{PlanFacts, validate_csv_texts};
    let groups = ["support".to_string(), "sales".to_string()];
    let templates = ["day".to_string()];
    for (name, bytes) in inputs("agents_csv") {
        let (agents, time_off) = match bytes.iter().position(|&b| b == 0) {
            Some(i) => (&bytes[..i], &bytes[i + 1..]),
            None => (&bytes[..], &b"agent_id,start,end,reason\n"[..]),
        };
        let facts = PlanFacts {
            zone: chrono_tz::America::New_York,
            skill_groups: &groups,
            templates: &templates,
        };
        let result = validate_csv_texts(
            &String::from_utf8_lossy(agents),
            &String::from_utf8_lossy(time_off),
            facts,
        );
        match result {
            Ok(_) => panic!("{name}: broken agents were accepted"),
            Err(error) => assert_explained(&name, &error),
        }
    }
}

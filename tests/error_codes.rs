//! Every error code used in the source has long help (`staffplan explain`), codes are unique,
//! and the README lists every code.

use std::collections::BTreeSet;
use std::path::Path;

fn source_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// String literals shaped like a code: a capital letter and four digits in quotes.
fn codes_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for i in 0..bytes.len().saturating_sub(6) {
        let window = &bytes[i..i + 7];
        if window[0] == b'"'
            && window[1].is_ascii_uppercase()
            && window[2..6].iter().all(u8::is_ascii_digit)
            && window[6] == b'"'
        {
            found.push(String::from_utf8_lossy(&window[1..6]).into_owned());
        }
    }
    found
}

#[test]
fn every_code_in_the_source_is_explained_and_unique() {
    let mut files = Vec::new();
    source_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let registry: Vec<&str> = staffplan::cli::explain::all_codes()
        .iter()
        .map(|c| c.code)
        .collect();
    let unique: BTreeSet<&str> = registry.iter().copied().collect();
    assert_eq!(
        unique.len(),
        registry.len(),
        "duplicate codes in the registry"
    );
    let mut missing = BTreeSet::new();
    for file in files {
        for code in codes_in(&std::fs::read_to_string(&file).unwrap()) {
            if !unique.contains(code.as_str()) {
                missing.insert(format!("{code} ({})", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "codes without explanation: {missing:?}");
}

#[test]
fn the_readme_lists_every_code() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let missing: Vec<&str> = staffplan::cli::explain::all_codes()
        .iter()
        .map(|c| c.code)
        .filter(|code| !readme.contains(code))
        .collect();
    assert!(missing.is_empty(), "README lacks {missing:?}");
}

//! CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that begins with `=`, `+`,
//! `-`, `@`, a tab or a carriage return as a formula. Text that comes from HR systems (names,
//! ids, reasons) is neutralised by a leading apostrophe, which spreadsheets show as text and
//! do not display. Quoting of commas, quotes and newlines is left to the `csv` crate.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell text to write: unchanged, or with a leading `'` when it could run as a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Reverses [`neutralise`] when reading a file staffplan wrote.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

/// A formula start, possibly behind apostrophes (so that `'=x` itself round-trips).
fn looks_like_formula(text: &str) -> bool {
    text.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(|c| FORMULA_STARTS.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for text in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "@SUM(A1)",
            "+1",
            "-2",
            "\tx",
            "\rx",
            "'=x",
        ] {
            let cell = neutralise(text);
            assert!(cell.starts_with('\''), "{cell}");
            assert_eq!(restore(&cell), text);
        }
        for text in ["Ana", "O'Brien", "'quoted", "Zoë, Jr.", ""] {
            assert_eq!(neutralise(text), text);
            assert_eq!(restore(text), text);
        }
    }
}

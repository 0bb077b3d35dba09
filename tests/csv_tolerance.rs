//! Real-world CSV exports: the small call center's history, agents and time off saved the way
//! a European spreadsheet or an ACD export writes them (`;` delimiter, UTF-8 byte-order mark,
//! CRLF line ends, quoted cells, blanks around cells, trailing blank lines, column names in
//! capitals) plan exactly the same week as the clean files.

mod util;

use util::{Scratch, staffplan_in};

const SCENARIO: &str = "small-call-center";
const COMPARED: [&str; 6] = [
    "forecast.csv",
    "requirements.csv",
    "shifts.csv",
    "roster.csv",
    "agent_hours.csv",
    "coverage.csv",
];

/// `text` as a spreadsheet export: `;`-separated, every second column quoted, blanks around
/// the unquoted cells, the header in capitals, BOM, CRLF and two trailing blank lines. The files have no commas inside
/// cells, so splitting on `,` is exact.
fn as_spreadsheet_export(text: &str) -> String {
    let mut out = String::from("\u{feff}");
    for (number, line) in text.lines().enumerate() {
        // Column names in capitals, as HR and ACD exports write them (`ID`, `AGENT_ID`).
        let line = if number == 0 {
            line.to_uppercase()
        } else {
            line.to_string()
        };
        let cells: Vec<String> = line
            .split(',')
            .enumerate()
            .map(|(i, cell)| {
                if i % 2 == 1 && !cell.is_empty() {
                    format!("\"{cell}\"")
                } else if i > 0 {
                    format!(" {cell} ")
                } else {
                    cell.to_string()
                }
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out.push_str("\r\n\r\n");
    out
}

fn copy_scenario(scratch: &Scratch, transform: impl Fn(&str) -> String) {
    let dir = util::repo("scenarios");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(SCENARIO) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let content = if name.ends_with(".csv") {
            assert!(
                !text.contains('"') && !text.contains(';'),
                "{name} already has quotes or semicolons"
            );
            transform(&text)
        } else {
            text
        };
        scratch.write(&name, &content);
    }
}

fn run(scratch: &Scratch) {
    let output = staffplan_in(
        &scratch.dir,
        &[
            "run",
            &format!("{SCENARIO}.toml"),
            "--out",
            "out",
            "--quiet",
        ],
    );
    assert!(
        output.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn semicolon_bom_crlf_exports_plan_the_same_week_as_clean_files() {
    let clean = Scratch::new("csv-clean");
    copy_scenario(&clean, str::to_string);
    run(&clean);
    let export = Scratch::new("csv-export");
    copy_scenario(&export, as_spreadsheet_export);
    let history = std::fs::read(export.path(&format!("{SCENARIO}.history.csv"))).unwrap();
    assert!(history.starts_with(b"\xEF\xBB\xBF") && history.windows(2).any(|w| w == b"\r\n"));
    run(&export);
    for name in COMPARED {
        let a = std::fs::read_to_string(clean.path(&format!("out/{name}"))).unwrap();
        let b = std::fs::read_to_string(export.path(&format!("out/{name}"))).unwrap();
        assert!(a.lines().count() > 1, "{name} is empty");
        assert!(
            a == b,
            "{name} differs between the clean and the exported inputs"
        );
    }
}

#[test]
fn tab_separated_history_is_read_too() {
    let clean = Scratch::new("csv-clean-tab");
    copy_scenario(&clean, str::to_string);
    run(&clean);
    let tabs = Scratch::new("csv-tab");
    copy_scenario(&tabs, |text| text.replace(',', "\t"));
    run(&tabs);
    for name in ["forecast.csv", "roster.csv"] {
        let a = std::fs::read_to_string(clean.path(&format!("out/{name}"))).unwrap();
        let b = std::fs::read_to_string(tabs.path(&format!("out/{name}"))).unwrap();
        assert!(a == b, "{name} differs with tab-separated inputs");
    }
}

//! `staffplan whatif`, `evaluate` and `simulate` on the command line: bad input is reported
//! with codes, all at once, exit code 2.

mod util;

use util::{Scratch, staffplan_in, stderr};

const SCENARIO: &str = r#"
[plan]
start = 2026-11-23
days = 7
interval_minutes = 30
time_zone = "America/Chicago"

[[queue]]
id = "support"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "support.csv"
"#;

#[test]
fn bad_whatif_flags_are_reported_together_with_codes() {
    let scratch = Scratch::new("whatif-bad-flags");
    scratch.write("s.toml", SCENARIO);
    let output = staffplan_in(
        &scratch.dir,
        &[
            "whatif",
            "s.toml",
            "--out",
            "out",
            "--absent",
            "A017@2027-01-05",
            "--volume",
            "-150%",
            "--volume",
            "chat:+30%",
            "--monte-carlo",
            "0",
            "--absence-rate",
            "1.5",
            "--training",
            "6@2026-11-24",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    for code in [
        "W1011", "W1002", "W1003", "W1007", "W1005", "W1004", "W1006",
    ] {
        assert!(text.contains(code), "{code} missing:\n{text}");
    }
    assert!(
        text.contains("2027-01-05") && text.contains("2026-11-23 to 2026-11-29"),
        "{text}"
    );
    assert!(
        !scratch.path("out").exists(),
        "nothing is written on bad input"
    );
}

#[test]
fn bad_simulation_settings_exit_2() {
    let scratch = Scratch::new("simulate-bad-flags");
    scratch.write("s.toml", SCENARIO);
    let output = staffplan_in(
        &scratch.dir,
        &[
            "simulate",
            "s.toml",
            "roster.csv",
            "--replications",
            "1",
            "--handle-time-cv",
            "9",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert_eq!(text.matches("W1010").count(), 2, "{text}");
}

#[test]
fn explain_knows_the_whatif_codes() {
    let scratch = Scratch::new("whatif-explain");
    for code in ["W1001", "W1005", "W1010", "W1013"] {
        let output = staffplan_in(&scratch.dir, &["explain", code]);
        assert_eq!(output.status.code(), Some(0), "{code}");
    }
}

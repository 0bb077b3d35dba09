//! Bad agents, time-off and rules input: every problem is reported at once with its code,
//! the file and line or field, and a fix.

mod util;

use staffplan::scenario::Scenario;
use util::Scratch;

const PLAN: &str = r#"
[plan]
start = 2026-11-23
days = 7
interval_minutes = 30
time_zone = "America/New_York"

[[queue]]
id = "voice"
channel = "voice"
aht = "5m"
service_level = 0.8
answer_within = "20s"
forecast = "volume.csv"

[[queue]]
id = "chat"
channel = "chat"
aht = "8m"
concurrency = 2
service_level = 0.8
answer_within = "60s"
forecast = "volume.csv"
"#;

fn load(scratch: &Scratch, toml_head: &str, toml_tail: &str) -> Result<Scenario, staffplan::Error> {
    let text = format!("{toml_head}\n{PLAN}\n{toml_tail}");
    let path = scratch.write("scenario.toml", &text);
    Scenario::load(&path)
}

fn diagnostics(result: Result<Scenario, staffplan::Error>) -> Vec<staffplan::Diagnostic> {
    result
        .expect_err("the input should be refused")
        .diagnostics()
}

#[test]
fn good_agents_time_off_and_rules_load() {
    let scratch = Scratch::new("agents-good");
    scratch.write(
        "agents.csv",
        "id,name,skills,site,time_zone,min_weekly_hours,max_weekly_hours,max_days_per_week,mon,sat,sun\n\
         A2,\"Silva, Ana\",voice;chat,Lisbon,Europe/Lisbon,32,40,5,07:00-19:00,off,off\n\
         A1,Bob,voice,,,,,,,,\n",
    );
    scratch.write("time_off.csv", "agent_id,start,end,reason\nA2,2026-11-24,2026-11-24,vacation\nA1,2026-11-25 13:00,2026-11-25 17:00,doctor\n");
    let scenario = load(
        &scratch,
        "agents = \"agents.csv\"\ntime_off = \"time_off.csv\"",
        "[rules]\nmin_rest = \"12h\"\ndays_off_consecutive = true\n\n[[agent]]\nid = \"A3\"\nskills = [\"chat\"]\npreferred_start = \"09:30\"\n[agent.availability]\nweekdays = \"08:00-18:00\"\nweekend = \"off\"\n",
    )
    .unwrap();
    let w = &scenario.workforce;
    assert_eq!(
        w.agents.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["A1", "A2", "A3"]
    );
    let ana = w.agent("A2").unwrap();
    assert_eq!(ana.name, "Silva, Ana");
    assert_eq!(ana.skill_groups, ["voice", "chat"]);
    assert_eq!(ana.time_zone.name(), "Europe/Lisbon");
    assert_eq!(ana.availability[0], [(420, 1140)]);
    assert!(ana.availability[5].is_empty());
    assert!(
        ana.availability[2].is_empty(),
        "with any availability given, days not given are off"
    );
    assert_eq!(
        w.agent("A1").unwrap().availability[6],
        [(0, 1440)],
        "no availability: always"
    );
    assert_eq!(w.sites.get("A2").map(String::as_str), Some("Lisbon"));
    assert_eq!(w.agent("A1").unwrap().time_zone.name(), "America/New_York");
    assert_eq!(w.agent("A3").unwrap().preferred_start_minute, Some(570));
    assert_eq!(w.rules.min_rest_seconds, 12 * 3600);
    assert!(w.rules.days_off_consecutive);
    // A whole day in Lisbon: local midnight to the next local midnight.
    assert_eq!(
        staffplan::time::format_utc(w.time_off[1].start),
        "2026-11-24T00:00:00Z"
    );
    assert_eq!(
        staffplan::time::format_utc(w.time_off[1].end),
        "2026-11-25T00:00:00Z"
    );
    assert_eq!(
        staffplan::time::format_utc(w.time_off[0].start),
        "2026-11-25T18:00:00Z"
    );
    assert!(
        scenario
            .input_files()
            .iter()
            .any(|p| p.ends_with("time_off.csv"))
    );
}

#[test]
fn every_bad_input_is_reported_with_its_code_at_once() {
    let scratch = Scratch::new("agents-bad");
    scratch.write(
        "agents.csv",
        "id,name,skills,min_weekly_hours,max_weekly_hours\n\
         A1,Ana,voice,20,40\n\
         A1,Ana again,voice,20,40\n\
         A2,Bo,voise,20,40\n\
         A3,Cy,chat,40,20\n",
    );
    scratch.write(
        "time_off.csv",
        "agent_id,start,end,reason\nZZ9,2026-11-24,2026-11-24,vacation\nA1,2026-11-26,2026-11-25,backwards\n",
    );
    let list = diagnostics(load(
        &scratch,
        "agents = \"agents.csv\"\ntime_off = \"time_off.csv\"",
        "",
    ));
    let find = |code: &str| {
        list.iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{code} missing from {list:#?}"))
    };
    let duplicate = find("A1001");
    assert!(duplicate.place.contains("agents.csv:3"), "{duplicate}");
    let skill = find("A1003");
    assert!(
        skill.cause.contains("\"voise\"") && skill.fix.contains("did you mean \"voice\""),
        "{skill}"
    );
    let contract = find("A1004");
    assert!(
        contract.place.contains("agents.csv:5") && contract.cause.contains("40"),
        "{contract}"
    );
    let unknown = find("A1007");
    assert!(
        unknown.place.contains("time_off.csv:2") && unknown.cause.contains("ZZ9"),
        "{unknown}"
    );
    let backwards = find("A1008");
    assert!(backwards.place.contains("time_off.csv:3"), "{backwards}");
    for d in &list {
        assert!(
            d.place.contains("scenario.toml") || d.place.contains(".csv"),
            "{d}"
        );
        assert!(!d.fix.is_empty(), "{d}");
    }
}

#[test]
fn inline_agents_and_rules_are_validated_too() {
    let scratch = Scratch::new("agents-inline");
    let tail = r#"
[rules]
min_rest = "11"
max_consecutive_days = 0

[[agent]]
id = "=evil"
skills = ["voice"]

[[agent]]
id = "B1"
skills = []
max_days_per_week = 9
time_zone = "Europe/Lisbn"
[agent.availability]
daily = "off"

[[agent]]
id = "B2"
skills = ["chat"]
prefered_start = "08:00"
"#;
    let list = diagnostics(load(&scratch, "", tail));
    let codes: Vec<&str> = list.iter().map(|d| d.code).collect();
    // Unknown keys stop before validation, so fix them first: S1002 with a suggestion.
    assert_eq!(codes, ["S1002"], "{list:#?}");
    assert!(list[0].fix.contains("preferred_start"));
    let list = diagnostics(load(
        &scratch,
        "",
        &tail.replace("prefered_start", "preferred_start"),
    ));
    let codes: Vec<&str> = list.iter().map(|d| d.code).collect();
    for code in ["A1010", "A1002", "A1003", "A1005", "T1001", "A1013"] {
        assert!(codes.contains(&code), "{code} missing from {list:#?}");
    }
    let zone = list.iter().find(|d| d.code == "T1001").unwrap();
    assert!(
        zone.place.contains("agent[1].time_zone") && zone.cause.contains("Europe/Lisbon"),
        "{zone}"
    );
}

#[test]
fn unknown_columns_are_named() {
    let scratch = Scratch::new("agents-columns");
    scratch.write("agents.csv", "id,skils\nA1,voice\n");
    let list = diagnostics(load(&scratch, "agents = \"agents.csv\"", ""));
    let unknown = list.iter().find(|d| d.code == "A1012").expect("A1012");
    assert!(
        unknown.place.contains("agents.csv:1:2") && unknown.fix.contains("did you mean `skills`"),
        "{unknown}"
    );
    assert!(
        list.iter().any(|d| d.code == "A1009"),
        "the required skills column is missing"
    );
}

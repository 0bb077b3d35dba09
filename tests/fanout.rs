//! Several scenarios and sweeps as parallel runs of the one pipeline: each folder is what a
//! single run writes, results do not depend on the thread count, shards reassemble the whole
//! sweep, and bad input is refused with codes before anything is written.

mod util;

use std::path::Path;
use std::process::{Command, Output};

use util::{Scratch, repo, staffplan, stderr, stdout};

/// Runs staffplan with `RAYON_NUM_THREADS` set.
fn staffplan_threads(threads: usize, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_staffplan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run staffplan")
}

/// Every file below `a` equals the one below `b` (timings.json apart), and the same files.
fn assert_same_tree(a: &Path, b: &Path) {
    let list = |root: &Path| {
        let mut files = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().is_some_and(|n| n != "timings.json") {
                    files.push(path.strip_prefix(root).unwrap().to_path_buf());
                }
            }
        }
        files.sort();
        files
    };
    let (left, right) = (list(a), list(b));
    assert_eq!(
        left,
        right,
        "{} and {} hold other files",
        a.display(),
        b.display()
    );
    for file in left {
        assert!(
            std::fs::read(a.join(&file)).unwrap() == std::fs::read(b.join(&file)).unwrap(),
            "{} differs between {} and {}",
            file.display(),
            a.display(),
            b.display()
        );
    }
}

const SWEEP: &str = "voice.service_level=0.70,0.75,0.80,0.85";

fn sweep(threads: usize, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "sweep",
        "scenarios/reference-week.toml",
        "--vary",
        SWEEP,
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    staffplan_threads(threads, &args)
}

#[test]
fn several_scenarios_write_what_each_writes_alone() {
    let scratch = Scratch::new("fanout-run");
    let together = scratch.path("together");
    let run = staffplan(&[
        "run",
        "scenarios/small-call-center.toml",
        "scenarios/reference-week.toml",
        "--out",
        together.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let table = stdout(&run);
    assert!(table.contains("small-call-center"), "{table}");
    assert!(table.contains("reference-week"), "{table}");
    for name in ["small-call-center", "reference-week"] {
        let alone = scratch.path(&format!("alone-{name}"));
        let single = staffplan(&[
            "run",
            &format!("scenarios/{name}.toml"),
            "--out",
            alone.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(single.status.code(), Some(0), "{}", stderr(&single));
        assert_same_tree(&together.join(name), &alone);
    }
}

#[test]
fn one_failing_scenario_does_not_stop_the_others() {
    let scratch = Scratch::new("fanout-fail");
    let broken = scratch.write("broken.toml", "[plan]\nstart = 2026-11-23\ndays = 0\n");
    let out = scratch.path("out");
    let run = staffplan(&[
        "run",
        broken.to_str().unwrap(),
        "scenarios/small-call-center.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", stdout(&run));
    assert!(stderr(&run).contains("error: broken:"), "{}", stderr(&run));
    assert!(out.join("small-call-center/summary.json").exists());
    assert!(!out.join("broken").exists());
}

#[test]
fn a_sweep_is_the_same_with_one_or_two_threads_and_shards_reassemble_it() {
    let scratch = Scratch::new("fanout-sweep");
    let one = scratch.path("one");
    let result = sweep(1, &one, &[]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    // Four points, the cost rising with the target.
    let text = std::fs::read_to_string(one.join("frontier.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let cost_col = header.iter().position(|h| h == "cost").unwrap();
    let sl_col = header
        .iter()
        .position(|h| h == "voice_service_level")
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4, "{text}");
    let costs: Vec<f64> = rows.iter().map(|r| r[cost_col].parse().unwrap()).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "costs {costs:?}");
    let levels: Vec<f64> = rows.iter().map(|r| r[sl_col].parse().unwrap()).collect();
    for (target, level) in [0.70, 0.75, 0.80, 0.85].iter().zip(&levels) {
        assert!(
            level >= target,
            "weekly SL {level} below the target {target}"
        );
    }
    assert!(
        std::fs::read_to_string(one.join("frontier.html"))
            .unwrap()
            .contains("class=\"chart frontier\"")
    );

    let two = scratch.path("two");
    let result = sweep(2, &two, &[]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert_same_tree(&one, &two);

    let sharded = scratch.path("sharded");
    for shard in ["2/2", "1/2"] {
        let result = sweep(2, &sharded, &["--shard", shard]);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    }
    assert!(!sharded.join("frontier.csv").exists());
    let collected = sweep(2, &sharded, &["--collect"]);
    assert_eq!(collected.status.code(), Some(0), "{}", stderr(&collected));
    assert_same_tree(&one, &sharded);
}

#[test]
fn bad_sweeps_are_refused_with_codes_and_nothing_written() {
    let scratch = Scratch::new("fanout-bad");
    let out = scratch.path("out");
    let out_text = out.to_str().unwrap();
    let scenario = repo("scenarios/small-call-center.toml");
    let scenario = scenario.to_str().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (&["--vary", "sales.service_level=0.8"], "R1001"),
        (&["--vary", "support.service_level"], "R1001"),
        (&["--vary", "support.service_level=1.5"], "R1002"),
        (&["--vary", "support.answer_within=soon"], "R1002"),
        (&["--vary", "volume=lots"], "R1002"),
        (
            &["--vary", "support.service_level=0.8", "--shard", "3/2"],
            "R1003",
        ),
    ];
    for (extra, code) in cases {
        let mut args = vec!["sweep", scenario, "--out", out_text];
        args.extend_from_slice(extra);
        let result = staffplan(&args);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{extra:?}: {}",
            stdout(&result)
        );
        assert!(
            stderr(&result).contains(code),
            "{extra:?}: expected {code}: {}",
            stderr(&result)
        );
        assert!(!out.exists(), "{extra:?} wrote {}", out.display());
    }
    let collect = staffplan(&[
        "sweep",
        scenario,
        "--out",
        out_text,
        "--vary",
        "support.service_level=0.7,0.8",
        "--collect",
    ]);
    assert_eq!(collect.status.code(), Some(2));
    assert!(stderr(&collect).contains("R1004"), "{}", stderr(&collect));
    assert!(stderr(&collect).contains("support.service_level=0.7"));
    assert!(!out.join("frontier.csv").exists());

    let twice = staffplan(&["run", scenario, scenario, "--out", out_text]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("R1005"), "{}", stderr(&twice));
    assert!(!out.exists());
}

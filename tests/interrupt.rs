//! An interrupted `staffplan run` (SIGINT, as Ctrl-C sends, or SIGTERM, as a scheduler or
//! `timeout` sends) leaves the output directory as it was: the previous outputs, byte for
//! byte, and no partial or temporary file.
#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("staffplan-interrupt-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file in `dir` with its content, sorted by name.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Starts `staffplan run` on the omnichannel scenario (its schedule solves run for seconds),
/// sends `signal` once the solve is under way, and returns the exit code and standard error.
fn interrupt_run(out: &Path, signal: &str) -> (Option<i32>, String) {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/omnichannel.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_staffplan"))
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Loading, forecasting and staffing take well under a second; the solves take seconds.
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it could be interrupted; pick a slower scenario"
    );
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the run took {:?} to stop after {signal}",
        started.elapsed()
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn sigint_mid_solve_keeps_the_previous_outputs_and_writes_nothing() {
    let out = scratch("previous");
    // A previous run's outputs (stand-ins): they must survive byte for byte.
    fs::write(
        out.join("roster.csv"),
        "agent_id,agent_name\nA001,previous run\n",
    )
    .unwrap();
    fs::write(out.join("summary.json"), "{\"previous\": true}\n").unwrap();
    let before = contents(&out);
    let (code, stderr) = interrupt_run(&out, "INT");
    assert_eq!(code, Some(130), "stderr: {stderr}");
    assert!(
        stderr.contains("interrupted: no output was written"),
        "stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert_eq!(contents(&out), before, "the out directory changed");
}

#[test]
fn sigterm_mid_solve_into_an_empty_directory_leaves_it_empty() {
    let out = scratch("empty");
    let (code, stderr) = interrupt_run(&out, "TERM");
    assert_eq!(code, Some(130), "stderr: {stderr}");
    assert!(
        stderr.contains("previous outputs, if any, are unchanged"),
        "stderr: {stderr}"
    );
    let left = contents(&out);
    assert!(
        left.is_empty(),
        "files left behind: {:?}",
        left.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
}

//! The report in a real browser: headless Chromium opens `report.html` from disk (no network),
//! runs its script, and the DOM and a screenshot show the charts with their data.
//!
//! Needs Debian's `chromium` (installed by `.ci/run`). Without it the test says so and passes,
//! unless `STAFFPLAN_REQUIRE_BROWSER=1` (set by CI), where a missing browser is a failure.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use util::{Scratch, staffplan, stderr};

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn browser(chromium: &Path, profile: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("start chromium")
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn report_renders_its_charts_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var("STAFFPLAN_REQUIRE_BROWSER").is_err(),
            "chromium is required (STAFFPLAN_REQUIRE_BROWSER is set) but not installed"
        );
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
        return;
    };
    let scratch = Scratch::new("browser");
    let out = scratch.path("out");
    let run = staffplan(&[
        "run",
        "scenarios/small-call-center.toml",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let page = std::fs::canonicalize(out.join("report.html")).unwrap();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the report must not load anything from the network"
    );

    let dom = browser(
        &chromium,
        &scratch.path("profile-dom"),
        &["--dump-dom"],
        &page,
    );
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    // One week of 30-minute intervals: 336 points per series.
    assert!(
        dom.contains("class=\"chart coverage\""),
        "coverage chart missing"
    );
    assert!(
        dom.contains("data-points=\"336\""),
        "coverage chart has no data points"
    );
    assert!(dom.contains("data-series=\"required\""));
    assert!(dom.contains("data-series=\"scheduled\""));
    assert!(dom.contains("class=\"chart service-level\""));
    assert!(dom.contains("data-series=\"target\""));
    // The Gantt has one bar per roster row and breaks drawn; the day axis is built by the
    // page's script, so its labels prove the script ran.
    let roster_rows = std::fs::read_to_string(out.join("roster.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(count(&dom, "class=\"shift\""), roster_rows);
    assert!(count(&dom, "class=\"break\"") > 0);
    let axis = dom
        .split("id=\"gantt-axis\"")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or("");
    assert!(
        count(axis, "<span") >= 7,
        "day axis not built by the script: {axis}"
    );
    assert!(dom.contains("id=\"whatif\""), "what-if table missing");
    assert!(
        dom.contains("id=\"forecast-accuracy\""),
        "forecast accuracy missing"
    );

    let screenshot = scratch.path("report.png");
    let shot = browser(
        &chromium,
        &scratch.path("profile-shot"),
        &[
            "--window-size=1400,2400",
            &format!("--screenshot={}", screenshot.display()),
        ],
        &page,
    );
    assert!(
        screenshot.exists(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&screenshot).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let (mut colors, mut inked, mut blue, total) = (
        std::collections::BTreeSet::new(),
        0usize,
        0usize,
        (info.width * info.height) as usize,
    );
    for pixel in pixels[..info.buffer_size()].chunks(channels) {
        let (r, g, b) = (pixel[0], pixel[1], pixel[2]);
        colors.insert((r >> 3, g >> 3, b >> 3));
        if r < 200 || g < 200 || b < 200 {
            inked += 1;
        }
        // The shift bars and the scheduled area are blue (#3b82f6, #93c5fd).
        if b > 200 && r < 160 && g > 100 && g < 200 {
            blue += 1;
        }
    }
    assert!(
        colors.len() > 40,
        "screenshot looks blank: {} colors",
        colors.len()
    );
    assert!(inked * 20 > total, "screenshot is mostly empty");
    assert!(
        blue > 2_000,
        "no chart or Gantt bars visible ({blue} blue pixels)"
    );
    if let Ok(keep) = std::env::var("STAFFPLAN_KEEP_SCREENSHOT") {
        std::fs::copy(&screenshot, keep).unwrap();
    }
}

#[test]
fn the_sweep_frontier_renders_its_points_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var("STAFFPLAN_REQUIRE_BROWSER").is_err(),
            "chromium is required (STAFFPLAN_REQUIRE_BROWSER is set) but not installed"
        );
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
        return;
    };
    let scratch = Scratch::new("browser-frontier");
    let out = scratch.path("sweep");
    let sweep = staffplan(&[
        "sweep",
        "scenarios/small-call-center.toml",
        "--vary",
        "support.service_level=0.75,0.80,0.90",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(sweep.status.code(), Some(0), "{}", stderr(&sweep));
    let page = std::fs::canonicalize(out.join("frontier.html")).unwrap();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the frontier must not load anything from the network"
    );
    let dom = browser(
        &chromium,
        &scratch.path("profile-dom"),
        &["--dump-dom"],
        &page,
    );
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    // Two charts (service level, agent-hours), three labelled points each.
    assert!(
        dom.contains("class=\"chart frontier\""),
        "frontier chart missing"
    );
    assert!(dom.contains("class=\"chart frontier-hours\""));
    assert_eq!(count(&dom, "class=\"point\""), 6, "points drawn");
    assert_eq!(count(&dom, "class=\"point-label\""), 6);
    for value in ["0.75", "0.80", "0.90"] {
        assert!(
            dom.contains(&format!("data-label=\"support.service_level={value}\"")),
            "point {value} not labelled"
        );
    }
    assert!(
        dom.contains("data-series=\"target\""),
        "target line missing"
    );
    let screenshot = scratch.path("frontier.png");
    let shot = browser(
        &chromium,
        &scratch.path("profile-shot"),
        &[
            "--window-size=1200,1400",
            &format!("--screenshot={}", screenshot.display()),
        ],
        &page,
    );
    assert!(
        screenshot.exists(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&screenshot).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    // The points are blue (#2563eb).
    let blue = pixels[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[2] > 200 && p[0] < 80 && p[1] < 130)
        .count();
    assert!(blue > 100, "no points visible ({blue} blue pixels)");
}

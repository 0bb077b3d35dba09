//! The README's console blocks are what the commands print: each ```console block that runs
//! staffplan (`$ cargo run --release -- ARGS` or `$ staffplan ARGS`) is run from a scratch
//! directory (scenario paths resolved in the repository, outputs written there) and its
//! output compared line by line with the block.

mod util;

use util::{Scratch, repo, staffplan_in, stderr, stdout};

/// `(command line, expected output)` of every console block.
fn console_blocks(readme: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let mut command = None;
        let mut output = Vec::new();
        for line in lines.by_ref() {
            if line.trim() == "```" {
                break;
            }
            match line.strip_prefix("$ ") {
                Some(rest) if command.is_none() => command = Some(rest.to_string()),
                _ => output.push(line),
            }
        }
        if let Some(command) = command {
            blocks.push((command, output.join("\n")));
        }
    }
    blocks
}

#[test]
fn the_readme_tour_prints_what_the_commands_print() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let blocks = console_blocks(&readme);
    assert!(
        blocks
            .iter()
            .any(|(c, _)| c.contains("run scenarios/small-call-center.toml")),
        "the README's first command is missing from its tour"
    );
    let mut checked = 0;
    for (command, expected) in blocks {
        let args: Vec<String> = match command
            .strip_prefix("cargo run --release -- ")
            .or_else(|| command.strip_prefix("staffplan "))
        {
            Some(rest) => rest.split_whitespace().map(String::from).collect(),
            None => continue,
        };
        let scratch = Scratch::new("readme");
        // Scenario files come from the repository; outputs land in the scratch directory.
        let args: Vec<String> = args
            .into_iter()
            .map(|a| {
                if a.starts_with("scenarios/") {
                    repo(&a).display().to_string()
                } else {
                    a
                }
            })
            .collect();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = staffplan_in(&scratch.dir, &refs);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command}: {}",
            stderr(&output)
        );
        let printed = stdout(&output);
        let printed = printed.trim_end();
        if printed != expected {
            let diff: Vec<String> = expected
                .lines()
                .zip(printed.lines())
                .filter(|(a, b)| a != b)
                .map(|(a, b)| format!("README:  {a}\nprinted: {b}"))
                .collect();
            panic!(
                "the README block of `{command}` differs from its output:\n{}\n\
                 (README {} lines, printed {} lines)\nprinted in full:\n{printed}",
                diff.join("\n"),
                expected.lines().count(),
                printed.lines().count()
            );
        }
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} console blocks were checked");
}

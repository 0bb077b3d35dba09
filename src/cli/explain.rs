//! `staffplan explain CODE`: the long help of an error code.

use crate::error::{Error, Result, all_codes, explain};

/// Arguments of `staffplan explain`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  staffplan explain S1002\n  staffplan explain --list")]
pub struct Args {
    /// The code, e.g. S1002.
    #[arg(required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its title.
    #[arg(long)]
    list: bool,
}

/// Runs `staffplan explain`.
pub fn run(args: Args) -> Result<i32> {
    if args.list {
        for info in all_codes() {
            println!("{}  {}", info.code, info.title);
        }
        return Ok(0);
    }
    let code = args.code.unwrap_or_default();
    match explain(&code) {
        Some(info) => {
            println!("{}: {}\n", info.code, info.title);
            println!("{}", textwrap(info.explanation, 88));
            Ok(0)
        }
        None => Err(Error::input(
            "E1007",
            code.clone(),
            format!("{code:?} is not a staffplan error code"),
            "run `staffplan explain --list` to see every code",
        )),
    }
}

/// Wraps text at word boundaries.
fn textwrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

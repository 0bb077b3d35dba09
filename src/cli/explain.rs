//! `staffplan explain CODE`: the long help of an error code, and the registry of every code
//! (each module owns its codes; the registry lives with the command that needs it).

use crate::error::{CodeInfo, Error, Result};

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
            format!(
                "{} is not a staffplan error code",
                crate::error::echo(&code)
            ),
            "run `staffplan explain --list` to see every code",
        )),
    }
}

/// Every error code of the whole pipeline with its long help, sorted by code.
pub fn all_codes() -> Vec<CodeInfo> {
    let mut all: Vec<CodeInfo> = [
        crate::error::CODES,
        crate::scenario::CODES,
        crate::scenario::shifts::CODES,
        crate::schedule::CODES,
        crate::time::CODES,
        crate::volume::CODES,
        crate::erlang::CODES,
        crate::forecast::CODES,
        crate::staffing::CODES,
        crate::evaluate::CODES,
        crate::whatif::CODES,
        crate::cli::CODES,
        crate::scenario::agents::CODES,
        crate::export::CODES,
        crate::pipeline::fanout::CODES,
    ]
    .concat();
    all.sort_by_key(|info| info.code);
    all
}

/// The long help of `code` (case-insensitive), if the code exists.
pub fn explain(code: &str) -> Option<CodeInfo> {
    all_codes()
        .into_iter()
        .find(|info| info.code.eq_ignore_ascii_case(code.trim()))
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

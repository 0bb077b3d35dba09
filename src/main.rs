//! The `staffplan` command line: parses arguments and hands over to [`staffplan::cli`].

fn main() {
    std::process::exit(staffplan::cli::main());
}

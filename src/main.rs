//! The `staffplan` command line: parses arguments and hands over to [`staffplan::cli`].

fn main() {
    // A closed pipe (`staffplan explain --list | head`) ends the program quietly; any other
    // panic is a bug and prints one line, never a Rust backtrace.
    std::panic::set_hook(Box::new(|info| {
        // A solver crash inside a guarded call is caught and reported by the scheduler.
        if staffplan::schedule::guard::catching() {
            return;
        }
        let message =
            staffplan::schedule::guard::panic_message(info.payload()).unwrap_or("unknown panic");
        if message.contains("Broken pipe") {
            std::process::exit(0);
        }
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error{place}: {message}; fix: this is a bug in staffplan, please \
             report it with the input that caused it"
        );
        std::process::exit(101);
    }));
    staffplan::output::install_interrupt_handler();
    std::process::exit(staffplan::cli::main());
}

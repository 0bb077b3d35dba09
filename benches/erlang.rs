//! Erlang staffing benches.
fn main() {}

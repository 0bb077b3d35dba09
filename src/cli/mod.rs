//! Work in progress.

use crate::error::CodeInfo;

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[];

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    0
}

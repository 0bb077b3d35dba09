//! Work in progress.

use crate::error::CodeInfo;

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[];

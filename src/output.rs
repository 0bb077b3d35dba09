//! Atomic output files.

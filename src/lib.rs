//! # staffplan
//!
//! Contact-center workforce management: from interval volume to the cheapest roster that meets
//! the service-level target.
//!
//! ```
//! use staffplan::erlang::{self, QueueModel, Targets, Workload};
//!
//! // 100 calls in 30 minutes, 3-minute handle time, 80 % answered within 20 seconds.
//! let workload = Workload { volume: 100.0, interval_seconds: 1800.0, aht_seconds: 180.0 };
//! let targets = Targets::service_level(0.80, 20.0);
//! let agents = erlang::required_agents(&workload, &QueueModel::erlang_c(), &targets).unwrap();
//! assert_eq!(agents, 14);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod check;
pub mod cli;
pub mod csvio;
pub mod domain;
pub mod erlang;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod forecast;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod roster;
pub mod scenario;
pub mod schedule;
pub mod simulate;
pub mod staffing;
pub mod time;
pub mod units;
pub mod volume;
pub mod whatif;

pub use error::{Diagnostic, Error, Result};

//! `sdi`: a command-line coach for system-design interviews.
//!
//! Data flows one way: files -> bank -> session -> report. The modules, in that order:
//!
//! - [`quantity`]: the estimation engine (units, dimensions, conversion, the tolerance
//!   check). It depends on nothing else here.
//! - [`milestones`]: the scaling-milestones table and where a system sits on it.
//!
//! The library never touches the terminal; `src/main.rs` and [`ui`] do.

pub mod bank;
pub mod cli;
pub mod commands;
pub mod drill;
pub mod files;
pub mod grade;
pub mod milestones;
pub mod quantity;
pub mod session;
pub mod stats;
pub mod store;
pub mod ui;
mod wire;

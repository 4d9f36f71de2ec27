//! `sdi`: a command-line coach for system-design interviews.
//!
//! Data flows one way: files -> bank -> session -> report. The modules, in that order:
//!
//! - [`quantity`]: the estimation engine (units, dimensions, conversion, the tolerance
//!   check). It depends on nothing else here.
//! - [`milestones`]: the scaling-milestones table and where a system sits on it.
//!
//! The library never touches the terminal; `src/main.rs` and [`ui`] do.

mod bank;
mod built;
pub mod cli;
pub mod commands;
mod drill;
mod files;
mod grade;
mod milestones;
mod quantity;
mod session;
mod stats;
mod store;
mod ui;

pub use ui::Palette;
mod wire;

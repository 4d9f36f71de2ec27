//! Integration tests of the `sdi` binary: one test binary, one module per command.
//! Every test runs the real binary with its own `SDI_HOME` (see `support`).

mod bank;
mod calc;
mod calibration;
mod claims;
mod content;
mod general;
mod grade;
mod history;
mod milestones;
mod pty;
mod recompute;
mod support;
mod views;

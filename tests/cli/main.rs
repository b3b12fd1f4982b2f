//! The command line as an operator or a script uses it: exit codes, wrong input, stdout,
//! stderr and the files it leaves.
//!
//! One test binary for the subject; each file is a module, so helpers of the same name stay apart.

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod pending;
mod readme;
mod unreadable_input;

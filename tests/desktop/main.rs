//! Real processes on a virtual display (Xvfb): one window per user and data folder, and
//! the programs the window starts.
//!
//! One test binary for the subject; each file is a module, so helpers of the same name stay apart.

#[path = "../support/mod.rs"]
mod support;
#[path = "../window_support/mod.rs"]
mod window_support;

mod child_processes;
mod single_window;
mod window_resume;

//! The history on disk: scoped to one organization and server, expiry, files staged again,
//! and stdout that cannot be written.
//!
//! One test binary for the subject; each file is a module, so helpers of the same name stay apart.

#[path = "../support/mod.rs"]
mod support;
#[path = "../window_support/mod.rs"]
mod window_support;

mod expiry;
mod log_copied_back;
mod scope;
mod staged_again;
mod stdout_failures;

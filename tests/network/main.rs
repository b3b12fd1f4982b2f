//! The network between the app and the server: refused certificates, proxies, redirects,
//! the key kept out of everything printed, and nothing that hangs.
//!
//! One test binary for the subject; each file is a module, so helpers of the same name stay apart.

#[path = "../support/mod.rs"]
mod support;

mod failures;
mod key_redaction;
mod never_hangs;
mod redirects;

//! Staging itself: what arrives at the server (bytes, names, types, both key headers),
//! folders, linked folders, escaped names, and the test server's own strictness.
//!
//! One test binary for the subject; each file is a module, so helpers of the same name stay apart.

#[path = "../support/mod.rs"]
mod support;

mod names_and_links;
mod staging;
mod test_server;

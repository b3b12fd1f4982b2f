//! Which ID is whose: answers in another order, renamed by the server, repeated IDs,
//! answers lost after the files were stored; every ID printed and recorded is the one the
//! server issued for that file's bytes.
//!
//! One test binary for the subject; each file is a module, so helpers of the same name stay apart.

#[path = "../support/mod.rs"]
mod support;

mod ledger;
mod matching;

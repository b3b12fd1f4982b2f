//! Faults and tries: what is retried and how often (counted at the server), the waits
//! between tries, Retry-After, stalls and timeouts, the fault table, and waiting for the
//! network without using up tries.
//!
//! One test binary for the subject; each file is a module, so helpers of the same name stay apart.

#[path = "../support/mod.rs"]
mod support;
#[path = "../window_support/mod.rs"]
mod window_support;

mod guarantees;
mod network_wait;
mod reliability;
mod retries;
mod waiting;

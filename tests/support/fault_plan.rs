//! Faults decided by the file a request carries and how often the server has seen that
//! file, not by the order requests arrive in: with [`StagingServer::plan_faults`], one
//! plan gives every file the same fate on every run, however the client's requests
//! interleave. The server keeps a log of every planned try (which file, its how-many-th
//! try, the request, the fault), the record a test checks "failed only after every try
//! met a fault" against.
//!
//! [`StagingServer::plan_faults`]: super::StagingServer::plan_faults

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use futures_util::StreamExt;

use super::faults::Fault;
use super::names::quoted_filename;

/// Decides the fault for the `try`-th request (from 1) carrying the file `name` (the name
/// of the request's first file, as sent).
pub type FaultPlan = dyn Fn(&str, u32) -> Fault + Send + Sync;

/// One request the plan decided.
#[derive(Debug, Clone)]
pub struct PlannedTry {
    /// The first file's name as sent.
    pub name: String,
    /// How many requests carried this file so far, this one included.
    pub attempt: u32,
    /// The request's index (in `requests()`; `LedgerEntry::request` names it too).
    pub request: usize,
    pub fault: Fault,
}

/// The plan in force, and what it decided so far.
#[derive(Default)]
pub(crate) struct Planned {
    plan: Mutex<Option<Arc<FaultPlan>>>,
    log: Mutex<Vec<PlannedTry>>,
}

impl Planned {
    pub(crate) fn set(&self, plan: Arc<FaultPlan>) {
        *self.plan.lock().unwrap() = Some(plan);
    }

    pub(crate) fn log(&self) -> Vec<PlannedTry> {
        self.log.lock().unwrap().clone()
    }

    pub(crate) fn clear(&self) {
        self.log.lock().unwrap().clear();
    }

    /// With a plan in force: reads the request's body up to its first part's headers,
    /// decides the fault from that file and how many times it came before, logs it, and
    /// gives back the request with its body whole. Without a plan: the request as it was.
    pub(crate) async fn decide(&self, request: usize, http: Request) -> (Request, Option<Fault>) {
        let Some(plan) = self.plan.lock().unwrap().clone() else {
            return (http, None);
        };
        let (http, name) = first_file_name(http).await;
        let Some(name) = name else {
            return (http, None);
        };
        let fault = {
            let mut log = self.log.lock().unwrap();
            let attempt = 1 + log.iter().filter(|t| t.name == name).count() as u32;
            let fault = plan(&name, attempt);
            log.push(PlannedTry {
                name,
                attempt,
                request,
                fault: fault.clone(),
            });
            fault
        };
        (http, Some(fault))
    }
}

/// The `filename` of the request's first part: the body is read until that part's headers
/// ended (or 64 KiB, or its end), then handed back in front of what is still unread.
async fn first_file_name(http: Request) -> (Request, Option<String>) {
    let (parts, body) = http.into_parts();
    let mut rest = body.into_data_stream();
    let mut read: Vec<Result<Bytes, axum::Error>> = Vec::new();
    let mut seen = Vec::new();
    let headers_end = |seen: &[u8]| seen.windows(4).position(|w| w == b"\r\n\r\n");
    while headers_end(&seen).is_none() && seen.len() < 64 * 1024 {
        match rest.next().await {
            Some(Ok(chunk)) => {
                seen.extend_from_slice(&chunk);
                read.push(Ok(chunk));
            }
            Some(Err(e)) => {
                read.push(Err(e));
                break;
            }
            None => break,
        }
    }
    let name = headers_end(&seen).and_then(|end| quoted_filename(&seen[..end]));
    let body = Body::from_stream(futures_util::stream::iter(read).chain(rest));
    (Request::from_parts(parts, body), name)
}

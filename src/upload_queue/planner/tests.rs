use super::*;

pub(super) fn limits() -> PlanLimits {
    PlanLimits {
        concurrency: 4,
        max_attempts: 4,
        backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(60),
        small_file_limit: 1000,
        batch_max_files: 3,
        batch_max_bytes: 2500,
        spread_max_files: 3,
        spread_max_bytes: 2500,
        network_backoff: Duration::from_secs(2),
        network_max_backoff: Duration::from_secs(20),
        network_wait: None,
    }
}

pub(super) fn file(id: UploadId, name: &str, size: u64) -> PendingFile {
    PendingFile {
        id,
        name: name.to_owned(),
        size,
    }
}

pub(super) fn id_for(file: UploadId) -> String {
    format!("00000000-0000-4000-8000-{file:012}")
}

fn answer_all(planner: &mut Planner, plan: &RequestPlan, now: Instant) -> Vec<Outcome> {
    let ids: Vec<String> = plan.files.iter().map(|&f| id_for(f)).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    planner.answered(plan.id, &refs, now)
}

#[test]
fn small_files_share_a_request_within_the_limits_and_large_ones_go_alone() {
    let mut planner = Planner::new(limits());
    planner.add([
        file(1, "a", 100),
        file(2, "b", 100),
        file(3, "c", 100),
        file(4, "d", 100),
        file(5, "big", 5000),
        file(6, "e", 100),
    ]);
    let now = Instant::now();
    let first = planner.next_request(now, 0).unwrap();
    assert_eq!(first.files, [1, 2, 3]);
    assert_eq!(planner.next_request(now, 1).unwrap().files, [4]);
    assert_eq!(planner.next_request(now, 2).unwrap().files, [5]);
    assert_eq!(planner.next_request(now, 3).unwrap().files, [6]);
    assert_eq!(
        planner.next_request(now, 4),
        None,
        "no room beyond the concurrency"
    );
}

#[test]
fn confusable_names_never_share_a_request_and_keep_their_place() {
    let mut planner = Planner::new(limits());
    planner.add([
        file(1, "\u{e9}.txt", 10),
        file(2, "e\u{301}.txt", 10),
        file(3, "x\".txt", 10),
        file(4, "x%22.txt", 10),
        file(5, "a\\b.txt", 10),
        file(6, "b.txt", 10),
    ]);
    let now = Instant::now();
    let mut plans = Vec::new();
    while let Some(plan) = planner.next_request(now, 0) {
        plans.push(plan.files);
    }
    assert_eq!(plans, [vec![1, 3, 5], vec![2, 4, 6]]);
}

#[test]
fn a_transient_failure_counts_a_try_and_waits_longer_each_time() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10)]);
    let mut now = Instant::now();
    let mut delays = Vec::new();
    let transient = FailureClass::Transient {
        retry_after: None,
        may_have_stored: false,
    };
    loop {
        let plan = planner.next_request(now, 0).unwrap();
        match planner.failed(plan.id, transient.clone(), now).as_slice() {
            [Outcome::Retrying { delay, .. }] => delays.push(*delay),
            [Outcome::Failed { id: 1 }] => break,
            other => panic!("{other:?}"),
        }
        assert_eq!(planner.next_request(now, 0), None, "not before its time");
        now = planner.next_wakeup().unwrap();
    }
    assert_eq!(delays, [1, 2, 4].map(Duration::from_secs));
    assert_eq!(planner.attempts(1), 4);
}

#[test]
fn retry_after_is_honoured_up_to_the_longest_wait() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    let outcomes = planner.failed(
        plan.id,
        FailureClass::Transient {
            retry_after: Some(Duration::from_secs(600)),
            may_have_stored: false,
        },
        now,
    );
    assert_eq!(
        outcomes,
        [Outcome::Retrying {
            id: 1,
            attempt: 1,
            delay: Duration::from_secs(60)
        }]
    );
}

#[test]
fn a_refused_shared_request_sends_each_file_alone_without_counting_a_try() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10), file(2, "b", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    let outcomes = planner.failed(plan.id, FailureClass::Refused, now);
    assert!(outcomes.iter().all(|o| matches!(
        o,
        Outcome::Requeued {
            reason: Requeue::SplitAfterRefusal,
            ..
        }
    )));
    assert_eq!(planner.next_request(now, 0).unwrap().files, [1]);
    let second = planner.next_request(now, 1).unwrap();
    assert_eq!(second.files, [2]);
    assert_eq!(planner.attempts(2), 0);
    // Alone, a refusal is final.
    assert_eq!(
        planner.failed(second.id, FailureClass::Refused, now),
        [Outcome::Failed { id: 2 }]
    );
}

#[test]
fn a_malformed_answer_is_not_applied_and_each_file_goes_alone_with_the_twice_note() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10), file(2, "b", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    // One ID for both files.
    let same = id_for(1);
    let outcomes = planner.answered(plan.id, &[&same, &same], now);
    assert!(
        outcomes.iter().all(|o| matches!(
            o,
            Outcome::Requeued {
                reason: Requeue::SplitAfterMalformedAnswer,
                ..
            }
        )),
        "{outcomes:?}"
    );
    let first = planner.next_request(now, 0).unwrap();
    let second = planner.next_request(now, 1).unwrap();
    assert_eq!(
        (first.files.as_slice(), second.files.as_slice()),
        (&[1][..], &[2][..])
    );
    assert_eq!(
        answer_all(&mut planner, &first, now),
        [Outcome::Staged {
            id: 1,
            answer: 0,
            maybe_stored: true
        }]
    );
    // An ID already given to file 1 is not given to file 2.
    let outcomes = planner.answered(second.id, &[&id_for(1)], now);
    assert_eq!(outcomes, [Outcome::Failed { id: 2 }]);
}

#[test]
fn a_file_fault_fails_that_file_and_the_others_go_again() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10), file(2, "b", 10), file(3, "c", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    let outcomes = planner.failed(plan.id, FailureClass::FileFault(2), now);
    assert_eq!(
        outcomes,
        [
            Outcome::Requeued {
                id: 1,
                reason: Requeue::SharedWithFaulty(2)
            },
            Outcome::Failed { id: 2 },
            Outcome::Requeued {
                id: 3,
                reason: Requeue::SharedWithFaulty(2)
            },
        ]
    );
    assert_eq!(planner.next_request(now, 0).unwrap().files, [1, 3]);
}

#[test]
fn an_unreachable_server_is_waited_for_without_using_tries() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10), file(2, "b", 10)]);
    let mut now = Instant::now();
    let mut looks = Vec::new();
    for _ in 0..8 {
        let plan = planner.next_request(now, 0).unwrap();
        assert_eq!(plan.files, [1, 2]);
        let outcomes = planner.failed(plan.id, FailureClass::Unreachable, now);
        let Some(Outcome::NetworkDown { retry_in }) = outcomes.last() else {
            panic!("{outcomes:?}")
        };
        looks.push(retry_in.as_secs());
        assert_eq!(planner.next_request(now, 0), None);
        now = planner.next_wakeup().unwrap();
    }
    assert_eq!(looks, [2, 4, 8, 16, 20, 20, 20, 20]);
    assert_eq!(planner.attempts(1), 0);
    let plan = planner.next_request(now, 0).unwrap();
    let outcomes = answer_all(&mut planner, &plan, now);
    assert_eq!(outcomes[0], Outcome::NetworkBack);
    assert_eq!(outcomes.len(), 3);
}

#[test]
fn retry_now_looks_for_the_network_at_once() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    planner.failed(plan.id, FailureClass::Unreachable, now);
    assert_eq!(planner.next_request(now, 0), None);
    planner.retry_now(now);
    assert_eq!(planner.next_request(now, 0).unwrap().files, [1]);
}

#[test]
fn while_the_network_is_down_one_request_looks_and_the_rest_wait() {
    let mut planner = Planner::new(limits());
    planner.add((1..=4).map(|i| file(i, &format!("f{i}"), 900)));
    let now = Instant::now();
    let first = planner.next_request(now, 0).unwrap();
    let second = planner.next_request(now, 1).unwrap();
    planner.failed(first.id, FailureClass::Unreachable, now);
    // The other request that was already out fails the same way: the look stays at 2 s.
    let outcomes = planner.failed(second.id, FailureClass::Unreachable, now);
    assert!(
        !outcomes
            .iter()
            .any(|o| matches!(o, Outcome::NetworkDown { .. }))
    );
    let later = now + Duration::from_secs(2);
    assert_eq!(planner.next_wakeup(), Some(later));
    let probe = planner.next_request(later, 0).unwrap();
    assert_eq!(planner.next_request(later, 1), None, "one look at a time");
    assert_eq!(
        planner.next_wakeup(),
        None,
        "no time set for a look while one is out"
    );
    answer_all(&mut planner, &probe, later);
    assert!(planner.next_request(later, 0).is_some());
}

#[test]
fn waiting_for_the_network_ends_after_the_bound_with_every_waiting_file_failed() {
    let mut planner = Planner::new(PlanLimits {
        network_wait: Some(Duration::from_secs(5)),
        ..limits()
    });
    planner.add([file(1, "a", 900), file(2, "b", 900), file(3, "c", 900)]);
    let mut now = Instant::now();
    let mut failed = Vec::new();
    for _ in 0..10 {
        let Some(plan) = planner.next_request(now, 0) else {
            break;
        };
        for outcome in planner.failed(plan.id, FailureClass::Unreachable, now) {
            if let Outcome::Failed { id } = outcome {
                failed.push(id);
            }
        }
        match planner.next_wakeup() {
            Some(at) => now = at,
            None => break,
        }
    }
    failed.sort_unstable();
    assert_eq!(failed, [1, 2, 3]);
}

#[test]
fn with_no_wait_an_unreachable_server_counts_as_a_failed_try() {
    let mut planner = Planner::new(PlanLimits {
        network_wait: Some(Duration::ZERO),
        ..limits()
    });
    planner.add([file(1, "a", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    let outcomes = planner.failed(plan.id, FailureClass::Unreachable, now);
    assert!(matches!(
        outcomes[..],
        [Outcome::Retrying { attempt: 1, .. }]
    ));
}

#[test]
fn cancelling_a_waiting_file_ends_it_and_a_sending_one_waits_for_its_request() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10), file(2, "b", 10), file(3, "big", 5000)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    assert_eq!(planner.cancel(3), CancelResult::Cancelled);
    assert_eq!(planner.cancel(1), CancelResult::InFlight);
    let outcomes = planner.interrupted(plan.id, &[1]);
    assert_eq!(
        outcomes,
        [
            Outcome::Requeued {
                id: 2,
                reason: Requeue::SharedWithCancelled
            },
            Outcome::Cancelled { id: 1 },
        ]
    );
    assert_eq!(planner.next_request(now, 0).unwrap().files, [2]);
    assert_eq!(
        planner.next_request(now, 1),
        None,
        "the cancelled file stays out"
    );
    // A retry brings a cancelled file back, alone.
    planner.add([file(1, "a", 10)]);
    assert_eq!(planner.next_request(now, 1).unwrap().files, [1]);
}

#[test]
fn a_staged_file_is_not_added_again() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    answer_all(&mut planner, &plan, now);
    planner.add([file(1, "a", 10)]);
    assert_eq!(planner.next_request(now, 0), None);
}

#[test]
fn many_small_files_spread_over_the_connections_after_a_small_first_request() {
    let mut planner = Planner::new(PlanLimits {
        spread_max_files: 100,
        spread_max_bytes: 1_000_000,
        ..limits()
    });
    planner.add((1..=41).map(|i| file(i, &format!("scan-{i}.pdf"), 10)));
    let now = Instant::now();
    let sizes: Vec<usize> = (0..)
        .map_while(|in_flight| planner.next_request(now, in_flight))
        .map(|plan| plan.files.len())
        .collect();
    // 3 first (the usual limit), then the 38 left over the three connections still free:
    // every file is out in one round.
    assert_eq!(sizes, [3, 13, 13, 12]);
}

#[test]
fn the_wait_for_the_network_ends_when_every_waiting_file_is_cancelled() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10), file(2, "b", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    planner.failed(plan.id, FailureClass::Unreachable, now);
    assert_eq!(planner.cancel(1), CancelResult::Cancelled);
    assert_eq!(planner.settle(), None, "b still waits");
    assert_eq!(planner.cancel(2), CancelResult::Cancelled);
    assert_eq!(planner.settle(), Some(Outcome::NetworkWaitOver));
    assert_eq!(planner.next_wakeup(), None);
    // A file added later goes at once.
    planner.add([file(3, "c", 10)]);
    assert!(planner.next_request(now, 0).is_some());
}

#[test]
fn with_the_default_limits_ten_thousand_small_files_go_in_one_round_trip() {
    // The bench's case: 10,000 files of 2 KiB, 4 connections. The first request stays
    // small (its IDs come early); the other three carry the rest between them.
    let mut planner = Planner::new(PlanLimits::default());
    planner.add((1..=10_000).map(|i| file(i, &format!("note-{i:05}.txt"), 2048)));
    let now = Instant::now();
    let mut sizes = Vec::new();
    while let Some(plan) = planner.next_request(now, sizes.len()) {
        sizes.push(plan.files.len());
    }
    assert_eq!(sizes.len(), 4, "{sizes:?}");
    assert_eq!(sizes[0], 32);
    assert_eq!(sizes.iter().sum::<usize>(), 10_000, "{sizes:?}");
    assert!(sizes[1..].iter().all(|&n| n <= 4096), "{sizes:?}");
}

#[test]
fn what_fits_one_usual_request_is_not_spread_thinly_over_the_connections() {
    // Spreading is for more than the connections carry at the usual limits. A few files
    // after the first request go together, held to the usual byte bound, not split one or
    // two per connection with the spread's larger byte bound.
    let mut planner = Planner::new(PlanLimits {
        batch_max_files: 10,
        batch_max_bytes: 2500,
        spread_max_files: 100,
        spread_max_bytes: 1_000_000,
        ..limits()
    });
    planner.add((1..=2).map(|i| file(i, &format!("first-{i}.pdf"), 10)));
    planner.add((3..=14).map(|i| file(i, &format!("scan-{i}.pdf"), 300)));
    let now = Instant::now();
    let first = planner.next_request(now, 0).unwrap();
    assert_eq!(first.files.len(), 10, "the first request: the usual limit");
    // 4 files wait, 3 connections are free: one request of all 4 (1,200 bytes).
    let second = planner.next_request(now, 1).unwrap();
    assert_eq!(second.files, [11, 12, 13, 14]);
}

#[test]
fn a_run_of_one_name_does_not_keep_other_files_out_of_a_shared_request() {
    // Files of one name (from different folders) may not share a request; the planner
    // looks past up to four requests' worth of them (40 here) for others that may.
    let mut planner = Planner::new(PlanLimits {
        batch_max_files: 10,
        batch_max_bytes: 1_000_000,
        ..limits()
    });
    planner.add((1..=40).map(|i| file(i, "scan.pdf", 10)));
    planner.add([file(42, "other.pdf", 10)]);
    let now = Instant::now();
    let first = planner.next_request(now, 0).unwrap();
    assert_eq!(first.files, [1, 42]);
    // The skipped files kept their place: the next request starts with the second.
    assert_eq!(planner.next_request(now, 1).unwrap().files, [2]);
}

#[test]
fn a_shared_request_holds_up_to_its_byte_bound_and_not_a_byte_more() {
    let now = Instant::now();
    // 1,000 + 1,000 + 500 is exactly the bound (2,500): the three go together.
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 1000), file(2, "b", 1000), file(3, "c", 500)]);
    assert_eq!(planner.next_request(now, 0).unwrap().files, [1, 2, 3]);
    // A third file of 1,000 would pass it: it waits for the next request.
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 1000), file(2, "b", 1000), file(3, "c", 1000)]);
    assert_eq!(planner.next_request(now, 0).unwrap().files, [1, 2]);
    assert_eq!(planner.next_request(now, 1).unwrap().files, [3]);
}

#[test]
fn a_file_fault_naming_no_file_of_the_request_fails_its_files_instead_of_sending_them_round_again()
{
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10), file(2, "b", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    let outcomes = planner.failed(plan.id, FailureClass::FileFault(99), now);
    assert_eq!(
        outcomes,
        [Outcome::Failed { id: 1 }, Outcome::Failed { id: 2 }]
    );
    assert_eq!(planner.next_request(now, 0), None);
}

#[test]
fn after_a_shared_request_failed_for_a_while_each_file_goes_alone_and_says_it_may_be_there_twice() {
    let mut planner = Planner::new(limits());
    planner.add([file(1, "a", 10), file(2, "b", 10)]);
    let now = Instant::now();
    let plan = planner.next_request(now, 0).unwrap();
    assert_eq!(plan.files, [1, 2]);
    // The body went out and the server then failed: it may have kept the files.
    let outcomes = planner.failed(
        plan.id,
        FailureClass::Transient {
            retry_after: None,
            may_have_stored: true,
        },
        now,
    );
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    let later = planner.next_wakeup().unwrap();
    let alone = planner.next_request(later, 0).unwrap();
    assert_eq!(
        alone.files,
        [1],
        "a file of a failed shared request goes alone"
    );
    assert_eq!(
        answer_all(&mut planner, &alone, later),
        [Outcome::Staged {
            id: 1,
            answer: 0,
            maybe_stored: true
        }]
    );
    assert_eq!(planner.next_request(later, 0).unwrap().files, [2]);
}

#[test]
fn files_wait_for_the_network_the_whole_bound_and_fail_only_then() {
    let mut planner = Planner::new(PlanLimits {
        network_wait: Some(Duration::from_secs(5)),
        ..limits()
    });
    planner.add([file(1, "a", 10)]);
    let start = Instant::now();
    let mut now = start;
    let mut looks = Vec::new();
    loop {
        let plan = planner.next_request(now, 0).unwrap();
        let outcomes = planner.failed(plan.id, FailureClass::Unreachable, now);
        looks.push((now - start).as_secs());
        if outcomes.contains(&Outcome::Failed { id: 1 }) {
            break;
        }
        now = planner.next_wakeup().unwrap();
    }
    // Looks at 0, 2 and 6 s would pass the bound: the last look is at 5 s, and only
    // that one fails the file.
    assert_eq!(looks, [0, 2, 5]);
}

#[test]
fn the_wait_for_the_network_goes_on_while_a_request_is_still_out() {
    let mut planner = Planner::new(limits());
    planner.add((1..=4).map(|i| file(i, &format!("f{i}"), 900)));
    let now = Instant::now();
    let first = planner.next_request(now, 0).unwrap();
    let _second = planner.next_request(now, 1).unwrap();
    planner.failed(first.id, FailureClass::Unreachable, now);
    for id in first.files {
        assert_eq!(planner.cancel(id), CancelResult::Cancelled);
    }
    // Nothing waits in the queue, but the second request has not come back: its files
    // may still need the network.
    assert_eq!(planner.settle(), None);
}

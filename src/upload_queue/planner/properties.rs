//! The planner's promises, as properties: whatever a server does, in any order.

use std::collections::{HashMap, VecDeque};

use proptest::prelude::*;

use super::tests::{file, id_for, limits};
use super::*;

/// One step of the world the planner lives in.
#[derive(Debug, Clone)]
enum Step {
    /// Send what the planner plans.
    Plan,
    /// The oldest request in flight ends so.
    Answer,
    AnswerOneIdTwice,
    AnswerWithAnIdAlreadyGiven,
    Fail(FailureClass),
    FailOneFile,
    Cancel(usize),
    RetryNow,
    /// Time passes to the planner's next wakeup.
    Wait,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => Just(Step::Plan),
        3 => Just(Step::Answer),
        1 => Just(Step::AnswerOneIdTwice),
        1 => Just(Step::AnswerWithAnIdAlreadyGiven),
        2 => Just(Step::Fail(FailureClass::Unreachable)),
        2 => any::<(bool, Option<u8>)>().prop_map(|(may_have_stored, after)| Step::Fail(
            FailureClass::Transient {
                retry_after: after.map(|s| Duration::from_secs(u64::from(s))),
                may_have_stored,
            }
        )),
        1 => Just(Step::Fail(FailureClass::Refused)),
        1 => Just(Step::Fail(FailureClass::Malformed)),
        1 => Just(Step::Fail(FailureClass::Final)),
        1 => Just(Step::FailOneFile),
        1 => (0usize..40).prop_map(Step::Cancel),
        1 => Just(Step::RetryNow),
        3 => Just(Step::Wait),
    ]
}

fn names() -> impl Strategy<Value = Vec<(String, u64)>> {
    prop::collection::vec(
        (
            prop::sample::select(vec![
                "a.txt",
                "b.txt",
                "\u{e9}.txt",
                "e\u{301}.txt",
                "x\".txt",
                "x%22.txt",
                "a\\b.txt",
                "c.pdf",
                "d.pdf",
                "e.pdf",
            ]),
            prop::sample::select(vec![10u64, 400, 900, 3000]),
        )
            .prop_map(|(n, s)| (n.to_owned(), s)),
        1..30,
    )
}

/// A server that mostly fails: files reach their last try.
fn hostile_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Plan),
        3 => Just(Step::Wait),
        4 => any::<bool>().prop_map(|may_have_stored| Step::Fail(FailureClass::Transient {
            retry_after: None,
            may_have_stored,
        })),
        2 => Just(Step::Fail(FailureClass::Unreachable)),
        1 => Just(Step::Fail(FailureClass::Malformed)),
        1 => Just(Step::AnswerOneIdTwice),
        1 => Just(Step::Answer),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_planner_keeps_its_promises(
        files in names(),
        steps in prop::collection::vec(step(), 0..120),
        network_wait in prop::option::of(0u64..40),
    ) {
        keeps_its_promises(files, steps, network_wait)?;
    }

    #[test]
    fn the_planner_keeps_its_promises_against_a_hostile_server(
        files in names(),
        steps in prop::collection::vec(hostile_step(), 0..200),
        network_wait in prop::option::of(0u64..40),
    ) {
        keeps_its_promises(files, steps, network_wait)?;
    }
}

/// Runs `steps`, then answers everything, checking the planner's promises all along.
fn keeps_its_promises(
    files: Vec<(String, u64)>,
    steps: Vec<Step>,
    network_wait: Option<u64>,
) -> Result<(), TestCaseError> {
    {
        let limits = PlanLimits {
            network_wait: network_wait.map(Duration::from_secs),
            // Requests grow when much waits.
            spread_max_files: 8,
            spread_max_bytes: 6000,
            ..limits()
        };
        let max_attempts = limits.max_attempts;
        let mut planner = Planner::new(limits);
        let names: HashMap<UploadId, String> = files
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (i as UploadId + 1, n.clone()))
            .collect();
        planner.add(
            files
                .iter()
                .enumerate()
                .map(|(i, (n, s))| file(i as UploadId + 1, n, *s)),
        );
        let mut now = Instant::now();
        let mut in_flight: VecDeque<RequestPlan> = VecDeque::new();
        let mut staged: HashMap<UploadId, String> = HashMap::new();
        let mut attempts_before: HashMap<UploadId, u32> = HashMap::new();
        let mut next_issued = 1_000u64;
        let check = |outcomes: &[Outcome],
                     staged: &mut HashMap<UploadId, String>,
                     ids: &[String],
                     plan: &RequestPlan|
         -> Result<(), TestCaseError> {
            for outcome in outcomes {
                if let Outcome::Staged { id, answer, .. } = outcome {
                    let given = ids[*answer].clone();
                    prop_assert_eq!(plan.files[*answer], *id);
                    prop_assert!(
                        !staged.values().any(|g| *g == given),
                        "one ID for two files"
                    );
                    prop_assert!(staged.insert(*id, given).is_none(), "staged twice");
                }
            }
            Ok(())
        };
        let run = |planner: &mut Planner,
                   step: Step,
                   now: &mut Instant,
                   in_flight: &mut VecDeque<RequestPlan>,
                   staged: &mut HashMap<UploadId, String>,
                   attempts_before: &mut HashMap<UploadId, u32>,
                   next_issued: &mut u64|
         -> Result<(), TestCaseError> {
            match step {
                Step::Plan => {
                    while let Some(plan) = planner.next_request(*now, in_flight.len()) {
                        for id in &plan.files {
                            prop_assert!(
                                !staged.contains_key(id),
                                "a confirmed file was planned again"
                            );
                            attempts_before.insert(*id, planner.attempts(*id));
                        }
                        for (i, a) in plan.files.iter().enumerate() {
                            for b in &plan.files[i + 1..] {
                                prop_assert!(
                                    !crate::api::confusable_names(&names[a], &names[b]),
                                    "confusable names in one request"
                                );
                            }
                        }
                        in_flight.push_back(plan);
                    }
                }
                Step::Answer | Step::AnswerOneIdTwice | Step::AnswerWithAnIdAlreadyGiven => {
                    if let Some(plan) = in_flight.pop_front() {
                        let mut ids: Vec<String> = plan
                            .files
                            .iter()
                            .map(|_| {
                                *next_issued += 1;
                                id_for(*next_issued)
                            })
                            .collect();
                        let bad = match step {
                            Step::AnswerOneIdTwice if ids.len() > 1 => {
                                ids[1] = ids[0].clone();
                                true
                            }
                            Step::AnswerWithAnIdAlreadyGiven => match staged.values().next() {
                                Some(old) => {
                                    ids[0] = old.clone();
                                    true
                                }
                                None => false,
                            },
                            _ => false,
                        };
                        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                        let outcomes = planner.answered(plan.id, &refs, *now);
                        if bad {
                            prop_assert!(
                                !outcomes.iter().any(|o| matches!(o, Outcome::Staged { .. })),
                                "a bad answer was applied"
                            );
                        }
                        check(&outcomes, staged, &ids, &plan)?;
                    }
                }
                Step::Fail(class) => {
                    if let Some(plan) = in_flight.pop_front() {
                        let unreachable = class == FailureClass::Unreachable
                            && planner.limits.network_wait != Some(Duration::ZERO);
                        planner.failed(plan.id, class, *now);
                        for id in &plan.files {
                            let before = attempts_before[id];
                            let after = planner.attempts(*id);
                            if unreachable {
                                prop_assert_eq!(before, after, "an unreachable server used a try");
                            }
                        }
                    }
                }
                Step::FailOneFile => {
                    if let Some(plan) = in_flight.pop_front() {
                        let culprit = plan.files[plan.files.len() / 2];
                        planner.failed(plan.id, FailureClass::FileFault(culprit), *now);
                    }
                }
                Step::Cancel(index) => {
                    let id = (index % names.len()) as UploadId + 1;
                    if planner.cancel(id) == CancelResult::InFlight
                        && let Some(pos) = in_flight.iter().position(|p| p.files.contains(&id))
                        && let Some(plan) = in_flight.remove(pos)
                    {
                        planner.interrupted(plan.id, &[id]);
                    }
                }
                Step::RetryNow => planner.retry_now(*now),
                Step::Wait => {
                    if let Some(at) = planner.next_wakeup() {
                        *now = (*now).max(at);
                    }
                }
            }
            for id in names.keys() {
                prop_assert!(
                    planner.attempts(*id) <= max_attempts,
                    "more tries than allowed"
                );
            }
            Ok(())
        };
        for step in steps {
            run(
                &mut planner,
                step,
                &mut now,
                &mut in_flight,
                &mut staged,
                &mut attempts_before,
                &mut next_issued,
            )?;
        }
        // Then the server answers everything: every file ends staged, failed or cancelled.
        for _ in 0..10_000 {
            run(
                &mut planner,
                Step::Plan,
                &mut now,
                &mut in_flight,
                &mut staged,
                &mut attempts_before,
                &mut next_issued,
            )?;
            if in_flight.is_empty() {
                match planner.next_wakeup() {
                    Some(at) => now = now.max(at),
                    None => break,
                }
            }
            run(
                &mut planner,
                Step::Answer,
                &mut now,
                &mut in_flight,
                &mut staged,
                &mut attempts_before,
                &mut next_issued,
            )?;
        }
        for id in names.keys() {
            let state = planner.state(*id);
            prop_assert!(
                matches!(
                    state,
                    Some(FileState::Staged | FileState::Failed | FileState::Cancelled)
                ),
                "file {} ended {:?}",
                id,
                state
            );
            prop_assert_eq!(state == Some(FileState::Staged), staged.contains_key(id));
        }
    }
    Ok(())
}

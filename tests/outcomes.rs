//! Commands whose answer is lost: settled by Blink's state, never reported as failed when
//! they were applied nor as done when they were not, with exit code 6 when still unknown; and
//! commands from several processes sharing a session, which wait their turn.

mod common;

use std::time::Duration;

use blinktui::api::{ApiError, BlinkClient, Expected, Settled};
use blinktui::sim::demo::{CABIN_NETWORK, HOME_NETWORK};
use blinktui::sim::{Fault, SimConfig};
use common::cli::{Cli, assert_exit, network_armed, stderr, stdout};
use common::{quiet_config, start};

const ARM: &str = "/api/v1/accounts/*/networks/*/state/arm";
const COMMAND_POLL: &str = "/network/*/command/*";

#[tokio::test]
async fn an_arm_whose_answer_was_lost_is_confirmed_from_blinks_state() {
    let cli = Cli::logged_in(quiet_config()).await;
    cli.h.sim.faults().inject(Some("POST"), ARM, Fault::AnswerLost, Some(1));
    let output = cli.run(&["arm", "Cabin"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Cabin armed");
    assert_eq!(cli.h.count("POST", ARM), 1, "never sent twice");
    assert!(network_armed(&cli, CABIN_NETWORK));
}

#[tokio::test]
async fn an_arm_blink_may_not_have_applied_exits_6_and_says_so() {
    let cli = Cli::logged_in(quiet_config()).await;
    // The connection drops before Blink handles the request: nothing was applied.
    cli.h.sim.faults().inject(Some("POST"), ARM, Fault::DropConnection, Some(1));
    let output = cli.run(&["arm", "Cabin"]).await;
    assert_exit(&output, 6);
    let err = stderr(&output);
    assert!(err.contains("may or may not have been applied"), "{err}");
    assert!(err.contains("does not show it applied"), "{err}");
    assert_eq!(cli.h.count("POST", ARM), 1, "not retried blindly");
    assert!(!network_armed(&cli, CABIN_NETWORK));
}

#[tokio::test]
async fn a_truncated_poll_answer_leaves_the_outcome_open_not_failed() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let started = client.arm(CABIN_NETWORK).await.expect("accepted");
    h.sim.faults().inject(Some("GET"), COMMAND_POLL, Fault::MalformedJson, None);
    let err = client.wait_for_command(started.command().expect("a command"), |_| {}).await.expect_err("lost");
    assert!(matches!(err, ApiError::OutcomeUnknown { .. }), "{err:?}");
    assert!(err.is_outcome_unknown());
    h.sim.faults().clear();
    // Blink carried on meanwhile: the state shows it.
    let expected = Expected::Armed { network: CABIN_NETWORK, armed: true };
    assert_eq!(client.settle(expected).await.expect("homescreen"), Settled::Applied);
    let settled = client.settled(Err::<(), _>(err), expected, ()).await;
    assert!(settled.is_ok(), "{settled:?}");
}

#[tokio::test]
async fn a_refusal_is_a_failure_not_an_unknown_outcome() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    h.sim.faults().inject(Some("POST"), ARM, Fault::Status(409), Some(1));
    let err = client.arm(CABIN_NETWORK).await.expect_err("refused");
    assert!(matches!(err, ApiError::CommandFailed { .. }), "{err:?}");
    assert!(!err.is_outcome_unknown());
}

#[tokio::test]
async fn two_arms_at_once_send_one_command() {
    let cli = Cli::logged_in(SimConfig { command_delay: Duration::from_millis(800), ..quiet_config() }).await;
    let (first, second) = tokio::join!(cli.run(&["arm", "Cabin"]), cli.run(&["arm", "Cabin"]));
    assert_exit(&first, 0);
    assert_exit(&second, 0);
    let mut said = [stdout(&first).trim().to_owned(), stdout(&second).trim().to_owned()];
    said.sort();
    assert_eq!(said, ["Cabin armed", "Cabin is already armed"]);
    assert_eq!(cli.h.count("POST", ARM), 1, "the second waited and found it armed");
}

#[tokio::test]
async fn command_spacing_holds_across_clients_sharing_a_session() {
    let h = start(quiet_config()).await;
    let first = h.login().await;
    let mut options = h.options.clone();
    options.command_spacing = Duration::from_millis(700);
    let session = first.session().await;
    let spaced =
        || BlinkClient::new(options.clone(), session.clone(), Some(h.store.clone())).expect("client");
    // Two clients, as two processes would have: each has its own in-process pacing.
    let (a, b) = (spaced(), spaced());
    let (armed, disarmed) = tokio::join!(a.arm(CABIN_NETWORK), b.disarm(HOME_NETWORK));
    armed.expect("arm");
    disarmed.expect("disarm");
    let posts: Vec<_> = h
        .sim
        .faults()
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.contains("/state/"))
        .collect();
    assert_eq!(posts.len(), 2);
    let apart = posts[1].at.duration_since(posts[0].at);
    assert!(apart >= Duration::from_millis(650), "sent {apart:?} apart");
}

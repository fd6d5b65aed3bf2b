//! `blinktui local list|download|delete` as a real process against the simulated USB stick.

mod common;

use blinktui::sim::demo::HOME_NETWORK;
use common::cli::{Cli, assert_exit, stderr, stdout};
use common::quiet_config;

const DRIVEWAY: u64 = 400102;

fn stick_ids(cli: &Cli) -> Vec<u64> {
    cli.world(|w| w.usb[&HOME_NETWORK].clips.iter().map(|c| c.id).collect())
}

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn list_prints_one_clip_a_line_and_json_for_scripts() {
    let cli = Cli::logged_in(quiet_config()).await;
    // A hostile name on a camera must not reach the terminal as an escape sequence.
    cli.world(|w| {
        w.device_mut(DRIVEWAY).expect("driveway").device.name = "Drive\u{1b}]0;pwned\u{7}way".into()
    });
    let output = cli.run(&["local", "list", "home"]).await;
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["ID", "CAMERA", "TIME", "SIZE"]);
    let ids = stick_ids(&cli);
    assert_eq!(lines.len(), ids.len() + 1, "{text}");
    for id in &ids {
        assert!(lines.iter().any(|line| line.starts_with(&id.to_string())), "{id} in {text}");
    }
    assert!(text.contains("Front Door"), "the manifest's FrontDoor is shown by its name: {text}");

    let json = cli.run(&["local", "list", "Home", "--json"]).await;
    assert_exit(&json, 0);
    let clips: Vec<serde_json::Value> = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(clips.len(), ids.len());
    let door = clips.iter().find(|c| c["camera"] == "Front Door").expect("a Front Door clip");
    assert_eq!(door["camera_id"], 400101);
    assert_eq!(door["network_id"], HOME_NETWORK);
    assert!(door["size"].as_u64().is_some_and(|size| size > 1000));
}

#[tokio::test]
async fn a_network_without_a_stick_is_a_clear_failure() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["local", "list", "Cabin"]).await;
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("Cabin has no USB storage"), "{}", stderr(&output));
}

#[tokio::test]
async fn download_writes_every_clip_atomically_and_skips_what_is_there() {
    let cli = Cli::logged_in(quiet_config()).await;
    let dir = cli.h.dir.path().join("usb");
    let recent = cli.run(&["local", "download", "Home", "--since", "110h", "-o", "usb"]).await;
    assert_exit(&recent, 0);
    let first = files(&dir);
    assert_eq!(first.len(), 2, "the demo stick has two clips from the last 110 h: {first:?}");

    let output = cli.run(&["local", "download", "Home", "-o", "usb"]).await;
    assert_exit(&output, 0);
    let all = files(&dir);
    assert_eq!(all.len(), stick_ids(&cli).len(), "{all:?}");
    assert!(
        stdout(&output).starts_with(&format!("{} downloaded, 2 already there", all.len() - 2)),
        "{}",
        stdout(&output)
    );
    for name in &all {
        assert!(name.ends_with(".mp4") && name.contains("_usb") && !name.starts_with('.'), "{name}");
        assert_eq!(&std::fs::read(dir.join(name)).expect("clip")[4..8], b"ftyp");
    }
    assert_eq!(
        cli.h.count("POST", "*/local_storage/manifest/*/clip/request/*"),
        all.len(),
        "one upload per clip"
    );

    let again = cli.run(&["local", "download", "Home", "-o", "usb"]).await;
    assert_exit(&again, 0);
    assert!(
        stdout(&again).starts_with(&format!("0 downloaded, {} already there", all.len())),
        "{}",
        stdout(&again)
    );
    assert_eq!(files(&dir), all);
}

#[tokio::test]
async fn delete_is_refused_read_only_checks_ids_and_removes_from_the_stick() {
    let cli = Cli::logged_in(quiet_config()).await;
    let ids = stick_ids(&cli);
    let target = ids[0].to_string();
    let refused = cli.run(&["--read-only", "local", "delete", "Home", &target]).await;
    assert_exit(&refused, 2);
    assert!(stderr(&refused).contains("--read-only"), "{}", stderr(&refused));
    assert_eq!(stick_ids(&cli), ids, "nothing deleted");

    let unknown = cli.run(&["local", "delete", "Home", &target, "12345"]).await;
    assert_exit(&unknown, 2);
    assert!(stderr(&unknown).contains("12345"), "{}", stderr(&unknown));
    assert_eq!(stick_ids(&cli), ids, "nothing deleted when one id is wrong");

    let output = cli.run(&["local", "delete", "Home", &target]).await;
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("Deleted 1 clip"), "{}", stdout(&output));
    assert!(!stick_ids(&cli).contains(&ids[0]));
    assert_eq!(stick_ids(&cli).len(), ids.len() - 1);
}

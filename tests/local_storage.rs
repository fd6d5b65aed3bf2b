//! The USB stick of a sync module, end to end against the simulator: manifest request and its
//! polls, name mapping, "Media not found" before the upload, upload, download, delete, and
//! faults on the way.

mod common;

use blinktui::api::models::MediaItem;
use blinktui::api::{ApiError, LocalStorage, MemorySink};
use blinktui::files::{ClipError, already_saved};
use blinktui::local_clips::{LocalClipRef, download_local_clip, local_clip_path};
use blinktui::sim::Fault;
use blinktui::sim::demo::{CABIN_NETWORK, HOME_NETWORK};
use blinktui::sim::usb::MANIFEST_POLLS;
use common::{quiet_config, start};

const FRONT_DOOR: u64 = 400101;
const USB: &str = "/api/v1/accounts/*/networks/*/sync_modules/*/local_storage";

#[tokio::test]
async fn the_manifest_takes_several_polls_and_maps_names_back_to_cameras() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let listed = client.local_storage_clips(HOME_NETWORK).await.expect("manifest");
    assert_eq!(h.count("POST", &format!("{USB}/manifest/request")), 1);
    let polls = h.count("GET", &format!("{USB}/manifest/request/*"));
    assert!(polls > MANIFEST_POLLS as usize, "not ready for {MANIFEST_POLLS} polls, then built: {polls}");
    let on_stick = h.sim.with_world(|w| w.usb[&HOME_NETWORK].clips.len());
    assert_eq!(listed.clips.len(), on_stick);
    assert!(listed.clips.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    let door = listed.clips.iter().find(|c| c.camera_id == Some(FRONT_DOOR)).expect("a Front Door clip");
    assert_eq!(door.camera, "Front Door", "FrontDoor in the manifest is the Front Door camera");
    assert!(door.size > 1000, "the size the manifest gives: {}", door.size);
    let err = client.local_storage_clips(CABIN_NETWORK).await.expect_err("Cabin has no stick");
    assert!(err.to_string().contains("local storage"), "{err}");
}

#[tokio::test]
async fn a_clip_is_not_found_until_uploaded_then_downloads_and_deletes() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let listed = client.local_storage_clips(HOME_NETWORK).await.expect("manifest");
    let clip = listed.clips[0].clone();
    let mut sink = MemorySink::default();
    let before =
        client.download_local_clip_into(listed.storage, &listed.manifest_id, clip.id, &mut sink).await;
    assert!(matches!(&before, Err(ApiError::NotFound(m)) if m == "Media not found"), "{before:?}");

    let dir = tempfile::tempdir().expect("tempdir");
    let path = local_clip_path(dir.path(), "Home", &clip);
    let wanted =
        LocalClipRef { storage: listed.storage, manifest_id: listed.manifest_id.clone(), clip: clip.clone() };
    let mut stages = Vec::new();
    download_local_clip(&client, &wanted, &path, &|_| {}, |status| {
        stages.extend(status.stage().map(str::to_owned))
    })
    .await
    .expect("uploaded and downloaded");
    assert!(already_saved(&path));
    let bytes = std::fs::read(&path).expect("clip");
    assert_eq!(&bytes[4..8], b"ftyp");
    assert_eq!(bytes.len() as u64, clip.size, "the manifest's size is the clip's");
    assert!(!stages.is_empty(), "the upload command was followed");
    assert_eq!(h.count("POST", &format!("{USB}/manifest/*/clip/request/*")), 1);

    client.delete_local_clip(listed.storage, &listed.manifest_id, clip.id).await.expect("deleted");
    let after = client.local_storage_clips(HOME_NETWORK).await.expect("manifest again");
    assert!(after.clip(clip.id).is_none(), "gone from the stick");
    assert_ne!(after.manifest_id, listed.manifest_id, "a rebuilt manifest has a new id");
    let stale = client.request_local_clip(after.storage, &listed.manifest_id, after.clips[0].id).await;
    assert!(stale.is_err(), "the old manifest id is no longer accepted");
}

#[tokio::test]
async fn faults_on_the_way_are_retried_or_reported() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    // A 503 while polling the manifest is retried like any GET.
    h.sim.faults().inject(Some("GET"), &format!("{USB}/manifest/request/*"), Fault::Status(503), Some(1));
    let listed = client.local_storage_clips(HOME_NETWORK).await.expect("manifest despite one 503");
    // A broken upload request is a POST: reported, never sent twice.
    h.sim.faults().inject(
        Some("POST"),
        &format!("{USB}/manifest/*/clip/request/*"),
        Fault::Status(500),
        Some(1),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = listed.clips[1].clone();
    let path = local_clip_path(dir.path(), "Home", &clip);
    let wanted = LocalClipRef { storage: listed.storage, manifest_id: listed.manifest_id.clone(), clip };
    let err = download_local_clip(&client, &wanted, &path, &|_| {}, |_| {}).await.expect_err("500");
    // Whether Blink took it is unknown: reported as such, never sent again blindly.
    assert!(
        matches!(&err, ClipError::Api(ApiError::OutcomeUnknown { reason, .. }) if reason.contains("HTTP 500")),
        "{err}"
    );
    assert_eq!(h.count("POST", &format!("{USB}/manifest/*/clip/request/*")), 1);
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0, "no part file left");
    // A body that is no MP4 leaves nothing under the clip's name.
    h.sim.faults().inject(
        Some("GET"),
        &format!("{USB}/manifest/*/clip/request/*"),
        Fault::Respond { status: 200, content_type: "text/html".into(), body: b"<html>oops</html>".to_vec() },
        Some(1),
    );
    let err = download_local_clip(&client, &wanted, &path, &|_| {}, |_| {}).await.expect_err("not an MP4");
    assert!(err.to_string().contains("MP4"), "{err}");
    assert!(!path.exists());
}

#[tokio::test]
async fn home_has_an_sm2_with_an_active_stick_apart_from_cloud_events() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let home = client.homescreen().await.expect("homescreen");
    let storage = LocalStorage::of(&home, HOME_NETWORK).expect("Home's sync module has an active stick");
    let sync = home.sync_modules.iter().find(|m| m.id == storage.sync_module_id).expect("module");
    assert_eq!(sync.module_type.as_deref(), Some("sm2"));
    // Cloud events stay apart from stick clips: none of them is a USB clip.
    let media: Vec<MediaItem> = client.media_since(jiff::Timestamp::UNIX_EPOCH, 5).await.expect("media");
    let stick: Vec<u64> = h.sim.with_world(|w| w.usb[&HOME_NETWORK].clips.iter().map(|c| c.id).collect());
    assert!(media.iter().all(|m| !stick.contains(&m.id)));
}

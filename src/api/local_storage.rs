//! Clips on a sync module's USB stick (blink-api.md §2.9). The stick is behind the sync module,
//! so every step is a request the module answers later: ask for a manifest (a command), poll
//! until it is built, then per clip ask for an upload to the cloud (a command) before the
//! clip can be downloaded; deleting is a command too. Manifest ids change whenever the module
//! rebuilds the manifest, so a manifest is read fresh before clips are fetched.

use std::time::{Duration, Instant};

use super::body::BodySink;
use super::client::BlinkClient;
use super::commands::{CommandRef, Started};
use super::download::MediaKind;
use super::error::ApiError;
use super::models::{Homescreen, LocalClipEntry, LocalManifest, alphanumeric_name};

/// The only `local_storage_status` under which the stick can be read.
pub const ACTIVE: &str = "active";

/// Longest pause between two polls of a manifest that is being built.
const MAX_MANIFEST_POLL: Duration = Duration::from_secs(5);

/// Where a stick is: the network and its sync module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LocalStorage {
    pub network_id: u64,
    pub sync_module_id: u64,
}

impl LocalStorage {
    /// The stick of `network`, when homescreen says its sync module's storage is active.
    pub fn of(home: &Homescreen, network: u64) -> Result<Self, ApiError> {
        let module = home
            .sync_modules
            .iter()
            .find(|m| m.network_id == network)
            .ok_or_else(|| ApiError::NotFound(format!("a sync module on network {network}")))?;
        match module.local_storage_status.as_deref() {
            Some(ACTIVE) => Ok(Self { network_id: network, sync_module_id: module.id }),
            status => Err(ApiError::NotFound(format!(
                "local storage on network {network}: its sync module reports {}",
                status.map_or_else(|| "no storage status".to_owned(), |s| format!("{s:?}"))
            ))),
        }
    }

    /// Every network whose sync module has an active stick, in homescreen order.
    pub fn all(home: &Homescreen) -> Vec<Self> {
        home.sync_modules
            .iter()
            .filter(|m| m.local_storage_status.as_deref() == Some(ACTIVE))
            .map(|m| Self { network_id: m.network_id, sync_module_id: m.id })
            .collect()
    }
}

/// One clip on the stick, with its camera found again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalClip {
    pub id: u64,
    /// The camera's name (the manifest's alphanumeric name when no camera matches it).
    pub camera: String,
    pub camera_id: Option<u64>,
    pub created_at: String,
    /// Bytes, as the manifest says.
    pub size: u64,
}

/// A stick's manifest: the id clip requests must name, and the clips, newest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalClips {
    pub storage: LocalStorage,
    pub manifest_id: String,
    pub clips: Vec<LocalClip>,
}

/// A camera as the name mapping needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCamera {
    pub id: u64,
    pub network_id: u64,
    pub name: String,
}

impl LocalClips {
    /// A manifest's clips with their cameras found again among `cameras`, newest first.
    pub fn new(
        storage: LocalStorage,
        manifest_id: String,
        entries: Vec<LocalClipEntry>,
        cameras: &[NamedCamera],
    ) -> Self {
        let mut clips: Vec<LocalClip> = entries
            .into_iter()
            .map(|entry| {
                let camera = camera_for(cameras, storage.network_id, &entry.camera_name);
                LocalClip {
                    id: entry.id,
                    camera: camera.map_or(entry.camera_name, |c| c.name.clone()),
                    camera_id: camera.map(|c| c.id),
                    created_at: entry.created_at,
                    size: entry.size,
                }
            })
            .collect();
        clips.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Self { storage, manifest_id, clips }
    }

    pub fn clip(&self, id: u64) -> Option<&LocalClip> {
        self.clips.iter().find(|clip| clip.id == id)
    }
}

impl BlinkClient {
    /// Everything on `network`'s stick: reads homescreen for the sync module and the camera
    /// names, then builds and reads a fresh manifest.
    pub async fn local_storage_clips(&self, network: u64) -> Result<LocalClips, ApiError> {
        let home = self.homescreen().await?;
        let storage = LocalStorage::of(&home, network)?;
        self.local_clips(&home, storage).await
    }

    /// The manifest of `storage`, its camera names mapped back with `home`.
    pub async fn local_clips(
        &self,
        home: &Homescreen,
        storage: LocalStorage,
    ) -> Result<LocalClips, ApiError> {
        let (manifest_id, entries) = self.local_manifest(storage).await?;
        let cameras = home.devices().map(|(_, d)| NamedCamera {
            id: d.id,
            network_id: d.network_id,
            name: d.name.clone(),
        });
        Ok(LocalClips::new(storage, manifest_id, entries, &cameras.collect::<Vec<_>>()))
    }

    /// Asks the sync module for a new manifest, waits for the command, then polls until the
    /// manifest is built (with a growing pause, for at most the command timeout).
    pub async fn local_manifest(
        &self,
        storage: LocalStorage,
    ) -> Result<(String, Vec<LocalClipEntry>), ApiError> {
        let path = format!("{}/manifest/request", base(self, storage));
        let request = command_of(
            self.start_command(&path, None, storage.network_id, false, "manifest request").await?,
        )?;
        self.wait_for_command(request, |_| {}).await?;
        let started = Instant::now();
        let options = self.options();
        let mut pause = options.command_poll_interval;
        loop {
            let manifest = self.manifest_answer(storage, request).await?;
            if let Some(clips) = manifest.clips {
                let manifest_id =
                    manifest.manifest_id.filter(|id| usable_id(id)).ok_or_else(|| ApiError::Decode {
                        endpoint: "local storage manifest".into(),
                        detail: "the manifest has no usable manifest_id".into(),
                        excerpt: String::new(),
                    })?;
                return Ok((manifest_id, clips));
            }
            if started.elapsed() + pause > options.command_timeout {
                return Err(ApiError::CommandTimedOut { id: request.id, after: started.elapsed() });
            }
            tracing::debug!(?pause, "local storage manifest not built yet");
            tokio::time::sleep(pause).await;
            pause = (pause * 3 / 2).min(MAX_MANIFEST_POLL);
        }
    }

    /// `GET …/local_storage/manifest/request/{id}`: the manifest, or an answer without clips.
    async fn manifest_answer(
        &self,
        storage: LocalStorage,
        request: CommandRef,
    ) -> Result<LocalManifest, ApiError> {
        let path = format!("{}/manifest/request/{}", base(self, storage), request.id);
        self.get_json(&path, "local storage manifest").await
    }

    /// Asks the sync module to upload one clip to the cloud (a command to follow); until it
    /// is done, the clip's download answers "Media not found" (code 700).
    pub async fn request_local_clip(
        &self,
        storage: LocalStorage,
        manifest_id: &str,
        clip: u64,
    ) -> Result<CommandRef, ApiError> {
        let path = clip_path(self, storage, manifest_id, "request", clip)?;
        command_of(self.start_command(&path, None, storage.network_id, false, "clip upload").await?)
    }

    /// Downloads an uploaded clip into `sink`: checked to be an MP4, held to the clip limit.
    pub async fn download_local_clip_into(
        &self,
        storage: LocalStorage,
        manifest_id: &str,
        clip: u64,
        sink: &mut dyn BodySink,
    ) -> Result<(), ApiError> {
        let path = clip_path(self, storage, manifest_id, "request", clip)?;
        self.download_into(&path, MediaKind::Mp4, sink).await
    }

    /// Deletes a clip from the stick and waits for the sync module to confirm.
    pub async fn delete_local_clip(
        &self,
        storage: LocalStorage,
        manifest_id: &str,
        clip: u64,
    ) -> Result<(), ApiError> {
        let path = clip_path(self, storage, manifest_id, "delete", clip)?;
        let command =
            command_of(self.start_command(&path, None, storage.network_id, false, "clip delete").await?)?;
        self.wait_for_command(command, |_| {}).await.map(drop)
    }
}

/// The command a request started (`start_command` refuses answers without one, so this only
/// guards the type).
fn command_of(started: Started) -> Result<CommandRef, ApiError> {
    started
        .command()
        .ok_or_else(|| ApiError::CommandFailed { code: 0, message: "Blink started no command".into() })
}

fn base(client: &BlinkClient, storage: LocalStorage) -> String {
    format!(
        "/api/v1/accounts/{}/networks/{}/sync_modules/{}/local_storage",
        client.account_id(),
        storage.network_id,
        storage.sync_module_id
    )
}

/// `…/manifest/{manifest_id}/clip/{verb}/{clip}`; the manifest id comes from the server, so
/// it must be a plain token before it goes into a path.
fn clip_path(
    client: &BlinkClient,
    storage: LocalStorage,
    manifest_id: &str,
    verb: &str,
    clip: u64,
) -> Result<String, ApiError> {
    if !usable_id(manifest_id) {
        return Err(ApiError::BadUrl(format!("unusable manifest id {manifest_id:?}")));
    }
    Ok(format!("{}/manifest/{manifest_id}/clip/{verb}/{clip}", base(client, storage)))
}

/// Letters, digits, `-` and `_`, at most 64 of them.
fn usable_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The camera of `network` whose name, stripped to letters and digits, is `alphanumeric`
/// (compared without case, as names are typed by people).
pub fn camera_for<'c>(
    cameras: &'c [NamedCamera],
    network: u64,
    alphanumeric: &str,
) -> Option<&'c NamedCamera> {
    let wanted = alphanumeric.to_lowercase();
    cameras.iter().find(|c| c.network_id == network && alphanumeric_name(&c.name).to_lowercase() == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::{Device, SyncModule};

    fn home() -> Homescreen {
        let device =
            |id, name: &str, network_id| Device { id, name: name.into(), network_id, ..Device::default() };
        Homescreen {
            cameras: vec![device(1, "Front Door", 10), device(2, "Front Door", 20)],
            owls: vec![device(3, "Living-Room 2", 10)],
            sync_modules: vec![
                SyncModule {
                    id: 5,
                    network_id: 10,
                    local_storage_status: Some("active".into()),
                    ..SyncModule::default()
                },
                SyncModule {
                    id: 6,
                    network_id: 20,
                    local_storage_status: Some("unavailable".into()),
                    ..SyncModule::default()
                },
            ],
            ..Homescreen::default()
        }
    }

    #[test]
    fn names_map_back_to_cameras_of_the_network() {
        let cameras: Vec<NamedCamera> = home()
            .devices()
            .map(|(_, d)| NamedCamera { id: d.id, network_id: d.network_id, name: d.name.clone() })
            .collect();
        let id = |network, name| camera_for(&cameras, network, name).map(|c| c.id);
        assert_eq!(id(10, "FrontDoor"), Some(1));
        assert_eq!(id(20, "frontdoor"), Some(2), "case does not matter, the network does");
        assert_eq!(id(10, "LivingRoom2"), Some(3));
        assert_eq!(id(10, "Garage"), None);
        let entry = |id, camera_name: &str| LocalClipEntry {
            id,
            size: 1,
            camera_name: camera_name.into(),
            created_at: format!("2026-11-0{id}T10:00:00+00:00"),
        };
        let storage = LocalStorage { network_id: 10, sync_module_id: 5 };
        let clips =
            LocalClips::new(storage, "9".into(), vec![entry(1, "FrontDoor"), entry(2, "Shed")], &cameras);
        assert_eq!(clips.clips[0].id, 2, "newest first");
        assert_eq!(
            (clips.clips[0].camera.as_str(), clips.clips[0].camera_id),
            ("Shed", None),
            "unknown: as sent"
        );
        assert_eq!((clips.clips[1].camera.as_str(), clips.clips[1].camera_id), ("Front Door", Some(1)));
    }

    #[test]
    fn only_an_active_stick_is_used() {
        let home = home();
        assert_eq!(
            LocalStorage::of(&home, 10).expect("active"),
            LocalStorage { network_id: 10, sync_module_id: 5 }
        );
        let err = LocalStorage::of(&home, 20).expect_err("unavailable");
        assert!(err.to_string().contains("\"unavailable\""), "{err}");
        assert!(LocalStorage::of(&home, 30).is_err());
        assert_eq!(LocalStorage::all(&home).len(), 1);
    }

    #[test]
    fn manifest_ids_must_be_plain_tokens() {
        assert!(usable_id("4321") && usable_id("a-b_c"));
        for bad in ["", "../x", "1/2", "a?b", &"9".repeat(65)] {
            assert!(!usable_id(bad), "{bad}");
        }
    }
}

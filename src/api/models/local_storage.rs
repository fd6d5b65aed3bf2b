//! Sync-module local storage (the USB stick of a Sync Module 2): the manifest of the clips on
//! it, as `GET …/sync_modules/{s}/local_storage/manifest/request/{id}` answers once it is built.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::de::{Item, id, items, lenient};

/// The manifest, or (without `clips`) the answer while the sync module is still building it.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocalManifest {
    pub version: Option<String>,
    /// Changes each time the manifest is rebuilt; clip requests name it.
    pub manifest_id: Option<String>,
    /// `None` while the manifest is not ready (blinkpy polls until `clips` is there).
    #[serde_with(skip_apply)]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "clips_when_present")]
    pub clips: Option<Vec<LocalClipEntry>>,
}

/// One clip on the stick, as the manifest lists it.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocalClipEntry {
    /// Sent as a string (`"866333964"`).
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    /// Bytes, sent as a string.
    pub size: u64,
    /// The camera's name stripped to letters and digits (`Front Door` → `FrontDoor`).
    pub camera_name: String,
    pub created_at: String,
}

impl Item for LocalClipEntry {}

/// `clips` read record by record; a `null` or missing list means "not ready yet".
fn clips_when_present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<LocalClipEntry>>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        return Ok(None);
    }
    items(value).map(Some).map_err(serde::de::Error::custom)
}

/// A camera name as the manifest writes it: letters and digits only.
pub fn alphanumeric_name(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_with_string_ids_and_sizes() {
        let manifest: LocalManifest = serde_json::from_str(
            r#"{"version":"1.0","manifest_id":"4321","clips":[
                {"id":"866333964","size":"234","camera_name":"BackDoor","created_at":"2022-12-01T21:11:50+00:00"},
                {"size":"1","camera_name":"NoId"}]}"#,
        )
        .expect("manifest");
        assert_eq!(manifest.manifest_id.as_deref(), Some("4321"));
        let clips = manifest.clips.expect("ready");
        assert_eq!(clips.len(), 1, "a clip without an id is dropped");
        assert_eq!((clips[0].id, clips[0].size, clips[0].camera_name.as_str()), (866333964, 234, "BackDoor"));
    }

    #[test]
    fn without_clips_the_manifest_is_not_ready() {
        let pending: LocalManifest = serde_json::from_str(r#"{"id":5,"network_id":7}"#).expect("pending");
        assert_eq!(pending.clips, None);
        let null: LocalManifest = serde_json::from_str(r#"{"clips":null}"#).expect("null");
        assert_eq!(null.clips, None);
        let empty: LocalManifest = serde_json::from_str(r#"{"manifest_id":9,"clips":[]}"#).expect("empty");
        assert_eq!((empty.manifest_id.as_deref(), empty.clips), (Some("9"), Some(Vec::new())));
    }

    #[test]
    fn names_keep_letters_and_digits() {
        assert_eq!(alphanumeric_name("Front Door #2"), "FrontDoor2");
        assert_eq!(alphanumeric_name("Café-Süd"), "CaféSüd");
    }
}

//! Lenient field decoders: Blink's field types drift (numbers become strings, lists become
//! `null`), and one odd field must not make a whole response unreadable.

use serde::{Deserialize, Deserializer, Serialize};

/// Treats an explicit `null` like a missing field.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A value Blink sends sometimes as a string and sometimes as a number (`fw_version`: `"9.63"` in
/// homescreen, `9.63` in the Mini config).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StringOrNumber {
    String(String),
    Number(serde_json::Number),
}

impl std::fmt::Display for StringOrNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::String(s) => f.write_str(s),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

impl From<&str> for StringOrNumber {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

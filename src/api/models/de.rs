//! Lenient field decoders: Blink's field types drift (ids and numbers come as strings, flags as
//! `0`/`1`, serials as numbers, lists as `null`), and one odd field must not make a whole
//! response unreadable. The rules:
//!
//! - [`lenient`] reads a scalar from whichever JSON type it came as; a value that cannot be
//!   read becomes the field's default (logged at debug).
//! - [`default_on_error`] does the same for nested objects, maps and lists of scalars.
//! - [`items`] reads a list of records one by one: a record without a readable identity (its
//!   `id`) is dropped with a warning, the rest of the list and the document stay.
//! - [`id`] reads a required identity: a number or a numeric string, anything else an error.
//! - A time ([`BlinkTime`]) is parsed here, once: an unreadable optional one is `None`, an
//!   unreadable required one drops its record (like a missing identity).

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::homescreen::ThumbnailRef;
use super::time::BlinkTime;

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

/// A scalar read from whatever JSON type it arrived as; `None` when it cannot be.
pub trait Coerce: Sized {
    fn coerce(value: &Value) -> Option<Self>;
}

/// Largest integer an `f64` holds exactly: `3.0` counts as 3, `1e300` does not.
const EXACT_F64: f64 = 9_007_199_254_740_992.0;

fn whole(value: f64) -> Option<f64> {
    (value.fract() == 0.0 && value.abs() <= EXACT_F64).then_some(value)
}

impl Coerce for u64 {
    fn coerce(value: &Value) -> Option<Self> {
        match value {
            Value::Number(n) => {
                n.as_u64().or_else(|| whole(n.as_f64()?).filter(|f| *f >= 0.0).map(|f| f as u64))
            }
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

impl Coerce for i64 {
    fn coerce(value: &Value) -> Option<Self> {
        match value {
            Value::Number(n) => n.as_i64().or_else(|| whole(n.as_f64()?).map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

impl Coerce for bool {
    fn coerce(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => n.as_f64().map(|f| f != 0.0),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Some(true),
                "false" | "0" | "no" | "off" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Coerce for String {
    fn coerce(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl Coerce for StringOrNumber {
    fn coerce(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(Self::String(s.clone())),
            Value::Number(n) => Some(Self::Number(n.clone())),
            _ => None,
        }
    }
}

impl Coerce for ThumbnailRef {
    fn coerce(value: &Value) -> Option<Self> {
        match value {
            Value::Number(_) => i64::coerce(value).map(Self::Timestamp),
            Value::String(s) => Some(Self::Path(s.clone())),
            _ => None,
        }
    }
}

impl Coerce for BlinkTime {
    fn coerce(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Self::parse(s),
            _ => None,
        }
    }
}

/// A field [`lenient`] can read: a [`Coerce`] scalar or an optional one.
pub trait Lenient: Sized {
    fn read(value: Value) -> Self;
}

macro_rules! lenient_plain {
    ($($scalar:ty),*) => {$(
        impl Lenient for $scalar {
            fn read(value: Value) -> Self {
                if value.is_null() {
                    return Self::default();
                }
                Self::coerce(&value).unwrap_or_else(|| unreadable::<Self>(&value))
            }
        }
    )*};
}

macro_rules! lenient_optional {
    ($($scalar:ty),*) => {$(
        impl Lenient for Option<$scalar> {
            fn read(value: Value) -> Self {
                if value.is_null() {
                    return None;
                }
                <$scalar>::coerce(&value).or_else(|| unreadable::<Self>(&value))
            }
        }
    )*};
}

lenient_plain!(u64, i64, bool, String);
// A thumbnail or firmware version has no natural default: only their optional form exists.
lenient_optional!(u64, i64, bool, String, StringOrNumber, ThumbnailRef, BlinkTime);

/// `#[serde(deserialize_with = "lenient")]`: a scalar of any JSON type; unreadable means the
/// default. A model states it once for all its fields with
/// `#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]`, marking the fields read
/// otherwise `#[serde_with(skip_apply)]`.
pub fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    Ok(T::read(Value::deserialize(deserializer)?))
}

/// `#[serde(deserialize_with = "default_on_error")]`: a nested object, map or list that reads
/// as its default when it has an unexpected shape.
pub fn default_on_error<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        return Ok(T::default());
    }
    Ok(serde_json::from_value(value).unwrap_or_else(|err| {
        tracing::debug!(expected = %short_type::<T>(), "read as the default: {err}");
        T::default()
    }))
}

/// A record in a list, and the field that identifies it (`None`: records without one, kept
/// whenever they parse), and other fields it is nothing without (a missing one drops it; an
/// unreadable one does too, by failing to deserialize).
pub trait Item: DeserializeOwned {
    const IDENTITY: Option<&'static str> = Some("id");
    const REQUIRED: &'static [&'static str] = &[];
}

/// `#[serde(deserialize_with = "items")]`: each record on its own; one that cannot be
/// identified is dropped (with a warning), never the list or the document.
pub fn items<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Item,
{
    Ok(read_items(Value::deserialize(deserializer)?))
}

fn read_items<T: Item>(value: Value) -> Vec<T> {
    let records = match value {
        Value::Array(records) => records,
        Value::Null => return Vec::new(),
        other => {
            tracing::warn!(item = %short_type::<T>(), "expected a list, found {}", kind(&other));
            return Vec::new();
        }
    };
    records
        .into_iter()
        .enumerate()
        .filter_map(|(index, record)| {
            if let Some(key) = T::IDENTITY
                && record.get(key).is_none_or(Value::is_null)
            {
                tracing::warn!(item = %short_type::<T>(), index, "dropped: no {key}");
                return None;
            }
            if let Some(key) = T::REQUIRED.iter().find(|key| record.get(**key).is_none_or(Value::is_null)) {
                tracing::warn!(item = %short_type::<T>(), index, "dropped: no {key}");
                return None;
            }
            serde_json::from_value(record)
                .inspect_err(|err| tracing::warn!(item = %short_type::<T>(), index, "dropped: {err}"))
                .ok()
        })
        .collect()
}

/// A whole document that is a list of records (`GET .../programs`), read like [`items`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Items<T>(pub Vec<T>);

impl<'de, T: Item> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        items(deserializer).map(Self)
    }
}

/// `#[serde(deserialize_with = "id")]`: a record's identity, a number or a numeric string.
pub fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    u64::coerce(&value).ok_or_else(|| D::Error::custom(format!("unreadable id ({})", kind(&value))))
}

fn unreadable<T: Default>(value: &Value) -> T {
    // The kind only: the value itself may be anything a server chose to send.
    tracing::debug!(expected = %short_type::<T>(), "unreadable {} read as the default", kind(value));
    T::default()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// `Option<ThumbnailRef>` rather than the full paths of `std::any::type_name`.
fn short_type<T>() -> String {
    let name = std::any::type_name::<T>();
    let mut out = String::with_capacity(name.len());
    let mut start = 0;
    for (at, c) in name.char_indices() {
        if !(c.is_alphanumeric() || c == '_' || c == ':') {
            out.push_str(last_segment(&name[start..at]));
            out.push(c);
            start = at + c.len_utf8();
        }
    }
    out.push_str(last_segment(&name[start..]));
    out
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_read_from_strings_and_whole_floats() {
        assert_eq!(u64::coerce(&json!("4141001")), Some(4141001));
        assert_eq!(u64::coerce(&json!(" 7 ")), Some(7));
        assert_eq!(u64::coerce(&json!(3.0)), Some(3));
        assert_eq!(u64::coerce(&json!(-1)), None);
        assert_eq!(u64::coerce(&json!(1.5)), None);
        assert_eq!(u64::coerce(&json!("abc")), None);
        assert_eq!(i64::coerce(&json!("-52")), Some(-52));
        assert_eq!(i64::coerce(&json!(1e300)), None);
    }

    #[test]
    fn flags_read_from_numbers_and_words() {
        for (value, expected) in [
            (json!(1), Some(true)),
            (json!(0), Some(false)),
            (json!("True"), Some(true)),
            (json!("off"), Some(false)),
        ] {
            assert_eq!(bool::coerce(&value), expected, "{value}");
        }
        assert_eq!(bool::coerce(&json!("maybe")), None);
        assert_eq!(bool::coerce(&json!([])), None);
    }

    #[test]
    fn strings_read_from_numbers() {
        assert_eq!(String::coerce(&json!(12345)), Some("12345".into()));
        assert_eq!(String::coerce(&json!({})), None);
    }

    #[test]
    fn unreadable_values_become_defaults() {
        assert_eq!(<Option<u64>>::read(json!({"a": 1})), None);
        assert_eq!(<Option<bool>>::read(json!("x")), None);
        assert!(!<bool>::read(json!(null)));
        assert_eq!(<String>::read(json!([1])), String::new());
        assert_eq!(
            <Option<ThumbnailRef>>::read(json!(1698141602.0)),
            Some(ThumbnailRef::Timestamp(1698141602))
        );
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Record {
        #[serde(deserialize_with = "id")]
        id: u64,
    }

    impl Item for Record {}

    /// Defaults for every field, like Blink's models: `REQUIRED` is what drops a record
    /// without its time.
    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Timed {
        #[serde(deserialize_with = "id")]
        id: u64,
        at: BlinkTime,
        #[serde(deserialize_with = "lenient")]
        seen: Option<BlinkTime>,
    }

    impl Item for Timed {
        const REQUIRED: &'static [&'static str] = &["at"];
    }

    #[test]
    fn a_bad_required_time_drops_its_record_a_bad_optional_one_is_none() {
        let at = "2024-01-01T12:00:00+00:00";
        let records: Vec<Timed> = read_items(json!([
            {"id": 1, "at": at, "seen": "2024-01-01T12:00:00.5Z"},
            {"id": 2, "at": "noon"},
            {"id": 3},
            {"id": 4, "at": null},
            {"id": 5, "at": at, "seen": "later"},
            {"id": 6, "at": at, "seen": 7},
        ]));
        assert_eq!(records.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 5, 6]);
        assert!(records[0].seen.is_some());
        assert_eq!((records[1].seen.as_ref(), records[2].seen.as_ref()), (None, None));
        assert_eq!(records[0].at.as_str(), at);
    }

    #[test]
    fn records_without_an_identity_are_dropped_alone() {
        let records: Vec<Record> =
            read_items(json!([{"id": 1}, {"name": "no id"}, {"id": null}, {"id": "x"}, "junk", {"id": "2"}]));
        assert_eq!(records, [Record { id: 1 }, Record { id: 2 }]);
        assert!(read_items::<Record>(json!("not a list")).is_empty());
        assert!(read_items::<Record>(json!(null)).is_empty());
    }

    #[test]
    fn type_names_in_logs_are_short() {
        assert_eq!(short_type::<Option<ThumbnailRef>>(), "Option<ThumbnailRef>");
        assert_eq!(short_type::<Vec<u64>>(), "Vec<u64>");
    }
}

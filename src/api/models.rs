//! Wire types of Blink's cloud API, shared by the client and the simulator so the two cannot
//! drift apart. Every field that Blink has been seen to omit is optional or defaulted, unknown
//! fields are ignored, and `null` lists read as empty.

pub mod account;
pub mod command;
pub mod de;
pub mod device_config;
pub mod homescreen;
pub mod legacy;
pub mod local_storage;
pub mod media;
pub mod networks;
pub mod oauth;
pub mod program;
pub mod time;

pub use account::*;
pub use command::*;
pub use de::StringOrNumber;
pub use device_config::*;
pub use homescreen::*;
pub use local_storage::*;
pub use media::*;
pub use networks::*;
pub use oauth::*;
pub use program::*;

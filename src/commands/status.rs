//! `blinktui status`.

use serde::Serialize;

use crate::context::{CliError, Context};
use crate::output::{on_off, or_dash, print_json, say, table};
use crate::summary::{self, CameraSummary, NetworkSummary};

#[derive(Serialize)]
struct StatusDocument {
    account_id: u64,
    networks: Vec<NetworkSummary>,
    cameras: Vec<CameraSummary>,
}

pub async fn status(ctx: &Context, json: bool) -> Result<(), CliError> {
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let document = StatusDocument {
        account_id: client.account_id(),
        networks: summary::networks(&home),
        cameras: summary::cameras(&home),
    };
    if json {
        return print_json(&document);
    }
    let networks = document.networks.iter().map(|n| {
        vec![
            n.name.clone(),
            n.id.to_string(),
            if n.armed { "armed" } else { "disarmed" }.to_owned(),
            n.sync_module.as_ref().map_or("none", |s| if s.online { "online" } else { "OFFLINE" }).to_owned(),
        ]
    });
    say!("{}", table(&["NETWORK", "ID", "STATE", "SYNC MODULE"], networks));
    say!();
    let cameras = document.cameras.iter().map(|c| {
        vec![
            c.name.clone(),
            c.id.to_string(),
            summary::product_name(&c.device_type).to_owned(),
            or_dash(c.network.as_ref()),
            on_off(c.enabled),
            if c.online { "online" } else { "OFFLINE" }.to_owned(),
            match (&c.battery, c.battery_low) {
                (_, true) => "LOW".to_owned(),
                (Some(state), false) => state.clone(),
                (None, false) => "wired".to_owned(),
            },
            c.temperature_f.map_or_else(|| "-".to_owned(), |f| format!("{f}°F")),
            c.wifi_bars.map_or_else(|| "-".to_owned(), |w| format!("{w}/5")),
        ]
    });
    let header = ["CAMERA", "ID", "TYPE", "NETWORK", "MOTION", "STATE", "BATTERY", "TEMP", "WIFI"];
    say!("{}", table(&header, cameras));
    Ok(())
}

//! Account-wide state: homescreen, networks, sync modules, camera usage; arming.

use reqwest::Method;

use super::body::BodyKind;
use super::client::{BlinkClient, Request};
use super::commands::Started;
use super::error::ApiError;
use super::models::{CameraUsage, Homescreen, NetworksResponse, SyncModule, SyncModuleResponse};

/// The keys every homescreen has, even an empty account's.
#[derive(serde::Deserialize)]
struct HomescreenKeys {
    #[allow(dead_code)]
    networks: serde::de::IgnoredAny,
}

impl BlinkClient {
    /// `GET /api/v3/accounts/{a}/homescreen`: the state of everything. Its `Client-Id` and
    /// `User-Id` headers are remembered for logout.
    pub async fn homescreen(&self) -> Result<Homescreen, ApiError> {
        let path = format!("/api/v3/accounts/{}/homescreen", self.account_id());
        let response = self
            .send(Request {
                method: Method::GET,
                target: &path,
                body: None,
                idempotent: true,
                timeout: self.options().request_timeout,
                idle: false,
                kind: BodyKind::Json,
                label: "homescreen",
            })
            .await?;
        let client_id = response.header_u64("client-id");
        let user_id = response.header_u64("user-id");
        if client_id.is_some() || user_id.is_some() {
            self.update_session(|session| {
                let changed = (client_id.is_some() && session.client_id != client_id)
                    || (user_id.is_some() && session.user_id != user_id);
                session.client_id = client_id.or(session.client_id);
                session.user_id = user_id.or(session.user_id);
                changed
            })
            .await;
        }
        // A 200 without the account's lists (`{"message": "..."}`, a captive portal's JSON)
        // is not an empty account: reading it leniently would show one.
        response.json::<HomescreenKeys>("homescreen")?;
        response.json("homescreen")
    }

    /// `GET /networks`.
    pub async fn networks(&self) -> Result<NetworksResponse, ApiError> {
        self.get_json("/networks", "networks").await
    }

    /// `GET /network/{n}/syncmodules`.
    pub async fn sync_module(&self, network_id: u64) -> Result<Option<SyncModule>, ApiError> {
        let response: SyncModuleResponse =
            self.get_json(&format!("/network/{network_id}/syncmodules"), "sync modules").await?;
        Ok(response.syncmodule)
    }

    /// `GET /api/v1/camera/usage`.
    pub async fn camera_usage(&self) -> Result<CameraUsage, ApiError> {
        self.get_json("/api/v1/camera/usage", "camera usage").await
    }

    /// `POST /api/v1/accounts/{a}/networks/{n}/state/arm` (a command).
    pub async fn arm(&self, network_id: u64) -> Result<Started, ApiError> {
        self.set_armed(network_id, true).await
    }

    /// `POST /api/v1/accounts/{a}/networks/{n}/state/disarm` (a command).
    pub async fn disarm(&self, network_id: u64) -> Result<Started, ApiError> {
        self.set_armed(network_id, false).await
    }

    async fn set_armed(&self, network_id: u64, armed: bool) -> Result<Started, ApiError> {
        let verb = if armed { "arm" } else { "disarm" };
        let path = format!("/api/v1/accounts/{}/networks/{network_id}/state/{verb}", self.account_id());
        self.start_command(&path, None, network_id, false, verb).await
    }
}

//! Account endpoints: user, app version, regions, feature flags, notification settings, logout.

use super::client::BlinkClient;
use super::error::ApiError;
use super::models::{AccountOptions, AppVersion, MessageResponse, NotificationConfig, Regions, User};

impl BlinkClient {
    /// `GET /user`.
    pub async fn user(&self) -> Result<User, ApiError> {
        self.get_json("/user", "user").await
    }

    /// `GET /api/v1/version`: whether Blink considers this client out of date.
    pub async fn version(&self) -> Result<AppVersion, ApiError> {
        self.get_json("/api/v1/version", "version").await
    }

    /// `GET /regions?locale=US`.
    pub async fn regions(&self) -> Result<Regions, ApiError> {
        self.get_json("/regions?locale=US", "regions").await
    }

    /// `GET /api/v1/account/options`.
    pub async fn account_options(&self) -> Result<AccountOptions, ApiError> {
        self.get_json("/api/v1/account/options", "account options").await
    }

    /// `GET /api/v1/accounts/{a}/notifications/configuration`.
    pub async fn notifications(&self) -> Result<NotificationConfig, ApiError> {
        self.get_json(&self.notifications_path(), "notifications").await
    }

    /// `POST /api/v1/accounts/{a}/notifications/configuration` with only the flags to change.
    pub async fn set_notifications(&self, changes: &NotificationConfig) -> Result<MessageResponse, ApiError> {
        self.post_json(&self.notifications_path(), Some(changes), "notifications").await
    }

    /// The legacy `POST /api/v4/account/{a}/client/{c}/logout`, when homescreen has told us the
    /// client id. Whether Blink still honours it for OAuth tokens is unknown, so callers treat
    /// a failure as a warning and forget the session anyway.
    pub async fn logout(&self) -> Result<Option<MessageResponse>, ApiError> {
        let Some(client_id) = self.session().await.client_id else {
            return Ok(None);
        };
        let path = format!("/api/v4/account/{}/client/{client_id}/logout", self.account_id());
        self.post_json(&path, None::<&()>, "logout").await.map(Some)
    }

    fn notifications_path(&self) -> String {
        format!("/api/v1/accounts/{}/notifications/configuration", self.account_id())
    }
}

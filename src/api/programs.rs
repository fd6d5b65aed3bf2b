//! Programs: a network's arm/disarm schedules.

use super::client::BlinkClient;
use super::error::ApiError;
use super::models::de::Items;
use super::models::{MessageResponse, Program};

impl BlinkClient {
    /// `GET /api/v1/networks/{n}/programs`. A program that cannot be identified is left out,
    /// not the list.
    pub async fn programs(&self, network_id: u64) -> Result<Vec<Program>, ApiError> {
        let programs: Items<Program> =
            self.get_json(&format!("/api/v1/networks/{network_id}/programs"), "programs").await?;
        Ok(programs.0)
    }

    /// `POST /api/v1/networks/{n}/programs/{p}/enable` or `/disable`; applied at once.
    pub async fn set_program_enabled(
        &self,
        network_id: u64,
        program_id: u64,
        enabled: bool,
    ) -> Result<MessageResponse, ApiError> {
        let verb = if enabled { "enable" } else { "disable" };
        let path = format!("/api/v1/networks/{network_id}/programs/{program_id}/{verb}");
        self.post_json(&path, None::<&()>, "program").await
    }
}

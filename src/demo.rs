//! `--demo`: the simulator in this process, on loopback, with a throwaway state directory, so
//! trying blinktui never touches a real session or account.

use std::time::Duration;

use tempfile::TempDir;

use crate::api::{ApiError, ClientOptions, LoginFlow, SessionStore, SignInOutcome};
use crate::config::Config;
use crate::paths::Paths;
use crate::secret::Secret;
use crate::sim::{SimConfig, Simulator, demo};

pub struct DemoEnv {
    pub sim: Simulator,
    /// Holds the temporary state and cache directories until the demo ends.
    _dir: TempDir,
}

impl DemoEnv {
    /// Starts the simulator and points `config` and `paths` at it and at a temporary
    /// directory. With `log_in`, a session for the demo account is saved there.
    pub async fn start(config: &mut Config, paths: &mut Paths, log_in: bool) -> Result<Self, ApiError> {
        let sim = Simulator::start(demo_sim_config(), 0)
            .await
            .map_err(|err| ApiError::Network { host: "127.0.0.1".into(), detail: err.to_string() })?;
        let dir = tempfile::Builder::new()
            .prefix("blinktui-demo-")
            .tempdir()
            .map_err(|err| ApiError::Store(err.to_string()))?;
        paths.state_dir = dir.path().join("state");
        paths.cache_dir = dir.path().join("cache");
        config.oauth_url = sim.url();
        config.rest_url = sim.url();
        config.politeness.command_spacing_ms = 500;
        if log_in {
            let options = config.client_options().map_err(|err| ApiError::BadUrl(err.to_string()))?;
            log_in_demo(&options, &SessionStore::new(&paths.state_dir)).await?;
        }
        Ok(Self { sim, _dir: dir })
    }
}

/// The simulator as `--demo` runs it: commands quick enough to try, motion as a home sees it.
pub fn demo_sim_config() -> SimConfig {
    SimConfig { command_delay: Duration::from_secs(2), ..SimConfig::default() }
}

async fn log_in_demo(options: &ClientOptions, store: &SessionStore) -> Result<(), ApiError> {
    let mut flow = LoginFlow::new(options, store.hardware_id()?)?;
    let session = match flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await? {
        SignInOutcome::LoggedIn(session) => session,
        SignInOutcome::NeedsCode(_) => flow.verify_code(demo::DEMO_2FA_CODE).await?,
    };
    store.save(&session)
}

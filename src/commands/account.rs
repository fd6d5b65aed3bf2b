//! `blinktui login`, `logout` and `info`.

use std::io::{BufRead, IsTerminal, Write};

use jiff::Timestamp;

use crate::api::{ApiError, BlinkClient, LoginFlow, SignInOutcome};
use crate::context::{CliError, Context};
use crate::output::{say, warn};
use crate::sanitize::clean;
use crate::secret::Secret;

/// Reads answers from the terminal (the password hidden) or, when stdin is not one, one per
/// line: password first, then the verification code if Blink asks for one.
struct Answers {
    interactive: bool,
    lines: std::io::Lines<std::io::StdinLock<'static>>,
}

impl Answers {
    fn new() -> Self {
        let stdin = std::io::stdin();
        Self { interactive: stdin.is_terminal(), lines: stdin.lock().lines() }
    }

    fn ask(&mut self, prompt: &str, hidden: bool) -> Result<String, CliError> {
        let answer = if self.interactive && hidden {
            rpassword::prompt_password(prompt)?
        } else {
            if self.interactive {
                eprint!("{prompt}");
                std::io::stderr().flush()?;
            }
            match self.lines.next() {
                Some(line) => line?,
                None => String::new(),
            }
        };
        Ok(answer.trim_end_matches(['\r', '\n']).to_owned())
    }
}

pub async fn login(ctx: &Context, email: Option<String>) -> Result<(), CliError> {
    let mut answers = Answers::new();
    let email = match email.or_else(|| ctx.config.email.clone()) {
        Some(email) => email,
        None if answers.interactive => answers.ask("Blink e-mail: ", false)?,
        None => {
            return Err(CliError::Usage("no e-mail: pass --email or set `email` in the config".into()));
        }
    };
    if !email.contains('@') {
        return Err(CliError::Usage(format!("{email:?} is not an e-mail address")));
    }
    let password = Secret::new(answers.ask("Blink password: ", true)?);
    if password.is_empty() {
        return Err(CliError::Usage("no password given (on stdin, the first line is the password)".into()));
    }
    let store = ctx.store();
    let (hardware_id, replaced) = store.hardware_id_noting_replacement()?;
    if let Some(warning) = replaced {
        warn(&warning);
    }
    let mut flow = LoginFlow::new(&ctx.options, hardware_id)?;
    let session = match flow.sign_in(&email, &password).await? {
        SignInOutcome::LoggedIn(session) => session,
        SignInOutcome::NeedsCode(prompt) => {
            // Blink's text: shown escaped, like every other server string.
            let destination =
                prompt.destination.map_or_else(|| "your phone or e-mail".into(), |d| clean(&d).into_owned());
            let code =
                answers.ask(&format!("Blink sent a verification code to {destination}. Code: "), false)?;
            if code.trim().is_empty() {
                return Err(CliError::Usage(
                    "Blink asked for a verification code; give it on the line after the password".into(),
                ));
            }
            flow.verify_code(&code).await?
        }
    };
    store.save(&session)?;
    say!("Logged in as {email} (account {}, tier {}).", session.account_id, clean(&session.tier));
    Ok(())
}

pub async fn logout(ctx: &Context) -> Result<(), CliError> {
    let store = ctx.store();
    match BlinkClient::from_store(ctx.options.clone(), store.clone()) {
        Ok(client) => {
            if let Err(err) = client.logout().await {
                warn(&format!("Blink did not confirm the logout ({err}); forgetting the session anyway"));
            }
        }
        Err(ApiError::LoginRequired(_)) => {}
        Err(err) => warn(&format!("{err}; removing the session file anyway")),
    }
    if store.clear()? {
        say!("Logged out.");
    } else {
        say!("Not logged in.");
    }
    Ok(())
}

/// `terminal`: what the terminal UI found out about this terminal, label and text.
pub async fn info(ctx: &Context, ask_blink: bool, terminal: &[(&str, String)]) -> Result<(), CliError> {
    let paths = &ctx.paths;
    let exists = |path: &std::path::Path| if path.exists() { "" } else { " (not there yet)" };
    say!("config file   {}{}", paths.config_file.display(), exists(&paths.config_file));
    say!("state dir     {}", paths.state_dir.display());
    say!("session file  {}{}", ctx.store().session_path().display(), exists(&ctx.store().session_path()));
    say!("log file      {}", paths.log_file().display());
    say!("cache dir     {}", paths.cache_dir.display());
    say!("oauth url     {}", ctx.config.oauth_url);
    say!("rest url      {}", ctx.config.rest_url);
    for (label, text) in terminal {
        say!("{label:<13} {text}");
    }
    let session = match ctx.store().load() {
        Ok(Some(session)) => {
            let left = session.expires_at - Timestamp::now().as_second();
            let token = if left > 0 {
                format!("token valid for {} min", left / 60)
            } else {
                "token expired (refreshed on next use)".into()
            };
            format!(
                "logged in as {} (account {}, tier {}; {token})",
                session.email.as_deref().unwrap_or("?"),
                session.account_id,
                session.tier
            )
        }
        Ok(None) => "not logged in (run `blinktui login`)".into(),
        Err(err) => err.to_string(),
    };
    say!("session       {session}");
    if ask_blink {
        blink_info(ctx).await?;
    }
    Ok(())
}

/// What only Blink can say: whether the app version presented is current, and the account's
/// region. One request each, made only when asked for.
async fn blink_info(ctx: &Context) -> Result<(), CliError> {
    let client = ctx.client()?;
    let version = client.version().await?;
    let presented = match ctx.options.user_agent.as_str() {
        "" => "no app version (user_agent is empty)".to_owned(),
        agent => agent.to_owned(),
    };
    let verdict = match (version.update_required, version.update_available) {
        (true, _) => "Blink requires an update",
        (false, true) => "Blink has a newer version",
        (false, false) => "current",
    };
    let said = version.message.as_deref().map(clean).unwrap_or_default();
    let code = version.code.map_or_else(String::new, |code| format!(", code {code}"));
    say!("app version   {} : {verdict} ({said}{code})", clean(&presented));
    let regions = client.regions().await?;
    let tier = client.session().await.tier;
    let region = match regions.for_tier(&tier) {
        Some(region) => format!("{} (tier {})", clean(&region.friendly_name), clean(&tier)),
        None => format!("tier {} (not in Blink's list of regions)", clean(&tier)),
    };
    say!("region        {region}");
    Ok(())
}

//! `blinktui watched EVENT_ID...` and `blinktui watched --all`.

use std::collections::HashSet;

use crate::context::{CliError, Context};
use crate::output::say;

pub async fn mark(ctx: &Context, ids: &[u64], all: bool) -> Result<(), CliError> {
    ctx.refuse_in_read_only("marking events watched")?;
    let client = ctx.client()?;
    if all {
        client.mark_all_watched().await?;
        say!("Marked every event watched");
        return Ok(());
    }
    // Repeats would only inflate the count; the order stays, so slices are as the user listed.
    let mut seen = HashSet::new();
    let ids: Vec<u64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    client.mark_watched(&ids).await?;
    say!("Marked {} watched", events(ids.len()));
    Ok(())
}

fn events(count: usize) -> String {
    if count == 1 { "1 event".to_owned() } else { format!("{count} events") }
}

//! `diplograph migrate`: apply pending migrations and exit.

use anyhow::Context;
use diplograph_graph::Store;

pub(crate) async fn run(database_url: &str) -> anyhow::Result<()> {
    let store = Store::connect(database_url)
        .await
        .context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    tracing::info!(database = store.backend_name(), "database is up to date");
    store.close().await;
    Ok(())
}

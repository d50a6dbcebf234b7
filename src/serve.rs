//! `diplograph serve`: validate the settings, compile the extractor, install the metrics
//! recorder, open and migrate the database, bind, serve until SIGINT or SIGTERM, then finish
//! in-flight requests and close the database.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use diplograph_api::{ApiConfig, ApiKeys, AppState};
use diplograph_graph::Store;
use diplograph_ingest::Extractor;
use tokio::net::TcpListener;

use crate::cli::ServeArgs;

pub(crate) async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let config = api_config(&args)?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "starting diplograph");
    let extractor = tokio::task::spawn_blocking(Extractor::new)
        .await
        .context("compiling the gazetteer")?
        .context("compiling the gazetteer")?;
    let metrics = diplograph_api::install_metrics_recorder().context("installing the metrics recorder")?;
    let store = Store::connect(database_url)
        .await
        .context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    tracing::info!(database = store.backend_name(), "database ready");
    store
        .load_projection()
        .await
        .context("building the graph projection")?;

    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    if !config.api_keys.is_enabled() && !addr.ip().is_loopback() {
        tracing::warn!("no api key is set: anyone who can reach {addr} can write");
    }
    tracing::info!("listening on {addr}");

    let state = AppState::new(store.clone(), config, Arc::new(extractor)).with_metrics(metrics);
    diplograph_api::serve(listener, state, shutdown_signal())
        .await
        .context("serving http")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Builds the HTTP settings, reading the keys file if one is named.
fn api_config(args: &ServeArgs) -> anyhow::Result<ApiConfig> {
    let mut api_keys = match &args.api_key {
        Some(key) => ApiKeys::from_keys([key]).context("invalid DIPLOGRAPH_API_KEY / --api-key")?,
        None => ApiKeys::none(),
    };
    if let Some(path) = &args.api_keys_file {
        let contents = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the api keys file {}", path.display()))?;
        let from_file = ApiKeys::parse_keys_file(&contents)
            .with_context(|| format!("invalid api keys file {}", path.display()))?;
        api_keys = api_keys.merge(from_file);
    }
    if api_keys.is_enabled() {
        tracing::info!(keys = api_keys.len(), "writes require an api key");
    }
    let read_keys = match &args.read_keys_file {
        Some(path) => {
            let contents = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the read keys file {}", path.display()))?;
            let keys = ApiKeys::parse_keys_file(&contents)
                .with_context(|| format!("invalid read keys file {}", path.display()))?;
            tracing::info!(keys = keys.len(), "reads require an api key");
            keys
        }
        None => ApiKeys::none(),
    };
    if args.rate_limit > 0 {
        tracing::info!(per_second = args.rate_limit, "rate limit per client");
    }
    Ok(ApiConfig {
        max_body: args.max_body,
        request_timeout: Duration::from_secs(args.request_timeout),
        cors_origins: args.cors_origins.clone(),
        api_keys,
        read_keys,
        rate_limit: args.rate_limit,
    })
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, whichever comes first.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate() => {}
    }
    tracing::info!("shutdown signal received, finishing in-flight requests");
}

#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut sigterm) => {
            sigterm.recv().await;
        }
        Err(err) => {
            tracing::warn!(error = %err, "cannot listen for sigterm");
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending::<()>().await;
}

//! `diplograph serve`: validate the settings (and refuse a non-loopback address without keys),
//! compile the extractor, install the metrics recorder, open and migrate the database, bind,
//! serve until SIGINT or SIGTERM while reloading the keys files on SIGHUP or change and catching
//! up with other processes' writes, then finish in-flight requests and close the database.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use diplograph_api::{ApiConfig, AppState, KeyRing, Keys};
use diplograph_graph::Store;
use diplograph_ingest::Extractor;
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::keys::{self, KeySources, log_keys};

pub(crate) async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let sources = KeySources::new(&args)?;
    let keys = sources.load()?;
    check_exposure(&args, &keys)?;
    let config = api_config(&args, KeyRing::new(keys));
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
    let watcher = tokio::spawn(keys::watch(sources, config.keys.clone(), keys::hangup_signals()));
    let syncer = tokio::spawn(catch_up(store.clone(), args.sync_interval));
    tracing::info!("listening on {addr}");

    let state = AppState::new(store.clone(), config, Arc::new(extractor)).with_metrics(metrics);
    let served = diplograph_api::serve(listener, state, shutdown_signal()).await;
    watcher.abort();
    syncer.abort();
    served.context("serving http")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Every `seconds` (never when 0), reloads the in-memory graph if another process wrote to the
/// database. A failed check is logged and tried again at the next tick.
async fn catch_up(store: Store, seconds: u64) {
    if seconds == 0 {
        return;
    }
    let mut ticks = tokio::time::interval(Duration::from_secs(seconds));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(err) = store.catch_up().await {
            tracing::warn!(%err, "checking the database for other processes' writes failed");
        }
    }
}

/// Refuses to listen beyond loopback with open writes, or with open reads unless
/// `--allow-public-read` says so.
fn check_exposure(args: &ServeArgs, keys: &Keys) -> anyhow::Result<()> {
    let ip = args.listen.ip();
    if ip.is_loopback() {
        return Ok(());
    }
    if !keys.write.is_enabled() {
        anyhow::bail!(
            "refusing to listen on {ip}, which is not loopback, with open writes: set DIPLOGRAPH_API_KEY \
             or DIPLOGRAPH_API_KEYS_FILE"
        );
    }
    if !keys.read.is_enabled() && !args.allow_public_read {
        anyhow::bail!(
            "refusing to listen on {ip}, which is not loopback, with open reads: set \
             DIPLOGRAPH_READ_KEYS_FILE, or DIPLOGRAPH_ALLOW_PUBLIC_READ=true (--allow-public-read) \
             to serve reads to anyone"
        );
    }
    if !keys.read.is_enabled() {
        tracing::info!(%ip, "reads are open to anyone who can reach the server (--allow-public-read)");
    }
    Ok(())
}

/// Builds the HTTP settings around the keys in force.
fn api_config(args: &ServeArgs, keys: KeyRing) -> ApiConfig {
    log_keys(&keys.current(), "api keys loaded");
    if args.rate_limit > 0 {
        tracing::info!(
            per_second = args.rate_limit,
            "rate limit per key or client address"
        );
    }
    ApiConfig {
        max_body: args.max_body,
        request_timeout: Duration::from_secs(args.request_timeout),
        cors_origins: args.cors_origins.clone(),
        keys,
        rate_limit: args.rate_limit,
    }
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

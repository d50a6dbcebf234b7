//! Per-client rate limit (`DIPLOGRAPH_RATE_LIMIT` requests per second, bursts of the same size):
//! a tower_governor layer keyed by the peer's IP address, answering `429` with `Retry-After`
//! and our JSON error body.
//!
//! The key is the TCP peer, from `ConnectInfo` (the server is built with
//! `into_make_service_with_connect_info`). Forwarding headers are not trusted: behind a proxy,
//! every client shares the proxy's budget. A request without `ConnectInfo` (an in-process test)
//! counts as one unknown client rather than failing.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorError;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::KeyExtractor;

use crate::error::error_response;

/// The governor layer for this crate's key and body type.
pub(crate) type RateLimitLayer = tower_governor::GovernorLayer<ClientIp, NoOpMiddleware, Body>;

/// The client's IP address, or `0.0.0.0` when the connection is unknown.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientIp;

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        let ip = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
        Ok(ip)
    }
}

/// The layer for `per_second` requests per second per client, or `None` when it is 0 (off).
/// A background task forgets idle clients every minute while the layer lives.
pub(crate) fn layer(per_second: u32) -> Option<RateLimitLayer> {
    if per_second == 0 {
        return None;
    }
    let period = Duration::from_nanos(1_000_000_000 / u64::from(per_second));
    let config: GovernorConfig<ClientIp, NoOpMiddleware> = GovernorConfigBuilder::default()
        .key_extractor(ClientIp)
        .period(period)
        .burst_size(per_second)
        .finish()?;
    let config = Arc::new(config);
    forget_idle_clients(&config);
    Some(tower_governor::GovernorLayer::new(config).error_handler(too_many_requests))
}

/// Keeps the limiter's memory bounded by the clients of the last minute.
fn forget_idle_clients(config: &Arc<GovernorConfig<ClientIp, NoOpMiddleware>>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let weak = Arc::downgrade(config);
    runtime.spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let Some(config) = weak.upgrade() else { break };
            config.limiter().retain_recent();
        }
    });
}

/// `429 rate_limited` with `Retry-After` in whole seconds, at least 1.
fn too_many_requests(err: GovernorError) -> Response<Body> {
    match err {
        GovernorError::TooManyRequests { wait_time, .. } => {
            let wait = wait_time.max(1);
            let message = format!("too many requests: retry after {wait} s");
            let mut res = error_response(StatusCode::TOO_MANY_REQUESTS, "rate_limited", &message);
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
            res
        }
        other => {
            tracing::error!(error = %other, "rate limiter failed");
            error_response(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
        }
    }
}

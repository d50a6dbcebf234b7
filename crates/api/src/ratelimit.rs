//! Per-client rate limit (`DIPLOGRAPH_RATE_LIMIT` requests per second, bursts of the same size):
//! a tower_governor layer answering `429` with `Retry-After` and our JSON error body.
//!
//! The client is the API key when the request carries a valid one (each key has its own budget,
//! wherever it comes from), else the TCP peer's IP address, from `ConnectInfo` (the server puts
//! it on each request). A wrong key counts against the IP address, so inventing keys buys no
//! budget. Forwarding headers are not trusted: behind a proxy, every keyless client shares the
//! proxy's budget. A request without `ConnectInfo` (an in-process test) counts as one unknown
//! client rather than failing.

use std::fmt;
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

use crate::auth::{bearer_token, is_read};
use crate::error::error_response;
use crate::keys::{KeyDigest, KeyRing};

/// The governor layer for this crate's key and body type.
pub(crate) type RateLimitLayer = tower_governor::GovernorLayer<ClientOf, NoOpMiddleware, Body>;

/// Who a request counts against.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Client {
    /// A valid API key, by its digest.
    Key(KeyDigest),
    /// A request without a valid key, by its peer's IP address (`0.0.0.0` when unknown).
    Ip(IpAddr),
}

/// Shows the address but never the key's digest.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Key(_) => f.write_str("Client::Key(..)"),
            Self::Ip(ip) => write!(f, "Client::Ip({ip})"),
        }
    }
}

/// Finds the [`Client`] of a request, checking its key against the keys in force.
#[derive(Debug, Clone)]
pub(crate) struct ClientOf(KeyRing);

impl KeyExtractor for ClientOf {
    type Key = Client;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        let keyed = bearer_token(req.headers())
            .and_then(|token| self.0.current().identify(token, is_read(req.method())));
        if let Some(digest) = keyed {
            return Ok(Client::Key(digest));
        }
        let ip = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
        Ok(Client::Ip(ip))
    }
}

/// The layer for `per_second` requests per second per client, or `None` when it is 0 (off).
/// A background task forgets idle clients every minute while the layer lives.
pub(crate) fn layer(per_second: u32, keys: KeyRing) -> Option<RateLimitLayer> {
    if per_second == 0 {
        return None;
    }
    let period = Duration::from_nanos(1_000_000_000 / u64::from(per_second));
    let config: GovernorConfig<ClientOf, NoOpMiddleware> = GovernorConfigBuilder::default()
        .key_extractor(ClientOf(keys))
        .period(period)
        .burst_size(per_second)
        .finish()?;
    let config = Arc::new(config);
    forget_idle_clients(&config);
    Some(tower_governor::GovernorLayer::new(config).error_handler(too_many_requests))
}

/// Keeps the limiter's memory bounded by the clients of the last minute.
fn forget_idle_clients(config: &Arc<GovernorConfig<ClientOf, NoOpMiddleware>>) {
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

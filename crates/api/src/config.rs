//! [`ApiConfig`]: the settings the router and its middleware read, already parsed and validated.
//! The binary fills it from flags and environment variables.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use axum::http::HeaderValue;

use crate::keys::KeyRing;

/// Default `DIPLOGRAPH_MAX_BODY`: 2 MiB.
pub const DEFAULT_MAX_BODY: usize = 2 * 1024 * 1024;
/// Default request timeout.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the HTTP layer needs to know. Shared read-only through [`crate::AppState`].
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Largest request body accepted, in bytes; larger bodies get `413`.
    pub max_body: usize,
    /// Time a request may take until its response head; slower requests get `408`.
    pub request_timeout: Duration,
    /// Origins allowed to call the API from a browser; `None` sends no CORS headers.
    pub cors_origins: Option<CorsOrigins>,
    /// The write and read keys in force (see [`crate::Keys`]); replaceable while serving, for
    /// rotation. No write key: writes are open; no read key: reads are open. `/healthz`,
    /// `/readyz`, `/docs` and `/openapi.json` never need a key.
    pub keys: KeyRing,
    /// Requests per second allowed per client (bursts up to the same number): per key for a
    /// request with a valid key, per IP address otherwise; 0 turns the limit off.
    pub rate_limit: u32,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            max_body: DEFAULT_MAX_BODY,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            cors_origins: None,
            keys: KeyRing::default(),
            rate_limit: 0,
        }
    }
}

/// The origins of `DIPLOGRAPH_CORS_ORIGINS`: `*` or a comma-separated list of
/// `scheme://host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// `*`: any origin.
    Any,
    /// Exactly these origins.
    List(Vec<HeaderValue>),
}

impl FromStr for CorsOrigins {
    type Err = InvalidSetting;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim() == "*" {
            return Ok(Self::Any);
        }
        let origins = s
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(parse_origin)
            .collect::<Result<Vec<_>, _>>()?;
        if origins.is_empty() {
            return Err(InvalidSetting::new(
                "no origin given: use `*` or a comma-separated list",
            ));
        }
        Ok(Self::List(origins))
    }
}

fn parse_origin(origin: &str) -> Result<HeaderValue, InvalidSetting> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| {
            InvalidSetting::new(format!("origin {origin:?} must start with http:// or https://"))
        })?;
    if rest.is_empty() || rest.contains('/') {
        return Err(InvalidSetting::new(format!(
            "origin {origin:?} must be scheme://host[:port] with no path"
        )));
    }
    HeaderValue::from_str(origin).map_err(|_| InvalidSetting::new(format!("origin {origin:?} is not valid")))
}

/// A setting whose value cannot be used; the message names the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSetting(String);

impl InvalidSetting {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for InvalidSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidSetting {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_means_any_origin() {
        assert_eq!(" * ".parse::<CorsOrigins>(), Ok(CorsOrigins::Any));
    }

    #[test]
    fn list_of_origins_is_split_and_trimmed() {
        let origins: CorsOrigins = "https://a.example, http://localhost:3000,"
            .parse()
            .expect("valid");
        let CorsOrigins::List(list) = origins else {
            panic!("expected a list")
        };
        assert_eq!(list, ["https://a.example", "http://localhost:3000"]);
    }

    #[test]
    fn origin_with_a_path_is_rejected() {
        let err = "https://a.example/app"
            .parse::<CorsOrigins>()
            .expect_err("rejected");
        assert!(err.to_string().contains("no path"), "{err}");
    }

    #[test]
    fn origin_without_scheme_is_rejected() {
        assert!("a.example".parse::<CorsOrigins>().is_err());
        assert!(" , ".parse::<CorsOrigins>().is_err());
    }
}

//! API keys: [`ApiKeys`] and the middleware that checks `Authorization: Bearer <key>` on every
//! write (any method but `GET`, `HEAD`, `OPTIONS`) and, when read keys are configured, on reads.
//!
//! Only SHA-256 digests of the keys are kept, and a presented key is compared against every
//! digest in constant time, so neither timing nor a memory dump reveals a key. Keys are never
//! logged.

use std::fmt;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::config::InvalidSetting;
use crate::error::ApiError;
use crate::state::AppState;

/// The keys accepted for writes, as SHA-256 digests. Empty means writes are open.
#[derive(Clone, Default)]
pub struct ApiKeys {
    digests: Vec<[u8; 32]>,
}

impl ApiKeys {
    /// No keys: writes need no authentication.
    pub fn none() -> Self {
        Self::default()
    }

    /// Accepts these keys. Each is trimmed; an empty key or one containing whitespace is
    /// rejected rather than silently ignored.
    pub fn from_keys<I, K>(keys: I) -> Result<Self, InvalidSetting>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        let mut digests = Vec::new();
        for key in keys {
            let key = key.as_ref().trim();
            if key.is_empty() {
                return Err(InvalidSetting::new("api key is empty"));
            }
            if key.chars().any(char::is_whitespace) {
                return Err(InvalidSetting::new("api key contains whitespace"));
            }
            digests.push(digest(key));
        }
        Ok(Self { digests })
    }

    /// Parses the contents of a keys file: one key per line; blank lines and lines starting
    /// with `#` are skipped. A file with no key is an error, since it would leave writes open.
    pub fn parse_keys_file(contents: &str) -> Result<Self, InvalidSetting> {
        let keys = contents
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let keys = Self::from_keys(keys)?;
        if keys.digests.is_empty() {
            return Err(InvalidSetting::new("the api keys file contains no key"));
        }
        Ok(keys)
    }

    /// Adds the keys of `other`.
    pub fn merge(mut self, other: Self) -> Self {
        self.digests.extend(other.digests);
        self
    }

    /// Whether writes need a key.
    pub fn is_enabled(&self) -> bool {
        !self.digests.is_empty()
    }

    /// Number of accepted keys.
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether no key is configured.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// Whether `presented` is one of the keys. Takes the same time whichever key matches.
    pub fn verify(&self, presented: &str) -> bool {
        let presented = digest(presented);
        let mut found = Choice::from(0);
        for key in &self.digests {
            found |= key.as_slice().ct_eq(presented.as_slice());
        }
        found.into()
    }
}

/// Never prints a key or a digest.
impl fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeys({} configured)", self.digests.len())
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// Middleware: writes need a valid bearer key when keys are configured (401 without a key,
/// 403 with a wrong one). Reads pass, unless read keys are configured: then `GET` and `HEAD`
/// need a read or write key, except on the public paths (health, readiness, docs).
pub(crate) async fn require_keys(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let config = &state.config;
    let needs_key = if is_read(req.method()) {
        config.read_keys.is_enabled() && req.method() != Method::OPTIONS && !is_public(req.uri().path())
    } else {
        config.api_keys.is_enabled()
    };
    if !needs_key {
        return Ok(next.run(req).await);
    }
    let Some(token) = bearer_token(req.headers()) else {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "request without an api key");
        return Err(ApiError::Unauthorized);
    };
    let accepted = config.api_keys.verify(token) || (is_read(req.method()) && config.read_keys.verify(token));
    if !accepted {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "request with a wrong api key");
        return Err(ApiError::Forbidden);
    }
    Ok(next.run(req).await)
}

/// Paths that never need a read key: probes and the API's own description.
fn is_public(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/openapi.json" | "/docs") || path.starts_with("/docs/")
}

fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn configured_key_verifies_and_others_do_not() {
        let keys = ApiKeys::from_keys(["alpha-key", "beta-key"]).expect("valid keys");
        assert!(keys.verify("alpha-key"));
        assert!(keys.verify("beta-key"));
        assert!(!keys.verify("alpha-ke"));
        assert!(!keys.verify(""));
    }

    #[test]
    fn keys_file_skips_comments_and_blank_lines() {
        let keys = ApiKeys::parse_keys_file("# writers\n\n  k1  \nk2\n").expect("valid file");
        assert_eq!(keys.len(), 2);
        assert!(keys.verify("k1"));
    }

    #[test]
    fn keys_file_without_keys_is_rejected() {
        assert!(ApiKeys::parse_keys_file("# nothing here\n\n").is_err());
    }

    #[test]
    fn empty_or_spaced_key_is_rejected() {
        assert!(ApiKeys::from_keys([" "]).is_err());
        assert!(ApiKeys::from_keys(["two words"]).is_err());
    }

    #[test]
    fn debug_never_shows_keys() {
        let keys = ApiKeys::from_keys(["s3cret"]).expect("valid");
        assert_eq!(format!("{keys:?}"), "ApiKeys(1 configured)");
    }

    #[test]
    fn bearer_token_is_read_case_insensitively() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer  tok"));
        assert_eq!(bearer_token(&headers), Some("tok"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic dXNlcg=="));
        assert_eq!(bearer_token(&headers), None);
    }
}

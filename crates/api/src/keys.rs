//! API keys: [`ApiKeys`] (a set of accepted keys, kept as SHA-256 digests) and [`KeyRing`]
//! (the write and read keys in force, replaceable while the server runs, for rotation).
//!
//! Only digests are kept, and a presented key is compared against every digest in constant time,
//! so neither timing nor a memory dump reveals a key. Nothing here prints a key or a digest.

use std::fmt;
use std::sync::{Arc, RwLock};

use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::config::InvalidSetting;

/// The SHA-256 digest of a key.
pub(crate) type KeyDigest = [u8; 32];

/// Prefix of a keys-file line that holds a key's SHA-256 digest (64 hex digits) instead of the key.
const DIGEST_PREFIX: &str = "sha256:";

/// A set of accepted keys, as SHA-256 digests. Empty means "no key needed".
#[derive(Clone, Default)]
pub struct ApiKeys {
    digests: Vec<KeyDigest>,
}

impl ApiKeys {
    /// No keys: no authentication needed.
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
            digests.push(digest(checked_key(key.as_ref())?));
        }
        Ok(Self { digests })
    }

    /// Parses the contents of a keys file: one key per line, or `sha256:` and the key's
    /// SHA-256 digest in hex (`printf %s KEY | sha256sum`), so the file need not hold the key
    /// itself; blank lines and lines starting with `#` are skipped. A file with no key is an
    /// error, since it would leave the server open. Errors name the line, never its contents.
    pub fn parse_keys_file(contents: &str) -> Result<Self, InvalidSetting> {
        let mut digests = Vec::new();
        for (index, line) in contents.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parsed = match line.strip_prefix(DIGEST_PREFIX) {
                Some(hex) => parse_hex_digest(hex),
                None => checked_key(line).map(digest),
            };
            digests.push(parsed.map_err(|err| InvalidSetting::new(format!("line {}: {err}", index + 1)))?);
        }
        if digests.is_empty() {
            return Err(InvalidSetting::new("the keys file contains no key"));
        }
        Ok(Self { digests })
    }

    /// Adds the keys of `other`.
    pub fn merge(mut self, other: Self) -> Self {
        self.digests.extend(other.digests);
        self
    }

    /// Whether a key is needed.
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
        self.contains(&digest(presented))
    }

    /// Constant-time membership of a digest: every stored digest is compared, in full.
    fn contains(&self, presented: &KeyDigest) -> bool {
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

/// The keys in force: `write` keys allow everything, `read` keys only reads.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// Keys accepted for writes (and reads); when empty, writes are open.
    pub write: ApiKeys,
    /// Keys accepted for reads only; when empty, reads are open.
    pub read: ApiKeys,
}

impl Keys {
    /// The digest of `presented` when it is a valid key: a write key, or a read key when
    /// `read` is true. Used as the rate-limit identity of a keyed client.
    pub(crate) fn identify(&self, presented: &str, read: bool) -> Option<KeyDigest> {
        let presented = digest(presented);
        let accepted = self.write.contains(&presented) | (read & self.read.contains(&presented));
        accepted.then_some(presented)
    }
}

/// The [`Keys`] in force, shared by the middleware and whoever reloads them. Clones share the
/// same keys: [`KeyRing::replace`] on one is seen by all, by the next request.
#[derive(Debug, Clone, Default)]
pub struct KeyRing(Arc<RwLock<Arc<Keys>>>);

impl KeyRing {
    /// A ring holding `keys`.
    pub fn new(keys: Keys) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(keys))))
    }

    /// The keys in force now.
    pub fn current(&self) -> Arc<Keys> {
        // A poisoned lock still holds a whole `Arc<Keys>` (replacing is one assignment).
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts `keys` in force for every later request.
    pub fn replace(&self, keys: Keys) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(keys);
    }
}

fn checked_key(key: &str) -> Result<&str, InvalidSetting> {
    let key = key.trim();
    if key.is_empty() {
        return Err(InvalidSetting::new("api key is empty"));
    }
    if key.chars().any(char::is_whitespace) {
        return Err(InvalidSetting::new("api key contains whitespace"));
    }
    Ok(key)
}

fn digest(key: &str) -> KeyDigest {
    Sha256::digest(key.as_bytes()).into()
}

fn parse_hex_digest(hex: &str) -> Result<KeyDigest, InvalidSetting> {
    let invalid = || InvalidSetting::new("a sha256: digest must be 64 hex digits");
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(invalid());
    }
    let mut out = [0_u8; 32];
    for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).map_err(|_| invalid())?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| invalid())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
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
    fn keys_file_accepts_sha256_digests() {
        let hex = Sha256::digest(b"alpha-key")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        let keys = ApiKeys::parse_keys_file(&format!("sha256:{hex}\n")).expect("valid file");
        assert!(keys.verify("alpha-key"));
        assert!(!keys.verify(&format!("sha256:{hex}")));
    }

    #[test]
    fn bad_digest_line_is_rejected_without_echoing_it() {
        let not_hex = format!("sha256:{}", "g".repeat(64));
        for line in ["sha256:abc", "sha256:zz", &not_hex] {
            let err = ApiKeys::parse_keys_file(&format!("ok-key\n{line}\n")).expect_err(line);
            assert_eq!(err.to_string(), "line 2: a sha256: digest must be 64 hex digits");
        }
    }

    #[test]
    fn keys_file_without_keys_is_rejected() {
        assert!(ApiKeys::parse_keys_file("# nothing here\n\n").is_err());
    }

    #[test]
    fn empty_or_spaced_key_is_rejected() {
        assert!(ApiKeys::from_keys([" "]).is_err());
        assert!(ApiKeys::from_keys(["two words"]).is_err());
        let err = ApiKeys::parse_keys_file("good\nbad key\n").expect_err("spaced key");
        assert_eq!(err.to_string(), "line 2: api key contains whitespace");
    }

    #[test]
    fn debug_never_shows_keys() {
        let keys = ApiKeys::from_keys(["s3cret"]).expect("valid");
        assert_eq!(format!("{keys:?}"), "ApiKeys(1 configured)");
        let ring = KeyRing::new(Keys {
            write: keys,
            read: ApiKeys::none(),
        });
        assert!(!format!("{ring:?}").contains("s3cret"));
    }

    #[test]
    fn read_keys_identify_only_reads_and_a_replaced_ring_is_seen_by_clones() {
        let ring = KeyRing::new(Keys {
            write: ApiKeys::from_keys(["writer"]).expect("valid"),
            read: ApiKeys::from_keys(["reader"]).expect("valid"),
        });
        let keys = ring.current();
        assert!(keys.identify("writer", false).is_some());
        assert!(keys.identify("reader", true).is_some());
        assert!(keys.identify("reader", false).is_none());
        assert!(keys.identify("other", true).is_none());

        let clone = ring.clone();
        ring.replace(Keys {
            write: ApiKeys::from_keys(["writer-2"]).expect("valid"),
            read: ApiKeys::none(),
        });
        assert!(clone.current().write.verify("writer-2"));
        assert!(!clone.current().write.verify("writer"));
        assert!(
            keys.write.verify("writer"),
            "a request in flight keeps its snapshot"
        );
    }
}

//! Opaque ids of stored events and articles (UUID v7 strings, so they sort by creation time).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::StoreError;

macro_rules! opaque_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Validates an id from outside: 1–64 ASCII letters, digits, `-`, `_`, `:` or `.`.
            pub fn parse(input: &str) -> Result<Self, StoreError> {
                if valid_id(input) {
                    Ok(Self(input.to_owned()))
                } else {
                    Err(StoreError::InvalidInput(format!(
                        concat!("invalid ", $what, " id {:?}"),
                        input.chars().take(32).collect::<String>()
                    )))
                }
            }

            /// A new time-ordered id.
            pub(crate) fn generate() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }

            /// Wraps an id read from the database.
            pub(crate) fn from_db(id: String) -> Self {
                Self(id)
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

opaque_id!(
    /// The id of a stored event.
    EventId,
    "event"
);
opaque_id!(
    /// The id of a stored article.
    ArticleId,
    "article"
);

fn valid_id(input: &str) -> bool {
    !input.is_empty()
        && input.len() <= 64
        && input
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b))
}

/// A new time-ordered opaque id (UUID v7) for an entity, mention or similar row.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

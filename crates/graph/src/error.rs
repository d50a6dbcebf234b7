//! [`StoreError`], the one error type of this crate; sqlx errors are mapped here and nowhere else.

/// Why a store operation failed. Messages are one line and never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist (`"event 0190…"`).
    #[error("{0} not found")]
    NotFound(String),
    /// A unique constraint rejected the write.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// The input cannot be stored or queried as given.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The database could not be reached or opened; the message names the problem.
    #[error("{0}")]
    Connect(String),
    /// Applying the migrations failed.
    #[error("migration failed: {0}")]
    Migrate(String),
    /// An input file could not be read; the message names it.
    #[error("{0}")]
    Io(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match err {
            sqlx::Error::RowNotFound => StoreError::NotFound("row".to_owned()),
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => StoreError::Conflict {
                    constraint: db.constraint().unwrap_or("unique constraint").to_owned(),
                },
                ErrorKind::ForeignKeyViolation | ErrorKind::CheckViolation | ErrorKind::NotNullViolation => {
                    StoreError::InvalidInput(one_line(db.message()))
                }
                _ => StoreError::Database(one_line(db.message())),
            },
            sqlx::Error::PoolTimedOut => {
                StoreError::Database("timed out waiting for a database connection".to_owned())
            }
            sqlx::Error::Migrate(err) => StoreError::Migrate(one_line(&err.to_string())),
            other => StoreError::Database(one_line(&other.to_string())),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(one_line(&err.to_string()))
    }
}

/// Collapses a possibly multi-line driver message to one line.
pub(crate) fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

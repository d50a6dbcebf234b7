//! Opening a database from a URL: scheme dispatch, SQLite and PostgreSQL options, clear errors.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, PgConnection, PgPool, SqlitePool};

use crate::error::{StoreError, one_line};

/// How long a connection attempt may take before it counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long SQLite waits for a lock held by another connection.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Which database a URL names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scheme {
    Sqlite,
    Postgres,
}

/// Picks the backend from the URL scheme.
pub(crate) fn scheme(url: &str) -> Result<Scheme, StoreError> {
    let Some((scheme, _)) = url.split_once(':') else {
        return Err(StoreError::Connect(format!(
            "invalid database url {}: expected sqlite:… or postgres://…",
            redact(url)
        )));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "sqlite" => Ok(Scheme::Sqlite),
        "postgres" | "postgresql" => Ok(Scheme::Postgres),
        other => Err(StoreError::Connect(format!(
            "unsupported database url scheme {other:?}: expected sqlite: or postgres:"
        ))),
    }
}

/// Replaces the password of a URL (`user:secret@host`) with `***`.
pub(crate) fn redact(url: &str) -> String {
    let Some(rest_at) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[rest_at..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| rest_at + i);
    let authority = &url[rest_at..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &authority[..at];
    let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
    let masked = if userinfo.contains(':') {
        format!("{user}:***")
    } else {
        user.to_owned()
    };
    format!("{}{masked}{}", &url[..rest_at], &url[rest_at + at..])
}

const PAGE_SIZE: u32 = 16384;

/// Opens a SQLite pool: WAL, foreign keys on, a 5 s busy timeout.
pub(crate) async fn sqlite(url: &str) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(|e| {
        StoreError::Connect(format!("invalid sqlite url {url}: {}", one_line(&e.to_string())))
    })?;
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let path = options.get_filename().to_path_buf();
    if !in_memory {
        check_sqlite_path(&path, url)?;
    }
    let options = options
        .journal_mode(if in_memory {
            SqliteJournalMode::Memory
        } else {
            SqliteJournalMode::Wal
        })
        .page_size(PAGE_SIZE)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    // An in-memory database lives as long as one of its connections: keep one open forever, and
    // only one, since shared-cache databases lock per table, outside the busy timeout.
    let pool = if in_memory {
        SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
    } else {
        SqlitePoolOptions::new()
    };
    pool.acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|e| {
            StoreError::Connect(format!(
                "cannot open sqlite database {}: {}",
                path.display(),
                reason(&e)
            ))
        })
}

/// Turns the driver's "unable to open database file" into a message that names the cause.
fn check_sqlite_path(path: &Path, url: &str) -> Result<(), StoreError> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = parent
        && !dir.is_dir()
    {
        return Err(StoreError::Connect(format!(
            "cannot open sqlite database {}: directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let creates = url.contains("mode=rwc");
    if !creates && !path.exists() {
        return Err(StoreError::Connect(format!(
            "sqlite database {} does not exist (add ?mode=rwc to the url to create it)",
            path.display()
        )));
    }
    Ok(())
}

/// Opens a PostgreSQL pool and checks that a first connection works.
pub(crate) async fn postgres(url: &str) -> Result<PgPool, StoreError> {
    let shown = redact(url);
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Connect(format!("invalid postgres url {shown}: {}", strip(&e, url))))?;
    let target = format!("{}:{}", options.get_host(), options.get_port());
    let fail = |e: &sqlx::Error| {
        StoreError::Connect(format!(
            "cannot connect to postgres at {target} ({shown}): {}",
            reason(e)
        ))
    };
    // One direct attempt first: the pool would retry a refused connection until its timeout.
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Err(_) => return Err(fail(&sqlx::Error::PoolTimedOut)),
        Ok(Err(e)) => return Err(fail(&e)),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
        }
    }
    PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|e| fail(&e))
}

/// A short, lowercase reason for a connection failure.
fn reason(err: &sqlx::Error) -> String {
    let text = match err {
        sqlx::Error::Database(db) => db.message().to_owned(),
        sqlx::Error::PoolTimedOut => "timed out".to_owned(),
        sqlx::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    };
    let text = one_line(&text);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "unknown error".to_owned(),
    }
}

/// A parse error's text with the URL (and so its password) removed, should the driver quote it.
fn strip(err: &sqlx::Error, url: &str) -> String {
    one_line(&err.to_string().replace(url, "<url>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db?x=1"),
            "postgres://u:***@h:5432/db?x=1"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://a.db?mode=rwc"), "sqlite://a.db?mode=rwc");
        assert_eq!(redact("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn schemes_pick_the_backend() {
        assert_eq!(scheme("sqlite::memory:").unwrap(), Scheme::Sqlite);
        assert_eq!(scheme("postgresql://h/db").unwrap(), Scheme::Postgres);
        assert_eq!(scheme("POSTGRES://h/db").unwrap(), Scheme::Postgres);
        assert!(
            scheme("mysql://h/db")
                .unwrap_err()
                .to_string()
                .contains("\"mysql\"")
        );
        assert!(scheme("diplograph.db").is_err());
    }
}

//! Row counts of every table of a test database, read directly (test code may look into its own
//! scratch databases): the strongest "the store is unchanged" check there is.

use std::collections::BTreeMap;

use sqlx::{Connection, Row};

const SQLITE_TABLES: &str = "select name from sqlite_master where type = 'table' \
     and name not like 'sqlite_%' and name <> '_sqlx_migrations'";
const POSTGRES_TABLES: &str = "select tablename::text from pg_tables where schemaname = 'public' \
     and tablename <> '_sqlx_migrations'";

/// Lists the tables with `$list` on `$conn`, then counts the rows of each.
macro_rules! count_tables {
    ($conn:expr, $list:expr) => {{
        let conn = &mut $conn;
        let rows = sqlx::query($list)
            .fetch_all(&mut *conn)
            .await
            .expect("list tables");
        let names: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        let mut counts = BTreeMap::new();
        for name in names {
            let sql = sqlx::AssertSqlSafe(format!("select count(*) from \"{name}\""));
            let n: i64 = sqlx::query(sql)
                .fetch_one(&mut *conn)
                .await
                .expect("count")
                .get(0);
            counts.insert(name, n);
        }
        counts
    }};
}

/// `table → rows` for every table but the migration log.
pub(crate) async fn row_counts(url: &str) -> BTreeMap<String, i64> {
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url)
            .await
            .expect("open the sqlite file");
        let counts = count_tables!(conn, SQLITE_TABLES);
        let _ = conn.close().await;
        counts
    } else {
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .expect("connect to postgres");
        let counts = count_tables!(conn, POSTGRES_TABLES);
        let _ = conn.close().await;
        counts
    }
}

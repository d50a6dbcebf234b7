//! The bulk statements of an import. Each reads its rows from one bound JSON document, an array
//! of arrays (`[["id", "MEET", …], …]`): one statement and one bind per table and batch, parsed
//! by the database in C. The two dialects differ in how the array is unnested, how a day is
//! cast, and `created_at`: SQLite gets it bound once per statement as `$2` (its column default
//! would format the clock again for every row), PostgreSQL keeps its `now()` default.

use std::sync::OnceLock;

/// Every bulk statement, in one dialect.
pub(crate) struct Statements {
    pub(crate) article: String,
    pub(crate) event: String,
    pub(crate) participant: String,
    pub(crate) place: String,
    pub(crate) mention_by_url: String,
    pub(crate) mention_by_hash: String,
    pub(crate) tie: String,
    pub(crate) tie_day: String,
    pub(crate) entity: String,
    pub(crate) entity_by_key: String,
    pub(crate) alias: String,
    pub(crate) term: String,
    pub(crate) affiliation: String,
}

/// The statements of a backend.
pub(crate) fn statements(postgres: bool) -> &'static Statements {
    static SQLITE: OnceLock<Statements> = OnceLock::new();
    static POSTGRES: OnceLock<Statements> = OnceLock::new();
    if postgres {
        POSTGRES.get_or_init(|| build(&Dialect { postgres: true }))
    } else {
        SQLITE.get_or_init(|| build(&Dialect { postgres: false }))
    }
}

pub(crate) struct Dialect {
    pub(crate) postgres: bool,
}

/// A value taken from the row's JSON array.
pub(crate) enum Col {
    Text(usize),
    Int(usize),
    Real(usize),
    Day(usize),
    /// SQL written as is (a constant, a subquery).
    Sql(&'static str),
}

impl Dialect {
    /// The rows of the JSON document bound as `$1`, one per element, as `j.value`.
    pub(crate) fn rows(&self) -> &'static str {
        if self.postgres {
            "from jsonb_array_elements(cast($1 as jsonb)) as j(value)"
        } else {
            "from jsonb_each($1) as j"
        }
    }

    fn col(&self, col: &Col) -> String {
        match col {
            Col::Text(i) => format!("j.value ->> {i}"),
            Col::Int(i) => format!("cast(j.value ->> {i} as bigint)"),
            // SQLite gives `double precision` REAL affinity; PostgreSQL's `real` is 4 bytes.
            Col::Real(i) => format!("cast(j.value ->> {i} as double precision)"),
            // A cast to date in SQLite would keep only the year: days stay text there.
            Col::Day(i) if self.postgres => format!("cast(j.value ->> {i} as date)"),
            Col::Day(i) => format!("j.value ->> {i}"),
            Col::Sql(sql) => (*sql).to_owned(),
        }
    }

    /// `insert into table (columns[, created_at]) select values[, $2] from rows where true`,
    /// followed by `tail` (an `on conflict` clause).
    pub(crate) fn insert(&self, table: &str, columns: &[(&str, Col)], tail: &str) -> String {
        let mut names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let mut values: Vec<String> = columns.iter().map(|(_, col)| self.col(col)).collect();
        if !self.postgres {
            names.push("created_at");
            values.push("$2".to_owned());
        }
        format!(
            "insert into {table} ({}) select {} {} where true {tail}",
            names.join(", "),
            values.join(", "),
            self.rows()
        )
    }
}

pub(crate) const IGNORE: &str = "on conflict do nothing";

const TIE_UPDATE: &str = crate::rollup::tie_merge!();

const TIE_DAY_UPDATE: &str = crate::rollup::tie_day_merge!();

const MENTION_CONFLICT: &str = "on conflict (event_id, article_id, sentence) do nothing";

fn build(d: &Dialect) -> Statements {
    use Col::{Day, Int, Real, Sql, Text};
    let mention = |article: &'static str| {
        d.insert(
            "mention",
            &[
                ("id", Text(0)),
                ("event_id", Text(1)),
                ("article_id", Sql(article)),
                ("sentence", Sql("0")),
                ("sentence_start", Sql("0")),
                ("sentence_end", Sql("0")),
                ("evidence", Text(3)),
                ("participant_spans", Sql("'[]'")),
                ("confidence", Real(4)),
                ("extractor", Text(5)),
            ],
            MENTION_CONFLICT,
        )
    };
    Statements {
        article: d.insert(
            "article",
            &[
                ("id", Text(0)),
                ("url", Text(1)),
                ("title", Text(2)),
                ("published", Text(3)),
                ("source", Text(4)),
                ("text_hash", Text(5)),
                ("text_bytes", Sql("0")),
                ("extractor", Text(6)),
            ],
            IGNORE,
        ),
        event: d.insert(
            "event",
            &[
                ("id", Text(0)),
                ("kind", Text(1)),
                ("modality", Sql("'asserted'")),
                ("date_start", Text(2)),
                ("date_end", Sql("null")),
                ("date_precision", Sql("'day'")),
                ("first_day", Day(2)),
                ("last_day", Day(2)),
                ("sort_day", Day(2)),
                ("confidence", Real(3)),
                ("identity_key", Text(4)),
            ],
            "",
        ),
        participant: d.insert(
            "participant",
            &[
                ("event_id", Text(0)),
                ("entity_id", Text(1)),
                ("role", Text(2)),
                ("country", Text(3)),
                ("kind", Text(4)),
                ("modality", Sql("'asserted'")),
                ("sort_day", Day(5)),
            ],
            IGNORE,
        ),
        place: d.insert(
            "event_place",
            &[
                ("event_id", Text(0)),
                ("entity_id", Sql("null")),
                ("name", Text(1)),
                ("country", Text(2)),
            ],
            IGNORE,
        ),
        mention_by_url: mention("(select a.id from article a where a.url = j.value ->> 2)"),
        mention_by_hash: mention("(select a.id from article a where a.text_hash = j.value ->> 2)"),
        tie: d.insert(
            "tie",
            &[
                ("country", Text(0)),
                ("partner", Text(1)),
                ("kind", Text(2)),
                ("modality", Text(3)),
                ("direction", Text(4)),
                ("n", Int(5)),
                ("n_dated", Int(6)),
                ("first_day", Day(7)),
                ("last_day", Day(8)),
                ("tone_sum", Real(9)),
                ("last_event_id", Text(10)),
            ],
            TIE_UPDATE,
        ),
        tie_day: d.insert(
            "tie_day",
            &[
                ("country", Text(0)),
                ("partner", Text(1)),
                ("day", Day(2)),
                ("kind", Text(3)),
                ("modality", Text(4)),
                ("direction", Text(5)),
                ("n", Int(6)),
                ("tone_sum", Real(7)),
            ],
            TIE_DAY_UPDATE,
        ),
        entity: d.insert(
            "entity",
            &[
                ("id", Text(0)),
                ("kind", Text(1)),
                ("name", Text(2)),
                ("country", Text(3)),
                ("resolve_key", Text(4)),
            ],
            IGNORE,
        ),
        entity_by_key: format!(
            "select resolve_key, id from entity where kind = $2 and resolve_key in (select j.value ->> 0 {})",
            d.rows()
        ),
        alias: d.insert(
            "alias",
            &[
                ("entity_id", Text(0)),
                ("alias", Text(1)),
                ("normalized", Text(2)),
            ],
            IGNORE,
        ),
        term: d.insert(
            "search_term",
            &[("entity_id", Text(0)), ("term", Text(1))],
            IGNORE,
        ),
        affiliation: d.insert(
            "affiliation",
            &[("entity_id", Text(0)), ("country", Text(1)), ("title", Text(2))],
            IGNORE,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_binds_created_at_and_postgres_casts_days() {
        let sqlite = statements(false);
        assert!(sqlite.event.contains("created_at) select"), "{}", sqlite.event);
        assert!(
            sqlite.event.contains(", $2 from jsonb_each($1)"),
            "{}",
            sqlite.event
        );
        assert!(!sqlite.event.contains("as date"));
        let postgres = statements(true);
        assert!(!postgres.event.contains("created_at"));
        assert!(postgres.event.contains("cast(j.value ->> 2 as date)"));
        assert!(
            postgres
                .tie
                .contains("on conflict (country, modality, partner, kind, direction)")
        );
    }
}

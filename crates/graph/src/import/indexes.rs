//! Secondary indexes a large import drops while it loads and builds again at the end: filling a
//! b-tree in random key order rewrites most of its pages on every batch, building it once sorts.
//! Only non-unique indexes that no import statement reads are deferred; unique ones, which
//! `on conflict` and the article and entity lookups need, stay.

use crate::db::Conn;
use crate::error::StoreError;

/// (name, definition); the definitions are those of the migrations, word for word.
const DEFERRABLE: [(&str, &str); 5] = [
    (
        "participant_entity_timeline",
        "create index if not exists participant_entity_timeline on participant (entity_id, modality, sort_day, event_id)",
    ),
    (
        "participant_country_timeline",
        "create index if not exists participant_country_timeline on participant (country, modality, sort_day, event_id)",
    ),
    (
        "event_identity",
        "create index if not exists event_identity on event (identity_key)",
    ),
    (
        "mention_article",
        "create index if not exists mention_article on mention (article_id)",
    ),
    (
        "tie_day_pair",
        "create index if not exists tie_day_pair on tie_day (country, partner, modality, day)",
    ),
];

/// Drops the deferrable indexes (those already gone are fine).
pub(crate) async fn drop_deferrable(conn: &mut Conn) -> Result<(), StoreError> {
    for (name, _) in DEFERRABLE {
        conn.execute(
            crate::db::dynamic(format!("drop index if exists {name}")),
            Vec::new(),
        )
        .await?;
    }
    Ok(())
}

/// Creates whichever deferrable index is missing; cheap when none is.
pub(crate) async fn ensure(conn: &mut Conn) -> Result<(), StoreError> {
    for (_, definition) in DEFERRABLE {
        conn.execute(definition, Vec::new()).await?;
    }
    Ok(())
}

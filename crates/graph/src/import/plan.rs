//! Planning a batch, away from the database: read up to a batch of records, decide for each row
//! whether it is a new event or another report of a known one (the identity rule, against an
//! in-memory index of stored identities), and encode every table's rows as one JSON document.
//! The planner runs on its own thread, one batch ahead of the transaction that writes the
//! previous one.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::NaiveDate;
use diplograph_core::{CountryCode, Modality, Role};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::{Conn, args};
use crate::error::StoreError;
use crate::events::{identity_key, overlaps};
use crate::ids::new_id;
use crate::import::driver::Records;
use crate::import::entities::{Seed, docs};
use crate::import::job::Counts;
use crate::import::rollups::RollupDeltas;
use crate::import::row::{ArticleKey, ImportRow, Parsed};
use crate::rollup::EventFacts;

/// Events read per page when loading the stored identities.
const PAGE: i64 = 50_000;

/// The identities of stored events: a 128-bit hash of the identity key (kind, modality,
/// participants) → the events with that key and their days. Loaded once per import and kept
/// up to date by the planner, so de-duplication never queries per row.
#[derive(Default)]
pub(crate) struct Known {
    events: HashMap<u128, Vec<KnownEvent>>,
}

#[derive(Clone, Copy)]
struct KnownEvent {
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    id: u128,
}

const STORED: &str =
    "select id, identity_key, first_day, last_day from event where id > $1 order by id limit $2";

impl Known {
    /// Reads every stored event's identity, a page at a time.
    pub(crate) async fn load(conn: &mut Conn) -> Result<Known, StoreError> {
        let mut known = Known::default();
        let mut after = String::new();
        loop {
            let rows: Vec<(String, String, Option<NaiveDate>, Option<NaiveDate>)> =
                conn.fetch_all(STORED, args![&after, PAGE]).await?;
            let full = rows.len() as i64 == PAGE;
            for (id, key, first, last) in rows {
                match Uuid::parse_str(&id) {
                    Ok(uuid) => known.add(key_hash(&key), first, last, uuid.as_u128()),
                    Err(_) => tracing::warn!(%id, "stored event id is not a uuid: not de-duplicated against"),
                }
                after = id;
            }
            if !full {
                return Ok(known);
            }
        }
    }

    /// The first stored event with this identity whose days overlap the range (undated events
    /// only match undated ones).
    pub(crate) fn find(&self, hash: u128, range: Option<(NaiveDate, NaiveDate)>) -> Option<u128> {
        self.events
            .get(&hash)?
            .iter()
            .find(|e| overlaps(range, e.first, e.last))
            .map(|e| e.id)
    }

    pub(crate) fn add(&mut self, hash: u128, first: Option<NaiveDate>, last: Option<NaiveDate>, id: u128) {
        self.events
            .entry(hash)
            .or_default()
            .push(KnownEvent { first, last, id });
    }
}

/// Two independent 64-bit hashes of an identity key: collisions are out of reach.
pub(crate) fn key_hash(key: &str) -> u128 {
    let half = |salt: u8| {
        let mut hasher = DefaultHasher::new();
        salt.hash(&mut hasher);
        key.hash(&mut hasher);
        hasher.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// One batch, ready to write: JSON documents per statement, each of at most [`DOC_ROWS`] rows.
#[derive(Default)]
pub(crate) struct Planned {
    pub(crate) articles: Vec<String>,
    pub(crate) events: Vec<String>,
    pub(crate) participants: Vec<String>,
    pub(crate) places: Vec<String>,
    pub(crate) mentions_by_url: Vec<String>,
    pub(crate) mentions_by_hash: Vec<String>,
    pub(crate) ties: Vec<String>,
    pub(crate) tie_days: Vec<String>,
    /// Countries first acted for in this batch, to store before the events.
    pub(crate) countries: Vec<Seed>,
    /// This batch's counts (events, skips, bad rows).
    pub(crate) counts: Counts,
    /// Malformed rows: (line, reason).
    pub(crate) bad: Vec<(u64, String)>,
    /// The last line read and the byte offset after it.
    pub(crate) lines_done: u64,
    pub(crate) bytes_done: u64,
}

/// Where the mentions of a source say they come from.
#[derive(Clone, Copy)]
pub(crate) struct Source {
    /// `extractor` of articles and mentions, e.g. `import:gdelt2`.
    pub(crate) extractor: &'static str,
    pub(crate) confidence: f64,
}

/// Plans batches; owns the identity index and the article keys already sent.
pub(crate) struct Planner {
    pub(crate) known: Known,
    pub(crate) source: Source,
    pub(crate) batch_rows: usize,
    articles: HashSet<ArticleKey>,
}

/// (id, url, title, published, source, text hash, extractor)
type ArticleRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    &'static str,
);

/// The rows of one batch as they are gathered.
#[derive(Default)]
struct Gathered {
    articles: Vec<ArticleRow>,
    events: Vec<(String, &'static str, NaiveDate, f64, String)>,
    participants: Vec<(String, String, &'static str, CountryCode, &'static str, NaiveDate)>,
    places: Vec<(String, String, Option<CountryCode>)>,
    by_url: Vec<(String, String, String, String, f64, &'static str)>,
    by_hash: Vec<(String, String, String, String, f64, &'static str)>,
    rollups: RollupDeltas,
}

impl Planner {
    pub(crate) fn new(known: Known, source: Source, batch_rows: usize) -> Self {
        Self {
            known,
            source,
            batch_rows,
            articles: HashSet::new(),
        }
    }

    /// Reads and plans the next batch; `None` once the records are exhausted.
    pub(crate) fn next(&mut self, records: &mut dyn Records) -> Result<Option<Planned>, StoreError> {
        let mut planned = Planned::default();
        let mut gathered = Gathered::default();
        let mut read = 0;
        while read < self.batch_rows {
            let Some(record) = records.next_record()? else {
                break;
            };
            read += 1;
            planned.lines_done = record.line;
            planned.bytes_done = record.end;
            match record.parsed {
                Parsed::Row(row) => self.row(&row, &mut gathered, &mut planned.counts),
                Parsed::Skip(reason) => planned.counts.skip(reason),
                Parsed::Bad(reason) => {
                    planned.counts.bad_rows += 1;
                    planned.bad.push((record.line, reason));
                }
            }
        }
        if read == 0 {
            return Ok(None);
        }
        planned.countries = records.take_countries();
        encode(gathered, &mut planned)?;
        Ok(Some(planned))
    }

    fn row(&mut self, row: &ImportRow, out: &mut Gathered, counts: &mut Counts) {
        let key = identity_key(
            row.kind,
            Modality::Asserted,
            row.participants.iter().map(|p| (p.entity.as_str(), p.role)),
        );
        let hash = key_hash(&key);
        let event_id = match self.known.find(hash, Some((row.day, row.day))) {
            Some(id) => {
                counts.events_dedup += 1;
                Uuid::from_u128(id).to_string()
            }
            None => {
                counts.events_new += 1;
                let uuid = Uuid::now_v7();
                self.known.add(hash, Some(row.day), Some(row.day), uuid.as_u128());
                let id = uuid.to_string();
                out.events.push((
                    id.clone(),
                    row.kind.as_str(),
                    row.day,
                    self.source.confidence,
                    key,
                ));
                for p in &row.participants {
                    let (kind, day) = (row.kind.as_str(), row.day);
                    out.participants.push((
                        id.clone(),
                        p.entity.clone(),
                        p.role.as_str(),
                        p.country,
                        kind,
                        day,
                    ));
                }
                if let Some((name, country)) = &row.place {
                    out.places.push((id.clone(), name.clone(), *country));
                }
                let facts = EventFacts {
                    id: &id,
                    kind: row.kind,
                    modality: Modality::Asserted,
                    first_day: Some(row.day),
                    last_day: Some(row.day),
                };
                let roles: Vec<(Role, Option<CountryCode>)> = row
                    .participants
                    .iter()
                    .map(|p| (p.role, Some(p.country)))
                    .collect();
                out.rollups.add(&facts, &roles);
                id
            }
        };
        counts.rows_stored += 1;
        let article = &row.article;
        if self.articles.insert(article.key.clone()) {
            let (url, hash) = match &article.key {
                ArticleKey::Url(url) => (Some(url.clone()), synthetic_hash("url", url)),
                ArticleKey::Hash(hash) => (None, hash.clone()),
            };
            out.articles.push((
                new_id(),
                url,
                article.title.clone(),
                article.published.map(|d| d.to_string()),
                article.source.clone(),
                hash,
                self.source.extractor,
            ));
        }
        let (list, key) = match &article.key {
            ArticleKey::Url(url) => (&mut out.by_url, url),
            ArticleKey::Hash(hash) => (&mut out.by_hash, hash),
        };
        list.push((
            new_id(),
            event_id,
            key.clone(),
            row.evidence.clone(),
            self.source.confidence,
            self.source.extractor,
        ));
    }
}

/// Encodes the gathered rows, one JSON document per statement.
fn encode(g: Gathered, planned: &mut Planned) -> Result<(), StoreError> {
    planned.articles = docs(&g.articles)?;
    planned.events = docs(&g.events)?;
    planned.participants = docs(&g.participants)?;
    planned.places = docs(&g.places)?;
    planned.mentions_by_url = docs(&g.by_url)?;
    planned.mentions_by_hash = docs(&g.by_hash)?;
    (planned.ties, planned.tie_days) = g.rollups.encode()?;
    Ok(())
}

/// The `text_hash` of an imported article with no text: SHA-256 over a namespaced key, so it
/// can never equal the hash of a real text.
pub(crate) fn synthetic_hash(namespace: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"diplograph-import\0");
    hasher.update(namespace.as_bytes());
    hasher.update(b"\0");
    hasher.update(key.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

//! Bulk import of pre-coded events (the bench folder, GDELT 2.0): every row lands or is
//! reported, rollups stay exact, re-runs skip and interrupted runs resume.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use diplograph_core::{EntityKind, EventKind};
use diplograph_graph::{
    BadRow, EventFilter, FileOutcome, ImportFormat, ImportObserver, ImportOptions, ImportReport, PageRequest,
    Silent, Store, Subject, TiesQuery, TimelineQuery,
};

use crate::common::test_stores;
use crate::fixtures::code;

pub(crate) fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn options(batch_rows: usize) -> ImportOptions {
    ImportOptions {
        batch_rows,
        defer_indexes: None,
    }
}

/// Collects bad rows; optionally stops after some batches.
#[derive(Default)]
struct Collect {
    bad: Mutex<Vec<BadRow>>,
    batches: AtomicUsize,
    stop_after: Option<usize>,
}

impl ImportObserver for Collect {
    fn progress(&self, _bytes_done: u64, _lines_done: u64) {
        self.batches.fetch_add(1, Ordering::Relaxed);
    }
    fn bad_row(&self, bad: &BadRow) {
        self.bad.lock().unwrap().push(bad.clone());
    }
    fn keep_going(&self) -> bool {
        self.stop_after
            .is_none_or(|n| self.batches.load(Ordering::Relaxed) < n)
    }
}

async fn import(store: &Store, format: ImportFormat, path: &Path, batch_rows: usize) -> ImportReport {
    store
        .import(format, path, &options(batch_rows), &Silent)
        .await
        .unwrap_or_else(|e| panic!("import on {}: {e}", store.backend_name()))
}

/// Events per partner of `country` in a bench events.csv, counted the way ties count them:
/// once per event whose two sides are `country` and another country.
fn bench_partner_totals(events_csv: &Path, country: &str) -> BTreeMap<String, i64> {
    let text = std::fs::read_to_string(events_csv).unwrap();
    let mut totals = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (a, b) = (f[4], f[6]);
        if a == b {
            continue;
        }
        if a == country {
            *totals.entry(b.to_owned()).or_default() += 1;
        } else if b == country {
            *totals.entry(a.to_owned()).or_default() += 1;
        }
    }
    totals
}

async fn partner_totals(store: &Store, country: &str) -> BTreeMap<String, i64> {
    let query = TiesQuery {
        latest_events: 0,
        ..TiesQuery::default()
    };
    let ties = store.ties(&code(country), &query).await.unwrap();
    ties.partners
        .iter()
        .map(|p| (p.partner.as_str().to_owned(), p.total))
        .collect()
}

#[tokio::test]
async fn a_bench_folder_lands_every_row_with_exact_rollups() {
    for store in test_stores().await {
        let report = import(&store, ImportFormat::Bench, &data("bench"), 64).await;
        let name = store.backend_name();
        assert_eq!(report.files.len(), 3, "{name}");
        let [countries, persons, events] = [&report.files[0], &report.files[1], &report.files[2]];
        assert_eq!((countries.entities_new, persons.entities_new), (25, 60), "{name}");
        assert_eq!(events.outcome, FileOutcome::Imported);
        assert_eq!(
            (
                events.lines,
                events.events_new,
                events.events_deduplicated,
                events.bad_rows
            ),
            (401, 400, 0, 0),
            "{name}"
        );
        assert_eq!(
            store.recount_rollups_check().await.unwrap(),
            Vec::<String>::new(),
            "{name}"
        );
        for country in ["USA", "CHN", "GBR"] {
            let want = bench_partner_totals(&data("bench/events.csv"), country);
            assert_eq!(partner_totals(&store, country).await, want, "{name} {country}");
        }
        // A person's events carry their provenance: the bench article and row.
        let person = store.person_search("person", 1).await.unwrap().remove(0);
        assert_eq!(person.kind, EntityKind::Person);
        assert_eq!(person.affiliations.len(), 1);
        let timeline = TimelineQuery {
            subject: Subject::Entity(person.id.clone()),
            counterpart: None,
            filter: EventFilter::default(),
            page: PageRequest {
                cursor: None,
                limit: 5,
            },
        };
        let page = store.timeline(&timeline).await.unwrap();
        let event = &page.items[0];
        assert_eq!(event.participants.len(), 2);
        let mention = &event.mentions[0];
        assert!(
            mention.evidence.starts_with("bench event "),
            "{}",
            mention.evidence
        );
        assert!(
            mention
                .title
                .as_deref()
                .is_some_and(|t| t.starts_with("bench article "))
        );
        assert_eq!(mention.extractor, "import:bench");
    }
}

#[tokio::test]
async fn importing_the_same_files_again_changes_nothing() {
    for store in test_stores().await {
        import(&store, ImportFormat::Bench, &data("bench"), 500).await;
        let before = store.projection_snapshot().await.unwrap();
        let ties = partner_totals(&store, "USA").await;
        let again = import(&store, ImportFormat::Bench, &data("bench"), 500).await;
        let name = store.backend_name();
        assert!(
            again
                .files
                .iter()
                .all(|f| f.outcome == FileOutcome::AlreadyImported),
            "{name}: {again:?}"
        );
        // The report still tells what the earlier run stored.
        assert_eq!(again.files[2].events_new, 400);
        assert_eq!(store.projection_snapshot().await.unwrap(), before, "{name}");
        assert_eq!(partner_totals(&store, "USA").await, ties);
    }
}

#[tokio::test]
async fn an_interrupted_import_resumes_after_its_last_batch() {
    for store in test_stores().await {
        let stopper = Collect {
            stop_after: Some(2),
            ..Collect::default()
        };
        let first = store
            .import(ImportFormat::Bench, &data("bench"), &options(50), &stopper)
            .await
            .unwrap();
        let name = store.backend_name();
        let events = &first.files[2];
        assert_eq!(events.outcome, FileOutcome::Interrupted, "{name}");
        assert_eq!((events.lines, events.events_new), (101, 100), "{name}");
        assert!(first.interrupted());
        // What committed is consistent on its own.
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());

        let second = import(&store, ImportFormat::Bench, &data("bench"), 50).await;
        let events = &second.files[2];
        assert_eq!(events.outcome, FileOutcome::Resumed, "{name}");
        assert_eq!(
            (events.lines, events.events_new, events.events_deduplicated),
            (401, 400, 0),
            "{name}"
        );
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
        let want = bench_partner_totals(&data("bench/events.csv"), "USA");
        assert_eq!(partner_totals(&store, "USA").await, want, "{name}");
    }
}

#[tokio::test]
async fn a_repeated_event_adds_a_mention_not_an_event() {
    let dir = tempfile_dir("dedup");
    for file in ["countries.csv", "persons.csv"] {
        std::fs::copy(data("bench").join(file), dir.join(file)).unwrap();
    }
    let events = std::fs::read_to_string(data("bench/events.csv")).unwrap();
    let mut lines: Vec<&str> = events.lines().take(3).collect();
    // The first event again, as row 7777 of another article (9999).
    let mut fields: Vec<&str> = lines[1].split(',').collect();
    (fields[0], fields[8]) = ("7777", "9999");
    let repeat = fields.join(",");
    lines.push(&repeat);
    std::fs::write(dir.join("events.csv"), lines.join("\n") + "\n").unwrap();
    for store in test_stores().await {
        let report = import(&store, ImportFormat::Bench, &dir, 2).await;
        let events = &report.files[2];
        assert_eq!(
            (events.events_new, events.events_deduplicated),
            (2, 1),
            "{}",
            store.backend_name()
        );
        let person = store.person_search("person", 100).await.unwrap();
        let mut mentions = Vec::new();
        for p in &person {
            let timeline = TimelineQuery {
                subject: Subject::Entity(p.id.clone()),
                counterpart: None,
                filter: EventFilter::default(),
                page: PageRequest::default(),
            };
            for event in store.timeline(&timeline).await.unwrap().items {
                mentions.push(event.mentions.len());
            }
        }
        // Two people per event: the repeated event shows twice with two mentions.
        mentions.sort();
        assert_eq!(mentions, [1, 1, 2, 2]);
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn gdelt_rows_become_country_events_with_their_source() {
    let path = data("gdelt2_sample.export.CSV");
    for store in test_stores().await {
        let report = import(&store, ImportFormat::Gdelt2, &path, 40).await;
        let file = &report.files[0];
        let name = store.backend_name();
        assert_eq!(
            (
                file.lines,
                file.events_new,
                file.events_deduplicated,
                file.bad_rows
            ),
            (300, 7, 15, 0),
            "{name}"
        );
        let skipped: Vec<(&str, u64)> = file.skipped.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            skipped,
            [
                ("actor_without_country", 118),
                ("regional_actor", 2),
                ("same_country", 2),
                ("unmapped_cameo", 156)
            ],
            "{name}"
        );
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
        // GDELT 669666359: Egypt (CAIRO) hosts a Saudi visit, CAMEO 043 — Saudi Arabia visits.
        let ties = store.ties(&code("SAU"), &TiesQuery::default()).await.unwrap();
        let egypt = ties.partners.iter().find(|p| p.partner == code("EGY")).unwrap();
        assert_eq!(egypt.name.as_deref(), Some("Egypt"), "{name}");
        let visit = egypt.kinds.iter().find(|k| k.kind == EventKind::Visit).unwrap();
        assert_eq!((visit.outgoing, visit.incoming), (1, 0));
        let event = ties
            .latest_events
            .iter()
            .find(|e| e.kind == EventKind::Visit)
            .unwrap();
        let mention = &event.mentions[0];
        assert!(mention.evidence.contains("669666359"), "{}", mention.evidence);
        assert!(
            mention
                .url
                .as_deref()
                .is_some_and(|u| u.starts_with("http://www.thearabweekly.com/")),
            "{mention:?}"
        );
        assert_eq!(mention.source.as_deref(), Some("www.thearabweekly.com"));
        assert_eq!(mention.published.as_deref(), Some("2017-07-01"));

        let again = import(&store, ImportFormat::Gdelt2, &path, 40).await;
        assert_eq!(again.files[0].outcome, FileOutcome::AlreadyImported, "{name}");
    }
}

#[tokio::test]
async fn bad_rows_are_reported_by_line_and_the_rest_lands() {
    let fixture = std::fs::read_to_string(data("gdelt2_sample.export.CSV")).unwrap();
    let good: Vec<&str> = fixture
        .lines()
        .filter(|l| l.contains("thearabweekly.com") && l.contains("\t043\t"))
        .collect();
    let short = good[0].rsplit_once('\t').unwrap().0.to_owned();
    let undated = good[0].replacen("\t20160701\t", "\t2016-07-01\t", 1);
    let lines = [good[0], &short, "", &undated, "not a gdelt row"];
    let dir = tempfile_dir("bad-rows");
    let path = dir.join("bad.export.CSV");
    std::fs::write(&path, lines.join("\n")).unwrap();
    for store in test_stores().await {
        let seen = Collect::default();
        let report = store
            .import(ImportFormat::Gdelt2, &path, &options(2), &seen)
            .await
            .unwrap();
        let file = &report.files[0];
        assert_eq!(
            (file.events_new, file.bad_rows),
            (1, 3),
            "{}",
            store.backend_name()
        );
        let bad = seen.bad.lock().unwrap().clone();
        let lines: Vec<u64> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [2, 4, 5]);
        assert!(bad[0].reason.contains("found 60"), "{}", bad[0].reason);
        assert!(bad[1].reason.contains("SQLDATE"), "{}", bad[1].reason);
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn unreadable_input_is_a_clear_error() {
    for store in test_stores().await {
        let missing = data("no-such-export.CSV");
        let err = store
            .import(ImportFormat::Gdelt2, &missing, &options(10), &Silent)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("no-such-export.CSV"), "{err}");
        let err = store
            .import(
                ImportFormat::Bench,
                &data("gdelt2_sample.export.CSV"),
                &options(10),
                &Silent,
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not a directory"), "{err}");
        let err = store
            .import(ImportFormat::Bench, &data("bench"), &options(0), &Silent)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("batch size"), "{err}");
    }
}

pub(crate) fn tempfile_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "diplograph-import-{label}-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

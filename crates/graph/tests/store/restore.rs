//! Backup and restore: `export --format jsonl` of a store, then `import --format jsonl` into an
//! empty one, gives back the same entities (aliases, affiliations), articles, events, mentions
//! and rollups, on every backend; an interrupted restore resumes, a repeated one changes
//! nothing, and bad lines are reported by number while the rest lands.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use diplograph_core::{EventKind, Modality, Role};
use diplograph_graph::{
    BadRow, ExportFilter, ExportFormat, FileOutcome, ImportFormat, ImportObserver, ImportOptions,
    ImportReport, Silent, Store, TiesQuery,
};

use crate::common::{export_text, test_stores};
use crate::fixtures::{article, code, country, event, kadhimi_visit, part, person};

async fn export(store: &Store, format: ExportFormat) -> String {
    let filter = ExportFilter {
        modality: format.default_modality(),
        ..ExportFilter::default()
    };
    export_text(store, format, &filter).await.0
}

/// Applied articles (a visit with meetings, another report of the visit, a planned and undated
/// call, an article without events) and the bench folder's 400 pre-coded events.
async fn fill(store: &Store) {
    store
        .apply(&kadhimi_visit(Some("https://irna.example/1"), "first report"))
        .await
        .unwrap();
    store
        .apply(&kadhimi_visit(Some("https://irna.example/2"), "second report"))
        .await
        .unwrap();
    let mut call = article(None, "a planned call");
    let (fra, macron) = (
        country("FRA", "France"),
        person("p9", "Emmanuel Macron", Some("FRA"), None),
    );
    let mut planned = event(
        EventKind::PhoneCall,
        None,
        vec![part(&macron, Role::Participant)],
        "Macron will call.",
    );
    planned
        .participants
        .push(part(&country("IRN", "Iran"), Role::Participant));
    planned.modality = Modality::Planned;
    call.entities = vec![fra, macron, country("IRN", "Iran")];
    call.events = vec![planned];
    store.apply(&call).await.unwrap();
    store
        .apply(&article(Some("https://irna.example/empty"), "nothing happened"))
        .await
        .unwrap();
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bench");
    store
        .import(ImportFormat::Bench, &bench, &ImportOptions::default(), &Silent)
        .await
        .unwrap();
}

fn write_file(label: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "diplograph-{label}-{}.jsonl",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::write(&path, text).unwrap();
    path
}

async fn restore(
    store: &Store,
    path: &Path,
    batch_rows: usize,
    observer: &dyn ImportObserver,
) -> ImportReport {
    let options = ImportOptions {
        batch_rows,
        defer_indexes: None,
    };
    store
        .import(ImportFormat::Jsonl, path, &options, observer)
        .await
        .unwrap_or_else(|e| panic!("restore on {}: {e}", store.backend_name()))
}

async fn ties_json(store: &Store, country: &str) -> String {
    let ties = store.ties(&code(country), &TiesQuery::default()).await.unwrap();
    serde_json::to_string(&ties).unwrap()
}

/// The target holds what the source held: the same records, graph, rollups and search terms.
async fn assert_same(source: &Store, target: &Store, backup: &str) {
    let name = target.backend_name();
    assert_eq!(
        export(target, ExportFormat::Jsonl).await,
        backup,
        "{name}: records"
    );
    assert_eq!(
        export(target, ExportFormat::Graphml).await,
        export(source, ExportFormat::Graphml).await,
        "{name}: graph"
    );
    assert_eq!(
        target.recount_rollups_check().await.unwrap(),
        Vec::<String>::new(),
        "{name}"
    );
    for country in ["IRN", "IRQ", "USA", "CHN"] {
        assert_eq!(
            ties_json(target, country).await,
            ties_json(source, country).await,
            "{name} {country}"
        );
    }
    let found = target.person_search("kadh", 5).await.unwrap();
    assert_eq!(found.len(), 1, "{name}: the surname is a search term");
    assert_eq!(found[0].affiliations.len(), 1, "{name}: {found:?}");
    assert_eq!(
        target.counts().await.unwrap(),
        source.counts().await.unwrap(),
        "{name}"
    );
}

#[tokio::test]
async fn a_jsonl_export_restores_the_same_graph_into_an_empty_store() {
    for (source, target) in test_stores().await.into_iter().zip(test_stores().await) {
        fill(&source).await;
        let backup = export(&source, ExportFormat::Jsonl).await;
        let kinds = |t: &str| {
            backup
                .lines()
                .filter(|l| l.starts_with(&format!("{{\"type\":\"{t}\"")))
                .count()
        };
        let counts = (kinds("entity"), kinds("article"), kinds("event"));
        assert!(counts.0 >= 85 && counts.1 >= 4 && counts.2 >= 404, "{counts:?}");
        let path = write_file("backup", &backup);
        let report = restore(&target, &path, 64, &Silent).await;
        let file = &report.files[0];
        let name = target.backend_name();
        assert_eq!(file.outcome, FileOutcome::Imported, "{name}");
        assert_eq!(file.events_new as usize, kinds("event"), "{name}");
        assert_eq!((file.events_deduplicated, file.bad_rows), (0, 0), "{name}");
        assert_eq!(file.entities_new as usize, kinds("entity"), "{name}");
        assert_same(&source, &target, &backup).await;

        // The same file again is skipped; the same content again matches everything stored.
        let again = restore(&target, &path, 64, &Silent).await;
        assert_eq!(again.files[0].outcome, FileOutcome::AlreadyImported, "{name}");
        let copy = write_file("backup-copy", &format!("{backup}\n"));
        let copy_report = restore(&target, &copy, 1000, &Silent).await;
        let file = &copy_report.files[0];
        assert_eq!((file.events_new, file.entities_new), (0, 0), "{name}");
        assert_eq!(file.events_deduplicated as usize, kinds("event"), "{name}");
        assert_same(&source, &target, &backup).await;
        for p in [path, copy] {
            std::fs::remove_file(p).unwrap();
        }
    }
}

/// Counts batches and stops after some; collects bad rows.
#[derive(Default)]
struct Stopper {
    batches: AtomicUsize,
    stop_after: usize,
    bad: Mutex<Vec<BadRow>>,
}

impl ImportObserver for Stopper {
    fn progress(&self, _bytes: u64, _lines: u64) {
        self.batches.fetch_add(1, Ordering::Relaxed);
    }
    fn bad_row(&self, bad: &BadRow) {
        self.bad.lock().unwrap().push(bad.clone());
    }
    fn keep_going(&self) -> bool {
        self.stop_after == 0 || self.batches.load(Ordering::Relaxed) < self.stop_after
    }
}

#[tokio::test]
async fn an_interrupted_restore_resumes_where_it_stopped() {
    for (source, target) in test_stores().await.into_iter().zip(test_stores().await) {
        fill(&source).await;
        let backup = export(&source, ExportFormat::Jsonl).await;
        let path = write_file("resume", &backup);
        // Three batches of 40 lines: past the entities and articles, into the events.
        let stopper = Stopper {
            stop_after: 3,
            ..Stopper::default()
        };
        let first = restore(&target, &path, 40, &stopper).await;
        let name = target.backend_name();
        assert_eq!(first.files[0].outcome, FileOutcome::Interrupted, "{name}");
        assert_eq!(first.files[0].lines, 120, "{name}");
        assert_eq!(
            target.recount_rollups_check().await.unwrap(),
            Vec::<String>::new()
        );
        let second = restore(&target, &path, 40, &Silent).await;
        let file = &second.files[0];
        assert_eq!(file.outcome, FileOutcome::Resumed, "{name}");
        assert_eq!(file.lines as usize, backup.lines().count(), "{name}");
        assert_eq!(file.bad_rows, 0, "{name}");
        assert_same(&source, &target, &backup).await;
        std::fs::remove_file(path).unwrap();
    }
}

#[tokio::test]
async fn bad_lines_are_reported_by_number_and_the_rest_lands() {
    for (source, target) in test_stores().await.into_iter().zip(test_stores().await) {
        source
            .apply(&kadhimi_visit(Some("https://irna.example/1"), "first report"))
            .await
            .unwrap();
        let backup = export(&source, ExportFormat::Jsonl).await;
        let mut lines: Vec<String> = backup.lines().map(str::to_owned).collect();
        let event_at = lines
            .iter()
            .position(|l| l.starts_with(r#"{"type":"event""#))
            .unwrap();
        // An event naming an entity the file does not hold, and a line that is not a record.
        let stray = lines[event_at].replace(r#""entity_id":"IRN""#, r#""entity_id":"XKX""#);
        lines.insert(event_at, stray);
        lines.insert(1, "{not json".to_owned());
        let path = write_file("bad", &(lines.join("\n") + "\n"));
        let observer = Stopper::default();
        let report = restore(&target, &path, 100, &observer).await;
        let name = target.backend_name();
        assert_eq!(report.files[0].bad_rows, 2, "{name}");
        let bad = observer.bad.lock().unwrap().clone();
        assert_eq!(bad[0].line, 2, "{name}: {bad:?}");
        assert!(bad[0].reason.contains("not a diplograph jsonl record"), "{bad:?}");
        assert_eq!(bad[1].line as usize, event_at + 2, "{name}: {bad:?}");
        assert!(
            bad[1]
                .reason
                .contains("entity XKX is neither in the file nor in the store"),
            "{bad:?}"
        );
        assert_eq!(export(&target, ExportFormat::Jsonl).await, backup, "{name}");
        assert_eq!(
            target.recount_rollups_check().await.unwrap(),
            Vec::<String>::new()
        );
        std::fs::remove_file(path).unwrap();
    }
}

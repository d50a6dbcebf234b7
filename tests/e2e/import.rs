//! `diplograph import`: pre-coded events in bulk from the project's fixtures, served afterwards,
//! skipped when imported again; bad arguments fail with one line.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::helpers::{TestApp, run_to_exit, sqlite_url};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/graph/tests/data")
        .join(name)
}

fn import(database_url: &str, format: &str, path: &Path) -> crate::helpers::Exited {
    let path = path.display().to_string();
    run_to_exit(
        &[
            "--database-url",
            database_url,
            "import",
            "--format",
            format,
            "--progress",
            "log",
            &path,
        ],
        &[],
    )
}

#[tokio::test]
async fn a_gdelt_export_is_imported_once_and_served() {
    let dir = TempDir::new().expect("temp dir");
    let url = sqlite_url(dir.path(), "import.db");
    let gdelt = fixture("gdelt2_sample.export.CSV");
    let first = import(&url, "gdelt2", &gdelt);
    assert!(first.status.success(), "{}", first.stderr);
    assert!(
        first
            .stderr
            .contains("imported: 300 lines, 7 new events, 15 deduplicated"),
        "{}",
        first.stderr
    );
    assert!(first.stderr.contains("regional_actor 2"), "{}", first.stderr);
    let again = import(&url, "gdelt2", &gdelt);
    assert!(again.status.success(), "{}", again.stderr);
    assert!(
        again.stderr.contains("already imported, skipped"),
        "{}",
        again.stderr
    );

    let app = TestApp::spawn(&url, &[]);
    let ties = app.get_ok("/v1/countries/SAU/ties").await;
    let partners = ties["partners"].as_array().expect("partners");
    assert!(
        partners
            .iter()
            .any(|p| p["partner"] == "EGY" && p["name"] == "Egypt"),
        "{ties}"
    );
}

#[test]
fn a_bench_folder_is_imported() {
    let dir = TempDir::new().expect("temp dir");
    let url = sqlite_url(dir.path(), "bench.db");
    let out = import(&url, "bench", &fixture("bench"));
    assert!(out.status.success(), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("events.csv: imported: 401 lines, 400 new events"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("60 new entities"), "{}", out.stderr);
}

#[test]
fn bad_import_arguments_fail_with_one_line() {
    let dir = TempDir::new().expect("temp dir");
    let url = sqlite_url(dir.path(), "bad.db");
    let unknown = import(&url, "csv", &fixture("bench"));
    assert_eq!(unknown.status.code(), Some(2), "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("unknown import format"),
        "{}",
        unknown.stderr
    );
    let missing = import(&url, "gdelt2", &dir.path().join("missing.CSV"));
    assert_eq!(missing.status.code(), Some(1), "{}", missing.stderr);
    let last = missing.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: importing") && last.contains("missing.CSV"),
        "{}",
        missing.stderr
    );
}

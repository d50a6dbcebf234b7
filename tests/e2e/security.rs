//! Security settings of `serve`: no non-loopback address without keys, keys files reloaded on
//! SIGHUP and on change (a bad file keeps the keys in force), keys never logged, even at TRACE.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::helpers::{TestApp, run_to_exit, sqlite_url};

const WRITE_KEY: &str = "e2e-write-key-1b7c";
const OLD_READ_KEY: &str = "e2e-read-key-old-55aa";
const NEW_READ_KEY: &str = "e2e-read-key-new-93fe";

/// Runs `serve --listen ADDR` with `envs` on a throwaway SQLite file; it must fail.
fn refused(addr: &str, envs: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(dir.path(), "refused.db");
    let mut all = vec![("DATABASE_URL", url.as_str())];
    all.extend_from_slice(envs);
    let out = run_to_exit(&["serve", "--listen", addr], &all);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{}", out.stderr);
    assert!(
        !dir.path().join("refused.db").exists(),
        "the database was opened before the check"
    );
    lines[0].to_owned()
}

#[test]
fn non_loopback_address_without_keys_is_refused() {
    let line = refused("0.0.0.0:0", &[]);
    assert!(line.starts_with("error: refusing to listen on 0.0.0.0"), "{line}");
    assert!(line.contains("DIPLOGRAPH_API_KEY"), "{line}");
    // A write key is needed even with --allow-public-read.
    let line = refused("0.0.0.0:0", &[("DIPLOGRAPH_ALLOW_PUBLIC_READ", "true")]);
    assert!(line.contains("open writes"), "{line}");
}

#[test]
fn non_loopback_address_with_open_reads_needs_allow_public_read() {
    let line = refused("0.0.0.0:0", &[("DIPLOGRAPH_API_KEY", WRITE_KEY)]);
    assert!(line.contains("open reads"), "{line}");
    assert!(line.contains("--allow-public-read"), "{line}");
    assert!(!line.contains(WRITE_KEY), "{line}");
    let line = refused(
        "[::]:0",
        &[
            ("DIPLOGRAPH_API_KEY", WRITE_KEY),
            ("DIPLOGRAPH_ALLOW_PUBLIC_READ", "false"),
        ],
    );
    assert!(line.contains("open reads"), "{line}");
}

#[tokio::test]
async fn non_loopback_address_starts_with_a_key_and_public_reads_or_read_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(dir.path(), "public.db");
    let flag = TestApp::spawn_with_args(
        &url,
        &["--listen", "0.0.0.0:0", "--allow-public-read"],
        &[("DIPLOGRAPH_API_KEY", WRITE_KEY)],
    );
    assert!(flag.addr.ip().is_unspecified(), "{}", flag.addr);
    drop(flag);
    let keys = dir.path().join("read.keys");
    std::fs::write(&keys, format!("{OLD_READ_KEY}\n")).expect("write keys file");
    let keyed = TestApp::spawn_with_args(
        &url,
        &["--listen", "0.0.0.0:0"],
        &[
            ("DIPLOGRAPH_API_KEY", WRITE_KEY),
            ("DIPLOGRAPH_READ_KEYS_FILE", keys.to_str().expect("utf-8 path")),
        ],
    );
    let local = format!("http://127.0.0.1:{}/v1/countries", keyed.addr.port());
    let res = keyed.client.get(&local).send().await.expect("request");
    assert_eq!(res.status(), 401);
}

/// Status of `GET /v1/countries` with `key`.
async fn read_status(app: &TestApp, key: &str) -> u16 {
    let res = app
        .client
        .get(app.url("/v1/countries"))
        .bearer_auth(key)
        .send()
        .await
        .expect("request");
    res.status().as_u16()
}

/// Polls until `GET /v1/countries` with `key` answers `status` (at most 10 s).
async fn wait_for_status(app: &TestApp, key: &str, status: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while read_status(app, key).await != status {
        assert!(
            Instant::now() < deadline,
            "key never got {status}; log:\n{}",
            app.stderr().join("\n")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn write_keys(path: &Path, contents: &str) {
    std::fs::write(path, contents).expect("write keys file");
}

#[tokio::test]
async fn keys_files_reload_on_sighup_and_on_change_and_a_bad_file_keeps_the_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let read_keys = dir.path().join("read.keys");
    write_keys(&read_keys, &format!("# readers\n{OLD_READ_KEY}\n"));
    let app = TestApp::sqlite(&[
        ("DIPLOGRAPH_API_KEY", WRITE_KEY),
        (
            "DIPLOGRAPH_READ_KEYS_FILE",
            read_keys.to_str().expect("utf-8 path"),
        ),
    ]);
    assert_eq!(read_status(&app, OLD_READ_KEY).await, 200);
    assert_eq!(read_status(&app, NEW_READ_KEY).await, 403);

    // Rotation by change: the new key as a digest line, the old one gone.
    let digest = sha256_hex(NEW_READ_KEY);
    write_keys(&read_keys, &format!("sha256:{digest}\n"));
    wait_for_status(&app, NEW_READ_KEY, 200).await;
    assert_eq!(read_status(&app, OLD_READ_KEY).await, 403);

    // A bad file (a key with a space) keeps the keys in force and logs an error.
    write_keys(&read_keys, &format!("{OLD_READ_KEY} oops\n"));
    app.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app
        .stderr()
        .iter()
        .any(|l| l.contains("cannot reload the api keys"))
    {
        assert!(Instant::now() < deadline, "no reload error logged");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(read_status(&app, NEW_READ_KEY).await, 200);
    assert_eq!(read_status(&app, OLD_READ_KEY).await, 403);

    // SIGHUP reloads a fixed file at once.
    write_keys(&read_keys, &format!("{OLD_READ_KEY}\n"));
    app.signal("HUP");
    wait_for_status(&app, OLD_READ_KEY, 200).await;
    assert_eq!(read_status(&app, NEW_READ_KEY).await, 403);
    assert_eq!(read_status(&app, WRITE_KEY).await, 200, "the --api-key key stays");

    let log = app.stderr().join("\n");
    assert!(log.contains("api keys reloaded"), "{log}");
    for key in [WRITE_KEY, OLD_READ_KEY, NEW_READ_KEY, digest.as_str()] {
        assert!(!log.contains(key), "{key} was logged:\n{log}");
    }
}

/// The hex SHA-256 of `key`, as `sha256sum` prints it.
fn sha256_hex(key: &str) -> String {
    let out = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("piped stdin")
                .write_all(key.as_bytes())?;
            child.wait_with_output()
        })
        .expect("run sha256sum");
    String::from_utf8(out.stdout).expect("utf-8")[..64].to_owned()
}

#[tokio::test]
async fn sighup_without_keys_files_does_not_stop_the_server() {
    let app = TestApp::sqlite(&[]);
    app.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.stderr().iter().any(|l| l.contains("no keys file to reload")) {
        assert!(Instant::now() < deadline, "SIGHUP not logged");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn keys_never_reach_the_logs_even_at_trace_level() {
    let dir = tempfile::tempdir().expect("temp dir");
    let read_keys = dir.path().join("read.keys");
    write_keys(&read_keys, &format!("{OLD_READ_KEY}\n"));
    let app = TestApp::sqlite(&[
        ("RUST_LOG", "trace"),
        ("DIPLOGRAPH_API_KEY", WRITE_KEY),
        (
            "DIPLOGRAPH_READ_KEYS_FILE",
            read_keys.to_str().expect("utf-8 path"),
        ),
    ]);
    let wrong = "e2e-wrong-key-c0ffee";
    for key in [WRITE_KEY, OLD_READ_KEY, wrong] {
        read_status(&app, key).await;
        let res = app
            .client
            .post(app.url("/v1/extract"))
            .bearer_auth(key)
            .json(&serde_json::json!({"text": "Zarif met Lavrov in Moscow."}))
            .send()
            .await
            .expect("request");
        assert!(
            res.status().is_success() || res.status() == 403,
            "{}",
            res.status()
        );
    }
    let log = app.stderr().join("\n");
    assert!(log.contains("request with a wrong api key"), "{log}");
    assert!(log.contains("DEBUG"), "not a verbose log");
    for key in [WRITE_KEY, OLD_READ_KEY, wrong] {
        assert!(!log.contains(key), "{key} was logged");
    }
}

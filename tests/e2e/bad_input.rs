//! Bad settings: each fails fast with exactly one `error: …` line naming the problem, a
//! non-zero exit, and no panic or backtrace (the helpers set `RUST_BACKTRACE=1` to prove it).

use std::net::TcpListener;

use crate::helpers::{Exited, run_to_exit, sqlite_url};

/// Asserts a failed run whose last stderr line is its only error line and mentions `needle`.
fn assert_one_line_error(out: &Exited, needle: &str) {
    assert!(
        !out.status.success(),
        "expected failure, got {:?}; stderr:\n{}",
        out.status,
        out.stderr
    );
    let stderr = out.stderr.trim_end();
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    assert!(!stderr.contains("backtrace"), "backtrace:\n{stderr}");
    let error_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(error_lines.len(), 1, "expected one error line:\n{stderr}");
    assert_eq!(
        stderr.lines().last(),
        Some(error_lines[0]),
        "the error is not the last line:\n{stderr}"
    );
    let line = error_lines[0].to_lowercase();
    assert!(
        line.contains(&needle.to_lowercase()),
        "{needle:?} not in {line:?}"
    );
}

#[test]
fn unsupported_database_scheme_is_one_line() {
    let out = run_to_exit(
        &["serve", "--listen", "127.0.0.1:0"],
        &[("DATABASE_URL", "mysql://u:pw@h/db")],
    );
    assert_one_line_error(&out, "unsupported database url scheme");
}

#[test]
fn database_url_without_scheme_is_one_line() {
    let out = run_to_exit(&["--database-url", "diplograph.db", "migrate"], &[]);
    assert_one_line_error(&out, "invalid database url");
}

#[test]
fn unreachable_postgres_is_one_line_without_the_password() {
    // Port 1 on loopback refuses connections at once.
    let url = "postgres://diplograph:hunter2secret@127.0.0.1:1/diplograph";
    let out = run_to_exit(&["serve", "--listen", "127.0.0.1:0"], &[("DATABASE_URL", url)]);
    assert_one_line_error(&out, "cannot connect to postgres at 127.0.0.1:1");
    assert!(
        !out.stderr.contains("hunter2secret"),
        "password printed:\n{}",
        out.stderr
    );
}

#[test]
fn sqlite_file_in_a_missing_directory_is_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(&dir.path().join("no/such/dir"), "x.db");
    let out = run_to_exit(&["serve", "--listen", "127.0.0.1:0"], &[("DATABASE_URL", &url)]);
    assert_one_line_error(&out, "does not exist");
    assert!(!dir.path().join("no").exists(), "the directory was created");
}

#[test]
fn unparsable_listen_address_is_one_line() {
    let out = run_to_exit(&["serve", "--listen", "localhost-8080"], &[]);
    assert_one_line_error(&out, "--listen");
    assert_eq!(out.status.code(), Some(2));
    let out = run_to_exit(&["serve"], &[("DIPLOGRAPH_LISTEN", "999.1.1.1:80")]);
    assert_one_line_error(&out, "invalid value '999.1.1.1:80'");
}

#[test]
fn port_already_in_use_is_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let addr = taken.local_addr().expect("local addr").to_string();
    let url = sqlite_url(dir.path(), "busy.db");
    let out = run_to_exit(&["serve", "--listen", &addr], &[("DATABASE_URL", &url)]);
    assert_one_line_error(&out, &format!("cannot listen on {addr}"));
    assert!(
        out.stderr.to_lowercase().contains("address already in use"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_limits_and_origins_are_one_line() {
    let cases: [(&str, &str, &str); 4] = [
        ("DIPLOGRAPH_MAX_BODY", "0", "greater than zero"),
        ("DIPLOGRAPH_MAX_BODY", "2GB", "unknown size unit"),
        ("DIPLOGRAPH_REQUEST_TIMEOUT", "0", "--request-timeout"),
        ("DIPLOGRAPH_CORS_ORIGINS", "dash.example", "must start with http"),
    ];
    for (name, value, needle) in cases {
        let out = run_to_exit(&["serve"], &[(name, value)]);
        assert_one_line_error(&out, needle);
    }
}

#[test]
fn missing_or_empty_keys_file_is_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(dir.path(), "keys.db");
    let missing = dir.path().join("missing-keys.txt");
    let missing = missing.to_str().expect("utf-8 path");
    let out = run_to_exit(&["serve", "--api-keys-file", missing], &[("DATABASE_URL", &url)]);
    assert_one_line_error(&out, "cannot read the api keys file");

    let empty = dir.path().join("empty-keys.txt");
    std::fs::write(&empty, "# no keys yet\n").expect("write keys file");
    let empty = empty.to_str().expect("utf-8 path");
    let out = run_to_exit(
        &["serve"],
        &[("DATABASE_URL", &url), ("DIPLOGRAPH_API_KEYS_FILE", empty)],
    );
    assert_one_line_error(&out, "contains no key");
}

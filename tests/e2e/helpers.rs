//! Spawning the real `diplograph` binary: [`TestApp`] for a running server, [`run_to_exit`] for
//! commands that should stop on their own. Child stderr is echoed only when `TEST_LOG=1`.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long a server may take to print `listening on ADDR` (migrations included).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Every variable the binary reads; removed from the child's environment so that the test
/// machine's settings cannot leak into a test.
const SETTINGS: &[&str] = &[
    "DATABASE_URL",
    "DIPLOGRAPH_LISTEN",
    "DIPLOGRAPH_API_KEY",
    "DIPLOGRAPH_API_KEYS_FILE",
    "DIPLOGRAPH_MAX_BODY",
    "DIPLOGRAPH_REQUEST_TIMEOUT",
    "DIPLOGRAPH_CORS_ORIGINS",
    "DIPLOGRAPH_RATE_LIMIT",
    "DIPLOGRAPH_READ_KEYS_FILE",
    "DIPLOGRAPH_ALLOW_PUBLIC_READ",
    "DIPLOGRAPH_SYNC_INTERVAL",
    "RUST_LOG",
];

/// The binary with a clean environment, `info` logs and backtraces on (so a test would see one).
pub(crate) fn diplograph() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_diplograph"));
    for name in SETTINGS {
        cmd.env_remove(name);
    }
    cmd.env("RUST_LOG", "info")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null());
    cmd
}

/// A SQLite URL for a file `name` inside `dir`.
pub(crate) fn sqlite_url(dir: &Path, name: &str) -> String {
    format!("sqlite://{}?mode=rwc", dir.join(name).display())
}

/// A running `diplograph serve`, killed on drop.
pub(crate) struct TestApp {
    pub(crate) addr: SocketAddr,
    pub(crate) client: reqwest::Client,
    child: Child,
    stderr: Arc<Mutex<Vec<String>>>,
    /// The SQLite file, when the app runs on one.
    pub(crate) db_path: Option<PathBuf>,
    /// The database the server was started on.
    pub(crate) database_url: String,
    _dir: Option<TempDir>,
}

impl TestApp {
    /// `diplograph serve` on a fresh SQLite file in a temp dir, on a free port.
    pub(crate) fn sqlite(envs: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let db_path = dir.path().join("e2e.db");
        let mut app = TestApp::spawn(&sqlite_url(dir.path(), "e2e.db"), envs);
        app.db_path = Some(db_path);
        app._dir = Some(dir);
        app
    }

    /// `diplograph serve --listen 127.0.0.1:0` on `database_url`; waits for `listening on ADDR`.
    pub(crate) fn spawn(database_url: &str, envs: &[(&str, &str)]) -> TestApp {
        TestApp::spawn_with_args(database_url, &["--listen", "127.0.0.1:0"], envs)
    }

    /// `diplograph serve ARGS…` on `database_url`; waits for `listening on ADDR`.
    pub(crate) fn spawn_with_args(database_url: &str, args: &[&str], envs: &[(&str, &str)]) -> TestApp {
        let mut cmd = diplograph();
        cmd.arg("serve").args(args).env("DATABASE_URL", database_url);
        cmd.envs(envs.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn diplograph");
        let (lines, stderr) = read_lines(child.stderr.take().expect("piped stderr"));
        let addr = wait_for_listening(&lines, &stderr, &mut child);
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        TestApp {
            addr,
            client,
            child,
            stderr,
            db_path: None,
            database_url: database_url.to_owned(),
            _dir: None,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET request")
    }

    /// `GET path`, expecting `200` and a JSON body.
    pub(crate) async fn get_ok(&self, path: &str) -> serde_json::Value {
        let res = self.get(path).await;
        let status = res.status();
        let body = res.text().await.expect("body");
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: not json ({e}): {body}"))
    }

    /// `POST path` with a JSON body.
    pub(crate) async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST request")
    }

    /// What the server logged so far.
    pub(crate) fn stderr(&self) -> Vec<String> {
        self.stderr.lock().expect("stderr lock").clone()
    }

    /// Sends `signal` (`TERM`, `HUP`, …) to the server.
    pub(crate) fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub(crate) fn terminate(&mut self) -> ExitStatus {
        self.signal("TERM");
        wait_with_timeout(&mut self.child, Duration::from_secs(30)).expect("server stops after SIGTERM")
    }
}

impl TestApp {
    /// Stores the seed fixture with the write `key`; an event id and a person id (Kadhimi)
    /// from it, for requests that need real ids.
    pub(crate) async fn seed_ids(&self, key: &str) -> (String, String) {
        let seed = serde_json::json!({"text": include_str!("../fixtures/tehran-2020-07-22.txt")});
        let res = self
            .client
            .post(self.url("/v1/articles"))
            .bearer_auth(key)
            .json(&seed)
            .send()
            .await
            .expect("seed");
        assert_eq!(res.status(), 201);
        let stored: serde_json::Value = res.json().await.expect("json");
        let event = stored["stored"]["event_ids"][0]
            .as_str()
            .expect("an event")
            .to_owned();
        let person = self.get_ok("/v1/people?q=kadhimi").await["items"][0]["id"]
            .as_str()
            .expect("a person")
            .to_owned();
        (event, person)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Forwards the child's stderr lines to a channel and a shared log.
fn read_lines(stderr: std::process::ChildStderr) -> (Receiver<String>, Arc<Mutex<Vec<String>>>) {
    let (tx, rx) = mpsc::channel();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let echo = std::env::var("TEST_LOG").is_ok_and(|v| v == "1");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if echo {
                eprintln!("[diplograph] {line}");
            }
            sink.lock().expect("stderr lock").push(line.clone());
            let _ = tx.send(line);
        }
    });
    (rx, log)
}

fn wait_for_listening(lines: &Receiver<String>, log: &Mutex<Vec<String>>, child: &mut Child) -> SocketAddr {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                if let Some(addr) = line.split("listening on ").nth(1) {
                    return addr
                        .trim()
                        .parse()
                        .unwrap_or_else(|e| panic!("bad address in {line:?}: {e}"));
                }
            }
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                let _ = child.kill();
                let status = child.wait().ok();
                let log = log.lock().expect("stderr lock").join("\n");
                panic!("diplograph did not print `listening on` (exit: {status:?}); stderr:\n{log}");
            }
        }
    }
}

/// The result of a command that ran to its end.
pub(crate) struct Exited {
    pub(crate) status: ExitStatus,
    pub(crate) stderr: String,
}

/// Runs the binary with `args` and `envs` and waits (at most 60 s) for it to exit.
pub(crate) fn run_to_exit(args: &[&str], envs: &[(&str, &str)]) -> Exited {
    let mut cmd = diplograph();
    cmd.args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn diplograph");
    let mut pipe = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let status = wait_with_timeout(&mut child, Duration::from_secs(60)).unwrap_or_else(|| {
        let _ = child.kill();
        panic!("diplograph {args:?} did not exit within 60 s");
    });
    let stderr = reader.join().expect("stderr reader");
    Exited { status, stderr }
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

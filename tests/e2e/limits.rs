//! Limits of the real server against hostile clients: oversized request heads (`431`) and bodies
//! (`413`, announced or streamed), and slow clients: a request head trickled byte by byte, an
//! idle connection and a stalled body are all cut off within the request timeout.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::helpers::TestApp;

/// The request timeout these tests configure, in seconds.
const TIMEOUT_SECS: u64 = 2;

fn app() -> TestApp {
    TestApp::sqlite(&[
        ("DIPLOGRAPH_REQUEST_TIMEOUT", "2"),
        ("DIPLOGRAPH_MAX_BODY", "64KiB"),
    ])
}

/// A raw connection to the server, with a read timeout well past the request timeout.
fn connect(app: &TestApp) -> TcpStream {
    let stream = TcpStream::connect(app.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(TIMEOUT_SECS * 5)))
        .expect("read timeout");
    stream
}

/// Reads until the server closes the connection (or 10 s pass); what it sent.
fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0_u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn oversized_heads_get_431() {
    let app = app();
    let big = "a".repeat(diplograph_api::MAX_HEAD_BYTES + 1);
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-big", big)
        .send()
        .await;
    assert_eq!(res.expect("a response").status(), 431);

    let mut req = app.client.get(app.url("/healthz"));
    for i in 0..=diplograph_api::MAX_HEADERS {
        req = req.header(format!("x-h{i}"), "v");
    }
    assert_eq!(req.send().await.expect("a response").status(), 431);
    // Within the limits, many headers are fine.
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-ok", "b".repeat(8000))
        .send()
        .await;
    assert_eq!(res.expect("a response").status(), 200);
}

#[tokio::test]
async fn oversized_bodies_get_413_announced_or_streamed() {
    let app = app();
    let body = format!(r#"{{"text":"{}"}}"#, "x".repeat(100 * 1024));
    let res = app
        .client
        .post(app.url("/v1/extract"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .expect("a response");
    assert_eq!(res.status(), 413);

    // Chunked, with no length announced: refused while reading.
    let mut stream = connect(&app);
    stream
        .write_all(
            b"POST /v1/extract HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n\
              transfer-encoding: chunked\r\n\r\n",
        )
        .expect("write head");
    for chunk in body.as_bytes().chunks(4096) {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if stream.write_all(&framed).is_err() {
            break; // the server may stop reading once it has answered
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let answer = read_to_close(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(r#""code":"payload_too_large""#), "{answer}");
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_trickled_request_head_is_cut_off_within_the_timeout() {
    let app = app();
    let mut stream = connect(&app);
    let started = Instant::now();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("write");
    // One header byte every 200 ms: never a whole head.
    while started.elapsed() < Duration::from_secs(TIMEOUT_SECS * 3) {
        if stream.write_all(b"x").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        if !still_open(&stream) {
            break;
        }
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(TIMEOUT_SECS * 2),
        "connection held for {elapsed:?}"
    );
    assert_eq!(app.get("/healthz").await.status(), 200, "the server still serves");
}

#[test]
fn an_idle_connection_is_closed_within_the_timeout() {
    let app = app();
    let mut stream = connect(&app);
    let started = Instant::now();
    let sent = read_to_close(&mut stream);
    let elapsed = started.elapsed();
    assert!(sent.is_empty() || sent.starts_with("HTTP/1.1 408"), "{sent}");
    assert!(
        elapsed < Duration::from_secs(TIMEOUT_SECS * 2),
        "idle connection held for {elapsed:?}"
    );
}

#[test]
fn a_stalled_body_gets_408_within_the_timeout() {
    let app = app();
    let mut stream = connect(&app);
    let started = Instant::now();
    stream
        .write_all(
            b"POST /v1/extract HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n\
              content-length: 1000\r\n\r\n{\"text\":\"",
        )
        .expect("write");
    let answer = read_to_close(&mut stream);
    let elapsed = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"timeout""#), "{answer}");
    assert!(
        elapsed < Duration::from_secs(TIMEOUT_SECS * 2),
        "answered after {elapsed:?}"
    );
}

/// Whether the server has not closed `stream` (a non-blocking peek sees no EOF).
fn still_open(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).expect("nonblocking");
    let mut buf = [0_u8; 1];
    let open = match stream.peek(&mut buf) {
        Ok(0) => false,
        Ok(_) => true,
        Err(err) => err.kind() == std::io::ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).expect("blocking");
    open
}

//! `diplograph extract`: output in input order whatever the thread count, bad lines reported
//! with a non-zero exit while the good ones still come out.

use std::process::Output;

use crate::helpers::diplograph;

const SEED: &str = include_str!("../../crates/ingest/tests/data/tehran-2020-07-22.txt");

fn extract(args: &[&str], input: &std::path::Path) -> Output {
    diplograph()
        .arg("extract")
        .args(args)
        .arg(input)
        .output()
        .expect("diplograph runs")
}

/// Articles as JSON Lines: the seed with distinct URLs, and short texts about other pairs.
fn corpus(n: usize) -> String {
    (0..n)
        .map(|i| {
            let text = if i % 2 == 0 {
                SEED.to_owned()
            } else {
                format!("Chinese Foreign Minister Wang Yi met Brazilian President Lula on Tuesday in Brasilia ({i}).")
            };
            let article = serde_json::json!({
                "text": text,
                "url": format!("https://example.org/{i}"),
                "published": "2023-05-17",
            });
            format!("{article}\n")
        })
        .collect()
}

fn urls(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
            value["article"]["url"].as_str().expect("url").to_owned()
        })
        .collect()
}

#[test]
fn threads_change_nothing_in_the_output_or_its_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("corpus.jsonl");
    std::fs::write(&input, corpus(37)).expect("write corpus");
    let one = extract(&["--jobs", "1"], &input);
    let three = extract(&["--jobs", "3"], &input);
    assert!(
        one.status.success() && three.status.success(),
        "{one:?}\n{three:?}"
    );
    assert_eq!(one.stdout, three.stdout, "same bytes with 1 and 3 threads");
    let expected: Vec<String> = (0..37).map(|i| format!("https://example.org/{i}")).collect();
    assert_eq!(urls(&three.stdout), expected);
    // The seed's events are there, not just the article records.
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&three.stdout)
            .lines()
            .next()
            .expect("a line"),
    )
    .expect("json");
    assert!(
        first["events"].as_array().is_some_and(|e| e.len() >= 9),
        "{first:#}"
    );
}

#[test]
fn a_bad_line_is_reported_and_the_rest_still_comes_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("mixed.jsonl");
    let mut text = corpus(3);
    text.push_str("{\"text\": 42}\n");
    text.push_str(&corpus(2));
    std::fs::write(&input, text).expect("write corpus");
    let out = extract(&["--jobs", "2"], &input);
    assert!(!out.status.success(), "a bad line fails the run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mixed.jsonl") && stderr.contains("line 4"),
        "{stderr}"
    );
    assert_eq!(urls(&out.stdout).len(), 5, "the five good articles");
}

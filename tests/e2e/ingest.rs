//! `diplograph ingest` and `diplograph export` end to end, on SQLite and PostgreSQL: a folder
//! with the seed and a JSON Lines file with a bad line, a re-run that stores nothing new, standard
//! input, then every export format parsed back with a real parser (csv, serde_json, roxmltree).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{ExitStatus, Stdio};

use serde_json::Value;

use crate::helpers::{diplograph, sqlite_url};
use crate::pg::FreshDatabase;

/// The seed, from the project's fixtures.
const SEED: &str = include_str!("../fixtures/tehran-2020-07-22.txt");

/// Two good articles around one line that is not JSON.
const FEED: &str = concat!(
    r#"{"text":"date 2020-08-01 MOSCOW — Russian Foreign Minister Sergei Lavrov met Iranian Foreign Minister Mohammad Javad Zarif in Moscow on Saturday.","url":"https://news.example/lavrov-zarif","title":"Lavrov meets Zarif"}"#,
    "\n{not json\n",
    r#"{"text":"date 2020-08-02 ANKARA — Turkish President Recep Tayyip Erdogan spoke by phone with Iraqi Prime Minister Mustafa al-Kadhimi.","url":"https://news.example/erdogan-kadhimi"}"#,
    "\n"
);

const PIPED: &str = "date 2020-08-03 BEIJING — Chinese Foreign Minister Wang Yi held talks with Pakistani Foreign Minister Shah Mehmood Qureshi in Beijing on Monday.";

struct Output {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

fn run(database_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = diplograph();
    cmd.env("DATABASE_URL", database_url)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("spawn diplograph");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("piped stdin");
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    let out = child.wait_with_output().expect("diplograph runs");
    Output {
        status: out.status,
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn corpus(dir: &Path) -> String {
    let root = dir.join("corpus");
    std::fs::create_dir_all(root.join("seed")).expect("mkdir");
    std::fs::write(root.join("seed/tehran-2020-07-22.txt"), SEED).expect("write seed");
    std::fs::write(root.join("feed.jsonl"), FEED).expect("write feed");
    std::fs::write(root.join("cover.png"), [0x89, b'P', b'N', b'G', 0xff]).expect("write png");
    root.display().to_string()
}

fn ingest_then_export(database_url: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = corpus(dir.path());

    let first = run(database_url, &["ingest", "--progress", "log", &corpus], None);
    assert_eq!(
        first.status.code(),
        Some(1),
        "a bad line fails the run: {}",
        first.stderr
    );
    assert!(
        first
            .stdout
            .starts_with("articles: 3 new, 0 duplicate, 1 failed;"),
        "{}",
        first.stdout
    );
    assert!(
        first.stderr.contains("feed.jsonl: line 2:"),
        "the bad line is named: {}",
        first.stderr
    );
    assert!(
        !first.stderr.contains("cover.png"),
        "non-article files are skipped"
    );
    let new_events = number_after(&first.stdout, "events: ");
    assert!(new_events >= 3, "{}", first.stdout);

    let again = run(database_url, &["ingest", "--progress", "log", &corpus], None);
    assert!(
        again.stdout.starts_with(
            "articles: 0 new, 3 duplicate, 1 failed; entities: 0 new; events: 0 new, 0 deduplicated"
        ),
        "a re-run stores nothing new: {}",
        again.stdout
    );

    let piped = run(database_url, &["ingest", "-"], Some(PIPED));
    assert!(piped.status.success(), "{}", piped.stderr);
    assert!(
        piped
            .stdout
            .starts_with("articles: 1 new, 0 duplicate, 0 failed;"),
        "{}",
        piped.stdout
    );

    let missing = run(database_url, &["ingest", &format!("{corpus}/nope.txt")], None);
    assert_eq!(missing.status.code(), Some(1));
    assert!(missing.stderr.contains("nope.txt"), "{}", missing.stderr);

    let events = check_jsonl(database_url, dir.path());
    check_csv(database_url, dir.path(), &events);
    check_filters(database_url);
    let graphml = check_graphml(database_url, dir.path());
    let gexf = check_gexf(database_url, dir.path());
    assert_eq!(graphml, gexf, "graphml and gexf hold the same graph");
}

fn number_after(text: &str, label: &str) -> u64 {
    let rest = &text[text.find(label).expect("label") + label.len()..];
    rest.split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

fn export(database_url: &str, dir: &Path, format: &str, extra: &[&str]) -> String {
    let path = dir.join(format!("export.{format}"));
    let path_arg = path.display().to_string();
    let mut args = vec!["export", "--format", format, "-o", &path_arg];
    args.extend_from_slice(extra);
    let out = run(database_url, &args, None);
    assert!(out.status.success(), "export {format}: {}", out.stderr);
    std::fs::read_to_string(&path).expect("export written")
}

/// Every event as JSON, with participants, places and provenance; returns the event ids.
fn check_jsonl(database_url: &str, dir: &Path) -> BTreeSet<String> {
    let text = export(database_url, dir, "jsonl", &[]);
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert!(events.len() >= 4, "{text}");
    for event in &events {
        assert!(!event["participants"].as_array().expect("participants").is_empty());
        let mention = &event["mentions"][0];
        assert!(
            mention["evidence"].as_str().is_some_and(|e| !e.is_empty()),
            "{event}"
        );
        assert!(mention["start"].as_u64() < mention["end"].as_u64());
    }
    let meet = events
        .iter()
        .find(|e| e["kind"] == "MEET" && e["mentions"][0]["url"] == "https://news.example/lavrov-zarif")
        .expect("the Lavrov–Zarif meeting");
    assert_eq!(meet["date"], "2020-08-01");
    assert_eq!(meet["modality"], "asserted");
    assert_eq!(meet["places"][0]["name"], "Moscow");
    let names: BTreeSet<&str> = meet["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, BTreeSet::from(["Mohammad Javad Zarif", "Sergei Lavrov"]));
    events
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The same events as CSV rows.
fn check_csv(database_url: &str, dir: &Path, ids: &BTreeSet<String>) {
    let text = export(database_url, dir, "csv", &[]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV record")).collect();
    let csv_ids: BTreeSet<String> = rows.iter().map(|r| r[col("event_id")].to_owned()).collect();
    assert_eq!(&csv_ids, ids, "csv and jsonl list the same events");
    let seed = rows
        .iter()
        .find(|r| r[col("evidence")].contains("Rouhani"))
        .expect("a seed event with its evidence");
    assert_eq!(&seed[col("published")], "2020-07-22");
    assert!(!seed[col("cameo")].is_empty() && !seed[col("goldstein")].is_empty());
    let names = &seed[col("participant_names")];
    let roles = &seed[col("participant_roles")];
    assert_eq!(
        names.split('|').count(),
        roles.split('|').count(),
        "{names} / {roles}"
    );
}

fn check_filters(database_url: &str) {
    let out = run(
        database_url,
        &[
            "export",
            "--format",
            "csv",
            "--country",
            "ru",
            "--kinds",
            "MEET",
            "--from",
            "2020-08-01",
        ],
        None,
    );
    assert!(out.status.success(), "{}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 1, "{}", out.stdout);
    assert_eq!(&rows[0][1], "MEET");
    assert!(rows[0][10].split('|').any(|c| c == "RUS"));
    let bad = run(
        database_url,
        &["export", "--format", "csv", "--from", "2020-13-01"],
        None,
    );
    assert_eq!(bad.status.code(), Some(2), "{}", bad.stderr);
}

/// The graph as (nodes, edges as sorted pairs with weights).
type Graph = (BTreeSet<String>, BTreeSet<(String, String, u64)>);

fn check_graphml(database_url: &str, dir: &Path) -> Graph {
    let text = export(database_url, dir, "graphml", &[]);
    let doc = roxmltree::Document::parse(&text).expect("well-formed GraphML");
    let data = |n: roxmltree::Node, key: &str| {
        n.children()
            .find(|c| c.has_tag_name("data") && c.attribute("key") == Some(key))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_owned()
    };
    let mut nodes = BTreeSet::new();
    let mut labels = Vec::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("node")) {
        nodes.insert(node.attribute("id").expect("node id").to_owned());
        labels.push(data(node, "label"));
    }
    assert!(labels.iter().any(|l| l == "Sergei Lavrov"), "{labels:?}");
    let mut edges = BTreeSet::new();
    for edge in doc.descendants().filter(|n| n.has_tag_name("edge")) {
        let (a, b) = (
            edge.attribute("source").expect("source"),
            edge.attribute("target").expect("target"),
        );
        assert!(
            nodes.contains(a) && nodes.contains(b),
            "edge {a}–{b} names declared nodes"
        );
        let weight: u64 = data(edge, "weight").parse().expect("an integer weight");
        assert!(weight >= 1);
        assert!(!data(edge, "kinds").is_empty());
        edges.insert((a.to_owned(), b.to_owned(), weight));
    }
    assert!(!edges.is_empty());
    (nodes, edges)
}

fn check_gexf(database_url: &str, dir: &Path) -> Graph {
    let text = export(database_url, dir, "gexf", &[]);
    let doc = roxmltree::Document::parse(&text).expect("well-formed GEXF");
    let nodes: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .map(|n| n.attribute("id").expect("node id").to_owned())
        .collect();
    let edges = doc
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .map(|e| {
            let weight = e
                .attribute("weight")
                .expect("weight")
                .parse()
                .expect("integer weight");
            (
                e.attribute("source").expect("source").to_owned(),
                e.attribute("target").expect("target").to_owned(),
                weight,
            )
        })
        .collect();
    (nodes, edges)
}

#[test]
fn ingest_a_folder_resume_and_export_every_format_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    ingest_then_export(&sqlite_url(dir.path(), "ingest.db"));
}

#[tokio::test]
async fn ingest_a_folder_resume_and_export_every_format_on_postgres() {
    let Some(db) = FreshDatabase::create("ingest_a_folder_resume_and_export_every_format_on_postgres").await
    else {
        return;
    };
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || ingest_then_export(&url))
        .await
        .expect("the scenario passes");
}

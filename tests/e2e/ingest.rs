//! `diplograph ingest` and `diplograph export` end to end, on SQLite and PostgreSQL: a folder
//! with the seed and a JSON Lines file with a bad line, a re-run that stores nothing new, standard
//! input, then every export format parsed back with a real parser (csv, serde_json, roxmltree),
//! the GDELT rows read back by `import --format gdelt2`, and a `jsonl` backup restored by
//! `import --format jsonl` into an empty store.

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

fn ingest_then_export(database_url: &str, restore_url: &str) {
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
    check_jsonld(database_url, dir.path(), &graphml.0);
    check_gdelt(database_url, dir.path());
    check_restore(database_url, restore_url, dir.path());
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
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let of_type = |t: &'static str| records.iter().filter(move |r| r["type"] == t);
    assert!(of_type("entity").any(|e| e["name"] == "Sergei Lavrov" && e["aliases"].is_array()));
    assert_eq!(of_type("article").count(), 4, "{text}");
    assert!(of_type("article").all(|a| a["text_hash"].as_str().is_some_and(|h| h.len() == 64)));
    let kinds: Vec<&str> = records.iter().filter_map(|r| r["type"].as_str()).collect();
    assert!(kinds.is_sorted_by_key(|k| ["entity", "article", "event"].iter().position(|t| t == k)));
    let events: Vec<&Value> = of_type("event").collect();
    assert!(events.len() >= 4, "{text}");
    for event in &events {
        assert!(event["mentions"][0]["id"].is_string() && event["mentions"][0]["confidence"].is_number());
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
        .copied()
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

/// JSON-LD: one document with an inline context; every participant is a node of the graph.
fn check_jsonld(database_url: &str, dir: &Path, nodes: &BTreeSet<String>) {
    let text = export(database_url, dir, "jsonld", &[]);
    let doc: Value = serde_json::from_str(&text).expect("one JSON document");
    assert_eq!(doc["@context"]["schema"], "https://schema.org/");
    assert_eq!(doc["@context"]["Person"], "schema:Person");
    let graph = doc["@graph"].as_array().expect("@graph");
    let ids: BTreeSet<&str> = graph
        .iter()
        .filter(|n| n["@type"] != "Event")
        .filter_map(|n| n["@id"].as_str())
        .collect();
    assert!(ids.len() >= nodes.len(), "every entity of the graph is a node");
    let events: Vec<&Value> = graph.iter().filter(|n| n["@type"] == "Event").collect();
    assert!(events.len() >= 4);
    let lavrov = graph
        .iter()
        .find(|n| n["name"] == "Sergei Lavrov")
        .expect("Lavrov");
    assert_eq!(lavrov["@type"], "Person");
    assert_eq!(lavrov["country"], "urn:diplograph:entity:RUS");
    for event in events {
        assert!(event["cameo"].as_str().is_some_and(|c| c.len() == 3), "{event}");
        for p in event["participant"].as_array().expect("participants") {
            let agent = p["agent"].as_str().expect("agent");
            assert!(ids.contains(agent), "{agent} is a node");
        }
        assert!(event["mention"][0]["evidence"].is_string(), "{event}");
    }
}

/// GDELT rows: 61 tab-separated columns a CSV parser reads, which our own GDELT import reads back.
fn check_gdelt(database_url: &str, dir: &Path) {
    let text = export(database_url, dir, "gdelt", &[]);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .quoting(false)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert!(rows.len() >= 4, "{text}");
    let dyads = rows
        .iter()
        .filter(|r| !r[7].is_empty() && !r[17].is_empty() && r[7] != r[17])
        .count();
    for row in &rows {
        assert_eq!(row.len(), 61);
        assert!(row[0].parse::<i64>().is_ok_and(|id| id >= 0), "{row:?}");
        assert_eq!(row[1].len(), 8, "SQLDATE {row:?}");
        assert!(row[30].parse::<f64>().is_ok(), "GoldsteinScale {row:?}");
        assert!(!row[60].is_empty(), "SOURCEURL {row:?}");
    }
    let lavrov = rows
        .iter()
        .find(|r| &r[6] == "SERGEI LAVROV" || &r[16] == "SERGEI LAVROV")
        .expect("Lavrov's meeting");
    assert_eq!((&lavrov[1], &lavrov[26]), ("20200801", "040"));
    assert_eq!(&lavrov[60], "https://news.example/lavrov-zarif");
    let path = dir.join("export.gdelt");
    let url = crate::helpers::sqlite_url(dir, "from-gdelt.db");
    let out = run(
        &url,
        &["import", "--format", "gdelt2", &path.display().to_string()],
        None,
    );
    assert!(out.status.success(), "{}", out.stderr);
    // Every row between two countries lands: as a new event, or as another report of one
    // (people of the same two countries meeting on the same day are one country-level event).
    let landed = number_after(&out.stderr, "lines, ") + number_after(&out.stderr, "new events, ");
    assert_eq!(landed as usize, dyads, "{}", out.stderr);
}

/// A `jsonl` backup restored into an empty store exports the same records again.
fn check_restore(database_url: &str, restore_url: &str, dir: &Path) {
    let backup = export(database_url, dir, "jsonl", &[]);
    let path = dir.join("export.jsonl").display().to_string();
    let out = run(
        restore_url,
        &["import", "--format", "jsonl", "--batch", "3", &path],
        None,
    );
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(export(restore_url, dir, "jsonl", &[]), backup);
    let restored_csv = export(restore_url, dir, "csv", &[]);
    assert_eq!(export(database_url, dir, "csv", &[]), restored_csv);
}

#[test]
fn ingest_a_folder_resume_and_export_every_format_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    ingest_then_export(
        &sqlite_url(dir.path(), "ingest.db"),
        &sqlite_url(dir.path(), "restored.db"),
    );
}

#[tokio::test]
async fn ingest_a_folder_resume_and_export_every_format_on_postgres() {
    let Some(db) = FreshDatabase::create("ingest_a_folder_resume_and_export_every_format_on_postgres").await
    else {
        return;
    };
    let Some(restored) = FreshDatabase::create("ingest_a_folder_restore_on_postgres").await else {
        return;
    };
    let (url, restore_url) = (db.url.clone(), restored.url.clone());
    tokio::task::spawn_blocking(move || ingest_then_export(&url, &restore_url))
        .await
        .expect("the scenario passes");
}

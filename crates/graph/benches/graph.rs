//! In-process read benchmark of the store on an imported `gen_events.py` dataset (issue 4):
//! start-up (projection and rollup cache), RSS after load, then median and p99 of the queries
//! the peer scripts time (`../shared/bench/bench_pg.py`, `bench_networkx.py`).
//!
//! ```text
//! cargo bench -p diplograph-graph --bench graph -- --database-url URL --data DIR [--runs 200] [--out FILE]
//! ```
//! The data must already be imported (`diplograph import --format bench DIR`); `bench/run_graph.sh`
//! does both on SQLite and PostgreSQL. Prints one JSON object (also written to `--out`).

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Instant;

use diplograph_core::{CountryCode, EntityId, EntityKind};
use diplograph_graph::{
    BilateralQuery, EventFilter, Interval, NeighborhoodQuery, PageRequest, Store, Subject, TiesQuery,
    TimelineQuery,
};
use serde_json::{Value, json};

struct Args {
    database_url: String,
    data: PathBuf,
    runs: usize,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let mut args = Args {
        database_url: String::new(),
        data: PathBuf::new(),
        runs: 200,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--database-url" => args.database_url = value(),
            "--data" => args.data = PathBuf::from(value()),
            "--runs" => args.runs = value().parse().expect("--runs N"),
            "--out" => args.out = Some(PathBuf::from(value())),
            // `cargo bench` passes `--bench`.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        !args.database_url.is_empty() && !args.data.as_os_str().is_empty(),
        "usage: graph --database-url URL --data DIR [--runs N] [--out FILE]"
    );
    args
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Times `runs` calls after one untimed first call: first, median, p99 and max in ms.
async fn time<T, F, Fut>(runs: usize, mut call: F) -> (Value, T)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    let started = Instant::now();
    let first_result = call().await;
    let first = started.elapsed().as_secs_f64() * 1000.0;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let _ = call().await;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    if times.is_empty() {
        times.push(first);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let stats = json!({
        "first_ms": round(first),
        "median_ms": round(at(0.5)),
        "p99_ms": round(at(0.99)),
        "max_ms": round(at(1.0)),
        "runs": runs,
    });
    (stats, first_result)
}

fn round(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// Bench person id → (name, country), from persons.csv.
fn persons(data: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(data.join("persons.csv")).expect("persons.csv");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split(',');
            let id = cols.next()?.to_owned();
            let rest = l.split_once(',')?.1;
            // `Person 19841 (BRA)`, then country and rank.
            let name = rest.rsplitn(3, ',').nth(2)?.trim_matches('"').to_owned();
            Some((id, name))
        })
        .collect()
}

async fn person(store: &Store, names: &HashMap<String, String>, id: &Value) -> EntityId {
    let name = &names[&id.to_string()];
    let found = store
        .entity_search(name, Some(EntityKind::Person), 5)
        .await
        .expect("person search");
    found
        .into_iter()
        .find(|e| &e.name == name)
        .unwrap_or_else(|| panic!("person {name} not stored"))
        .id
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = args();
    let params: Value =
        serde_json::from_str(&std::fs::read_to_string(args.data.join("params.json")).expect("params.json"))
            .expect("params.json parses");
    let rss_start = rss_mb();
    let store = Store::connect(&args.database_url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let started = Instant::now();
    let (nodes, edges) = store.load_projection().await.expect("load projection");
    let load_s = started.elapsed().as_secs_f64();
    let rss_loaded = rss_mb();
    let names = persons(&args.data);
    let q2 = person(&store, &names, &params["q2_person"]).await;
    let q4 = person(&store, &names, &params["q4_person"]).await;
    let (q5_from, q5_to) = (
        person(&store, &names, &params["q5_from"]).await,
        person(&store, &names, &params["q5_to"]).await,
    );
    let code = |v: &Value| CountryCode::parse(v.as_str().expect("a code")).expect("a country");
    let (usa, irn) = (code(&params["q1_country"]), code(&params["q1b_country"]));
    let (c1, c2) = (code(&params["q3_pair"][0]), code(&params["q3_pair"][1]));
    let runs = args.runs;
    let mut queries = serde_json::Map::new();

    let ties = TiesQuery::default();
    let (stats, view) = time(runs, || store.ties(&usa, &ties)).await;
    let view = view.expect("ties");
    queries.insert(
        "ties_USA".into(),
        with(stats, json!({"partners": view.partners.len()})),
    );
    let (stats, view) = time(runs, || store.ties(&irn, &ties)).await;
    let view = view.expect("ties");
    queries.insert(
        "ties_IRN".into(),
        with(stats, json!({"partners": view.partners.len()})),
    );

    let timeline = TimelineQuery {
        subject: Subject::Entity(q2.clone()),
        counterpart: None,
        filter: EventFilter::default(),
        page: PageRequest {
            cursor: None,
            limit: 100,
        },
    };
    let (stats, page) = time(runs, || store.timeline(&timeline)).await;
    let page = page.expect("timeline");
    queries.insert(
        "timeline_top_person_100".into(),
        with(stats, json!({"events": page.items.len()})),
    );

    let bilateral = BilateralQuery {
        filter: EventFilter::default(),
        interval: Interval::Month,
        events: PageRequest {
            cursor: None,
            limit: 1,
        },
    };
    let (stats, view) = time(runs, || store.bilateral(&c1, &c2, &bilateral)).await;
    let view = view.expect("bilateral");
    queries.insert(
        "bilateral_USA_CHN_monthly".into(),
        with(stats, json!({"months": view.series.len()})),
    );

    let near = NeighborhoodQuery {
        depth: 2,
        top_k: 1000,
        count_only: true,
    };
    let (stats, view) = time(runs.min(50), || store.neighborhood(&q4, &near)).await;
    let view = view.expect("neighborhood");
    queries.insert(
        "neighborhood_depth2_count".into(),
        with(
            stats,
            json!({"nodes": view.node_count, "edges": view.edge_count, "truncated": view.truncated}),
        ),
    );

    let (stats, path) = time(runs.min(50), || store.path(&q5_from, &q5_to, 4)).await;
    let path = path.expect("path");
    queries.insert(
        "path_depth4".into(),
        with(stats, json!({"hops": path.map(|p| p.hops.len())})),
    );

    let filter = EventFilter::default();
    let (stats, ranks) = time(runs.min(10), || store.centrality(EntityKind::Person, &filter, 10)).await;
    let ranks = ranks.expect("centrality");
    queries.insert(
        "pagerank_persons".into(),
        with(stats, json!({"top": ranks.first().map(|r| r.name.clone())})),
    );

    let result = json!({
        "backend": store.backend_name(),
        "events": params["events"],
        "projection": {"load_s": round(load_s * 1000.0) / 1000.0, "nodes": nodes, "edges": edges},
        "rss_mb": {"start": rss_start.round(), "after_load": rss_loaded.round(), "end": rss_mb().round()},
        "queries": queries,
    });
    let text = serde_json::to_string_pretty(&result).expect("json");
    println!("{text}");
    if let Some(out) = args.out {
        std::fs::write(&out, text + "\n").expect("write --out");
    }
}

fn with(mut stats: Value, extra: Value) -> Value {
    if let (Some(stats), Value::Object(extra)) = (stats.as_object_mut(), extra) {
        stats.extend(extra);
    }
    stats
}

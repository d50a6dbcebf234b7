//! The CSV export's flat path against the event views: on text that needs quoting, lists,
//! repeated reports, undated and spanned events, and under every filter, `write_export` writes
//! byte for byte the rows that `export_events` pages give when rendered by the csv crate.

use diplograph_core::{DatePoint, EventKind, Modality, PlaceRef, Role};
use diplograph_graph::{
    CSV_HEADER, EventView, ExportFilter, ExportFormat, ExportPage, ImportFormat, ImportOptions, Silent, Store,
};

use crate::common::{export_text, test_stores};
use crate::fixtures::{article, code, country, event, kadhimi_visit, part, person};
use crate::import::{data, tempfile_dir};

async fn flat_csv(store: &Store, filter: &ExportFilter) -> String {
    let (text, rows) = export_text(store, ExportFormat::Csv, filter).await;
    let parsed = csv::Reader::from_reader(text.as_bytes()).records().count();
    assert_eq!(parsed as u64, rows, "the count returned is the rows written");
    text
}

/// Checks the flat CSV against the event views' under each filter (the first one keeps every
/// event); returns the CSV of the first.
async fn assert_flat_is_views(store: &Store, filters: &[ExportFilter]) -> String {
    assert!(filters[0].is_everything());
    let mut first = None;
    for filter in filters {
        let flat = flat_csv(store, filter).await;
        assert_eq!(
            flat,
            csv_from_views(store, filter).await,
            "{} {filter:?}",
            store.backend_name()
        );
        first.get_or_insert(flat);
    }
    first.expect("a filter")
}

/// The same export rendered from whole event views, by the csv crate.
async fn csv_from_views(store: &Store, filter: &ExportFilter) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(CSV_HEADER).unwrap();
    let mut page = ExportPage {
        cursor: None,
        limit: 32,
    };
    loop {
        let events = store.export_events(filter, &page).await.unwrap();
        for event in &events.items {
            out.write_record(view_row(event)).unwrap();
        }
        match events.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

fn view_row(event: &EventView) -> Vec<String> {
    let join = |items: Vec<String>| items.join("|");
    let code = |c: Option<diplograph_core::CountryCode>| c.map(|c| c.as_str().to_owned()).unwrap_or_default();
    let ps = &event.participants;
    let mut row = vec![
        event.id.to_string(),
        event.kind.to_string(),
        event.modality.as_str().to_owned(),
        event.date.to_string(),
        event.confidence.to_string(),
        event.kind.cameo().to_owned(),
        event.kind.goldstein().to_string(),
        join(ps.iter().map(|p| p.entity_id.to_string()).collect()),
        join(ps.iter().map(|p| p.name.clone()).collect()),
        join(ps.iter().map(|p| p.role.as_str().to_owned()).collect()),
        join(ps.iter().map(|p| code(p.country)).collect()),
        join(event.places.iter().map(|p| p.name.clone()).collect()),
        join(event.places.iter().map(|p| code(p.country)).collect()),
        event.mentions.len().to_string(),
    ];
    match event.mentions.first() {
        Some(m) => row.extend([
            m.article_id.to_string(),
            m.url.clone().unwrap_or_default(),
            m.title.clone().unwrap_or_default(),
            m.published.clone().unwrap_or_default(),
            m.sentence.to_string(),
            m.start.to_string(),
            m.end.to_string(),
            m.evidence.clone(),
        ]),
        None => row.extend(std::iter::repeat_n(String::new(), 8)),
    }
    row
}

/// Two reports of a visit, and an article whose names, places, title and evidence need quoting,
/// with an undated event, a spanned one, two people in one role and an odd confidence.
async fn fill(store: &Store) {
    for (url, text) in [
        ("https://irna.example/1", "first"),
        ("https://irna.example/2", "second"),
    ] {
        store.apply(&kadhimi_visit(Some(url), text)).await.unwrap();
    }
    let mut x = article(None, "a summit with awkward names");
    x.article.title = Some("Summit, day \"one\"".into());
    x.article.published = None;
    let usa = country("USA", "United States");
    let tip = person("p1", "Tip O'Neil, \"Jr.\"", Some("USA"), Some("Speaker"));
    let ann = person("p2", "Ann Adams", Some("GBR"), None);
    let zoe = person("p3", "Zoe Zimmer", Some("DEU"), None);
    let mut summit = event(
        EventKind::Meet,
        Some("2021-03-01"),
        vec![
            part(&zoe, Role::Participant),
            part(&tip, Role::Participant),
            part(&ann, Role::Participant),
        ],
        "He said \"yes\",\r\nthen they met, twice.",
    );
    summit.date_end = DatePoint::parse("2021-03-03").ok();
    summit.confidence = 0.7;
    summit.places = ["Washington, D.C.", "Camp David"]
        .map(|name| PlaceRef {
            name: name.into(),
            country: Some(code("USA")),
        })
        .into();
    let mut rumour = event(
        EventKind::PhoneCall,
        None,
        vec![part(&tip, Role::Participant)],
        "A call, maybe.",
    );
    rumour.modality = Modality::Planned;
    // Below 2⁻⁷ an f32 is no whole number of 2⁻³¹: SQLite's page prints this one instead.
    rumour.confidence = 0.001;
    rumour.evidence.sentence = 2;
    x.entities = vec![usa, tip, ann, zoe];
    x.events = vec![summit, rumour];
    store.apply(&x).await.unwrap();
}

#[tokio::test]
async fn the_csv_export_is_what_the_event_views_say() {
    for store in test_stores().await {
        fill(&store).await;
        let name = store.backend_name();
        let filters = [
            ExportFilter::default(),
            ExportFilter {
                kinds: vec![EventKind::Meet],
                ..ExportFilter::default()
            },
            ExportFilter {
                country: Some(code("IRN")),
                from: chrono::NaiveDate::from_ymd_opt(2020, 7, 21),
                ..ExportFilter::default()
            },
            ExportFilter {
                modality: Some(Modality::Planned),
                ..ExportFilter::default()
            },
            ExportFilter {
                to: chrono::NaiveDate::from_ymd_opt(1999, 1, 1),
                ..ExportFilter::default()
            },
        ];
        let all = assert_flat_is_views(&store, &filters).await;
        assert_eq!(
            all.lines().filter(|l| l.contains(",MEET,")).count(),
            3,
            "{name}\n{all}"
        );
        assert!(
            all.contains("\"Ann Adams|Tip O'Neil, \"\"Jr.\"\"|Zoe Zimmer\""),
            "{name}: people of one role by name, the list quoted as one field\n{all}"
        );
        assert!(
            all.contains(",2021-03-01/2021-03-03,0.699999988079071,"),
            "{name}\n{all}"
        );
        assert!(all.contains(",0.0010000000474974513,"), "{name}\n{all}");
        assert!(
            all.contains(",\"Camp David|Washington, D.C.\",USA|USA,"),
            "{name}\n{all}"
        );
        assert!(
            all.contains(",2,") && all.contains("https://irna.example/1"),
            "{name}\n{all}"
        );
        assert!(
            !all.contains("https://irna.example/2"),
            "{name}: the first report only\n{all}"
        );
    }
}

/// A bench folder of 2,400 distinct events: the fixture's 400 rows six times, each copy 28 years
/// later (the leap-year cycle) and with ids of its own.
fn many_events() -> std::path::PathBuf {
    let dir = tempfile_dir("export-pages");
    for file in ["countries.csv", "persons.csv"] {
        std::fs::copy(data("bench").join(file), dir.join(file)).unwrap();
    }
    let events = std::fs::read_to_string(data("bench/events.csv")).unwrap();
    let mut lines: Vec<String> = vec![events.lines().next().unwrap().to_owned()];
    for copy in 0..6u32 {
        for line in events.lines().skip(1) {
            let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
            let year: u32 = fields[1][..4].parse().unwrap();
            fields[1] = format!("{}{}", year + 28 * copy, &fields[1][4..]);
            for column in [0, 8] {
                let id: u32 = fields[column].parse().unwrap();
                fields[column] = (id + 10_000 * copy).to_string();
            }
            lines.push(fields.join(","));
        }
    }
    std::fs::write(dir.join("events.csv"), lines.join("\n") + "\n").unwrap();
    dir
}

#[tokio::test]
async fn a_csv_export_of_many_pages_is_what_the_event_views_say() {
    let dir = many_events();
    for store in test_stores().await {
        let name = store.backend_name();
        let options = ImportOptions {
            batch_rows: 500,
            defer_indexes: None,
        };
        let report = store
            .import(ImportFormat::Bench, &dir, &options, &Silent)
            .await
            .unwrap();
        assert_eq!(report.files[2].events_new, 2_400, "{name}");
        let filters = [
            ExportFilter::default(),
            ExportFilter {
                kinds: vec![EventKind::Visit, EventKind::Meet],
                ..ExportFilter::default()
            },
        ];
        let all = assert_flat_is_views(&store, &filters).await;
        assert_eq!(
            all.lines().count(),
            2_401,
            "{name}: a header and every event once"
        );
    }
}

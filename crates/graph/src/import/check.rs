//! Import rows checked without a store: what each line of a GDELT 2.0 export or a bench
//! `events.csv` would become, through the very parsers [`Store::import`](crate::Store::import)
//! uses. For dry runs, tests and the fuzz targets.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use csv::{ByteRecord, Position};
use diplograph_core::{CountryCode, EventKind};

use crate::error::StoreError;
use crate::import::bench::{EVENT_COLUMNS, EventRows, Events};
use crate::import::csv_file::{LineCounter, csv_from, header, read};
use crate::import::gdelt;
use crate::import::row::{Countries, Parsed};

/// What one input row would become.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowCheck {
    /// An event of `kind` on `day` between the participants' two countries.
    Event {
        kind: EventKind,
        day: NaiveDate,
        countries: [CountryCode; 2],
    },
    /// Well formed but out of scope, with the reason the import counts it under.
    Skipped(&'static str),
    /// Malformed, with the reason the import reports.
    Bad(String),
}

impl From<Parsed> for RowCheck {
    fn from(parsed: Parsed) -> Self {
        match parsed {
            Parsed::Row(row) => RowCheck::Event {
                kind: row.kind,
                day: row.day,
                countries: [row.participants[0].country, row.participants[1].country],
            },
            Parsed::Skip(reason) => RowCheck::Skipped(reason),
            Parsed::Bad(reason) => RowCheck::Bad(reason),
        }
    }
}

/// One line of a GDELT 2.0 events export (61 tab-separated columns), its line end optional.
pub fn check_gdelt_line(line: &[u8]) -> RowCheck {
    gdelt::parse_line(line, &mut Countries::default()).into()
}

/// Every record of a bench `events.csv` held in memory, with its 1-based line number (the
/// header is line 1). Without a store there is no `persons.csv` to resolve people against, so
/// every person id the file names counts as known. Fails like the import does: on a missing
/// header column or unreadable CSV.
pub fn check_bench_events(csv: &[u8]) -> Result<Vec<(u64, RowCheck)>, StoreError> {
    let path = Path::new("events.csv");
    let mut reader = csv_from(csv);
    let index = header(&mut reader, path, &EVENT_COLUMNS)?;
    let mut records = Vec::new();
    let mut record = ByteRecord::new();
    while read(&mut reader, &mut record, path)? {
        records.push(record.clone());
    }
    let persons: HashMap<String, String> = records
        .iter()
        .flat_map(|r| [index[3], index[5]].map(|i| r.get(i).map(String::from_utf8_lossy)))
        .flatten()
        .map(|id| (id.trim().to_owned(), format!("person:{}", id.trim())))
        .collect();
    let mut rows = EventRows::new(Events {
        persons,
        names: HashMap::new(),
        file_hash: "check".to_owned(),
    });
    let mut lines = LineCounter::new(csv);
    records
        .iter()
        .map(|record| {
            let start = record.position().map_or(0, Position::byte);
            let line = lines
                .line_at(start)
                .map_err(|e| StoreError::Io(format!("reading {}: {e}", path.display())))?;
            Ok((line, rows.parse(record, &index).into()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "event_id,event_date,event_type,src_person,src_country,dst_person,dst_country,\
                          place_country,article_id,source_id";

    #[test]
    fn bench_rows_get_their_line_numbers_after_crlf_and_blank_lines() {
        let csv = format!(
            "{HEADER}\r\n1,2020-07-21,visited,p1,IRQ,p2,IRN,IRN,a1,s1\r\n\r\n\
             2,2020-07-22,met_with,p1,IRQ,p1,IRQ,,a1,s1\r\n3,not-a-day,met_with,p1,IRQ,p2,IRN,,a2,s1\n\
             4,2020-07-23,held_talks,p3,EUR,p2,IRN,,a3,s2"
        );
        let rows = check_bench_events(csv.as_bytes()).unwrap();
        let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 4, 5, 6]);
        let irq = CountryCode::parse("IRQ").unwrap();
        let irn = CountryCode::parse("IRN").unwrap();
        assert_eq!(
            rows[0].1,
            RowCheck::Event {
                kind: EventKind::Visit,
                day: NaiveDate::from_ymd_opt(2020, 7, 21).unwrap(),
                countries: [irq, irn],
            }
        );
        assert!(matches!(&rows[1].1, RowCheck::Bad(m) if m.contains("two different persons")));
        assert!(matches!(&rows[2].1, RowCheck::Bad(m) if m.contains("event_date")));
        assert_eq!(rows[3].1, RowCheck::Skipped("regional_actor"));
    }

    #[test]
    fn a_bench_file_without_the_columns_is_refused() {
        assert!(check_bench_events(b"").is_err());
        assert!(check_bench_events(b"event_id,event_date\n1,2020-01-01\n").is_err());
    }

    #[test]
    fn gdelt_lines_are_checked_with_their_line_ends() {
        assert_eq!(check_gdelt_line(b"\r\n"), RowCheck::Skipped("empty_line"));
        assert_eq!(
            check_gdelt_line(b"\xff\t1\n"),
            RowCheck::Bad("not valid UTF-8".into())
        );
        assert!(matches!(check_gdelt_line(b"1\t2\n"), RowCheck::Bad(m) if m.contains("found 2")));
    }
}

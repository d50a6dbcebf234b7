//! A bench `events.csv` (header and rows), as `diplograph import --format bench` reads it:
//! never panics; every record after the header gets a later line than the one before it
//! (line ends: `\n`, `\r\n` or a lone `\r`), within the input; an accepted row is an event
//! within the years the store accepts.
#![no_main]

use chrono::Datelike;
use diplograph_graph::{RowCheck, check_bench_events};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(rows) = check_bench_events(data) else {
        return;
    };
    let breaks = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || data[i - 1] != b'\r')))
        .count();
    let lines = breaks as u64 + 1;
    let mut last = 1;
    for (line, row) in rows {
        assert!(
            line > last && line <= lines,
            "line {line} after {last}, of {lines}"
        );
        last = line;
        if let RowCheck::Event { day, .. } = row {
            assert!((1800..=2200).contains(&day.year()), "{day}");
        }
    }
});

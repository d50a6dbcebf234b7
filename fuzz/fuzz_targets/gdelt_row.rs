//! One line of a GDELT 2.0 events export, as `diplograph import --format gdelt2` reads it:
//! never panics; an accepted row is an event between two different countries within the
//! years the store accepts.
#![no_main]

use chrono::Datelike;
use diplograph_graph::{RowCheck, check_gdelt_line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let RowCheck::Event { day, countries, .. } = check_gdelt_line(data) {
        assert_ne!(countries[0], countries[1], "an event between two countries");
        assert!((1800..=2200).contains(&day.year()), "{day}");
    }
});

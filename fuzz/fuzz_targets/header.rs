//! The `date YYYY-MM-DD CITY —` header and wire datelines (`WASHINGTON, March 4 -`,
//! `TEHRAN (Reuters) -`) on arbitrary text: never panics, and every offset it returns lies on a
//! char boundary, in order, inside the text.
#![no_main]

use diplograph_ingest::parse_header;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let h = parse_header(&text);
    assert!(
        h.body_start <= h.lead_start && h.lead_start <= text.len(),
        "{h:?}"
    );
    assert!(text.is_char_boundary(h.body_start) && text.is_char_boundary(h.lead_start));
    match (&h.dateline, h.dateline_span) {
        (Some(city), Some((start, end))) => {
            let written = text
                .get(start..end)
                .expect("the dateline span is a slice of the text");
            assert!(h.body_start <= start && end <= h.lead_start, "{h:?}");
            assert!(
                written.chars().filter(|c| c.is_alphabetic()).count() >= 3,
                "{written:?}"
            );
            assert!(!city.is_empty());
        }
        (None, None) => assert!(h.dateline_month_day.is_none()),
        _ => panic!("dateline and its span go together: {h:?}"),
    }
    if let Some((month, day)) = h.dateline_month_day {
        assert!((1..=12).contains(&month) && (1..=31).contains(&day));
    }
});

//! One line of `POST /v1/articles/batch` (also the body of `POST /v1/articles`) on arbitrary
//! bytes: a 4xx error or a valid article, never a panic or a 5xx.
#![no_main]

use diplograph_api::parse_article_line;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_article_line(data) {
        Ok(article) => {
            assert!(article.validate().is_ok(), "accepted articles are valid");
            assert!(!article.text.contains('\0'), "NUL is refused");
        }
        Err(err) => {
            let status = err.status_code().as_u16();
            assert!(
                (400..500).contains(&status),
                "a bad line is a client error, got {status}"
            );
        }
    }
});

//! Security properties of the stack: rate limits per key, keys rotated while serving, CORS off by
//! default. (Keys never in the logs, even at TRACE level: `tests/e2e/security.rs`, in a process
//! of its own, since a test subscriber here would share tracing's callsite cache with others.)

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};

use crate::tests::stack::keyed_config_with;
use crate::tests::{get_req, send, test_state};
use crate::{ApiConfig, ApiKeys, Keys, app};

/// `GET /v1/countries` from `ip`, with `key` as bearer token when given.
fn read_from(ip: [u8; 4], key: Option<&str>) -> Request<Body> {
    let mut req = get_req("/v1/countries");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
    if let Some(key) = key {
        let value = format!("Bearer {key}").parse().expect("header");
        req.headers_mut().insert(header::AUTHORIZATION, value);
    }
    req
}

#[tokio::test]
async fn rate_limit_holds_per_key_wherever_the_key_comes_from() {
    let config = ApiConfig {
        rate_limit: 2,
        ..keyed_config_with(Some("reader"))
    };
    let (state, _dir) = test_state(config).await;
    let router = app(state);
    let status = |req| {
        let router = router.clone();
        async move { send(router, req).await.0 }
    };
    // The read key's budget, spent from two addresses.
    assert_eq!(
        status(read_from([10, 0, 0, 1], Some("reader"))).await,
        StatusCode::OK
    );
    assert_eq!(
        status(read_from([10, 0, 0, 2], Some("reader"))).await,
        StatusCode::OK
    );
    assert_eq!(
        status(read_from([10, 0, 0, 3], Some("reader"))).await,
        StatusCode::TOO_MANY_REQUESTS,
        "a key's budget does not grow with the addresses using it"
    );
    // The write key has its own budget, from the same address.
    for _ in 0..2 {
        assert_eq!(
            status(read_from([10, 0, 0, 1], Some("right-key"))).await,
            StatusCode::OK
        );
    }
    assert_eq!(
        status(read_from([10, 0, 0, 1], Some("right-key"))).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Wrong keys count against the address: inventing keys buys no budget.
    assert_eq!(
        status(read_from([10, 0, 0, 9], Some("made-up-1"))).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(read_from([10, 0, 0, 9], Some("made-up-2"))).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(read_from([10, 0, 0, 9], Some("made-up-3"))).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn without_keys_the_rate_limit_is_per_address() {
    let config = ApiConfig {
        rate_limit: 1,
        ..ApiConfig::default()
    };
    let (state, _dir) = test_state(config).await;
    let router = app(state);
    let (first, _) = send(router.clone(), read_from([10, 0, 0, 1], Some("anything"))).await;
    let (again, _) = send(router.clone(), read_from([10, 0, 0, 1], Some("other"))).await;
    let (other_ip, _) = send(router, read_from([10, 0, 0, 2], None)).await;
    assert_eq!(
        (first, again, other_ip),
        (StatusCode::OK, StatusCode::TOO_MANY_REQUESTS, StatusCode::OK)
    );
}

#[tokio::test]
async fn replaced_keys_apply_to_the_next_request() {
    let (state, _dir) = test_state(keyed_config_with(Some("reader-1"))).await;
    let ring = state.config.keys.clone();
    let status = |key: &'static str| {
        let state = state.clone();
        async move { send(app(state), read_from([10, 0, 0, 1], Some(key))).await.0 }
    };
    assert_eq!(status("reader-1").await, StatusCode::OK);
    ring.replace(Keys {
        write: ApiKeys::from_keys(["right-key"]).expect("valid"),
        read: ApiKeys::from_keys(["reader-2"]).expect("valid"),
    });
    assert_eq!(status("reader-1").await, StatusCode::FORBIDDEN);
    assert_eq!(status("reader-2").await, StatusCode::OK);
}

#[tokio::test]
async fn cors_is_off_by_default_even_for_preflights() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let preflight = Request::options("/v1/extract")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .expect("request");
    let (_, res) = send(app(state.clone()), preflight).await;
    assert!(res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    assert!(res.headers().get(header::ACCESS_CONTROL_ALLOW_METHODS).is_none());

    let mut req = get_req("/v1/countries");
    req.headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().expect("header"));
    let (status, res) = send(app(state), req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

//! The HTTP/1.1 connection loop behind [`crate::serve`]. It is ours rather than `axum::serve`
//! because `axum::serve` gives hyper no timer, which leaves hyper's header-read timeout off: a
//! client trickling its request head (slowloris), or idling on a kept-alive connection, would
//! hold the connection forever. Here a connection that has not sent a whole request head within
//! the request timeout is closed; a head larger than [`MAX_HEAD_BYTES`] (or with more than
//! [`MAX_HEADERS`] headers) gets `431`. Once the head is in, the timeout layer of the stack
//! bounds the rest (`408`).

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Largest request head (request line and headers), in bytes.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most headers in one request.
pub const MAX_HEADERS: usize = 100;

/// Accepts connections on `listener` and serves `router` on each until `shutdown` resolves;
/// then stops accepting and waits for the open connections to finish their requests.
pub(crate) async fn run<F>(
    listener: TcpListener,
    router: Router,
    head_timeout: Duration,
    shutdown: F,
) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(head_timeout)
        .max_header_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    pause_after_accept_error(&err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = builder.serve_connection(TokioIo::new(stream), service(&router, peer));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %peer, "connection closed with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The router for one connection: every request knows its peer (`ConnectInfo`), for the rate
/// limit.
fn service(
    router: &Router,
    peer: SocketAddr,
) -> TowerToHyperService<
    impl tower::Service<Request<Incoming>, Response = axum::response::Response, Error = Infallible, Future: Send>
    + Clone
    + Send
    + 'static,
> {
    let svc = router.clone().map_request(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req
    });
    TowerToHyperService::new(svc)
}

/// A failed accept: a connection the peer already dropped is skipped; anything else (out of file
/// descriptors) is logged and accepting pauses a second, as `axum::serve` does.
async fn pause_after_accept_error(err: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %err, "cannot accept a connection; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

//! Accepting connections: at most `Config::max_connections` at a time (the rest wait in the
//! listen backlog), an accept loop that logs, backs off and keeps serving when `accept()` fails
//! (for example out of file descriptors), and per-connection header-read and body timeouts.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::limits::{Unread, read_body};
use crate::Sandbox;

/// The first wait after a failed `accept()`; it doubles on each failure in a row.
const FIRST_BACKOFF: Duration = Duration::from_millis(5);
/// The longest wait after a failed `accept()`.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

impl Sandbox {
    /// Serves HTTP/1.1 on `listener` until the task is dropped.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) -> std::io::Result<()> {
        let slots = Arc::new(Semaphore::new(self.config.max_connections.max(1)));
        let mut backoff = FIRST_BACKOFF;
        loop {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return Ok(()); // The semaphore is never closed.
            };
            match listener.accept().await {
                Ok((stream, _)) => {
                    backoff = FIRST_BACKOFF;
                    tokio::spawn(self.clone().connection(stream, slot));
                }
                Err(err) => {
                    tracing::warn!(%err, ?backoff, "sandbox: accept failed; retrying");
                    drop(slot);
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    /// Serves one connection, holding its `slot` until it closes.
    async fn connection(self: Arc<Self>, stream: TcpStream, slot: OwnedSemaphorePermit) {
        let header_read_timeout = self.config.header_read_timeout;
        let service = hyper::service::service_fn(move |request| {
            let sandbox = self.clone();
            async move { sandbox.serve_request(request).await }
        });
        let _ = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_read_timeout)
            .serve_connection(TokioIo::new(stream), service)
            .await;
        drop(slot);
    }

    /// Answers one request off the wire: header checks first, then the body within its limits,
    /// then [`Sandbox::handle`]. A refusal closes the connection, leaving any body unread; a
    /// body that stops arriving drops the connection.
    async fn serve_request(
        &self,
        request: http::Request<hyper::body::Incoming>,
    ) -> Result<http::Response<Full<Bytes>>, AbandonedBody> {
        let (parts, body) = request.into_parts();
        let read = match self.check_headers(&parts.headers) {
            Ok(()) => {
                read_body(
                    &parts.headers,
                    body,
                    self.config.max_body,
                    self.config.body_read_timeout,
                )
                .await
            }
            Err(err) => Err(Unread::Refuse(err)),
        };
        let response = match read {
            Ok(bytes) => self.handle(http::Request::from_parts(parts, bytes)).await,
            Err(Unread::Refuse(err)) => {
                self.wait().await;
                let mut response = self.respond(Err(err));
                response.headers_mut().insert(
                    http::header::CONNECTION,
                    http::HeaderValue::from_static("close"),
                );
                response
            }
            Err(Unread::Abandon) => return Err(AbandonedBody),
        };
        Ok(response.map(Full::new))
    }
}

/// The client stopped sending its body within the body timeout; the connection is dropped.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within the body timeout")]
struct AbandonedBody;

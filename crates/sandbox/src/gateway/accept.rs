//! Accepting connections and serving HTTP/1.1 on them.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};

use crate::Sandbox;

impl Sandbox {
    /// Serves HTTP/1.1 on `listener` until the task is dropped.
    pub async fn serve(self: Arc<Self>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        loop {
            let (stream, _) = listener.accept().await?;
            let sandbox = self.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |request: http::Request<hyper::body::Incoming>| {
                        let sandbox = sandbox.clone();
                        async move {
                            let (parts, body) = request.into_parts();
                            let bytes = body
                                .collect()
                                .await
                                .map(|c| c.to_bytes())
                                .unwrap_or_default();
                            let response = sandbox
                                .handle(http::Request::from_parts(parts, bytes))
                                .await;
                            Ok::<_, Infallible>(response.map(Full::new))
                        }
                    },
                );
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    }
}

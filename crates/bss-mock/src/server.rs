//! [`MockServer`]: a loopback httpmock server, a client configured for it, and optionally the
//! service's signature check with known credentials.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use huaweicloud_bss::signer::{ReceivedRequest, verify};
use huaweicloud_bss::{Client, ClientBuilder, Credentials, RetryPolicy, Secret};

use crate::BssError;

/// The access key the clients of [`MockServer::start`] sign with.
const DEFAULT_ACCESS_KEY: &str = "HCBSSMOCKAK0000000001";
/// The secret key the clients of [`MockServer::start`] sign with.
const DEFAULT_SECRET_KEY: &str = "hcbss-mock-secret-key";

/// A loopback httpmock server standing in for BSS.
///
/// It dereferences to [`httpmock::MockServer`], so every group's `MockServerExt` methods and
/// httpmock's own `mock_async` work on it directly.
pub struct MockServer {
    server: httpmock::MockServer,
    access_key: String,
    secret_key: Secret,
    verifies: bool,
    rejected: Arc<AtomicUsize>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.server.base_url())
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("verifies_signatures", &self.verifies)
            .finish()
    }
}

impl MockServer {
    /// Starts a server that answers only with what the test mocks. Its [`client`](Self::client)
    /// signs with built-in test credentials, which the server does not check.
    pub async fn start() -> Self {
        Self::started(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY.into(), false).await
    }

    /// Starts a server that checks every request's `SDK-HMAC-SHA256` signature against
    /// `access_key` and `secret_key`, as the service does: a request that is unsigned or signed
    /// otherwise gets 401 `APIGW.0301` before any mock sees it, and is counted by
    /// [`rejected_signatures`](Self::rejected_signatures). Its client signs with these
    /// credentials.
    pub async fn start_verifying(
        access_key: impl Into<String>,
        secret_key: impl Into<Secret>,
    ) -> Self {
        Self::started(&access_key.into(), secret_key.into(), true).await
    }

    async fn started(access_key: &str, secret_key: Secret, verifies: bool) -> Self {
        let server = MockServer {
            server: httpmock::MockServer::start_async().await,
            access_key: access_key.to_string(),
            secret_key,
            verifies,
            rejected: Arc::new(AtomicUsize::new(0)),
        };
        if verifies {
            server.reject_bad_signatures().await;
        }
        server
    }

    /// Registers, before any mock of the test, the mock that answers badly signed requests:
    /// httpmock tries mocks in the order they were defined.
    async fn reject_bad_signatures(&self) {
        let access_key = self.access_key.clone();
        let secret_key = self.secret_key.expose().to_string();
        let rejected = self.rejected.clone();
        self.server
            .mock_async(move |when, then| {
                when.is_true(move |request| !signed_by(request, &access_key, &secret_key));
                then.respond_with(move |_| {
                    rejected.fetch_add(1, Ordering::SeqCst);
                    BssError::authentication()
                        .with_request_id("hcbss-mock-signature-check")
                        .response()
                });
            })
            .await;
    }

    /// A client for this server, signing with the server's credentials, with retries off so
    /// that each call is one request (see [`client_builder`](Self::client_builder) to change
    /// that).
    pub fn client(&self) -> Result<Client, huaweicloud_bss::Error> {
        self.client_builder().build()
    }

    /// A client builder already pointed at this server, signing with its credentials and with
    /// retries off; change anything before `build()` (for example `.retry(RetryPolicy::default())`
    /// to test retries, or `.credentials(..)` to test a wrong key).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .endpoint(self.server.base_url())
            .credentials(Credentials::aksk(
                self.access_key.clone(),
                self.secret_key.clone(),
            ))
            .retry(RetryPolicy::never())
    }

    /// Whether this server checks signatures ([`start_verifying`](Self::start_verifying)).
    pub fn verifies_signatures(&self) -> bool {
        self.verifies
    }

    /// How many requests were refused because their signature did not verify.
    pub fn rejected_signatures(&self) -> usize {
        self.rejected.load(Ordering::SeqCst)
    }
}

impl std::ops::Deref for MockServer {
    type Target = httpmock::MockServer;

    fn deref(&self) -> &httpmock::MockServer {
        &self.server
    }
}

/// Whether `request` carries a valid signature by `access_key`/`secret_key`.
fn signed_by(request: &httpmock::HttpMockRequest, access_key: &str, secret_key: &str) -> bool {
    let uri = request.uri();
    let query = request.query_params();
    let mut headers = request.headers_vec().clone();
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"))
        && let Some(authority) = uri.authority()
    {
        headers.push(("host".to_string(), authority.to_string()));
    }
    let received = ReceivedRequest {
        method: request.method_str(),
        path: uri.path(),
        query: &query,
        headers: &headers,
        body: request.body_ref(),
    };
    verify(&received, |ak| {
        (ak == access_key).then(|| secret_key.to_string())
    })
    .is_ok()
}

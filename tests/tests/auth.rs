//! How each kind of credentials reaches the wire: temporary AK/SK credentials send and sign
//! their security token and domain id, an IAM token goes as `X-Auth-Token` with no signature, and
//! a wrong secret never passes the server-side signature check.

use contract_tests::{AK, SK, signed};
use httpmock::prelude::*;
use huaweicloud_bss::{Client, Credentials};

#[tokio::test]
async fn temporary_credentials_send_and_sign_the_token_and_domain_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/provinces")
                .header("X-Security-Token", "session-token-1")
                .header("X-Domain-Id", "0123456789abcdef0123456789abcdef")
                .is_true(|req: &HttpMockRequest| {
                    let auth = req
                        .headers_vec()
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    auth.contains("x-domain-id") && auth.contains("x-security-token")
                })
                .is_true(signed);
            then.status(200).json_body(serde_json::json!({"count": 0}));
        })
        .await;
    let client = Client::builder()
        .credentials(
            Credentials::temporary(AK, SK, "session-token-1")
                .with_domain_id("0123456789abcdef0123456789abcdef"),
        )
        // A trailing slash on the endpoint does not break the paths.
        .endpoint(format!("{}/", server.base_url()))
        .build()
        .unwrap();
    client.geography().list_provinces().send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn an_iam_token_is_sent_as_x_auth_token_without_a_signature() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/provinces")
                .header("X-Auth-Token", "iam-token-value")
                .header_missing("Authorization")
                .header_missing("X-Sdk-Date");
            then.status(200).json_body(serde_json::json!({"count": 0}));
        })
        .await;
    let client = Client::builder()
        .credentials(Credentials::token("iam-token-value"))
        .endpoint(server.base_url())
        .build()
        .unwrap();
    client.geography().list_provinces().send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_wrong_secret_does_not_pass_the_server_side_check() {
    let server = MockServer::start_async().await;
    let checked = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/provinces")
                .is_true(signed);
            then.status(200).json_body(serde_json::json!({"count": 0}));
        })
        .await;
    let client = Client::builder()
        .credentials(Credentials::aksk(AK, "not-the-secret"))
        .endpoint(server.base_url())
        .build()
        .unwrap();
    assert!(client.geography().list_provinces().send().await.is_err());
    checked.assert_calls_async(0).await;
}

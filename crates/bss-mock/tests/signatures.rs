//! `MockServer::start_verifying` checks signatures as the service does, before any mock; the
//! plain server does not; neither shows its secret key.

use huaweicloud_bss::Credentials;
use huaweicloud_bss_mock::MockServer;
use huaweicloud_bss_mock::catalog::MockServerExt;
use serde_json::json;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const AK: &str = "MOCKSIGNAK0000000001";
const SK: &str = "mock-sign-secret";

fn units() -> huaweicloud_bss::catalog::types::ListMeasureUnitsResponse {
    serde_json::from_value(json!({"measure_units": [{"measure_id": 1, "measure_name": "元", "abbreviation": "元", "measure_type": 1}]}))
        .unwrap()
}

#[tokio::test]
async fn a_request_signed_with_the_known_credentials_reaches_the_mock() -> Result {
    let server = MockServer::start_verifying(AK, SK).await;
    let answer = units();
    let mock = server.list_measure_units(|_, then| {
        then.ok(&answer);
    });
    server
        .client()?
        .catalog()
        .list_measure_units()
        .send()
        .await?;
    mock.assert_calls_async(1).await;
    assert_eq!(server.rejected_signatures(), 0);
    assert!(server.verifies_signatures());
    Ok(())
}

#[tokio::test]
async fn a_wrong_secret_or_an_unknown_key_gets_apigw_0301_and_never_reaches_the_mock() -> Result {
    let server = MockServer::start_verifying(AK, SK).await;
    let answer = units();
    let mock = server.list_measure_units(|_, then| {
        then.ok(&answer);
    });
    for credentials in [
        Credentials::aksk(AK, "another-secret"),
        Credentials::aksk("UNKNOWNAK00000000001", SK),
    ] {
        let client = server.client_builder().credentials(credentials).build()?;
        let err = client
            .catalog()
            .list_measure_units()
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert_eq!(err.code(), Some("APIGW.0301"));
        assert!(err.is_authentication());
        assert!(err.request_id().is_some());
    }
    assert_eq!(server.rejected_signatures(), 2);
    mock.assert_calls_async(0).await;
    Ok(())
}

/// Sends one raw HTTP/1.1 request and returns the response status.
fn raw_status(address: std::net::SocketAddr, request: String) -> std::io::Result<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address)?;
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok());
    status.ok_or_else(|| std::io::Error::other(format!("no status line in {response:?}")))
}

#[tokio::test]
async fn the_signature_covers_the_body() -> Result {
    use huaweicloud_bss::signer::{Algorithm, SignableRequest, sign};
    let server = MockServer::start_verifying(AK, SK).await;
    let address = *server.address();
    let host = address.to_string();
    let path = "/v2/partners/sub-customers/query";
    let date = "20240601T000000Z";
    let signed_body = r#"{"account_name":"demo"}"#;
    let headers = [
        ("content-type", "application/json"),
        ("host", host.as_str()),
        ("x-sdk-date", date),
    ];
    let signature = sign(
        &SignableRequest {
            method: "POST",
            path,
            query: &[],
            headers: &headers,
            body: signed_body.as_bytes(),
        },
        AK,
        SK,
        date,
        &Algorithm::HmacSha256,
    );
    let request = |body: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
             X-Sdk-Date: {date}\r\nAuthorization: {}\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            signature.authorization,
            body.len()
        )
    };
    let as_signed = request(signed_body);
    let tampered = request(r#"{"account_name":"other"}"#);
    let (as_signed, tampered) = tokio::task::spawn_blocking(move || {
        (
            raw_status(address, as_signed),
            raw_status(address, tampered),
        )
    })
    .await?;
    // As signed, the request passes the check (no mock is defined, so httpmock answers 404);
    // with another body, the same signature is refused.
    assert_eq!(as_signed?, 404);
    assert_eq!(tampered?, 401);
    assert_eq!(server.rejected_signatures(), 1);
    Ok(())
}

#[tokio::test]
async fn a_plain_server_does_not_check_signatures() -> Result {
    let server = MockServer::start().await;
    let answer = units();
    let mock = server.list_measure_units(|_, then| {
        then.ok(&answer);
    });
    let client = server
        .client_builder()
        .credentials(Credentials::aksk("ANYAK000000000000001", "any-secret"))
        .build()?;
    client.catalog().list_measure_units().send().await?;
    mock.assert_calls_async(1).await;
    assert!(!server.verifies_signatures());
    Ok(())
}

#[tokio::test]
async fn debug_output_hides_the_secret_key() {
    let server = MockServer::start_verifying(AK, SK).await;
    let debug = format!("{server:?}");
    assert!(debug.contains(AK), "{debug}");
    assert!(!debug.contains(SK), "{debug}");
}

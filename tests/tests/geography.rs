//! Contract tests of the geography group: the exact request on the wire, a server-side
//! signature check, the full documented example decoded, and the typed 400.

use contract_tests::{TRICKY, assert_typed_error, client, exact_query, example, signed};
use httpmock::prelude::*;

#[tokio::test]
async fn list_provinces_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("geography", "ListProvinces");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/provinces")
                .header("X-Language", "zh_CN")
                .is_true(exact_query(&[("offset", "0"), ("limit", "1000")]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .geography()
        .list_provinces()
        .x_language("zh_CN")
        .offset(0)
        .limit(1000u32)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_provinces_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/systems/configs/provinces", |c| async move {
        c.geography().list_provinces().send().await
    })
    .await;
}

#[tokio::test]
async fn list_cities_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("geography", "ListCities");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/cities")
                .is_true(exact_query(&[
                    ("province_code", TRICKY),
                    ("offset", "20"),
                    ("limit", "10"),
                ]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .geography()
        .list_cities()
        .province_code(TRICKY)
        .offset(20)
        .limit(10u32)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_cities_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/systems/configs/cities", |c| async move {
        c.geography()
            .list_cities()
            .province_code("CN-44")
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn list_counties_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("geography", "ListCounties");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/counties")
                .header("X-Language", "en_US")
                .is_true(exact_query(&[("city_code", "CN-4403")]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .geography()
        .list_counties()
        .city_code("CN-4403")
        .x_language("en_US")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_counties_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/systems/configs/counties", |c| async move {
        c.geography().list_counties().city_code(TRICKY).send().await
    })
    .await;
}

#[tokio::test]
async fn limits_are_checked_before_sending() {
    let server = MockServer::start_async().await;
    let catch_all = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(serde_json::json!({}));
        })
        .await;
    let geography = client(&server);
    let err: huaweicloud_bss::Error = geography
        .geography()
        .list_provinces()
        .limit(5000u32)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_invalid_request(), "{err:?}");
    assert_eq!(err.to_string(), "limit: must be at most 1000 (got 5000)");
    let err: huaweicloud_bss::Error = geography
        .geography()
        .list_cities()
        .province_code("x".repeat(41))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("province_code"), "{err}");
    catch_all.assert_calls_async(0).await;
}

#[tokio::test]
async fn temporary_credentials_send_and_sign_the_token_and_domain_id() {
    use huaweicloud_bss::{Client, Credentials};
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
            Credentials::temporary(contract_tests::AK, contract_tests::SK, "session-token-1")
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
    use huaweicloud_bss::{Client, Credentials};
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
    use huaweicloud_bss::{Client, Credentials};
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
        .credentials(Credentials::aksk(contract_tests::AK, "not-the-secret"))
        .endpoint(server.base_url())
        .build()
        .unwrap();
    assert!(client.geography().list_provinces().send().await.is_err());
    checked.assert_calls_async(0).await;
}

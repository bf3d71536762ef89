//! The typed builders' own paths, beyond the contract cases (which go through `Client::invoke`):
//! an empty string filter is sent, an unset body is `{}`, any 2xx is a success for an operation
//! that documents no body, and `send()` turns a documented 400 into a typed error.

use contract_tests::{assert_typed_error, client, exact_body, exact_query, example, signed};
use httpmock::prelude::*;
use serde_json::json;

#[tokio::test]
async fn an_empty_string_filter_is_sent_as_such() {
    let server = MockServer::start_async().await;
    let body = example("catalog", "ListUsageTypes");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/products/usage-types")
                // An empty string is a filter of its own and is sent as such.
                .is_true(exact_query(&[
                    ("resource_type_code", ""),
                    ("offset", "0"),
                    ("limit", "100"),
                ]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .catalog()
        .list_usage_types()
        .resource_type_code("")
        .offset(0)
        .limit(100u32)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn an_unfiltered_list_sends_an_empty_object() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/partners/sub-customers/query")
                .is_true(exact_body(json!({})))
                .is_true(signed);
            then.status(200)
                .json_body(json!({"count": 0, "customer_infos": []}));
        })
        .await;
    let response = client(&server)
        .customers()
        .list_sub_customers()
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(response.customer_infos.is_empty());
}

#[tokio::test]
async fn send_verification_message_code_accepts_any_success() {
    for status in [200, 204] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/v2/bases/verificationcode/send")
                    .is_true(exact_body(json!({
                        "receiver_type": 1,
                        "mobile_phone": "13800000000",
                        "scene": 29,
                        "lang": "zh-cn"
                    })))
                    .is_true(signed);
                then.status(status);
            })
            .await;
        let response = client(&server)
            .customers()
            .send_verification_message_code()
            .body_map(|b| {
                b.receiver_type(1)
                    .mobile_phone(Some("13800000000".to_string()))
                    .scene(Some(29))
                    .lang(Some("zh-cn".to_string()))
            })
            .send()
            .await
            .unwrap();
        mock.assert_async().await;
        assert_eq!(response.status().as_u16(), status);
    }
}

#[tokio::test]
async fn send_decodes_a_documented_400_into_a_typed_error() {
    assert_typed_error(GET, "/v2/systems/configs/provinces", |c| async move {
        c.geography().list_provinces().send().await
    })
    .await;
}

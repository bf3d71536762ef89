//! Contract tests of the catalog group: the exact request on the wire, a server-side signature
//! check, the full documented example decoded, and the typed 400.

use contract_tests::{TRICKY, assert_typed_error, client, exact_query, example, signed};
use httpmock::prelude::*;

#[tokio::test]
async fn list_service_types_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("catalog", "ListServiceTypes");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/products/service-types")
                .header("X-Language", "en_US")
                .is_true(exact_query(&[
                    ("service_type_name", TRICKY),
                    ("offset", "5"),
                    ("limit", "1000"),
                ]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .catalog()
        .list_service_types()
        .x_language("en_US")
        .service_type_name(TRICKY)
        .offset(5)
        .limit(1000u32)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_service_types_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/products/service-types", |c| async move {
        c.catalog().list_service_types().send().await
    })
    .await;
}

#[tokio::test]
async fn list_resource_types_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("catalog", "ListResourceTypes");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/products/resource-types")
                .is_true(exact_query(&[("offset", "100"), ("limit", "100")]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .catalog()
        .list_resource_types()
        .offset(100)
        .limit(100u32)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_resource_types_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/products/resource-types", |c| async move {
        c.catalog().list_resource_types().send().await
    })
    .await;
}

#[tokio::test]
async fn list_service_resources_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("catalog", "ListServiceResources");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/products/service-resources")
                .header("X-Language", "zh_CN")
                .is_true(exact_query(&[
                    ("service_type_code", "hws.service.type.ec2"),
                    ("limit", "50"),
                ]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .catalog()
        .list_service_resources()
        .service_type_code("hws.service.type.ec2")
        .x_language("zh_CN")
        .limit(50u32)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_service_resources_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/products/service-resources", |c| async move {
        c.catalog()
            .list_service_resources()
            .service_type_code(TRICKY)
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn list_usage_types_sends_the_documented_request() {
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
async fn list_usage_types_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/products/usage-types", |c| async move {
        c.catalog().list_usage_types().send().await
    })
    .await;
}

#[tokio::test]
async fn list_measure_units_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("catalog", "ListMeasureUnits");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/bases/measurements")
                .header("X-Language", "en_US")
                .is_true(exact_query(&[]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .catalog()
        .list_measure_units()
        .x_language("en_US")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_measure_units_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/bases/measurements", |c| async move {
        c.catalog().list_measure_units().send().await
    })
    .await;
}

#[tokio::test]
async fn list_conversions_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("catalog", "ListConversions");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/bases/conversions")
                .is_true(exact_query(&[("measure_type", "7")]))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .catalog()
        .list_conversions()
        .measure_type(7)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_conversions_decodes_a_typed_error() {
    assert_typed_error(GET, "/v2/bases/conversions", |c| async move {
        c.catalog().list_conversions().send().await
    })
    .await;
}

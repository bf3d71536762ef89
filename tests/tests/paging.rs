//! Paging through the typed streams against a loopback server that pages for real: every record
//! once, in order, with the operation's largest page by default; a short page or the total ends
//! it; a server that ignores `offset` is an error, not an endless loop. Body paging sets
//! `offset` and `limit` in the JSON body.

use contract_tests::{client, exact_body, signed};
use futures::TryStreamExt;
use httpmock::HttpMockResponse;
use httpmock::prelude::*;
use huaweicloud_bss::PageOptions;
use huaweicloud_bss::customers::types;
use serde_json::{Value, json};

/// Answers a list operation from `records` generated items, honouring offset and limit unless
/// `ignore_offset`; `item(i)` makes item `i`.
fn pager(
    records: usize,
    list: &'static str,
    total: &'static str,
    ignore_offset: bool,
    item: fn(usize) -> Value,
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    move |req: &HttpMockRequest| {
        let query = req.query_params();
        let get = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let offset = if ignore_offset {
            0
        } else {
            get("offset").unwrap_or(0)
        };
        let limit = get("limit").unwrap_or(10);
        let page: Vec<Value> = (offset..records.min(offset + limit)).map(item).collect();
        HttpMockResponse::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(json!({ total: records, list: page }).to_string())
            .build()
    }
}

fn service_type(i: usize) -> Value {
    json!({"service_type_code": format!("hws.service.type.s{i}"), "service_type_name": format!("服务{i}")})
}

#[tokio::test]
async fn items_come_once_each_in_order_with_the_largest_page() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/products/service-types")
                .query_param("offset", "0")
                .query_param("limit", "1000")
                .is_true(signed);
            then.respond_with(pager(
                2345,
                "service_types",
                "total_count",
                false,
                service_type,
            ));
        })
        .await;
    let rest = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/products/service-types")
                .is_true(signed);
            then.respond_with(pager(
                2345,
                "service_types",
                "total_count",
                false,
                service_type,
            ));
        })
        .await;
    let client = client(&server);
    let items: Vec<_> = client
        .catalog()
        .list_service_types()
        .x_language("zh_CN")
        .items(PageOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2345);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(
            item.service_type_code.as_deref(),
            Some(format!("hws.service.type.s{i}").as_str())
        );
    }
    first.assert_calls_async(1).await;
    rest.assert_calls_async(2).await;
}

#[tokio::test]
async fn concurrent_pages_keep_the_order() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/products/service-types")
                .is_true(signed);
            then.respond_with(pager(
                1050,
                "service_types",
                "total_count",
                false,
                service_type,
            ));
        })
        .await;
    let client = client(&server);
    let options = PageOptions {
        page_size: Some(100),
        start: 0,
        concurrency: 4,
        ..PageOptions::default()
    };
    let pages: Vec<_> = client
        .catalog()
        .list_service_types()
        .pages(options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 11);
    let codes: Vec<_> = pages
        .iter()
        .flat_map(|p| &p.service_types)
        .map(|s| s.service_type_code.clone().unwrap())
        .collect();
    let expected: Vec<_> = (0..1050)
        .map(|i| format!("hws.service.type.s{i}"))
        .collect();
    assert_eq!(codes, expected);
    mock.assert_calls_async(11).await;
}

#[tokio::test]
async fn a_server_that_ignores_offset_stops_paging_with_an_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/products/resource-types");
            then.respond_with(pager(
                500,
                "resource_types",
                "total_count",
                true,
                |i| json!({"resource_type_code": format!("hws.resource.type.r{i}")}),
            ));
        })
        .await;
    let err = client(&server)
        .catalog()
        .list_resource_types()
        .items(PageOptions::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("ignores `offset`"), "{err}");
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_limit_the_operation_cannot_take_ends_paging_before_sending() {
    // Geography offsets stop at 1000: with pages of 1000, the third page (offset 2000) is
    // rejected before it is sent.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/systems/configs/provinces");
            then.respond_with(pager(
                5000,
                "provinces",
                "count",
                false,
                |i| json!({"code": format!("CN-{i}"), "name": "省"}),
            ));
        })
        .await;
    let client = client(&server);
    let mut stream = client
        .geography()
        .list_provinces()
        .items(PageOptions::default());
    let mut seen = 0;
    let err = loop {
        match stream.try_next().await {
            Ok(Some(_)) => seen += 1,
            Ok(None) => panic!("paging cannot reach the end"),
            Err(err) => break err,
        }
    };
    assert_eq!(seen, 2000);
    assert!(err.is_invalid_request(), "{err:?}");
    assert!(
        err.to_string().contains("offset: must be at most 1000"),
        "{err}"
    );
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn body_paging_sets_offset_and_limit_in_the_body() {
    let server = MockServer::start_async().await;
    let page = |offset: usize, n: usize| {
        json!({"count": 250, "customer_infos": (offset..offset + n)
            .map(|i| json!({"account_name": format!("c{i}"), "customer_id": format!("{i:032x}")}))
            .collect::<Vec<_>>()})
    };
    let mut mocks = Vec::new();
    for (offset, n) in [(0, 100), (100, 100), (200, 50)] {
        let body = page(offset, n);
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method(POST)
                        .path("/v2/partners/sub-customers/query")
                        .is_true(exact_body(
                            json!({"label": "vip", "offset": offset, "limit": 100}),
                        ))
                        .is_true(signed);
                    then.status(200).json_body(body);
                })
                .await,
        );
    }
    let request: types::QuerySubCustomerListReq =
        serde_json::from_value(json!({"label": "vip"})).unwrap();
    let client = client(&server);
    let customers: Vec<_> = client
        .customers()
        .list_sub_customers()
        .body(request)
        .items(PageOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(customers.len(), 250);
    assert_eq!(customers[249].account_name.as_deref(), Some("c249"));
    for mock in mocks {
        mock.assert_async().await;
    }
}

//! Contract tests of the customers group: the exact JSON body on the wire (unset fields left
//! out, never `null`), a server-side signature check, the full documented example decoded, and
//! the typed 400.

use contract_tests::{
    TRICKY, assert_typed_error, catch_all, client, exact_body, exact_query, example, signed,
};
use httpmock::prelude::*;
use huaweicloud_bss::customers::types;
use serde_json::json;

#[tokio::test]
async fn list_sub_customers_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("customers", "ListSubCustomers");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/partners/sub-customers/query")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(exact_body(json!({
                    "account_name": TRICKY,
                    "associated_on_begin": "2024-01-01T00:00:00Z",
                    "offset": 100,
                    "limit": 100
                })))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let request: types::QuerySubCustomerListReq = serde_json::from_value(json!({
        "account_name": TRICKY,
        "associated_on_begin": "2024-01-01T00:00:00Z",
        "offset": 100,
        "limit": 100
    }))
    .unwrap();
    let response = client(&server)
        .customers()
        .list_sub_customers()
        .body(request)
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
async fn list_sub_customers_decodes_a_typed_error() {
    assert_typed_error(POST, "/v2/partners/sub-customers/query", |c| async move {
        c.customers().list_sub_customers().send().await
    })
    .await;
}

#[tokio::test]
async fn create_sub_customer_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("customers", "CreateSubCustomer");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/partners/sub-customers")
                .is_true(exact_body(json!({
                    "xaccount_id": TRICKY,
                    "xaccount_type": "partner_saas",
                    "domain_name": "huawei_partner_user01",
                    "include_association_result": true
                })))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .customers()
        .create_sub_customer()
        .body_map(|b| {
            b.xaccount_id(TRICKY)
                .xaccount_type("partner_saas")
                .domain_name(Some(
                    types::CreateCustomerV2ReqDomainName::try_from("huawei_partner_user01")
                        .unwrap(),
                ))
                .include_association_result(Some(true))
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn create_sub_customer_checks_the_account_name_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    // The pattern and length rules of domain_name are checked when the value is built.
    assert!(types::CreateCustomerV2ReqDomainName::try_from("1234").is_err());
    assert!(types::CreateCustomerV2ReqDomainName::try_from("名字名字名字").is_err());
    // A body missing a required field fails before anything is sent.
    let err: huaweicloud_bss::Error = client(&server)
        .customers()
        .create_sub_customer()
        .body_map(|b| b.xaccount_type("partner_saas"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_invalid_request(), "{err:?}");
    assert!(err.to_string().contains("xaccount_id"), "{err}");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_sub_customer_decodes_a_typed_error() {
    assert_typed_error(POST, "/v2/partners/sub-customers", |c| async move {
        c.customers()
            .create_sub_customer()
            .body_map(|b| b.xaccount_id("u-1").xaccount_type("partner_saas"))
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn check_user_identity_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("customers", "CheckUserIdentity");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/partners/sub-customers/users/check-identity")
                .is_true(exact_body(
                    json!({"search_type": "mobile", "search_value": "0086-13800000000"}),
                ))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .customers()
        .check_user_identity()
        .body_map(|b| {
            b.search_type(types::CheckSubcustomerUserReqSearchType::Mobile)
                .search_value(
                    types::CheckSubcustomerUserReqSearchValue::try_from("0086-13800000000")
                        .unwrap(),
                )
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn check_user_identity_decodes_a_typed_error() {
    assert_typed_error(
        POST,
        "/v2/partners/sub-customers/users/check-identity",
        |c| async move {
            c.customers()
                .check_user_identity()
                .body_map(|b| {
                    b.search_type(types::CheckSubcustomerUserReqSearchType::Name)
                        .search_value(
                            types::CheckSubcustomerUserReqSearchValue::try_from("demo_user")
                                .unwrap(),
                        )
                })
                .send()
                .await
        },
    )
    .await;
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
async fn send_verification_message_code_decodes_a_typed_error() {
    assert_typed_error(POST, "/v2/bases/verificationcode/send", |c| async move {
        c.customers()
            .send_verification_message_code()
            .body_map(|b| b.receiver_type(1))
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn list_sub_customer_new_tag_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("customers", "ListSubCustomerNewTag");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/partners/sub-customers/new-customers-tags/batch-query")
                .is_true(exact_body(json!({
                    "customer_ids": ["0a1b2c3d4e5f60718293a4b5c6d7e8f9", TRICKY],
                    "limit": 200
                })))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .customers()
        .list_sub_customer_new_tag()
        .body_map(|b| {
            b.customer_ids(vec![
                "0a1b2c3d4e5f60718293a4b5c6d7e8f9".to_string(),
                TRICKY.to_string(),
            ])
            .limit(std::num::NonZeroU32::new(200))
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_sub_customer_new_tag_decodes_a_typed_error() {
    assert_typed_error(
        POST,
        "/v2/partners/sub-customers/new-customers-tags/batch-query",
        |c| async move { c.customers().list_sub_customer_new_tag().send().await },
    )
    .await;
}

#[tokio::test]
async fn list_indirect_partners_sends_the_documented_request() {
    let server = MockServer::start_async().await;
    let body = example("customers", "ListIndirectPartners");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/partners/indirect-partners/query")
                .is_true(exact_body(
                    json!({"account_name": "reseller_east", "offset": 0, "limit": 50}),
                ))
                .is_true(signed);
            then.status(200).json_body(body.clone());
        })
        .await;
    let request: types::QueryIndirectPartnersReq =
        serde_json::from_value(json!({"account_name": "reseller_east", "offset": 0, "limit": 50}))
            .unwrap();
    let response = client(&server)
        .customers()
        .list_indirect_partners()
        .body(request)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), body);
}

#[tokio::test]
async fn list_indirect_partners_decodes_a_typed_error() {
    assert_typed_error(
        POST,
        "/v2/partners/indirect-partners/query",
        |c| async move { c.customers().list_indirect_partners().send().await },
    )
    .await;
}

#[tokio::test]
async fn body_paging_sets_offset_and_limit_in_the_body() {
    use futures::TryStreamExt;
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
        .items(huaweicloud_bss::PageOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(customers.len(), 250);
    assert_eq!(customers[249].account_name.as_deref(), Some("c249"));
    for mock in mocks {
        mock.assert_async().await;
    }
}

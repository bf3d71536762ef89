//! Rules checked before anything is sent, on the typed builders: limits and lengths of
//! parameters, the pattern of a value built with `try_from`, and a body missing a required field.
//! (The contract tests check the required fields and amounts of every operation through
//! `Client::invoke`.)

use contract_tests::{catch_all, client};
use httpmock::prelude::*;
use huaweicloud_bss::customers::types;

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

//! The sandbox through the real client: signatures are checked, paging is real, invalid input is
//! answered with CBC.0100, writes change what later reads return, and faults can be injected.

use std::net::SocketAddr;

use futures::TryStreamExt;
use huaweicloud_bss::customers::types;
use huaweicloud_bss::{Client, Credentials, PageOptions, RetryPolicy};
use huaweicloud_bss_sandbox::{Config, DEMO_AK, DEMO_SK, Running, Sandbox};
use serde_json::json;

async fn start(config: Config) -> Running {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    Sandbox::new(config).start(addr).await.unwrap()
}

fn client(sandbox: &Running) -> Client {
    Client::builder()
        .credentials(Credentials::aksk(DEMO_AK, DEMO_SK))
        .endpoint(sandbox.url())
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn serves_geography_with_real_paging() {
    let sandbox = start(Config::default()).await;
    let client = client(&sandbox);
    let provinces: Vec<_> = client
        .geography()
        .list_provinces()
        .items(PageOptions {
            page_size: Some(7),
            ..PageOptions::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(provinces.len(), 34);
    assert_eq!(provinces[18].name.as_deref(), Some("广东省"));
    let cities = client
        .geography()
        .list_cities()
        .province_code("CN-44")
        .send()
        .await
        .unwrap();
    assert!(
        cities
            .cities
            .iter()
            .any(|c| c.name.as_deref() == Some("深圳市"))
    );
    let shenzhen = cities
        .cities
        .iter()
        .find(|c| c.name.as_deref() == Some("深圳市"))
        .unwrap();
    let counties = client
        .geography()
        .list_counties()
        .city_code(shenzhen.code.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert!(counties.count.unwrap() >= 3);
}

#[tokio::test]
async fn the_data_set_is_deterministic() {
    let a = start(Config::default()).await;
    let b = start(Config::default()).await;
    let first = |s: Running| async move {
        let c = client(&s);
        c.customers()
            .list_sub_customers()
            .send()
            .await
            .unwrap()
            .into_inner()
    };
    assert_eq!(first(a).await, first(b).await);
}

#[tokio::test]
async fn a_wrong_signature_is_apigw_0301() {
    let sandbox = start(Config::default()).await;
    let client = Client::builder()
        .credentials(Credentials::aksk(DEMO_AK, "not-the-secret"))
        .endpoint(sandbox.url())
        .build()
        .unwrap();
    let err: huaweicloud_bss::Error = client
        .catalog()
        .list_measure_units()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some("APIGW.0301"));
    assert!(err.request_id().is_some());
}

#[tokio::test]
async fn a_created_customer_appears_in_the_list() {
    let sandbox = start(Config::default()).await;
    let client = client(&sandbox);
    let before = client
        .customers()
        .list_sub_customers()
        .send()
        .await
        .unwrap()
        .count
        .unwrap();
    let name = types::CreateCustomerV2ReqDomainName::try_from("sandbox_new_user").unwrap();
    let created = client
        .customers()
        .create_sub_customer()
        .body_map(|b| {
            b.xaccount_id("u-42")
                .xaccount_type("partner_saas")
                .domain_name(Some(name))
        })
        .send()
        .await
        .unwrap();
    let id = created.domain_id.clone().unwrap();
    let request: types::QuerySubCustomerListReq =
        serde_json::from_value(json!({"customer_id": id})).unwrap();
    let found = client
        .customers()
        .list_sub_customers()
        .body(request)
        .send()
        .await
        .unwrap();
    assert_eq!(found.customer_infos.len(), 1);
    assert_eq!(
        found.customer_infos[0].account_name.as_deref(),
        Some("sandbox_new_user")
    );
    let after = client
        .customers()
        .list_sub_customers()
        .send()
        .await
        .unwrap()
        .count
        .unwrap();
    assert_eq!(after, before + 1);
    // The name is now taken.
    let check = client
        .customers()
        .check_user_identity()
        .body_map(|b| {
            b.search_type(types::CheckSubcustomerUserReqSearchType::Name)
                .search_value(
                    types::CheckSubcustomerUserReqSearchValue::try_from("sandbox_new_user")
                        .unwrap(),
                )
        })
        .send()
        .await
        .unwrap();
    assert_eq!(check.check_result.as_deref(), Some("used_by_user"));
}

#[tokio::test]
async fn invalid_input_is_cbc_0100_with_a_clear_message() {
    let sandbox = start(Config::default()).await;
    let client = client(&sandbox);
    let err: huaweicloud_bss::Error = client
        .customers()
        .create_sub_customer()
        .body_map(|b| {
            b.xaccount_id("u-1")
                .xaccount_type("partner_saas")
                .mobile_phone(Some("13800000000".into()))
                .verification_code(Some("000000".into()))
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("CBC.0100"));
    assert!(err.message().contains("verification_code"), "{err}");
}

#[tokio::test]
async fn injected_throttling_and_errors() {
    let sandbox = start(Config {
        throttle_rate: 1.0,
        ..Config::default()
    })
    .await;
    let err: huaweicloud_bss::Error = client(&sandbox)
        .catalog()
        .list_measure_units()
        .send()
        .await
        .unwrap_err();
    assert!(err.is_throttled(), "{err:?}");
    assert_eq!(err.code(), Some("APIGW.0308"));
    let sandbox = start(Config {
        error_rate: 1.0,
        ..Config::default()
    })
    .await;
    let err: huaweicloud_bss::Error = client(&sandbox)
        .catalog()
        .list_measure_units()
        .send()
        .await
        .unwrap_err();
    assert!(err.is_server(), "{err:?}");
}

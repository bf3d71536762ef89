//! One operation of every API group, called through a real `huaweicloud_bss::Client` against the
//! typed mocks: the mock matches the typed parameters or body the client sends, and the client
//! decodes exactly the typed answer the mock gives (a response, a BSS error or a partial failure).

use huaweicloud_bss::{Site, accounts, bills, costs, coupons, customers, enterprise};
use huaweicloud_bss::{funds, geography, intl, orders, packages, pricing, realname};
use huaweicloud_bss_mock::{BssError, MockServer};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A typed value from JSON, as a test writes its fixtures.
fn typed<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the fixture fits the generated type")
}

/// Asserts that what the client decoded is what the mock was told to answer.
#[track_caller]
fn same<T: Serialize>(decoded: &T, answered: &T) {
    assert_eq!(
        serde_json::to_value(decoded).unwrap(),
        serde_json::to_value(answered).unwrap()
    );
}

/// A server that checks signatures, as most tests here use.
async fn server() -> MockServer {
    MockServer::start_verifying("MOCKTESTAK0000000001", "mock-test-secret").await
}

#[tokio::test]
async fn accounts_update_customer_account_amount_matches_body_fields() -> Result {
    use accounts::types::{AdjustAccountReq, UpdateCustomerAccountAmountResponse};
    use huaweicloud_bss_mock::accounts::MockServerExt;
    let server = server().await;
    let answer: UpdateCustomerAccountAmountResponse =
        typed(json!({"transfer_id": "3f2a1b0c9d8e4f7a8b6c5d4e3f2a1b0c"}));
    let body: AdjustAccountReq =
        typed(json!({"customer_id": "0bb43f81c000d3a10f19c014228fb580", "amount": 10.5}));
    let mock = server.update_customer_account_amount(|when, then| {
        when.body_matches(|body| body.customer_id.as_str() == "0bb43f81c000d3a10f19c014228fb580");
        then.ok(&answer);
    });
    let client = server.client()?;
    let response = client
        .accounts()
        .update_customer_account_amount()
        .body(body)
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    mock.assert_calls_async(1).await;

    // Another customer does not match: httpmock answers 404 and the mock is not called again.
    let other: AdjustAccountReq = typed(json!({"customer_id": "someone-else", "amount": 1}));
    let err = client
        .accounts()
        .update_customer_account_amount()
        .body(other)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn bills_list_subcustomer_monthly_bills_matches_query_parameters() -> Result {
    use huaweicloud_bss_mock::bills::MockServerExt;
    let server = server().await;
    let answer: bills::types::ListSubcustomerMonthlyBillsResponse =
        typed(json!({"count": 0, "currency": "CNY", "bill_sums": []}));
    let cycle = "2024-03".try_into()?;
    let charge_mode = "1".try_into()?;
    let customer: bills::types::ListSubcustomerMonthlyBillsCustomerId =
        "0bb43f81c000d3a10f19c014228fb580".try_into()?;
    let mock = server.list_subcustomer_monthly_bills(|when, then| {
        when.cycle(&cycle)
            .charge_mode(&charge_mode)
            .customer_id(&customer)
            .offset(0)
            .limit(None);
        then.ok(&answer);
    });
    let response = server
        .client()?
        .bills()
        .list_subcustomer_monthly_bills()
        .cycle("2024-03")
        .charge_mode("1")
        .customer_id("0bb43f81c000d3a10f19c014228fb580")
        .offset(0)
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn catalog_list_measure_units_answers_a_server_error_without_retrying() -> Result {
    use huaweicloud_bss_mock::catalog::MockServerExt;
    let server = server().await;
    let mock = server.list_measure_units(|_, then| {
        then.bss_error(&BssError::server().with_request_id("req-500"));
    });
    let err = server
        .client()?
        .catalog()
        .list_measure_units()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.code(), Some("CBC.0999"));
    assert_eq!(err.message(), "System error");
    assert_eq!(err.request_id(), Some("req-500"));
    // The mock's client has retries off: one call, one request.
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn costs_list_costs_matches_the_whole_typed_body() -> Result {
    use huaweicloud_bss_mock::costs::MockServerExt;
    let server = server().await;
    let body: costs::types::ListCostsReq = typed(json!({
        "time_condition": {"time_measure_id": 2, "begin_time": "2024-01", "end_time": "2024-03"},
        "groupby": [{"type": "dimension", "key": "CLOUD_SERVICE_TYPE"}],
        "cost_type": "AMORTIZED_COST",
        "amount_type": "PAYMENT_AMOUNT",
        "offset": 0,
        "limit": 100,
    }));
    let answer: costs::types::ListCostsResponse =
        typed(json!({"currency": "CNY", "total_count": 0, "cost_data": []}));
    let mock = server.list_costs(|when, then| {
        when.body(&body);
        then.ok(&answer);
    });
    let response = server
        .client()?
        .costs()
        .list_costs()
        .body(body.clone())
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn coupons_create_partner_coupons_answers_a_partial_failure() -> Result {
    use huaweicloud_bss_mock::coupons::MockServerExt;
    let server = server().await;
    let body: coupons::types::CreatePartnerCouponsReq = typed(json!({
        "quota_id": "2020061902584509",
        "customer_ids": ["3d2c6b1e5f7a4c0d9e8b7a6f5c4d3e2b", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"],
        "face_value": 200.5,
        "cloud_service_types": ["hws.service.type.ec2"],
        "product_ids": ["OFFI740586375358963717"],
    }));
    let issued: coupons::types::CreatePartnerCouponsResponse = typed(json!({
        "coupon_infos": [{"id": "3d2c6b1e5f7a4c0d9e8b7a6f5c4d3e2b", "coupon_id": "CP240328080000AB12"}],
    }));
    let failed: Vec<coupons::types::ErrorDetail> = typed(json!([{
        "error_code": "CBC.99000035",
        "error_msg": "The customer is not a sub-customer of this partner.",
        "id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    }]));
    let mock = server.create_partner_coupons(|when, then| {
        when.body_matches(|body| body.customer_ids.len() == 2);
        then.partial_failure(&issued, failed.clone());
    });
    let response = server
        .client()?
        .coupons()
        .create_partner_coupons()
        .body(body)
        .send()
        .await?;
    assert_eq!(response.status().as_u16(), 200);
    let decoded = serde_json::to_value(response.into_inner())?;
    assert_eq!(decoded["error_details"], serde_json::to_value(&failed)?);
    assert_eq!(
        decoded["coupon_infos"],
        json!([{"id": "3d2c6b1e5f7a4c0d9e8b7a6f5c4d3e2b", "coupon_id": "CP240328080000AB12"}])
    );
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn customers_list_sub_customers_answers_a_typed_bss_error() -> Result {
    use huaweicloud_bss_mock::customers::MockServerExt;
    let server = server().await;
    let mock = server.list_sub_customers(|when, then| {
        when.body_matches(|body| body.account_name.as_deref().map(|n| n.as_str()) == Some("demo"));
        then.bss_error(
            &BssError::new(403, "CBC.99000035", "Not your customer").with_request_id("req-403"),
        );
    });
    let body: customers::types::QuerySubCustomerListReq = typed(json!({"account_name": "demo"}));
    let err = server
        .client()?
        .customers()
        .list_sub_customers()
        .body(body)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), Some("CBC.99000035"));
    assert_eq!(err.message(), "Not your customer");
    assert_eq!(err.request_id(), Some("req-403"));
    assert!(err.is_permission());
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn enterprise_list_enterprise_organizations() -> Result {
    use huaweicloud_bss_mock::enterprise::MockServerExt;
    let server = server().await;
    let answer: enterprise::types::ListEnterpriseOrganizationsResponse = typed(json!({
        "root_id": "1001",
        "root_name": "华为云计算技术有限公司",
        "child_nodes": [{"relation_id": "2001", "id": "1002", "name": "研发部", "child_nodes": []}],
    }));
    let mock = server.list_enterprise_organizations(|when, then| {
        when.recursive_query(1);
        then.ok(&answer);
    });
    let response = server
        .client()?
        .enterprise()
        .list_enterprise_organizations()
        .recursive_query(1)
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn funds_show_customer_account_balances_keeps_exact_amounts() -> Result {
    use huaweicloud_bss_mock::funds::MockServerExt;
    let server = server().await;
    let answer: funds::types::ShowCustomerAccountBalancesResponse = typed(json!({
        "account_balances": [{"account_id": "cash", "account_type": 1, "amount": 5230.75, "currency": "CNY", "measure_id": 1}],
        "debt_amount": 0,
        "measure_id": 1,
        "currency": "CNY",
    }));
    let mock = server.show_customer_account_balances(|_, then| {
        then.ok(&answer);
    });
    let response = server
        .client()?
        .funds()
        .show_customer_account_balances()
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn geography_list_cities_pages_through_the_mock() -> Result {
    use futures::TryStreamExt;
    use huaweicloud_bss_mock::geography::MockServerExt;
    let server = server().await;
    let answer: geography::types::ListCitiesResponse = typed(json!({
        "count": 2,
        "cities": [{"code": "CN-4401", "name": "广州市"}, {"code": "CN-4403", "name": "深圳市"}],
    }));
    let province = "CN-44".try_into()?;
    let mock = server.list_cities(|when, then| {
        when.province_code(&province).offset(0);
        then.ok(&answer);
    });
    let cities: Vec<_> = server
        .client()?
        .geography()
        .list_cities()
        .province_code("CN-44")
        .items(Default::default())
        .try_collect()
        .await?;
    assert_eq!(serde_json::to_value(&cities)?, json!(answer)["cities"]);
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn intl_show_sub_customer_budget_on_the_international_site() -> Result {
    use huaweicloud_bss_mock::intl::MockServerExt;
    let server = server().await;
    let answer: intl::types::ShowSubCustomerBudgetResponse = typed(json!({
        "budget_amount": 1000, "used_amount": 235.68, "measure_id": 1, "currency": "USD", "budget_type": "MONTHLY",
    }));
    let customer = "3d2c6b1e5f7a4c0d9e8b7a6f5c4d3e2b".try_into()?;
    let mock = server.show_sub_customer_budget(|when, then| {
        when.customer_id(&customer);
        then.ok(&answer);
    });
    let client = server.client_builder().site(Site::International).build()?;
    let response = client
        .intl()
        .show_sub_customer_budget()
        .customer_id("3d2c6b1e5f7a4c0d9e8b7a6f5c4d3e2b")
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn orders_show_customer_order_details_matches_the_path_parameter() -> Result {
    use huaweicloud_bss_mock::orders::MockServerExt;
    let server = server().await;
    let answer: orders::types::ShowCustomerOrderDetailsResponse = typed(json!({"total_count": 0}));
    let order = "CS2403281234ABCDE".try_into()?;
    let mock = server.show_customer_order_details(|when, then| {
        when.order_id(&order);
        then.ok(&answer);
    });
    let client = server.client()?;
    let response = client
        .orders()
        .show_customer_order_details()
        .order_id("CS2403281234ABCDE")
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    let other = client
        .orders()
        .show_customer_order_details()
        .order_id("CS0000000000OTHER")
        .send()
        .await;
    assert!(other.is_err(), "another order id must not match");
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn packages_list_free_resource_usages() -> Result {
    use huaweicloud_bss_mock::packages::MockServerExt;
    let server = server().await;
    let answer: packages::types::ListFreeResourceUsagesResponse = typed(json!({"free_resources": [
        {"free_resource_id": "8a2b3c4d5e6f40718293a4b5c6d7e8f9", "amount": 62.35, "original_amount": 100, "measure_id": 10}
    ]}));
    let mock = server.list_free_resource_usages(|when, then| {
        when.body_matches(|body| body.free_resource_ids.len() == 1);
        then.ok(&answer);
    });
    let body: packages::types::ListFreeResourceUsagesReq =
        typed(json!({"free_resource_ids": ["8a2b3c4d5e6f40718293a4b5c6d7e8f9"]}));
    let response = server
        .client()?
        .packages()
        .list_free_resource_usages()
        .body(body)
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn pricing_list_renew_rate_on_period_answers_a_partial_failure() -> Result {
    use huaweicloud_bss_mock::pricing::MockServerExt;
    let server = server().await;
    let rated: pricing::types::ListRenewRateOnPeriodResponse = typed(json!({
        "currency": "CNY",
        "renew_inquiry_results": [{"resource_id": "6f1a2b3c", "amount": 1843.2}],
        "optional_discount_rating_results": [],
        "fail_resource_infos": [],
    }));
    let failed: Vec<pricing::types::FailResourceInfo> =
        typed(json!([{"id": "ecs-2", "error_code": "CBC.30000010", "error_msg": "Not found"}]));
    let mock = server.list_renew_rate_on_period(|_, then| {
        then.partial_failure(&rated, failed.clone());
    });
    let body: pricing::types::ListRenewRateOnPeriodReq = typed(json!({
        "resource_ids": ["6f1a2b3c", "ecs-2"], "period_type": 3, "period_num": 1,
    }));
    let response = server
        .client()?
        .pricing()
        .list_renew_rate_on_period()
        .body(body)
        .send()
        .await?;
    let decoded = serde_json::to_value(response.into_inner())?;
    assert_eq!(
        decoded["fail_resource_infos"],
        serde_json::to_value(&failed)?
    );
    assert_eq!(
        decoded["renew_inquiry_results"],
        json!(rated)["renew_inquiry_results"]
    );
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn realname_show_review_result() -> Result {
    use huaweicloud_bss_mock::realname::MockServerExt;
    let server = server().await;
    let answer: realname::types::ShowRealnameAuthenticationReviewResultResponse =
        typed(json!({"review_result": 1, "opinion": "营业执照照片模糊"}));
    let mock = server.show_realname_authentication_review_result(|when, then| {
        when.customer_id("3d2c6b1e5f7a4c0d9e8b7a6f5c4d3e2b");
        then.ok(&answer);
    });
    let response = server
        .client()?
        .realname()
        .show_realname_authentication_review_result()
        .customer_id("3d2c6b1e5f7a4c0d9e8b7a6f5c4d3e2b")
        .send()
        .await?;
    same(&response.into_inner(), &answer);
    mock.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn resources_cancel_auto_renewal_answers_no_content() -> Result {
    use huaweicloud_bss_mock::resources::MockServerExt;
    let server = server().await;
    let mock = server.cancel_auto_renewal_resources(|when, then| {
        when.resource_id("6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b");
        then.no_content();
    });
    let response = server
        .client()?
        .resources()
        .cancel_auto_renewal_resources()
        .resource_id("6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b")
        .send()
        .await?;
    assert_eq!(response.status().as_u16(), 204);
    mock.assert_calls_async(1).await;

    // A path value is matched literally: `.` is not "any character".
    let literal = server.cancel_auto_renewal_resources(|when, then| {
        when.resource_id("res.1");
        then.no_content();
    });
    let client = server.client()?;
    let other = client
        .resources()
        .cancel_auto_renewal_resources()
        .resource_id("resX1")
        .send()
        .await;
    assert!(other.is_err(), "`resX1` must not match `res.1`");
    client
        .resources()
        .cancel_auto_renewal_resources()
        .resource_id("res.1")
        .send()
        .await?;
    literal.assert_calls_async(1).await;
    Ok(())
}

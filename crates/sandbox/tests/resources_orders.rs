//! The resources and orders groups of the sandbox through the real client: seeded on-demand and
//! yearly/monthly resources and orders with real totals, paging and filters; renewals that wait
//! for their order to be paid; auto-renewal, unsubscription and conversion to pay-per-use that
//! change later reads; paying and cancelling pending orders; and the documented business errors.

use std::num::NonZeroU32;

use futures::TryStreamExt;
use huaweicloud_bss::orders::types as orders;
use huaweicloud_bss::resources::types as resources;
use huaweicloud_bss::{Client, Decimal, PageOptions, PositiveAmount};

const NOW: &str = "2024-06-01T00:00:00Z";

mod common;

use common::{failure, new_customer, start};

/// The ID of the seeded customer with this account name.
async fn customer(client: &Client, account: &str) -> String {
    let found = client
        .customers()
        .list_sub_customers()
        .body_map(|b| b.account_name(Some(account.parse().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(found.customer_infos.len(), 1, "{account}");
    found.customer_infos[0].customer_id.clone().unwrap()
}

fn limit(n: u32) -> Option<NonZeroU32> {
    NonZeroU32::new(n)
}

/// A query of a customer's yearly/monthly resources.
fn query(customer: &str) -> resources::QueryResourcesReq {
    resources::QueryResourcesReq {
        customer_id: Some(customer.parse().unwrap()),
        limit: limit(100),
        ..Default::default()
    }
}

async fn yearly(
    client: &Client,
    request: resources::QueryResourcesReq,
) -> resources::ListPayPerUseCustomerResourcesResponse {
    client
        .resources()
        .list_pay_per_use_customer_resources()
        .body(request)
        .send()
        .await
        .unwrap()
        .into_inner()
}

/// A yearly/monthly resource with its attached ones, as a later read shows them.
async fn group(client: &Client, customer: &str, id: &str) -> Vec<resources::OrderInstanceV2> {
    yearly(
        client,
        resources::QueryResourcesReq {
            resource_ids: vec![id.to_string()],
            ..query(customer)
        },
    )
    .await
    .data
}

/// The main resources of `customer` in use.
async fn in_use(client: &Client, customer: &str) -> Vec<resources::OrderInstanceV2> {
    yearly(
        client,
        resources::QueryResourcesReq {
            only_main_resource: Some(1),
            status_list: vec![2],
            ..query(customer)
        },
    )
    .await
    .data
}

async fn order(client: &Client, id: &str) -> orders::CustomerOrderV2 {
    let found = client
        .orders()
        .list_customer_orders()
        .order_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(found.total_count, Some(1), "{id}");
    found.order_infos[0].clone()
}

fn amount(value: Option<huaweicloud_bss::Amount>) -> Decimal {
    value.unwrap().value()
}

/// `ts` moved by `months`, the day clamped to the month (as renewals move expiry times).
fn add_months(ts: &str, months: i32) -> String {
    let y: i32 = ts[0..4].parse().unwrap();
    let m: i32 = ts[5..7].parse().unwrap();
    let d: u32 = ts[8..10].parse().unwrap();
    let index = y * 12 + m - 1 + months;
    let (y, m) = (index / 12, index % 12 + 1);
    let last = match m {
        2 if y % 4 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    format!("{y:04}-{m:02}-{:02}{}", d.min(last), &ts[10..])
}

/// The balance of a reseller-model customer's account (the `accounts` group).
async fn balance(client: &Client, customer: &str) -> Decimal {
    let found = client
        .accounts()
        .list_customers_balances_detail()
        .body_map(|b| {
            b.customer_infos(vec![huaweicloud_bss::accounts::types::CustomerInfoV2 {
                customer_id: customer.parse().unwrap(),
            }])
        })
        .send()
        .await
        .unwrap();
    amount(found.customer_balances[0].amount)
}

/// Sets a reseller-model customer's balance to `target` by reclaiming and transferring funds.
async fn fund(client: &Client, customer: &str, target: i64) {
    let held = balance(client, customer).await;
    if held > Decimal::ZERO {
        client
            .accounts()
            .reclaim_to_partner_account()
            .body_map(|b| {
                b.customer_id(customer)
                    .amount(PositiveAmount::try_from(held).unwrap())
            })
            .send()
            .await
            .unwrap();
    }
    if target > 0 {
        client
            .accounts()
            .update_customer_account_amount()
            .body_map(|b| {
                b.customer_id(customer)
                    .amount(PositiveAmount::try_from(Decimal::from(target)).unwrap())
            })
            .send()
            .await
            .unwrap();
    }
    assert_eq!(balance(client, customer).await, Decimal::from(target));
}

/// Renews the first of `candidates` that accepts it (some have a renewal pending payment).
async fn renew_one(
    client: &Client,
    candidates: &[resources::OrderInstanceV2],
    period_type: i32,
    period_num: u32,
    auto_pay: i32,
) -> (resources::OrderInstanceV2, String) {
    for r in candidates {
        let id = r.resource_id.clone().unwrap();
        let renewed = client
            .resources()
            .renewal_resources()
            .body_map(|b| {
                b.resource_ids(vec![id.clone()])
                    .period_type(period_type)
                    .period_num(period_num)
                    .is_auto_pay(Some(auto_pay))
            })
            .send()
            .await
            .unwrap();
        if renewed.fail_resource_infos.is_empty() {
            assert_eq!(renewed.order_ids.len(), 1);
            return (r.clone(), renewed.order_ids[0].clone());
        }
        assert_eq!(
            renewed.fail_resource_infos[0].error_code.as_deref(),
            Some("CBC.99005010")
        );
    }
    panic!("no resource could be renewed");
}

#[tokio::test]
async fn on_demand_resources_page_filter_and_refuse_other_customers() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0001").await;
    let list = || {
        client
            .resources()
            .list_customer_on_demand_resources()
            .body_map(|b| b.customer_id(id.as_str()).limit(limit(5)))
    };
    let first = list().send().await.unwrap();
    let total = first.total_count.unwrap();
    assert!(total >= 10, "{total}");
    assert_eq!(first.resources.len(), 5);
    let all: Vec<_> = list()
        .items(PageOptions {
            page_size: Some(4),
            ..PageOptions::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), total as usize);
    assert!(
        all.iter()
            .all(|r| r.customer_id.as_deref() == Some(id.as_str()))
    );
    let mut ids: Vec<_> = all.iter().map(|r| r.resource_id.clone().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len());

    // Filters: region, status, resource IDs, effective time.
    let region = all[0].region_code.clone().unwrap();
    let in_region = client
        .resources()
        .list_customer_on_demand_resources()
        .body_map(|b| {
            b.customer_id(id.as_str())
                .region_code(Some(region.parse().unwrap()))
                .limit(limit(100))
        })
        .send()
        .await
        .unwrap();
    let expected = all
        .iter()
        .filter(|r| r.region_code.as_deref() == Some(region.as_str()))
        .count();
    assert_eq!(in_region.total_count, Some(expected as i32));
    assert!(
        in_region
            .resources
            .iter()
            .all(|r| r.region_code.as_deref() == Some(region.as_str()))
    );
    let status = all[0].status.unwrap();
    let with_status = client
        .resources()
        .list_customer_on_demand_resources()
        .body_map(|b| b.customer_id(id.as_str()).status(Some(status)))
        .send()
        .await
        .unwrap();
    let expected = all.iter().filter(|r| r.status == Some(status)).count();
    assert_eq!(with_status.total_count, Some(expected as i32));
    let two = vec![ids[0].clone(), ids[1].clone()];
    let by_id = client
        .resources()
        .list_customer_on_demand_resources()
        .body_map(|b| b.customer_id(id.as_str()).resource_ids(two.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.total_count, Some(2));
    let recent = client
        .resources()
        .list_customer_on_demand_resources()
        .body_map(|b| {
            b.customer_id(id.as_str())
                .effective_time_begin(Some("2024-01-01T00:00:00Z".parse().unwrap()))
                .limit(limit(100))
        })
        .send()
        .await
        .unwrap();
    let expected = all
        .iter()
        .filter(|r| r.effective_time.as_deref().unwrap() >= "2024-01-01T00:00:00Z")
        .count();
    assert_eq!(recent.total_count, Some(expected as i32));

    // A referral customer (customer_0000) is not a reseller-model customer; unknown customers
    // and resellers are refused; a malformed time is a parameter error.
    let referral = customer(&client, "customer_0000").await;
    for who in [referral.as_str(), "0123456789abcdef0123456789abcdef"] {
        let err = failure(
            client
                .resources()
                .list_customer_on_demand_resources()
                .body_map(|b| b.customer_id(who))
                .send()
                .await,
        );
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.code(), Some("CBC.99000035"));
    }
    let err = failure(
        client
            .resources()
            .list_customer_on_demand_resources()
            .body_map(|b| {
                b.customer_id(id.as_str())
                    .indirect_partner_id(Some("no-such-reseller".to_string()))
            })
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99000037"));
    let err = failure(
        client
            .resources()
            .list_customer_on_demand_resources()
            .body_map(|b| {
                b.customer_id(id.as_str())
                    .effective_time_begin(Some("2024-13-01T00:00:00Z".parse().unwrap()))
            })
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn yearly_resources_filter_by_main_status_order_expiry_and_service() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0001").await;
    let all = yearly(&client, query(&id)).await;
    let total = all.total_count.unwrap();
    assert!(total >= 10, "{total}");
    assert_eq!(all.data.len(), total as usize);
    let page = yearly(
        &client,
        resources::QueryResourcesReq {
            offset: Some(3),
            limit: limit(4),
            ..query(&id)
        },
    )
    .await;
    assert_eq!(page.total_count, Some(total));
    assert_eq!(page.data, all.data[3..7].to_vec());

    let main = yearly(
        &client,
        resources::QueryResourcesReq {
            only_main_resource: Some(1),
            ..query(&id)
        },
    )
    .await;
    let mains = all
        .data
        .iter()
        .filter(|r| r.is_main_resource == Some(1))
        .count();
    assert_eq!(main.total_count, Some(mains as i32));
    assert!(mains < all.data.len(), "some resources are attached");
    let attached = all
        .data
        .iter()
        .find(|r| r.is_main_resource == Some(0))
        .unwrap();
    assert!(
        all.data
            .iter()
            .any(|r| r.resource_id == attached.parent_resource_id && r.is_main_resource == Some(1))
    );

    let in_use = yearly(
        &client,
        resources::QueryResourcesReq {
            status_list: vec![2],
            ..query(&id)
        },
    )
    .await;
    assert!(in_use.total_count.unwrap() > 0);
    assert!(
        in_use
            .data
            .iter()
            .all(|r| r.status == Some(2) && r.expire_time.as_deref().unwrap() > NOW)
    );

    let expiring = yearly(
        &client,
        resources::QueryResourcesReq {
            expire_time_begin: Some(NOW.parse().unwrap()),
            expire_time_end: Some("2024-12-31T23:59:59Z".parse().unwrap()),
            ..query(&id)
        },
    )
    .await;
    let expected = all
        .data
        .iter()
        .filter(|r| {
            let e = r.expire_time.as_deref().unwrap();
            (NOW..="2024-12-31T23:59:59Z").contains(&e)
        })
        .count();
    assert_eq!(expiring.total_count, Some(expected as i32));

    let service = all.data[0].service_type_code.clone().unwrap();
    let of_service = yearly(
        &client,
        resources::QueryResourcesReq {
            service_type_code: Some(service.parse().unwrap()),
            ..query(&id)
        },
    )
    .await;
    let expected = all
        .data
        .iter()
        .filter(|r| r.service_type_code.as_deref() == Some(service.as_str()))
        .count();
    assert_eq!(of_service.total_count, Some(expected as i32));

    // The resources a purchase order bought: a main resource and its attached ones.
    let purchases = client
        .orders()
        .list_customer_orders()
        .customer_id(id.as_str())
        .order_type("1")
        .status(5)
        .limit(100u32)
        .send()
        .await
        .unwrap();
    let purchase = purchases
        .order_infos
        .last()
        .unwrap()
        .order_id
        .clone()
        .unwrap();
    let bought = yearly(
        &client,
        resources::QueryResourcesReq {
            order_id: Some(purchase.parse().unwrap()),
            ..query(&id)
        },
    )
    .await;
    assert!(bought.total_count.unwrap() >= 1);
    let main_id = bought.data[0].resource_id.clone();
    assert_eq!(bought.data[0].is_main_resource, Some(1));
    assert!(bought.data.iter().all(|r| r.parent_resource_id == main_id));
    let details = client
        .orders()
        .show_customer_order_details()
        .order_id(purchase.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(details.total_count, bought.total_count);

    let err = failure(
        client
            .resources()
            .list_pay_per_use_customer_resources()
            .body(resources::QueryResourcesReq::default())
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    let err = failure(
        client
            .resources()
            .list_pay_per_use_customer_resources()
            .body(query("0123456789abcdef0123456789abcdef"))
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99000035"));
}

#[tokio::test]
async fn a_renewal_waits_for_payment_and_paying_it_with_a_discount_and_coupon_renews() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0001").await;
    let candidates = in_use(&client, &id).await;
    let (resource, order_id) = renew_one(&client, &candidates, 2, 3, 0).await;
    let rid = resource.resource_id.clone().unwrap();
    let old_expire = resource.expire_time.clone().unwrap();

    // Pending: the resource is not renewed yet.
    let pending = order(&client, &order_id).await;
    assert_eq!(pending.status, Some(6));
    assert_eq!(pending.order_type, Some(2));
    assert_eq!(pending.customer_id.as_deref(), Some(id.as_str()));
    assert_eq!(pending.create_time.as_deref(), Some(NOW));
    assert_eq!(pending.official_amount, pending.amount_after_discount);
    let before = group(&client, &id, &rid).await;
    assert!(
        before
            .iter()
            .all(|r| r.expire_time.as_deref() == Some(old_expire.as_str()))
    );
    let details = client
        .orders()
        .show_customer_order_details()
        .order_id(order_id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(details.total_count, Some(before.len() as i32));
    assert_eq!(details.order_info.as_ref().unwrap().status, Some(6));
    for line in &details.order_line_items {
        assert_eq!((line.period_type, line.period_num), (Some(2), Some(3)));
        assert_eq!(line.effective_time.as_deref(), Some(old_expire.as_str()));
        assert_eq!(
            line.expire_time.as_deref(),
            Some(add_months(&old_expire, 3).as_str())
        );
    }
    let lines: Decimal = details
        .order_line_items
        .iter()
        .map(|l| amount(l.official_amount))
        .sum();
    assert_eq!(lines, amount(pending.official_amount));
    // A second renewal waits for this one.
    let again = client
        .resources()
        .renewal_resources()
        .body_map(|b| {
            b.resource_ids(vec![rid.clone()])
                .period_type(2)
                .period_num(1u32)
        })
        .send()
        .await
        .unwrap();
    assert!(again.order_ids.is_empty());
    assert_eq!(
        again.fail_resource_infos[0].error_code.as_deref(),
        Some("CBC.99005010")
    );

    // What it may be paid with.
    let discounts = client
        .orders()
        .list_order_discounts()
        .order_id(order_id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(discounts.discounts.len(), 1);
    let discount = &discounts.discounts[0];
    assert_eq!(discount.discount_value.as_deref(), Some("0.9"));
    assert_eq!(discount.discount_type, Some(3));
    let off: Decimal = discount.orders[0]
        .order_line_items
        .iter()
        .map(|l| amount(l.discount_amount))
        .sum();
    assert_eq!(discount.orders[0].order_line_items.len(), before.len());
    let coupons = client
        .orders()
        .list_order_coupons_by_order_id()
        .order_id(order_id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(coupons.count, Some(coupons.user_coupons.len() as i32));
    let cash = coupons
        .user_coupons
        .iter()
        .find(|c| c.coupon_type == Some(1))
        .unwrap();
    let coupon_balance = amount(cash.balance);

    // Asking for a coupon without naming one is a parameter error.
    let err = failure(
        client
            .orders()
            .pay_orders()
            .body_map(|b| {
                b.order_id(order_id.as_str())
                    .use_coupon(orders::PayCustomerOrderV3ReqUseCoupon::Yes)
                    .use_discount(orders::PayCustomerOrderV3ReqUseDiscount::No)
            })
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    let pay = || {
        client
            .orders()
            .pay_orders()
            .body(orders::PayCustomerOrderV3Req {
                order_id: order_id.clone(),
                use_coupon: orders::PayCustomerOrderV3ReqUseCoupon::Yes,
                use_discount: orders::PayCustomerOrderV3ReqUseDiscount::Yes,
                coupon_infos: vec![orders::CouponSimpleInfoOrderPayV3 {
                    id: cash.coupon_id.clone().unwrap(),
                    type_: 301,
                }],
                discount_infos: vec![orders::DiscountSimpleInfoV3 {
                    id: discount.discount_id.clone().unwrap(),
                    type_: 3,
                }],
            })
            .send()
    };
    // An empty account cannot pay, and nothing changes.
    fund(&client, &id, 0).await;
    let err = failure(pay().await);
    assert_eq!(err.code(), Some("CBC.99005003"));
    assert_eq!(order(&client, &order_id).await.status, Some(6));
    fund(&client, &id, 200_000).await;
    pay().await.unwrap();
    // Paid: the amounts, the coupon, and the resource renewed by three months.
    let paid = order(&client, &order_id).await;
    assert_eq!(paid.status, Some(5));
    assert_eq!(paid.payment_time.as_deref(), Some(NOW));
    let official = amount(paid.official_amount);
    let after = amount(paid.amount_after_discount);
    assert_eq!(official, amount(pending.official_amount));
    assert_eq!(after, official - off);
    let info = paid.amount_info.unwrap();
    assert_eq!(amount(info.coupon_amount), coupon_balance.min(after));
    assert_eq!(amount(info.discounts[0].discount_amount), off);
    assert_eq!(
        balance(&client, &id).await,
        Decimal::from(200_000) - (after - amount(info.coupon_amount))
    );
    let after_pay = group(&client, &id, &rid).await;
    let renewed = add_months(&old_expire, 3);
    assert_eq!(after_pay.len(), before.len());
    assert!(
        after_pay
            .iter()
            .all(|r| r.expire_time.as_deref() == Some(renewed.as_str()))
    );
    assert!(
        after_pay
            .iter()
            .all(|r| r.update_time.as_deref() == Some(NOW))
    );
    let of_order = yearly(
        &client,
        resources::QueryResourcesReq {
            order_id: Some(order_id.parse().unwrap()),
            ..query(&id)
        },
    )
    .await;
    assert_eq!(of_order.total_count, Some(before.len() as i32));

    // A paid order can be neither paid again nor offered discounts.
    let err = failure(
        client
            .orders()
            .pay_orders()
            .body_map(|b| {
                b.order_id(order_id.as_str())
                    .use_coupon(orders::PayCustomerOrderV3ReqUseCoupon::No)
                    .use_discount(orders::PayCustomerOrderV3ReqUseDiscount::No)
            })
            .send()
            .await,
    );
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.99005010"));
    let err = failure(
        client
            .orders()
            .list_order_discounts()
            .order_id(order_id.as_str())
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99005010"));

    // The coupon's balance went down for the customer's other pending orders.
    let others = client
        .orders()
        .list_customer_orders()
        .customer_id(id.as_str())
        .status(6)
        .send()
        .await
        .unwrap();
    let other = others.order_infos[0].order_id.clone().unwrap();
    let left = client
        .orders()
        .list_order_coupons_by_order_id()
        .order_id(other.as_str())
        .send()
        .await
        .unwrap();
    let remaining = coupon_balance - coupon_balance.min(after);
    match left
        .user_coupons
        .iter()
        .find(|c| c.coupon_id == cash.coupon_id)
    {
        Some(c) => {
            assert_eq!(amount(c.balance), remaining);
            assert_eq!(c.last_used_time.as_deref(), Some(NOW));
        }
        None => assert_eq!(remaining, Decimal::ZERO),
    }
}

#[tokio::test]
async fn auto_pay_renews_at_once_on_the_common_expiry_day() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0002").await;
    let set = client
        .resources()
        .set_resources_renew_config()
        .body_map(|b| {
            b.config_name(resources::RenewResourceConfigReqConfigName::ExpireDate)
                .config_value("15")
        })
        .send()
        .await
        .unwrap();
    assert_eq!(set.error_code.as_deref(), Some("CBC.0000"));
    for (name, value) in [
        (
            resources::RenewResourceConfigReqConfigName::ExpireDate,
            "31",
        ),
        (
            resources::RenewResourceConfigReqConfigName::DeductionDate,
            "9",
        ),
    ] {
        let err = failure(
            client
                .resources()
                .set_resources_renew_config()
                .body_map(|b| b.config_name(name).config_value(value))
                .send()
                .await,
        );
        assert_eq!(err.code(), Some("CBC.0100"), "{value}");
    }

    // With an empty account the renewal order is created but stays pending.
    fund(&client, &id, 0).await;
    let candidates = in_use(&client, &id).await;
    let (waiting, unpaid) = renew_one(&client, &candidates, 3, 1, 1).await;
    assert_eq!(order(&client, &unpaid).await.status, Some(6));
    let same = group(&client, &id, waiting.resource_id.as_deref().unwrap()).await;
    assert_eq!(same[0].expire_time, waiting.expire_time);
    client
        .orders()
        .cancel_customer_order()
        .body_map(|b| b.order_id(unpaid.as_str()))
        .send()
        .await
        .unwrap();

    fund(&client, &id, 200_000).await;
    let (resource, order_id) = renew_one(&client, &candidates, 3, 1, 1).await;
    let old = resource.expire_time.unwrap();
    let year_later = add_months(&old, 12);
    let expected = format!("{}15{}", &year_later[..8], &year_later[10..]);
    let now = group(&client, &id, resource.resource_id.as_deref().unwrap()).await;
    assert!(
        now.iter()
            .all(|r| r.expire_time.as_deref() == Some(expected.as_str()))
    );
    let paid = order(&client, &order_id).await;
    assert_eq!((paid.status, paid.order_type), (Some(5), Some(2)));
    assert_eq!(paid.payment_time.as_deref(), Some(NOW));
    assert_eq!(
        balance(&client, &id).await,
        Decimal::from(200_000) - amount(paid.amount_after_discount)
    );

    // Periods out of range, and unknown resources reported with HTTP 200.
    let err = failure(
        client
            .resources()
            .renewal_resources()
            .body_map(|b| {
                b.resource_ids(vec![resource.resource_id.clone().unwrap()])
                    .period_type(3)
                    .period_num(5u32)
            })
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    let unknown = client
        .resources()
        .renewal_resources()
        .body_map(|b| {
            b.resource_ids(vec!["no-such-resource".to_string()])
                .period_type(2)
                .period_num(1u32)
        })
        .send()
        .await
        .unwrap();
    assert!(unknown.order_ids.is_empty());
    assert_eq!(unknown.fail_resource_infos.len(), 1);
    assert_eq!(
        unknown.fail_resource_infos[0].error_code.as_deref(),
        Some("CBC.99003012")
    );
    assert_eq!(
        unknown.fail_resource_infos[0].resource_id.as_deref(),
        Some("no-such-resource")
    );
}

#[tokio::test]
async fn auto_renewal_is_turned_on_and_off() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0001").await;
    let target = in_use(&client, &id)
        .await
        .into_iter()
        .find(|r| r.expire_policy != Some(3))
        .unwrap();
    let rid = target.resource_id.clone().unwrap();
    client
        .resources()
        .auto_renewal_resources()
        .resource_id(rid.as_str())
        .body_map(|b| {
            b.auto_renew_times(Some(5))
                .period_type(Some("MONTH".to_string()))
        })
        .send()
        .await
        .unwrap();
    let on = group(&client, &id, &rid).await;
    assert!(!on.is_empty());
    assert!(on.iter().all(|r| r.expire_policy == Some(3)));
    client
        .resources()
        .cancel_auto_renewal_resources()
        .resource_id(rid.as_str())
        .send()
        .await
        .unwrap();
    let off = group(&client, &id, &rid).await;
    assert!(off.iter().all(|r| r.expire_policy == Some(0)));
    let err = failure(
        client
            .resources()
            .cancel_auto_renewal_resources()
            .resource_id(rid.as_str())
            .send()
            .await,
    );
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.99003605"));
    let err = failure(
        client
            .resources()
            .auto_renewal_resources()
            .resource_id("no-such-resource")
            .body_map(|b| b)
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99003012"));

    // An expired resource cannot be set to renew automatically.
    let customers = client
        .customers()
        .list_sub_customers()
        .body_map(|b| b.limit(limit(60)))
        .send()
        .await
        .unwrap();
    let mut expired = None;
    for c in &customers.customer_infos {
        let found = yearly(
            &client,
            resources::QueryResourcesReq {
                status_list: vec![5],
                only_main_resource: Some(1),
                ..query(c.customer_id.as_deref().unwrap())
            },
        )
        .await;
        if let Some(r) = found.data.first() {
            assert!(r.expire_time.as_deref().unwrap() < NOW);
            expired = r.resource_id.clone();
            break;
        }
    }
    let err = failure(
        client
            .resources()
            .auto_renewal_resources()
            .resource_id(expired.unwrap().as_str())
            .body_map(|b| b)
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99003602"));
}

#[tokio::test]
async fn unsubscribing_closes_the_resource_and_records_the_refund() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0001").await;
    fund(&client, &id, 200_000).await;
    let mut closed = None;
    for r in in_use(&client, &id).await {
        let rid = r.resource_id.clone().unwrap();
        let done = client
            .resources()
            .cancel_resources_subscription()
            .body_map(|b| {
                b.resource_ids(vec![rid.clone(), "no-such-resource".to_string()])
                    .unsubscribe_type(1u32)
                    .unsubscribe_reason(Some("业务迁移".to_string()))
            })
            .send()
            .await
            .unwrap();
        let failed: Vec<_> = done
            .fail_resource_infos
            .iter()
            .map(|f| {
                (
                    f.resource_id.clone().unwrap(),
                    f.error_code.clone().unwrap(),
                )
            })
            .collect();
        if done.order_ids.len() == 1 {
            assert_eq!(
                failed,
                vec![("no-such-resource".to_string(), "CBC.99003012".to_string())]
            );
            closed = Some((r, done.order_ids[0].clone()));
            break;
        }
        assert!(failed.contains(&(rid, "CBC.99005010".to_string())));
    }
    let (resource, order_id) = closed.unwrap();
    let rid = resource.resource_id.clone().unwrap();
    let now = group(&client, &id, &rid).await;
    assert!(!now.is_empty());
    assert!(
        now.iter()
            .all(|r| r.status == Some(3) && r.expire_time.as_deref() == Some(NOW))
    );
    let closed_list = yearly(
        &client,
        resources::QueryResourcesReq {
            status_list: vec![3],
            resource_ids: vec![rid.clone()],
            ..query(&id)
        },
    )
    .await;
    assert_eq!(closed_list.total_count, Some(now.len() as i32));

    let unsubscription = order(&client, &order_id).await;
    assert_eq!(
        (unsubscription.order_type, unsubscription.status),
        (Some(4), Some(5))
    );
    let refund = client
        .orders()
        .show_refund_order_details()
        .order_id(order_id.as_str())
        .customer_id(id.as_str())
        .send()
        .await
        .unwrap();
    assert!(refund.total_count.unwrap() >= now.len() as i32);
    let mut record_ids: Vec<_> = refund.refund_infos.iter().map(|r| r.id.clone()).collect();
    record_ids.sort();
    record_ids.dedup();
    assert_eq!(record_ids.len(), refund.refund_infos.len());
    let net: Decimal = refund.refund_infos.iter().map(|r| amount(r.amount)).sum();
    assert_eq!(net, -amount(unsubscription.amount_after_discount));
    // The refund went back to the account.
    let refunded = amount(unsubscription.amount_after_discount);
    assert!(refunded > Decimal::ZERO);
    assert_eq!(
        balance(&client, &id).await,
        Decimal::from(200_000) + refunded
    );
    assert!(
        refund
            .refund_infos
            .iter()
            .any(|r| amount(r.amount) < Decimal::ZERO)
    );
    assert!(
        refund
            .refund_infos
            .iter()
            .all(|r| r.customer_id.as_deref() == Some(id.as_str()))
    );
    let base = refund.refund_infos[0].base_order_id.clone().unwrap();
    let err = failure(
        client
            .orders()
            .show_refund_order_details()
            .order_id(base.as_str())
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99005026"));

    // A closed resource can be neither renewed nor unsubscribed again.
    let again = client
        .resources()
        .renewal_resources()
        .body_map(|b| {
            b.resource_ids(vec![rid.clone()])
                .period_type(2)
                .period_num(1u32)
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.fail_resource_infos[0].error_code.as_deref(),
        Some("CBC.99003012")
    );

    // Unsubscribing only the renewed period gives the renewal back.
    let candidates = in_use(&client, &id).await;
    let (other, renewal) = renew_one(&client, &candidates, 2, 2, 1).await;
    let oid = other.resource_id.clone().unwrap();
    let old_expire = other.expire_time.clone().unwrap();
    let paid = amount(order(&client, &renewal).await.amount_after_discount);
    let back = client
        .resources()
        .cancel_resources_subscription()
        .body_map(|b| b.resource_ids(vec![oid.clone()]).unsubscribe_type(2u32))
        .send()
        .await
        .unwrap();
    assert!(back.fail_resource_infos.is_empty());
    let rolled = group(&client, &id, &oid).await;
    assert!(
        rolled
            .iter()
            .all(|r| r.status == Some(2) && r.expire_time.as_deref() == Some(old_expire.as_str()))
    );
    let returned = order(&client, &back.order_ids[0]).await;
    assert_eq!(amount(returned.amount_after_discount), paid);
    assert_eq!(
        balance(&client, &id).await,
        Decimal::from(200_000) + refunded
    );
    let nothing_left = client
        .resources()
        .cancel_resources_subscription()
        .body_map(|b| b.resource_ids(vec![oid.clone()]).unsubscribe_type(2u32))
        .send()
        .await
        .unwrap();
    assert!(nothing_left.order_ids.is_empty());
    assert_eq!(
        nothing_left.fail_resource_infos[0].error_code.as_deref(),
        Some("CBC.0100")
    );
}

#[tokio::test]
async fn conversion_to_pay_per_use_at_expiry_and_at_once() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0001").await;
    fund(&client, &id, 1_000).await;
    let candidates = in_use(&client, &id).await;
    let rid = candidates[0].resource_id.clone().unwrap();
    let set = client
        .resources()
        .update_period_to_on_demand()
        .body_map(|b| {
            b.operation(resources::PeriodToOnDemandReqOperation::SetUp)
                .resource_ids(vec![rid.clone(), "no-such-resource".to_string()])
        })
        .send()
        .await
        .unwrap();
    assert_eq!(set.error_details.len(), 1);
    assert_eq!(set.error_details[0].id.as_deref(), Some("no-such-resource"));
    assert_eq!(
        set.error_details[0].error_code.as_deref(),
        Some("CBC.99003012")
    );
    assert!(
        group(&client, &id, &rid)
            .await
            .iter()
            .all(|r| r.expire_policy == Some(1))
    );
    let cancel = client
        .resources()
        .update_period_to_on_demand()
        .body_map(|b| {
            b.operation(resources::PeriodToOnDemandReqOperation::Cancel)
                .resource_ids(vec![rid.clone()])
        })
        .send()
        .await
        .unwrap();
    assert!(cancel.error_details.is_empty());
    assert!(
        group(&client, &id, &rid)
            .await
            .iter()
            .all(|r| r.expire_policy == Some(0))
    );

    // At once: the resource leaves the yearly/monthly list and is billed on demand.
    let mut converted = None;
    for r in &candidates {
        let cid = r.resource_id.clone().unwrap();
        let result = client
            .resources()
            .update_period_to_on_demand_instantly()
            .body_map(|b| {
                b.resource_ids(vec![
                    cid.parse().unwrap(),
                    "no-such-resource".parse().unwrap(),
                ])
            })
            .send()
            .await
            .unwrap();
        let results = &result.to_ondemand_service_results;
        assert_eq!(results.len(), 2);
        assert_eq!(results[1].result.as_deref(), Some("FAIL"));
        assert_eq!(results[1].error_code.as_deref(), Some("CBC.99003012"));
        if results[0].result.as_deref() == Some("SUCCESS") {
            converted = Some((cid, results[0].order_id.clone().unwrap()));
            break;
        }
    }
    let (cid, order_id) = converted.unwrap();
    assert!(group(&client, &id, &cid).await.is_empty());
    let on_demand = client
        .resources()
        .list_customer_on_demand_resources()
        .body_map(|b| b.customer_id(id.as_str()).resource_ids(vec![cid.clone()]))
        .send()
        .await
        .unwrap();
    assert_eq!(on_demand.total_count, Some(1));
    assert_eq!(on_demand.resources[0].status, Some(1));
    assert_eq!(on_demand.resources[0].effective_time.as_deref(), Some(NOW));
    let conversion = order(&client, &order_id).await;
    assert_eq!(
        (conversion.order_type, conversion.status),
        (Some(10), Some(5))
    );
    assert_eq!(
        balance(&client, &id).await,
        Decimal::from(1_000) + amount(conversion.amount_after_discount)
    );
}

#[tokio::test]
async fn orders_filter_sort_and_page_for_real() {
    let (_sandbox, client) = start().await;
    let list = || client.orders().list_customer_orders();
    let total = list()
        .limit(1u32)
        .send()
        .await
        .unwrap()
        .total_count
        .unwrap();
    assert!(total >= 500, "{total}");
    let all: Vec<_> = list()
        .items(PageOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), total as usize);
    // Newest first by default.
    assert!(all.windows(2).all(|w| w[0].create_time >= w[1].create_time));
    let page = list().offset(10).limit(10u32).send().await.unwrap();
    assert_eq!(page.order_infos, all[10..20].to_vec());
    let oldest = list()
        .order_by("createTime")
        .limit(1u32)
        .send()
        .await
        .unwrap();
    assert_eq!(oldest.order_infos[0], all[all.len() - 1]);

    for (status, kind) in [(6, None), (4, None), (5, Some("4")), (5, Some("2"))] {
        let mut request = list().status(status).limit(100u32);
        if let Some(kind) = kind {
            request = request.order_type(kind);
        }
        let found = request.send().await.unwrap();
        let expected = all
            .iter()
            .filter(|o| o.status == Some(status))
            .filter(|o| kind.is_none_or(|k| o.order_type == k.parse().ok()))
            .count();
        assert!(expected > 0);
        assert_eq!(
            found.total_count,
            Some(expected as i32),
            "{status} {kind:?}"
        );
    }
    let window = list()
        .create_time_begin("2024-01-01T00:00:00Z")
        .create_time_end("2024-03-31T23:59:59Z")
        .send()
        .await
        .unwrap();
    let expected = all
        .iter()
        .filter(|o| {
            let t = o.create_time.as_deref().unwrap();
            ("2024-01-01T00:00:00Z"..="2024-03-31T23:59:59Z").contains(&t)
        })
        .count();
    assert_eq!(window.total_count, Some(expected as i32));
    let paid = list()
        .payment_time_begin("2024-05-01T00:00:00Z")
        .payment_time_end(NOW)
        .limit(100u32)
        .send()
        .await
        .unwrap();
    assert!(paid.total_count.unwrap() > 0);
    assert!(paid.order_infos.iter().all(
        |o| o.status != Some(6) && o.payment_time.as_deref().unwrap() >= "2024-05-01T00:00:00Z"
    ));

    let id = customer(&client, "customer_0001").await;
    let mine = list()
        .customer_id(id.as_str())
        .limit(100u32)
        .send()
        .await
        .unwrap();
    let expected = all
        .iter()
        .filter(|o| o.customer_id.as_deref() == Some(id.as_str()))
        .count();
    assert_eq!(mine.total_count, Some(expected as i32));
    let lower = all[0].order_id.clone().unwrap().to_lowercase();
    assert_eq!(order(&client, &lower).await, all[0]);

    // A reseller's customers' orders.
    let resellers = client
        .customers()
        .list_indirect_partners()
        .send()
        .await
        .unwrap();
    let reseller = resellers.indirect_partners[0]
        .indirect_partner_id
        .clone()
        .unwrap();
    let theirs = client
        .customers()
        .list_sub_customers()
        .body_map(|b| {
            b.indirect_partner_id(Some(reseller.parse().unwrap()))
                .limit(limit(100))
        })
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = theirs
        .customer_infos
        .iter()
        .map(|c| c.customer_id.clone().unwrap())
        .collect();
    let of_reseller = list()
        .indirect_partner_id(reseller.as_str())
        .limit(100u32)
        .send()
        .await
        .unwrap();
    let expected = all
        .iter()
        .filter(|o| ids.contains(o.customer_id.as_ref().unwrap()))
        .count();
    assert_eq!(of_reseller.total_count, Some(expected as i32));

    // Business errors and invalid input.
    let err = failure(
        list()
            .customer_id("0123456789abcdef0123456789abcdef")
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99000035"));
    let err = failure(list().indirect_partner_id("no-such-reseller").send().await);
    assert_eq!(err.code(), Some("CBC.99000037"));
    let err = failure(
        list()
            .create_time_begin("2023-01-01T00:00:00Z")
            .create_time_end("2024-03-01T00:00:00Z")
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    let err = failure(list().order_type("renewal").send().await);
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn order_details_page_their_line_items() {
    let (_sandbox, client) = start().await;
    let pending = client
        .orders()
        .list_customer_orders()
        .status(6)
        .limit(100u32)
        .send()
        .await
        .unwrap();
    let mut big = None;
    for o in &pending.order_infos {
        let id = o.order_id.clone().unwrap();
        let shown = client
            .orders()
            .show_customer_order_details()
            .order_id(id.as_str())
            .limit(1u32)
            .send()
            .await
            .unwrap();
        if shown.total_count.unwrap() > 10 {
            big = Some((o.clone(), shown.total_count.unwrap()));
            break;
        }
    }
    let (summary, total) = big.unwrap();
    let id = summary.order_id.clone().unwrap();
    let lines: Vec<_> = client
        .orders()
        .show_customer_order_details()
        .order_id(id.as_str())
        .items(PageOptions {
            page_size: Some(3),
            ..PageOptions::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(lines.len(), total as usize);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(
            line.order_line_item_id.as_deref(),
            Some(format!("{id}-{:06}", i + 1).as_str())
        );
        assert_eq!(line.order_id.as_deref(), Some(id.as_str()));
    }
    let sum: Decimal = lines.iter().map(|l| amount(l.official_amount)).sum();
    assert_eq!(sum, amount(summary.official_amount));
    let second = client
        .orders()
        .show_customer_order_details()
        .order_id(id.as_str())
        .offset(10)
        .limit(2u32)
        .send()
        .await
        .unwrap();
    assert_eq!(second.order_line_items, lines[10..12].to_vec());
    let info = second.order_info.clone().unwrap();
    assert_eq!(info.status, Some(6));
    assert!(info.pending_payment_end_time.as_deref().unwrap() > NOW);
    assert!(info.user_name.is_some());

    let err = failure(
        client
            .orders()
            .show_customer_order_details()
            .order_id("CS0000000000NONEX")
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn cancelling_pending_orders() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0001").await;
    let pending = client
        .orders()
        .list_customer_orders()
        .customer_id(id.as_str())
        .status(6)
        .order_type("1")
        .send()
        .await
        .unwrap();
    let order_id = pending.order_infos[0].order_id.clone().unwrap();
    client
        .orders()
        .cancel_customer_order()
        .body_map(|b| b.order_id(order_id.as_str()))
        .send()
        .await
        .unwrap();
    let cancelled = order(&client, &order_id).await;
    assert_eq!(cancelled.status, Some(4));
    assert_eq!(cancelled.payment_time, None);
    let err = failure(
        client
            .orders()
            .cancel_customer_order()
            .body_map(|b| b.order_id(order_id.as_str()))
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99005010"));
    let err = failure(
        client
            .orders()
            .list_order_coupons_by_order_id()
            .order_id(order_id.as_str())
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.99005010"));

    // Cancelling a renewal order frees its resource for another renewal.
    let candidates = in_use(&client, &id).await;
    let (resource, renewal) = renew_one(&client, &candidates, 2, 1, 0).await;
    client
        .orders()
        .cancel_customer_order()
        .body_map(|b| b.order_id(renewal.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(order(&client, &renewal).await.status, Some(4));
    let unchanged = group(&client, &id, resource.resource_id.as_deref().unwrap()).await;
    assert_eq!(unchanged[0].expire_time, resource.expire_time);
    let (again, _) = renew_one(&client, std::slice::from_ref(&resource), 2, 1, 0).await;
    assert_eq!(again.resource_id, resource.resource_id);
}

#[tokio::test]
async fn a_new_customer_starts_with_no_resources_and_no_orders() {
    let (_sandbox, client) = start().await;
    let id = new_customer(&client, "sandbox_fresh_user", "u-77").await;
    let on_demand = client
        .resources()
        .list_customer_on_demand_resources()
        .body_map(|b| b.customer_id(id.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(on_demand.total_count, Some(0));
    assert_eq!(yearly(&client, query(&id)).await.total_count, Some(0));
    let orders = client
        .orders()
        .list_customer_orders()
        .customer_id(id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(orders.total_count, Some(0));
}

#[tokio::test]
async fn the_seeded_resources_and_orders_are_deterministic() {
    let (_a, first) = start().await;
    let (_b, second) = start().await;
    let id = customer(&first, "customer_0002").await;
    assert_eq!(customer(&second, "customer_0002").await, id);
    assert_eq!(
        yearly(&first, query(&id)).await,
        yearly(&second, query(&id)).await
    );
    let orders = |c: Client| async move {
        c.orders()
            .list_customer_orders()
            .limit(100u32)
            .send()
            .await
            .unwrap()
            .into_inner()
    };
    let (a, b) = (orders(first).await, orders(second).await);
    assert_eq!(a.order_infos.len(), 100);
    assert_eq!(a, b);
}

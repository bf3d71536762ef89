//! The orders group in the sandbox, through the real client: orders with real totals, sorting,
//! paging and filters; renewals that wait for their order to be paid; paying and cancelling
//! pending orders.

use futures::TryStreamExt;
use huaweicloud_bss::orders::types as orders;
use huaweicloud_bss::resources::types as resources;
use huaweicloud_bss::{Decimal, PageOptions};

const NOW: &str = "2024-06-01T00:00:00Z";

mod common;

use common::{
    accounts::{balance, fund},
    add_months, amount,
    customers::{customer, list_sub_customers},
    failure, limit,
    orders::{
        cancel_customer_order, list_customer_orders, list_order_coupons_by_order_id,
        list_order_discounts, order, pay_orders, show_customer_order_details,
    },
    pages_of,
    resources::{group, in_use, query, renew_one, renewal_resources, yearly},
    start,
};
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
    let details = show_customer_order_details(&client, |r| r.order_id(order_id.as_str()))
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
    let again = renewal_resources(&client, |r| {
        r.body_map(|b| {
            b.resource_ids(vec![rid.clone()])
                .period_type(2)
                .period_num(1u32)
        })
    })
    .await
    .unwrap();
    assert!(again.order_ids.is_empty());
    assert_eq!(
        again.fail_resource_infos[0].error_code.as_deref(),
        Some("CBC.99005010")
    );

    // What it may be paid with.
    let discounts = list_order_discounts(&client, |r| r.order_id(order_id.as_str()))
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
    let coupons = list_order_coupons_by_order_id(&client, |r| r.order_id(order_id.as_str()))
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
        pay_orders(&client, |r| {
            r.body_map(|b| {
                b.order_id(order_id.as_str())
                    .use_coupon(orders::PayCustomerOrderV3ReqUseCoupon::Yes)
                    .use_discount(orders::PayCustomerOrderV3ReqUseDiscount::No)
            })
        })
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
        pay_orders(&client, |r| {
            r.body_map(|b| {
                b.order_id(order_id.as_str())
                    .use_coupon(orders::PayCustomerOrderV3ReqUseCoupon::No)
                    .use_discount(orders::PayCustomerOrderV3ReqUseDiscount::No)
            })
        })
        .await,
    );
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.99005010"));
    let err = failure(list_order_discounts(&client, |r| r.order_id(order_id.as_str())).await);
    assert_eq!(err.code(), Some("CBC.99005010"));

    // The coupon's balance went down for the customer's other pending orders.
    let others = list_customer_orders(&client, |r| r.customer_id(id.as_str()).status(6))
        .await
        .unwrap();
    let other = others.order_infos[0].order_id.clone().unwrap();
    let left = list_order_coupons_by_order_id(&client, |r| r.order_id(other.as_str()))
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
    let theirs = list_sub_customers(&client, |r| {
        r.body_map(|b| {
            b.indirect_partner_id(Some(reseller.parse().unwrap()))
                .limit(limit(100))
        })
    })
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
    let pending = list_customer_orders(&client, |r| r.status(6).limit(100u32))
        .await
        .unwrap();
    let mut big = None;
    for o in &pending.order_infos {
        let id = o.order_id.clone().unwrap();
        let shown = show_customer_order_details(&client, |r| r.order_id(id.as_str()).limit(1u32))
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
        .items(pages_of(3))
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
    let second =
        show_customer_order_details(&client, |r| r.order_id(id.as_str()).offset(10).limit(2u32))
            .await
            .unwrap();
    assert_eq!(second.order_line_items, lines[10..12].to_vec());
    let info = second.order_info.clone().unwrap();
    assert_eq!(info.status, Some(6));
    assert!(info.pending_payment_end_time.as_deref().unwrap() > NOW);
    assert!(info.user_name.is_some());

    let err =
        failure(show_customer_order_details(&client, |r| r.order_id("CS0000000000NONEX")).await);
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn cancelling_pending_orders() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0001").await;
    let pending = list_customer_orders(&client, |r| {
        r.customer_id(id.as_str()).status(6).order_type("1")
    })
    .await
    .unwrap();
    let order_id = pending.order_infos[0].order_id.clone().unwrap();
    cancel_customer_order(&client, |r| r.body_map(|b| b.order_id(order_id.as_str())))
        .await
        .unwrap();
    let cancelled = order(&client, &order_id).await;
    assert_eq!(cancelled.status, Some(4));
    assert_eq!(cancelled.payment_time, None);
    let err = failure(
        cancel_customer_order(&client, |r| r.body_map(|b| b.order_id(order_id.as_str()))).await,
    );
    assert_eq!(err.code(), Some("CBC.99005010"));
    let err =
        failure(list_order_coupons_by_order_id(&client, |r| r.order_id(order_id.as_str())).await);
    assert_eq!(err.code(), Some("CBC.99005010"));

    // Cancelling a renewal order frees its resource for another renewal.
    let candidates = in_use(&client, &id).await;
    let (resource, renewal) = renew_one(&client, &candidates, 2, 1, 0).await;
    cancel_customer_order(&client, |r| r.body_map(|b| b.order_id(renewal.as_str())))
        .await
        .unwrap();
    assert_eq!(order(&client, &renewal).await.status, Some(4));
    let unchanged = group(&client, &id, resource.resource_id.as_deref().unwrap()).await;
    assert_eq!(unchanged[0].expire_time, resource.expire_time);
    let (again, _) = renew_one(&client, std::slice::from_ref(&resource), 2, 1, 0).await;
    assert_eq!(again.resource_id, resource.resource_id);
}

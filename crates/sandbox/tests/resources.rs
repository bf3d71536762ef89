//! The resources group in the sandbox, through the real client: seeded on-demand and
//! yearly/monthly resources with real totals, paging and filters; auto-renewal, unsubscription
//! and conversion to pay-per-use that change later reads; the documented business errors.

use futures::TryStreamExt;
use huaweicloud_bss::resources::types as resources;
use huaweicloud_bss::{Client, Decimal};

const NOW: &str = "2024-06-01T00:00:00Z";

mod common;

use common::{
    accounts::{balance, fund},
    add_months, amount,
    customers::{customer, list_sub_customers},
    failure, limit, new_customer,
    orders::{
        cancel_customer_order, list_customer_orders, order, show_customer_order_details,
        show_refund_order_details,
    },
    pages_of,
    resources::{
        auto_renewal_resources, cancel_auto_renewal_resources, cancel_resources_subscription,
        group, in_use, list_customer_on_demand_resources, list_pay_per_use_customer_resources,
        query, renew_one, renewal_resources, set_resources_renew_config,
        update_period_to_on_demand, update_period_to_on_demand_instantly, yearly,
    },
    start,
};
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
    let all: Vec<_> = list().items(pages_of(4)).try_collect().await.unwrap();
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
    let in_region = list_customer_on_demand_resources(&client, |r| {
        r.body_map(|b| {
            b.customer_id(id.as_str())
                .region_code(Some(region.parse().unwrap()))
                .limit(limit(100))
        })
    })
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
    let with_status = list_customer_on_demand_resources(&client, |r| {
        r.body_map(|b| b.customer_id(id.as_str()).status(Some(status)))
    })
    .await
    .unwrap();
    let expected = all.iter().filter(|r| r.status == Some(status)).count();
    assert_eq!(with_status.total_count, Some(expected as i32));
    let two = vec![ids[0].clone(), ids[1].clone()];
    let by_id = list_customer_on_demand_resources(&client, |r| {
        r.body_map(|b| b.customer_id(id.as_str()).resource_ids(two.clone()))
    })
    .await
    .unwrap();
    assert_eq!(by_id.total_count, Some(2));
    let recent = list_customer_on_demand_resources(&client, |r| {
        r.body_map(|b| {
            b.customer_id(id.as_str())
                .effective_time_begin(Some("2024-01-01T00:00:00Z".parse().unwrap()))
                .limit(limit(100))
        })
    })
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
            list_customer_on_demand_resources(&client, |r| r.body_map(|b| b.customer_id(who)))
                .await,
        );
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.code(), Some("CBC.99000035"));
    }
    let err = failure(
        list_customer_on_demand_resources(&client, |r| {
            r.body_map(|b| {
                b.customer_id(id.as_str())
                    .indirect_partner_id(Some("no-such-reseller".to_string()))
            })
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99000037"));
    let err = failure(
        list_customer_on_demand_resources(&client, |r| {
            r.body_map(|b| {
                b.customer_id(id.as_str())
                    .effective_time_begin(Some("2024-13-01T00:00:00Z".parse().unwrap()))
            })
        })
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
    let purchases = list_customer_orders(&client, |r| {
        r.customer_id(id.as_str())
            .order_type("1")
            .status(5)
            .limit(100u32)
    })
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
    let details = show_customer_order_details(&client, |r| r.order_id(purchase.as_str()))
        .await
        .unwrap();
    assert_eq!(details.total_count, bought.total_count);

    let err = failure(
        list_pay_per_use_customer_resources(&client, |r| {
            r.body(resources::QueryResourcesReq::default())
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    let err = failure(
        list_pay_per_use_customer_resources(&client, |r| {
            r.body(query("0123456789abcdef0123456789abcdef"))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99000035"));
}

#[tokio::test]
async fn auto_pay_renews_at_once_on_the_common_expiry_day() {
    let (_sandbox, client) = start().await;
    let id = customer(&client, "customer_0002").await;
    let set = set_resources_renew_config(&client, |r| {
        r.body_map(|b| {
            b.config_name(resources::RenewResourceConfigReqConfigName::ExpireDate)
                .config_value("15")
        })
    })
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
            set_resources_renew_config(&client, |r| {
                r.body_map(|b| b.config_name(name).config_value(value))
            })
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
    cancel_customer_order(&client, |r| r.body_map(|b| b.order_id(unpaid.as_str())))
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
        renewal_resources(&client, |r| {
            r.body_map(|b| {
                b.resource_ids(vec![resource.resource_id.clone().unwrap()])
                    .period_type(3)
                    .period_num(5u32)
            })
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    let unknown = renewal_resources(&client, |r| {
        r.body_map(|b| {
            b.resource_ids(vec!["no-such-resource".to_string()])
                .period_type(2)
                .period_num(1u32)
        })
    })
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
    auto_renewal_resources(&client, |r| {
        r.resource_id(rid.as_str()).body_map(|b| {
            b.auto_renew_times(Some(5))
                .period_type(Some("MONTH".to_string()))
        })
    })
    .await
    .unwrap();
    let on = group(&client, &id, &rid).await;
    assert!(!on.is_empty());
    assert!(on.iter().all(|r| r.expire_policy == Some(3)));
    cancel_auto_renewal_resources(&client, |r| r.resource_id(rid.as_str()))
        .await
        .unwrap();
    let off = group(&client, &id, &rid).await;
    assert!(off.iter().all(|r| r.expire_policy == Some(0)));
    let err =
        failure(cancel_auto_renewal_resources(&client, |r| r.resource_id(rid.as_str())).await);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.99003605"));
    let err = failure(
        auto_renewal_resources(&client, |r| {
            r.resource_id("no-such-resource").body_map(|b| b)
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99003012"));

    // An expired resource cannot be set to renew automatically.
    let customers = list_sub_customers(&client, |r| r.body_map(|b| b.limit(limit(60))))
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
        auto_renewal_resources(&client, |r| {
            r.resource_id(expired.unwrap().as_str()).body_map(|b| b)
        })
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
        let done = cancel_resources_subscription(&client, |r| {
            r.body_map(|b| {
                b.resource_ids(vec![rid.clone(), "no-such-resource".to_string()])
                    .unsubscribe_type(1u32)
                    .unsubscribe_reason(Some("业务迁移".to_string()))
            })
        })
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
    let refund = show_refund_order_details(&client, |r| {
        r.order_id(order_id.as_str()).customer_id(id.as_str())
    })
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
    let err = failure(show_refund_order_details(&client, |r| r.order_id(base.as_str())).await);
    assert_eq!(err.code(), Some("CBC.99005026"));

    // A closed resource can be neither renewed nor unsubscribed again.
    let again = renewal_resources(&client, |r| {
        r.body_map(|b| {
            b.resource_ids(vec![rid.clone()])
                .period_type(2)
                .period_num(1u32)
        })
    })
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
    let back = cancel_resources_subscription(&client, |r| {
        r.body_map(|b| b.resource_ids(vec![oid.clone()]).unsubscribe_type(2u32))
    })
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
    let nothing_left = cancel_resources_subscription(&client, |r| {
        r.body_map(|b| b.resource_ids(vec![oid.clone()]).unsubscribe_type(2u32))
    })
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
    let set = update_period_to_on_demand(&client, |r| {
        r.body_map(|b| {
            b.operation(resources::PeriodToOnDemandReqOperation::SetUp)
                .resource_ids(vec![rid.clone(), "no-such-resource".to_string()])
        })
    })
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
    let cancel = update_period_to_on_demand(&client, |r| {
        r.body_map(|b| {
            b.operation(resources::PeriodToOnDemandReqOperation::Cancel)
                .resource_ids(vec![rid.clone()])
        })
    })
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
        let result = update_period_to_on_demand_instantly(&client, |r| {
            r.body_map(|b| {
                b.resource_ids(vec![
                    cid.parse().unwrap(),
                    "no-such-resource".parse().unwrap(),
                ])
            })
        })
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
    let on_demand = list_customer_on_demand_resources(&client, |r| {
        r.body_map(|b| b.customer_id(id.as_str()).resource_ids(vec![cid.clone()]))
    })
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
async fn a_new_customer_starts_with_no_resources_and_no_orders() {
    let (_sandbox, client) = start().await;
    let id = new_customer(&client, "sandbox_fresh_user", "u-77").await;
    let on_demand =
        list_customer_on_demand_resources(&client, |r| r.body_map(|b| b.customer_id(id.as_str())))
            .await
            .unwrap();
    assert_eq!(on_demand.total_count, Some(0));
    assert_eq!(yearly(&client, query(&id)).await.total_count, Some(0));
    let orders = list_customer_orders(&client, |r| r.customer_id(id.as_str()))
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
        list_customer_orders(&c, |r| r.limit(100u32))
            .await
            .unwrap()
            .into_inner()
    };
    let (a, b) = (orders(first).await, orders(second).await);
    assert_eq!(a.order_infos.len(), 100);
    assert_eq!(a, b);
}

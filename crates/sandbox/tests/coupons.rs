//! The coupons group in the sandbox, through the real client: seeded quotas, coupons and logs
//! with real totals, paging and filters; issuing and reclaiming coupons moves the quota balance
//! exactly and shows in every list and log; reseller quotas move between the distributor and the
//! reseller; per-item failures answer HTTP 200.

use futures::TryStreamExt;
use huaweicloud_bss::coupons::types as coupons;
use huaweicloud_bss::{Client, Decimal};
use serde_json::json;

/// The partner's normal cash-coupon quota without restrictions.
const CASH: &str = "2024010502000101";
/// A normal cash-coupon quota restricted to ECS and EVS.
const RESTRICTED: &str = "2024030108300102";
/// A normal flexi-purchase-coupon quota.
const FLEXI: &str = "2024020109150103";
/// An expired quota (status 3).
const EXPIRED: &str = "2023060103000104";
/// A frozen quota (status 5).
const FROZEN: &str = "2024050110000106";

mod common;

use common::{
    client,
    coupons::{
        create_partner_coupons, list_coupon_quotas_records, list_issued_coupon_quotas,
        list_issued_partner_coupons, list_partner_coupons_record, list_quota_coupons,
        list_sub_customer_coupons, reclaim_coupon_quotas, reclaim_partner_coupons,
        update_coupon_quotas,
    },
    d as dec, failure, pages_of, sandbox as start, sub_customers,
};
async fn quota(client: &Client, id: &str) -> coupons::CouponQuotaV2 {
    let found = list_quota_coupons(client, |r| {
        r.body_map(|b| b.quota_ids(vec![id.to_string()]))
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(found.total_count, Some(1), "quota {id}");
    found.quotas[0].clone()
}

async fn balance(client: &Client, id: &str) -> Decimal {
    quota(client, id).await.balance.unwrap().value()
}

#[tokio::test]
async fn seeded_quotas_page_and_filter() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let all = client
        .coupons()
        .list_quota_coupons()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.total_count, Some(8));
    assert_eq!(all.quotas.len(), 8);
    let paged: Vec<_> = client
        .coupons()
        .list_quota_coupons()
        .items(pages_of(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(paged, all.quotas);
    let page = list_quota_coupons(&client, |r| {
        r.body_map(|b| b.offset(Some(6)).limit(std::num::NonZeroU32::new(5)))
    })
    .await
    .unwrap();
    assert_eq!(page.total_count, Some(8));
    assert_eq!(page.quotas.len(), 2);

    let flexi = list_quota_coupons(&client, |r| r.body_map(|b| b.quota_type(Some(1))))
        .await
        .unwrap();
    assert_eq!(flexi.total_count, Some(2));
    assert!(flexi.quotas.iter().all(|q| q.quota_type == Some(1)));
    let expired = list_quota_coupons(&client, |r| r.body_map(|b| b.quota_status_list(vec![3])))
        .await
        .unwrap();
    assert_eq!(expired.total_count, Some(1));
    assert_eq!(expired.quotas[0].quota_id.as_deref(), Some(EXPIRED));
    let recent: coupons::QueryCouponQuotasReqExt =
        serde_json::from_value(json!({"create_time_begin": "2024-03-01T00:00:00Z"})).unwrap();
    let recent = list_quota_coupons(&client, |r| r.body(recent))
        .await
        .unwrap();
    assert_eq!(recent.total_count, Some(4));
    assert!(
        recent
            .quotas
            .iter()
            .all(|q| q.create_time.as_deref().unwrap() >= "2024-03-01T00:00:00Z")
    );

    // Coupons were issued from the quotas: the balance is below the value, never below zero.
    let cash = quota(&client, CASH).await;
    assert_eq!(cash.quota_value.unwrap().value(), dec("200000"));
    let left = cash.balance.unwrap().value();
    assert!(left > Decimal::ZERO && left < dec("200000"), "{left}");
    let restricted = quota(&client, RESTRICTED).await;
    let services: Vec<_> = restricted.limit_infos[0]
        .limit_values
        .iter()
        .map(|v| v.value1.clone().unwrap())
        .collect();
    assert_eq!(services, ["hws.service.type.ec2", "hws.service.type.ebs"]);

    let err = failure(
        list_quota_coupons(&client, |r| {
            r.body_map(|b| {
                b.indirect_partner_id(Some(
                    coupons::QueryCouponQuotasReqExtIndirectPartnerId::try_from("nobody").unwrap(),
                ))
            })
        })
        .await,
    );
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.99000037"));
}

#[tokio::test]
async fn seeded_coupons_and_records_page_and_filter() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let first = client
        .coupons()
        .list_issued_partner_coupons()
        .send()
        .await
        .unwrap();
    let total = first.total_count.unwrap();
    assert!(total >= 300, "{total}");
    assert_eq!(first.user_coupons.len(), 10);
    let every: Vec<_> = client
        .coupons()
        .list_issued_partner_coupons()
        .items(pages_of(100))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(every.len(), total as usize);
    let mut ids: Vec<_> = every.iter().map(|c| c.coupon_id.clone().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), every.len());

    let reclaimed = list_issued_partner_coupons(&client, |r| {
        r.status(5).limit(std::num::NonZeroU32::new(100).unwrap())
    })
    .await
    .unwrap();
    assert!(reclaimed.total_count.unwrap() > 0);
    assert!(
        reclaimed
            .user_coupons
            .iter()
            .all(|c| c.status == Some(5) && c.balance.unwrap().value() == Decimal::ZERO)
    );
    // One manual-reclaim record per reclaimed coupon.
    let reclaims =
        list_partner_coupons_record(&client, |r| r.operation_types(vec!["2".to_string()]))
            .await
            .unwrap();
    assert_eq!(reclaims.total_count, reclaimed.total_count);
    let flexi = list_issued_partner_coupons(&client, |r| {
        r.coupon_type(4)
            .limit(std::num::NonZeroU32::new(100).unwrap())
    })
    .await
    .unwrap();
    assert!(flexi.total_count.unwrap() > 0);
    assert!(flexi.user_coupons.iter().all(|c| c.coupon_type == Some(4)));
    let failed = list_partner_coupons_record(&client, |r| r.result("-1"))
        .await
        .unwrap();
    assert_eq!(failed.total_count, Some(8));
    assert!(
        failed
            .records
            .iter()
            .all(|r| r.result.as_deref() == Some("-1") && r.coupon_id.is_none())
    );

    // Customers also hold Huawei's own promotion coupons, which the partner did not issue.
    let huawei = list_sub_customer_coupons(&client, |r| r.source_id("huaweicloud"))
        .await
        .unwrap();
    assert!(huawei.count.unwrap() > 0);
    let one = huawei.user_coupons[0].coupon_id.clone().unwrap();
    let issued = list_issued_partner_coupons(&client, |r| r.coupon_id(one.as_str()))
        .await
        .unwrap();
    assert_eq!(issued.total_count, Some(0));
    let err =
        failure(list_issued_partner_coupons(&client, |r| r.create_time_begin("yesterday")).await);
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn issued_coupons_take_the_quota_balance_and_appear_everywhere() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let direct = sub_customers(&client, json!({"association_type": "2", "limit": 2})).await;
    let referral = sub_customers(&client, json!({"association_type": "1", "limit": 1})).await;
    let (c1, c2) = (
        direct[0].customer_id.clone().unwrap(),
        direct[1].customer_id.clone().unwrap(),
    );
    let referral = referral[0].customer_id.clone().unwrap();
    let before = balance(&client, CASH).await;
    let issued_before = client
        .coupons()
        .list_issued_partner_coupons()
        .send()
        .await
        .unwrap()
        .total_count
        .unwrap();

    let answer = create_partner_coupons(&client, |r| {
        r.body_map(|b| {
            b.quota_id(CASH)
                .customer_ids(vec![
                    c1.clone(),
                    c2.clone(),
                    "not-a-customer".to_string(),
                    referral.clone(),
                ])
                .face_value("123.45")
                .memo(Some("年中返利".to_string()))
        })
    })
    .await
    .unwrap()
    .into_inner();
    let receivers: Vec<_> = answer
        .coupon_infos
        .iter()
        .map(|i| i.id.clone().unwrap())
        .collect();
    assert_eq!(receivers, [c1.clone(), c2.clone()]);
    let failures: Vec<_> = answer
        .error_details
        .iter()
        .map(|e| (e.id.clone().unwrap(), e.error_code.clone().unwrap()))
        .collect();
    assert_eq!(
        failures,
        [
            ("not-a-customer".to_string(), "CBC.99000035".to_string()),
            (referral.clone(), "CBC.0150".to_string()),
        ]
    );
    assert_eq!(balance(&client, CASH).await, before - dec("246.90"));

    let coupon_id = answer.coupon_infos[0].coupon_id.clone().unwrap();
    let mine = list_issued_partner_coupons(&client, |r| {
        r.customer_id(c1.as_str())
            .status(2)
            .limit(std::num::NonZeroU32::new(100).unwrap())
    })
    .await
    .unwrap();
    let coupon = mine
        .user_coupons
        .iter()
        .find(|c| c.coupon_id.as_deref() == Some(coupon_id.as_str()))
        .expect("the new coupon is listed");
    assert_eq!(coupon.face_value.unwrap().value(), dec("123.45"));
    assert_eq!(coupon.balance.unwrap().value(), dec("123.45"));
    assert_eq!(coupon.coupon_type, Some(1));
    assert_eq!(coupon.create_time.as_deref(), Some("2024-06-01T00:00:00Z"));
    assert_eq!(
        coupon.effective_time.as_deref(),
        Some("2024-01-05T00:00:00Z")
    );
    assert_eq!(coupon.expire_time.as_deref(), Some("2024-12-31T15:59:59Z"));
    let issued_after = client
        .coupons()
        .list_issued_partner_coupons()
        .send()
        .await
        .unwrap();
    assert_eq!(issued_after.total_count, Some(issued_before + 2));
    // Newest first.
    assert_eq!(
        issued_after.user_coupons[0].coupon_id.as_deref(),
        Some(coupon_id.as_str())
    );

    let held = list_sub_customer_coupons(&client, |r| r.coupon_id(coupon_id.as_str()))
        .await
        .unwrap();
    assert_eq!(held.count, Some(1));
    let held = &held.user_coupons[0];
    assert_eq!(held.customer_id.as_deref(), Some(c1.as_str()));
    assert_eq!(held.valid_time.as_deref(), Some("2024-01-05T00:00:00Z"));
    assert_ne!(held.source_id.as_deref(), Some("huaweicloud"));

    let ids: Vec<String> = answer
        .coupon_infos
        .iter()
        .map(|i| i.coupon_id.clone().unwrap())
        .collect();
    let records = list_partner_coupons_record(&client, |r| r.coupon_ids(ids))
        .await
        .unwrap();
    assert_eq!(records.total_count, Some(2));
    for record in &records.records {
        assert_eq!(record.operation_type.as_deref(), Some("1"));
        assert_eq!(record.operation_amount.unwrap().value(), dec("123.45"));
        assert_eq!(record.quota_id.as_deref(), Some(CASH));
        assert_eq!(record.result.as_deref(), Some("0"));
        assert_eq!(record.remark.as_deref(), Some("年中返利"));
    }
}

#[tokio::test]
async fn per_customer_failures_answer_200_and_the_rest_is_issued() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let direct = sub_customers(&client, json!({"association_type": "2", "limit": 2})).await;
    let (c1, c2) = (
        direct[0].customer_id.clone().unwrap(),
        direct[1].customer_id.clone().unwrap(),
    );
    for quota_id in [FROZEN, EXPIRED, "2099123100000001"] {
        let answer = create_partner_coupons(&client, |r| {
            r.body_map(|b| {
                b.quota_id(quota_id)
                    .customer_ids(vec![c1.clone(), c2.clone()])
                    .face_value("10")
            })
        })
        .await
        .unwrap();
        assert!(answer.coupon_infos.is_empty());
        assert_eq!(answer.error_details.len(), 2);
        assert!(
            answer
                .error_details
                .iter()
                .all(|e| e.error_code.as_deref() == Some("CBC.99000012"))
        );
    }
    // The frozen quota kept its balance.
    let frozen = quota(&client, FROZEN).await;
    assert_eq!(frozen.quota_status, Some(5));

    // The balance covers the first coupon only.
    let left = balance(&client, RESTRICTED).await;
    let face = left - dec("0.01");
    let answer = create_partner_coupons(&client, |r| {
        r.body_map(|b| {
            b.quota_id(RESTRICTED)
                .customer_ids(vec![c1.clone(), c2.clone()])
                .face_value(face.to_string().as_str())
        })
    })
    .await
    .unwrap();
    assert_eq!(answer.coupon_infos.len(), 1);
    assert_eq!(answer.error_details.len(), 1);
    assert_eq!(answer.error_details[0].id.as_deref(), Some(c2.as_str()));
    assert_eq!(
        answer.error_details[0].error_code.as_deref(),
        Some("CBC.99005003")
    );
    assert_eq!(balance(&client, RESTRICTED).await, dec("0.01"));
    let failed = list_partner_coupons_record(&client, |r| r.quota_id(RESTRICTED).result("-1"))
        .await
        .unwrap();
    assert_eq!(failed.total_count, Some(1));
    assert_eq!(failed.records[0].customer_id.as_deref(), Some(c2.as_str()));
    // The coupon inherits the quota's restriction.
    let coupon_id = answer.coupon_infos[0].coupon_id.clone().unwrap();
    let held = list_sub_customer_coupons(&client, |r| r.coupon_id(coupon_id.as_str()))
        .await
        .unwrap();
    let limits: Vec<_> = held.user_coupons[0]
        .use_limits
        .iter()
        .map(|l| l.value1.clone().unwrap())
        .collect();
    assert_eq!(limits, ["hws.service.type.ec2", "hws.service.type.ebs"]);

    // Whole-request errors.
    let outside = failure(
        create_partner_coupons(&client, |r| {
            r.body_map(|b| {
                b.quota_id(CASH)
                    .customer_ids(vec![c1.clone()])
                    .face_value("10")
                    .expire_time(Some(
                        coupons::CreatePartnerCouponsReqExpireTime::try_from(
                            "2025-12-31T00:00:00Z",
                        )
                        .unwrap(),
                    ))
            })
        })
        .await,
    );
    assert_eq!(outside.code(), Some("CBC.0100"));
    let unknown_service = failure(
        create_partner_coupons(&client, |r| {
            r.body_map(|b| {
                b.quota_id(CASH)
                    .customer_ids(vec![c1.clone()])
                    .face_value("10")
                    .cloud_service_types(vec!["hws.service.type.nope".to_string()])
            })
        })
        .await,
    );
    assert_eq!(unknown_service.code(), Some("CBC.50000055"));
    let unknown_reseller = failure(
        create_partner_coupons(&client, |r| {
            r.body_map(|b| {
                b.quota_id(CASH)
                    .customer_ids(vec![c1.clone()])
                    .face_value("10")
                    .indirect_partner_id(Some(
                        coupons::CreatePartnerCouponsReqIndirectPartnerId::try_from("nobody")
                            .unwrap(),
                    ))
            })
        })
        .await,
    );
    assert_eq!(unknown_reseller.status(), Some(400));
    assert_eq!(unknown_reseller.code(), Some("CBC.99000037"));
}

#[tokio::test]
async fn a_reclaimed_coupon_returns_its_balance_to_the_quota() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let direct = sub_customers(&client, json!({"association_type": "2", "limit": 1})).await;
    let holder = direct[0].customer_id.clone().unwrap();
    let before = balance(&client, FLEXI).await;
    let answer = create_partner_coupons(&client, |r| {
        r.body_map(|b| {
            b.quota_id(FLEXI)
                .customer_ids(vec![holder.clone()])
                .face_value("88.8")
        })
    })
    .await
    .unwrap();
    let coupon_id = answer.coupon_infos[0].coupon_id.clone().unwrap();
    assert_eq!(balance(&client, FLEXI).await, before - dec("88.8"));

    reclaim_partner_coupons(&client, |r| r.body_map(|b| b.coupon_id(coupon_id.as_str())))
        .await
        .unwrap();
    assert_eq!(balance(&client, FLEXI).await, before);
    let listed = list_issued_partner_coupons(&client, |r| r.coupon_id(coupon_id.as_str()))
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(1));
    assert_eq!(listed.user_coupons[0].status, Some(5));
    assert_eq!(listed.user_coupons[0].coupon_type, Some(4));
    assert_eq!(
        listed.user_coupons[0].balance.unwrap().value(),
        Decimal::ZERO
    );
    let records = list_partner_coupons_record(&client, |r| {
        r.coupon_ids(vec![coupon_id.clone()])
            .operation_types(vec!["2".to_string()])
    })
    .await
    .unwrap();
    assert_eq!(records.total_count, Some(1));
    assert_eq!(
        records.records[0].operation_amount.unwrap().value(),
        dec("88.8")
    );
    assert_eq!(
        records.records[0].customer_id.as_deref(),
        Some(holder.as_str())
    );

    let again = failure(
        reclaim_partner_coupons(&client, |r| r.body_map(|b| b.coupon_id(coupon_id.as_str()))).await,
    );
    assert_eq!(again.status(), Some(403));
    assert_eq!(again.code(), Some("CBC.0150"));
    let unknown = failure(
        reclaim_partner_coupons(&client, |r| {
            r.body_map(|b| b.coupon_id("CP000000000000NOPE"))
        })
        .await,
    );
    assert_eq!(unknown.code(), Some("CBC.99003012"));
}

#[tokio::test]
async fn reseller_quotas_move_between_distributor_and_reseller() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let seeded = client
        .coupons()
        .list_issued_coupon_quotas()
        .send()
        .await
        .unwrap();
    assert_eq!(seeded.total_count, Some(9));
    let seeded_records = client
        .coupons()
        .list_coupon_quotas_records()
        .send()
        .await
        .unwrap();
    assert_eq!(seeded_records.total_count, Some(10));

    // A reseller with reseller-model customers of its own.
    let resellers = client
        .customers()
        .list_indirect_partners()
        .send()
        .await
        .unwrap()
        .into_inner()
        .indirect_partners;
    let mut chosen = None;
    for reseller in &resellers {
        let id = reseller.indirect_partner_id.clone().unwrap();
        let theirs = sub_customers(
            &client,
            json!({"indirect_partner_id": id, "association_type": "2"}),
        )
        .await;
        if let Some(c) = theirs.first() {
            chosen = Some((id, c.customer_id.clone().unwrap()));
            break;
        }
    }
    let (reseller, their_customer) = chosen.expect("a reseller with customers");
    let before = balance(&client, CASH).await;

    let issued = update_coupon_quotas(&client, |r| {
        r.body_map(|b| {
            b.quota_id(CASH)
                .indirect_partner_ids(vec![reseller.clone(), "nobody".to_string()])
                .quota_amount("1500.5")
        })
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(issued.simple_quota_infos.len(), 1);
    assert_eq!(
        issued.simple_quota_infos[0].id.as_deref(),
        Some(reseller.as_str())
    );
    assert_eq!(issued.error_details.len(), 1);
    assert_eq!(
        issued.error_details[0].error_code.as_deref(),
        Some("CBC.99000037")
    );
    let new_quota = issued.simple_quota_infos[0].quota_id.clone().unwrap();
    assert_eq!(balance(&client, CASH).await, before - dec("1500.5"));
    let listed = list_issued_coupon_quotas(&client, |r| {
        r.indirect_partner_id(reseller.as_str())
            .quota_id(new_quota.as_str())
    })
    .await
    .unwrap();
    assert_eq!(listed.total_count, Some(1));
    let listed = &listed.quotas[0];
    assert_eq!(listed.balance.unwrap().value(), dec("1500.5"));
    assert_eq!(listed.parent_quota_id.as_deref(), Some(CASH));
    assert_eq!(listed.quota_status, Some(0));
    let record = list_coupon_quotas_records(&client, |r| r.quota_id(new_quota.as_str()))
        .await
        .unwrap();
    assert_eq!(record.total_count, Some(1));
    assert_eq!(record.records[0].operation_type.as_deref(), Some("10"));
    assert_eq!(record.records[0].amount.unwrap().value(), dec("1500.5"));

    // The reseller issues a coupon from it to its own customer.
    let coupon = create_partner_coupons(&client, |r| {
        r.body_map(|b| {
            b.quota_id(new_quota.as_str())
                .customer_ids(vec![their_customer.clone()])
                .face_value("500")
                .indirect_partner_id(Some(
                    coupons::CreatePartnerCouponsReqIndirectPartnerId::try_from(reseller.as_str())
                        .unwrap(),
                ))
        })
    })
    .await
    .unwrap();
    assert!(
        coupon.error_details.is_empty(),
        "{:?}",
        coupon.error_details
    );
    let coupon_id = coupon.coupon_infos[0].coupon_id.clone().unwrap();
    let theirs = list_issued_partner_coupons(&client, |r| {
        r.indirect_partner_id(reseller.as_str())
            .coupon_id(coupon_id.as_str())
    })
    .await
    .unwrap();
    assert_eq!(theirs.total_count, Some(1));
    let partners = list_issued_partner_coupons(&client, |r| r.coupon_id(coupon_id.as_str()))
        .await
        .unwrap();
    assert_eq!(partners.total_count, Some(0));
    let held = list_sub_customer_coupons(&client, |r| {
        r.indirect_partner_id(reseller.as_str())
            .coupon_id(coupon_id.as_str())
    })
    .await
    .unwrap();
    assert_eq!(held.count, Some(1));

    // Reclaimed: the rest goes back to the distributor's quota.
    let reclaimed = reclaim_coupon_quotas(&client, |r| {
        r.body_map(|b| {
            b.quota_ids(vec![new_quota.clone(), "2099123100000001".to_string()])
                .remark(Some(
                    coupons::ReclaimCouponQuotasReqRemark::try_from("合作调整").unwrap(),
                ))
        })
    })
    .await
    .unwrap();
    assert_eq!(reclaimed.simple_quota_infos.len(), 1);
    assert_eq!(
        reclaimed.simple_quota_infos[0]
            .quota_balance
            .unwrap()
            .value(),
        dec("1000.5")
    );
    assert_eq!(
        reclaimed.error_details[0].error_code.as_deref(),
        Some("CBC.99000012")
    );
    assert_eq!(balance(&client, CASH).await, before - dec("500"));
    let gone = list_issued_coupon_quotas(&client, |r| r.quota_id(new_quota.as_str()))
        .await
        .unwrap();
    assert_eq!(gone.quotas[0].quota_status, Some(6));
    assert_eq!(gone.quotas[0].balance.unwrap().value(), Decimal::ZERO);
    let log = list_coupon_quotas_records(&client, |r| {
        r.quota_id(new_quota.as_str()).operation_type("11")
    })
    .await
    .unwrap();
    assert_eq!(log.total_count, Some(1));
    assert_eq!(log.records[0].amount.unwrap().value(), dec("1000.5"));
    assert_eq!(log.records[0].remark.as_deref(), Some("合作调整"));
    let all_records = client
        .coupons()
        .list_coupon_quotas_records()
        .send()
        .await
        .unwrap();
    assert_eq!(all_records.total_count, Some(12));

    let twice = reclaim_coupon_quotas(&client, |r| {
        r.body_map(|b| b.quota_ids(vec![new_quota.clone()]))
    })
    .await
    .unwrap();
    assert!(twice.simple_quota_infos.is_empty());
    assert_eq!(
        twice.error_details[0].error_code.as_deref(),
        Some("CBC.99000012")
    );
    // Only cash-coupon quotas go to resellers.
    let flexi = update_coupon_quotas(&client, |r| {
        r.body_map(|b| {
            b.quota_id(FLEXI)
                .indirect_partner_ids(vec![reseller.clone()])
                .quota_amount("10")
        })
    })
    .await
    .unwrap();
    assert_eq!(
        flexi.error_details[0].error_code.as_deref(),
        Some("CBC.99000012")
    );
}

//! The `packages` and `pricing` groups of the sandbox through the real client: resource packages
//! page for real over the whole data set, filter as documented, and their remaining quota is
//! exactly the original quota minus what their deduction records used; price inquiries follow
//! the rate card and its rules exactly (decimals, truncation, discounts, periods), and unknown
//! products or resources give the documented errors.

use std::num::NonZeroU32;

use futures::TryStreamExt;
use huaweicloud_bss::packages::types as packages;
use huaweicloud_bss::pricing::types as pricing;
use huaweicloud_bss::{Amount, Client, Decimal, PageOptions};

const PROJECT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

mod common;

use common::{d as dec, start};

fn value(amount: Option<Amount>) -> Decimal {
    amount.unwrap().value()
}

fn code<E: Into<huaweicloud_bss::Error>>(err: E) -> (Option<u16>, String) {
    let err: huaweicloud_bss::Error = err.into();
    (err.status(), err.code().unwrap_or_default().to_string())
}

async fn all_packages(
    client: &Client,
    map: impl FnOnce(
        packages::builder::ListFreeResourceInfosReq,
    ) -> packages::builder::ListFreeResourceInfosReq,
) -> Vec<packages::FreeResourcePackageV3> {
    client
        .packages()
        .list_free_resource_infos()
        .body_map(map)
        .items(PageOptions::default())
        .try_collect()
        .await
        .unwrap()
}

async fn records(
    client: &Client,
    free_resource_id: &str,
    begin: &str,
    end: &str,
) -> Vec<packages::FreeResourceRecord> {
    client
        .packages()
        .list_free_resources_usage_records()
        .free_resource_id(free_resource_id)
        .deduct_time_begin(begin)
        .deduct_time_end(end)
        .items(PageOptions::default())
        .try_collect()
        .await
        .unwrap()
}

async fn usage(client: &Client, id: &str) -> packages::FreeResourceDetail {
    let ids = vec![packages::ListFreeResourceUsagesReqFreeResourceIdsItem::try_from(id).unwrap()];
    let mut answer = client
        .packages()
        .list_free_resource_usages()
        .body_map(|b| b.free_resource_ids(ids))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.free_resources.len(), 1);
    answer.free_resources.remove(0)
}

#[tokio::test]
async fn resource_packages_page_for_real_over_the_whole_data_set() {
    let (_sandbox, client) = start().await;
    let first = client
        .packages()
        .list_free_resource_infos()
        .body_map(|b| b.limit(NonZeroU32::new(1000)))
        .send()
        .await
        .unwrap()
        .into_inner();
    let total = first.total_count.unwrap();
    assert!(total > 1000, "only {total} packages");
    assert_eq!(first.free_resource_packages.len(), 1000);
    let second = client
        .packages()
        .list_free_resource_infos()
        .body_map(|b| b.offset(Some(1000)).limit(NonZeroU32::new(1000)))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(second.total_count, Some(total));
    assert_eq!(second.free_resource_packages.len() as i32, total - 1000);
    // The default page is 10, and every page continues where the last one ended.
    let default = client
        .packages()
        .list_free_resource_infos()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(default.free_resource_packages.len(), 10);
    assert_eq!(
        default.free_resource_packages[..],
        first.free_resource_packages[..10]
    );
    let every = all_packages(&client, |b| b).await;
    assert_eq!(every.len() as i32, total);
    let mut ids: Vec<_> = every
        .iter()
        .map(|p| p.order_instance_id.clone().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len() as i32, total);
    for package in &every {
        // Never a package expired more than 18 months ago.
        assert!(package.expire_time.as_deref().unwrap() >= "2022-12-01T00:00:00Z");
        assert!(!package.free_resources.is_empty());
        for item in &package.free_resources {
            let (amount, original) = (value(item.amount), value(item.original_amount));
            assert!(amount >= Decimal::ZERO && amount <= original, "{item:?}");
        }
        match package.status.unwrap() {
            // Not yet effective: nothing used. Used up: nothing left.
            0 => assert!(
                package
                    .free_resources
                    .iter()
                    .all(|i| i.amount == i.original_amount)
            ),
            2 => assert!(
                package
                    .free_resources
                    .iter()
                    .all(|i| value(i.amount).is_zero())
            ),
            s => assert!((1..=4).contains(&s)),
        }
    }
    for status in 0..=4 {
        assert!(
            every.iter().any(|p| p.status == Some(status)),
            "no package of status {status}"
        );
    }
}

#[tokio::test]
async fn resource_package_filters_filter() {
    let (_sandbox, client) = start().await;
    let every = all_packages(&client, |b| b).await;
    let count = |f: &dyn Fn(&packages::FreeResourcePackageV3) -> bool| {
        every.iter().filter(|p| f(p)).count()
    };

    let used_up = all_packages(&client, |b| b.status(Some(2))).await;
    assert_eq!(used_up.len(), count(&|p| p.status == Some(2)));
    assert!(!used_up.is_empty());

    // Service type codes are case-insensitive.
    let obs = all_packages(&client, |b| {
        b.service_type_code_list(vec!["HWS.SERVICE.TYPE.OBS".to_string()])
    })
    .await;
    assert!(!obs.is_empty() && obs.len() < every.len());
    assert!(obs.iter().all(
        |p| p.service_type_code.as_deref() == Some("hws.service.type.obs")
            && p.service_type_name.as_deref() == Some("对象存储服务")
    ));
    assert_eq!(
        obs.len(),
        count(&|p| p.service_type_code.as_deref() == Some("hws.service.type.obs"))
    );

    let region = all_packages(&client, |b| {
        b.region_code(Some(
            packages::ListFreeResourceInfosReqRegionCode::try_from("cn-east-3").unwrap(),
        ))
        .status(Some(1))
    })
    .await;
    assert!(!region.is_empty());
    assert_eq!(
        region.len(),
        count(&|p| p.region_code.as_deref() == Some("cn-east-3") && p.status == Some(1))
    );

    // The product name filter is fuzzy; the product id filter exact.
    let named = all_packages(&client, |b| {
        b.product_name(Some(
            packages::ListFreeResourceInfosReqProductName::try_from("流量包").unwrap(),
        ))
    })
    .await;
    assert!(
        named
            .iter()
            .all(|p| p.product_name.as_deref().unwrap().contains("流量包"))
    );
    assert_eq!(
        named.len(),
        count(&|p| p.product_name.as_deref().unwrap().contains("流量包"))
    );
    let product = every[0].product_id.clone().unwrap();
    let same_product = all_packages(&client, |b| {
        b.product_id(Some(
            packages::ListFreeResourceInfosReqProductId::try_from(product.as_str()).unwrap(),
        ))
    })
    .await;
    assert_eq!(
        same_product.len(),
        count(&|p| p.product_id.as_deref() == Some(product.as_str()))
    );
    assert!(same_product.len() > 1);

    let order = every.iter().find_map(|p| p.order_id.clone()).unwrap();
    let by_order = all_packages(&client, |b| {
        b.order_id(Some(
            packages::ListFreeResourceInfosReqOrderId::try_from(order.as_str()).unwrap(),
        ))
    })
    .await;
    assert_eq!(by_order.len(), 1);
    assert_eq!(by_order[0].order_id.as_deref(), Some(order.as_str()));

    let default_project = all_packages(&client, |b| {
        b.enterprise_project_id(Some(
            packages::ListFreeResourceInfosReqEnterpriseProjectId::try_from("0").unwrap(),
        ))
    })
    .await;
    assert!(!default_project.is_empty());
    assert!(
        default_project
            .iter()
            .all(|p| p.enterprise_project_scope == Some(0))
    );
    assert_eq!(
        default_project.len(),
        count(&|p| p.enterprise_project_id.as_deref() == Some("0"))
    );
}

#[tokio::test]
async fn remaining_quota_is_the_original_minus_the_records() {
    let (_sandbox, client) = start().await;
    // Effective one-month packages (not resettable): a 90-day window covers all their records.
    let monthly = all_packages(&client, |b| {
        b.product_name(Some(
            packages::ListFreeResourceInfosReqProductName::try_from("1个月").unwrap(),
        ))
    })
    .await;
    let mut checked = 0;
    let mut drained = 0;
    for package in monthly.iter().filter(|p| matches!(p.status, Some(1 | 2))) {
        for item in &package.free_resources {
            let id = item.free_resource_id.as_deref().unwrap();
            let mut found = records(&client, id, "2024-03-10", "2024-06-01").await;
            found.reverse(); // oldest first
            let original = value(item.original_amount);
            let used: Decimal = found.iter().map(|r| value(r.used_amount)).sum();
            assert_eq!(value(item.amount), original - used, "{id}");
            let detail = usage(&client, id).await;
            assert_eq!(detail.amount, item.amount);
            assert_eq!(detail.original_amount, item.original_amount);
            assert_eq!(detail.start_time, package.effective_time);
            assert_eq!(detail.end_time, package.expire_time);
            assert_eq!(detail.quota_reuse_cycle, None);
            // The records chain: each starts where the last one left off.
            let mut available = original;
            for record in &found {
                assert_eq!(value(record.available_amount), available);
                assert_eq!(
                    value(record.remaining_amount),
                    available - value(record.used_amount)
                );
                assert_eq!(record.product_id, package.product_id);
                available = value(record.remaining_amount);
            }
            if package.status == Some(2) {
                assert!(available.is_zero());
                drained += 1;
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} items checked");
    assert!(drained >= 1);

    // A resettable package: the remaining quota is that of the current reset period.
    let resettable = all_packages(&client, |b| {
        b.product_name(Some(
            packages::ListFreeResourceInfosReqProductName::try_from("月度重置").unwrap(),
        ))
        .status(Some(1))
    })
    .await;
    let package = resettable
        .iter()
        .find(|p| p.effective_time.as_deref().unwrap() < "2024-04-01")
        .unwrap();
    assert_eq!(package.quota_reuse_mode, Some(1));
    assert_eq!(package.bundle_type.as_deref(), Some("BUNDLE_PKG"));
    for item in &package.free_resources {
        let id = item.free_resource_id.as_deref().unwrap();
        let detail = usage(&client, id).await;
        assert_eq!(
            (detail.quota_reuse_cycle, detail.quota_reuse_cycle_type),
            (Some(4), Some(2))
        );
        let (start, end) = (detail.start_time.unwrap(), detail.end_time.unwrap());
        assert!(start.as_str() <= "2024-06-01T00:00:00Z" && end.as_str() > "2024-06-01T00:00:00Z");
        let found = records(&client, id, "2024-03-10", "2024-06-01").await;
        let used: Decimal = found
            .iter()
            .filter(|r| {
                let at = r.deduct_time.as_deref().unwrap();
                at >= start.as_str() && at < end.as_str()
            })
            .map(|r| value(r.used_amount))
            .sum();
        assert_eq!(value(detail.amount), value(item.original_amount) - used);
        assert_eq!(detail.amount, item.amount);
    }
}

#[tokio::test]
async fn usage_records_filter_and_page() {
    let (_sandbox, client) = start().await;
    let list = |offset: i32, limit: u32| {
        client
            .packages()
            .list_free_resources_usage_records()
            .deduct_time_begin("2024-03-04")
            .deduct_time_end("2024-06-01")
            .offset(offset)
            .limit(limit)
            .send()
    };
    let first = list(0, 100).await.unwrap().into_inner();
    let total = first.total_count.unwrap();
    assert!(total > 200, "only {total} records");
    assert_eq!(first.free_resource_records.len(), 100);
    let next = list(95, 10).await.unwrap().into_inner();
    assert_eq!(next.total_count, Some(total));
    assert_eq!(
        next.free_resource_records[..5],
        first.free_resource_records[95..]
    );
    let last = list(total - 3, 100).await.unwrap().into_inner();
    assert_eq!(last.free_resource_records.len(), 3);
    // Newest first, all inside the window (UTC+8 days).
    let times: Vec<&str> = first
        .free_resource_records
        .iter()
        .map(|r| r.deduct_time.as_deref().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    assert!(
        times
            .iter()
            .all(|t| *t >= "2024-03-03T16:00:00Z" && *t <= "2024-06-01T00:00:00Z")
    );

    let all: Vec<packages::FreeResourceRecord> = client
        .packages()
        .list_free_resources_usage_records()
        .deduct_time_begin("2024-03-04")
        .deduct_time_end("2024-06-01")
        .items(PageOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len() as i32, total);
    let vm: Vec<packages::FreeResourceRecord> = client
        .packages()
        .list_free_resources_usage_records()
        .deduct_time_begin("2024-03-04")
        .deduct_time_end("2024-06-01")
        .resource_type_code("hws.resource.type.vm")
        .items(PageOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert!(!vm.is_empty());
    assert!(vm.iter().all(
        |r| r.resource_type_code.as_deref() == Some("hws.resource.type.vm")
            && r.resource_type_name.as_deref() == Some("云主机")
            && r.measure_id == Some(4)
    ));
    assert_eq!(
        vm.len(),
        all.iter()
            .filter(|r| r.resource_type_code.as_deref() == Some("hws.resource.type.vm"))
            .count()
    );
    let product = all[0].product_id.clone().unwrap();
    let same: Vec<packages::FreeResourceRecord> = client
        .packages()
        .list_free_resources_usage_records()
        .deduct_time_begin("2024-03-04")
        .deduct_time_end("2024-06-01")
        .product_id(product.as_str())
        .items(PageOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        same.len(),
        all.iter()
            .filter(|r| r.product_id.as_deref() == Some(product.as_str()))
            .count()
    );
    // One day (UTC+8) holds fewer records than the window.
    let day = client
        .packages()
        .list_free_resources_usage_records()
        .deduct_time_begin("2024-05-20")
        .deduct_time_end("2024-05-20")
        .send()
        .await
        .unwrap()
        .into_inner();
    let in_day = all
        .iter()
        .filter(|r| {
            let t = r.deduct_time.as_deref().unwrap();
            ("2024-05-19T16:00:00Z".."2024-05-20T16:00:00Z").contains(&t)
        })
        .count();
    assert_eq!(day.total_count, Some(in_day as i32));
}

#[tokio::test]
async fn package_errors_are_documented() {
    let (_sandbox, client) = start().await;
    let too_long = client
        .packages()
        .list_free_resources_usage_records()
        .deduct_time_begin("2024-01-01")
        .deduct_time_end("2024-04-01")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(too_long), (Some(400), "CBC.0100".to_string()));
    let not_a_date = client
        .packages()
        .list_free_resources_usage_records()
        .deduct_time_begin("2024-02-30")
        .deduct_time_end("2024-03-01")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(not_a_date), (Some(400), "CBC.0100".to_string()));
    let backwards = client
        .packages()
        .list_free_resources_usage_records()
        .deduct_time_begin("2024-05-02")
        .deduct_time_end("2024-05-01")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(backwards), (Some(400), "CBC.0100".to_string()));
    let ids = vec![
        packages::ListFreeResourceUsagesReqFreeResourceIdsItem::try_from(
            "00000000000000000000000000000000",
        )
        .unwrap(),
    ];
    let unknown = client
        .packages()
        .list_free_resource_usages()
        .body_map(|b| b.free_resource_ids(ids))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(unknown), (Some(400), "CBC.99003012".to_string()));
}

fn demand(
    id: &str,
    service: &str,
    resource: &str,
    spec: &str,
    usage: &str,
    usage_measure_id: i32,
    quantity: i32,
) -> pricing::DemandProductInfo {
    pricing::DemandProductInfo {
        id: id.to_string(),
        cloud_service_type: format!("hws.service.type.{service}"),
        resource_type: format!("hws.resource.type.{resource}"),
        resource_spec: spec.to_string(),
        region: "cn-north-4".to_string(),
        available_zone: None,
        resource_size: None,
        size_measure_id: None,
        usage_factor: "Duration".to_string(),
        usage_value: Amount(dec(usage)),
        usage_measure_id,
        subscription_num: quantity,
    }
}

fn period(
    id: &str,
    service: &str,
    resource: &str,
    spec: &str,
    period_type: i32,
    period_num: i32,
    quantity: i32,
) -> pricing::PeriodProductInfo {
    pricing::PeriodProductInfo {
        id: id.to_string(),
        cloud_service_type: format!("hws.service.type.{service}"),
        resource_type: format!("hws.resource.type.{resource}"),
        resource_spec: spec.to_string(),
        region: "cn-north-4".to_string(),
        available_zone: Some("cn-north-4a".to_string()),
        resource_size: None,
        size_measure_id: None,
        period_type,
        period_num,
        subscription_num: quantity,
        fee_installment_mode: None,
    }
}

#[tokio::test]
async fn on_demand_prices_are_usage_times_unit_price_with_the_best_discount() {
    let (_sandbox, client) = start().await;
    let mut disk = demand("evs-1", "ebs", "volume", "SSD", "1.5", 4, 2);
    disk.resource_size = Some(40);
    disk.size_measure_id = Some(17);
    let products = vec![
        demand("ecs-1", "ec2", "vm", "s6.large.2.linux", "1", 4, 1),
        disk,
        demand("ecs-win", "ec2", "vm", "s6.large.2.win", "1", 5, 1),
    ];
    let answer = client
        .pricing()
        .list_on_demand_resource_ratings()
        .body_map(|b| b.project_id(PROJECT).product_infos(products))
        .send()
        .await
        .unwrap()
        .into_inner();
    let results = &answer.product_rating_results;
    assert_eq!(results.len(), 3);
    // 1 h × 0.45 × 1; ECS takes the commercial discount (605, 15% off).
    assert_eq!(results[0].id.as_deref(), Some("ecs-1"));
    assert_eq!(value(results[0].official_website_amount), dec("0.45"));
    assert_eq!(value(results[0].amount), dec("0.3825"));
    assert_eq!(value(results[0].discount_amount), dec("0.0675"));
    assert_eq!(results[0].discount_rating_results.len(), 1);
    assert_eq!(
        results[0].discount_rating_results[0].discount_type,
        Some(605)
    );
    assert_eq!(
        value(results[0].discount_rating_results[0].amount),
        dec("0.0675")
    );
    // 1.5 h × 0.0014 per GB × 40 GB × 2; EVS takes the partner discount (607, 10% off).
    assert_eq!(value(results[1].official_website_amount), dec("0.168"));
    assert_eq!(value(results[1].amount), dec("0.1512"));
    assert_eq!(
        results[1].discount_rating_results[0].discount_type,
        Some(607)
    );
    // 1 day of Windows: 24 × 0.45 × 1.3.
    assert_eq!(value(results[2].official_website_amount), dec("14.04"));
    assert_eq!(value(results[2].amount), dec("11.934"));
    assert_eq!(value(answer.official_website_amount), dec("14.658"));
    assert_eq!(value(answer.amount), dec("12.4677"));
    assert_eq!(value(answer.discount_amount), dec("2.1903"));
    assert_eq!(answer.currency.as_deref(), Some("CNY"));
    assert_eq!(answer.measure_id, Some(1));
    assert!(
        results[0]
            .product_id
            .as_deref()
            .unwrap()
            .starts_with("00301-")
    );
}

#[tokio::test]
async fn on_demand_prices_truncate_to_6_or_10_decimals() {
    let (_sandbox, client) = start().await;
    let minute = || vec![demand("ecs-1", "ec2", "vm", "s6.small.1.linux", "1", 6, 1)];
    let six = client
        .pricing()
        .list_on_demand_resource_ratings()
        .body_map(|b| b.project_id(PROJECT).product_infos(minute()))
        .send()
        .await
        .unwrap()
        .into_inner();
    // 0.1 per hour for one minute = 0.001666…
    assert_eq!(value(six.official_website_amount), dec("0.001666"));
    assert_eq!(value(six.amount), dec("0.001416"));
    assert_eq!(value(six.discount_amount), dec("0.00025"));
    let ten = client
        .pricing()
        .list_on_demand_resource_ratings()
        .body_map(|b| {
            b.project_id(PROJECT)
                .inquiry_precision(Some(1))
                .product_infos(minute())
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(value(ten.official_website_amount), dec("0.0016666666"));
    assert_eq!(value(ten.amount), dec("0.0014166666"));
    // Traffic: 512 MB at 0.8 per GB, 10% off.
    let mut traffic = demand("bw-1", "vpc", "bandwidth", "12_bgp", "512", 11, 1);
    traffic.usage_factor = "UPFLOW".to_string();
    let traffic = client
        .pricing()
        .list_on_demand_resource_ratings()
        .body_map(|b| b.project_id(PROJECT).product_infos(vec![traffic]))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(value(traffic.official_website_amount), dec("0.4"));
    assert_eq!(value(traffic.amount), dec("0.36"));
}

#[tokio::test]
async fn period_prices_follow_period_and_quantity_with_every_optional_discount() {
    let (_sandbox, client) = start().await;
    let mut disk = period("evs-1", "ebs", "volume", "SSD", 2, 1, 1);
    disk.resource_size = Some(40);
    disk.size_measure_id = Some(17);
    let products = vec![
        period("ecs-1", "ec2", "vm", "s6.large.2.linux", 2, 1, 1),
        disk,
    ];
    let answer = client
        .pricing()
        .list_rate_on_period_detail()
        .body_map(|b| b.project_id(PROJECT).product_infos(products))
        .send()
        .await
        .unwrap()
        .into_inner();
    let official = answer.official_website_rating_result.unwrap();
    assert_eq!(value(official.official_website_amount), dec("193.6"));
    assert_eq!(
        value(official.product_rating_results[0].official_website_amount),
        dec("153.6")
    );
    assert_eq!(
        value(official.product_rating_results[1].official_website_amount),
        dec("40")
    );
    let options = &answer.optional_discount_rating_results;
    let by_type = |t: i32| options.iter().find(|o| o.discount_type == Some(t)).unwrap();
    // 607 (10% off everything), 605 (15% off ECS), 606 (8% off EVS).
    assert_eq!(options.len(), 3);
    assert_eq!(value(by_type(607).amount), dec("174.24"));
    assert_eq!(value(by_type(607).discount_amount), dec("19.36"));
    assert_eq!(value(by_type(605).amount), dec("170.56"));
    assert_eq!(value(by_type(605).discount_amount), dec("23.04"));
    assert_eq!(value(by_type(606).discount_amount), dec("3.2"));
    assert_eq!(by_type(605).best_offer, Some(1));
    assert_eq!(by_type(607).best_offer, Some(0));
    assert_eq!(by_type(606).best_offer, Some(0));
    let ecs = &by_type(605).product_rating_results;
    assert_eq!(value(ecs[0].amount), dec("130.56"));
    assert_eq!(value(ecs[1].discount_amount), Decimal::ZERO);
    assert_eq!(value(ecs[1].amount), dec("40"));

    // A year costs 10 months; quantity and period number multiply.
    let products = vec![period("ecs-1", "ec2", "vm", "s6.large.2.linux", 3, 2, 3)];
    let years = client
        .pricing()
        .list_rate_on_period_detail()
        .body_map(|b| b.project_id(PROJECT).product_infos(products))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        value(
            years
                .official_website_rating_result
                .unwrap()
                .official_website_amount
        ),
        dec("9216")
    );
    // WAF is sold yearly/monthly only; bandwidth by traffic is not.
    let waf = vec![period("waf-1", "waf", "waf", "waf.standard", 2, 1, 1)];
    let waf = client
        .pricing()
        .list_rate_on_period_detail()
        .body_map(|b| b.project_id(PROJECT).product_infos(waf))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        value(
            waf.official_website_rating_result
                .unwrap()
                .official_website_amount
        ),
        dec("3880")
    );
    assert_eq!(
        value(waf.optional_discount_rating_results[0].amount),
        dec("3492")
    );
    let traffic = vec![period("bw-1", "vpc", "bandwidth", "12_bgp", 2, 1, 1)];
    let err = client
        .pricing()
        .list_rate_on_period_detail()
        .body_map(|b| b.project_id(PROJECT).product_infos(traffic))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(err), (Some(400), "CBC.50000054".to_string()));
}

#[tokio::test]
async fn renewal_prices_are_stable_and_unknown_resources_fail_per_item() {
    let (_sandbox, client) = start().await;
    let ids = [
        "6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b",
        "0b9e6c2a71d84f03a5e2c4b6d8f01a23",
        "not-a-resource",
    ];
    let renew = |period_type: i32, num: u32, relative: bool| {
        client
            .pricing()
            .list_renew_rate_on_period()
            .body_map(move |b| {
                b.resource_ids(ids.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                    .period_type(period_type)
                    .period_num(NonZeroU32::new(num).unwrap())
                    .include_relative_resources(Some(relative))
            })
            .send()
    };
    let month = renew(2, 1, false).await.unwrap().into_inner();
    assert_eq!(month.fail_resource_infos.len(), 1);
    assert_eq!(
        month.fail_resource_infos[0].resource_id.as_deref(),
        Some("not-a-resource")
    );
    assert_eq!(
        month.fail_resource_infos[0].error_code.as_deref(),
        Some("CBC.99003012")
    );
    assert_eq!(month.renew_inquiry_results.len(), 2);
    let amounts: Vec<Decimal> = month
        .renew_inquiry_results
        .iter()
        .map(|r| value(r.amount))
        .collect();
    assert!(amounts.iter().all(|a| *a > Decimal::ZERO));
    let total = value(
        month
            .official_website_rating_result
            .unwrap()
            .official_website_amount,
    );
    assert_eq!(total, amounts[0] + amounts[1]);
    let best: Vec<_> = month
        .optional_discount_rating_results
        .iter()
        .filter(|o| o.best_offer == Some(1))
        .collect();
    assert_eq!(best.len(), 1);
    for option in &month.optional_discount_rating_results {
        assert_eq!(value(option.official_website_amount), total);
        assert_eq!(value(option.amount), total - value(option.discount_amount));
        assert!(value(option.discount_amount) <= value(best[0].discount_amount));
    }
    // The same resources always cost the same; three months cost three times one, a year ten.
    let again = renew(2, 1, false).await.unwrap().into_inner();
    assert_eq!(again.renew_inquiry_results, month.renew_inquiry_results);
    let quarter = renew(2, 3, false).await.unwrap().into_inner();
    let year = renew(3, 1, false).await.unwrap().into_inner();
    for ((q, y), a) in quarter
        .renew_inquiry_results
        .iter()
        .zip(&year.renew_inquiry_results)
        .zip(&amounts)
    {
        assert_eq!(value(q.amount), a * Decimal::from(3));
        assert_eq!(value(y.amount), a * Decimal::TEN);
    }
    // With the related resources (the EIP and bandwidth of a VM) a renewal costs more.
    let related = renew(2, 1, true).await.unwrap().into_inner();
    let with: Vec<Decimal> = related
        .renew_inquiry_results
        .iter()
        .map(|r| value(r.amount))
        .collect();
    assert!(with.iter().zip(&amounts).all(|(w, a)| w >= a));
    assert!(with.iter().zip(&amounts).any(|(w, a)| w > a));
    // Four years is beyond a renewal.
    assert_eq!(
        code(renew(3, 4, false).await.unwrap_err()),
        (Some(400), "CBC.0100".to_string())
    );
    let twice = client
        .pricing()
        .list_renew_rate_on_period()
        .body_map(|b| {
            b.resource_ids(vec![ids[0].to_string(), ids[0].to_string()])
                .period_type(2)
                .period_num(NonZeroU32::new(1).unwrap())
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(twice), (Some(400), "CBC.30050012".to_string()));
}

#[tokio::test]
async fn unknown_products_and_projects_are_business_errors() {
    let (_sandbox, client) = start().await;
    let ask = |product: pricing::DemandProductInfo, project: &'static str| {
        client
            .pricing()
            .list_on_demand_resource_ratings()
            .body_map(move |b| b.project_id(project).product_infos(vec![product]))
            .send()
    };
    let spec = ask(
        demand("x", "ec2", "vm", "s9.huge.99.linux", "1", 4, 1),
        PROJECT,
    )
    .await;
    assert_eq!(
        code(spec.unwrap_err()),
        (Some(400), "CBC.50000054".to_string())
    );
    let resource = ask(
        demand("x", "ec2", "hologram", "s6.large.2.linux", "1", 4, 1),
        PROJECT,
    )
    .await;
    assert_eq!(
        code(resource.unwrap_err()),
        (Some(400), "CBC.50000054".to_string())
    );
    let service = ask(
        demand("x", "quantum", "vm", "s6.large.2.linux", "1", 4, 1),
        PROJECT,
    )
    .await;
    assert_eq!(
        code(service.unwrap_err()),
        (Some(400), "CBC.50000055".to_string())
    );
    let mut region = demand("x", "ec2", "vm", "s6.large.2.linux", "1", 4, 1);
    region.region = "mars-north-1".to_string();
    assert_eq!(
        code(ask(region, PROJECT).await.unwrap_err()),
        (Some(400), "CBC.50000054".to_string())
    );
    let project = ask(
        demand("x", "ec2", "vm", "s6.large.2.linux", "1", 4, 1),
        "no-such-project",
    )
    .await;
    assert_eq!(
        code(project.unwrap_err()),
        (Some(400), "CBC.99006073".to_string())
    );
    // A disk needs its size; hours are not a traffic unit.
    let sizeless = ask(demand("x", "ebs", "volume", "SSD", "1", 4, 1), PROJECT).await;
    assert_eq!(
        code(sizeless.unwrap_err()),
        (Some(400), "CBC.0100".to_string())
    );
    let mut unit = demand("x", "vpc", "bandwidth", "12_bgp", "1", 4, 1);
    unit.usage_factor = "upflow".to_string();
    assert_eq!(
        code(ask(unit, PROJECT).await.unwrap_err()),
        (Some(400), "CBC.0100".to_string())
    );
    // Huge inputs are a business error, never a server error.
    let huge = demand(
        "x",
        "ec2",
        "vm",
        "c6.2xlarge.4.win",
        "79000000000000000000000000",
        5,
        i32::MAX,
    );
    assert_eq!(
        code(ask(huge, PROJECT).await.unwrap_err()),
        (Some(400), "CBC.6055".to_string())
    );
}

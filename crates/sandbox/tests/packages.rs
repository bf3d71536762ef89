//! The packages group in the sandbox, through the real client: resource packages page for real
//! over the whole data set, filter as documented, and their remaining quota is exactly the
//! original quota minus what their deduction records used.

use std::num::NonZeroU32;

use futures::TryStreamExt;
use huaweicloud_bss::packages::types as packages;
use huaweicloud_bss::{Client, Decimal, PageOptions};

mod common;

use common::{
    amount, code,
    packages::{
        list_free_resource_infos, list_free_resource_usages, list_free_resources_usage_records,
        usage,
    },
    start,
};
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

#[tokio::test]
async fn resource_packages_page_for_real_over_the_whole_data_set() {
    let (_sandbox, client) = start().await;
    let first =
        list_free_resource_infos(&client, |r| r.body_map(|b| b.limit(NonZeroU32::new(1000))))
            .await
            .unwrap()
            .into_inner();
    let total = first.total_count.unwrap();
    assert!(total > 1000, "only {total} packages");
    assert_eq!(first.free_resource_packages.len(), 1000);
    let second = list_free_resource_infos(&client, |r| {
        r.body_map(|b| b.offset(Some(1000)).limit(NonZeroU32::new(1000)))
    })
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
            let (amount, original) = (amount(item.amount), amount(item.original_amount));
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
                    .all(|i| amount(i.amount).is_zero())
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
            let original = amount(item.original_amount);
            let used: Decimal = found.iter().map(|r| amount(r.used_amount)).sum();
            assert_eq!(amount(item.amount), original - used, "{id}");
            let detail = usage(&client, id).await;
            assert_eq!(detail.amount, item.amount);
            assert_eq!(detail.original_amount, item.original_amount);
            assert_eq!(detail.start_time, package.effective_time);
            assert_eq!(detail.end_time, package.expire_time);
            assert_eq!(detail.quota_reuse_cycle, None);
            // The records chain: each starts where the last one left off.
            let mut available = original;
            for record in &found {
                assert_eq!(amount(record.available_amount), available);
                assert_eq!(
                    amount(record.remaining_amount),
                    available - amount(record.used_amount)
                );
                assert_eq!(record.product_id, package.product_id);
                available = amount(record.remaining_amount);
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
            .map(|r| amount(r.used_amount))
            .sum();
        assert_eq!(amount(detail.amount), amount(item.original_amount) - used);
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
    let day = list_free_resources_usage_records(&client, |r| {
        r.deduct_time_begin("2024-05-20")
            .deduct_time_end("2024-05-20")
    })
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
    let too_long = list_free_resources_usage_records(&client, |r| {
        r.deduct_time_begin("2024-01-01")
            .deduct_time_end("2024-04-01")
    })
    .await
    .unwrap_err();
    assert_eq!(code(too_long), (Some(400), "CBC.0100".to_string()));
    let not_a_date = list_free_resources_usage_records(&client, |r| {
        r.deduct_time_begin("2024-02-30")
            .deduct_time_end("2024-03-01")
    })
    .await
    .unwrap_err();
    assert_eq!(code(not_a_date), (Some(400), "CBC.0100".to_string()));
    let backwards = list_free_resources_usage_records(&client, |r| {
        r.deduct_time_begin("2024-05-02")
            .deduct_time_end("2024-05-01")
    })
    .await
    .unwrap_err();
    assert_eq!(code(backwards), (Some(400), "CBC.0100".to_string()));
    let ids = vec![
        packages::ListFreeResourceUsagesReqFreeResourceIdsItem::try_from(
            "00000000000000000000000000000000",
        )
        .unwrap(),
    ];
    let unknown = list_free_resource_usages(&client, |r| r.body_map(|b| b.free_resource_ids(ids)))
        .await
        .unwrap_err();
    assert_eq!(code(unknown), (Some(400), "CBC.99003012".to_string()));
}

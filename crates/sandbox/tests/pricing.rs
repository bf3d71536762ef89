//! The pricing group in the sandbox, through the real client: price inquiries follow the rate
//! card and its rules exactly (decimals, truncation, discounts, periods), and unknown products or
//! resources give the documented errors.

use std::num::NonZeroU32;

use huaweicloud_bss::pricing::types as pricing;
use huaweicloud_bss::{Amount, Decimal};

const PROJECT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

mod common;

use common::{
    amount, code, d as dec,
    pricing::{
        list_on_demand_resource_ratings, list_rate_on_period_detail, list_renew_rate_on_period,
    },
    start,
};
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
    let answer = list_on_demand_resource_ratings(&client, |r| {
        r.body_map(|b| b.project_id(PROJECT).product_infos(products))
    })
    .await
    .unwrap()
    .into_inner();
    let results = &answer.product_rating_results;
    assert_eq!(results.len(), 3);
    // 1 h × 0.45 × 1; ECS takes the commercial discount (605, 15% off).
    assert_eq!(results[0].id.as_deref(), Some("ecs-1"));
    assert_eq!(amount(results[0].official_website_amount), dec("0.45"));
    assert_eq!(amount(results[0].amount), dec("0.3825"));
    assert_eq!(amount(results[0].discount_amount), dec("0.0675"));
    assert_eq!(results[0].discount_rating_results.len(), 1);
    assert_eq!(
        results[0].discount_rating_results[0].discount_type,
        Some(605)
    );
    assert_eq!(
        amount(results[0].discount_rating_results[0].amount),
        dec("0.0675")
    );
    // 1.5 h × 0.0014 per GB × 40 GB × 2; EVS takes the partner discount (607, 10% off).
    assert_eq!(amount(results[1].official_website_amount), dec("0.168"));
    assert_eq!(amount(results[1].amount), dec("0.1512"));
    assert_eq!(
        results[1].discount_rating_results[0].discount_type,
        Some(607)
    );
    // 1 day of Windows: 24 × 0.45 × 1.3.
    assert_eq!(amount(results[2].official_website_amount), dec("14.04"));
    assert_eq!(amount(results[2].amount), dec("11.934"));
    assert_eq!(amount(answer.official_website_amount), dec("14.658"));
    assert_eq!(amount(answer.amount), dec("12.4677"));
    assert_eq!(amount(answer.discount_amount), dec("2.1903"));
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
    let six = list_on_demand_resource_ratings(&client, |r| {
        r.body_map(|b| b.project_id(PROJECT).product_infos(minute()))
    })
    .await
    .unwrap()
    .into_inner();
    // 0.1 per hour for one minute = 0.001666…
    assert_eq!(amount(six.official_website_amount), dec("0.001666"));
    assert_eq!(amount(six.amount), dec("0.001416"));
    assert_eq!(amount(six.discount_amount), dec("0.00025"));
    let ten = list_on_demand_resource_ratings(&client, |r| {
        r.body_map(|b| {
            b.project_id(PROJECT)
                .inquiry_precision(Some(1))
                .product_infos(minute())
        })
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(amount(ten.official_website_amount), dec("0.0016666666"));
    assert_eq!(amount(ten.amount), dec("0.0014166666"));
    // Traffic: 512 MB at 0.8 per GB, 10% off.
    let mut traffic = demand("bw-1", "vpc", "bandwidth", "12_bgp", "512", 11, 1);
    traffic.usage_factor = "UPFLOW".to_string();
    let traffic = list_on_demand_resource_ratings(&client, |r| {
        r.body_map(|b| b.project_id(PROJECT).product_infos(vec![traffic]))
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(amount(traffic.official_website_amount), dec("0.4"));
    assert_eq!(amount(traffic.amount), dec("0.36"));
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
    let answer = list_rate_on_period_detail(&client, |r| {
        r.body_map(|b| b.project_id(PROJECT).product_infos(products))
    })
    .await
    .unwrap()
    .into_inner();
    let official = answer.official_website_rating_result.unwrap();
    assert_eq!(amount(official.official_website_amount), dec("193.6"));
    assert_eq!(
        amount(official.product_rating_results[0].official_website_amount),
        dec("153.6")
    );
    assert_eq!(
        amount(official.product_rating_results[1].official_website_amount),
        dec("40")
    );
    let options = &answer.optional_discount_rating_results;
    let by_type = |t: i32| options.iter().find(|o| o.discount_type == Some(t)).unwrap();
    // 607 (10% off everything), 605 (15% off ECS), 606 (8% off EVS).
    assert_eq!(options.len(), 3);
    assert_eq!(amount(by_type(607).amount), dec("174.24"));
    assert_eq!(amount(by_type(607).discount_amount), dec("19.36"));
    assert_eq!(amount(by_type(605).amount), dec("170.56"));
    assert_eq!(amount(by_type(605).discount_amount), dec("23.04"));
    assert_eq!(amount(by_type(606).discount_amount), dec("3.2"));
    assert_eq!(by_type(605).best_offer, Some(1));
    assert_eq!(by_type(607).best_offer, Some(0));
    assert_eq!(by_type(606).best_offer, Some(0));
    let ecs = &by_type(605).product_rating_results;
    assert_eq!(amount(ecs[0].amount), dec("130.56"));
    assert_eq!(amount(ecs[1].discount_amount), Decimal::ZERO);
    assert_eq!(amount(ecs[1].amount), dec("40"));

    // A year costs 10 months; quantity and period number multiply.
    let products = vec![period("ecs-1", "ec2", "vm", "s6.large.2.linux", 3, 2, 3)];
    let years = list_rate_on_period_detail(&client, |r| {
        r.body_map(|b| b.project_id(PROJECT).product_infos(products))
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(
        amount(
            years
                .official_website_rating_result
                .unwrap()
                .official_website_amount
        ),
        dec("9216")
    );
    // WAF is sold yearly/monthly only; bandwidth by traffic is not.
    let waf = vec![period("waf-1", "waf", "waf", "waf.standard", 2, 1, 1)];
    let waf = list_rate_on_period_detail(&client, |r| {
        r.body_map(|b| b.project_id(PROJECT).product_infos(waf))
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(
        amount(
            waf.official_website_rating_result
                .unwrap()
                .official_website_amount
        ),
        dec("3880")
    );
    assert_eq!(
        amount(waf.optional_discount_rating_results[0].amount),
        dec("3492")
    );
    let traffic = vec![period("bw-1", "vpc", "bandwidth", "12_bgp", 2, 1, 1)];
    let err = list_rate_on_period_detail(&client, |r| {
        r.body_map(|b| b.project_id(PROJECT).product_infos(traffic))
    })
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
        .map(|r| amount(r.amount))
        .collect();
    assert!(amounts.iter().all(|a| *a > Decimal::ZERO));
    let total = amount(
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
        assert_eq!(amount(option.official_website_amount), total);
        assert_eq!(
            amount(option.amount),
            total - amount(option.discount_amount)
        );
        assert!(amount(option.discount_amount) <= amount(best[0].discount_amount));
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
        assert_eq!(amount(q.amount), a * Decimal::from(3));
        assert_eq!(amount(y.amount), a * Decimal::TEN);
    }
    // With the related resources (the EIP and bandwidth of a VM) a renewal costs more.
    let related = renew(2, 1, true).await.unwrap().into_inner();
    let with: Vec<Decimal> = related
        .renew_inquiry_results
        .iter()
        .map(|r| amount(r.amount))
        .collect();
    assert!(with.iter().zip(&amounts).all(|(w, a)| w >= a));
    assert!(with.iter().zip(&amounts).any(|(w, a)| w > a));
    // Four years is beyond a renewal.
    assert_eq!(
        code(renew(3, 4, false).await.unwrap_err()),
        (Some(400), "CBC.0100".to_string())
    );
    let twice = list_renew_rate_on_period(&client, |r| {
        r.body_map(|b| {
            b.resource_ids(vec![ids[0].to_string(), ids[0].to_string()])
                .period_type(2)
                .period_num(NonZeroU32::new(1).unwrap())
        })
    })
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

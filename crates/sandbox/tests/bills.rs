//! The bills group in the sandbox, through the real client: monthly bills that are the exact sums
//! of their fee records, and the consuming customers with their fee records.

use std::collections::BTreeMap;

use futures::TryStreamExt;
use huaweicloud_bss::Decimal;

mod common;

use common::{
    all,
    bills::{
        list_consume_sub_customers, list_sub_customer_bill_detail, list_subcustomer_monthly_bills,
    },
    pages_of, start,
};
#[tokio::test]
async fn monthly_bills_are_the_exact_sums_of_their_fee_records() {
    let (_sandbox, client) = start().await;
    for mode in ["1", "3"] {
        let sums: Vec<_> = client
            .bills()
            .list_subcustomer_monthly_bills()
            .cycle("2024-03")
            .charge_mode(mode)
            .items(pages_of(50))
            .try_collect()
            .await
            .unwrap();
        assert!(sums.len() > 20, "{mode}: {}", sums.len());
        assert!(sums.iter().all(|s| s.charge_mode.as_deref() == Some(mode)));
        let mut by_customer: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for s in &sums {
            by_customer
                .entry(s.customer_id.clone().unwrap())
                .or_default()
                .push(s);
        }
        for (customer, lines) in by_customer.iter().take(6) {
            let records: Vec<_> = client
                .bills()
                .list_sub_customer_bill_detail()
                .bill_cycle("2024-03")
                .customer_id(customer.as_str())
                .charging_mode(mode.parse::<i32>().unwrap())
                .items(all())
                .try_collect()
                .await
                .unwrap();
            let mut totals: BTreeMap<(String, String, String), Decimal> = BTreeMap::new();
            for r in &records {
                let bill_type = if r.bill_detail_type == Some(4) {
                    "1"
                } else {
                    "0"
                };
                *totals
                    .entry((
                        r.service_type_code.clone().unwrap(),
                        r.resource_type_code.clone().unwrap(),
                        bill_type.to_string(),
                    ))
                    .or_default() += r.payment_amount.unwrap().value();
            }
            assert_eq!(totals.len(), lines.len(), "{customer}");
            for line in lines {
                let key = (
                    line.cloud_service_type.clone().unwrap(),
                    line.resource_type_code.clone().unwrap(),
                    line.bill_type.clone().unwrap(),
                );
                assert_eq!(line.amount.unwrap().value(), totals[&key], "{line:?}");
                let paid: Decimal = line
                    .account_details
                    .iter()
                    .map(|a| a.amount.unwrap().value())
                    .sum();
                let debt = line.debt_amount.map_or(Decimal::ZERO, |a| a.value());
                assert_eq!(paid + debt, line.amount.unwrap().value());
            }
        }
    }
    // Filters: one customer, one service type, refunds only.
    let one = list_subcustomer_monthly_bills(&client, |r| {
        r.cycle("2024-03")
            .charge_mode("1")
            .bill_type("1")
            .limit(100)
    })
    .await
    .unwrap()
    .into_inner();
    assert!(
        one.bill_sums
            .iter()
            .all(|s| s.bill_type.as_deref() == Some("1")
                && s.amount.unwrap().value() < Decimal::ZERO)
    );
    let ecs = list_subcustomer_monthly_bills(&client, |r| {
        r.cycle("2024-03")
            .charge_mode("3")
            .cloud_service_type("hws.service.type.ec2")
            .limit(100)
    })
    .await
    .unwrap()
    .into_inner();
    assert!(ecs.count.unwrap() > 0);
    assert!(
        ecs.bill_sums
            .iter()
            .all(|s| s.cloud_service_type.as_deref() == Some("hws.service.type.ec2"))
    );
    // Months without data are empty; a malformed month is CBC.0100.
    for cycle in ["2023-06", "2024-06", "2030-01"] {
        let none = list_subcustomer_monthly_bills(&client, |r| r.cycle(cycle).charge_mode("3"))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(none.count, Some(0), "{cycle}");
    }
    let err: huaweicloud_bss::Error =
        list_subcustomer_monthly_bills(&client, |r| r.cycle("2024-3").charge_mode("3"))
            .await
            .unwrap_err();
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn consuming_customers_and_their_fee_records() {
    let (_sandbox, client) = start().await;
    let consumers: Vec<_> = client
        .bills()
        .list_consume_sub_customers()
        .body_map(|b| b.bill_cycle("2024-02"))
        .items(pages_of(20))
        .try_collect()
        .await
        .unwrap();
    assert!(consumers.len() > 50, "{}", consumers.len());
    let first = list_consume_sub_customers(&client, |r| r.body_map(|b| b.bill_cycle("2024-02")))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.total_count, Some(consumers.len() as i32));
    assert_eq!(first.sub_customers[..], consumers[..10]);
    let none = list_consume_sub_customers(&client, |r| r.body_map(|b| b.bill_cycle("2024-06")))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(none.total_count, Some(0));

    // Every customer listed has fee records that month.
    let customer = consumers[2].customer_id.clone().unwrap();
    let records: Vec<_> = client
        .bills()
        .list_sub_customer_bill_detail()
        .bill_cycle("2024-02")
        .customer_id(customer.as_str())
        .items(all())
        .try_collect()
        .await
        .unwrap();
    assert!(!records.is_empty());
    assert!(
        records
            .iter()
            .all(|r| r.bill_cycle.as_deref() == Some("2024-02")
                && r.customer_id.as_deref() == Some(customer.as_str()))
    );
    for r in &records {
        let official = r.official_amount.unwrap().value();
        let payment = r.payment_amount.unwrap().value();
        assert_eq!(
            official - r.official_discount_amount.unwrap().value(),
            payment
        );
        let paid = [
            r.cash_amount,
            r.credit_amount,
            r.coupon_amount,
            r.flexipurchase_coupon_amount,
            r.stored_value_card_amount,
            r.debt_amount,
        ]
        .iter()
        .map(|a| a.unwrap().value())
        .sum::<Decimal>();
        assert_eq!(paid, payment);
    }

    // Filters: resource, region, service type, dates.
    let sample = &records[0];
    let resource = sample.resource_id.clone().unwrap();
    let by_resource = list_sub_customer_bill_detail(&client, |r| {
        r.bill_cycle("2024-02")
            .customer_id(customer.as_str())
            .resource_id(resource.as_str())
    })
    .await
    .unwrap()
    .into_inner();
    let expected = records
        .iter()
        .filter(|r| r.resource_id.as_deref() == Some(resource.as_str()))
        .count();
    assert_eq!(by_resource.total_count, Some(expected as i32));
    let region = sample.region_code.clone().unwrap();
    let service = sample.service_type_code.clone().unwrap();
    let narrowed = list_sub_customer_bill_detail(&client, |r| {
        r.bill_cycle("2024-02")
            .customer_id(customer.as_str())
            .region_code(region.as_str())
            .service_type_code(service.as_str())
            .limit(100)
    })
    .await
    .unwrap()
    .into_inner();
    let expected = records
        .iter()
        .filter(|r| {
            r.region_code == Some(region.clone()) && r.service_type_code == Some(service.clone())
        })
        .count();
    assert!(expected >= 1);
    assert_eq!(narrowed.total_count, Some(expected as i32));
    let day = sample.consume_time.clone().unwrap()[..10].to_string();
    let on_day = list_sub_customer_bill_detail(&client, |r| {
        r.bill_cycle("2024-02")
            .customer_id(customer.as_str())
            .bill_date_begin(day.as_str())
            .bill_date_end(day.as_str())
            .limit(100)
    })
    .await
    .unwrap()
    .into_inner();
    assert!(!on_day.fee_records.is_empty());
    assert!(on_day.fee_records.iter().all(|r| {
        r.consume_time
            .as_deref()
            .is_some_and(|t| t.starts_with(&day))
    }));

    // Outside the data: empty; older than 18 months: CBC.0100; a stranger: CBC.99000035.
    let later = list_sub_customer_bill_detail(&client, |r| {
        r.bill_cycle("2024-06").customer_id(customer.as_str())
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(later.total_count, Some(0));
    let err: huaweicloud_bss::Error = list_sub_customer_bill_detail(&client, |r| {
        r.bill_cycle("2022-11").customer_id(customer.as_str())
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), Some("CBC.0100"));
    let err: huaweicloud_bss::Error = list_sub_customer_bill_detail(&client, |r| {
        r.bill_cycle("2024-02")
            .customer_id("ffffffffffffffffffffffffffffffff")
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), Some("CBC.99000035"));
    let err: huaweicloud_bss::Error = list_sub_customer_bill_detail(&client, |r| {
        r.bill_cycle("2024-02")
            .customer_id(customer.as_str())
            .bill_date_begin("2024-03-01")
            .bill_date_end("2024-03-02")
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), Some("CBC.0100"));
}

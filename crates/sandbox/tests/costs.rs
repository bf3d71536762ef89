//! The costs group in the sandbox, through the real client: monthly sums that are the exact sums
//! of their fee, transaction and detail records, filters that filter, pages with real totals,
//! amortized costs that add up to the fees, and 95th-percentile bills made from their usage
//! points.

use std::collections::{BTreeMap, BTreeSet};

use futures::TryStreamExt;
use huaweicloud_bss::costs::types as costs;
use huaweicloud_bss::customers::types as customers;
use huaweicloud_bss::funds::types as funds;
use huaweicloud_bss::{Amount, Client, Decimal};
use serde_json::json;

mod common;

use common::{
    all,
    costs::{
        list_costs, list_customer_bills_fee_records, list_customer_bills_monthly_break_down,
        list_customerself_resource_record_details, list_customerself_resource_records,
        list_resource_usage, monthly_sum, own_sum, show_customer_monthly_sum,
    },
    d, failure,
    funds::list_business_discount_info,
    new_customer, pages_of, start, sub_customers, v,
};
const MONTHS: [&str; 11] = [
    "2023-07", "2023-08", "2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02",
    "2024-03", "2024-04", "2024-05",
];
/// The caller (`world.customers[0]`) and its two enterprise sub-accounts: the first three
/// direct customers of the partner.
async fn accounts(client: &Client) -> Vec<customers::CustomerInformation> {
    sub_customers(client, json!({"limit": 3})).await
}

/// The caller's own resource fee records of a month, by detail.
async fn fee_records(client: &Client, cycle: &str) -> Vec<costs::ResFeeRecordV2> {
    client
        .costs()
        .list_customerself_resource_records()
        .cycle(cycle)
        .method(costs::ListCustomerselfResourceRecordsMethod::Oneself)
        .items(all())
        .try_collect()
        .await
        .unwrap()
}

async fn record_count(
    request: huaweicloud_bss::costs::builder::ListCustomerselfResourceRecords<'_>,
) -> i32 {
    request
        .cycle("2024-03")
        .method(costs::ListCustomerselfResourceRecordsMethod::Oneself)
        .limit(1)
        .send()
        .await
        .unwrap()
        .into_inner()
        .total_count
        .unwrap()
}

async fn flow_total(
    request: huaweicloud_bss::costs::builder::ListCustomerBillsFeeRecords<'_>,
) -> i32 {
    request
        .limit(1)
        .send()
        .await
        .unwrap()
        .into_inner()
        .total_count
        .unwrap()
}

fn details_request(extra: serde_json::Value) -> costs::QueryResRecordsDetailReq {
    let mut request = json!({"cycle": "2024-03", "method": "oneself"});
    for (k, value) in extra.as_object().unwrap() {
        request[k] = value.clone();
    }
    serde_json::from_value(request).unwrap()
}

async fn details(client: &Client, extra: serde_json::Value) -> Vec<costs::MonthlyBillRes> {
    client
        .costs()
        .list_customerself_resource_record_details()
        .body(details_request(extra))
        .items(all())
        .try_collect()
        .await
        .unwrap()
}

async fn cost_analysis(client: &Client, request: serde_json::Value) -> costs::ListCostsResponse {
    let request: costs::ListCostsReq = serde_json::from_value(request).unwrap();
    list_costs(client, |r| r.body(request))
        .await
        .unwrap()
        .into_inner()
}

async fn all_costs(client: &Client, request: serde_json::Value) -> Vec<costs::CostDataByDimension> {
    let request: costs::ListCostsReq = serde_json::from_value(request).unwrap();
    client
        .costs()
        .list_costs()
        .body(request)
        .items(all())
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn monthly_sums_are_the_sums_of_their_records() {
    let (_sandbox, client) = start().await;
    for cycle in ["2023-07", "2024-03", "2024-05"] {
        let sum = own_sum(&client, cycle).await;
        assert_eq!(sum.currency.as_deref(), Some("CNY"));
        assert_eq!(sum.bill_sums.len() as i32, sum.total_count.unwrap());
        assert!(sum.bill_sums.len() >= 8, "{cycle}: {}", sum.bill_sums.len());
        let consume = v(sum.consume_amount);
        assert!(consume > d("5000"), "{cycle}: {consume}");
        // The lines add up to the month's totals, and each line's payment to its sources.
        let lines = &sum.bill_sums;
        let total = |f: fn(&costs::BillSumRecordInfoV2) -> Option<Amount>| {
            lines.iter().map(|l| v(f(l))).sum::<Decimal>()
        };
        assert_eq!(total(|l| l.consume_amount), consume);
        assert_eq!(total(|l| l.cash_amount), v(sum.cash_amount));
        assert_eq!(total(|l| l.credit_amount), v(sum.credit_amount));
        assert_eq!(total(|l| l.coupon_amount), v(sum.coupon_amount));
        assert_eq!(
            total(|l| l.stored_value_card_amount),
            v(sum.stored_value_card_amount)
        );
        for l in lines {
            assert_eq!(l.bill_cycle.as_deref(), Some(cycle));
            assert_eq!(
                v(l.official_amount) - v(l.official_discount_amount) - v(l.truncated_amount),
                v(l.consume_amount),
                "{l:?}"
            );
            assert_eq!(
                v(l.cash_amount)
                    + v(l.credit_amount)
                    + v(l.coupon_amount)
                    + v(l.stored_value_card_amount),
                v(l.consume_amount),
                "{l:?}"
            );
        }
        assert_eq!(
            v(sum.cash_amount)
                + v(sum.credit_amount)
                + v(sum.coupon_amount)
                + v(sum.stored_value_card_amount),
            consume
        );

        // The resource fee records of the month add up to the same amounts, exactly.
        let records = fee_records(&client, cycle).await;
        assert!(records.len() > 150, "{cycle}: {}", records.len());
        let sum_of = |f: fn(&costs::ResFeeRecordV2) -> Option<Amount>| {
            records.iter().map(|r| v(f(r))).sum::<Decimal>()
        };
        assert_eq!(sum_of(|r| r.amount), consume);
        assert_eq!(sum_of(|r| r.cash_amount), v(sum.cash_amount));
        assert_eq!(sum_of(|r| r.credit_amount), v(sum.credit_amount));
        assert_eq!(sum_of(|r| r.coupon_amount), v(sum.coupon_amount));
        assert_eq!(
            sum_of(|r| r.stored_card_amount),
            v(sum.stored_value_card_amount)
        );
        assert_eq!(sum_of(|r| r.official_amount), total(|l| l.official_amount));

        // So do the transaction records, one per deduction.
        let flows: Vec<costs::MonthlyBillRecord> = client
            .costs()
            .list_customer_bills_fee_records()
            .bill_cycle(cycle)
            .method(costs::ListCustomerBillsFeeRecordsMethod::Oneself)
            .items(all())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(flows.len(), records.len());
        assert_eq!(
            flows.iter().map(|f| v(f.consume_amount)).sum::<Decimal>(),
            consume
        );
        assert_eq!(
            flows.iter().map(|f| v(f.erase_amount)).sum::<Decimal>(),
            total(|l| l.truncated_amount)
        );
        for f in &flows {
            assert_eq!(f.status, Some(1));
            assert_eq!(
                v(f.official_discount_amount) + v(f.erase_amount) + v(f.consume_amount),
                v(f.official_amount),
                "{f:?}"
            );
            assert_eq!(
                v(f.cash_amount)
                    + v(f.credit_amount)
                    + v(f.coupon_amount)
                    + v(f.stored_value_card_amount)
                    + v(f.debt_amount),
                v(f.consume_amount),
                "{f:?}"
            );
        }
    }
    // A month without consumption is empty; a malformed one is refused.
    let empty = own_sum(&client, "2022-01").await;
    assert_eq!(empty.total_count, Some(0));
    assert_eq!(v(empty.consume_amount), Decimal::ZERO);
    let err = failure(show_customer_monthly_sum(&client, |r| r.bill_cycle("2024-3")).await);
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn method_selects_whose_consumption() {
    let (_sandbox, client) = start().await;
    let ids: Vec<String> = accounts(&client)
        .await
        .into_iter()
        .map(|c| c.customer_id.unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    use costs::ShowCustomerMonthlySumMethod as Method;
    for cycle in ["2023-09", "2024-03"] {
        let all = monthly_sum(&client, cycle, Method::All, None).await;
        let own = monthly_sum(&client, cycle, Method::Oneself, None).await;
        let first = monthly_sum(&client, cycle, Method::SubCustomer, Some(&ids[1])).await;
        let second = monthly_sum(&client, cycle, Method::SubCustomer, Some(&ids[2])).await;
        assert!(v(first.consume_amount) > Decimal::ZERO);
        assert!(v(second.consume_amount) > Decimal::ZERO);
        assert_eq!(
            v(all.consume_amount),
            v(own.consume_amount) + v(first.consume_amount) + v(second.consume_amount)
        );
        assert_eq!(
            all.total_count.unwrap(),
            own.total_count.unwrap() + first.total_count.unwrap() + second.total_count.unwrap()
        );
        assert!(
            own.bill_sums
                .iter()
                .all(|l| l.customer_id.as_deref() == Some(&ids[0]))
        );
        assert!(first.bill_sums.iter().all(|l| {
            l.customer_id.as_deref() == Some(&ids[1])
                && l.account_name.as_deref() == Some("customer_0001")
        }));
    }
    // The default is `all`.
    let default = show_customer_monthly_sum(&client, |r| r.bill_cycle("2024-03"))
        .await
        .unwrap()
        .into_inner();
    let all = monthly_sum(&client, "2024-03", Method::All, None).await;
    assert_eq!(default.consume_amount, all.consume_amount);
    let records = list_customerself_resource_records(&client, |r| {
        r.cycle("2024-03")
            .method(costs::ListCustomerselfResourceRecordsMethod::SubCustomer)
            .sub_customer_id(ids[2].as_str())
            .limit(100)
    })
    .await
    .unwrap()
    .into_inner();
    assert!(records.total_count.unwrap() >= 20);
    assert!(
        records
            .fee_records
            .iter()
            .all(|r| r.customer_id.as_deref() == Some(&ids[2]))
    );

    // An id that is no customer at all: no master/sub relation.
    let err = failure(
        show_customer_monthly_sum(&client, |r| {
            r.bill_cycle("2024-03")
                .method(Method::SubCustomer)
                .sub_customer_id("5e4d3c2b1a0f49e8d7c6b5a4f3e2d1c0")
        })
        .await,
    );
    assert_eq!(
        (err.status(), err.code()),
        (Some(400), Some("CBC.99000086"))
    );
    let err = failure(
        list_customer_bills_fee_records(&client, |r| {
            r.bill_cycle("2024-03")
                .method(costs::ListCustomerBillsFeeRecordsMethod::SubCustomer)
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));

    // A customer created now is looked up at call time: it has no consumption yet.
    let created = new_customer(&client, "costs_member_new", "u-costs").await;
    let fresh = monthly_sum(&client, "2024-03", Method::SubCustomer, Some(&created)).await;
    assert_eq!(fresh.total_count, Some(0));
    assert_eq!(v(fresh.consume_amount), Decimal::ZERO);
    // So is a member account of the enterprise group: no consumption either.
    let member = client
        .enterprise()
        .list_enterprise_sub_customers()
        .send()
        .await
        .unwrap()
        .into_inner()
        .sub_customer_infos[0]
        .id
        .clone()
        .unwrap();
    let of_member = monthly_sum(&client, "2024-03", Method::SubCustomer, Some(&member)).await;
    assert_eq!(of_member.total_count, Some(0));
}

#[tokio::test]
async fn resource_records_filter_and_aggregate() {
    let (_sandbox, client) = start().await;
    let records = fee_records(&client, "2024-03").await;
    let count =
        |f: &dyn Fn(&costs::ResFeeRecordV2) -> bool| records.iter().filter(|r| f(r)).count() as i32;
    let list = || client.costs().list_customerself_resource_records();

    let ec2 = count(&|r| r.cloud_service_type.as_deref() == Some("hws.service.type.ec2"));
    assert!(ec2 > 30);
    assert_eq!(
        record_count(list().cloud_service_type("hws.service.type.ec2")).await,
        ec2
    );
    // An empty value is a filter too: nothing has an empty service type.
    assert_eq!(record_count(list().cloud_service_type("")).await, 0);
    let region = records[0].region.clone().unwrap();
    assert_eq!(
        record_count(list().region(region.as_str())).await,
        count(&|r| r.region.as_deref() == Some(region.as_str()))
    );
    let yearly_monthly = count(&|r| r.charge_mode.as_deref() == Some("1"));
    assert!(yearly_monthly > 5);
    assert_eq!(record_count(list().charge_mode("1")).await, yearly_monthly);
    assert_eq!(
        record_count(list().bill_type(5)).await,
        count(&|r| r.bill_type == Some(5))
    );
    let daily = records
        .iter()
        .find(|r| r.usage_type.as_deref() == Some("Duration") && r.bill_type == Some(5))
        .unwrap();
    let id = daily.resource_id.clone().unwrap();
    assert_eq!(
        record_count(list().resource_id(id.as_str())).await,
        count(&|r| r.resource_id.as_deref() == Some(id.as_str()))
    );
    let trade = daily.trade_id.clone().unwrap();
    let one = list()
        .cycle("2024-03")
        .method(costs::ListCustomerselfResourceRecordsMethod::Oneself)
        .trade_id(trade.as_str())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(one.total_count, Some(1));
    assert_eq!(one.fee_records[0], *daily);
    assert_eq!(
        record_count(list().enterprise_project_id("0")).await,
        count(&|r| r.enterprise_project_id.as_deref() == Some("0"))
    );
    let ungrouped = count(&|r| r.enterprise_project_id.is_none());
    assert!(ungrouped > 0);
    assert_eq!(
        record_count(list().enterprise_project_id("null")).await,
        ungrouped
    );
    let zero = count(&|r| v(r.amount).is_zero());
    assert!(zero > 0, "free usage leaves records of 0");
    assert_eq!(
        record_count(list().include_zero_record(false)).await,
        records.len() as i32 - zero
    );
    let range = list()
        .bill_date_begin("2024-03-10")
        .bill_date_end("2024-03-12");
    let in_range = count(&|r| {
        let day = r.bill_date.as_deref().unwrap();
        ("2024-03-10"..="2024-03-12").contains(&day)
    });
    assert!(in_range > 20);
    assert_eq!(record_count(range).await, in_range);
    // One date alone is ignored; a date outside the month is refused.
    assert_eq!(
        record_count(list().bill_date_begin("2024-03-10")).await,
        records.len() as i32
    );
    let err = failure(
        list()
            .cycle("2024-03")
            .bill_date_begin("2024-04-01")
            .bill_date_end("2024-04-02")
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));

    // By billing month: one record per resource and bill type, with the same total.
    for (statistic, by_day) in [(1, false), (2, true)] {
        let grouped: Vec<costs::ResFeeRecordV2> = list()
            .cycle("2024-03")
            .method(costs::ListCustomerselfResourceRecordsMethod::Oneself)
            .statistic_type(statistic)
            .items(all())
            .try_collect()
            .await
            .unwrap();
        let keys: BTreeSet<_> = records
            .iter()
            .map(|r| {
                (
                    r.resource_id.clone(),
                    r.bill_type,
                    by_day.then(|| r.bill_date.clone()),
                )
            })
            .collect();
        assert_eq!(grouped.len(), keys.len(), "statistic_type {statistic}");
        assert_eq!(
            grouped.iter().map(|r| v(r.amount)).sum::<Decimal>(),
            records.iter().map(|r| v(r.amount)).sum::<Decimal>()
        );
        assert!(grouped.iter().all(|r| r.id.is_none()));
        assert_eq!(grouped.iter().all(|r| r.bill_date.is_some()), by_day);
        let resource = grouped
            .iter()
            .find(|r| r.resource_id.as_deref() == Some(id.as_str()))
            .unwrap();
        if !by_day {
            assert_eq!(
                v(resource.usage),
                records
                    .iter()
                    .filter(|r| r.resource_id.as_deref() == Some(id.as_str()))
                    .map(|r| v(r.usage))
                    .sum::<Decimal>()
            );
        }
    }
}

#[tokio::test]
async fn detail_records_carry_eight_decimals() {
    let (_sandbox, client) = start().await;
    let records = fee_records(&client, "2024-03").await;
    let by_id: BTreeMap<_, _> = records.iter().map(|r| (r.id.clone().unwrap(), r)).collect();
    let exact = details(&client, json!({"statistic_type": 3})).await;
    assert_eq!(exact.len(), records.len());
    let mut fine = 0;
    for detail in &exact {
        let record = by_id[detail.id.as_ref().unwrap()];
        let consume = v(detail.consume_amount);
        // Deductions are made in cents: the detail truncated to cents is the fee record.
        assert_eq!(consume.trunc_with_scale(2), v(record.amount), "{detail:?}");
        assert!((v(detail.official_amount) - v(record.official_amount)).abs() <= d("0.005"));
        assert_eq!(
            v(detail.cash_amount)
                + v(detail.credit_amount)
                + v(detail.coupon_amount)
                + v(detail.stored_card_amount),
            consume
        );
        assert_eq!(
            v(detail.official_amount) - v(detail.discount_amount),
            consume
        );
        assert_eq!(detail.cycle.as_deref(), Some("2024-03"));
        assert_eq!(detail.payer_account_id, record.customer_id);
        if consume.normalize().scale() > 2 {
            fine += 1;
        }
    }
    assert!(fine > 100, "{fine} records with more than 2 decimals");
    let details_total: Decimal = exact.iter().map(|r| v(r.consume_amount)).sum();
    let records_total: Decimal = records.iter().map(|r| v(r.amount)).sum();
    assert!(details_total >= records_total);
    assert!(details_total - records_total < d("0.01") * Decimal::from(exact.len() as i64));

    // Since 2024-01 the commercial agreement discounts on-demand ECS by its ratio.
    let request: funds::BusinessDiscountQueryReq = serde_json::from_value(json!({
        "quoting_item_type": "PRODUCT_ITEM",
        "cloud_service_types": ["hws.service.type.ec2"],
        "charging_modes": ["ONDEMAND"],
        "site_code": "HWC_CN"
    }))
    .unwrap();
    let items = list_business_discount_info(&client, |r| r.body(request))
        .await
        .unwrap()
        .into_inner()
        .product_quoting_items;
    assert_eq!(items.len(), 1);
    let ratio = v(items[0].discount_ratio);
    assert_eq!(ratio, d("0.85"));
    let ecs: Vec<_> = exact
        .iter()
        .filter(|r| {
            r.cloud_service_type.as_deref() == Some("hws.service.type.ec2")
                && r.charge_mode == Some(3)
        })
        .collect();
    assert!(ecs.len() > 30);
    for r in ecs {
        let expected = v(r.official_amount) * (Decimal::ONE - ratio);
        assert!(
            (v(r.discount_amount) - expected).abs() <= d("0.000000005"),
            "{r:?}"
        );
    }
    let before = list_customerself_resource_record_details(&client, |r| {
        r.body(
            serde_json::from_value::<costs::QueryResRecordsDetailReq>(json!({
                "cycle": "2023-10", "method": "oneself", "statistic_type": 3,
                "cloud_service_type": "hws.service.type.ec2", "limit": 100
            }))
            .unwrap(),
        )
    })
    .await
    .unwrap()
    .into_inner();
    assert!(before.total_count.unwrap() > 30);
    assert!(
        before
            .monthly_records
            .iter()
            .all(|r| v(r.discount_amount).is_zero())
    );

    // By billing month (the default): one record per resource and bill type.
    let monthly = details(&client, json!({})).await;
    let keys: BTreeSet<_> = exact
        .iter()
        .map(|r| (r.res_instance_id.clone(), r.bill_type))
        .collect();
    assert_eq!(monthly.len(), keys.len());
    assert_eq!(
        monthly.iter().map(|r| v(r.consume_amount)).sum::<Decimal>(),
        details_total
    );
    // A range of days, by day.
    let days = details(
        &client,
        json!({"query_type": "DAILY", "statistic_type": 2,
               "bill_cycle_begin": "2024-03-01", "bill_cycle_end": "2024-03-03"}),
    )
    .await;
    let keys: BTreeSet<_> = exact
        .iter()
        .filter(|r| r.bill_date.as_deref().unwrap() <= "2024-03-03")
        .map(|r| (r.res_instance_id.clone(), r.bill_type, r.bill_date.clone()))
        .collect();
    assert!(keys.len() > 20);
    assert_eq!(days.len(), keys.len());
    // Filters filter.
    let vm = details(
        &client,
        json!({"statistic_type": 3, "resource_type": "hws.resource.type.vm", "charge_mode": 1}),
    )
    .await;
    assert!(!vm.is_empty());
    assert_eq!(
        vm.len(),
        exact
            .iter()
            .filter(
                |r| r.resource_type_code.as_deref() == Some("hws.resource.type.vm")
                    && r.charge_mode == Some(1)
            )
            .count()
    );
    // DAILY needs days; statistic_type 1 cannot go by day.
    let err = failure(
        list_customerself_resource_record_details(&client, |r| {
            r.body(details_request(
                json!({"query_type": "DAILY", "statistic_type": 1,
                "bill_cycle_begin": "2024-03-01", "bill_cycle_end": "2024-03-03"}),
            ))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn transaction_records_filter_and_page() {
    let (_sandbox, client) = start().await;
    let list = || {
        client
            .costs()
            .list_customer_bills_fee_records()
            .bill_cycle("2024-03")
            .method(costs::ListCustomerBillsFeeRecordsMethod::Oneself)
    };
    let flows: Vec<costs::MonthlyBillRecord> = list().items(all()).try_collect().await.unwrap();
    let small: Vec<costs::MonthlyBillRecord> =
        list().items(pages_of(7)).try_collect().await.unwrap();
    assert_eq!(small, flows);
    let page = list()
        .offset(20)
        .limit(5)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.total_count, Some(flows.len() as i32));
    assert_eq!(page.records, flows[20..25].to_vec());
    let beyond = list().offset(100_000).send().await.unwrap().into_inner();
    assert!(beyond.records.is_empty());
    assert_eq!(beyond.total_count, Some(flows.len() as i32));

    let count = |f: &dyn Fn(&costs::MonthlyBillRecord) -> bool| {
        flows.iter().filter(|r| f(r)).count() as i32
    };
    let orders = count(&|r| r.charging_mode == Some(1));
    assert!(orders > 5);
    assert_eq!(flow_total(list().charging_mode(1)).await, orders);
    let renewals = count(&|r| matches!(r.bill_type, Some(2 | 8)));
    assert!(renewals > 0);
    assert_eq!(
        flow_total(list().charging_mode(1).bill_type(8)).await,
        count(&|r| r.bill_type == Some(8))
    );
    assert_eq!(
        flow_total(list().service_type_code("hws.service.type.vpc")).await,
        count(&|r| r.service_type_code.as_deref() == Some("hws.service.type.vpc"))
    );
    assert_eq!(
        flow_total(list().resource_type_code("hws.resource.type.ip")).await,
        count(&|r| r.resource_type_code.as_deref() == Some("hws.resource.type.ip"))
    );
    assert_eq!(
        flow_total(list().region_code("cn-east-3")).await,
        count(&|r| r.region_code.as_deref() == Some("cn-east-3"))
    );
    assert_eq!(flow_total(list().status(1)).await, flows.len() as i32);
    assert_eq!(flow_total(list().status(2)).await, 0);
    assert_eq!(flow_total(list().provider_type(2)).await, 0);
    let trade = flows[3].trade_id.clone().unwrap();
    let one = list()
        .trade_id(trade.as_str())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(one.records, vec![flows[3].clone()]);
    let week = count(&|r| {
        let day = r.consume_time.as_deref().unwrap();
        // Consumption times are UTC; the days are UTC+8.
        ("2024-02-29T16:00:00Z".."2024-03-07T16:00:00Z").contains(&day)
    });
    assert!(week > 50);
    assert_eq!(
        flow_total(
            list()
                .bill_date_begin("2024-03-01")
                .bill_date_end("2024-03-07")
        )
        .await,
        week
    );
}

#[tokio::test]
async fn amortized_costs_add_up_to_the_fees() {
    let (_sandbox, client) = start().await;
    // A yearly subscription bought in the data's first half.
    let mut bought = None;
    for cycle in &MONTHS[..6] {
        let found = list_customerself_resource_records(&client, |r| {
            r.cycle(*cycle)
                .method(costs::ListCustomerselfResourceRecordsMethod::Oneself)
                .charge_mode("1")
                .bill_type(1)
                .limit(100)
        })
        .await
        .unwrap()
        .into_inner()
        .fee_records
        .into_iter()
        .find(|r| r.period_type.as_deref() == Some("19"));
        if let Some(r) = found {
            bought = Some((cycle.to_string(), r));
            break;
        }
    }
    let (cycle, fee) = bought.expect("a yearly subscription");
    let consume = v(fee.amount);
    let id = fee.resource_id.clone().unwrap();
    let breakdown = |month: String| {
        let id = id.clone();
        let client = client.clone();
        async move {
            list_customer_bills_monthly_break_down(&client, |r| {
                r.shared_month(month.as_str())
                    .resource_id(id.as_str())
                    .bill_type(1)
            })
            .await
            .unwrap()
            .into_inner()
            .details
        }
    };
    let (y, m): (i32, i32) = (cycle[..4].parse().unwrap(), cycle[5..].parse().unwrap());
    let mut amortized = Decimal::ZERO;
    let mut months = 0;
    for k in 0..14 {
        let n = y * 12 + m - 1 + k;
        let month = format!("{:04}-{:02}", n / 12, n % 12 + 1);
        let rows = breakdown(month.clone()).await;
        if k == 13 {
            assert!(rows.is_empty(), "{month}");
            continue;
        }
        if rows.is_empty() {
            assert_eq!(k, 12, "a year covers 12 or 13 shared months");
            continue;
        }
        assert_eq!(rows.len(), 1, "{month}");
        let row = &rows[0];
        assert_eq!(row.bill_cycle.as_deref(), Some(cycle.as_str()));
        assert_eq!(v(row.consume_amount), consume);
        assert_eq!(
            v(row.past_months_amortized_amount)
                + v(row.current_month_amortized_amount)
                + v(row.future_months_amortized_amount),
            consume
        );
        assert_eq!(v(row.past_months_amortized_amount), amortized);
        assert_eq!(
            v(row.amortized_cash_amount)
                + v(row.amortized_credit_amount)
                + v(row.amortized_coupon_amount)
                + v(row.amortized_stored_value_card_amount),
            v(row.current_month_amortized_amount)
        );
        assert_eq!(row.cost_unit_pairs.len(), 1);
        amortized += v(row.current_month_amortized_amount);
        months += 1;
    }
    assert!(months >= 12);
    assert_eq!(amortized, consume);

    // A month's amortized costs are the cost analysis' amortized cost of that month.
    let rows: Vec<costs::NvlCostAnalysedBillDetail> = client
        .costs()
        .list_customer_bills_monthly_break_down()
        .shared_month("2024-03")
        .items(all())
        .try_collect()
        .await
        .unwrap();
    assert!(rows.len() > 30);
    let current: Decimal = rows
        .iter()
        .map(|r| v(r.current_month_amortized_amount))
        .sum();
    let analysed = cost_analysis(
        &client,
        json!({"time_condition": {"time_measure_id": 2, "begin_time": "2024-03", "end_time": "2024-03"},
               "groupby": [], "cost_type": "AMORTIZED_COST", "amount_type": "PAYMENT_AMOUNT"}),
    )
    .await;
    assert_eq!(analysed.total_count, Some(1));
    assert_eq!(v(analysed.cost_data[0].amount_by_costs), current);
    // Pay-per-use is not spread: its month's rows are its month's fees.
    let own_usage: Decimal = rows
        .iter()
        .filter(|r| r.charging_mode == Some(3))
        .map(|r| {
            assert!(v(r.past_months_amortized_amount).is_zero());
            assert!(v(r.future_months_amortized_amount).is_zero());
            v(r.current_month_amortized_amount)
        })
        .sum();
    let usage_fees: Decimal = client
        .costs()
        .list_customer_bills_fee_records()
        .bill_cycle("2024-03")
        .charging_mode(3)
        .items(all())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .iter()
        .map(|r| v(r.consume_amount))
        .sum();
    assert_eq!(own_usage, usage_fees);
    // Filters filter; only the last 18 months are kept.
    let named: Vec<costs::NvlCostAnalysedBillDetail> = client
        .costs()
        .list_customer_bills_monthly_break_down()
        .shared_month("2024-03")
        .resource_name("ecs-")
        .items(all())
        .try_collect()
        .await
        .unwrap();
    assert!(!named.is_empty());
    assert_eq!(
        named.len(),
        rows.iter()
            .filter(|r| r.resource_name.as_deref().unwrap().contains("ecs-"))
            .count()
    );
    let err = failure(
        list_customer_bills_monthly_break_down(&client, |r| r.shared_month("2022-06")).await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn cost_analysis_groups_filters_and_pages() {
    let (_sandbox, client) = start().await;
    let request = |groupby: serde_json::Value, filters: serde_json::Value, amount: &str| {
        json!({"time_condition": {"time_measure_id": 2, "begin_time": "2023-07", "end_time": "2024-05"},
               "groupby": groupby, "cost_type": "ORIGINAL_COST", "amount_type": amount,
               "filters": filters})
    };
    let by_service = all_costs(
        &client,
        request(
            json!([{"type": "dimension", "key": "CLOUD_SERVICE_TYPE"}]),
            json!([]),
            "PAYMENT_AMOUNT",
        ),
    )
    .await;
    assert!(by_service.len() >= 10);
    for pair in by_service.windows(2) {
        assert!(v(pair[0].amount_by_costs) >= v(pair[1].amount_by_costs));
    }
    // Each month of each service is what the monthly sums say (all accounts).
    for cycle in ["2023-07", "2024-03"] {
        let sum = monthly_sum(
            &client,
            cycle,
            costs::ShowCustomerMonthlySumMethod::All,
            None,
        )
        .await;
        let mut by_code: BTreeMap<String, Decimal> = BTreeMap::new();
        for line in &sum.bill_sums {
            *by_code
                .entry(line.service_type_code.clone().unwrap())
                .or_default() += v(line.consume_amount);
        }
        let mut analysed = Decimal::ZERO;
        for group in &by_service {
            let code = group.dimensions[0].value.clone().unwrap();
            assert_eq!(
                group.dimensions[0].key.as_deref(),
                Some("CLOUD_SERVICE_TYPE")
            );
            let amount = group
                .costs
                .iter()
                .find(|c| c.time_dimension_value.as_deref() == Some(cycle))
                .map_or(Decimal::ZERO, |c| v(c.amount));
            assert_eq!(
                amount,
                by_code.get(&code).copied().unwrap_or_default(),
                "{code} {cycle}"
            );
            analysed += amount;
        }
        assert_eq!(analysed, v(sum.consume_amount));
    }
    for group in &by_service {
        assert_eq!(
            group.costs.iter().map(|c| v(c.amount)).sum::<Decimal>(),
            v(group.amount_by_costs)
        );
        assert!(v(group.official_amount_by_costs) >= v(group.amount_by_costs));
    }
    // Pages with the real total.
    let page = cost_analysis(
        &client,
        json!({"time_condition": {"time_measure_id": 2, "begin_time": "2023-07", "end_time": "2024-05"},
               "groupby": [{"type": "dimension", "key": "CLOUD_SERVICE_TYPE"}],
               "cost_type": "ORIGINAL_COST", "amount_type": "PAYMENT_AMOUNT", "offset": 3, "limit": 3}),
    )
    .await;
    assert_eq!(page.total_count, Some(by_service.len() as i32));
    assert_eq!(page.cost_data, by_service[3..6].to_vec());
    let grand: Decimal = by_service.iter().map(|g| v(g.amount_by_costs)).sum();

    // Include or exclude a charging mode.
    let mode = json!([{"type": "dimension", "key": "CHARGING_MODE"}]);
    let only = all_costs(
        &client,
        request(
            mode.clone(),
            json!([{"operator": 0, "filter_factor": {"key": "CHARGING_MODE", "value": ["1"]}}]),
            "PAYMENT_AMOUNT",
        ),
    )
    .await;
    let except = all_costs(
        &client,
        request(
            mode,
            json!([{"operator": 1, "filter_factor": {"key": "CHARGING_MODE", "value": ["1"]}}]),
            "PAYMENT_AMOUNT",
        ),
    )
    .await;
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].dimensions[0].value.as_deref(), Some("1"));
    assert_eq!(except.len(), 1);
    assert_eq!(except[0].dimensions[0].value.as_deref(), Some("3"));
    assert_eq!(
        v(only[0].amount_by_costs) + v(except[0].amount_by_costs),
        grand
    );
    // The net amount leaves out what coupons paid.
    let net: Decimal = all_costs(&client, request(json!([]), json!([]), "NET_AMOUNT"))
        .await
        .iter()
        .map(|g| v(g.amount_by_costs))
        .sum();
    let mut coupons = Decimal::ZERO;
    for cycle in MONTHS {
        coupons += v(monthly_sum(
            &client,
            cycle,
            costs::ShowCustomerMonthlySumMethod::All,
            None,
        )
        .await
        .coupon_amount);
    }
    assert!(coupons > Decimal::ZERO);
    assert_eq!(grand - net, coupons);
    // By day: the days of a month add up to the month.
    let days = cost_analysis(
        &client,
        json!({"time_condition": {"time_measure_id": 1, "begin_time": "2024-03-01", "end_time": "2024-03-31"},
               "groupby": [], "cost_type": "ORIGINAL_COST", "amount_type": "PAYMENT_AMOUNT"}),
    )
    .await;
    assert_eq!(days.cost_data[0].costs.len(), 31);
    assert_eq!(days.cost_data[0].costs[0].time_measure_id, Some(1));
    let march = monthly_sum(
        &client,
        "2024-03",
        costs::ShowCustomerMonthlySumMethod::All,
        None,
    )
    .await;
    assert_eq!(
        v(days.cost_data[0].amount_by_costs),
        v(march.consume_amount)
    );
    // By cost tag, and filtered by one.
    let tags = all_costs(
        &client,
        json!({"time_condition": {"time_measure_id": 2, "begin_time": "2024-03", "end_time": "2024-03"},
               "groupby": [{"type": "tag", "key": "env"}], "cost_type": "ORIGINAL_COST",
               "amount_type": "PAYMENT_AMOUNT"}),
    )
    .await;
    let values: BTreeSet<_> = tags
        .iter()
        .map(|g| g.dimensions[0].value.clone().unwrap())
        .collect();
    assert!(values.contains("env:prod"), "{values:?}");
    assert!(values.iter().all(|t| t.is_empty() || t.starts_with("env:")));
    let prod = cost_analysis(
        &client,
        json!({"time_condition": {"time_measure_id": 2, "begin_time": "2024-03", "end_time": "2024-03"},
               "groupby": [], "cost_type": "ORIGINAL_COST", "amount_type": "PAYMENT_AMOUNT",
               "filters": [{"operator": 0, "filter_factor": {"key": "RESOURCE_TAG", "value": ["env:prod"]}}]}),
    )
    .await;
    let tagged: Decimal = client
        .costs()
        .list_customerself_resource_records()
        .cycle("2024-03")
        .items(all())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.resource_tag.as_deref() == Some("env=prod"))
        .map(|r| v(r.amount))
        .sum();
    assert_eq!(v(prod.cost_data[0].amount_by_costs), tagged);
    let group = tags
        .iter()
        .find(|g| g.dimensions[0].value.as_deref() == Some("env:prod"))
        .unwrap();
    assert_eq!(v(group.amount_by_costs), tagged);
    // Unknown dimensions are refused.
    let bad: costs::ListCostsReq = serde_json::from_value(request(
        json!([{"type": "dimension", "key": "COLOUR"}]),
        json!([]),
        "PAYMENT_AMOUNT",
    ))
    .unwrap();
    let err = failure(list_costs(&client, |r| r.body(bad)).await);
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn bandwidth_bills_come_from_their_usage_points() {
    let (_sandbox, client) = start().await;
    let summary = |cycle: &str, service: &str, kind: &str, usage: &str| {
        client
            .costs()
            .list_resource_usage_summary()
            .bill_cycle(cycle)
            .service_type_code(service)
            .resource_type_code(kind)
            .usage_type(usage)
            .send()
    };
    let cdn = summary(
        "2024-03",
        "hws.service.type.cdn",
        "hws.resource.type.cdn",
        "95Peak",
    )
    .await
    .unwrap()
    .into_inner();
    assert!(cdn.total_count.unwrap() >= 1);
    assert_eq!(
        cdn.summary_usage_info_list.len() as i32,
        cdn.total_count.unwrap()
    );
    let records = fee_records(&client, "2024-03").await;
    for resource in &cdn.summary_usage_info_list {
        let id = resource.resource_id.clone().unwrap();
        let band = v(resource.band_width);
        let days = v(resource.actual_days);
        assert!(band > Decimal::ZERO);
        assert_eq!(resource.band_width_measure_id, Some(42));
        assert!(
            resource.monthly_peak_band_width.is_none(),
            "only for 95peak_plus"
        );
        let points: Vec<costs::StatUsageInfo> = client
            .costs()
            .list_resource_usage()
            .bill_cycle("2024-03")
            .service_type_code("hws.service.type.cdn")
            .resource_type_code("hws.resource.type.cdn")
            .usage_type("95Peak")
            .resource_id(id.as_str())
            .items(all())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            Decimal::from(points.len() as i64),
            days * Decimal::from(288)
        );
        assert_eq!(
            points[1].stat_time.as_deref().map(|t| &t[14..16]),
            Some("05"),
            "every 5 minutes"
        );
        // The 95th percentile: the highest point once the top 5% are dropped.
        let mut values: Vec<Decimal> = points.iter().map(|p| v(p.usage)).collect();
        values.sort_by(|a, b| b.cmp(a));
        assert_eq!(values[values.len() * 5 / 100], band);
        // The month's bill charges that bandwidth.
        let bill: Vec<_> = records
            .iter()
            .filter(|r| r.resource_id.as_deref() == Some(id.as_str()))
            .collect();
        assert_eq!(bill.len(), 1);
        assert_eq!(v(bill[0].usage), band);
        assert_eq!(bill[0].usage_type.as_deref(), Some("95Peak"));
        assert_eq!(bill[0].usage_measure_id, Some(42));
    }
    // Enhanced 95th percentile reports guaranteed and peak bandwidth.
    let plus = summary(
        "2024-03",
        "hws.service.type.cdn",
        "hws.resource.type.cdn",
        "95peak_plus",
    )
    .await
    .unwrap()
    .into_inner();
    for r in &plus.summary_usage_info_list {
        assert!(v(r.monthly_peak_band_width) >= v(r.band_width));
        assert!(r.monthly_guaranteed_band_width.is_some());
    }
    let vpc = summary(
        "2024-03",
        "hws.service.type.vpc",
        "hws.resource.type.bandwidth",
        "bandwidth95peak",
    )
    .await
    .unwrap()
    .into_inner();
    assert!(vpc.total_count.unwrap() >= 1);
    assert_eq!(
        summary(
            "2024-03",
            "hws.service.type.vpc",
            "hws.resource.type.bandwidth",
            "95peak_1000"
        )
        .await
        .unwrap()
        .into_inner()
        .total_count,
        Some(0)
    );
    // May is not settled yet (after the 2nd of June): points, but no monthly values.
    let may = summary(
        "2024-05",
        "hws.service.type.cdn",
        "hws.resource.type.cdn",
        "95Peak",
    )
    .await
    .unwrap()
    .into_inner();
    assert!(!may.summary_usage_info_list.is_empty());
    assert!(
        may.summary_usage_info_list
            .iter()
            .all(|r| r.band_width.is_none())
    );
    let id = may.summary_usage_info_list[0].resource_id.clone().unwrap();
    let details = list_resource_usage(&client, |r| {
        r.bill_cycle("2024-05")
            .service_type_code("hws.service.type.cdn")
            .resource_type_code("hws.resource.type.cdn")
            .usage_type("95Peak")
            .resource_id(id.as_str())
            .offset(288)
            .limit(12)
    })
    .await
    .unwrap()
    .into_inner();
    assert!(details.band_width.is_none());
    assert_eq!(details.total_count, Some(31 * 288));
    assert_eq!(details.usage_info_list.len(), 12);
    assert_eq!(
        details.usage_info_list[0].stat_time.as_deref(),
        Some("2024-05-01T16:00:00Z")
    );
    // Unknown resources and services.
    let err = failure(
        list_resource_usage(&client, |r| {
            r.bill_cycle("2024-03")
                .service_type_code("hws.service.type.cdn")
                .resource_type_code("hws.resource.type.cdn")
                .usage_type("95Peak")
                .resource_id("cdn-nothing.example.com")
        })
        .await,
    );
    assert_eq!(
        (err.status(), err.code()),
        (Some(400), Some("CBC.99003012"))
    );
    let err = failure(
        summary(
            "2024-03",
            "hws.service.type.ec2",
            "hws.resource.type.cdn",
            "95Peak",
        )
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

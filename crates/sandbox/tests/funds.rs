//! The funds group in the sandbox, through the real client: income/expense records that replay
//! to the balances and pay exactly what the bills say was paid from each account, coupon records
//! and cards, incentive policies and business discounts.

use std::collections::BTreeMap;

use futures::TryStreamExt;
use huaweicloud_bss::funds::types as funds;
use huaweicloud_bss::{Client, Decimal};
use serde_json::json;

mod common;

use common::{
    all,
    catalog::list_service_types,
    costs::{list_customer_bills_fee_records, own_sum},
    d, failure,
    funds::{
        list_business_discount_info, list_incentive_discount_policies, list_stored_value_cards,
    },
    pages_of, start, v,
};
const MONTHS: [&str; 11] = [
    "2023-07", "2023-08", "2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02",
    "2024-03", "2024-04", "2024-05",
];
async fn change_total(
    request: huaweicloud_bss::funds::builder::ListCustomerAccountChangeRecords<'_>,
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

async fn cash_records(
    client: &Client,
    balance: funds::ListCustomerAccountChangeRecordsBalanceType,
) -> Vec<funds::CustomerAccountChangeRecord> {
    client
        .funds()
        .list_customer_account_change_records()
        .balance_type(balance)
        .items(all())
        .try_collect()
        .await
        .unwrap()
}

async fn coupon_records(client: &Client) -> Vec<funds::CustomerCouponChangeRecord> {
    client
        .funds()
        .list_customer_coupon_change_records()
        .balance_type(funds::ListCustomerCouponChangeRecordsBalanceType::BalanceTypeCoupon)
        .items(all())
        .try_collect()
        .await
        .unwrap()
}

fn consumption(detail: &Option<String>) -> bool {
    matches!(
        detail.as_deref(),
        Some(
            "SOURCE_OPERAIION_USAGE" | "SOURCE_OPERAIION_DEDEUCT" | "SOURCE_OPERAIION_UNSUBSCRIBE"
        )
    )
}

#[tokio::test]
async fn balances_replay_the_income_and_expense_records() {
    let (_sandbox, client) = start().await;
    let balances = client
        .funds()
        .show_customer_account_balances()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(balances.currency.as_deref(), Some("CNY"));
    assert_eq!(v(balances.debt_amount), Decimal::ZERO);
    let cash = &balances.account_balances[0];
    let credit = &balances.account_balances[1];
    assert_eq!((cash.account_type, credit.account_type), (Some(1), Some(2)));
    assert!(v(cash.amount) > Decimal::ZERO);
    assert_eq!(v(credit.credit_amount), d("10000"));

    use funds::ListCustomerAccountChangeRecordsBalanceType as Balance;
    for (account, balance) in [
        (cash, Balance::BalanceTypeDebit),
        (credit, Balance::BalanceTypeCredit),
    ] {
        let records = cash_records(&client, balance).await;
        assert!(records.len() > 100, "{balance:?}: {}", records.len());
        // Newest first: the newest record leaves the account at its balance.
        assert_eq!(v(records[0].balance_after_change), v(account.amount));
        for pair in records.windows(2) {
            let (newer, older) = (&pair[0], &pair[1]);
            assert!(older.trade_time <= newer.trade_time);
            assert_eq!(
                v(older.balance_after_change) + v(newer.change_amount),
                v(newer.balance_after_change),
                "{newer:?}"
            );
            assert!(v(newer.balance_after_change) >= Decimal::ZERO);
            let revenue = v(newer.change_amount) > Decimal::ZERO;
            assert_eq!(
                newer.revenue_expense_type.as_deref(),
                Some(if revenue { "REVENUE" } else { "EXPENSE" })
            );
        }
        let oldest = records.last().unwrap();
        assert_eq!(v(oldest.change_amount), v(oldest.balance_after_change));
    }
    // The credit line was granted first, and is repaid every month.
    let credit_records = cash_records(&client, Balance::BalanceTypeCredit).await;
    let oldest = credit_records.last().unwrap();
    assert_eq!(v(oldest.change_amount), d("10000"));
    assert_eq!(
        oldest.trade_detail_type.as_deref(),
        Some("SOURCE_OPERAIION_ADJUST_CREDIT")
    );
    assert!(
        credit_records
            .iter()
            .any(|r| r.trade_detail_type.as_deref() == Some("SOURCE_OPERAIION_RECHARGE"))
    );

    // Each coupon's records follow from one another.
    let coupons = coupon_records(&client).await;
    let mut by_coupon: BTreeMap<String, Vec<&funds::CustomerCouponChangeRecord>> = BTreeMap::new();
    for r in &coupons {
        by_coupon
            .entry(r.coupon_id.clone().unwrap())
            .or_default()
            .push(r);
    }
    assert_eq!(by_coupon.len(), 8);
    for records in by_coupon.values() {
        let first = records.last().unwrap();
        assert_eq!(
            first.trade_detail_type.as_deref(),
            Some("SOURCE_OPERAIION_PRIZE")
        );
        assert_eq!(v(first.change_amount), v(first.balance_after_change));
        for pair in records.windows(2) {
            assert_eq!(
                v(pair[1].balance_after_change) + v(pair[0].change_amount),
                v(pair[0].balance_after_change)
            );
        }
        if records[0].trade_detail_type.as_deref() == Some("SOURCE_OPERAIION_EXPIRECLEAR") {
            assert_eq!(v(records[0].balance_after_change), Decimal::ZERO);
        }
    }
}

#[tokio::test]
async fn payments_are_what_the_bills_say() {
    let (_sandbox, client) = start().await;
    use funds::ListCustomerAccountChangeRecordsBalanceType as Balance;
    let cash = cash_records(&client, Balance::BalanceTypeDebit).await;
    let credit = cash_records(&client, Balance::BalanceTypeCredit).await;
    let coupons = coupon_records(&client).await;
    let spent = |records: &[funds::CustomerAccountChangeRecord], cycle: &str| {
        -records
            .iter()
            .filter(|r| r.bill_cycle.as_deref() == Some(cycle) && consumption(&r.trade_detail_type))
            .map(|r| v(r.change_amount))
            .sum::<Decimal>()
    };
    let mut cards = Decimal::ZERO;
    let mut used_credit = false;
    for cycle in MONTHS {
        let sum = own_sum(&client, cycle).await;
        assert_eq!(spent(&cash, cycle), v(sum.cash_amount), "{cycle}");
        assert_eq!(spent(&credit, cycle), v(sum.credit_amount), "{cycle}");
        used_credit |= v(sum.credit_amount) > Decimal::ZERO;
        let by_coupon: Decimal = -coupons
            .iter()
            .filter(|r| {
                r.bill_cycle.as_deref() == Some(cycle)
                    && r.trade_detail_type.as_deref() == Some("SOURCE_OPERAIION_DEDEUCT")
            })
            .map(|r| v(r.change_amount))
            .sum::<Decimal>();
        assert_eq!(by_coupon, v(sum.coupon_amount), "{cycle}");
        cards += v(sum.stored_value_card_amount);
    }
    assert!(used_credit);
    // What the stored-value cards lost is what the bills say they paid.
    let mut spent_on_cards = Decimal::ZERO;
    let mut listed = 0;
    for status in [1, 2] {
        let found = list_stored_value_cards(&client, |r| r.status(status))
            .await
            .unwrap()
            .into_inner();
        for card in &found.stored_value_cards {
            assert_eq!(card.status, Some(status as i32));
            assert_eq!(v(card.balance) > Decimal::ZERO, status == 1);
            spent_on_cards += v(card.face_value) - v(card.balance);
        }
        listed += found.total_count.unwrap();
    }
    assert_eq!(listed, 3);
    assert!(cards > Decimal::ZERO);
    assert_eq!(spent_on_cards, cards);
    // A deduction names its bill: the same trade id is in the transaction records.
    let deduction = cash
        .iter()
        .find(|r| r.trade_detail_type.as_deref() == Some("SOURCE_OPERAIION_USAGE"))
        .unwrap();
    let flows = list_customer_bills_fee_records(&client, |r| {
        r.bill_cycle(deduction.bill_cycle.clone().unwrap().as_str())
            .trade_id(deduction.trade_id.clone().unwrap().as_str())
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(flows.total_count, Some(1));
    assert_eq!(v(flows.records[0].cash_amount), -v(deduction.change_amount));
}

#[tokio::test]
async fn income_and_expense_records_filter_and_page() {
    let (_sandbox, client) = start().await;
    use funds::ListCustomerAccountChangeRecordsBalanceType as Balance;
    let records = cash_records(&client, Balance::BalanceTypeDebit).await;
    let list = || {
        client
            .funds()
            .list_customer_account_change_records()
            .balance_type(Balance::BalanceTypeDebit)
    };
    let small: Vec<_> = list().items(pages_of(37)).try_collect().await.unwrap();
    assert_eq!(small, records);
    let page = list()
        .offset(10)
        .limit(10)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.total_count, Some(records.len() as i32));
    assert_eq!(page.records, records[10..20].to_vec());
    let count = |f: &dyn Fn(&funds::CustomerAccountChangeRecord) -> bool| {
        records.iter().filter(|r| f(r)).count() as i32
    };

    let recharges: Vec<funds::CustomerAccountChangeRecord> = list()
        .trade_type("RECHARGE")
        .items(all())
        .try_collect()
        .await
        .unwrap();
    assert!(recharges.len() > 10);
    assert!(recharges.iter().all(|r| v(r.change_amount) > Decimal::ZERO
        && r.payment_channel_id.is_some()
        && r.payment_channel_no.is_some()));
    assert_eq!(
        recharges.len() as i32,
        count(&|r| r.trade_detail_type.as_deref() == Some("SOURCE_OPERAIION_RECHARGE"))
    );
    let expenses = count(&|r| r.revenue_expense_type.as_deref() == Some("EXPENSE"));
    assert!(expenses > 1_000);
    assert_eq!(
        change_total(list().revenue_expense_type(
            funds::ListCustomerAccountChangeRecordsRevenueExpenseType::Expense
        ))
        .await,
        expenses
    );
    assert_eq!(
        change_total(list().trade_type("DEDEUCT")).await,
        count(&|r| matches!(
            r.trade_detail_type.as_deref(),
            Some("SOURCE_OPERAIION_USAGE" | "SOURCE_OPERAIION_DEDEUCT")
        ))
    );
    let channels: Vec<funds::CustomerAccountChangeRecord> = list()
        .payment_channel_id("1,5")
        .items(all())
        .try_collect()
        .await
        .unwrap();
    assert!(!channels.is_empty());
    assert!(
        channels
            .iter()
            .all(|r| matches!(r.payment_channel_id.as_deref(), Some("1" | "5")))
    );
    assert_eq!(
        channels.len() as i32,
        count(&|r| matches!(r.payment_channel_id.as_deref(), Some("1" | "5")))
    );
    let serial = recharges[0].payment_channel_no.clone().unwrap();
    let one = list()
        .payment_channel_no(serial.as_str())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(one.records, vec![recharges[0].clone()]);
    let trade = records[5].trade_id.clone().unwrap();
    let by_trade = list()
        .trade_id(trade.as_str())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(by_trade.records, vec![records[5].clone()]);
    // Days are UTC+8: March is 2024-02-29T16:00Z to 2024-03-31T16:00Z.
    let march = count(&|r| {
        let t = r.trade_time.as_deref().unwrap();
        ("2024-02-29T16:00:00Z".."2024-03-31T16:00:00Z").contains(&t)
    });
    assert!(march > 100);
    assert_eq!(
        change_total(
            list()
                .trade_time_begin("2024-03-01")
                .trade_time_end("2024-03-31")
        )
        .await,
        march
    );
    for bad in [
        list().trade_type("GIFT"),
        list().trade_time_begin("2024/03/01"),
    ] {
        let err = failure(bad.send().await);
        assert_eq!((err.status(), err.code()), (Some(400), Some("CBC.0100")));
    }
}

#[tokio::test]
async fn coupon_records_and_cards_filter() {
    let (_sandbox, client) = start().await;
    let records = coupon_records(&client).await;
    let list = || {
        client
            .funds()
            .list_customer_coupon_change_records()
            .balance_type(funds::ListCustomerCouponChangeRecordsBalanceType::BalanceTypeCoupon)
    };
    let activations = list()
        .trade_type("ADJUST")
        .limit(100)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(activations.total_count, Some(8));
    assert!(activations.records.iter().all(|r| {
        r.revenue_expense_type.as_deref() == Some("REVENUE")
            && r.change_amount == r.balance_after_change
    }));
    let expired = list()
        .trade_type("EXPIRED")
        .limit(100)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(
        expired
            .records
            .iter()
            .all(|r| v(r.balance_after_change).is_zero() && v(r.change_amount) < Decimal::ZERO)
    );
    let spent = list()
        .revenue_expense_type(funds::ListCustomerCouponChangeRecordsRevenueExpenseType::Expense)
        .limit(1)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        spent.total_count.unwrap() as usize,
        records.len() - 8,
        "every record but the activations is an expense"
    );
    let id = activations.records[3].coupon_id.clone().unwrap();
    let one: Vec<_> = list()
        .coupon_id(id.as_str())
        .items(all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        one,
        records
            .iter()
            .filter(|r| r.coupon_id.as_deref() == Some(id.as_str()))
            .cloned()
            .collect::<Vec<_>>()
    );
    let may: Vec<_> = list()
        .trade_time_begin("2024-05-01")
        .trade_time_end("2024-05-31")
        .items(all())
        .try_collect()
        .await
        .unwrap();
    assert!(!may.is_empty());
    assert!(may.len() < records.len());
    assert!(
        may.iter()
            .all(|r| r.trade_time.as_deref().unwrap() >= "2024-04-30T16:00:00Z")
    );
    let page = list().offset(2).limit(3).send().await.unwrap().into_inner();
    assert_eq!(page.records, records[2..5].to_vec());
    let err = failure(list().trade_type("RECHARGE").send().await);
    assert_eq!(err.code(), Some("CBC.0100"));

    // Stored-value cards: usable ones have a balance; a card id filters.
    let usable = list_stored_value_cards(&client, |r| r.status(1u32))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(usable.total_count, Some(1));
    let card = &usable.stored_value_cards[0];
    assert!(v(card.balance) > Decimal::ZERO && v(card.balance) < v(card.face_value));
    let id = card.card_id.clone().unwrap();
    let by_id = list_stored_value_cards(&client, |r| r.status(1u32).card_id(id.as_str()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(by_id.stored_value_cards, usable.stored_value_cards);
    let none = list_stored_value_cards(&client, |r| r.status(2u32).card_id(id.as_str()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(none.total_count, Some(0));
}

#[tokio::test]
async fn incentive_policies_follow_the_month() {
    let (_sandbox, client) = start().await;
    let services = list_service_types(&client, |r| r.limit(1000))
        .await
        .unwrap()
        .into_inner()
        .total_count
        .unwrap();
    let policies = |time: &str| {
        client
            .funds()
            .list_incentive_discount_policies()
            .time(time)
            .limit(100)
            .send()
    };
    let now = policies("2024-05").await.unwrap().into_inner();
    assert_eq!(now.total_count, Some(services));
    assert!(now.policies.iter().all(|p| {
        matches!(p.incentive_policy.as_deref(), Some("0" | "1" | "2" | "13"))
            && matches!(p.allow_discount.as_deref(), Some("YES" | "NO"))
    }));
    let first = policies("2023-01").await.unwrap().into_inner();
    assert_eq!(first.total_count, Some(services));
    assert_ne!(
        first.policies, now.policies,
        "some policies changed since 2023-01"
    );
    assert_eq!(
        policies("2022-12").await.unwrap().into_inner().total_count,
        Some(0)
    );
    let ecs = list_incentive_discount_policies(&client, |r| {
        r.time("2024-05").service_type_code("hws.service.type.ec2")
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(ecs.total_count, Some(1));
    assert_eq!(
        ecs.policies[0],
        now.policies
            .iter()
            .find(|p| p.service_type_code.as_deref() == Some("hws.service.type.ec2"))
            .unwrap()
            .clone()
    );
    let page = list_incentive_discount_policies(&client, |r| r.time("2024-05").offset(4).limit(3))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.total_count, Some(services));
    assert_eq!(page.policies, now.policies[4..7].to_vec());
    let err = failure(policies("May 2024").await);
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn business_discounts_filter_and_page() {
    let (_sandbox, client) = start().await;
    let query = |request: serde_json::Value| {
        let request: funds::BusinessDiscountQueryReq = serde_json::from_value(request).unwrap();
        let client = client.clone();
        async move {
            list_business_discount_info(&client, |r| r.body(request))
                .await
                .unwrap()
                .into_inner()
        }
    };
    let products = query(json!({"quoting_item_type": "PRODUCT_ITEM"})).await;
    assert_eq!(products.total_count, Some(16));
    assert_eq!(
        products.product_quoting_items.len(),
        16,
        "default page of 20"
    );
    assert!(products.category_quoting_items.is_empty());
    assert!(products.commerce_id.is_some());
    assert_eq!(products.sites.len(), 2);
    let cdn = products
        .product_quoting_items
        .iter()
        .find(|i| i.cloud_service_type.as_deref() == Some("hws.service.type.cdn"))
        .unwrap();
    assert_eq!(cdn.product_quoting_item_steps.len(), 3);
    assert_eq!(cdn.preferential_category, Some(1));
    // Case-insensitive filters.
    let ecs = query(json!({"quoting_item_type": "PRODUCT_ITEM",
                           "cloud_service_types": ["HWS.SERVICE.TYPE.EC2"]}))
    .await;
    assert_eq!(ecs.total_count, Some(3));
    let hk = query(json!({"quoting_item_type": "PRODUCT_ITEM", "site_code": "hwc_hk"})).await;
    assert_eq!(hk.total_count, Some(2));
    assert_eq!(hk.sites.len(), 1);
    assert!(
        hk.product_quoting_items
            .iter()
            .all(|i| i.site_code.as_deref() == Some("HWC_HK"))
    );
    let monthly = query(json!({"quoting_item_type": "PRODUCT_ITEM",
                               "charging_modes": ["monthly", "1_yearly"]}))
    .await;
    assert_eq!(
        monthly.total_count,
        Some(
            products
                .product_quoting_items
                .iter()
                .filter(|i| matches!(i.charging_mode.as_deref(), Some("MONTHLY" | "1_YEARLY")))
                .count() as i32
        )
    );
    let page = query(json!({"quoting_item_type": "PRODUCT_ITEM", "offset": 5, "limit": 4})).await;
    assert_eq!(page.total_count, Some(16));
    assert_eq!(
        page.product_quoting_items,
        products.product_quoting_items[5..9].to_vec()
    );
    // Category items come with their steps.
    let categories = query(json!({"quoting_item_type": "CATEGORY_ITEM"})).await;
    assert_eq!(categories.total_count, Some(8));
    assert_eq!(categories.category_quoting_items.len(), 8);
    assert_eq!(categories.category_quoting_item_steps.len(), 3);
    assert_eq!(
        categories.accumulation_cycle_type.as_deref(),
        Some("YEARLY")
    );
    assert!(categories.product_quoting_items.is_empty());
    let obs = query(json!({"quoting_item_type": "CATEGORY_ITEM",
                           "cloud_service_types": ["hws.service.type.obs"], "limit": 2}))
    .await;
    assert_eq!(obs.total_count, Some(4));
    assert_eq!(obs.category_quoting_items.len(), 2);
}

//! The international-site operations, the customer's own real-name operations and the marker
//! paging of ListResourceSpecs in the sandbox, through the real client: freezing and unfreezing
//! show in ListSubCustomers with per-item failures, budget updates show in the budget, the batch
//! query and the adjustment records, the partner's bills, quotas and invoices agree with each
//! other, and invoices page by page number.

use std::num::NonZeroU32;

use futures::TryStreamExt;
use huaweicloud_bss::catalog::types as catalog;
use huaweicloud_bss::customers::types as customers;
use huaweicloud_bss::intl::types as intl;
use huaweicloud_bss::{Client, Decimal, Error, PageOptions, Site};
use huaweicloud_bss_sandbox::Running;
use serde_json::json;

const NOW: &str = "2024-06-01T00:00:00Z";

mod common;

use common::{
    bills::list_sub_customer_bill_detail,
    catalog::list_resource_specs,
    customers::list_sub_customers,
    d as dec, failure,
    intl::{
        freeze_sub_customers, list_postpaid_bill_sum, list_sub_customer_budget,
        list_sub_customer_budget_records, show_sub_customer_budget, unfreeze_sub_customers,
        update_sub_customer_budget,
    },
    new_customer, pages_of,
};
/// A sandbox and an international-site client of it.
async fn start() -> (Running, Client) {
    let sandbox = common::sandbox().await;
    let client = common::client_on(&sandbox, Site::International);
    (sandbox, client)
}

fn all() -> PageOptions {
    PageOptions::default()
}

/// Every customer of the partner, or of a reseller.
async fn sub_customers(
    client: &Client,
    reseller: Option<&str>,
) -> Vec<customers::CustomerInformation> {
    let mut filter = json!({});
    if let Some(r) = reseller {
        filter["indirect_partner_id"] = json!(r);
    }
    let request: customers::QuerySubCustomerListReq = serde_json::from_value(filter).unwrap();
    client
        .customers()
        .list_sub_customers()
        .body(request)
        .items(all())
        .try_collect()
        .await
        .unwrap()
}

async fn frozen(client: &Client, id: &str, reseller: Option<&str>) -> Option<i32> {
    let mut filter = json!({ "customer_id": id });
    if let Some(r) = reseller {
        filter["indirect_partner_id"] = json!(r);
    }
    let request: customers::QuerySubCustomerListReq = serde_json::from_value(filter).unwrap();
    let found = list_sub_customers(client, |r| r.body(request))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(found.count, Some(1), "customer {id}");
    found.customer_infos[0].is_frozen
}

fn failed(details: &[intl::CustomerErrorDetail]) -> Vec<(String, String)> {
    details
        .iter()
        .map(|e| {
            (
                e.id.clone().unwrap_or_default(),
                e.error_code.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn pair(id: &str, code: &str) -> (String, String) {
    (id.to_string(), code.to_string())
}

async fn freeze(
    client: &Client,
    ids: &[&str],
    kind: Option<intl::FreezeSubCustomersReqFreezeType>,
    reseller: Option<&str>,
) -> Result<Vec<(String, String)>, Error> {
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let reseller = reseller.map(|r| r.try_into().unwrap());
    freeze_sub_customers(client, |r| {
        r.body_map(|b| {
            b.customer_ids(ids)
                .reason("Arrears over 30 days")
                .freeze_type(kind)
                .indirect_partner_id(reseller)
        })
    })
    .await
    .map(|r| failed(&r.into_inner().error_details))
}

async fn unfreeze(
    client: &Client,
    ids: &[&str],
    kind: Option<intl::UnfreezeSubCustomersReqUnfreezeType>,
    reseller: Option<&str>,
) -> Vec<(String, String)> {
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let reseller = reseller.map(|r| r.try_into().unwrap());
    let answer = unfreeze_sub_customers(client, |r| {
        r.body_map(|b| {
            b.customer_ids(ids)
                .reason("Arrears settled")
                .unfreeze_type(kind)
                .indirect_partner_id(reseller)
        })
    })
    .await
    .unwrap()
    .into_inner();
    failed(&answer.error_details)
}

#[tokio::test]
async fn freezing_shows_in_list_sub_customers_and_unfreezing_reverts_it() {
    let (_sandbox, client) = start().await;
    let direct = sub_customers(&client, None).await;
    let resale: Vec<&str> = direct
        .iter()
        .filter(|c| c.association_type.as_deref() == Some("2"))
        .map(|c| c.customer_id.as_deref().unwrap())
        .take(2)
        .collect();
    let referral = direct
        .iter()
        .find(|c| c.association_type.as_deref() == Some("1"))
        .unwrap()
        .customer_id
        .as_deref()
        .unwrap();
    let (a, b) = (resale[0], resale[1]);
    assert_eq!(frozen(&client, a, None).await, Some(0));

    let errors = freeze(
        &client,
        &[a, b, referral, "not-a-customer"],
        Some(intl::FreezeSubCustomersReqFreezeType::Account),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        errors,
        vec![
            pair(referral, "CBC.99000035"),
            pair("not-a-customer", "CBC.99000035")
        ]
    );
    assert_eq!(frozen(&client, a, None).await, Some(1));
    assert_eq!(frozen(&client, b, None).await, Some(1));
    assert_eq!(frozen(&client, referral, None).await, Some(0));

    // Already frozen; and the unfreeze type must match the freeze type.
    let again = freeze(&client, &[a], None, None).await.unwrap();
    assert_eq!(again, vec![pair(a, "CBC.0150")]);
    let mismatch = unfreeze(
        &client,
        &[a],
        Some(intl::UnfreezeSubCustomersReqUnfreezeType::AccountAndResource),
        None,
    )
    .await;
    assert_eq!(mismatch, vec![pair(a, "CBC.0150")]);
    assert_eq!(frozen(&client, a, None).await, Some(1));

    assert_eq!(unfreeze(&client, &[a, b], None, None).await, vec![]);
    assert_eq!(frozen(&client, a, None).await, Some(0));
    assert_eq!(frozen(&client, b, None).await, Some(0));
    assert_eq!(
        unfreeze(&client, &[b], None, None).await,
        vec![pair(b, "CBC.0150")]
    );
}

#[tokio::test]
async fn a_resellers_customer_is_frozen_with_its_reseller_id() {
    let (_sandbox, client) = start().await;
    let resellers: Vec<String> = client
        .customers()
        .list_indirect_partners()
        .send()
        .await
        .unwrap()
        .into_inner()
        .indirect_partners
        .into_iter()
        .filter_map(|p| p.indirect_partner_id)
        .collect();
    let mut target = None;
    for reseller in &resellers {
        let theirs = sub_customers(&client, Some(reseller)).await;
        if let Some(c) = theirs
            .iter()
            .find(|c| c.association_type.as_deref() == Some("2"))
        {
            target = Some((reseller.clone(), c.customer_id.clone().unwrap()));
            break;
        }
    }
    let (reseller, id) = target.unwrap();

    // Not the partner's own customer.
    let errors = freeze(&client, &[&id], None, None).await.unwrap();
    assert_eq!(errors, vec![pair(&id, "CBC.99000035")]);

    let errors = freeze(
        &client,
        &[&id],
        Some(intl::FreezeSubCustomersReqFreezeType::AccountAndResource),
        Some(&reseller),
    )
    .await
    .unwrap();
    assert!(errors.is_empty());
    assert_eq!(frozen(&client, &id, Some(&reseller)).await, Some(2));
    let errors = unfreeze(
        &client,
        &[&id],
        Some(intl::UnfreezeSubCustomersReqUnfreezeType::AccountAndResource),
        Some(&reseller),
    )
    .await;
    assert!(errors.is_empty());
    assert_eq!(frozen(&client, &id, Some(&reseller)).await, Some(0));

    let unknown = failure(freeze(&client, &[&id], None, Some("not-a-reseller")).await);
    assert_eq!(unknown.status(), Some(400));
    assert_eq!(unknown.code(), Some("CBC.99000037"));
}

async fn budget(client: &Client, id: &str) -> intl::ShowSubCustomerBudgetResponse {
    show_sub_customer_budget(client, |r| r.customer_id(id))
        .await
        .unwrap()
        .into_inner()
}

async fn records(client: &Client, id: &str, page_size: u32) -> (i32, Vec<intl::BudgetRecordInfo>) {
    let total = list_sub_customer_budget_records(client, |r| r.customer_id(id))
        .await
        .unwrap()
        .into_inner()
        .total_count
        .unwrap();
    let items = client
        .intl()
        .list_sub_customer_budget_records()
        .customer_id(id)
        .items(pages_of(page_size))
        .try_collect()
        .await
        .unwrap();
    (total, items)
}

async fn set_budget(
    client: &Client,
    id: &str,
    amount: &str,
    build: impl FnOnce(intl::builder::ModSubCustomerBudgetReq) -> intl::builder::ModSubCustomerBudgetReq,
) -> Result<(), Error> {
    update_sub_customer_budget(client, |r| {
        r.body_map(|b| build(b.customer_id(id).budget_amount(amount)))
    })
    .await
    .map(|_| ())
}

#[tokio::test]
async fn budgets_are_listed_for_reseller_model_customers_and_updates_are_recorded() {
    let (_sandbox, client) = start().await;
    let direct = sub_customers(&client, None).await;
    let mut ids: Vec<String> = direct
        .iter()
        .take(60)
        .map(|c| c.customer_id.clone().unwrap())
        .collect();
    ids.push("not-a-customer".to_string());
    let listed = list_sub_customer_budget(&client, |r| r.body_map(|b| b.customer_ids(ids.clone())))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.currency.as_deref(), Some("USD"));
    assert_eq!(listed.measure_id, Some(1));
    let resale: Vec<&str> = direct
        .iter()
        .take(60)
        .filter(|c| c.association_type.as_deref() == Some("2"))
        .map(|c| c.customer_id.as_deref().unwrap())
        .collect();
    let found: Vec<&str> = listed
        .budget_infos
        .iter()
        .map(|b| b.customer_id.as_deref().unwrap())
        .collect();
    // Only reseller-model customers, in the order asked, and not every one has a budget.
    assert!(!found.is_empty() && found.len() < resale.len());
    let in_order: Vec<&str> = resale
        .iter()
        .copied()
        .filter(|id| found.contains(id))
        .collect();
    assert_eq!(found, in_order);

    let info = listed
        .budget_infos
        .iter()
        .find(|b| b.used_amount.is_some_and(|u| u.value() > Decimal::ZERO))
        .unwrap()
        .clone();
    let id = info.customer_id.clone().unwrap();
    let shown = budget(&client, &id).await;
    assert_eq!(shown.budget_amount, info.budget_amount);
    assert_eq!(shown.used_amount, info.used_amount);
    assert_eq!(shown.budget_type, info.budget_type);
    assert_eq!(shown.currency.as_deref(), Some("USD"));

    let (total, before) = records(&client, &id, 2).await;
    assert_eq!(before.len(), total as usize);
    assert!(total >= 1);
    assert!(
        before
            .windows(2)
            .all(|w| w[0].operation_time >= w[1].operation_time)
    );
    // The current budget is the newest setting.
    assert_eq!(before[0].operation_type.as_deref(), Some("SETTING"));
    assert_eq!(before[0].budget_amount, info.budget_amount);

    set_budget(&client, &id, "1234.56", |b| {
        b.budget_type(Some(intl::ModSubCustomerBudgetReqBudgetType::Package))
    })
    .await
    .unwrap();
    let shown = budget(&client, &id).await;
    assert_eq!(shown.budget_amount.unwrap().value(), dec("1234.56"));
    assert_eq!(shown.budget_type.as_deref(), Some("PACKAGE"));
    assert_eq!(shown.used_amount, info.used_amount);
    let (after_total, after) = records(&client, &id, 3).await;
    assert_eq!(after_total, total + 1);
    assert_eq!(after[0].budget_amount.unwrap().value(), dec("1234.56"));
    assert_eq!(after[0].operation_type.as_deref(), Some("SETTING"));
    assert_eq!(after[0].operation_time.as_deref(), Some(NOW));
    assert_eq!(after[0].budget_type.as_deref(), Some("PACKAGE"));
    assert_eq!(after[0].operator.as_deref(), Some("partner_admin"));
    assert_eq!(after[1..], before[..]);

    // Filters.
    let packages = list_sub_customer_budget_records(&client, |r| {
        r.customer_id(id.as_str())
            .budget_type(intl::ListSubCustomerBudgetRecordsBudgetType::Package)
            .limit(NonZeroU32::new(100).unwrap())
    })
    .await
    .unwrap()
    .into_inner();
    let expected = after
        .iter()
        .filter(|r| r.budget_type.as_deref() == Some("PACKAGE"))
        .count();
    assert_eq!(packages.total_count, Some(expected as i32));
    assert_eq!(packages.record_list[0], after[0]);
    let deletes = list_sub_customer_budget_records(&client, |r| {
        r.customer_id(id.as_str())
            .operation_type(intl::ListSubCustomerBudgetRecordsOperationType::Delete)
    })
    .await
    .unwrap()
    .into_inner();
    let expected = after
        .iter()
        .filter(|r| r.operation_type.as_deref() == Some("DELETE"))
        .count();
    assert_eq!(deletes.total_count, Some(expected as i32));

    let listed = list_sub_customer_budget(&client, |r| {
        r.body_map(|b| b.customer_ids(vec![id.clone()]))
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(
        listed.budget_infos[0].budget_amount.unwrap().value(),
        dec("1234.56")
    );
    assert_eq!(
        listed.budget_infos[0].budget_type.as_deref(),
        Some("PACKAGE")
    );
}

#[tokio::test]
async fn automatic_freezing_applies_once_the_used_amount_reaches_the_budget() {
    let (_sandbox, client) = start().await;
    let direct = sub_customers(&client, None).await;
    let ids: Vec<String> = direct
        .iter()
        .filter(|c| c.association_type.as_deref() == Some("2"))
        .take(100)
        .map(|c| c.customer_id.clone().unwrap())
        .collect();
    let listed = list_sub_customer_budget(&client, |r| r.body_map(|b| b.customer_ids(ids)))
        .await
        .unwrap()
        .into_inner();
    let used = listed
        .budget_infos
        .iter()
        .find(|b| b.used_amount.is_some_and(|u| u.value() >= dec("1")))
        .unwrap();
    let id = used.customer_id.clone().unwrap();
    assert_eq!(frozen(&client, &id, None).await, Some(0));

    // Below what is already used, with automatic freezing: frozen at once.
    set_budget(&client, &id, "0.5", |b| b.frozen_operate_type(Some(1)))
        .await
        .unwrap();
    assert_eq!(frozen(&client, &id, None).await, Some(1));
    assert_eq!(
        budget(&client, &id).await.budget_amount.unwrap().value(),
        dec("0.5")
    );

    // Raised, and unfrozen with it.
    set_budget(&client, &id, "99999.99", |b| {
        b.cancel_partner_frozen(Some("1".to_string()))
    })
    .await
    .unwrap();
    assert_eq!(frozen(&client, &id, None).await, Some(0));
    let (_, history) = records(&client, &id, 10).await;
    let amounts: Vec<Decimal> = history
        .iter()
        .take(2)
        .map(|r| r.budget_amount.unwrap().value())
        .collect();
    assert_eq!(amounts, vec![dec("99999.99"), dec("0.5")]);
}

#[tokio::test]
async fn a_created_customer_gets_its_first_budget() {
    let (_sandbox, client) = start().await;
    let id = new_customer(&client, "intl_budget_user", "u-intl").await;
    let none = budget(&client, &id).await;
    assert_eq!(none.budget_amount, None);
    assert_eq!(none.currency.as_deref(), Some("USD"));
    assert_eq!(records(&client, &id, 10).await.0, 0);

    set_budget(&client, &id, "500", |b| b).await.unwrap();
    let shown = budget(&client, &id).await;
    assert_eq!(shown.budget_amount.unwrap().value(), dec("500"));
    assert_eq!(shown.used_amount.unwrap().value(), Decimal::ZERO);
    assert_eq!(shown.budget_type.as_deref(), Some("MONTHLY"));
    let (total, list) = records(&client, &id, 10).await;
    assert_eq!(total, 1);
    assert_eq!(list[0].budget_amount.unwrap().value(), dec("500"));
    assert_eq!(list[0].budget_type.as_deref(), Some("MONTHLY"));

    // It can be frozen right away too.
    let errors = freeze(&client, &[&id], None, None).await.unwrap();
    assert!(errors.is_empty());
    assert_eq!(frozen(&client, &id, None).await, Some(1));
}

#[tokio::test]
async fn budget_errors() {
    let (_sandbox, client) = start().await;
    let direct = sub_customers(&client, None).await;
    let referral = direct
        .iter()
        .find(|c| c.association_type.as_deref() == Some("1"))
        .unwrap()
        .customer_id
        .clone()
        .unwrap();
    let resale = direct
        .iter()
        .find(|c| c.association_type.as_deref() == Some("2"))
        .unwrap()
        .customer_id
        .clone()
        .unwrap();

    let err =
        failure(show_sub_customer_budget(&client, |r| r.customer_id(referral.as_str())).await);
    assert_eq!(
        (err.status(), err.code()),
        (Some(400), Some("CBC.99000035"))
    );
    let err = failure(
        list_sub_customer_budget_records(&client, |r| r.customer_id("not-a-customer")).await,
    );
    assert_eq!(err.code(), Some("CBC.99000035"));
    let err = failure(set_budget(&client, &referral, "100", |b| b).await);
    assert_eq!(err.code(), Some("CBC.99000035"));
    let err = failure(set_budget(&client, &resale, "3000000000", |b| b).await);
    assert_eq!(err.code(), Some("CBC.0100"));
    let err = failure(
        set_budget(&client, &resale, "100", |b| {
            b.cancel_partner_frozen(Some("yes".to_string()))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    let err = failure(
        set_budget(&client, &resale, "100", |b| {
            b.indirect_partner_id(Some("not-a-reseller".try_into().unwrap()))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99000037"));
    // Nothing was recorded by the refused updates.
    let (total, list) = records(&client, &resale, 100).await;
    assert_eq!(total as usize, list.len());
    assert!(
        list.iter()
            .all(|r| r.operation_time.as_deref() != Some(NOW))
    );
}

async fn bill(client: &Client, cycle: &str) -> intl::ListPostpaidBillSumResponse {
    list_postpaid_bill_sum(client, |r| r.bill_cycle(cycle))
        .await
        .unwrap()
        .into_inner()
}

fn value(amount: Option<huaweicloud_bss::Amount>) -> Decimal {
    amount.unwrap().value()
}

#[tokio::test]
async fn monthly_bills_and_quotas_agree() {
    let (_sandbox, client) = start().await;
    for (cycle, rate) in [
        ("2022-01", "0.07"),
        ("2023-07", "0.08"),
        ("2024-03", "0.09"),
    ] {
        let b = bill(&client, cycle).await;
        assert_eq!(b.bill_cycle.as_deref(), Some(cycle));
        assert_eq!(b.currency.as_deref(), Some("USD"));
        let due = value(b.initial_amount_due);
        assert!(due > Decimal::ZERO);
        assert_eq!(
            due,
            value(b.consume_amount) + value(b.refunds) + value(b.adjustments)
        );
        assert!(value(b.refunds) <= Decimal::ZERO);
        assert_eq!(value(b.tax_amount), (due * dec(rate)).round_dp(2));
    }
    // May 2024 is not billed before June 5th.
    let may = bill(&client, "2024-05").await;
    assert_eq!(value(may.initial_amount_due), Decimal::ZERO);
    assert_eq!(value(may.consume_amount), Decimal::ZERO);
    let err = failure(list_postpaid_bill_sum(&client, |r| r.bill_cycle("2024-13")).await);
    assert_eq!((err.status(), err.code()), (Some(400), Some("CBC.0100")));

    let april = bill(&client, "2024-04").await;
    let quota = client
        .intl()
        .show_partner_consumption_quota()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(value(quota.consumption_quota), dec("150000"));
    assert_eq!(value(quota.due_amount), value(april.initial_amount_due));
    assert_eq!(
        value(quota.used_consumption_quota),
        value(quota.due_amount) + value(quota.unbilled_amount)
            - value(quota.amount)
            - value(quota.coupon_amount)
    );
    assert_eq!(quota.currency.as_deref(), Some("USD"));

    let own = client
        .intl()
        .show_customer_expenditure_quota()
        .send()
        .await
        .unwrap()
        .into_inner();
    let granted = value(own.granting_amount);
    let used = value(own.granting_amount_used);
    assert!(granted > Decimal::ZERO && used <= granted);
    assert_eq!(
        value(own.percentage_granting_amount_used),
        (used / granted).round_dp(2)
    );
    assert_eq!(own.measure_id, Some(1));
}

/// The partner's own id: the `partner_id` of its direct customers' bill records.
async fn partner_id(client: &Client) -> String {
    for customer in sub_customers(client, None).await {
        let found = list_sub_customer_bill_detail(client, |r| {
            r.bill_cycle("2024-03")
                .customer_id(customer.customer_id.as_deref().unwrap())
        })
        .await
        .unwrap()
        .into_inner()
        .fee_records
        .into_iter()
        .find_map(|r| r.partner_id);
        if let Some(id) = found {
            return id;
        }
    }
    panic!("no bill record of a direct customer");
}

fn invoices<'a>(
    client: &'a Client,
    domain: &str,
    start: &str,
    end: &str,
) -> huaweicloud_bss::intl::builder::ListInvoices<'a> {
    client
        .intl()
        .list_invoices()
        .domain_id(domain)
        .start_time(start)
        .end_time(end)
}

#[tokio::test]
async fn invoices_page_by_page_number() {
    let (_sandbox, client) = start().await;
    let partner = partner_id(&client).await;
    let (from, to) = ("2022-01-01T00:00:00Z", NOW);
    let first = invoices(&client, &partner, from, to)
        .offset(1u32)
        .limit(7u32)
        .send()
        .await
        .unwrap()
        .into_inner();
    let count = first.count.unwrap() as usize;
    assert!(count > 100, "{count} invoices");
    assert_eq!(first.invoices.len(), 7);
    let second = invoices(&client, &partner, from, to)
        .offset(2u32)
        .limit(7u32)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(second.count, first.count);

    let every: Vec<intl::InvoiceRequestInfoIntl> = invoices(&client, &partner, from, to)
        .items(pages_of(7))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(every.len(), count);
    assert_eq!(every[..7], first.invoices[..]);
    assert_eq!(every[7..14], second.invoices[..]);
    let mut ids: Vec<&str> = every
        .iter()
        .map(|i| i.request_id.as_deref().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
    assert!(every.windows(2).all(|w| w[0].apply_time >= w[1].apply_time));
    // The last page is short.
    let last_page = count.div_ceil(7) as u32;
    let last = invoices(&client, &partner, from, to)
        .offset(last_page)
        .limit(7u32)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(last.invoices.len(), count - 7 * (last_page as usize - 1));
    assert_eq!(last.invoices[..], every[7 * (last_page as usize - 1)..]);

    // The monthly settlement invoice of March 2024 is the bill's amount due and tax.
    let march = bill(&client, "2024-03").await;
    let settlement = every
        .iter()
        .find(|i| i.trade_type == Some(6) && i.bill_cycle.as_deref() == Some("2024-03"))
        .unwrap();
    assert_eq!(settlement.invoice_amount, march.initial_amount_due);
    assert_eq!(settlement.tax_list[0].tax_amount, march.tax_amount);
    assert_eq!(settlement.tax_list[0].tax_rate.as_deref(), Some("0.09"));
}

#[tokio::test]
async fn invoices_filter_by_time_window_and_account() {
    let (_sandbox, client) = start().await;
    let partner = partner_id(&client).await;
    let year: Vec<intl::InvoiceRequestInfoIntl> = invoices(
        &client,
        &partner,
        "2023-01-01T00:00:00Z",
        "2023-12-31T23:59:59Z",
    )
    .items(all())
    .try_collect()
    .await
    .unwrap();
    assert!(year.len() >= 36);
    assert!(year.iter().all(|i| {
        let t = i.apply_time.as_deref().unwrap();
        t.starts_with("2023-")
    }));
    let whole = invoices(&client, &partner, "2022-01-01T00:00:00Z", NOW)
        .offset(1u32)
        .limit(1u32)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(whole.count.unwrap() as usize > year.len());

    // The calling customer's own invoices (world.customers[0], the first direct customer).
    let me = sub_customers(&client, None).await[0]
        .customer_id
        .clone()
        .unwrap();
    let mine: Vec<intl::InvoiceRequestInfoIntl> =
        invoices(&client, &me, "2022-01-01T00:00:00Z", NOW)
            .items(all())
            .try_collect()
            .await
            .unwrap();
    assert!((6..=8).contains(&mine.len()), "{} invoices", mine.len());
    assert!(mine.iter().all(|i| i.trade_type != Some(6)));

    let err = failure(
        invoices(&client, "someone-else", "2022-01-01T00:00:00Z", NOW)
            .offset(1u32)
            .limit(10u32)
            .send()
            .await,
    );
    assert_eq!((err.status(), err.code()), (Some(403), Some("CBC.0151")));
    let err = failure(
        invoices(&client, &partner, NOW, "2022-01-01T00:00:00Z")
            .offset(1u32)
            .limit(10u32)
            .send()
            .await,
    );
    assert_eq!((err.status(), err.code()), (Some(400), Some("CBC.0100")));
    let err = failure(
        invoices(&client, &partner, "2022-01-01", NOW)
            .offset(1u32)
            .limit(10u32)
            .send()
            .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn intl_operations_are_refused_on_the_china_site() {
    let (sandbox, _) = start().await;
    let err: Error = common::client(&sandbox)
        .intl()
        .show_partner_consumption_quota()
        .send()
        .await
        .unwrap_err();
    assert!(err.is_invalid_request(), "{err:?}");
    assert!(err.to_string().contains("international site only"), "{err}");
}

async fn specs(
    client: &Client,
    resource: (&str, &str),
    region: &str,
    mode: &str,
    marker: Option<&str>,
    limit: Option<u32>,
    filter: Option<&str>,
) -> Result<catalog::ListResourceSpecsResponse, Error> {
    let marker = marker.map(|m| m.try_into().unwrap());
    let filters: Vec<catalog::ResourceSpecsFilter> = filter
        .map(|v| catalog::ResourceSpecsFilter {
            key: catalog::ResourceSpecsFilterKey::ResourceSpec,
            value: v.to_string(),
        })
        .into_iter()
        .collect();
    list_resource_specs(client, |r| {
        r.body_map(|b| {
            b.cloud_service_type(resource.0)
                .resource_type(resource.1)
                .region_code(region)
                .charge_mode(mode)
                .marker(marker)
                .limit(limit.and_then(NonZeroU32::new))
                .filters(filters)
        })
    })
    .await
    .map(|r| r.into_inner())
}

const VM: (&str, &str) = ("hws.service.type.ec2", "hws.resource.type.vm");

fn codes(page: &catalog::ListResourceSpecsResponse) -> Vec<String> {
    page.cloud_service_basics
        .iter()
        .map(|s| s.resource_spec.clone().unwrap())
        .collect()
}

#[tokio::test]
async fn resource_specs_page_by_marker() {
    let (_sandbox, client) = start().await;
    let whole = specs(&client, VM, "cn-north-4", "3", None, None, None)
        .await
        .unwrap();
    let every = codes(&whole);
    assert!(every.len() > 5, "{every:?}");
    assert!(every.contains(&"s6.large.2.linux".to_string()));
    assert_eq!(whole.page_info.unwrap().next_marker, None);
    let first = &whole.cloud_service_basics[0];
    assert_eq!(
        first.cloud_service_type_name.as_deref(),
        Some("弹性云服务器")
    );
    assert_eq!(first.resource_type_name.as_deref(), Some("云主机"));
    assert_eq!(first.charge_mode.as_deref(), Some("3"));
    assert_eq!(first.region_code.as_deref(), Some("cn-north-4"));

    let mut paged = Vec::new();
    let mut marker: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = specs(
            &client,
            VM,
            "cn-north-4",
            "3",
            marker.as_deref(),
            Some(4),
            None,
        )
        .await
        .unwrap();
        pages += 1;
        assert!(page.cloud_service_basics.len() <= 4);
        paged.extend(codes(&page));
        match page.page_info.and_then(|p| p.next_marker) {
            Some(next) => {
                assert_eq!(Some(&next), paged.last());
                marker = Some(next);
            }
            None => break,
        }
    }
    assert_eq!(paged, every);
    assert_eq!(pages, every.len().div_ceil(4));

    // Filters: one specification, the charging mode, the region, the resource type.
    let one = specs(
        &client,
        VM,
        "cn-north-4",
        "3",
        None,
        None,
        Some("c6.large.2.linux"),
    )
    .await
    .unwrap();
    assert_eq!(codes(&one), vec!["c6.large.2.linux".to_string()]);
    let yearly_vm = specs(&client, VM, "cn-north-4", "1", None, None, None)
        .await
        .unwrap();
    assert_eq!(codes(&yearly_vm), every);
    assert!(
        yearly_vm
            .cloud_service_basics
            .iter()
            .all(|s| s.charge_mode.as_deref() == Some("1"))
    );
    let obs = ("hws.service.type.obs", "hws.resource.type.obs");
    let usage = specs(&client, obs, "cn-north-4", "3", None, None, None)
        .await
        .unwrap();
    assert_eq!(usage.cloud_service_basics.len(), 3);
    let yearly_obs = specs(&client, obs, "cn-north-4", "1", None, None, None)
        .await
        .unwrap();
    assert!(yearly_obs.cloud_service_basics.is_empty());
    let elsewhere = specs(&client, VM, "ap-southeast-1", "3", None, None, None)
        .await
        .unwrap();
    assert!(!elsewhere.cloud_service_basics.is_empty());
    assert_ne!(codes(&elsewhere), every);
    let nowhere = specs(&client, VM, "xx-nowhere-1", "3", None, None, None)
        .await
        .unwrap();
    assert!(nowhere.cloud_service_basics.is_empty());
    let mismatched = specs(
        &client,
        ("hws.service.type.ebs", "hws.resource.type.vm"),
        "cn-north-4",
        "3",
        None,
        None,
        None,
    )
    .await
    .unwrap();
    assert!(mismatched.cloud_service_basics.is_empty());

    // Errors: a marker that is not from this query, a charging mode that does not exist.
    let err = failure(
        specs(
            &client,
            VM,
            "cn-north-4",
            "3",
            Some("no.such.spec"),
            None,
            None,
        )
        .await,
    );
    assert_eq!((err.status(), err.code()), (Some(400), Some("CBC.0100")));
    let err = failure(specs(&client, VM, "cn-north-4", "2", None, None, None).await);
    assert_eq!(err.code(), Some("CBC.0100"));
}

async fn qr_code(client: &Client) -> String {
    client
        .realname()
        .show_real_name_auth_qr_code()
        .send()
        .await
        .unwrap()
        .into_inner()
        .qr_code_url
        .unwrap()
}

#[tokio::test]
async fn the_calling_customers_real_name_status_and_qr_code() {
    let (_sandbox, client) = start().await;
    let me = sub_customers(&client, None).await[0].clone();
    let status = client
        .realname()
        .show_real_name_auth_status()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(me.verified_status.as_deref(), Some("2"));
    assert_eq!(status.verified_status, Some(2));
    assert_eq!(status.verified_type, me.customer_type);
    assert_eq!(status.verified_type, Some(1));

    let first = qr_code(&client).await;
    let second = qr_code(&client).await;
    assert!(first.starts_with("https://"), "{first}");
    assert!(first.contains(&format!("domain_id={}", me.customer_id.as_deref().unwrap())));
    assert!(first.len() <= 512);
    // Single use: every call gets a fresh ticket.
    assert_ne!(first, second);
}

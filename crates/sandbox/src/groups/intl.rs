//! The `intl` group in the sandbox: operations of the international site only (amounts in USD):
//! freezing customers, customer budgets, postpaid bill sums, consumption quotas and invoices.
//!
//! Whose customers: without `indirect_partner_id` (or with an empty one) the partner's own
//! customers, with it the customers of that reseller (`CBC.99000037` for an unknown reseller).
//! Only reseller-model customers (`association_type` other than `1`) can be frozen or given a
//! budget; other ids are `CBC.99000035`. Customers are looked up in `world.customers` at call
//! time, so a customer created through CreateSubCustomer can be frozen and budgeted at once.
//!
//! - FreezeSubCustomers / UnfreezeSubCustomers set `is_frozen` of the customers in
//!   `world.customers` (1 account frozen, 2 account and resources frozen), item by item: an id
//!   that is not a reseller-model customer is reported `CBC.99000035` in `error_details`, an
//!   account already frozen (or not frozen, or frozen with another type than `unfreeze_type`) is
//!   reported `CBC.0150`; the others are applied, and the answer is 200.
//! - Budgets: about two thirds of the reseller-model customers have a seeded budget with one to
//!   four adjustment records (some with an early one-time budget ended by a `DELETE`).
//!   UpdateSubCustomerBudget sets the amount (at most 2147483647), the mode (left out: the
//!   current one, `MONTHLY` for a first budget) and `frozen_operate_type` (0 or 1; left out:
//!   unchanged), appends a `SETTING` record, unfreezes the account with
//!   `cancel_partner_frozen` `1`, and freezes it when automatic freezing is on and the used
//!   amount already reaches the new budget. A customer without a budget answers
//!   ShowSubCustomerBudget without amounts and is left out of ListSubCustomerBudget.
//! - ListPostpaidBillSum: the partner's bills of 2022-01 to 2024-04 (May 2024 is not billed
//!   before June 5th): amount due = consumption + refunds + adjustments, tax = the GST of the
//!   year (7 %, 8 %, 9 %) on the amount due. Other months answer zero amounts.
//! - ShowPartnerConsumptionQuota: due = the last bill's amount due, plus the unbilled estimate of
//!   May 2024, less the balance and the cash coupon balance, gives the used quota.
//! - ShowCustomerExpenditureQuota: the calling customer is `world.customers[0]`; referral-model
//!   customers have a seeded quota (or none: zeros), reseller-model ones an empty answer.
//! - ListInvoices: the invoices of the partner (`domain_id` = the partner's id, the `partner_id`
//!   of its direct customers' bill records) — a monthly-settlement invoice per bill, for its
//!   amount due and tax, and top-up invoices — or of a referral-model customer (`domain_id` = its
//!   id), newest first, within `[start_time, end_time]`, paged by 1-based page number. Another
//!   `domain_id` is `403 CBC.0151`.

use huaweicloud_bss::customers::types::CustomerInformation;
use huaweicloud_bss::intl::types;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use crate::groups::accounts::Holder;
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

const CURRENCY: &str = "USD";
const PARTNER_CORP: &str = "Sandbox Cloud Partner Pte. Ltd.";
const PARTNER_ACCOUNT: &str = "partner_intl01";
/// Months from 2022-01 (index 0) to 2024-05 (index 28, the month of NOW).
const MONTHS: usize = 29;
/// The months with a bill: up to 2024-04.
const BILLED: usize = MONTHS - 1;
const OPERATORS: &[&str] = &["partner_admin", "finance_tan", "ops_lim"];
const MAX_BUDGET: i64 = 2_147_483_647;

/// A customer's budget and its adjustment records.
#[derive(Clone, Debug)]
pub struct Budget {
    /// The customer.
    pub customer_id: String,
    /// The budget (absent once removed).
    pub amount: Option<Decimal>,
    /// The part used.
    pub used: Decimal,
    /// `MONTHLY` or `PACKAGE`.
    pub budget_type: String,
    /// 0 frozen manually, 1 frozen automatically once exceeded.
    pub frozen_operate_type: i32,
    /// The adjustment records, oldest first.
    pub records: Vec<types::BudgetRecordInfo>,
}

/// An invoice and whose it is (`None` the partner, else a customer id).
#[derive(Clone, Debug)]
pub struct Invoice {
    /// The account it was issued to.
    pub owner: Option<String>,
    /// The invoice.
    pub invoice: types::InvoiceRequestInfoIntl,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// Budgets by customer.
    pub budgets: Vec<Budget>,
    /// The partner's monthly postpaid bills, oldest first.
    pub bills: Vec<types::ListPostpaidBillSumResponse>,
    /// The estimate of the month not yet billed.
    pub unbilled: Decimal,
    /// The partner's consumption quota, balance and cash coupon balance.
    pub quota: (Decimal, Decimal, Decimal),
    /// Consumption quotas of referral-model customers: (customer id, granted, used).
    pub expenditure: Vec<(String, Decimal, Decimal)>,
    /// Invoices, newest first.
    pub invoices: Vec<Invoice>,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut state = State {
            unbilled: money(rng, 8_000, 30_000),
            quota: (
                Decimal::from(150_000),
                money(rng, 1_000, 5_000),
                money(rng, 100, 800),
            ),
            ..State::default()
        };
        state.seed_bills(rng);
        state.seed_budgets(rng, world);
        state.seed_invoices(rng, world);
        state
    }

    fn seed_bills(&mut self, rng: &mut fastrand::Rng) {
        for month in 0..BILLED {
            let consume = money(rng, 20_000, 90_000);
            let refunds = if rng.u8(..3) == 0 {
                Decimal::ZERO
            } else {
                -(consume * Decimal::new(rng.i64(1..=300), 4)).round_dp(2)
            };
            let adjustments = if rng.u8(..3) == 0 {
                -money(rng, 5, 500)
            } else {
                Decimal::ZERO
            };
            let due = consume + refunds + adjustments;
            self.bills.push(types::ListPostpaidBillSumResponse {
                bill_cycle: Some(cycle(month)),
                initial_amount_due: Some(Amount(due)),
                consume_amount: Some(Amount(consume)),
                refunds: Some(Amount(refunds)),
                adjustments: Some(Amount(adjustments)),
                tax_amount: Some(Amount((due * gst(month)).round_dp(2))),
                currency: Some(CURRENCY.to_string()),
            });
        }
    }

    fn seed_budgets(&mut self, rng: &mut fastrand::Rng, world: &World) {
        for (owner, customer) in &world.customers {
            if !resale(customer) {
                continue;
            }
            if rng.u8(..3) == 0 {
                continue;
            }
            let (corp, account) = partner_names(world, owner.as_deref());
            let record = |amount: Decimal, kind: &str, time: String, operator: &str, mode: &str| {
                types::BudgetRecordInfo {
                    budget_amount: Some(Amount(amount)),
                    operation_type: Some(kind.to_string()),
                    operation_time: Some(time),
                    operator: Some(operator.to_string()),
                    budget_type: Some(mode.to_string()),
                    partner_corp_name: Some(corp.clone()),
                    partner_account_name: Some(account.clone()),
                }
            };
            let count = rng.usize(1..=4);
            let mut times: Vec<String> = (0..count + 2).map(|_| time(rng, 12, MONTHS)).collect();
            times.sort();
            let mut times = times.into_iter();
            let mut records = Vec::new();
            if rng.u8(..10) == 0 {
                let amount = Decimal::from(rng.i64(5..=50) * 100);
                records.push(record(
                    amount,
                    "SETTING",
                    times.next().unwrap_or_default(),
                    OPERATORS[rng.usize(..OPERATORS.len())],
                    "PACKAGE",
                ));
                records.push(record(
                    Decimal::ZERO,
                    "DELETE",
                    times.next().unwrap_or_default(),
                    "system",
                    "PACKAGE",
                ));
            }
            let mode = if rng.u8(..4) == 0 {
                "PACKAGE"
            } else {
                "MONTHLY"
            };
            let mut amount = Decimal::ZERO;
            for _ in 0..count {
                amount = if rng.bool() {
                    Decimal::from(rng.i64(1..=100) * 100)
                } else {
                    money(rng, 100, 10_000)
                };
                records.push(record(
                    amount,
                    "SETTING",
                    times.next().unwrap_or_default(),
                    OPERATORS[rng.usize(..OPERATORS.len())],
                    mode,
                ));
            }
            let used = (amount * Decimal::new(rng.i64(0..=110), 2)).round_dp(2);
            self.budgets.push(Budget {
                customer_id: customer.id().to_string(),
                amount: Some(amount),
                used,
                budget_type: mode.to_string(),
                frozen_operate_type: i32::from(rng.bool()),
                records,
            });
        }
    }

    fn seed_invoices(&mut self, rng: &mut fastrand::Rng, world: &World) {
        let mut invoices = Vec::new();
        let mut sequence = 0_u32;
        for (month, bill) in self.bills.clone().iter().enumerate() {
            let due = bill.initial_amount_due.map_or(Decimal::ZERO, Amount::value);
            let tax = bill.tax_amount.map_or(Decimal::ZERO, Amount::value);
            let applied = stamp(month + 1, rng.u32(6..=15), rng);
            invoices.push(Invoice {
                owner: None,
                invoice: invoice(
                    rng,
                    &mut sequence,
                    Party::partner(),
                    (6, 0),
                    due,
                    tax,
                    month,
                    applied,
                ),
            });
        }
        for month in 0..MONTHS {
            for _ in 0..rng.usize(3..=5) {
                let amount = money(rng, 500, 20_000);
                let applied = stamp(month, rng.u32(1..=28), rng);
                invoices.push(Invoice {
                    owner: None,
                    invoice: invoice(
                        rng,
                        &mut sequence,
                        Party::partner(),
                        (7, 1),
                        amount,
                        included_tax(amount, month),
                        month,
                        applied,
                    ),
                });
            }
        }
        for (index, (_, customer)) in world.customers.iter().enumerate() {
            if resale(customer) {
                continue;
            }
            let count = if index == 0 {
                rng.usize(6..=8)
            } else {
                rng.usize(0..=3)
            };
            let party = Party {
                title: customer
                    .customer
                    .clone()
                    .unwrap_or_else(|| customer.login().to_string()),
                title_type: i32::from(customer.customer_type == Some(1)),
                email: customer
                    .email
                    .clone()
                    .unwrap_or_else(|| format!("{}@example.com", customer.login())),
                operator: customer.login().to_string(),
            };
            for _ in 0..count {
                let month = rng.usize(..MONTHS);
                let amount = money(rng, 20, 3_000);
                let applied = stamp(month, rng.u32(1..=28), rng);
                let kind = if rng.bool() { (8, 2) } else { (7, 1) };
                invoices.push(Invoice {
                    owner: Some(customer.id().to_string()),
                    invoice: invoice(
                        rng,
                        &mut sequence,
                        party.clone(),
                        kind,
                        amount,
                        included_tax(amount, month),
                        month,
                        applied,
                    ),
                });
            }
            if rng.bool() {
                let granted = Decimal::from(rng.i64(1..=50) * 1_000);
                let used = (granted * Decimal::new(rng.i64(0..=95), 2)).round_dp(2);
                self.expenditure
                    .push((customer.id().to_string(), granted, used));
            }
        }
        invoices.sort_by(|a, b| b.invoice.apply_time.cmp(&a.invoice.apply_time));
        self.invoices = invoices;
    }

    fn budget(&self, id: &str) -> Option<&Budget> {
        self.budgets.iter().find(|b| b.customer_id == id)
    }
}

impl crate::generated::intl::Server for World {
    fn freeze_sub_customers(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::FreezeSubCustomersReq = body(call)?;
        let holder =
            world.acting_reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
        let to = match request.freeze_type {
            Some(types::FreezeSubCustomersReqFreezeType::AccountAndResource) => 2,
            _ => 1,
        };
        let mut error_details = Vec::new();
        for id in &request.customer_ids {
            let outcome = resale_customer(world, &holder, id).and_then(|c| {
                if c.is_frozen.unwrap_or(0) != 0 {
                    Err(ApiError::illegal("the account is already frozen."))
                } else {
                    Ok(())
                }
            });
            match outcome {
                Ok(()) => set_frozen(world, id, to),
                Err(err) => error_details.push(detail(id, err)),
            }
        }
        json(types::FreezeSubCustomersResponse { error_details })
    }

    fn unfreeze_sub_customers(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::UnfreezeSubCustomersReq = body(call)?;
        let holder =
            world.acting_reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
        let (from, name) = match request.unfreeze_type {
            Some(types::UnfreezeSubCustomersReqUnfreezeType::AccountAndResource) => {
                (2, "ACCOUNT_AND_RESOURCE")
            }
            _ => (1, "ACCOUNT"),
        };
        let mut error_details = Vec::new();
        for id in &request.customer_ids {
            let outcome = resale_customer(world, &holder, id).and_then(|c| {
                match c.is_frozen.unwrap_or(0) {
                    0 => Err(ApiError::illegal("the account is not frozen.")),
                    f if f != from => Err(ApiError::illegal(format!(
                        "the unfreeze type `{name}` does not match the type the account was frozen with ({}).",
                        if f == 2 { "ACCOUNT_AND_RESOURCE" } else { "ACCOUNT" }
                    ))),
                    _ => Ok(()),
                }
            });
            match outcome {
                Ok(()) => set_frozen(world, id, 0),
                Err(err) => error_details.push(detail(id, err)),
            }
        }
        json(types::UnfreezeSubCustomersResponse { error_details })
    }

    fn show_sub_customer_budget(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let id = call.text("customer_id").unwrap_or_default();
        let holder = world.acting_reseller(call.query("indirect_partner_id"))?;
        resale_customer(world, &holder, &id)?;
        let budget = world.groups.intl.budget(&id);
        let amount = budget.and_then(|b| b.amount);
        json(types::ShowSubCustomerBudgetResponse {
            budget_amount: amount.map(Amount),
            used_amount: amount.and(budget.map(|b| Amount(b.used))),
            measure_id: Some(1),
            currency: Some(CURRENCY.to_string()),
            budget_type: amount.and(budget.map(|b| b.budget_type.clone())),
        })
    }

    fn update_sub_customer_budget(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        update_budget(self, call)
    }

    fn list_sub_customer_budget(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::ListSubCustomerBudgetReq = body(call)?;
        let holder =
            world.acting_reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
        let mut budget_infos: Vec<types::BudgetInfo> = Vec::new();
        for id in &request.customer_ids {
            if resale_customer(world, &holder, id).is_err()
                || budget_infos
                    .iter()
                    .any(|b| b.customer_id.as_deref() == Some(id))
            {
                continue;
            }
            if let Some(budget) = world.groups.intl.budget(id)
                && let Some(amount) = budget.amount
            {
                budget_infos.push(types::BudgetInfo {
                    customer_id: Some(id.clone()),
                    budget_amount: Some(Amount(amount)),
                    used_amount: Some(Amount(budget.used)),
                    budget_type: Some(budget.budget_type.clone()),
                });
            }
        }
        json(types::ListSubCustomerBudgetResponse {
            measure_id: Some(1),
            currency: Some(CURRENCY.to_string()),
            budget_infos,
        })
    }

    fn list_sub_customer_budget_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let id = call.text("customer_id").unwrap_or_default();
        let holder = world.acting_reseller(call.query("indirect_partner_id"))?;
        resale_customer(world, &holder, &id)?;
        let kind = call.query("operation_type");
        let mode = call.query("budget_type");
        let found: Vec<_> = world
            .groups
            .intl
            .budget(&id)
            .map(|b| b.records.iter().rev().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|r| kind.is_none_or(|k| r.operation_type.as_deref() == Some(k)))
            .filter(|r| mode.is_none_or(|m| r.budget_type.as_deref() == Some(m)))
            .collect();
        let (page, total) = window(&found, call);
        json(types::ListSubCustomerBudgetRecordsResponse {
            total_count: Some(total),
            measure_id: Some(1),
            currency: Some(CURRENCY.to_string()),
            record_list: page,
        })
    }

    fn list_postpaid_bill_sum(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let cycle = call.text("bill_cycle").unwrap_or_default();
        if !is_month(&cycle) {
            return Err(ApiError::invalid(format!(
                "bill_cycle: `{cycle}` is not a month in the format YYYY-MM"
            )));
        }
        let bill = world
            .groups
            .intl
            .bills
            .iter()
            .find(|b| b.bill_cycle.as_deref() == Some(cycle.as_str()))
            .cloned()
            .unwrap_or_else(|| {
                let zero = Some(Amount(Decimal::ZERO));
                types::ListPostpaidBillSumResponse {
                    bill_cycle: Some(cycle.clone()),
                    initial_amount_due: zero,
                    consume_amount: zero,
                    refunds: zero,
                    adjustments: zero,
                    tax_amount: zero,
                    currency: Some(CURRENCY.to_string()),
                }
            });
        json(bill)
    }

    fn show_customer_expenditure_quota(&mut self, _call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let Some(customer) = world.caller() else {
            return json(types::ShowCustomerExpenditureQuotaResponse::default());
        };
        if resale(customer) {
            return json(types::ShowCustomerExpenditureQuotaResponse::default());
        }
        let (granted, used) = world
            .groups
            .intl
            .expenditure
            .iter()
            .find(|(id, _, _)| *id == customer.id())
            .map_or((Decimal::ZERO, Decimal::ZERO), |(_, g, u)| (*g, *u));
        let share = if granted.is_zero() {
            Decimal::ZERO
        } else {
            (used / granted).round_dp(2)
        };
        json(types::ShowCustomerExpenditureQuotaResponse {
            granting_amount: Some(Amount(granted)),
            granting_amount_used: Some(Amount(used)),
            percentage_granting_amount_used: Some(Amount(share)),
            measure_id: Some(1),
            currency: Some(CURRENCY.to_string()),
        })
    }

    fn show_partner_consumption_quota(&mut self, _call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let state = &world.groups.intl;
        let (quota, balance, coupons) = state.quota;
        let due = state
            .bills
            .last()
            .and_then(|b| b.initial_amount_due)
            .map_or(Decimal::ZERO, Amount::value);
        json(types::ShowPartnerConsumptionQuotaResponse {
            consumption_quota: Some(Amount(quota)),
            amount: Some(Amount(balance)),
            coupon_amount: Some(Amount(coupons)),
            due_amount: Some(Amount(due)),
            unbilled_amount: Some(Amount(state.unbilled)),
            used_consumption_quota: Some(Amount(due + state.unbilled - balance - coupons)),
            measure_id: Some(1),
            currency: Some(CURRENCY.to_string()),
        })
    }

    fn list_invoices(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_invoices(self, call)
    }
}

fn update_budget(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::ModSubCustomerBudgetReq = body(call)?;
    let amount = request.budget_amount.value();
    if amount > Decimal::from(MAX_BUDGET) {
        return Err(ApiError::invalid(format!(
            "budget_amount: at most {MAX_BUDGET} (got {amount})"
        )));
    }
    let unfreeze = match request.cancel_partner_frozen.as_deref() {
        None | Some("") | Some("0") => false,
        Some("1") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "cancel_partner_frozen: `{other}` is not 0 or 1"
            )));
        }
    };
    if request
        .frozen_operate_type
        .is_some_and(|t| t != 0 && t != 1)
    {
        return Err(ApiError::invalid("frozen_operate_type: 0 or 1"));
    }
    let holder =
        world.acting_reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
    let id = request.customer_id.to_string();
    resale_customer(world, &holder, &id)?;
    let (corp, account) = partner_names(world, holder.as_deref());
    let state = &mut world.groups.intl;
    let index = match state.budgets.iter().position(|b| b.customer_id == id) {
        Some(index) => index,
        None => {
            state.budgets.push(Budget {
                customer_id: id.clone(),
                amount: None,
                used: Decimal::ZERO,
                budget_type: "MONTHLY".to_string(),
                frozen_operate_type: 0,
                records: Vec::new(),
            });
            state.budgets.len() - 1
        }
    };
    let budget = &mut state.budgets[index];
    if let Some(mode) = request.budget_type {
        budget.budget_type = mode.to_string();
    } else if budget.amount.is_none() {
        budget.budget_type = "MONTHLY".to_string();
    }
    if let Some(kind) = request.frozen_operate_type {
        budget.frozen_operate_type = kind;
    }
    budget.amount = Some(amount);
    budget.records.push(types::BudgetRecordInfo {
        budget_amount: Some(Amount(amount)),
        operation_type: Some("SETTING".to_string()),
        operation_time: Some(NOW.to_string()),
        operator: Some("partner_admin".to_string()),
        budget_type: Some(budget.budget_type.clone()),
        partner_corp_name: Some(corp),
        partner_account_name: Some(account),
    });
    let exceeded = budget.frozen_operate_type == 1 && budget.used >= amount;
    if unfreeze {
        set_frozen(world, &id, 0);
    }
    if exceeded
        && world
            .customer(&id)
            .is_some_and(|c| c.is_frozen.unwrap_or(0) == 0)
    {
        set_frozen(world, &id, 1);
    }
    Ok(Value::Null)
}

fn list_invoices(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let domain = call
        .path
        .get("domain_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let start = call.text("start_time").unwrap_or_default();
    let end = call.text("end_time").unwrap_or_default();
    for (name, value) in [("start_time", &start), ("end_time", &end)] {
        if !is_time(value) {
            return Err(ApiError::invalid(format!(
                "{name}: `{value}` is not a UTC time yyyy-MM-ddTHH:mm:ssZ"
            )));
        }
    }
    if start > end {
        return Err(ApiError::invalid("start_time: after end_time"));
    }
    let owner = if domain == world.groups.bills.partner_id {
        None
    } else if world.customers.iter().any(|(_, c)| c.id() == domain) {
        Some(domain.to_string())
    } else {
        return Err(ApiError {
            status: 403,
            code: "CBC.0151",
            message: format!(
                "Access denied: `{domain}` is not the calling account (the partner or one of its customers)."
            ),
        });
    };
    let found: Vec<_> = world
        .groups
        .intl
        .invoices
        .iter()
        .filter(|i| i.owner == owner)
        .filter(|i| {
            i.invoice
                .apply_time
                .as_deref()
                .is_some_and(|t| t >= start.as_str() && t <= end.as_str())
        })
        .map(|i| i.invoice.clone())
        .collect();
    let (page, limit) = call.window(10);
    let invoices = found
        .iter()
        .skip(page.saturating_sub(1).saturating_mul(limit))
        .take(limit)
        .cloned()
        .collect();
    json(types::ListInvoicesResponse {
        count: Some(i32::try_from(found.len()).unwrap_or(i32::MAX)),
        invoices,
    })
}

/// A reseller-model customer of `holder` (`CBC.99000035` otherwise).
fn resale_customer<'w>(
    world: &'w World,
    holder: &Holder,
    id: &str,
) -> Result<&'w CustomerInformation, ApiError> {
    let whose = if holder.is_some() {
        "the reseller"
    } else {
        "the partner"
    };
    let customer = world.customer_of(holder, id).ok_or_else(|| {
        ApiError::business(
            "CBC.99000035",
            format!("The customer `{id}` is not associated with {whose}."),
        )
    })?;
    if !resale(customer) {
        return Err(ApiError::business(
            "CBC.99000035",
            format!(
                "The customer `{id}` is associated with {whose} in the referral model, not the reseller model."
            ),
        ));
    }
    Ok(customer)
}

/// Whether the customer is a reseller-model (代售) customer.
fn resale(c: &CustomerInformation) -> bool {
    c.association_type.as_deref() != Some("1")
}

fn set_frozen(world: &mut World, id: &str, value: i32) {
    if let Some((_, c)) = world.customers.iter_mut().find(|(_, c)| c.id() == id) {
        c.is_frozen = Some(value);
    }
}

fn detail(id: &str, err: ApiError) -> types::CustomerErrorDetail {
    types::CustomerErrorDetail {
        error_code: Some(err.code.to_string()),
        error_msg: Some(err.message),
        id: Some(id.to_string()),
    }
}

/// The company and account names of the partner, or of the reseller `owner`.
fn partner_names(world: &World, owner: Option<&str>) -> (String, String) {
    owner
        .and_then(|id| {
            world
                .indirect_partners
                .iter()
                .find(|p| p.indirect_partner_id.as_deref() == Some(id))
        })
        .map_or_else(
            || (PARTNER_CORP.to_string(), PARTNER_ACCOUNT.to_string()),
            |p| {
                (
                    p.name.clone().unwrap_or_default(),
                    p.account_name.clone().unwrap_or_default(),
                )
            },
        )
}

/// Who an invoice is made out to.
#[derive(Clone)]
struct Party {
    title: String,
    title_type: i32,
    email: String,
    operator: String,
}

impl Party {
    fn partner() -> Party {
        Party {
            title: PARTNER_CORP.to_string(),
            title_type: 1,
            email: "billing@sandbox-partner.example.com".to_string(),
            operator: "partner_admin".to_string(),
        }
    }
}

/// One invoice: `kind` is (trade type, invoicing basis), `tax` the tax it includes.
#[allow(clippy::too_many_arguments)]
fn invoice(
    rng: &mut fastrand::Rng,
    sequence: &mut u32,
    party: Party,
    kind: (i32, i32),
    amount: Decimal,
    tax: Decimal,
    month: usize,
    applied: String,
) -> types::InvoiceRequestInfoIntl {
    *sequence += 1;
    let date: String = applied.chars().take(10).filter(|c| *c != '-').collect();
    // Recent applications are still being processed; older ones are completed or returned.
    let recent = applied.as_str() >= "2024-05-10";
    let state = if recent {
        [1, 4, 5, 6, 7][rng.usize(..5)]
    } else if rng.u8(..20) == 0 {
        9
    } else {
        8
    };
    let paper = rng.u8(..4) == 0;
    let year = 2022 + month / 12;
    types::InvoiceRequestInfoIntl {
        request_id: Some(format!("IR{date}{:08}", *sequence)),
        cancel_reason: (state == 9)
            .then(|| "The invoice title does not match the account name.".to_string()),
        title_type: Some(party.title_type),
        channel_type: Some(0),
        invoice_type: Some(1),
        invoice_title: Some(party.title),
        invoice_amount: Some(Amount(amount)),
        invoice_method: Some(kind.1),
        invoice_class: Some(0),
        invoice_state: Some(state),
        apply_opera: Some(party.operator),
        address_info: paper.then(|| types::PostAddressInfoIntl {
            address: Some(format!(
                "{} Example Road, Singapore 0189{:02}",
                1 + rng.u32(..200),
                rng.u32(..100)
            )),
            recipients: Some(
                ["Alex Tan", "Mei Lim", "Raj Kumar", "Siti Rahman"][rng.usize(..4)].to_string(),
            ),
            zip_code: Some(format!("0189{:02}", rng.u32(..100))),
            mobile_phone: Some(format!(
                "+65 8{:03} {:04}",
                rng.u32(..1000),
                rng.u32(..10_000)
            )),
        }),
        apply_time: Some(applied),
        invoice_mode: paper.then(|| "0".to_string()),
        email: (!paper).then_some(party.email),
        request_mode: Some("0".to_string()),
        src_request_id: None,
        sales_id: Some("HWC-SG-001".to_string()),
        invoice_no: (state >= 6 && state != 9).then(|| format!("SG{year}{:07}", *sequence)),
        trade_type: Some(kind.0),
        bill_cycle: Some(cycle(month)),
        tax_list: vec![types::TaxInfo {
            tax_class: Some("GST".to_string()),
            tax_rate: Some(gst(month).to_string()),
            sub_tax_class: Some("GST".to_string()),
            tax_amount: Some(Amount(tax)),
            tax_visible_flag: Some("Y".to_string()),
            tax_accounting_flag: Some("Y".to_string()),
        }],
    }
}

/// The Singapore GST rate of the year of `month`: 7 % (2022), 8 % (2023), 9 % (2024).
fn gst(month: usize) -> Decimal {
    Decimal::new(7 + (month / 12).min(2) as i64, 2)
}

/// The tax included in a gross `amount`.
fn included_tax(amount: Decimal, month: usize) -> Decimal {
    let rate = gst(month);
    (amount * rate / (Decimal::ONE + rate)).round_dp(2)
}

/// `YYYY-MM` of month index `month` (0 = 2022-01).
fn cycle(month: usize) -> String {
    format!("{}-{:02}", 2022 + month / 12, month % 12 + 1)
}

/// A UTC time on `day` of month index `month`, at a random hour.
fn stamp(month: usize, day: u32, rng: &mut fastrand::Rng) -> String {
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(month, day),
        rng.u32(1..=23),
        rng.u32(..60),
        rng.u32(..60)
    )
}

fn date(month: usize, day: u32) -> String {
    format!("{}-{:02}", cycle(month), day.clamp(1, 28))
}

/// A random time in the months `from..to` (before NOW).
fn time(rng: &mut fastrand::Rng, from: usize, to: usize) -> String {
    let month = rng.usize(from..to);
    stamp(month, rng.u32(1..=28), rng)
}

/// A random amount with cents between two whole amounts.
fn money(rng: &mut fastrand::Rng, min: i64, max: i64) -> Decimal {
    Decimal::new(rng.i64(min * 100..=max * 100), 2)
}

/// `YYYY-MM` with a month from 01 to 12.
fn is_month(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 7
        && bytes[4] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit())
        && matches!(text[5..].parse::<u32>(), Ok(1..=12))
}

/// `yyyy-MM-ddTHH:mm:ssZ`.
fn is_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        })
        && is_month(&text[..7])
}

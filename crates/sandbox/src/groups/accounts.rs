//! The `accounts` group in the sandbox: account funds: customer and reseller balances, transfers
//! and reclaims, adjust records and income/expense records.
//!
//! The caller is a distributor: it holds a cash account (with a part reserved for designated use)
//! and a credit account, and each of its resellers (`world.indirect_partners`) holds a cash
//! account. Funds move between the partner (or, with `indirect_partner_id`, a reseller) and the
//! reseller-model customers it owns, and between the partner and its resellers. Every move leaves
//! an adjust record (ListPartnerAdjustRecords) and an income/expense record whose
//! `balance_after_change` is the account's balance afterwards (ListPartnerAccountChangeRecords).
//! The seeded history is replayed in time order, so the seeded records and balances agree.

use huaweicloud_bss::accounts::types;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use crate::calendar::{civil_from_days, days_from_civil, parse_date, parse_timestamp, timestamp};
use crate::ids::hex;
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

/// The currency of every account (China site).
const CURRENCY: &str = "CNY";
/// Cash (balance) account.
const CASH: i32 = 1;
/// Credit account.
const CREDIT: i32 = 2;
const BEADJUST: &str = "SOURCE_OPERATION_BEADJUST";
const BERETRIEVE: &str = "SOURCE_OPERATION_BERETRIEVE";
const BEUNBIND: &str = "SOURCE_OPERATION_BEUNBIND";
const RECHARGE: &str = "SOURCE_OPERAIION_RECHARGE";
const USAGE: &str = "SOURCE_OPERAIION_USAGE";
const ADJUST_CREDIT: &str = "SOURCE_OPERAIION_ADJUST_CREDIT";
const MEMOS: &[&str] = &[
    "",
    "月度拨款",
    "项目预付款",
    "季度返利拨付",
    "测试环境经费",
    "年度框架协议拨款",
    "",
];
const RECLAIM_MEMOS: &[&str] = &["", "回收未使用余额", "项目结项回收", "调整额度"];

/// Whose account: the partner's (`None`) or a reseller's.
pub type Holder = Option<String>;

/// The account an income/expense record belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BalanceType {
    /// The cash account (`BALANCE_TYPE_DEBIT`).
    Debit,
    /// The credit account (`BALANCE_TYPE_CREDIT`).
    Credit,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// The partner's own accounts: cash, then credit.
    pub partner: Vec<types::AccountBalanceV2>,
    /// Each reseller's accounts, by reseller id.
    pub resellers: Vec<(String, Vec<types::AccountBalanceV2>)>,
    /// Customers' balances; a customer without an entry (e.g. one created later) holds zero.
    pub customers: Vec<types::CustomerBalancesV2>,
    /// Transfer and reclaim records, newest first, with the holder that made them.
    pub adjust_records: Vec<(Holder, types::AdjustRecordV3)>,
    /// Income and expense records, newest first, with the holder and account they belong to.
    pub change_records: Vec<(Holder, BalanceType, types::AccountChangeRecord)>,
    serial: u64,
}

/// One move of the seeded history.
enum Event {
    Recharge,
    ToCustomer(Holder),
    FromCustomer(Holder),
    ToReseller,
    FromReseller,
    CreditUse,
    CreditRepay,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut state = State {
            partner: vec![
                account(rng, CASH, Decimal::from(300_000), "现金账户"),
                account(rng, CREDIT, Decimal::ZERO, "信用账户"),
            ],
            ..State::default()
        };
        state.partner[0].designated_amount = Some(Amount(Decimal::new(2_000, 0)));
        state.partner[1].credit_amount = Some(Amount(Decimal::new(200_000, 0)));
        for p in &world.indirect_partners {
            if let Some(id) = &p.indirect_partner_id {
                let opening = money(rng, 2_000, 20_000);
                state
                    .resellers
                    .push((id.clone(), vec![account(rng, CASH, opening, "现金账户")]));
            }
        }
        for (_, c) in world.customers.iter().filter(|(_, c)| resale(c)) {
            state.customers.push(types::CustomerBalancesV2 {
                customer_id: Some(c.id().to_string()),
                amount: Some(Amount(Decimal::ZERO)),
                debt_amount: Some(Amount(Decimal::ZERO)),
                currency: Some(CURRENCY.to_string()),
                measure_id: Some(1),
            });
        }

        // The history from 2023-07-01 to 2024-05-31, replayed in time order.
        let start = days_from_civil(2023, 7, 1) * 86_400;
        let end = days_from_civil(2024, 6, 1) * 86_400 - 1;
        let mut events: Vec<(i64, Event)> = Vec::new();
        let at = |rng: &mut fastrand::Rng| rng.i64(start..=end);
        for _ in 0..20 {
            events.push((at(rng), Event::Recharge));
        }
        for _ in 0..260 {
            events.push((at(rng), Event::ToCustomer(None)));
        }
        for _ in 0..50 {
            events.push((at(rng), Event::FromCustomer(None)));
        }
        if !world.indirect_partners.is_empty() {
            for _ in 0..48 {
                events.push((at(rng), Event::ToReseller));
            }
            for _ in 0..10 {
                events.push((at(rng), Event::FromReseller));
            }
        }
        for (id, _) in &state.resellers {
            for _ in 0..8 {
                events.push((at(rng), Event::ToCustomer(Some(id.clone()))));
            }
            for _ in 0..2 {
                events.push((at(rng), Event::FromCustomer(Some(id.clone()))));
            }
        }
        for month in 0..11 {
            let (y, m) = (2023 + (6 + month) / 12, (6 + month) % 12 + 1);
            let first = days_from_civil(y, m as u32, 1) * 86_400;
            events.push((first + 3_600 * (2 + rng.i64(0..20)), Event::CreditUse));
            events.push((first + 86_400 * (9 + rng.i64(0..5)), Event::CreditRepay));
        }
        events.sort_by_key(|(t, _)| *t);

        // The credit line is granted first.
        let granted = timestamp(start + 3_600);
        state.partner[1].amount = Some(Amount(Decimal::new(200_000, 0)));
        state.push_change(
            None,
            BalanceType::Credit,
            ADJUST_CREDIT,
            &granted,
            format!("CL{}", compact(&granted)),
            Decimal::new(200_000, 0),
            true,
            None,
        );
        let mut owed = Decimal::ZERO;
        for (t, event) in events {
            let time = timestamp(t);
            match event {
                Event::Recharge => {
                    let amount = money(rng, 20_000, 150_000);
                    add(&mut state.partner[0], amount);
                    state.push_change(
                        None,
                        BalanceType::Debit,
                        RECHARGE,
                        &time,
                        format!("RC{}{:05}", compact(&time), rng.u32(..100_000)),
                        amount,
                        true,
                        None,
                    );
                }
                Event::ToCustomer(holder) => {
                    let owned: Vec<_> = world
                        .customers
                        .iter()
                        .filter(|(o, c)| *o == holder && resale(c))
                        .map(|(_, c)| c)
                        .collect();
                    if owned.is_empty() {
                        continue;
                    }
                    let customer = owned[rng.usize(..owned.len())];
                    let amount = match rng.u8(..4) {
                        0 => Decimal::new(rng.i64(1..=50) * 100, 0),
                        _ => money(rng, 50, 8_000),
                    };
                    let id = hex(rng);
                    let memo = MEMOS[rng.usize(..MEMOS.len())];
                    // Skipped when the holder cannot cover it, as the server would refuse it.
                    let _ = state.transfer(&holder, customer, amount, &time, id, memo);
                }
                Event::FromCustomer(holder) => {
                    let held: Vec<_> = world
                        .customers
                        .iter()
                        .filter(|(o, c)| *o == holder && resale(c))
                        .map(|(_, c)| c)
                        .filter(|c| state.customer_amount(c.id()) > Decimal::ZERO)
                        .collect();
                    if held.is_empty() {
                        continue;
                    }
                    let customer = held[rng.usize(..held.len())];
                    let balance = state.customer_amount(customer.id());
                    let share = Decimal::new(rng.i64(10..=100), 2);
                    let amount = (balance * share).round_dp(2).max(Decimal::new(1, 2));
                    let id = hex(rng);
                    let memo = RECLAIM_MEMOS[rng.usize(..RECLAIM_MEMOS.len())];
                    let _ = state.reclaim(&holder, customer, amount, &time, id, memo);
                }
                Event::ToReseller => {
                    let reseller =
                        &world.indirect_partners[rng.usize(..world.indirect_partners.len())];
                    let amount = Decimal::new(rng.i64(2..=20) * 1_000, 0);
                    let id = hex(rng);
                    let memo = MEMOS[rng.usize(..MEMOS.len())];
                    let _ = state.fund_reseller(reseller, amount, &time, id, memo);
                }
                Event::FromReseller => {
                    let reseller =
                        &world.indirect_partners[rng.usize(..world.indirect_partners.len())];
                    let holder = reseller.indirect_partner_id.clone();
                    let balance = state
                        .cash(&holder)
                        .and_then(|a| a.amount)
                        .map_or(Decimal::ZERO, Amount::value);
                    let amount = (balance * Decimal::new(rng.i64(5..=40), 2)).round_dp(2);
                    if amount <= Decimal::ZERO {
                        continue;
                    }
                    let id = hex(rng);
                    let memo = RECLAIM_MEMOS[rng.usize(..RECLAIM_MEMOS.len())];
                    let _ = state.reclaim_reseller(reseller, amount, &time, id, memo);
                }
                Event::CreditUse => {
                    let amount = money(rng, 500, 12_000);
                    owed += amount;
                    add(&mut state.partner[1], -amount);
                    state.push_change(
                        None,
                        BalanceType::Credit,
                        USAGE,
                        &time,
                        format!("BR{}{:05}", compact(&time), rng.u32(..100_000)),
                        amount,
                        false,
                        None,
                    );
                }
                Event::CreditRepay => {
                    if owed <= Decimal::ZERO {
                        continue;
                    }
                    let amount = owed;
                    owed = Decimal::ZERO;
                    add(&mut state.partner[1], amount);
                    state.push_change(
                        None,
                        BalanceType::Credit,
                        RECHARGE,
                        &time,
                        format!("RP{}{:05}", compact(&time), rng.u32(..100_000)),
                        amount,
                        true,
                        None,
                    );
                }
            }
        }

        // What the customers spent of what they received, and a few in arrears.
        for balance in &mut state.customers {
            let held = balance.amount.map_or(Decimal::ZERO, Amount::value);
            if held > Decimal::ZERO {
                let spent = (held * Decimal::new(rng.i64(0..=90), 2)).round_dp(2);
                balance.amount = Some(Amount(held - spent));
            } else if rng.u8(..5) == 0 {
                balance.debt_amount = Some(Amount(money(rng, 0, 800).max(Decimal::new(1, 2))));
            }
        }
        state.adjust_records.reverse();
        state.change_records.reverse();
        state
    }

    fn cash(&self, holder: &Holder) -> Option<&types::AccountBalanceV2> {
        self.accounts(holder)?
            .iter()
            .find(|a| a.account_type == Some(CASH))
    }

    fn accounts(&self, holder: &Holder) -> Option<&Vec<types::AccountBalanceV2>> {
        match holder {
            None => Some(&self.partner),
            Some(id) => self.resellers.iter().find(|(r, _)| r == id).map(|(_, a)| a),
        }
    }

    fn cash_mut(&mut self, holder: &Holder) -> Option<&mut types::AccountBalanceV2> {
        let accounts = match holder {
            None => &mut self.partner,
            Some(id) => &mut self.resellers.iter_mut().find(|(r, _)| r == id)?.1,
        };
        accounts.iter_mut().find(|a| a.account_type == Some(CASH))
    }

    /// What the holder can transfer: `amount - designated_amount` of its cash account.
    fn available(&self, holder: &Holder) -> Decimal {
        self.cash(holder).map_or(Decimal::ZERO, |a| {
            a.amount.map_or(Decimal::ZERO, Amount::value)
                - a.designated_amount.map_or(Decimal::ZERO, Amount::value)
        })
    }

    fn customer_amount(&self, id: &str) -> Decimal {
        self.customers
            .iter()
            .find(|b| b.customer_id.as_deref() == Some(id))
            .and_then(|b| b.amount)
            .map_or(Decimal::ZERO, Amount::value)
    }

    fn customer_mut(&mut self, id: &str) -> &mut types::CustomerBalancesV2 {
        let at = match self
            .customers
            .iter()
            .position(|b| b.customer_id.as_deref() == Some(id))
        {
            Some(at) => at,
            None => {
                self.customers.push(types::CustomerBalancesV2 {
                    customer_id: Some(id.to_string()),
                    amount: Some(Amount(Decimal::ZERO)),
                    debt_amount: Some(Amount(Decimal::ZERO)),
                    currency: Some(CURRENCY.to_string()),
                    measure_id: Some(1),
                });
                self.customers.len() - 1
            }
        };
        &mut self.customers[at]
    }

    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// Adds an income (`income`) or expense record to the holder's account.
    #[allow(clippy::too_many_arguments)]
    fn push_change(
        &mut self,
        holder: Holder,
        kind: BalanceType,
        detail: &str,
        time: &str,
        trade_id: String,
        amount: Decimal,
        income: bool,
        counterpart: Option<(String, String)>,
    ) {
        let account_type = match kind {
            BalanceType::Debit => CASH,
            BalanceType::Credit => CREDIT,
        };
        let after = self
            .accounts(&holder)
            .and_then(|a| a.iter().find(|a| a.account_type == Some(account_type)))
            .and_then(|a| a.amount)
            .map_or(Decimal::ZERO, Amount::value);
        let serial = self.next_serial();
        let (customer_id, account_name) = counterpart.unzip();
        self.change_records.push((
            holder,
            kind,
            types::AccountChangeRecord {
                account_change_id: Some(format!("ACR{}{serial:09}", compact(time))),
                trade_detail_type: Some(detail.to_string()),
                trade_time: Some(time.to_string()),
                trade_id: Some(trade_id),
                change_amount: Some(Amount(amount)),
                balance_after_change: Some(Amount(after)),
                type_: Some(if income { "1" } else { "2" }.to_string()),
                customer_id,
                account_name,
            },
        ));
    }

    /// Moves `amount` from the holder to its customer (appends the records).
    fn transfer(
        &mut self,
        holder: &Holder,
        customer: &huaweicloud_bss::customers::types::CustomerInformation,
        amount: Decimal,
        time: &str,
        id: String,
        memo: &str,
    ) -> Result<(), ApiError> {
        if self.available(holder) < amount {
            return Err(insufficient(holder_name(holder)));
        }
        if let Some(cash) = self.cash_mut(holder) {
            add(cash, -amount);
        }
        let balance = self.customer_mut(customer.id());
        balance.amount = Some(Amount(
            balance.amount.map_or(Decimal::ZERO, Amount::value) + amount,
        ));
        self.adjust_records.push((
            holder.clone(),
            adjust_record(
                customer.id(),
                customer_name(customer),
                BEADJUST,
                amount,
                time,
                &id,
                memo,
            ),
        ));
        self.push_change(
            holder.clone(),
            BalanceType::Debit,
            BEADJUST,
            time,
            id,
            amount,
            false,
            Some((customer.id().to_string(), customer.login().to_string())),
        );
        Ok(())
    }

    /// Moves `amount` from the holder's customer back to the holder (appends the records).
    fn reclaim(
        &mut self,
        holder: &Holder,
        customer: &huaweicloud_bss::customers::types::CustomerInformation,
        amount: Decimal,
        time: &str,
        id: String,
        memo: &str,
    ) -> Result<(), ApiError> {
        let held = self.customer_amount(customer.id());
        if held < amount {
            return Err(ApiError::business(
                "CBC.99005003",
                format!(
                    "Insufficient balance: the customer's account holds {held}, less than the {amount} to reclaim."
                ),
            ));
        }
        let balance = self.customer_mut(customer.id());
        balance.amount = Some(Amount(held - amount));
        if let Some(cash) = self.cash_mut(holder) {
            add(cash, amount);
        }
        self.adjust_records.push((
            holder.clone(),
            adjust_record(
                customer.id(),
                customer_name(customer),
                BERETRIEVE,
                amount,
                time,
                &id,
                memo,
            ),
        ));
        self.push_change(
            holder.clone(),
            BalanceType::Debit,
            BERETRIEVE,
            time,
            id,
            amount,
            true,
            Some((customer.id().to_string(), customer.login().to_string())),
        );
        Ok(())
    }

    /// Moves `amount` from the partner to a reseller (appends the records).
    fn fund_reseller(
        &mut self,
        reseller: &huaweicloud_bss::customers::types::IndirectPartnerInfo,
        amount: Decimal,
        time: &str,
        id: String,
        memo: &str,
    ) -> Result<(), ApiError> {
        let rid = reseller.indirect_partner_id.clone().unwrap_or_default();
        if self.available(&None) < amount {
            return Err(insufficient("the partner"));
        }
        let target = Some(rid.clone());
        if self.cash(&target).is_none() {
            return Err(no_reseller(&rid));
        }
        if let Some(cash) = self.cash_mut(&None) {
            add(cash, -amount);
        }
        if let Some(cash) = self.cash_mut(&target) {
            add(cash, amount);
        }
        let name = reseller.name.clone().unwrap_or_default();
        let account_name = reseller.account_name.clone().unwrap_or_default();
        self.adjust_records.push((
            None,
            adjust_record(&rid, name, BEADJUST, amount, time, &id, memo),
        ));
        let counterpart = Some((rid.clone(), account_name));
        self.push_change(
            None,
            BalanceType::Debit,
            BEADJUST,
            time,
            id.clone(),
            amount,
            false,
            counterpart.clone(),
        );
        self.push_change(
            target,
            BalanceType::Debit,
            BEADJUST,
            time,
            id,
            amount,
            true,
            None,
        );
        Ok(())
    }

    /// Moves `amount` from a reseller back to the partner (appends the records).
    fn reclaim_reseller(
        &mut self,
        reseller: &huaweicloud_bss::customers::types::IndirectPartnerInfo,
        amount: Decimal,
        time: &str,
        id: String,
        memo: &str,
    ) -> Result<(), ApiError> {
        let rid = reseller.indirect_partner_id.clone().unwrap_or_default();
        let target = Some(rid.clone());
        if self.cash(&target).is_none() {
            return Err(no_reseller(&rid));
        }
        let held = self.available(&target);
        if held < amount {
            return Err(ApiError::business(
                "CBC.99005003",
                format!(
                    "Insufficient balance: the reseller's account holds {held}, less than the {amount} to reclaim."
                ),
            ));
        }
        if let Some(cash) = self.cash_mut(&target) {
            add(cash, -amount);
        }
        if let Some(cash) = self.cash_mut(&None) {
            add(cash, amount);
        }
        let name = reseller.name.clone().unwrap_or_default();
        let account_name = reseller.account_name.clone().unwrap_or_default();
        self.adjust_records.push((
            None,
            adjust_record(&rid, name, BERETRIEVE, amount, time, &id, memo),
        ));
        self.push_change(
            None,
            BalanceType::Debit,
            BERETRIEVE,
            time,
            id.clone(),
            amount,
            true,
            Some((rid.clone(), account_name)),
        );
        self.push_change(
            target,
            BalanceType::Debit,
            BERETRIEVE,
            time,
            id,
            amount,
            false,
            None,
        );
        Ok(())
    }

    /// Puts the records a write just appended at the front (newest first).
    fn newest_first(&mut self, adjust: usize, change: usize) {
        let moved: Vec<_> = self.adjust_records.drain(adjust..).rev().collect();
        self.adjust_records.splice(0..0, moved);
        let moved: Vec<_> = self.change_records.drain(change..).rev().collect();
        self.change_records.splice(0..0, moved);
    }
}

impl crate::generated::accounts::Server for World {
    fn list_customers_balances_detail(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::QueryCustomersBalancesReq = body(call)?;
        let holder =
            world.acting_reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
        let state = &world.groups.accounts;
        let mut seen: Vec<&str> = Vec::new();
        let mut found = Vec::new();
        for info in &request.customer_infos {
            let id = info.customer_id.as_str();
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let owned = world
                .customers
                .iter()
                .any(|(o, c)| *o == holder && c.id() == id && resale(c));
            if !owned {
                continue;
            }
            found.push(
                state
                    .customers
                    .iter()
                    .find(|b| b.customer_id.as_deref() == Some(id))
                    .cloned()
                    .unwrap_or_else(|| types::CustomerBalancesV2 {
                        customer_id: Some(id.to_string()),
                        amount: Some(Amount(Decimal::ZERO)),
                        debt_amount: Some(Amount(Decimal::ZERO)),
                        currency: Some(CURRENCY.to_string()),
                        measure_id: Some(1),
                    }),
            );
        }
        json(types::ListCustomersBalancesDetailResponse {
            customer_balances: found,
        })
    }

    fn update_customer_account_amount(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::AdjustAccountReq = body(call)?;
        let holder =
            world.acting_reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
        let customer = owned_customer(world, &holder, &request.customer_id)?;
        let id = world.new_id();
        let state = &mut world.groups.accounts;
        let (a, c) = (state.adjust_records.len(), state.change_records.len());
        state.transfer(
            &holder,
            &customer,
            request.amount.value(),
            NOW,
            id.clone(),
            "",
        )?;
        state.newest_first(a, c);
        json(types::UpdateCustomerAccountAmountResponse {
            transfer_id: Some(id),
        })
    }

    fn reclaim_to_partner_account(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::ReclaimToPartnerAccountBalancesReq = body(call)?;
        let holder =
            world.acting_reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
        let customer = owned_customer(world, &holder, &request.customer_id)?;
        let id = world.new_id();
        let state = &mut world.groups.accounts;
        let (a, c) = (state.adjust_records.len(), state.change_records.len());
        state.reclaim(
            &holder,
            &customer,
            request.amount.value(),
            NOW,
            id.clone(),
            "",
        )?;
        state.newest_first(a, c);
        json(types::ReclaimToPartnerAccountResponse { trans_id: Some(id) })
    }

    fn update_indirect_partner_account(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::AdjustToIndirectPartnerReq = body(call)?;
        let reseller = reseller(world, &request.indirect_partner_id)?;
        let id = world.new_id();
        let state = &mut world.groups.accounts;
        let (a, c) = (state.adjust_records.len(), state.change_records.len());
        state.fund_reseller(&reseller, request.amount.value(), NOW, id.clone(), "")?;
        state.newest_first(a, c);
        json(types::UpdateIndirectPartnerAccountResponse {
            transfer_id: Some(id),
        })
    }

    fn reclaim_indirect_partner_account(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::ReclaimIndirectPartnerAccountReq = body(call)?;
        let reseller = reseller(world, &request.indirect_partner_id)?;
        let id = world.new_id();
        let state = &mut world.groups.accounts;
        let (a, c) = (state.adjust_records.len(), state.change_records.len());
        state.reclaim_reseller(&reseller, request.amount.value(), NOW, id.clone(), "")?;
        state.newest_first(a, c);
        json(types::ReclaimIndirectPartnerAccountResponse { trans_id: Some(id) })
    }

    fn list_partner_balances(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let holder = world.acting_reseller(call.query("indirect_partner_id"))?;
        let accounts = world
            .groups
            .accounts
            .accounts(&holder)
            .cloned()
            .unwrap_or_default();
        json(types::ListPartnerBalancesResponse {
            account_balances: accounts,
        })
    }

    fn list_partner_adjust_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_adjust_records(self, call)
    }

    fn list_partner_account_change_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_change_records(self, call)
    }
}

fn list_adjust_records(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let holder = world.acting_reseller(call.query("indirect_partner_id"))?;
    let kind = call.query("operation_type");
    if let Some(k) = kind
        && ![BEADJUST, BERETRIEVE, BEUNBIND].contains(&k)
    {
        return Err(ApiError::invalid(format!(
            "operation_type: must be one of {BEADJUST}, {BERETRIEVE}, {BEUNBIND} (got `{k}`)"
        )));
    }
    let mut bounds = Vec::new();
    for name in ["operation_time_begin", "operation_time_end"] {
        let value = call.query(name);
        if let Some(v) = value
            && parse_timestamp(v).is_none()
        {
            return Err(ApiError::invalid(format!(
                "{name}: must be a UTC time yyyy-MM-ddTHH:mm:ssZ (got `{v}`)"
            )));
        }
        bounds.push(value);
    }
    let (begin, end) = (bounds[0], bounds[1]);
    if let (Some(b), Some(e)) = (begin, end)
        && b > e
    {
        return Err(ApiError::invalid(
            "operation_time_begin: must not be after operation_time_end",
        ));
    }
    let customer = call.query("customer_id");
    let trans = call.query("trans_id");
    let found: Vec<_> = world
        .groups
        .accounts
        .adjust_records
        .iter()
        .filter(|(h, _)| *h == holder)
        .map(|(_, r)| r)
        .filter(|r| customer.is_none_or(|c| r.customer_id.as_deref() == Some(c)))
        .filter(|r| kind.is_none_or(|k| r.operation_type.as_deref() == Some(k)))
        .filter(|r| trans.is_none_or(|t| r.trans_id.as_deref() == Some(t)))
        .filter(|r| {
            let time = r.operation_time.as_deref().unwrap_or_default();
            begin.is_none_or(|b| time >= b) && end.is_none_or(|e| time <= e)
        })
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListPartnerAdjustRecordsResponse {
        records: page,
        total_count: Some(total),
    })
}

fn list_change_records(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let holder = world.acting_reseller(call.query("indirect_partner_id"))?;
    let kind = match call.query("balance_type") {
        Some("BALANCE_TYPE_DEBIT") => BalanceType::Debit,
        Some("BALANCE_TYPE_CREDIT") => BalanceType::Credit,
        other => {
            return Err(ApiError::invalid(format!(
                "balance_type: must be BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT (got `{}`)",
                other.unwrap_or_default()
            )));
        }
    };
    // Dates are UTC+8 calendar days; the default period is the year up to today.
    let today = (parse_timestamp(NOW).unwrap_or_default() + 8 * 3_600).div_euclid(86_400);
    let day = |name: &str| -> Result<Option<i64>, ApiError> {
        match call.query(name) {
            None => Ok(None),
            Some(v) => parse_date(v).map(Some).ok_or_else(|| {
                ApiError::invalid(format!("{name}: must be a date YYYY-MM-DD (got `{v}`)"))
            }),
        }
    };
    let end = day("trade_time_end")?.unwrap_or(today);
    let begin = match day("trade_time_begin")? {
        Some(b) => b,
        None => {
            let (y, m, d) = civil_from_days(end);
            days_from_civil(y - 1, m, d.min(28))
        }
    };
    if begin > end {
        return Err(ApiError::invalid(
            "trade_time_begin: must not be after trade_time_end",
        ));
    }
    let (y, m, d) = civil_from_days(begin);
    let year_later = days_from_civil(y + 1, m, d.min(28)).max(begin + 365);
    if end > year_later {
        return Err(ApiError::invalid(
            "trade_time_begin, trade_time_end: the period spans at most one year",
        ));
    }
    let trade = call.query("trade_type");
    let found: Vec<_> = world
        .groups
        .accounts
        .change_records
        .iter()
        .filter(|(h, k, _)| *h == holder && *k == kind)
        .map(|(_, _, r)| r)
        .filter(|r| {
            trade.is_none_or(|t| trade_matches(t, r.trade_detail_type.as_deref().unwrap_or("")))
        })
        .filter(|r| {
            let local = r
                .trade_time
                .as_deref()
                .and_then(parse_timestamp)
                .map(|s| (s + 8 * 3_600).div_euclid(86_400));
            local.is_some_and(|d| d >= begin && d <= end)
        })
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListPartnerAccountChangeRecordsResponse {
        total_count: Some(total),
        currency: Some(CURRENCY.to_string()),
        records: page,
    })
}

/// Whether a record of detailed type `detail` is of the transaction type `trade` (the filter).
fn trade_matches(trade: &str, detail: &str) -> bool {
    match trade {
        "" => true,
        "DEDEUCT" => detail.ends_with("_DEDEUCT") || detail.ends_with("_USAGE"),
        "ADJUST" => detail.ends_with("_ADJUST_CREDIT") || detail.ends_with("_BILLREFUND"),
        _ => detail.ends_with(&format!("_{trade}")),
    }
}

fn reseller(
    world: &World,
    id: &str,
) -> Result<huaweicloud_bss::customers::types::IndirectPartnerInfo, ApiError> {
    world
        .indirect_partners
        .iter()
        .find(|p| p.indirect_partner_id.as_deref() == Some(id))
        .cloned()
        .ok_or_else(|| no_reseller(id))
}

/// The customer `id` of `holder` (looked up now, so customers created later count).
fn owned_customer(
    world: &World,
    holder: &Holder,
    id: &str,
) -> Result<huaweicloud_bss::customers::types::CustomerInformation, ApiError> {
    let customer = world.customer_of(holder, id).ok_or_else(|| {
        ApiError::business(
            "CBC.99000035",
            format!(
                "The customer `{id}` is not a customer of {}.",
                holder_name(holder)
            ),
        )
    })?;
    if !resale(customer) {
        return Err(ApiError::business(
            "CBC.5021",
            format!(
                "The customer `{id}` is a referral-model customer: funds cannot be transferred to or reclaimed from it."
            ),
        ));
    }
    Ok(customer.clone())
}

/// Whether the customer is a reseller-model (代售) customer, the only kind with partner funds.
fn resale(c: &huaweicloud_bss::customers::types::CustomerInformation) -> bool {
    c.association_type.as_deref() != Some("1")
}

fn customer_name(c: &huaweicloud_bss::customers::types::CustomerInformation) -> String {
    c.customer.clone().unwrap_or_else(|| c.login().to_string())
}

fn holder_name(holder: &Holder) -> &'static str {
    if holder.is_some() {
        "the reseller"
    } else {
        "the partner"
    }
}

fn insufficient(who: &str) -> ApiError {
    ApiError::business(
        "CBC.99005003",
        format!(
            "Insufficient balance: the amount exceeds what {who} can transfer (amount - designated_amount)."
        ),
    )
}

fn no_reseller(id: &str) -> ApiError {
    ApiError::business(
        "CBC.99000037",
        format!("No permission on the reseller `{id}`."),
    )
}

fn adjust_record(
    customer_id: &str,
    customer_name: String,
    kind: &str,
    amount: Decimal,
    time: &str,
    id: &str,
    memo: &str,
) -> types::AdjustRecordV3 {
    types::AdjustRecordV3 {
        customer_id: Some(customer_id.to_string()),
        customer_name: Some(customer_name),
        operation_type: Some(kind.to_string()),
        amount: Some(Amount(amount)),
        currency: Some(CURRENCY.to_string()),
        apply_scene: Some("通用".to_string()),
        operation_time: Some(time.to_string()),
        measure_id: Some(1),
        trans_id: Some(id.to_string()),
        memo: Some(memo.to_string()),
    }
}

fn account(
    rng: &mut fastrand::Rng,
    kind: i32,
    amount: Decimal,
    memo: &str,
) -> types::AccountBalanceV2 {
    types::AccountBalanceV2 {
        account_id: Some(hex(rng)),
        account_type: Some(kind),
        amount: Some(Amount(amount)),
        currency: Some(CURRENCY.to_string()),
        designated_amount: Some(Amount(Decimal::ZERO)),
        credit_amount: Some(Amount(Decimal::ZERO)),
        measure_id: Some(1),
        memo: Some(memo.to_string()),
    }
}

/// Adds `delta` to an account's amount and returns the new amount.
fn add(account: &mut types::AccountBalanceV2, delta: Decimal) -> Decimal {
    let after = account.amount.map_or(Decimal::ZERO, Amount::value) + delta;
    account.amount = Some(Amount(after));
    after
}

/// A random amount in yuan (with fen) between two amounts in yuan.
fn money(rng: &mut fastrand::Rng, min: i64, max: i64) -> Decimal {
    Decimal::new(rng.i64(min * 100..=max * 100), 2)
}

/// `2024-03-28T08:00:00Z` → `20240328080000`.
fn compact(time: &str) -> String {
    time.chars().filter(char::is_ascii_digit).collect()
}

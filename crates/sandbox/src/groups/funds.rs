//! The `funds` group in the sandbox: the customer's own balances, income and expense records,
//! coupon records, stored-value cards, and discounts.
//!
//! These are the CUSTOMER's own views (customer-self): the sandbox has one set of credentials, so
//! the calling customer is `world.customers[0]` (looked up at call time; any other caller would
//! see an empty wallet with zero balances).
//!
//! The wallet is the one the `costs` group pays the caller's consumption from
//! ([`super::costs::history`], made from the world alone): a cash account topped up through
//! payment channels, a credit line of 10,000 repaid every month, eight cash coupons (activated,
//! spent on yearly/monthly orders, cleared on expiry) and three stored-value cards. Its movements
//! are replayed in time order, so every income/expense record's `balance_after_change` follows
//! from the one before, the newest one is the balance ShowCustomerAccountBalances shows, and the
//! deductions of a billing month are the amounts the month's bills say were paid from that
//! account. The commercial agreement (ListBusinessDiscountInfo) is the one the `costs` group
//! discounts with; the incentive and discount policies (ListIncentiveDiscountPolicies, a partner
//! operation) hold a few policy changes per service type, answered as in force at a month's end.

use huaweicloud_bss::funds::types;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use super::costs::{self, Kind, Pot};
use crate::calendar::{DAY, parse_date, parse_timestamp, timestamp};
use crate::reply::{body, json, window, window_or};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

const CURRENCY: &str = "CNY";
const EAST8: i64 = 8 * 3_600;
/// The trade types the cash and credit records know.
const ACCOUNT_TRADES: &[&str] = &[
    "RECHARGE",
    "DEDEUCT",
    "REFUND",
    "RFROZEN",
    "TRANS",
    "ADJUST",
    "BEUNBIND",
    "EXPIRED",
    "BONUSCONVERT",
    "TRADE_MODE_TRANSFER",
    "DEPOSIT",
    "BEADJUST",
    "BERETRIEVE",
];
/// The trade types the coupon records know.
const COUPON_TRADES: &[&str] = &[
    "ADJUST",
    "DEDEUCT",
    "REFUND",
    "RFROZEN",
    "EXPIRED",
    "COUPONADJUST",
    "COUPONCANCEL",
];
const AGREEMENT_START: &str = "2023-12-31T16:00:00Z";
const AGREEMENT_END: &str = "2026-12-31T16:00:00Z";
const CN_REGIONS: &[(&str, &str)] = &[
    ("cn-north-4", "华北-北京四"),
    ("cn-east-3", "华东-上海一"),
    ("cn-south-1", "华南-广州"),
    ("cn-southwest-2", "西南-贵阳一"),
];
const HK_REGIONS: &[(&str, &str)] = &[("ap-southeast-1", "中国-香港")];
/// Policies: incentive policy and whether partner discounts apply.
const POLICIES: &[(&str, &str)] = &[("0", "YES"), ("1", "YES"), ("2", "NO"), ("13", "NO")];

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// The wallet's owner (the caller).
    pub customer_id: String,
    /// Its accounts: cash, then credit.
    pub balances: Vec<types::AccountBalanceV3>,
    /// Cash account records, newest first, with their transaction type (`trade_type`).
    pub cash_records: Vec<(&'static str, types::CustomerAccountChangeRecord)>,
    /// Credit account records, newest first, with their transaction type.
    pub credit_records: Vec<(&'static str, types::CustomerAccountChangeRecord)>,
    /// Cash coupon records, newest first, with their transaction type.
    pub coupon_records: Vec<(&'static str, types::CustomerCouponChangeRecord)>,
    /// Stored-value cards, newest first.
    pub cards: Vec<types::UserStoredValueCard>,
    /// Incentive and discount policies with the month they take effect, oldest first.
    pub policies: Vec<(String, types::IncentiveAndDiscountPolicy)>,
    /// The commercial agreement with every quoting item.
    pub agreement: types::ListBusinessDiscountInfoResponse,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut state = State {
            policies: policies(rng, world),
            ..State::default()
        };
        let Some(caller) = world.caller() else {
            return state;
        };
        state.customer_id = caller.id().to_string();
        state.agreement = agreement(rng, world);
        let wallet = costs::history(world, false).wallet;
        let name = caller.login().to_string();
        let mut cash = Decimal::ZERO;
        let mut credit = Decimal::ZERO;
        let mut coupons = vec![Decimal::ZERO; wallet.coupons.len()];
        let mut cards = vec![Decimal::ZERO; wallet.cards.len()];
        for (n, m) in wallet.moves.iter().enumerate() {
            let direction = if m.change < Decimal::ZERO {
                "EXPENSE"
            } else {
                "REVENUE"
            };
            let consumption = matches!(m.kind, Kind::Deduct { .. } | Kind::Refund);
            let names = |v: &str| {
                Some(if consumption {
                    v.to_string()
                } else {
                    String::new()
                })
            };
            let (trade, detail) = match (m.pot, m.kind) {
                (_, Kind::Recharge) => ("RECHARGE", "SOURCE_OPERAIION_RECHARGE"),
                (_, Kind::Deduct { usage: true }) => ("DEDEUCT", "SOURCE_OPERAIION_USAGE"),
                (_, Kind::Deduct { usage: false }) => ("DEDEUCT", "SOURCE_OPERAIION_DEDEUCT"),
                (_, Kind::Refund) => ("REFUND", "SOURCE_OPERAIION_UNSUBSCRIBE"),
                (Pot::Coupon(_), Kind::Grant) => ("ADJUST", "SOURCE_OPERAIION_PRIZE"),
                (_, Kind::Grant) => ("ADJUST", "SOURCE_OPERAIION_ADJUST_CREDIT"),
                (_, Kind::Expire) => ("EXPIRED", "SOURCE_OPERAIION_EXPIRECLEAR"),
            };
            let record = |balance: Decimal| types::CustomerAccountChangeRecord {
                account_change_id: Some(format!(
                    "ACR{}{:06}",
                    digits(&timestamp(m.time + EAST8)),
                    n + 1
                )),
                trade_detail_type: Some(detail.to_string()),
                trade_time: Some(timestamp(m.time)),
                trade_id: Some(m.trade_id.clone()),
                change_amount: Some(Amount(m.change)),
                balance_after_change: Some(Amount(balance)),
                revenue_expense_type: Some(direction.to_string()),
                bill_cycle: Some(m.cycle.clone()),
                payment_channel_id: m.channel.as_ref().map(|c| c.0.to_string()),
                payment_channel_no: m.channel.as_ref().map(|c| c.1.clone()),
                consume_time: Some(m.consume_time.clone()),
                account_name: Some(name.clone()),
                cloud_service_type_name: names(&m.service_name),
                resource_type_name: names(&m.resource_name),
            };
            match m.pot {
                Pot::Cash => {
                    cash += m.change;
                    state.cash_records.push((trade, record(cash)));
                }
                Pot::Credit => {
                    credit += m.change;
                    state.credit_records.push((trade, record(credit)));
                }
                Pot::Coupon(i) => {
                    let Some(balance) = coupons.get_mut(i) else {
                        continue;
                    };
                    *balance += m.change;
                    let id = wallet.coupons[i].id.clone();
                    state.coupon_records.push((
                        trade,
                        types::CustomerCouponChangeRecord {
                            coupon_id: Some(id),
                            trade_detail_type: Some(detail.to_string()),
                            trade_time: Some(timestamp(m.time)),
                            trade_id: Some(m.trade_id.clone()),
                            change_amount: Some(Amount(m.change)),
                            balance_after_change: Some(Amount(*balance)),
                            revenue_expense_type: Some(direction.to_string()),
                            bill_cycle: Some(m.cycle.clone()),
                            account_name: Some(name.clone()),
                            cloud_service_type_name: names(&m.service_name),
                            resource_type_name: names(&m.resource_name),
                        },
                    ));
                }
                Pot::Card(i) => {
                    if let Some(balance) = cards.get_mut(i) {
                        *balance += m.change;
                    }
                }
            }
        }
        state.cash_records.reverse();
        state.credit_records.reverse();
        state.coupon_records.reverse();
        let now = costs::now();
        state.cards = wallet
            .cards
            .iter()
            .zip(cards)
            .rev()
            .map(|(card, balance)| types::UserStoredValueCard {
                card_id: Some(card.id.clone()),
                card_name: Some(format!("华为云储值卡 {}元", card.face)),
                status: Some(if balance > Decimal::ZERO && card.to > now {
                    1
                } else {
                    2
                }),
                face_value: Some(Amount(card.face)),
                balance: Some(Amount(balance)),
                effective_time: Some(timestamp(card.from)),
                expire_time: Some(timestamp(card.to)),
            })
            .collect();
        state.balances = vec![
            account(
                format!("{:016x}{:016x}", rng.u64(..), rng.u64(..)),
                1,
                cash,
                Decimal::ZERO,
            ),
            account(
                format!("{:016x}{:016x}", rng.u64(..), rng.u64(..)),
                2,
                credit,
                wallet.credit_line,
            ),
        ];
        state
    }

    /// The caller's cash balance (the one ShowCustomerAccountBalances shows). An enterprise
    /// master's cash is this account.
    pub fn cash(&self) -> Decimal {
        self.balances
            .first()
            .and_then(|account| account.amount)
            .map(Amount::value)
            .unwrap_or_default()
    }

    /// Moves `change` into (positive) or out of (negative) the caller's cash account, now, with
    /// its record first in ListCustomerAccountChangeRecords: how the enterprise multi-account
    /// transfers to and reclaims from member accounts show in the master's own ledger.
    pub fn move_cash(&mut self, change: Decimal, trade_id: &str) {
        let Some(account) = self.balances.first_mut() else {
            return;
        };
        let balance = account.amount.map(Amount::value).unwrap_or_default() + change;
        account.amount = Some(Amount(balance));
        let account_name = self
            .cash_records
            .first()
            .and_then(|(_, record)| record.account_name.clone());
        let record = types::CustomerAccountChangeRecord {
            account_change_id: Some(format!(
                "ACR{}{:06}",
                digits(NOW),
                self.cash_records.len() + 1
            )),
            trade_detail_type: Some("SOURCE_OPERAIION_ADJUST".to_string()),
            trade_time: Some(NOW.to_string()),
            trade_id: Some(trade_id.to_string()),
            change_amount: Some(Amount(change)),
            balance_after_change: Some(Amount(balance)),
            revenue_expense_type: Some(
                if change < Decimal::ZERO {
                    "EXPENSE"
                } else {
                    "REVENUE"
                }
                .to_string(),
            ),
            bill_cycle: Some(NOW[..7].to_string()),
            payment_channel_id: None,
            payment_channel_no: None,
            consume_time: Some(NOW.to_string()),
            account_name,
            cloud_service_type_name: Some(String::new()),
            resource_type_name: Some(String::new()),
        };
        self.cash_records.insert(0, ("ADJUST", record));
    }

    /// Whether the caller (looked up now) owns the wallet.
    fn owned_by_caller(&self, world: &World) -> bool {
        world
            .caller()
            .is_some_and(|c| !self.customer_id.is_empty() && c.id() == self.customer_id)
    }
}

fn account(id: String, kind: i32, amount: Decimal, line: Decimal) -> types::AccountBalanceV3 {
    types::AccountBalanceV3 {
        account_id: Some(id),
        account_type: Some(kind),
        amount: Some(Amount(amount)),
        currency: Some(CURRENCY.to_string()),
        designated_amount: Some(Amount(Decimal::ZERO)),
        credit_amount: Some(Amount(line)),
        measure_id: Some(1),
    }
}

/// A few policy changes per service type: the first in force from 2023-01, then changes.
fn policies(
    rng: &mut fastrand::Rng,
    world: &World,
) -> Vec<(String, types::IncentiveAndDiscountPolicy)> {
    let mut out = Vec::new();
    for service in &world.service_types {
        let changes = 1 + rng.usize(..3);
        let mut months: Vec<usize> = (0..changes)
            .map(|i| if i == 0 { 0 } else { rng.usize(5..18) })
            .collect();
        months.sort_unstable();
        months.dedup();
        for month in months {
            let (policy, allow) = POLICIES[rng.usize(..POLICIES.len())];
            out.push((
                format!("{:04}-{:02}", 2023 + month / 12, month % 12 + 1),
                types::IncentiveAndDiscountPolicy {
                    service_type_code: service.service_type_code.clone(),
                    service_type_name: service.service_type_name.clone(),
                    incentive_policy: Some(policy.to_string()),
                    allow_discount: Some(allow.to_string()),
                },
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The caller's commercial agreement: the product items the `costs` group discounts with (China
/// site), two more on the Hong Kong site, and category items with their steps.
fn agreement(rng: &mut fastrand::Rng, world: &World) -> types::ListBusinessDiscountInfoResponse {
    let service_name = |suffix: &str| {
        let code = format!("hws.service.type.{suffix}");
        world
            .service_type(&code)
            .and_then(|s| s.service_type_name.clone())
    };
    let regions = |list: &[(&str, &str)]| -> Vec<types::RegionInfo> {
        list.iter()
            .map(|(code, name)| types::RegionInfo {
                region_code: Some(code.to_string()),
                region_name: Some(name.to_string()),
            })
            .collect()
    };
    let spec = |suffix: &str| match suffix {
        "ec2" => "通用计算增强型 c6 系列",
        "ebs" => "超高IO云硬盘",
        "obs" => "标准存储",
        "vpc" => "全动态BGP带宽",
        "rds" => "MySQL 主备实例",
        "elb" => "独享型负载均衡",
        "cdn" => "中国大陆 95峰值带宽",
        "dcs" => "Redis 主备实例",
        "cce" => "CCE Turbo 集群",
        "waf" => "Web应用防火墙 专业版",
        _ => "标准规格",
    };
    let hk: &[(&str, &str, i64)] = &[("ec2", "ONDEMAND", 90), ("obs", "ONDEMAND", 92)];
    let mut products = Vec::new();
    for (i, (site, (suffix, mode, ratio))) in costs::AGREEMENT
        .iter()
        .map(|a| ("HWC_CN", a))
        .chain(hk.iter().map(|a| ("HWC_HK", a)))
        .enumerate()
    {
        let ratio = Decimal::new(*ratio, 2);
        let basis = match *mode {
            "ONDEMAND" => "元/小时",
            "MONTHLY" => "元/月",
            _ => "元/年",
        };
        let tiered = *suffix == "cdn";
        let steps = if tiered {
            [
                (0, 10_000, 88),
                (10_000, 50_000, 85),
                (50_000, 1_000_000, 80),
            ]
            .iter()
            .enumerate()
            .map(|(n, (from, to, r))| types::ProductQuotingItemStep {
                step_id: Some(format!("PQS20240101{:03}{}", i + 1, n + 1)),
                step_no: Some((n + 1).to_string()),
                step_start: Some(Amount(Decimal::from(*from))),
                start_measure_id: Some(1),
                step_end: Some(Amount(Decimal::from(*to))),
                end_measure_id: Some(1),
                preferential_type: Some(0),
                sales_price: Some(Amount(Decimal::ZERO)),
                discount_ratio: Some(Amount(Decimal::new(*r, 2))),
                pricing_basis: Some(basis.to_string()),
            })
            .collect()
        } else {
            Vec::new()
        };
        products.push(types::ProductQuotingItem {
            item_id: Some(format!("PQI20240101{:05}", i + 1)),
            product_id: Some(format!("OFFI7405863753589{:05}", rng.u32(..100_000))),
            product_spec_name: Some(spec(suffix).to_string()),
            cloud_service_type: Some(format!("hws.service.type.{suffix}")),
            cloud_service_type_name: service_name(suffix),
            site_code: Some(site.to_string()),
            related_regions: regions(if site == "HWC_CN" {
                CN_REGIONS
            } else {
                HK_REGIONS
            }),
            charge_event_code: Some(
                match *mode {
                    "ONDEMAND" => "ONDEMAND_USAGE",
                    "MONTHLY" => "PERIOD_MONTHLY",
                    _ => "PERIOD_YEARLY",
                }
                .to_string(),
            ),
            charging_mode: Some(mode.to_string()),
            preferential_category: Some(i32::from(tiered)),
            preferential_type: Some(0),
            sales_price: Some(Amount(Decimal::ZERO)),
            discount_ratio: Some(Amount(ratio)),
            pricing_basis: Some(basis.to_string()),
            effective_time: Some(AGREEMENT_START.to_string()),
            expire_time: Some(AGREEMENT_END.to_string()),
            product_quoting_item_steps: steps,
        });
    }
    let families: &[(&str, &str, &str, &str, &str, &str, i64)] = &[
        (
            "obs",
            "obs",
            "STORAGE",
            "obs.standard",
            "标准存储",
            "MONTHLY",
            90,
        ),
        (
            "ebs", "volume", "STORAGE", "evs.ssd", "超高IO", "ONDEMAND", 88,
        ),
    ];
    let mut categories = Vec::new();
    for (suffix, kind, commercial, family, family_name, mode, ratio) in families {
        for (code, name) in CN_REGIONS {
            categories.push(types::CategoryQuotingItem {
                item_id: Some(format!("CQI20240101{:05}", categories.len() + 1)),
                cloud_service_type: Some(format!("hws.service.type.{suffix}")),
                cloud_service_type_name: service_name(suffix),
                commercial_resource_type: Some(commercial.to_string()),
                resource_type_code: Some(format!("hws.resource.type.{kind}")),
                resource_type_name: world
                    .resource_types
                    .iter()
                    .find(|r| {
                        r.resource_type_code.as_deref()
                            == Some(format!("hws.resource.type.{kind}").as_str())
                    })
                    .and_then(|r| r.resource_type_name.clone()),
                sku_family_code: Some(family.to_string()),
                sku_family_name: Some(family_name.to_string()),
                site_code: Some("HWC_CN".to_string()),
                region_code: Some(code.to_string()),
                region_name: Some(name.to_string()),
                az_code: Some(format!("{code}a")),
                az_name: Some("可用区1".to_string()),
                step_no: Some("1".to_string()),
                charging_mode: Some(mode.to_string()),
                discount_ratio: Some(Amount(Decimal::new(*ratio, 2))),
                effective_time: Some(AGREEMENT_START.to_string()),
                expire_time: Some(AGREEMENT_END.to_string()),
            });
        }
    }
    let category_steps = [(0, 100_000), (100_000, 500_000), (500_000, 2_000_000)]
        .iter()
        .enumerate()
        .map(|(n, (from, to))| types::CategoryQuotingItemStep {
            step_id: Some(format!("CQS2024010100{}", n + 1)),
            step_no: Some((n + 1).to_string()),
            step_start: Some(Amount(Decimal::from(*from))),
            start_measure_id: Some(1),
            step_end: Some(Amount(Decimal::from(*to))),
            end_measure_id: Some(1),
            effective_time: Some(AGREEMENT_START.to_string()),
            expire_time: Some(AGREEMENT_END.to_string()),
            site_code: Some("HWC_CN".to_string()),
        })
        .collect();
    types::ListBusinessDiscountInfoResponse {
        total_count: None,
        commerce_id: Some(format!("{:016x}{:016x}", rng.u64(..), rng.u64(..))),
        commerce_code: Some(format!("HWC-FA-2024-{:06}", rng.u32(..1_000_000))),
        effective_time: Some(AGREEMENT_START.to_string()),
        expire_time: Some(AGREEMENT_END.to_string()),
        product_quoting_items: products,
        category_quoting_items: categories,
        category_quoting_item_steps: category_steps,
        accumulation_cycle_type: Some("YEARLY".to_string()),
        sites: vec![
            types::SiteInfo {
                site_code: Some("HWC_CN".to_string()),
                site_name: Some("华为云中国站".to_string()),
                regions: regions(CN_REGIONS),
            },
            types::SiteInfo {
                site_code: Some("HWC_HK".to_string()),
                site_name: Some("华为云香港站".to_string()),
                regions: regions(HK_REGIONS),
            },
        ],
    }
}

impl crate::generated::funds::Server for World {
    fn show_customer_account_balances(&mut self, _call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let state = &world.groups.funds;
        let balances = if state.owned_by_caller(world) {
            state.balances.clone()
        } else {
            let id = |t: &str| format!("{}-{t}", world.caller_id());
            vec![
                account(id("cash"), 1, Decimal::ZERO, Decimal::ZERO),
                account(id("credit"), 2, Decimal::ZERO, Decimal::ZERO),
            ]
        };
        json(types::ShowCustomerAccountBalancesResponse {
            account_balances: balances,
            debt_amount: Some(Amount(Decimal::ZERO)),
            measure_id: Some(1),
            currency: Some(CURRENCY.to_string()),
        })
    }

    fn list_customer_account_change_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        account_records(self, call)
    }

    fn list_customer_coupon_change_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        coupon_records(self, call)
    }

    fn list_stored_value_cards(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let state = &world.groups.funds;
        let status = call.query("status").and_then(|s| s.parse::<i32>().ok());
        if !matches!(status, Some(1 | 2)) {
            return Err(ApiError::invalid(
                "status: must be 1 (usable) or 2 (used up)",
            ));
        }
        let card = call.query("card_id").filter(|c| !c.is_empty());
        let found: Vec<_> = state
            .cards
            .iter()
            .filter(|_| state.owned_by_caller(world))
            .filter(|c| c.status == status)
            .filter(|c| card.is_none_or(|id| c.card_id.as_deref() == Some(id)))
            .cloned()
            .collect();
        let (page, total) = window(&found, call);
        json(types::ListStoredValueCardsResponse {
            total_count: Some(total),
            stored_value_cards: page,
        })
    }

    fn list_incentive_discount_policies(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let state = &world.groups.funds;
        let time = call.query("time").unwrap_or_default();
        if time.len() != 7 || parse_date(&format!("{time}-01")).is_none() {
            return Err(ApiError::invalid(format!(
                "time: must be a month YYYY-MM (got `{time}`)"
            )));
        }
        let service = call.query("service_type_code");
        let mut found: Vec<types::IncentiveAndDiscountPolicy> = Vec::new();
        let in_force = state
            .policies
            .iter()
            .filter(|(from, _)| from.as_str() <= time);
        for (_, policy) in in_force {
            if service.is_some_and(|s| policy.service_type_code.as_deref() != Some(s)) {
                continue;
            }
            match found
                .iter_mut()
                .find(|p| p.service_type_code == policy.service_type_code)
            {
                Some(p) => *p = policy.clone(),
                None => found.push(policy.clone()),
            }
        }
        let order = |p: &types::IncentiveAndDiscountPolicy| {
            world
                .service_types
                .iter()
                .position(|s| s.service_type_code == p.service_type_code)
        };
        found.sort_by_key(order);
        let (page, total) = window(&found, call);
        json(types::ListIncentiveDiscountPoliciesResponse {
            policies: page,
            total_count: Some(total),
        })
    }

    fn list_business_discount_info(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        business_discounts(self, call)
    }
}

/// The income/expense records are not for reseller-model (转售) customers.
fn not_resale(world: &World) -> Result<(), ApiError> {
    if world
        .caller()
        .is_some_and(|c| c.association_type.as_deref() == Some("2"))
    {
        return Err(ApiError::business(
            "CBC.99000084",
            "Income and expense details are not available to reseller-model customers.",
        ));
    }
    Ok(())
}

/// A trade time's UTC+8 day.
fn local_day(time: &Option<String>) -> Option<i64> {
    time.as_deref()
        .and_then(parse_timestamp)
        .map(|t| (t + EAST8).div_euclid(DAY))
}

/// A `YYYY-MM-DD` filter (UTC+8) as a day number.
fn day_filter(call: &Call<'_>, name: &str) -> Result<Option<i64>, ApiError> {
    call.query(name)
        .map(|v| {
            parse_date(v).ok_or_else(|| {
                ApiError::invalid(format!("{name}: must be a date YYYY-MM-DD (got `{v}`)"))
            })
        })
        .transpose()
}

fn account_records(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.funds;
    not_resale(world)?;
    let records = match call.query("balance_type").unwrap_or_default() {
        "BALANCE_TYPE_DEBIT" => &state.cash_records,
        "BALANCE_TYPE_CREDIT" => &state.credit_records,
        other => {
            return Err(ApiError::invalid(format!(
                "balance_type: must be BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT (got `{other}`)"
            )));
        }
    };
    let direction = call.query("revenue_expense_type").filter(|v| !v.is_empty());
    if direction.is_some_and(|d| d != "REVENUE" && d != "EXPENSE") {
        return Err(ApiError::invalid(
            "revenue_expense_type: must be REVENUE or EXPENSE",
        ));
    }
    let trade = call.query("trade_type").filter(|v| !v.is_empty());
    if let Some(t) = trade
        && !ACCOUNT_TRADES.contains(&t)
    {
        return Err(ApiError::invalid(format!("trade_type: unknown type `{t}`")));
    }
    let begin = day_filter(call, "trade_time_begin")?;
    let end = day_filter(call, "trade_time_end")?;
    if let (Some(b), Some(e)) = (begin, end)
        && b > e
    {
        return Err(ApiError::invalid(
            "trade_time_begin: must not be after trade_time_end",
        ));
    }
    let trade_id = call.query("trade_id").filter(|v| !v.is_empty());
    let channels: Option<Vec<&str>> = call
        .query("payment_channel_id")
        .filter(|v| !v.is_empty())
        .map(|v| v.split(',').map(str::trim).collect());
    let channel_no = call.query("payment_channel_no").filter(|v| !v.is_empty());
    let owned = state.owned_by_caller(world);
    let found: Vec<_> = records
        .iter()
        .filter(|_| owned)
        .filter(|(t, _)| trade.is_none_or(|f| f == *t))
        .map(|(_, r)| r)
        .filter(|r| direction.is_none_or(|d| r.revenue_expense_type.as_deref() == Some(d)))
        .filter(|r| trade_id.is_none_or(|id| r.trade_id.as_deref() == Some(id)))
        .filter(|r| {
            channels.as_ref().is_none_or(|list| {
                r.payment_channel_id
                    .as_deref()
                    .is_some_and(|c| list.contains(&c))
            })
        })
        .filter(|r| channel_no.is_none_or(|n| r.payment_channel_no.as_deref() == Some(n)))
        .filter(|r| {
            let day = local_day(&r.trade_time);
            begin.is_none_or(|b| day.is_some_and(|d| d >= b))
                && end.is_none_or(|e| day.is_some_and(|d| d <= e))
        })
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListCustomerAccountChangeRecordsResponse {
        total_count: Some(total),
        currency: Some(CURRENCY.to_string()),
        records: page,
    })
}

fn coupon_records(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.funds;
    not_resale(world)?;
    if call.query("balance_type") != Some("BALANCE_TYPE_COUPON") {
        return Err(ApiError::invalid(
            "balance_type: must be BALANCE_TYPE_COUPON",
        ));
    }
    let direction = call.query("revenue_expense_type");
    if direction.is_some_and(|d| d != "REVENUE" && d != "EXPENSE") {
        return Err(ApiError::invalid(
            "revenue_expense_type: must be REVENUE or EXPENSE",
        ));
    }
    let trade = call.query("trade_type");
    if let Some(t) = trade
        && !COUPON_TRADES.contains(&t)
    {
        return Err(ApiError::invalid(format!("trade_type: unknown type `{t}`")));
    }
    // Default window: the same day one year ago to today (UTC+8).
    let today = (costs::now() + EAST8).div_euclid(DAY);
    let year_ago = parse_date(&format!(
        "{}{}",
        NOW[..4].parse::<i64>().unwrap_or(2024) - 1,
        &NOW[4..10]
    ))
    .unwrap_or(today - 366);
    let begin = day_filter(call, "trade_time_begin")?.unwrap_or(year_ago);
    let end = day_filter(call, "trade_time_end")?.unwrap_or(today);
    if begin > end {
        return Err(ApiError::invalid(
            "trade_time_begin: must not be after trade_time_end",
        ));
    }
    let trade_id = call.query("trade_id");
    let coupon = call.query("coupon_id");
    let owned = state.owned_by_caller(world);
    let found: Vec<_> = state
        .coupon_records
        .iter()
        .filter(|_| owned)
        .filter(|(t, _)| trade.is_none_or(|f| f == *t))
        .map(|(_, r)| r)
        .filter(|r| direction.is_none_or(|d| r.revenue_expense_type.as_deref() == Some(d)))
        .filter(|r| trade_id.is_none_or(|id| r.trade_id.as_deref() == Some(id)))
        .filter(|r| coupon.is_none_or(|id| r.coupon_id.as_deref() == Some(id)))
        .filter(|r| local_day(&r.trade_time).is_some_and(|d| d >= begin && d <= end))
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListCustomerCouponChangeRecordsResponse {
        total_count: Some(total),
        currency: Some(CURRENCY.to_string()),
        records: page,
    })
}

fn business_discounts(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.funds;
    let request: types::BusinessDiscountQueryReq = body(call)?;
    let services: Vec<String> = request
        .cloud_service_types
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    let modes: Vec<String> = request
        .charging_modes
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    let site = request.site_code.as_ref().map(|s| s.to_lowercase());
    let pass = |value: &Option<String>, list: &[String]| {
        list.is_empty()
            || value
                .as_deref()
                .is_some_and(|v| list.contains(&v.to_lowercase()))
    };
    let on_site = |value: &Option<String>| {
        site.as_deref()
            .is_none_or(|s| value.as_deref().is_some_and(|v| v.to_lowercase() == s))
    };
    let owned = state.owned_by_caller(world);
    // An item is quoted when the caller owns the agreement and it passes every filter.
    let quoted = |service: &Option<String>, mode: &Option<String>, site_code: &Option<String>| {
        owned && pass(service, &services) && pass(mode, &modes) && on_site(site_code)
    };
    let agreement = &state.agreement;
    let mut answer = types::ListBusinessDiscountInfoResponse {
        sites: agreement
            .sites
            .iter()
            .filter(|s| owned && on_site(&s.site_code))
            .cloned()
            .collect(),
        ..agreement.clone()
    };
    answer.product_quoting_items = Vec::new();
    answer.category_quoting_items = Vec::new();
    answer.category_quoting_item_steps = Vec::new();
    answer.accumulation_cycle_type = None;
    let total = match request.quoting_item_type {
        types::BusinessDiscountQueryReqQuotingItemType::ProductItem => {
            let found: Vec<_> = agreement
                .product_quoting_items
                .iter()
                .filter(|i| quoted(&i.cloud_service_type, &i.charging_mode, &i.site_code))
                .cloned()
                .collect();
            let (page, total) = window_or(&found, call, 20);
            answer.product_quoting_items = page;
            total
        }
        types::BusinessDiscountQueryReqQuotingItemType::CategoryItem => {
            let found: Vec<_> = agreement
                .category_quoting_items
                .iter()
                .filter(|i| quoted(&i.cloud_service_type, &i.charging_mode, &i.site_code))
                .cloned()
                .collect();
            let (page, total) = window_or(&found, call, 20);
            answer.category_quoting_items = page;
            if !found.is_empty() {
                answer.category_quoting_item_steps = agreement
                    .category_quoting_item_steps
                    .iter()
                    .filter(|s| on_site(&s.site_code))
                    .cloned()
                    .collect();
                answer.accumulation_cycle_type = agreement.accumulation_cycle_type.clone();
            }
            total
        }
    };
    answer.total_count = Some(total);
    if !owned {
        answer.commerce_id = None;
        answer.commerce_code = None;
        answer.effective_time = None;
        answer.expire_time = None;
    }
    json(answer)
}

fn digits(time: &str) -> String {
    time.chars().filter(char::is_ascii_digit).collect()
}

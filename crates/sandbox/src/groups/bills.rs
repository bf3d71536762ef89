//! The `bills` group in the sandbox: the partner's view of its customers' bills: monthly sums,
//! fee records and the customers that consumed.
//!
//! About two customers in five consume, from 2023-07 to 2024-05, on a few resources each
//! (yearly/monthly resources renewed every month and sometimes unsubscribed with a refund,
//! pay-per-use resources billed in one to three usage records a month). The monthly sums of the
//! reseller-model customers are made from those fee records, so each sum is exactly the sum of
//! its records. A customer's consumption belongs to whoever it is associated with: the partner,
//! or (with `indirect_partner_id`) one of its resellers.

use std::collections::BTreeMap;

use huaweicloud_bss::bills::types;
use huaweicloud_bss::customers::types::CustomerInformation;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use crate::calendar::{
    civil_from_days, days_from_civil, days_in_month, month, parse_date, timestamp,
};
use crate::ids::hex;
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

const CURRENCY: &str = "CNY";
/// The billing months with data: 2023-07 to 2024-05.
const FIRST_MONTH: (i64, u32) = (2023, 7);
const MONTHS: usize = 11;
/// Records are kept this many months (the current one included).
const KEPT_MONTHS: i64 = 18;

const REGIONS: &[(&str, &str)] = &[
    ("cn-north-4", "华北-北京四"),
    ("cn-east-3", "华东-上海一"),
    ("cn-south-1", "华南-广州"),
    ("cn-southwest-2", "西南-贵阳一"),
    ("ap-southeast-1", "中国-香港"),
];
const FLAVORS: &[&str] = &[
    "通用计算型|s6.large.2|2vCPUs|4GB|linux",
    "通用计算增强型|c6.xlarge.2|4vCPUs|8GB|linux",
    "通用计算增强型|c6.2xlarge.4|8vCPUs|32GB|linux",
    "内存优化型|m6.xlarge.8|4vCPUs|32GB|windows",
];
const WORDS: &[&str] = &[
    "web", "api", "db", "cache", "batch", "gateway", "portal", "etl",
];
const TAGS: &[&str] = &["env=prod", "env=test", "project=crm", "", ""];

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// Resource fee records, by billing month, customer and time.
    pub fee_records: Vec<types::SubCustomerMonthlyBillDetail>,
    /// Monthly sums of the reseller-model customers: (billing month, owner id, sum).
    pub bill_sums: Vec<(String, String, types::BillSumInfoV2)>,
    /// The partner's own id (the `partner_id` of its direct customers' records).
    pub partner_id: String,
}

/// A resource a customer is billed for.
struct Resource {
    id: String,
    name: String,
    service: (String, String),
    resource_type: (String, String),
    region: (&'static str, &'static str),
    /// 1 yearly/monthly, 3 pay-per-use.
    mode: i32,
    /// Monthly price (mode 1), or price per usage unit (mode 3).
    price: Decimal,
    /// Usage type code and its measure unit (mode 3).
    usage: (&'static str, i32),
    spec: String,
    product_id: String,
    tag: &'static str,
    /// First and last billed month (indexes into the months); `end` set when unsubscribed.
    start: usize,
    end: Option<usize>,
    /// The day of the month it renews on (mode 1).
    day: u32,
}

#[derive(Default)]
struct Sum {
    amount: Decimal,
    debt: Decimal,
    discount: Decimal,
    writeoff: Decimal,
    cash: Decimal,
    credit: Decimal,
    coupon: Decimal,
    flexi: Decimal,
    card: Decimal,
    service: String,
    service_name: String,
    resource_name: String,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let partner_id = hex(rng);
        let mut keyed: Vec<((usize, usize, String), types::SubCustomerMonthlyBillDetail)> =
            Vec::new();
        if world.resource_types.is_empty() {
            return State {
                partner_id,
                ..State::default()
            };
        }
        for (index, (owner, customer)) in world.customers.iter().enumerate() {
            if rng.u8(..5) >= 2 {
                continue;
            }
            let owner_id = owner.clone().unwrap_or_else(|| partner_id.clone());
            let rate = Decimal::new(rng.i64(0..=20), 2);
            let resources: Vec<Resource> = (0..rng.usize(2..=5))
                .map(|n| resource(rng, world, n))
                .collect();
            for r in &resources {
                let last = r.end.unwrap_or(MONTHS - 1);
                for month in r.start..=last {
                    for record in bill(rng, r, month, rate) {
                        let mut record = record;
                        record.customer_id = Some(customer.id().to_string());
                        record.association_type = customer.association_type.clone();
                        record.account_manager_id = customer
                            .account_managers
                            .first()
                            .and_then(|m| m.account_name.clone());
                        record.partner_id = Some(owner_id.clone());
                        let time = record.consume_time.clone().unwrap_or_default();
                        keyed.push(((month, index, time), record));
                    }
                }
            }
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let fee_records: Vec<_> = keyed.into_iter().map(|(_, r)| r).collect();
        let bill_sums = sums(world, &fee_records);
        State {
            fee_records,
            bill_sums,
            partner_id,
        }
    }

    /// The owner id an `indirect_partner_id` names: the partner when absent (or empty), else a
    /// known reseller (`CBC.99000037` otherwise).
    fn owner(&self, world: &World, reseller: Option<&str>) -> Result<String, ApiError> {
        Ok(world
            .acting_reseller(reseller)?
            .unwrap_or_else(|| self.partner_id.clone()))
    }
}

impl crate::generated::bills::Server for World {
    fn list_subcustomer_monthly_bills(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        monthly_bills(self, call)
    }

    fn list_sub_customer_bill_detail(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        bill_detail(self, call)
    }

    fn list_consume_sub_customers(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::ListConsumeSubCustomersReq = body(call)?;
        let cycle = request.bill_cycle.to_string();
        month("bill_cycle", &cycle)?;
        let state = &world.groups.bills;
        let mut consumed: Vec<&str> = Vec::new();
        for r in &state.fee_records {
            if r.bill_cycle.as_deref() == Some(cycle.as_str())
                && r.partner_id.as_deref() == Some(state.partner_id.as_str())
                && let Some(id) = r.customer_id.as_deref()
                && !consumed.contains(&id)
            {
                consumed.push(id);
            }
        }
        let found: Vec<_> = world
            .customers
            .iter()
            .filter(|(_, c)| consumed.contains(&c.id()))
            .map(|(_, c)| types::SubCustomerInfoV3 {
                customer_id: Some(c.id().to_string()),
            })
            .collect();
        let (page, total) = window(&found, call);
        json(types::ListConsumeSubCustomersResponse {
            sub_customers: page,
            total_count: Some(total),
        })
    }
}

fn monthly_bills(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.bills;
    let cycle = call.query("cycle").unwrap_or_default();
    month("cycle", cycle)?;
    let owner = state.owner(world, call.query("indirect_partner_id"))?;
    let customer = call.query("customer_id").filter(|c| !c.is_empty());
    if let Some(id) = customer {
        known_customer(world, id)?;
    }
    let service = call.query("cloud_service_type").filter(|s| !s.is_empty());
    let mode = call.query("charge_mode").unwrap_or_default();
    let bill_type = call.query("bill_type").filter(|s| !s.is_empty());
    let found: Vec<_> = state
        .bill_sums
        .iter()
        .filter(|(c, o, _)| c == cycle && *o == owner)
        .map(|(_, _, s)| s)
        .filter(|s| customer.is_none_or(|c| s.customer_id.as_deref() == Some(c)))
        .filter(|s| service.is_none_or(|v| s.cloud_service_type.as_deref() == Some(v)))
        .filter(|s| s.charge_mode.as_deref() == Some(mode))
        .filter(|s| bill_type.is_none_or(|t| s.bill_type.as_deref() == Some(t)))
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListSubcustomerMonthlyBillsResponse {
        bill_sums: page,
        count: Some(total),
        currency: Some(CURRENCY.to_string()),
    })
}

fn bill_detail(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.bills;
    let cycle = call.query("bill_cycle").unwrap_or_default();
    let (year, mon) = month("bill_cycle", cycle)?;
    let (now_year, now_month, _) = civil_from_days(parse_date(&NOW[..10]).unwrap_or_default());
    let age = (now_year - year) * 12 + i64::from(now_month) - i64::from(mon);
    if age >= KEPT_MONTHS {
        return Err(ApiError::invalid(format!(
            "bill_cycle: only the last {KEPT_MONTHS} months are available (got `{cycle}`)"
        )));
    }
    let customer = call.query("customer_id").unwrap_or_default();
    known_customer(world, customer)?;
    let owner = state.owner(world, call.query("indirect_partner_id"))?;
    let dates = match (call.query("bill_date_begin"), call.query("bill_date_end")) {
        (Some(b), Some(e)) => {
            for (name, v) in [("bill_date_begin", b), ("bill_date_end", e)] {
                if parse_date(v).is_none() || !v.starts_with(cycle) || v.len() != 10 {
                    return Err(ApiError::invalid(format!(
                        "{name}: must be a date YYYY-MM-DD in the month of bill_cycle (got `{v}`)"
                    )));
                }
            }
            if b > e {
                return Err(ApiError::invalid(
                    "bill_date_begin: must not be after bill_date_end",
                ));
            }
            Some((b, e))
        }
        // One date alone is ignored.
        _ => None,
    };
    let text = |name: &str| call.query(name);
    let number = |name: &str| call.query(name).and_then(|v| v.trim().parse::<i32>().ok());
    let (service, region) = (text("service_type_code"), text("region_code"));
    let (mode, detail_type) = (number("charging_mode"), number("bill_detail_type"));
    let (resource, name) = (text("resource_id"), text("resource_name"));
    let (trade, manager) = (text("trade_id"), text("account_manager_id"));
    let association = text("association_type");
    let is = |value: &Option<String>, filter: Option<&str>| {
        filter.is_none_or(|f| value.as_deref() == Some(f))
    };
    let found: Vec<_> = state
        .fee_records
        .iter()
        .filter(|r| r.bill_cycle.as_deref() == Some(cycle))
        .filter(|r| r.customer_id.as_deref() == Some(customer))
        .filter(|r| r.partner_id.as_deref() == Some(owner.as_str()))
        .filter(|r| is(&r.service_type_code, service) && is(&r.region_code, region))
        .filter(|r| mode.is_none_or(|m| r.charging_mode == Some(m)))
        .filter(|r| detail_type.is_none_or(|t| r.bill_detail_type == Some(t)))
        .filter(|r| is(&r.resource_id, resource) && is(&r.trade_id, trade))
        .filter(|r| name.is_none_or(|n| r.resource_name.as_deref().is_some_and(|v| v.contains(n))))
        .filter(|r| is(&r.account_manager_id, manager) && is(&r.association_type, association))
        .filter(|r| {
            dates.is_none_or(|(b, e)| {
                let day = r.consume_time.as_deref().and_then(|t| t.get(..10));
                day.is_some_and(|d| d >= b && d <= e)
            })
        })
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListSubCustomerBillDetailResponse {
        total_count: Some(total),
        currency: Some(CURRENCY.to_string()),
        fee_records: page,
    })
}

/// The customer `id` among the partner's customers (looked up now): `CBC.99000035` otherwise.
fn known_customer<'a>(world: &'a World, id: &str) -> Result<&'a CustomerInformation, ApiError> {
    world.customer(id).ok_or_else(|| {
        ApiError::business(
            "CBC.99000035",
            format!("The customer `{id}` is not a customer of the partner."),
        )
    })
}

/// A resource of a consuming customer.
fn resource(rng: &mut fastrand::Rng, world: &World, n: usize) -> Resource {
    let rt = &world.resource_types[rng.usize(..world.resource_types.len())];
    let service_code = rt.service_type_code.clone().unwrap_or_default();
    let (service_name, abbreviation) = world.service_names(&service_code);
    let code = rt.resource_type_code.clone().unwrap_or_default();
    let kind = code.trim_start_matches("hws.resource.type.");
    let traffic = matches!(kind, "cdn" | "obs");
    let metered = traffic || matches!(kind, "functiongraph" | "dns" | "image");
    let mode = if !metered && rng.u8(..5) < 2 { 1 } else { 3 };
    let price = match (mode, traffic) {
        (1, _) => Decimal::new(rng.i64(3_000..=300_000), 2),
        (_, true) => Decimal::new(rng.i64(15..=80), 2),
        _ => Decimal::new(rng.i64(5..=400), 2),
    };
    let spec = match kind {
        "vm" => FLAVORS[rng.usize(..FLAVORS.len())].to_string(),
        "volume" | "rds.volume" => format!("超高IO|{}GB", 40 * rng.u32(1..=25)),
        "bandwidth" => format!("全动态BGP|{}Mbit/s", rng.u32(1..=50)),
        _ => format!(
            "{}|标准版",
            rt.resource_type_name.clone().unwrap_or_default()
        ),
    };
    let start = if rng.bool() { 0 } else { rng.usize(..MONTHS) };
    let end = (mode == 1 && start + 1 < MONTHS && rng.u8(..5) == 0)
        .then(|| rng.usize(start + 1..MONTHS))
        .or_else(|| (mode == 3 && rng.u8(..7) == 0).then(|| rng.usize(start..MONTHS)));
    Resource {
        id: format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            rng.u32(..),
            rng.u16(..),
            rng.u16(..0x1000),
            0x8000 | rng.u16(..0x4000),
            rng.u64(..1 << 48)
        ),
        name: format!(
            "{abbreviation}-{}-{:02}",
            WORDS[rng.usize(..WORDS.len())],
            n + 1
        ),
        service: (service_code, service_name),
        resource_type: (
            code.clone(),
            rt.resource_type_name.clone().unwrap_or_default(),
        ),
        region: REGIONS[rng.usize(..REGIONS.len())],
        mode,
        price,
        usage: if traffic {
            ("upflow", 10)
        } else {
            ("Duration", 4)
        },
        spec,
        product_id: format!("OFFI{:018}", rng.u64(..1_000_000_000_000_000_000)),
        tag: TAGS[rng.usize(..TAGS.len())],
        start,
        end,
        day: rng.u32(1..=28),
    }
}

/// The fee records of one resource in one month (customer fields left to the caller).
fn bill(
    rng: &mut fastrand::Rng,
    r: &Resource,
    month: usize,
    rate: Decimal,
) -> Vec<types::SubCustomerMonthlyBillDetail> {
    let (y, m) = month_at(month);
    let cycle = format!("{y:04}-{m:02}");
    let days = days_in_month(y, m);
    let mut out = Vec::new();
    if r.mode == 1 {
        let (detail, order) = match (month == r.start, rng.u8(..3)) {
            (true, _) => (1, 1),
            (false, 0) => (2, 2),
            _ => (8, 2),
        };
        out.push(record(
            rng,
            r,
            &cycle,
            (y, m, r.day),
            detail,
            Some(order),
            r.price,
            rate,
            None,
        ));
        if r.end == Some(month) {
            let day = rng.u32(r.day..=days);
            let left = Decimal::from(days - day + 1) / Decimal::from(days);
            let refund = -(r.price * left).round_dp(2);
            if refund < Decimal::ZERO {
                out.push(record(
                    rng,
                    r,
                    &cycle,
                    (y, m, day),
                    4,
                    Some(4),
                    refund,
                    rate,
                    None,
                ));
            }
        }
    } else {
        let pieces = rng.u32(1..=3);
        let mut from = 1;
        for piece in 0..pieces {
            let to = if piece + 1 == pieces {
                days
            } else {
                (from + days / pieces - 1).min(days)
            };
            let usage = if r.usage.0 == "upflow" {
                Decimal::new(rng.i64(100..=200_000), 2)
            } else {
                Decimal::from((to - from + 1) * 24)
            };
            let official = (usage * r.price).round_dp(2);
            if official > Decimal::ZERO {
                out.push(record(
                    rng,
                    r,
                    &cycle,
                    (y, m, to),
                    5,
                    None,
                    official,
                    rate,
                    Some(usage),
                ));
            }
            from = to + 1;
        }
    }
    out
}

/// One fee record: `official` is the list price (negative for a refund).
#[allow(clippy::too_many_arguments)]
fn record(
    rng: &mut fastrand::Rng,
    r: &Resource,
    cycle: &str,
    (y, m, d): (i64, u32, u32),
    detail: i32,
    order: Option<i32>,
    official: Decimal,
    rate: Decimal,
    usage: Option<Decimal>,
) -> types::SubCustomerMonthlyBillDetail {
    // Hours 00-15 UTC, so the UTC+8 bill date is the same day.
    let at = days_from_civil(y, m, d) * 86_400 + rng.i64(0..16 * 3_600);
    let consume = timestamp(at);
    let trade_time = timestamp(at + rng.i64(0..60));
    let refund = official < Decimal::ZERO;
    let discount = if refund {
        Decimal::ZERO
    } else {
        (official * rate).round_dp(2)
    };
    let payment = official - discount;
    let zero = Decimal::ZERO;
    let (mut cash, mut credit, mut coupon, mut debt) = (payment, zero, zero, zero);
    if !refund {
        match rng.u8(..10) {
            0 => {
                coupon = payment.min(Decimal::from([50, 100, 200][rng.usize(..3)]));
                cash = payment - coupon;
            }
            1 => (cash, credit) = (zero, payment),
            2 if r.mode == 3 => {
                cash = (payment / Decimal::from(2)).round_dp(2);
                debt = payment - cash;
            }
            _ => {}
        }
    }
    let letters: String = (0..5).map(|_| rng.char('A'..='Z')).collect();
    let stamp: String = consume.chars().filter(char::is_ascii_digit).collect();
    let trade_id = if r.mode == 1 {
        format!("CS{}{letters}", &stamp[2..12])
    } else {
        format!("BR{}{letters}", &stamp[2..12])
    };
    let metered = r.mode == 3;
    let product = r.spec.split('|').next().unwrap_or_default();
    types::SubCustomerMonthlyBillDetail {
        bill_cycle: Some(cycle.to_string()),
        customer_id: None,
        association_type: None,
        service_type_code: Some(r.service.0.clone()),
        resource_type_code: Some(r.resource_type.0.clone()),
        service_type_name: Some(r.service.1.clone()),
        resource_type_name: Some(r.resource_type.1.clone()),
        charging_mode: Some(r.mode),
        trade_time: Some(trade_time),
        trade_id: Some(trade_id),
        id: Some(hex(rng)),
        bill_detail_type: Some(detail),
        resource_id: Some(r.id.clone()),
        resource_name: Some(r.name.clone()),
        product_spec_desc: Some(r.spec.clone()),
        region_code: Some(r.region.0.to_string()),
        product_id: Some(r.product_id.clone()),
        product_name: Some(format!(
            "{product} {}",
            if metered { "按需" } else { "包月" }
        )),
        resource_tag: Some(r.tag.to_string()),
        consume_time: Some(consume),
        usage_type: metered.then(|| r.usage.0.to_string()),
        usage_amount: usage.map(Amount),
        usage_measure_id: metered.then_some(r.usage.1),
        free_resource_usage: metered.then_some(Amount(zero)),
        free_resource_measure_id: metered.then_some(r.usage.1),
        ri_usage: metered.then_some(Amount(zero)),
        ri_usage_measure_id: metered.then_some(r.usage.1),
        official_amount: Some(Amount(official)),
        official_discount_amount: Some(Amount(discount)),
        payment_amount: Some(Amount(payment)),
        cash_amount: Some(Amount(cash)),
        credit_amount: Some(Amount(credit)),
        coupon_amount: Some(Amount(coupon)),
        flexipurchase_coupon_amount: Some(Amount(zero)),
        stored_value_card_amount: Some(Amount(zero)),
        debt_amount: Some(Amount(debt)),
        writeoff_amount: Some(Amount(zero)),
        period_type: Some(if metered { 25 } else { 20 }),
        account_manager_id: None,
        partner_id: None,
        region_name: Some(r.region.1.to_string()),
        sub_service_type_code: None,
        sub_service_type_name: None,
        sub_resource_type_code: None,
        sub_resource_type_name: None,
        sub_resource_id: None,
        sub_resource_name: None,
        period_num: (!metered).then_some(Amount(Decimal::ONE)),
        enterprise_project_id: Some("0".to_string()),
        order_type: order,
        payment_type: None,
    }
}

/// The monthly sums of the reseller-model customers' fee records: one line per customer,
/// service type, resource type, charge mode and bill type.
fn sums(
    world: &World,
    records: &[types::SubCustomerMonthlyBillDetail],
) -> Vec<(String, String, types::BillSumInfoV2)> {
    type Key = (String, usize, String, usize, String, i32, String);
    let mut groups: BTreeMap<Key, Sum> = BTreeMap::new();
    let value = |a: Option<Amount>| a.map_or(Decimal::ZERO, Amount::value);
    for r in records {
        let customer = r.customer_id.clone().unwrap_or_default();
        let Some(index) = world.customers.iter().position(|(_, c)| c.id() == customer) else {
            continue;
        };
        if r.association_type.as_deref() == Some("1") {
            continue;
        }
        let service = r.service_type_code.clone().unwrap_or_default();
        let service_index = world.service_rank(&service);
        let bill_type = if r.bill_detail_type == Some(4) {
            "1"
        } else {
            "0"
        };
        let key = (
            r.bill_cycle.clone().unwrap_or_default(),
            index,
            r.partner_id.clone().unwrap_or_default(),
            service_index,
            r.resource_type_code.clone().unwrap_or_default(),
            r.charging_mode.unwrap_or_default(),
            bill_type.to_string(),
        );
        let sum = groups.entry(key).or_default();
        sum.amount += value(r.payment_amount);
        sum.debt += value(r.debt_amount);
        sum.discount += value(r.official_discount_amount);
        sum.writeoff += value(r.writeoff_amount);
        sum.cash += value(r.cash_amount);
        sum.credit += value(r.credit_amount);
        sum.coupon += value(r.coupon_amount);
        sum.flexi += value(r.flexipurchase_coupon_amount);
        sum.card += value(r.stored_value_card_amount);
        sum.service = service;
        sum.service_name = r.service_type_name.clone().unwrap_or_default();
        sum.resource_name = r.resource_type_name.clone().unwrap_or_default();
    }
    groups
        .into_iter()
        .map(|((cycle, index, owner, _, resource, mode, bill_type), s)| {
            let refund = bill_type != "0";
            let details = [
                ("BALANCE_TYPE_DEBIT", s.cash),
                ("BALANCE_TYPE_CREDIT", s.credit),
                ("BALANCE_TYPE_COUPON", s.coupon),
                ("BALANCE_TYPE_RCASH_COUPON", s.flexi),
                ("BALANCE_TYPE_STORED_VALUE_CARD", s.card),
            ]
            .into_iter()
            .filter(|(_, amount)| !amount.is_zero())
            .map(|(kind, amount)| types::BalanceTypeDeductSumV2 {
                balance_type: Some(kind.to_string()),
                amount: Some(Amount(amount)),
                bill_type: Some(bill_type.clone()),
            })
            .collect();
            let customer = &world.customers[index].1;
            let sum = types::BillSumInfoV2 {
                customer_id: Some(customer.id().to_string()),
                cloud_service_type: Some(s.service),
                cloud_service_type_name: Some(s.service_name),
                bill_type: Some(bill_type.clone()),
                charge_mode: Some(mode.to_string()),
                amount: Some(Amount(s.amount)),
                debt_amount: (!refund).then_some(Amount(s.debt)),
                adjustment_amount: (!refund).then_some(Amount(s.writeoff)),
                discount_amount: (!refund).then_some(Amount(s.discount)),
                measure_id: Some(1),
                account_details: details,
                resource_type_code: Some(resource),
                resource_type_name: Some(s.resource_name),
            };
            (cycle, owner, sum)
        })
        .collect()
}

/// The month at an index of the data (0 = 2023-07).
fn month_at(index: usize) -> (i64, u32) {
    let n = FIRST_MONTH.0 * 12 + i64::from(FIRST_MONTH.1) - 1 + index as i64;
    (n.div_euclid(12), (n.rem_euclid(12) + 1) as u32)
}

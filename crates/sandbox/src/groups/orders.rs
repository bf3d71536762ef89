//! The `orders` group in the sandbox: orders: listing, details, refunds, paying and cancelling
//! pending orders, their discounts and coupons.
//!
//! The completed orders of the seeded yearly/monthly resources (purchases, renewals,
//! unsubscriptions) and their pending renewals come from the `resources` group (see
//! [`link`]); this module adds pending and cancelled new purchases, and the coupons customers
//! can pay pending orders with. Paying a renewal order renews its resources. Reseller-model
//! customers pay from (and are refunded to) the balance the partner funds in the `accounts`
//! group: a payment the balance cannot cover is refused with `CBC.99005003`.

use huaweicloud_bss::orders::types;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use super::resources::{
    self, SPECS, add_months, billed_months, is_customer, priced, product_id, type_names,
};
use crate::calendar::{parse_timestamp, timestamp};
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

/// The head of an order: who, what kind, which state, when.
#[derive(Clone, Debug)]
pub(crate) struct Head {
    pub order_id: String,
    pub customer_id: String,
    pub order_type: i32,
    pub status: i32,
    pub source_type: i32,
    pub create_time: String,
    pub payment_time: Option<String>,
    pub user_name: String,
    pub enterprise_project: Option<(String, String)>,
    pub pending_payment_end_time: Option<String>,
}

/// A line item to be: the product, its period and its amounts.
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub service_type_code: String,
    pub service_type_name: String,
    pub resource_type_code: String,
    pub product_id: String,
    pub product_spec_desc: String,
    /// (period type, number of periods); none on unsubscription orders.
    pub period: Option<(i32, i32)>,
    pub effective_time: String,
    pub expire_time: String,
    pub official: Decimal,
    pub after: Decimal,
    pub coupon: Decimal,
    pub consumed: Decimal,
}

/// An order with its line items, refund items (unsubscription orders) and the discount a
/// pending order may use: (discount ID, ratio).
#[derive(Clone, Debug)]
pub(crate) struct Order {
    pub info: types::CustomerOrderV2,
    pub user_name: String,
    pub pending_payment_end_time: Option<String>,
    pub lines: Vec<types::OrderLineItemEntityV2>,
    pub refunds: Vec<types::OrderRefundInfoV2>,
    pub discount: Option<(String, Decimal)>,
}

/// A coupon a customer can pay orders with.
#[derive(Clone, Debug)]
struct Coupon {
    customer_id: String,
    info: types::CouponInfoV2,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    orders: Vec<Order>,
    coupons: Vec<Coupon>,
}

fn dec(amount: Option<Amount>) -> Decimal {
    amount.map(Amount::value).unwrap_or_default()
}

fn amount(value: Decimal) -> Option<Amount> {
    Some(Amount::from(value))
}

/// The partner's discount code on amounts (`607`).
const PARTNER_DISCOUNT: &str = "607";

fn amount_info(discount: Decimal, coupon: Decimal, consumed: Decimal) -> types::AmountInfomationV2 {
    types::AmountInfomationV2 {
        discounts: if discount > Decimal::ZERO {
            vec![types::DiscountItemV2 {
                discount_type: Some(PARTNER_DISCOUNT.to_string()),
                discount_amount: amount(discount),
            }]
        } else {
            Vec::new()
        },
        flexipurchase_coupon_amount: amount(Decimal::ZERO),
        coupon_amount: amount(coupon),
        stored_card_amount: amount(Decimal::ZERO),
        commission_amount: amount(Decimal::ZERO),
        consumed_amount: amount(consumed),
    }
}

/// An order made of `lines`, its amounts summed from them.
pub(crate) fn build(head: Head, lines: Vec<Line>, refunds: Vec<types::OrderRefundInfoV2>) -> Order {
    let first = lines.first().cloned();
    let items = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| types::OrderLineItemEntityV2 {
            order_line_item_id: Some(format!("{}-{:06}", head.order_id, i + 1)),
            service_type_code: Some(l.service_type_code.clone()),
            service_type_name: Some(l.service_type_name.clone()),
            product_id: Some(l.product_id.clone()),
            product_spec_desc: Some(l.product_spec_desc.clone()),
            period_type: l.period.map(|p| p.0),
            period_num: l.period.map(|p| p.1),
            effective_time: Some(l.effective_time.clone()),
            expire_time: Some(l.expire_time.clone()),
            subscription_num: Some(1),
            amount_after_discount: amount(l.after),
            official_amount: amount(l.official),
            amount_info: Some(amount_info(l.official - l.after, l.coupon, l.consumed)),
            currency: Some("CNY".to_string()),
            category_code: Some(l.resource_type_code.clone()),
            product_owner_service: Some(l.service_type_code.clone()),
            commercial_resource: Some(l.resource_type_code.clone()),
            base_product_info: Some(types::ProductObject {
                product_id: Some(l.product_id.clone()),
                product_spec_desc: Some(l.product_spec_desc.clone()),
                category_code: Some(l.resource_type_code.clone()),
                product_owner_service: Some(l.service_type_code.clone()),
                commercial_resource: Some(l.resource_type_code),
            }),
            order_id: Some(head.order_id.clone()),
        })
        .collect();
    let mut refunds = refunds;
    for (i, refund) in refunds.iter_mut().enumerate() {
        let digits = head.order_id.get(2..).unwrap_or_default();
        refund.id = Some(format!("RF{digits}{:03}", i + 1));
    }
    let (project_id, project_name) = head
        .enterprise_project
        .unwrap_or_else(|| ("0".to_string(), "default".to_string()));
    let mut order = Order {
        info: types::CustomerOrderV2 {
            order_id: Some(head.order_id),
            customer_id: Some(head.customer_id),
            service_type_code: first.as_ref().map(|l| l.service_type_code.clone()),
            service_type_name: first.as_ref().map(|l| l.service_type_name.clone()),
            source_type: Some(head.source_type),
            status: Some(head.status),
            order_type: Some(head.order_type),
            amount_after_discount: None,
            official_amount: None,
            measure_id: Some(1),
            create_time: Some(head.create_time),
            payment_time: head.payment_time,
            currency: Some("CNY".to_string()),
            contract_id: None,
            amount_info: None,
            enterprise_projects: vec![types::EnterpriseProject {
                id: Some(project_id),
                name: Some(project_name),
            }],
            sub_order_infos: Vec::new(),
            agent_pay_info: Some(types::AgentPayInfoV2 {
                paying_agent_id: None,
                is_agent_pay: Some(false),
            }),
        },
        user_name: head.user_name,
        pending_payment_end_time: head.pending_payment_end_time,
        lines: items,
        refunds,
        discount: None,
    };
    order.total();
    order
}

impl Order {
    fn id(&self) -> &str {
        self.info.order_id.as_deref().unwrap_or_default()
    }

    fn customer(&self) -> &str {
        self.info.customer_id.as_deref().unwrap_or_default()
    }

    /// The order's amounts: the sums of its line items'.
    fn total(&mut self) {
        let mut official = Decimal::ZERO;
        let mut after = Decimal::ZERO;
        let mut coupon = Decimal::ZERO;
        let mut flexi = Decimal::ZERO;
        let mut consumed = Decimal::ZERO;
        let mut discounts: Vec<(String, Decimal)> = Vec::new();
        for line in &self.lines {
            official += dec(line.official_amount);
            after += dec(line.amount_after_discount);
            if let Some(info) = &line.amount_info {
                coupon += dec(info.coupon_amount);
                flexi += dec(info.flexipurchase_coupon_amount);
                consumed += dec(info.consumed_amount);
                for d in &info.discounts {
                    let kind = d.discount_type.clone().unwrap_or_default();
                    match discounts.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, sum)) => *sum += dec(d.discount_amount),
                        None => discounts.push((kind, dec(d.discount_amount))),
                    }
                }
            }
        }
        self.info.official_amount = amount(official);
        self.info.amount_after_discount = amount(after);
        self.info.amount_info = Some(types::AmountInfomationV2 {
            discounts: discounts
                .into_iter()
                .map(|(kind, sum)| types::DiscountItemV2 {
                    discount_type: Some(kind),
                    discount_amount: amount(sum),
                })
                .collect(),
            flexipurchase_coupon_amount: amount(flexi),
            coupon_amount: amount(coupon),
            stored_card_amount: amount(Decimal::ZERO),
            commission_amount: amount(Decimal::ZERO),
            consumed_amount: amount(consumed),
        });
    }

    fn v3(&self) -> types::CustomerOrderV3 {
        let i = self.info.clone();
        types::CustomerOrderV3 {
            order_id: i.order_id,
            customer_id: i.customer_id,
            service_type_code: i.service_type_code,
            service_type_name: i.service_type_name,
            source_type: i.source_type,
            status: i.status,
            order_type: i.order_type,
            amount_after_discount: i.amount_after_discount,
            official_amount: i.official_amount,
            measure_id: i.measure_id,
            create_time: i.create_time,
            payment_time: i.payment_time,
            currency: i.currency,
            contract_id: i.contract_id,
            amount_info: i.amount_info,
            user_name: Some(self.user_name.clone()),
            pending_payment_end_time: self.pending_payment_end_time.clone(),
            sub_order_infos: Vec::new(),
        }
    }

    /// Marks a pending order paid now.
    fn paid(&mut self) {
        self.info.status = Some(5);
        self.info.payment_time = Some(NOW.to_string());
        self.pending_payment_end_time = None;
    }
}

/// `yyMMddHHmm` of a stamp, as order IDs carry it.
fn compact(ts: &str) -> String {
    [(2, 4), (5, 7), (8, 10), (11, 13), (14, 16)]
        .iter()
        .filter_map(|&(a, b)| ts.get(a..b))
        .collect()
}

/// An order ID for an order created at `create` (`CS2403281234ABCDE`).
pub(crate) fn order_id(create: &str, rng: &mut fastrand::Rng) -> String {
    let letters: String = (0..5).map(|_| char::from(b'A' + rng.u8(..26))).collect();
    format!("CS{}{letters}", compact(create))
}

/// A new order ID for an order created now.
pub(crate) fn new_order_id(world: &mut World) -> String {
    loop {
        let letters: String = world
            .new_id()
            .chars()
            .take(5)
            .map(|c| char::from(b'A' + c.to_digit(16).unwrap_or(0) as u8))
            .collect();
        let id = format!("CS{}{letters}", compact(NOW));
        if !world.groups.orders.orders.iter().any(|o| o.id() == id) {
            return id;
        }
    }
}

/// Adds an order.
pub(crate) fn insert(world: &mut World, order: Order) {
    world.groups.orders.orders.push(order);
}

/// Takes the orders the `resources` group made while seeding (once; later calls find none).
pub(crate) fn link(world: &mut World) {
    let adopted = world.groups.resources.take_orders();
    if !adopted.is_empty() {
        world.groups.orders.orders.extend(adopted);
    }
}

/// Pays a pending order from the account at once (RenewalResources with `is_auto_pay`). When
/// the balance is short the order stays pending (pay it later with PayOrders): false.
pub(crate) fn settle(world: &mut World, order_id: &str) -> bool {
    let Some(order) = world
        .groups
        .orders
        .orders
        .iter()
        .find(|o| o.id() == order_id && o.info.status == Some(6))
    else {
        return false;
    };
    let customer = order.customer().to_string();
    let due = dec(order.info.amount_after_discount);
    if charge(world, &customer, due).is_err() {
        return false;
    }
    if let Some(order) = world
        .groups
        .orders
        .orders
        .iter_mut()
        .find(|o| o.id() == order_id)
    {
        order.paid();
    }
    resources::on_paid(world, order_id);
    true
}

/// Whether the partner funds the customer's account: reseller-model (代售) customers pay from
/// the balance the partner transfers (the `accounts` group); referral customers pay from their
/// own account, outside the sandbox.
fn funded(world: &World, customer_id: &str) -> bool {
    world
        .customers
        .iter()
        .any(|(_, c)| c.id() == customer_id && c.association_type.as_deref() != Some("1"))
}

/// The customer's balance (zero without an account entry).
fn balance(world: &World, customer_id: &str) -> Decimal {
    world
        .groups
        .accounts
        .customers
        .iter()
        .find(|b| b.customer_id.as_deref() == Some(customer_id))
        .map(|b| dec(b.amount))
        .unwrap_or_default()
}

/// Adds `delta` (negative: a payment) to a funded customer's balance.
fn adjust(world: &mut World, customer_id: &str, delta: Decimal) {
    if delta == Decimal::ZERO || !funded(world, customer_id) {
        return;
    }
    let balances = &mut world.groups.accounts.customers;
    let at = match balances
        .iter()
        .position(|b| b.customer_id.as_deref() == Some(customer_id))
    {
        Some(at) => at,
        None => {
            balances.push(huaweicloud_bss::accounts::types::CustomerBalancesV2 {
                customer_id: Some(customer_id.to_string()),
                amount: amount(Decimal::ZERO),
                debt_amount: amount(Decimal::ZERO),
                currency: Some("CNY".to_string()),
                measure_id: Some(1),
            });
            balances.len() - 1
        }
    };
    let entry = &mut balances[at];
    entry.amount = amount(dec(entry.amount) + delta);
}

/// Takes `due` from a funded customer's balance: `CBC.99005003` when it holds less.
fn charge(world: &mut World, customer_id: &str, due: Decimal) -> Result<(), ApiError> {
    if funded(world, customer_id) {
        let held = balance(world, customer_id);
        if held < due {
            return Err(ApiError::business(
                "CBC.99005003",
                format!(
                    "Insufficient balance: the payment needs {} and the account holds {}.",
                    due.normalize(),
                    held.normalize()
                ),
            ));
        }
    }
    adjust(world, customer_id, -due);
    Ok(())
}

/// Credits a refund (unsubscription, conversion to pay-per-use) to a funded customer's balance.
pub(crate) fn refund(world: &mut World, order_id: &str) {
    let Some(order) = world
        .groups
        .orders
        .orders
        .iter()
        .find(|o| o.id() == order_id)
    else {
        return;
    };
    let customer = order.customer().to_string();
    let refunded = dec(order.info.amount_after_discount);
    adjust(world, &customer, refunded);
}

/// The amounts (after discounts) of an order's line items, in order.
pub(crate) fn line_amounts(world: &World, order_id: &str) -> Vec<Decimal> {
    world
        .groups
        .orders
        .orders
        .iter()
        .find(|o| o.id() == order_id)
        .map(|o| {
            o.lines
                .iter()
                .map(|l| dec(l.amount_after_discount))
                .collect()
        })
        .unwrap_or_default()
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`: pending
    /// and cancelled new purchases, and customers' coupons.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut state = State::default();
        if world.customers.is_empty() {
            return state;
        }
        let now = parse_timestamp(NOW).unwrap_or_default();
        for n in 0..150 {
            let index = match n {
                0..3 => 1.min(world.customers.len() - 1),
                _ => rng.usize(..world.customers.len()),
            };
            let (_, customer) = &world.customers[index];
            let pending = n % 5 < 3;
            let create = if pending {
                now - rng.i64(3_600..6 * 86_400)
            } else {
                rng.i64(
                    parse_timestamp("2023-07-01T00:00:00Z").unwrap_or_default()..now - 8 * 86_400,
                )
            };
            let created = timestamp(create);
            let id = order_id(&created, rng);
            let lines = purchase_lines(rng, world, &created);
            if lines.is_empty() {
                continue;
            }
            let mut order = build(
                Head {
                    order_id: id,
                    customer_id: customer.id().to_string(),
                    order_type: 1,
                    status: if pending { 6 } else { 4 },
                    source_type: if rng.u32(..10) == 0 { 2 } else { 1 },
                    create_time: created,
                    payment_time: None,
                    user_name: customer.login().to_string(),
                    enterprise_project: None,
                    pending_payment_end_time: pending.then(|| timestamp(create + 7 * 86_400)),
                },
                lines,
                Vec::new(),
            );
            if pending && rng.u32(..10) < 7 {
                let ratio = [95, 90, 85, 80][rng.usize(..4)];
                order.discount = Some((
                    format!("{:016x}{:016x}", rng.u64(..), rng.u64(..)),
                    Decimal::new(ratio, 2),
                ));
            }
            state.orders.push(order);
        }
        for (index, (_, customer)) in world.customers.iter().enumerate() {
            let count = match index {
                1 | 2 => 3,
                _ if rng.u32(..3) == 0 => 1 + rng.usize(..3),
                _ => 0,
            };
            for k in 0..count {
                let coupon = coupon(rng, world, index, k);
                state.coupons.push(Coupon {
                    customer_id: customer.id().to_string(),
                    info: coupon,
                });
            }
        }
        state
    }
}

/// The lines of a new purchase made at `created`: a few products, or a server with many disks.
fn purchase_lines(rng: &mut fastrand::Rng, world: &World, created: &str) -> Vec<Line> {
    let priced_specs: Vec<_> = SPECS.iter().filter(|s| s.cents > 0).collect();
    if priced_specs.is_empty() {
        return Vec::new();
    }
    let (period_type, period_num) = if rng.u32(..10) < 4 {
        (3, 1)
    } else {
        (2, [1, 1, 3, 6][rng.usize(..4)])
    };
    let months = if period_type == 3 { 12 } else { period_num };
    let expire = add_months(created, months).unwrap_or_else(|| created.to_string());
    let mut picks = Vec::new();
    if rng.u32(..10) < 3 {
        let server = SPECS.iter().find(|s| s.resource == "hws.resource.type.vm");
        let disk = SPECS
            .iter()
            .find(|s| s.resource == "hws.resource.type.volume");
        if let (Some(server), Some(disk)) = (server, disk) {
            picks.push((server, 0));
            for _ in 0..6 + rng.usize(..8) {
                picks.push((disk, 100));
            }
        }
    } else {
        for _ in 0..1 + rng.usize(..4) {
            let s = priced_specs[rng.usize(..priced_specs.len())];
            let size = if s.sizes.is_empty() {
                0
            } else {
                s.sizes[rng.usize(..s.sizes.len())]
            };
            picks.push((s, size));
        }
    }
    picks
        .into_iter()
        .filter_map(|(s, size)| {
            let (service, service_name, _) = type_names(world, s.resource)?;
            let (desc, monthly) = priced(s, size);
            let official = monthly * Decimal::from(billed_months(period_type, period_num));
            Some(Line {
                service_type_code: service,
                service_type_name: service_name,
                resource_type_code: s.resource.to_string(),
                product_id: product_id(s),
                product_spec_desc: desc,
                period: Some((period_type, period_num)),
                effective_time: created.to_string(),
                expire_time: expire.clone(),
                official,
                after: official,
                coupon: Decimal::ZERO,
                consumed: Decimal::ZERO,
            })
        })
        .collect()
}

/// Coupon `k` of customer `index`.
fn coupon(rng: &mut fastrand::Rng, world: &World, index: usize, k: usize) -> types::CouponInfoV2 {
    let flexi = if index <= 2 {
        k == 2
    } else {
        rng.u32(..5) == 0
    };
    let face = if index <= 2 {
        Decimal::from([500, 200, 100][k % 3])
    } else {
        Decimal::from([50, 100, 200, 500][rng.usize(..4)])
    };
    let balance = if rng.u32(..10) < 7 || index <= 2 {
        face
    } else {
        (face * Decimal::new(rng.i64(10..90), 2)).round_dp(2)
    };
    let limited = index > 2 && rng.u32(..10) < 4;
    let service = world
        .service_types
        .get(rng.usize(..world.service_types.len().max(1)))
        .and_then(|s| s.service_type_code.clone())
        .unwrap_or_else(|| "hws.service.type.ec2".to_string());
    let created = format!(
        "2024-{:02}-{:02}T02:00:00Z",
        1 + rng.u32(..5),
        1 + rng.u32(..28)
    );
    let coupon_id = format!(
        "CP{}{:04}{}",
        compact(&created).get(..6).unwrap_or_default(),
        rng.u32(..10_000),
        (0..5)
            .map(|_| char::from(b'A' + rng.u8(..26)))
            .collect::<String>()
    );
    types::CouponInfoV2 {
        coupon_id: Some(coupon_id.clone()),
        coupon_code: Some(format!("HWC-2024-{:04}-{:04}", index, rng.u32(..10_000))),
        status: Some(2),
        coupon_type: Some(if flexi { 4 } else { 1 }),
        measure_id: Some(1),
        face_value: amount(face),
        effective_time: Some(created.clone()),
        expire_time: Some(format!("2024-{:02}-30T15:59:59Z", 7 + rng.u32(..6))),
        plan_name: Some(
            if flexi {
                "伙伴现金券"
            } else {
                "伙伴代金券"
            }
            .to_string(),
        ),
        plan_desc: Some(if limited {
            "合作伙伴发放的指定云服务代金券".to_string()
        } else {
            "合作伙伴发放的通用代金券".to_string()
        }),
        use_limits: if limited {
            vec![types::LimitInfoV2 {
                use_limiti_info_id: Some(format!("{:016x}{:016x}", rng.u64(..), rng.u64(..))),
                limit_key: Some("SERVICE_TYPE".to_string()),
                value1: Some(service),
                value2: Some(String::new()),
                value_unit: Some(String::new()),
                limit_type: Some("INCLUDE".to_string()),
                promotion_plan_id: Some(format!("PP2024{:06}", rng.u32(..1_000_000))),
            }]
        } else {
            Vec::new()
        },
        active_time: Some(created.clone()),
        last_used_time: None,
        create_time: Some(created),
        coupon_version: Some(2),
        balance: amount(balance),
        used_by_order_id: None,
        coupon_usage: Some("通用".to_string()),
        coupon_group: Some(0),
    }
}

/// Whether `coupon` can pay `order`.
fn usable(coupon: &Coupon, order: &Order) -> bool {
    let i = &coupon.info;
    coupon.customer_id == order.customer()
        && i.status == Some(2)
        && dec(i.balance) > Decimal::ZERO
        && i.effective_time.as_deref().is_none_or(|t| t <= NOW)
        && i.expire_time.as_deref().is_none_or(|t| t > NOW)
        && i.used_by_order_id
            .as_deref()
            .is_none_or(|o| o == order.id())
        && i.use_limits.iter().all(|l| {
            l.limit_key.as_deref() != Some("SERVICE_TYPE")
                || l.value1.is_none()
                || l.value1 == order.info.service_type_code
        })
}

impl crate::generated::orders::Server for World {
    fn list_customer_orders(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        list(self, call)
    }

    fn show_customer_order_details(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        show(self, call)
    }

    fn show_refund_order_details(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        refunds(self, call)
    }

    fn pay_orders(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        pay(self, call)
    }

    fn cancel_customer_order(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        cancel(self, call)
    }

    fn list_order_discounts(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        discounts(self, call)
    }

    fn list_order_coupons_by_order_id(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        coupons(self, call)
    }
}

fn no_order(id: &str) -> ApiError {
    ApiError::invalid(format!("order_id: no order `{id}`"))
}

fn not_pending() -> ApiError {
    ApiError::business(
        "CBC.99005010",
        "The order status does not allow this operation: the order is not pending payment.",
    )
}

fn find(state: &State, id: &str) -> Result<usize, ApiError> {
    state
        .orders
        .iter()
        .position(|o| o.id().eq_ignore_ascii_case(id))
        .ok_or_else(|| no_order(id))
}

/// The reseller a customer belongs to: `None` for the partner's own customers and unknown ones.
fn owner<'w>(world: &'w World, customer_id: &str) -> Option<&'w str> {
    world
        .customers
        .iter()
        .find(|(_, c)| c.id() == customer_id)
        .and_then(|(o, _)| o.as_deref())
}

/// Checks the reseller parameter and that `order` belongs to one of its customers.
fn reseller_sees(world: &World, call: &Call<'_>, order: &Order) -> Result<(), ApiError> {
    if let Some(r) = world.acting_reseller(call.query("indirect_partner_id"))?
        && owner(world, order.customer()) != Some(r.as_str())
    {
        return Err(no_order(order.id()));
    }
    Ok(())
}

/// A time window of at most one year: (from, to).
fn time_window(
    call: &Call<'_>,
    begin: &str,
    end: &str,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let stamp_of = |name: &str| -> Result<Option<i64>, ApiError> {
        match call.query(name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => parse_timestamp(v).map(Some).ok_or_else(|| {
                ApiError::invalid(format!(
                    "{name}: `{v}` is not a UTC time in the form yyyy-MM-ddTHH:mm:ssZ"
                ))
            }),
        }
    };
    let (from, to) = (stamp_of(begin)?, stamp_of(end)?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::invalid(format!("{begin}: after {end}")));
        }
        let year = call
            .query(begin)
            .and_then(|b| add_months(b, 12))
            .and_then(|b| parse_timestamp(&b))
            .unwrap_or(i64::MAX);
        if t > year {
            return Err(ApiError::invalid(format!(
                "{begin}, {end}: the window may span at most one year"
            )));
        }
    }
    Ok((from, to))
}

fn in_window(value: Option<&str>, (from, to): (Option<i64>, Option<i64>)) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    value
        .and_then(parse_timestamp)
        .is_some_and(|t| from.is_none_or(|f| t >= f) && to.is_none_or(|e| t <= e))
}

fn list(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let reseller = world.acting_reseller(call.query("indirect_partner_id"))?;
    let customer = call.query("customer_id").filter(|c| !c.is_empty());
    if let Some(c) = customer
        && !is_customer(world, c, reseller.as_deref())
    {
        return Err(ApiError::business(
            "CBC.99000035",
            "The customer is not a customer of this partner.",
        ));
    }
    let order_type = match call.query("order_type").filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => Some(t.trim().parse::<i32>().map_err(|_| {
            ApiError::invalid(format!("order_type: a numeric order type code (got `{t}`)"))
        })?),
    };
    let status = call
        .query("status")
        .and_then(|s| s.trim().parse::<i32>().ok());
    let created = time_window(call, "create_time_begin", "create_time_end")?;
    let paid = time_window(call, "payment_time_begin", "payment_time_end")?;
    let descending = match call.query("order_by").filter(|o| !o.is_empty()) {
        None => true,
        Some(o) if o.eq_ignore_ascii_case("createTime") => false,
        Some(o) if o.eq_ignore_ascii_case("-createTime") => true,
        Some(o) => {
            return Err(ApiError::invalid(format!(
                "order_by: createTime or -createTime (got `{o}`)"
            )));
        }
    };
    let order_id = call.query("order_id").filter(|o| !o.is_empty());
    let service = call.query("service_type_code").filter(|s| !s.is_empty());
    // Orders paid for enterprise sub-accounts: the sandbox has no enterprise relations.
    let sub_accounts = call.query("method") == Some("sub_customer");
    let mut found: Vec<&Order> = world
        .groups
        .orders
        .orders
        .iter()
        .filter(|_| !sub_accounts)
        .filter(|o| {
            reseller
                .as_deref()
                .is_none_or(|r| owner(world, o.customer()) == Some(r))
        })
        .filter(|o| customer.is_none_or(|c| o.customer() == c))
        .filter(|o| order_id.is_none_or(|id| o.id().eq_ignore_ascii_case(id)))
        .filter(|o| {
            service.is_none_or(|s| {
                o.info
                    .service_type_code
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(s))
            })
        })
        .filter(|o| status.is_none_or(|s| o.info.status == Some(s)))
        .filter(|o| order_type.is_none_or(|t| o.info.order_type == Some(t)))
        .filter(|o| in_window(o.info.create_time.as_deref(), created))
        .filter(|o| in_window(o.info.payment_time.as_deref(), paid))
        .collect();
    found.sort_by(|a, b| {
        let key = |o: &Order| (o.info.create_time.clone(), o.id().to_string());
        if descending {
            key(b).cmp(&key(a))
        } else {
            key(a).cmp(&key(b))
        }
    });
    let infos: Vec<types::CustomerOrderV2> = found.into_iter().map(|o| o.info.clone()).collect();
    let (page, total) = window(&infos, call);
    json(types::ListCustomerOrdersResponse {
        total_count: Some(total),
        order_infos: page,
    })
}

fn path_order_id(call: &Call<'_>) -> String {
    call.path
        .get("order_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn show(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let id = path_order_id(call);
    let state = &world.groups.orders;
    let order = &state.orders[find(state, &id)?];
    reseller_sees(world, call, order)?;
    let (page, total) = window(&order.lines, call);
    json(types::ShowCustomerOrderDetailsResponse {
        total_count: Some(total),
        order_info: Some(order.v3()),
        order_line_items: page,
    })
}

fn refunds(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let id = call.query("order_id").unwrap_or_default();
    let reseller = world.acting_reseller(call.query("indirect_partner_id"))?;
    let customer = call.query("customer_id").filter(|c| !c.is_empty());
    if let Some(c) = customer
        && !is_customer(world, c, reseller.as_deref())
    {
        return Err(ApiError::business(
            "CBC.99000035",
            "The customer is not a customer of this partner.",
        ));
    }
    let state = &world.groups.orders;
    let order = &state.orders[find(state, id)?];
    reseller_sees(world, call, order)?;
    if customer.is_some_and(|c| c != order.customer()) {
        return Err(no_order(id));
    }
    if order.info.order_type != Some(4) {
        return Err(ApiError::business(
            "CBC.99005026",
            "The order is not a downgrade or unsubscription order.",
        ));
    }
    json(types::ShowRefundOrderDetailsResponse {
        total_count: Some(i32::try_from(order.refunds.len()).unwrap_or(i32::MAX)),
        refund_infos: order.refunds.clone(),
    })
}

fn pay(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::PayCustomerOrderV3Req = body(call)?;
    let State { orders, coupons } = &mut world.groups.orders;
    let index = orders
        .iter()
        .position(|o| o.id().eq_ignore_ascii_case(&request.order_id))
        .ok_or_else(|| no_order(&request.order_id))?;
    if orders[index].info.status != Some(6) {
        return Err(not_pending());
    }
    let use_coupon = request.use_coupon == types::PayCustomerOrderV3ReqUseCoupon::Yes;
    let use_discount = request.use_discount == types::PayCustomerOrderV3ReqUseDiscount::Yes;
    match (use_coupon, request.coupon_infos.len()) {
        (true, 0) => {
            return Err(ApiError::invalid(
                "coupon_infos: required when use_coupon is YES",
            ));
        }
        (false, 1..) => {
            return Err(ApiError::invalid(
                "coupon_infos: must be left out when use_coupon is NO",
            ));
        }
        (_, 4..) => return Err(ApiError::invalid("coupon_infos: at most 3 coupons")),
        _ => {}
    }
    match (use_discount, request.discount_infos.len()) {
        (true, 0) => {
            return Err(ApiError::invalid(
                "discount_infos: required when use_discount is YES",
            ));
        }
        (false, 1..) => {
            return Err(ApiError::invalid(
                "discount_infos: must be left out when use_discount is NO",
            ));
        }
        (_, 2..) => return Err(ApiError::invalid("discount_infos: exactly one discount")),
        _ => {}
    }
    let order = &orders[index];
    let ratio = match request.discount_infos.first() {
        None => None,
        Some(d) => match &order.discount {
            Some((id, ratio)) if *id == d.id && d.type_ == 3 => Some(*ratio),
            _ => {
                return Err(ApiError::invalid(format!(
                    "discount_infos: discount `{}` of type {} cannot be used for this order (see ListOrderDiscounts)",
                    d.id, d.type_
                )));
            }
        },
    };
    let mut picks: Vec<usize> = Vec::new();
    for c in &request.coupon_infos {
        let kind = match c.type_ {
            300 => 2,
            301 => 1,
            302 => 4,
            _ => 0,
        };
        let found = coupons.iter().position(|k| {
            k.info.coupon_id.as_deref() == Some(c.id.as_str())
                && k.info.coupon_type == Some(kind)
                && usable(k, order)
        });
        match found {
            Some(i) if !picks.contains(&i) => picks.push(i),
            _ => {
                return Err(ApiError::invalid(format!(
                    "coupon_infos: coupon `{}` of type {} cannot be used for this order (see ListOrderCouponsByOrderId)",
                    c.id, c.type_
                )));
            }
        }
    }
    // Applied to a copy first: nothing changes when the balance is short.
    let mut trial = order.clone();
    let mut left_after: Vec<(usize, Decimal)> = Vec::new();
    if let Some(ratio) = ratio {
        for line in &mut trial.lines {
            let official = dec(line.official_amount);
            let after = (official * ratio).round_dp(2);
            line.amount_after_discount = amount(after);
            let info = line.amount_info.get_or_insert_with(Default::default);
            info.discounts.push(types::DiscountItemV2 {
                discount_type: Some(PARTNER_DISCOUNT.to_string()),
                discount_amount: amount(official - after),
            });
        }
    }
    for i in picks {
        let coupon = &coupons[i];
        let flexi = coupon.info.coupon_type == Some(4);
        let mut left = dec(coupon.info.balance);
        for line in &mut trial.lines {
            let after = dec(line.amount_after_discount);
            let info = line.amount_info.get_or_insert_with(Default::default);
            let due = after - dec(info.coupon_amount) - dec(info.flexipurchase_coupon_amount);
            let used = left.min(due).max(Decimal::ZERO);
            if used > Decimal::ZERO {
                let field = if flexi {
                    &mut info.flexipurchase_coupon_amount
                } else {
                    &mut info.coupon_amount
                };
                *field = amount(dec(*field) + used);
                left -= used;
            }
        }
        left_after.push((i, left));
    }
    trial.total();
    let paid_info = trial.info.amount_info.clone().unwrap_or_default();
    let due = dec(trial.info.amount_after_discount)
        - dec(paid_info.coupon_amount)
        - dec(paid_info.flexipurchase_coupon_amount);
    let customer = trial.customer().to_string();
    let id = trial.id().to_string();
    charge(world, &customer, due)?;
    let State { orders, coupons } = &mut world.groups.orders;
    for (i, left) in left_after {
        coupons[i].info.balance = amount(left);
        coupons[i].info.last_used_time = Some(NOW.to_string());
    }
    trial.paid();
    orders[index] = trial;
    resources::on_paid(world, &id);
    Ok(Value::Null)
}

fn cancel(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::CancelCustomerOrderReq = body(call)?;
    let state = &mut world.groups.orders;
    let index = find(state, &request.order_id)?;
    let order = &mut state.orders[index];
    if order.info.status != Some(6) {
        return Err(not_pending());
    }
    order.info.status = Some(4);
    order.pending_payment_end_time = None;
    let id = order.id().to_string();
    resources::on_cancelled(world, &id);
    Ok(Value::Null)
}

/// The pending order `order_id` names.
fn pending<'s>(state: &'s State, call: &Call<'_>) -> Result<&'s Order, ApiError> {
    let id = call.query("order_id").unwrap_or_default();
    let order = &state.orders[find(state, id)?];
    if order.info.status != Some(6) {
        return Err(not_pending());
    }
    Ok(order)
}

fn discounts(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let order = pending(&world.groups.orders, call)?;
    let discounts = order
        .discount
        .iter()
        .map(|(id, ratio)| types::DiscountInfoV3 {
            discount_id: Some(id.clone()),
            discount_value: Some(ratio.normalize().to_string()),
            discount_type: Some(3),
            orders: vec![types::OrderV3 {
                order_id: Some(order.id().to_string()),
                order_line_items: order
                    .lines
                    .iter()
                    .map(|l| {
                        let official = dec(l.official_amount);
                        types::OrderLineItemV3 {
                            order_line_item_ids: l.order_line_item_id.iter().cloned().collect(),
                            discount_mode: Some(0),
                            discount_amount: amount(official - (official * ratio).round_dp(2)),
                            discount_ratio: amount(*ratio),
                        }
                    })
                    .collect(),
            }],
        })
        .collect();
    json(types::ListOrderDiscountsResponse { discounts })
}

fn coupons(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.orders;
    let order = pending(state, call)?;
    let found: Vec<types::CouponInfoV2> = state
        .coupons
        .iter()
        .filter(|c| usable(c, order))
        .map(|c| c.info.clone())
        .collect();
    json(types::ListOrderCouponsByOrderIdResponse {
        count: Some(i32::try_from(found.len()).unwrap_or(i32::MAX)),
        user_coupons: found,
        coupon_max_use_quantity: vec![
            types::CouponMaxUseQuantity {
                coupon_type: Some(1),
                coupon_group: Some(0),
                use_quantity_value: Some(3),
            },
            types::CouponMaxUseQuantity {
                coupon_type: Some(4),
                coupon_group: Some(0),
                use_quantity_value: Some(1),
            },
        ],
    })
}

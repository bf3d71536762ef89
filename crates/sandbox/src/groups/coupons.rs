//! The `coupons` group in the sandbox: coupons issued to customers and the coupon quotas of the
//! partner and its resellers.
//!
//! The data set: eight coupon quotas of the partner (cash-coupon 代金券 quotas, type 0, and
//! flexi-purchase-coupon 现金券 quotas, type 1; normal, expired, being adjusted, frozen and not yet
//! effective ones), about 350 coupons issued from them to the partner's reseller-model (代售)
//! customers, quotas issued to nine of the resellers (`world.indirect_partners`, one of them
//! already reclaimed) with the coupons those resellers issued to their own customers, 150 Huawei
//! promotion coupons held by customers (`source_id` `huaweicloud`), and the logs: an issue record
//! per issued coupon, a reclaim record per reclaimed one, a few failed issues, and the quota
//! issue/reclaim records. Every quota's balance is exactly its value minus what was issued from
//! it plus what came back.
//!
//! Who acts: without `indirect_partner_id` an operation acts for the partner (its own quotas, its
//! direct customers, the coupons it issued); with one, for that reseller (its quotas, its
//! customers, its coupons). An unknown reseller is `400 CBC.99000037`.
//!
//! - ListQuotaCoupons: the quotas in scope, filtered by id, status, type and time windows (an
//!   empty body lists them all).
//! - CreatePartnerCoupons: one coupon of `face_value` per customer, taken from the quota's balance
//!   (exact decimals). Per-customer failures answer HTTP 200 in `error_details`, the others are
//!   issued: unknown quota, or a quota that is not normal (status 0) and effective now, fails
//!   every customer with `CBC.99000012`; a customer that is not in scope `CBC.99000035`; a
//!   referral (推荐) customer `CBC.0150`; a quota balance below the face value `CBC.99005003`
//!   (also logged as a failed issue record, result `-1`). The coupon is valid from `valid_time`
//!   to `expire_time` (default: the quota's window, which they must lie within) and is usable
//!   (status 2) or, when it starts later, not activated (status 1). An unknown cloud service type
//!   is `400 CBC.50000055`; one outside the quota's restriction `400 CBC.0100`.
//! - ReclaimPartnerCoupons: only a usable coupon (status 2) can be reclaimed (`403 CBC.0150`
//!   otherwise; an unknown coupon is `400 CBC.99003012`). It stays listed with status 5 and
//!   balance 0, its remaining balance goes back to its quota, and a reclaim record (type `2`) is
//!   logged.
//! - ListIssuedPartnerCoupons / ListPartnerCouponsRecord: the coupons issued in scope and their
//!   log, with the documented filters; used, expired and reclaimed coupons that expired more
//!   than 12 months ago are left out.
//! - ListSubCustomerCoupons: the sandbox only has partner credentials, so it lists the coupons
//!   held by the customers in scope (issued by the partner or reseller, and Huawei promotion
//!   coupons), as the customers see them.
//! - UpdateCouponQuotas: each reseller gets a new quota of `quota_amount` taken from a normal,
//!   effective cash-coupon quota of the partner; per-reseller failures in `error_details`
//!   (unknown reseller `CBC.99000037`, balance too low `CBC.99005003`, unusable or unknown quota
//!   `CBC.99000012`).
//! - ReclaimCouponQuotas: each reseller quota is marked reclaimed (status 6, balance 0) and its
//!   balance returns to the partner's quota it came from; unknown or already reclaimed quotas
//!   fail with `CBC.99000012` in `error_details`.
//! - ListIssuedCouponQuotas / ListCouponQuotasRecords: the reseller quotas and their log (type
//!   `10` issued, `11` reclaimed).

use std::collections::HashSet;

use huaweicloud_bss::coupons::types;
use huaweicloud_bss::customers::types::CustomerInformation;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use crate::calendar::{DAY, days_from_civil, timestamp};
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

/// The `source_id` of the coupons Huawei itself gave to customers.
const HUAWEI_SOURCE: &str = "huaweicloud";
/// The account that operates the partner's quotas.
const OPERATOR: &str = "partner_admin";
/// Used, expired and reclaimed coupons that expired before this are no longer listed.
const YEAR_AGO: &str = "2023-06-01T00:00:00Z";
/// Quota types.
const CASH: i32 = 0;
const FLEXI: i32 = 1;
/// Restriction keys.
const SERVICE_KEY: &str = "CLOUD_SERVICE_TYPE";
const PRODUCT_KEY: &str = "PRODUCT_ID";

/// A quota of the partner in the seed.
struct QuotaSeed {
    id: &'static str,
    kind: i32,
    value: i64,
    created: &'static str,
    effective: &'static str,
    expire: &'static str,
    status: i32,
    services: &'static [&'static str],
    coupons: usize,
}

const QUOTAS: &[QuotaSeed] = &[
    QuotaSeed {
        id: "2024010502000101",
        kind: CASH,
        value: 200_000,
        created: "2024-01-05T02:00:00Z",
        effective: "2024-01-05T00:00:00Z",
        expire: "2024-12-31T15:59:59Z",
        status: 0,
        services: &[],
        coupons: 110,
    },
    QuotaSeed {
        id: "2024030108300102",
        kind: CASH,
        value: 150_000,
        created: "2024-03-01T08:30:00Z",
        effective: "2024-03-01T00:00:00Z",
        expire: "2025-02-28T15:59:59Z",
        status: 0,
        services: &["ec2", "ebs"],
        coupons: 50,
    },
    QuotaSeed {
        id: "2024020109150103",
        kind: FLEXI,
        value: 80_000,
        created: "2024-02-01T09:15:00Z",
        effective: "2024-02-01T00:00:00Z",
        expire: "2025-01-31T15:59:59Z",
        status: 0,
        services: &[],
        coupons: 70,
    },
    QuotaSeed {
        id: "2023060103000104",
        kind: CASH,
        value: 30_000,
        created: "2023-06-01T03:00:00Z",
        effective: "2023-06-01T00:00:00Z",
        expire: "2024-03-31T15:59:59Z",
        status: 3,
        services: &[],
        coupons: 40,
    },
    QuotaSeed {
        id: "2024040106000105",
        kind: CASH,
        value: 20_000,
        created: "2024-04-01T06:00:00Z",
        effective: "2024-04-01T00:00:00Z",
        expire: "2024-12-31T15:59:59Z",
        status: 4,
        services: &["rds"],
        coupons: 15,
    },
    QuotaSeed {
        id: "2024050110000106",
        kind: FLEXI,
        value: 10_000,
        created: "2024-05-01T10:00:00Z",
        effective: "2024-05-01T00:00:00Z",
        expire: "2024-10-31T15:59:59Z",
        status: 5,
        services: &[],
        coupons: 10,
    },
    QuotaSeed {
        id: "2024052001000107",
        kind: CASH,
        value: 100_000,
        created: "2024-05-20T01:00:00Z",
        effective: "2024-07-01T00:00:00Z",
        expire: "2025-06-30T15:59:59Z",
        status: 0,
        services: &[],
        coupons: 0,
    },
    QuotaSeed {
        id: "2023120107300108",
        kind: CASH,
        value: 60_000,
        created: "2023-12-01T07:30:00Z",
        effective: "2023-12-01T00:00:00Z",
        expire: "2024-11-30T15:59:59Z",
        status: 0,
        services: &["ec2", "vpc", "elb"],
        coupons: 45,
    },
];

/// Face values of seeded coupons, in fen.
const FACES: &[i64] = &[5_000, 10_000, 20_000, 30_000, 50_000, 8_888, 100_000, 6_660];

const REMARKS: &[&str] = &[
    "季度返利",
    "新客激励",
    "续费关怀",
    "项目支持",
    "市场活动补贴",
];

/// Huawei promotion plans: id, name, description, coupon type, face value in fen, service.
type HuaweiPlan = (
    &'static str,
    &'static str,
    &'static str,
    i32,
    i64,
    &'static str,
);

const HUAWEI_PLANS: &[HuaweiPlan] = &[
    (
        "PP-HW-20240101",
        "新客专享代金券",
        "新注册客户首次购买云服务可用",
        1,
        10_000,
        "",
    ),
    (
        "PP-HW-20240315",
        "弹性云服务器限时特惠券",
        "购买弹性云服务器包年/包月可用",
        1,
        30_000,
        "ec2",
    ),
    (
        "PP-HW-20240401",
        "对象存储体验券",
        "对象存储服务资源包专用",
        3,
        5_000,
        "obs",
    ),
    (
        "PP-HW-20240520",
        "年中大促满减券",
        "订单满1000元可用",
        1,
        20_000,
        "",
    ),
];

/// A coupon held by a customer, with who issued it and from which quota.
#[derive(Clone, Debug)]
pub struct Coupon {
    /// The reseller that issued it (`None`: the partner, or Huawei for a promotion coupon).
    pub issuer: Option<String>,
    /// The quota it was issued from (`None`: a Huawei promotion coupon).
    pub quota_id: Option<String>,
    /// The coupon as its holder sees it.
    pub coupon: types::IQueryUserCouponsResultV2,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// The partner's id (the `source_id` of the coupons it issues).
    pub partner_id: String,
    /// Every coupon quota: the partner's own (`indirect_partner_id` unset) and the ones it issued
    /// to resellers.
    pub quotas: Vec<types::IssuedCouponQuota>,
    /// Coupons held by customers, newest first.
    pub coupons: Vec<Coupon>,
    /// Coupon issue/reclaim records with the reseller that operated (`None`: the partner),
    /// newest first.
    pub records: Vec<(Option<String>, types::CouponRecordV2)>,
    /// Reseller quota issue/reclaim records, newest first.
    pub quota_records: Vec<types::QuotaRecord>,
    serial: u64,
}

/// What makes a coupon, beside its quota.
struct Draft {
    id: String,
    code: String,
    customer_id: String,
    face: Decimal,
    valid: String,
    expire: String,
    created: String,
    limits: Vec<(String, types::LimitValue)>,
}

/// The promotion a coupon belongs to.
struct Plan {
    plan_id: String,
    promotion_id: String,
    name: String,
    description: String,
    coupon_type: i32,
    source_id: String,
    fetch_method: i32,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut state = State {
            partner_id: format!("{:016x}{:016x}", rng.u64(..), rng.u64(..)),
            ..State::default()
        };
        let direct: Vec<String> = world
            .customers
            .iter()
            .filter(|(owner, c)| owner.is_none() && reseller_model(c))
            .map(|(_, c)| c.id().to_string())
            .collect();
        for seed in QUOTAS {
            let values: Vec<types::LimitValue> = seed
                .services
                .iter()
                .filter_map(|s| service(world, &format!("hws.service.type.{s}")))
                .collect();
            state.quotas.push(types::IssuedCouponQuota {
                quota_id: Some(seed.id.to_string()),
                quota_type: Some(seed.kind),
                create_time: Some(seed.created.to_string()),
                last_update_time: Some(seed.created.to_string()),
                quota_value: Some(Amount(Decimal::from(seed.value))),
                quota_status: Some(seed.status),
                balance: Some(Amount(Decimal::from(seed.value))),
                measure_id: Some(1),
                currency: Some("CNY".to_string()),
                effective_time: Some(seed.effective.to_string()),
                expire_time: Some(seed.expire.to_string()),
                limit_infos: if values.is_empty() {
                    Vec::new()
                } else {
                    vec![types::QuotaLimitInfo {
                        limit_key: Some(SERVICE_KEY.to_string()),
                        limit_values: values,
                    }]
                },
                ..types::IssuedCouponQuota::default()
            });
            let index = state.quotas.len() - 1;
            state.seed_coupons(rng, index, &direct, seed.coupons);
        }
        state.seed_resellers(rng, world);
        state.seed_huawei_coupons(rng, world);
        // A few issues that failed for want of balance on the expired quota.
        for _ in 0..8 {
            if direct.is_empty() {
                break;
            }
            let day = day_of("2024-03-25T00:00:00Z") + rng.i64(0..7);
            let time = stamp(day, rng.i64(0..86_400));
            state.records.push((
                None,
                types::CouponRecordV2 {
                    id: Some(format!("REC{}{}", compact(&time), code(rng, 4))),
                    operation_type: Some("1".to_string()),
                    quota_id: Some(QUOTAS[3].id.to_string()),
                    quota_type: Some(CASH),
                    coupon_id: None,
                    customer_id: Some(direct[rng.usize(..direct.len())].clone()),
                    operation_amount: Some(Amount(Decimal::new(
                        FACES[rng.usize(..FACES.len())],
                        2,
                    ))),
                    operation_time: Some(time),
                    result: Some("-1".to_string()),
                    remark: Some("额度余额不足".to_string()),
                },
            ));
        }
        state
            .coupons
            .sort_by(|a, b| b.coupon.create_time.cmp(&a.coupon.create_time));
        state
            .records
            .sort_by(|a, b| b.1.operation_time.cmp(&a.1.operation_time));
        state
            .quota_records
            .sort_by(|a, b| b.operation_time.cmp(&a.operation_time));
        state
    }

    /// Quotas issued to resellers, and the coupons the resellers issued from them.
    fn seed_resellers(&mut self, rng: &mut fastrand::Rng, world: &World) {
        let now = day_of(NOW);
        for (i, reseller) in world.indirect_partners.iter().enumerate() {
            let Some(reseller_id) = reseller.indirect_partner_id.clone() else {
                continue;
            };
            if i % 4 == 3 {
                continue;
            }
            let parent_index = if i % 3 == 1 { 1 } else { 0 };
            let parent = self.quotas[parent_index].clone();
            let value = Decimal::from([5_000, 8_000, 10_000, 20_000][rng.usize(..4)]);
            if amount(parent.balance) < value {
                continue;
            }
            let first = day_of(parent.effective_time.as_deref().unwrap_or(NOW));
            let created_day = rng.i64(first..=(now - 10).max(first));
            let created = stamp(created_day, rng.i64(0..86_400));
            let quota_id = format!("{}{:02}", &digits(&created)[..14], i);
            self.quotas[parent_index].balance = Some(Amount(amount(parent.balance) - value));
            self.quotas.push(child_quota(
                &parent,
                reseller,
                quota_id.clone(),
                value,
                &created,
            ));
            let index = self.quotas.len() - 1;
            self.quota_records.push(types::QuotaRecord {
                id: Some(format!("QR{}{}", compact(&created), code(rng, 4))),
                operator: Some(OPERATOR.to_string()),
                operation_type: Some("10".to_string()),
                quota_id: Some(quota_id.clone()),
                parent_quota_id: parent.quota_id.clone(),
                amount: Some(Amount(value)),
                operation_time: Some(created.clone()),
                result: Some("0".to_string()),
                indirect_partner_account_name: reseller.account_name.clone(),
                indirect_partner_id: Some(reseller_id.clone()),
                indirect_partner_name: reseller.name.clone(),
                remark: Some(["二季度额度", "新经销商启动额度", "项目专项额度"][i % 3].to_string()),
            });
            if i == 4 {
                // Taken back whole before the reseller used it.
                let day = rng.i64((created_day + 1).min(now - 1)..=now - 1);
                let time = later(stamp(day, rng.i64(0..86_400)), &created);
                let quota = &mut self.quotas[index];
                quota.quota_status = Some(6);
                quota.balance = Some(Amount(Decimal::ZERO));
                quota.last_update_time = Some(time.clone());
                let parent = &mut self.quotas[parent_index];
                parent.balance = Some(Amount(amount(parent.balance) + value));
                let issue = self.quota_records[self.quota_records.len() - 1].clone();
                self.quota_records.push(types::QuotaRecord {
                    id: Some(format!("QR{}{}", compact(&time), code(rng, 4))),
                    operation_type: Some("11".to_string()),
                    operation_time: Some(time),
                    remark: Some("经销商合作调整，回收剩余额度".to_string()),
                    ..issue
                });
                continue;
            }
            let customers: Vec<String> = world
                .customers
                .iter()
                .filter(|(owner, c)| owner.as_deref() == Some(&reseller_id) && reseller_model(c))
                .map(|(_, c)| c.id().to_string())
                .collect();
            let count = 6 + rng.usize(..8);
            self.seed_coupons(rng, index, &customers, count);
            if i == 8 {
                self.quotas[index].quota_status = Some(5);
            }
        }
    }

    /// Coupons Huawei gave to customers in its own promotions.
    fn seed_huawei_coupons(&mut self, rng: &mut fastrand::Rng, world: &World) {
        if world.customers.is_empty() {
            return;
        }
        let now = day_of(NOW);
        for _ in 0..150 {
            let holder = &world.customers[rng.usize(..world.customers.len())].1;
            let (plan_id, name, description, kind, face, svc) =
                HUAWEI_PLANS[rng.usize(..HUAWEI_PLANS.len())];
            let created_day = now - 1 - rng.i64(0..330);
            let created = stamp(created_day, rng.i64(0..86_400));
            let expire_day = created_day + [30, 60, 90, 365][rng.usize(..4)];
            let limits = if svc.is_empty() {
                Vec::new()
            } else {
                service(world, &format!("hws.service.type.{svc}"))
                    .map(|v| vec![(SERVICE_KEY.to_string(), v)])
                    .unwrap_or_default()
            };
            let plan = Plan {
                plan_id: plan_id.to_string(),
                promotion_id: plan_id.replace("PP", "PM"),
                name: name.to_string(),
                description: description.to_string(),
                coupon_type: kind,
                source_id: HUAWEI_SOURCE.to_string(),
                fetch_method: if rng.bool() { 1 } else { 5 },
            };
            let draft = Draft {
                id: format!("CP{}{}", compact(&created), code(rng, 4)),
                code: format!("HWC{}", code(rng, 8)),
                customer_id: holder.id().to_string(),
                face: Decimal::new(face, 2),
                valid: created.clone(),
                expire: stamp(expire_day, 57_599),
                created,
                limits,
            };
            let mut coupon = mint(&plan, draft);
            age(rng, &mut coupon, created_day, face);
            self.coupons.push(Coupon {
                issuer: None,
                quota_id: None,
                coupon,
            });
        }
    }

    /// `count` coupons issued from quota `index` to some of `customers`, with their records.
    fn seed_coupons(
        &mut self,
        rng: &mut fastrand::Rng,
        index: usize,
        customers: &[String],
        count: usize,
    ) {
        if customers.is_empty() {
            return;
        }
        let now = day_of(NOW);
        let quota = self.quotas[index].clone();
        let plan = self.plan(&quota);
        let first = day_of(quota.effective_time.as_deref().unwrap_or(NOW));
        let end_stamp = quota.expire_time.clone().unwrap_or_else(|| NOW.to_string());
        let end = day_of(&end_stamp);
        let last = (now - 1).min(end - 1);
        if last < first {
            return;
        }
        let mut balance = amount(quota.balance);
        let limits = flatten(&quota.limit_infos);
        for _ in 0..count {
            let cents = FACES[rng.usize(..FACES.len())];
            let face = Decimal::new(cents, 2);
            if balance < face {
                continue;
            }
            balance -= face;
            let customer_id = customers[rng.usize(..customers.len())].clone();
            let created_day = rng.i64(first..=last);
            let created = later(
                stamp(created_day, rng.i64(0..86_400)),
                quota.effective_time.as_deref().unwrap_or_default(),
            );
            let expire_day = (created_day + [30, 90, 180, 365][rng.usize(..4)]).min(end);
            let expire = if expire_day == end {
                end_stamp.clone()
            } else {
                stamp(expire_day, 57_599)
            };
            let draft = Draft {
                id: format!("CP{}{}", compact(&created), code(rng, 4)),
                code: format!("HWC{}", code(rng, 8)),
                customer_id: customer_id.clone(),
                face,
                valid: created.clone(),
                expire: expire.clone(),
                created: created.clone(),
                limits: limits.clone(),
            };
            let mut coupon = mint(&plan, draft);
            let record = types::CouponRecordV2 {
                id: Some(format!("REC{}{}", compact(&created), code(rng, 4))),
                operation_type: Some("1".to_string()),
                quota_id: quota.quota_id.clone(),
                quota_type: quota.quota_type,
                coupon_id: coupon.coupon_id.clone(),
                customer_id: Some(customer_id),
                operation_amount: Some(Amount(face)),
                operation_time: Some(created.clone()),
                result: Some("0".to_string()),
                remark: Some(REMARKS[rng.usize(..REMARKS.len())].to_string()),
            };
            if expire.as_str() > NOW && rng.u32(..100) < 8 {
                // Reclaimed: what was left went back to the quota.
                let spent = if rng.bool() {
                    Decimal::new(rng.i64(1..cents), 2)
                } else {
                    Decimal::ZERO
                };
                let back = face - spent;
                balance += back;
                let day = rng.i64(created_day..=now - 1);
                let time = later(stamp(day, rng.i64(0..86_400)), &created);
                coupon.status = Some(5);
                coupon.balance = Some(Amount(Decimal::ZERO));
                self.records.push((
                    quota.indirect_partner_id.clone(),
                    types::CouponRecordV2 {
                        id: Some(format!("REC{}{}", compact(&time), code(rng, 4))),
                        operation_type: Some("2".to_string()),
                        operation_amount: Some(Amount(back)),
                        operation_time: Some(time),
                        remark: Some("发错客户回收".to_string()),
                        ..record.clone()
                    },
                ));
            } else {
                age(rng, &mut coupon, created_day, cents);
            }
            self.records
                .push((quota.indirect_partner_id.clone(), record));
            self.coupons.push(Coupon {
                issuer: quota.indirect_partner_id.clone(),
                quota_id: quota.quota_id.clone(),
                coupon,
            });
        }
        self.quotas[index].balance = Some(Amount(balance));
    }

    /// The promotion of the coupons issued from `quota`.
    fn plan(&self, quota: &types::IssuedCouponQuota) -> Plan {
        let id = quota.quota_id.clone().unwrap_or_default();
        let flexi = quota.quota_type == Some(FLEXI);
        let kind = if flexi { "现金券" } else { "代金券" };
        let (name, source) = match &quota.indirect_partner_id {
            Some(reseller) => (format!("经销商{kind}"), reseller.clone()),
            None => (format!("伙伴{kind}"), self.partner_id.clone()),
        };
        Plan {
            plan_id: format!("PP{id}"),
            promotion_id: format!("PM{id}"),
            description: format!("合作伙伴发放的{kind}，额度 {id}"),
            name,
            coupon_type: if flexi { 4 } else { 1 },
            source_id: source,
            fetch_method: 3,
        }
    }

    fn next(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }
}

/// A cash quota of `value` issued to `reseller` from `parent` at `created`: it keeps the
/// parent's expiry and limits.
fn child_quota(
    parent: &types::IssuedCouponQuota,
    reseller: &huaweicloud_bss::customers::types::IndirectPartnerInfo,
    quota_id: String,
    value: Decimal,
    created: &str,
) -> types::IssuedCouponQuota {
    types::IssuedCouponQuota {
        quota_id: Some(quota_id),
        quota_type: Some(CASH),
        create_time: Some(created.to_string()),
        last_update_time: Some(created.to_string()),
        quota_value: Some(Amount(value)),
        quota_status: Some(0),
        balance: Some(Amount(value)),
        measure_id: Some(1),
        currency: Some("CNY".to_string()),
        effective_time: Some(created.to_string()),
        expire_time: parent.expire_time.clone(),
        limit_infos: parent.limit_infos.clone(),
        indirect_partner_id: reseller.indirect_partner_id.clone(),
        indirect_partner_account_name: reseller.account_name.clone(),
        indirect_partner_name: reseller.name.clone(),
        parent_quota_id: parent.quota_id.clone(),
    }
}

impl crate::generated::coupons::Server for World {
    fn list_quota_coupons(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_quota_coupons(self, call)
    }

    fn create_partner_coupons(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        create_partner_coupons(self, call)
    }

    fn list_issued_partner_coupons(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_issued_partner_coupons(self, call)
    }

    fn reclaim_partner_coupons(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        reclaim_partner_coupons(self, call)
    }

    fn list_partner_coupons_record(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_partner_coupons_record(self, call)
    }

    fn list_sub_customer_coupons(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_sub_customer_coupons(self, call)
    }

    fn list_issued_coupon_quotas(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_issued_coupon_quotas(self, call)
    }

    fn update_coupon_quotas(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        update_coupon_quotas(self, call)
    }

    fn reclaim_coupon_quotas(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        reclaim_coupon_quotas(self, call)
    }

    fn list_coupon_quotas_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_coupon_quotas_records(self, call)
    }
}

fn list_quota_coupons(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::QueryCouponQuotasReqExt = body(call)?;
    let scope = world.reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
    let created = times(call, "create_time")?;
    let effective = times(call, "effective_time")?;
    let expire = times(call, "expire_time")?;
    let found: Vec<_> = world
        .groups
        .coupons
        .quotas
        .iter()
        .filter(|q| q.indirect_partner_id == scope)
        .filter(|q| {
            request.quota_ids.is_empty()
                || q.quota_id
                    .as_ref()
                    .is_some_and(|id| request.quota_ids.contains(id))
        })
        .filter(|q| {
            request.quota_status_list.is_empty()
                || q.quota_status
                    .is_some_and(|s| request.quota_status_list.contains(&s))
        })
        .filter(|q| request.quota_type.is_none() || q.quota_type == request.quota_type)
        .filter(|q| within(&q.create_time, &created))
        .filter(|q| within(&q.effective_time, &effective))
        .filter(|q| within(&q.expire_time, &expire))
        .map(|q| types::CouponQuotaV2 {
            quota_id: q.quota_id.clone(),
            quota_type: q.quota_type,
            create_time: q.create_time.clone(),
            last_update_time: q.last_update_time.clone(),
            quota_value: q.quota_value,
            quota_status: q.quota_status,
            balance: q.balance,
            measure_id: q.measure_id,
            currency: q.currency.clone(),
            effective_time: q.effective_time.clone(),
            expire_time: q.expire_time.clone(),
            limit_infos: q.limit_infos.clone(),
        })
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListQuotaCouponsResponse {
        total_count: Some(total),
        quotas: page,
    })
}

fn create_partner_coupons(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::CreatePartnerCouponsReq = body(call)?;
    let scope = world.reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
    if request.customer_ids.is_empty() {
        return Err(ApiError::invalid(
            "customer_ids: give at least one customer id",
        ));
    }
    let valid = request
        .valid_time
        .as_deref()
        .map(|v| checked("valid_time", v))
        .transpose()?;
    let expire = request
        .expire_time
        .as_deref()
        .map(|v| checked("expire_time", v))
        .transpose()?;
    let mut services = Vec::new();
    for code in &request.cloud_service_types {
        let value = service(world, code).ok_or_else(|| {
            ApiError::business(
                "CBC.50000055",
                format!("The cloud service type `{code}` does not exist."),
            )
        })?;
        services.push((SERVICE_KEY.to_string(), value));
    }
    let products: Vec<_> = request
        .product_ids
        .iter()
        .map(|id| {
            (
                PRODUCT_KEY.to_string(),
                types::LimitValue {
                    value1: Some(id.clone()),
                    value2: None,
                },
            )
        })
        .collect();
    let state = &mut world.groups.coupons;
    let quota_id = request.quota_id.to_string();
    let index = state.quotas.iter().position(|q| {
        q.indirect_partner_id == scope && q.quota_id.as_deref() == Some(quota_id.as_str())
    });
    let mut response = types::CreatePartnerCouponsResponse::default();
    let refusal = match index {
        None => Some(format!("The coupon quota `{quota_id}` does not exist.")),
        Some(i) if !usable(&state.quotas[i]) => Some(format!(
            "The coupon quota `{quota_id}` does not allow issuing coupons now (status {}, valid {} to {}).",
            state.quotas[i].quota_status.unwrap_or(-1),
            state.quotas[i].effective_time.as_deref().unwrap_or("-"),
            state.quotas[i].expire_time.as_deref().unwrap_or("-"),
        )),
        Some(_) => None,
    };
    let index = match (refusal, index) {
        (None, Some(i)) => i,
        (refusal, _) => {
            let message = refusal.unwrap_or_default();
            for id in &request.customer_ids {
                response
                    .error_details
                    .push(detail("CBC.99000012", &message, id));
            }
            return json(response);
        }
    };
    let quota = state.quotas[index].clone();
    let quota_from = quota.effective_time.clone().unwrap_or_default();
    let quota_to = quota.expire_time.clone().unwrap_or_default();
    let valid = valid.unwrap_or_else(|| quota_from.clone());
    let expire = expire.unwrap_or_else(|| quota_to.clone());
    if valid >= expire {
        return Err(ApiError::invalid(format!(
            "valid_time ({valid}) must be before expire_time ({expire})"
        )));
    }
    if valid < quota_from || expire > quota_to {
        return Err(ApiError::invalid(format!(
            "valid_time and expire_time must lie within the quota's validity, {quota_from} to {quota_to}"
        )));
    }
    if expire.as_str() <= NOW {
        return Err(ApiError::invalid(format!(
            "expire_time ({expire}) has already passed"
        )));
    }
    let mut limits = flatten(&quota.limit_infos);
    let allowed: Vec<&str> = limits
        .iter()
        .filter(|(k, _)| k == SERVICE_KEY)
        .filter_map(|(_, v)| v.value1.as_deref())
        .collect();
    if !allowed.is_empty()
        && let Some((_, outside)) = services
            .iter()
            .find(|(_, v)| !v.value1.as_deref().is_some_and(|c| allowed.contains(&c)))
    {
        return Err(ApiError::invalid(format!(
            "cloud_service_types: `{}` is outside the quota's restriction ({})",
            outside.value1.as_deref().unwrap_or_default(),
            allowed.join(", ")
        )));
    }
    if !services.is_empty() {
        limits.retain(|(k, _)| k != SERVICE_KEY);
        limits.extend(services);
    }
    if !products.is_empty() {
        limits.retain(|(k, _)| k != PRODUCT_KEY);
        limits.extend(products);
    }
    let face = request.face_value.value();
    let plan = state.plan(&quota);
    let mut coupons = Vec::new();
    let mut records = Vec::new();
    for customer_id in &request.customer_ids {
        let holder = world
            .customers
            .iter()
            .find(|(owner, c)| *owner == scope && c.id() == *customer_id);
        let Some((_, holder)) = holder else {
            let whose = if scope.is_some() {
                "this reseller"
            } else {
                "this partner"
            };
            response.error_details.push(detail(
                "CBC.99000035",
                &format!("The customer is not a sub-customer of {whose}."),
                customer_id,
            ));
            continue;
        };
        if !reseller_model(holder) {
            response.error_details.push(detail(
                "CBC.0150",
                "Coupons can only be issued to reseller-model (代售) customers.",
                customer_id,
            ));
            continue;
        }
        let n = state.next();
        let record_id = format!("REC2406010000{n:06}");
        let balance = amount(state.quotas[index].balance);
        if balance < face {
            let message = format!(
                "The coupon quota balance ({balance}) is less than the face value ({face})."
            );
            response
                .error_details
                .push(detail("CBC.99005003", &message, customer_id));
            records.push((
                scope.clone(),
                types::CouponRecordV2 {
                    id: Some(record_id),
                    operation_type: Some("1".to_string()),
                    quota_id: quota.quota_id.clone(),
                    quota_type: quota.quota_type,
                    coupon_id: None,
                    customer_id: Some(customer_id.clone()),
                    operation_amount: Some(Amount(face)),
                    operation_time: Some(NOW.to_string()),
                    result: Some("-1".to_string()),
                    remark: Some(message),
                },
            ));
            continue;
        }
        state.quotas[index].balance = Some(Amount(balance - face));
        state.quotas[index].last_update_time = Some(NOW.to_string());
        let coupon_id = format!("CP2406010000{n:06}");
        let coupon = mint(
            &plan,
            Draft {
                id: coupon_id.clone(),
                code: format!("HWC{:08X}", (n.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32)),
                customer_id: customer_id.clone(),
                face,
                valid: valid.clone(),
                expire: expire.clone(),
                created: NOW.to_string(),
                limits: limits.clone(),
            },
        );
        records.push((
            scope.clone(),
            types::CouponRecordV2 {
                id: Some(record_id),
                operation_type: Some("1".to_string()),
                quota_id: quota.quota_id.clone(),
                quota_type: quota.quota_type,
                coupon_id: Some(coupon_id.clone()),
                customer_id: Some(customer_id.clone()),
                operation_amount: Some(Amount(face)),
                operation_time: Some(NOW.to_string()),
                result: Some("0".to_string()),
                remark: request.memo.clone(),
            },
        ));
        coupons.push(Coupon {
            issuer: scope.clone(),
            quota_id: quota.quota_id.clone(),
            coupon,
        });
        response.coupon_infos.push(types::CouponSimpleInfo {
            id: Some(customer_id.clone()),
            coupon_id: Some(coupon_id),
        });
    }
    state.coupons.splice(0..0, coupons);
    state.records.splice(0..0, records);
    json(response)
}

fn list_issued_partner_coupons(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let scope = world.reseller(call.query("indirect_partner_id"))?;
    let coupon_id = not_empty(call, "coupon_id")?;
    let order_id = not_empty(call, "order_id")?;
    let customer_id = call.query("customer_id");
    let coupon_type = number(call, "coupon_type")?;
    let status = number(call, "status")?;
    let created = times(call, "create_time")?;
    let effective = times(call, "effective_time")?;
    let expire = times(call, "expire_time")?;
    let found: Vec<_> = world
        .groups
        .coupons
        .coupons
        .iter()
        .filter(|c| c.quota_id.is_some() && c.issuer == scope)
        .map(|c| &c.coupon)
        .filter(|c| recent(c))
        .filter(|c| same(&c.coupon_id, coupon_id))
        .filter(|c| same(&c.order_id, order_id))
        .filter(|c| same(&c.customer_id, customer_id))
        .filter(|c| coupon_type.is_none() || c.coupon_type == coupon_type)
        .filter(|c| status.is_none() || c.status == status)
        .filter(|c| within(&c.create_time, &created))
        .filter(|c| within(&c.valid_time, &effective))
        .filter(|c| within(&c.expire_time, &expire))
        .map(partner_view)
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListIssuedPartnerCouponsResponse {
        total_count: Some(total),
        user_coupons: page,
    })
}

fn reclaim_partner_coupons(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::ReclaimPartnerCouponsReq = body(call)?;
    if request
        .indirect_partner_id
        .as_deref()
        .is_some_and(|id| id.is_empty())
    {
        return Err(ApiError::invalid("indirect_partner_id: must not be empty"));
    }
    let scope = world.reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
    let coupon_id = request.coupon_id.to_string();
    let state = &mut world.groups.coupons;
    let position = state.coupons.iter().position(|c| {
        c.quota_id.is_some()
            && c.issuer == scope
            && c.coupon.coupon_id.as_deref() == Some(coupon_id.as_str())
    });
    let Some(position) = position else {
        return Err(ApiError::business(
            "CBC.99003012",
            format!("The coupon `{coupon_id}` does not exist or was not issued by this partner."),
        ));
    };
    let status = state.coupons[position].coupon.status;
    if status != Some(2) {
        return Err(ApiError::illegal(format!(
            "only usable coupons (status 2) can be reclaimed; `{coupon_id}` has status {}.",
            status.unwrap_or(-1)
        )));
    }
    let n = state.next();
    let entry = &mut state.coupons[position];
    let back = amount(entry.coupon.balance);
    entry.coupon.status = Some(5);
    entry.coupon.balance = Some(Amount(Decimal::ZERO));
    let customer_id = entry.coupon.customer_id.clone();
    let quota_id = entry.quota_id.clone();
    let mut quota_type = None;
    if let Some(quota) = state
        .quotas
        .iter_mut()
        .find(|q| q.quota_id.is_some() && q.quota_id == quota_id)
    {
        quota.balance = Some(Amount(amount(quota.balance) + back));
        quota.last_update_time = Some(NOW.to_string());
        quota_type = quota.quota_type;
    }
    state.records.insert(
        0,
        (
            scope,
            types::CouponRecordV2 {
                id: Some(format!("REC2406010000{n:06}")),
                operation_type: Some("2".to_string()),
                quota_id,
                quota_type,
                coupon_id: Some(coupon_id),
                customer_id,
                operation_amount: Some(Amount(back)),
                operation_time: Some(NOW.to_string()),
                result: Some("0".to_string()),
                remark: None,
            },
        ),
    );
    Ok(Value::Null)
}

fn list_partner_coupons_record(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let scope = world.reseller(call.query("indirect_partner_id"))?;
    let kinds = all(call, "operation_types");
    let coupon_ids = all(call, "coupon_ids");
    let quota_id = call.query("quota_id");
    let quota_type = number(call, "quota_type")?;
    let customer_id = call.query("customer_id");
    let operated = times(call, "operation_time")?;
    let result = call.query("result");
    let found: Vec<_> = world
        .groups
        .coupons
        .records
        .iter()
        .filter(|(who, _)| *who == scope)
        .map(|(_, r)| r)
        .filter(|r| {
            kinds.is_empty()
                || r.operation_type
                    .as_deref()
                    .is_some_and(|k| kinds.contains(&k))
        })
        .filter(|r| {
            coupon_ids.is_empty()
                || r.coupon_id
                    .as_deref()
                    .is_some_and(|c| coupon_ids.contains(&c))
        })
        .filter(|r| same(&r.quota_id, quota_id))
        .filter(|r| quota_type.is_none() || r.quota_type == quota_type)
        .filter(|r| same(&r.customer_id, customer_id))
        .filter(|r| within(&r.operation_time, &operated))
        .filter(|r| match result {
            Some("0") => r.result.as_deref() == Some("0"),
            Some("-1") => r.result.as_deref() != Some("0"),
            _ => true,
        })
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListPartnerCouponsRecordResponse {
        total_count: Some(total),
        records: page,
    })
}

fn list_sub_customer_coupons(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let scope = world.reseller(call.query("indirect_partner_id"))?;
    let holders: HashSet<&str> = world
        .customers
        .iter()
        .filter(|(owner, _)| *owner == scope)
        .map(|(_, c)| c.id())
        .collect();
    let coupon_id = call.query("coupon_id");
    let order_id = call.query("order_id");
    let plan_id = call.query("promotion_plan_id");
    let source_id = call.query("source_id");
    let coupon_type = number(call, "coupon_type")?;
    let status = number(call, "status")?;
    let active = (
        time(call, "active_start_time")?,
        time(call, "active_end_time")?,
    );
    let found: Vec<_> = world
        .groups
        .coupons
        .coupons
        .iter()
        .map(|c| &c.coupon)
        .filter(|c| {
            c.customer_id
                .as_deref()
                .is_some_and(|id| holders.contains(id))
        })
        .filter(|c| recent(c))
        .filter(|c| same(&c.coupon_id, coupon_id))
        .filter(|c| same(&c.order_id, order_id))
        .filter(|c| same(&c.promotion_plan_id, plan_id))
        .filter(|c| same(&c.source_id, source_id))
        .filter(|c| coupon_type.is_none() || c.coupon_type == coupon_type)
        .filter(|c| status.is_none() || c.status == status)
        .filter(|c| within(&c.active_time, &active))
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListSubCustomerCouponsResponse {
        count: Some(total),
        user_coupons: page,
    })
}

fn list_issued_coupon_quotas(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let reseller_id = world.reseller(call.query("indirect_partner_id"))?;
    let quota_id = call.query("quota_id");
    let parent = call.query("parent_quota_id");
    let mut found: Vec<_> = world
        .groups
        .coupons
        .quotas
        .iter()
        .filter(|q| q.indirect_partner_id.is_some())
        .filter(|q| reseller_id.is_none() || q.indirect_partner_id == reseller_id)
        .filter(|q| same(&q.quota_id, quota_id))
        .filter(|q| same(&q.parent_quota_id, parent))
        .cloned()
        .collect();
    // Newest first.
    found.sort_by(|a, b| b.create_time.cmp(&a.create_time));
    let (page, total) = window(&found, call);
    json(types::ListIssuedCouponQuotasResponse {
        total_count: Some(total),
        quotas: page,
    })
}

fn update_coupon_quotas(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::AdjustCouponQuotasReq = body(call)?;
    if request.indirect_partner_ids.is_empty() {
        return Err(ApiError::invalid(
            "indirect_partner_ids: give at least one reseller id",
        ));
    }
    let amount_each = request.quota_amount.value();
    let quota_id = request.quota_id.to_string();
    let state = &mut world.groups.coupons;
    let index = state
        .quotas
        .iter()
        .position(|q| q.indirect_partner_id.is_none() && q.quota_id.as_deref() == Some(&quota_id));
    let refusal = match index {
        None => Some(format!("The coupon quota `{quota_id}` does not exist.")),
        Some(i) if state.quotas[i].quota_type != Some(CASH) => Some(format!(
            "The coupon quota `{quota_id}` is not a cash-coupon quota; only those can be issued to resellers."
        )),
        Some(i) if !usable(&state.quotas[i]) => Some(format!(
            "The coupon quota `{quota_id}` does not allow issuing now (status {}).",
            state.quotas[i].quota_status.unwrap_or(-1)
        )),
        Some(_) => None,
    };
    let mut response = types::UpdateCouponQuotasResponse::default();
    let mut issued = Vec::new();
    let mut records = Vec::new();
    for reseller_id in &request.indirect_partner_ids {
        let (Some(index), None) = (index, &refusal) else {
            let message = refusal.clone().unwrap_or_default();
            response
                .error_details
                .push(detail("CBC.99000012", &message, reseller_id));
            continue;
        };
        let Some(reseller) = world
            .indirect_partners
            .iter()
            .find(|p| p.indirect_partner_id.as_deref() == Some(reseller_id.as_str()))
        else {
            response.error_details.push(detail(
                "CBC.99000037",
                "No permission on this reseller.",
                reseller_id,
            ));
            continue;
        };
        let parent = &mut state.quotas[index];
        let balance = amount(parent.balance);
        if balance < amount_each {
            response.error_details.push(detail(
                "CBC.99005003",
                &format!("The coupon quota balance ({balance}) is less than {amount_each}."),
                reseller_id,
            ));
            continue;
        }
        parent.balance = Some(Amount(balance - amount_each));
        parent.last_update_time = Some(NOW.to_string());
        let parent = parent.clone();
        let n = state.next();
        let new_id = format!("2024060100{n:06}");
        issued.push(child_quota(
            &parent,
            reseller,
            new_id.clone(),
            amount_each,
            NOW,
        ));
        records.push(types::QuotaRecord {
            id: Some(format!("QR2406010000{n:06}")),
            operator: Some(OPERATOR.to_string()),
            operation_type: Some("10".to_string()),
            quota_id: Some(new_id.clone()),
            parent_quota_id: parent.quota_id.clone(),
            amount: Some(Amount(amount_each)),
            operation_time: Some(NOW.to_string()),
            result: Some("0".to_string()),
            indirect_partner_account_name: reseller.account_name.clone(),
            indirect_partner_id: Some(reseller_id.clone()),
            indirect_partner_name: reseller.name.clone(),
            remark: None,
        });
        response.simple_quota_infos.push(types::QuotaSimpleInfo {
            id: Some(reseller_id.clone()),
            quota_id: Some(new_id),
        });
    }
    state.quotas.extend(issued);
    records.reverse();
    state.quota_records.splice(0..0, records);
    json(response)
}

fn reclaim_coupon_quotas(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::ReclaimCouponQuotasReq = body(call)?;
    if request.quota_ids.is_empty() {
        return Err(ApiError::invalid("quota_ids: give at least one quota id"));
    }
    let remark = request.remark.as_deref().cloned();
    let state = &mut world.groups.coupons;
    let mut response = types::ReclaimCouponQuotasResponse::default();
    let mut records = Vec::new();
    for quota_id in &request.quota_ids {
        let index = state.quotas.iter().position(|q| {
            q.indirect_partner_id.is_some() && q.quota_id.as_deref() == Some(quota_id.as_str())
        });
        let Some(index) = index else {
            response.error_details.push(detail(
                "CBC.99000012",
                &format!("The reseller coupon quota `{quota_id}` does not exist."),
                quota_id,
            ));
            continue;
        };
        if state.quotas[index].quota_status == Some(6) {
            response.error_details.push(detail(
                "CBC.99000012",
                &format!("The reseller coupon quota `{quota_id}` was already reclaimed."),
                quota_id,
            ));
            continue;
        }
        let n = state.next();
        let quota = &mut state.quotas[index];
        let back = amount(quota.balance);
        quota.balance = Some(Amount(Decimal::ZERO));
        quota.quota_status = Some(6);
        quota.last_update_time = Some(NOW.to_string());
        let quota = quota.clone();
        if let Some(parent) = state
            .quotas
            .iter_mut()
            .find(|p| p.indirect_partner_id.is_none() && p.quota_id == quota.parent_quota_id)
        {
            parent.balance = Some(Amount(amount(parent.balance) + back));
            parent.last_update_time = Some(NOW.to_string());
        }
        records.push(types::QuotaRecord {
            id: Some(format!("QR2406010000{n:06}")),
            operator: Some(OPERATOR.to_string()),
            operation_type: Some("11".to_string()),
            quota_id: Some(quota_id.clone()),
            parent_quota_id: quota.parent_quota_id.clone(),
            amount: Some(Amount(back)),
            operation_time: Some(NOW.to_string()),
            result: Some("0".to_string()),
            indirect_partner_account_name: quota.indirect_partner_account_name.clone(),
            indirect_partner_id: quota.indirect_partner_id.clone(),
            indirect_partner_name: quota.indirect_partner_name.clone(),
            remark: remark.clone(),
        });
        response.simple_quota_infos.push(types::QuotaReclaim {
            quota_id: Some(quota_id.clone()),
            quota_balance: Some(Amount(back)),
        });
    }
    records.reverse();
    state.quota_records.splice(0..0, records);
    json(response)
}

fn list_coupon_quotas_records(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let reseller_id = world.reseller(call.query("indirect_partner_id"))?;
    let quota_id = call.query("quota_id");
    let parent = call.query("parent_quota_id");
    let operated = times(call, "operation_time")?;
    let kind = call
        .query("operation_type")
        .filter(|k| ["10", "11"].contains(k));
    let found: Vec<_> = world
        .groups
        .coupons
        .quota_records
        .iter()
        .filter(|r| reseller_id.is_none() || r.indirect_partner_id == reseller_id)
        .filter(|r| same(&r.quota_id, quota_id))
        .filter(|r| same(&r.parent_quota_id, parent))
        .filter(|r| same(&r.operation_type, kind))
        .filter(|r| within(&r.operation_time, &operated))
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListCouponQuotasRecordsResponse {
        total_count: Some(total),
        records: page,
    })
}

// --- helpers ---

fn reseller_model(customer: &CustomerInformation) -> bool {
    customer.association_type.as_deref() == Some("2")
}

/// A normal quota, effective now.
fn usable(quota: &types::IssuedCouponQuota) -> bool {
    quota.quota_status == Some(0)
        && quota.effective_time.as_deref().is_some_and(|t| t <= NOW)
        && quota.expire_time.as_deref().is_some_and(|t| t > NOW)
}

/// Not a used, expired or reclaimed coupon that expired more than 12 months ago.
fn recent(coupon: &types::IQueryUserCouponsResultV2) -> bool {
    !matches!(coupon.status, Some(3..=5))
        || coupon.expire_time.as_deref().is_some_and(|t| t >= YEAR_AGO)
}

fn amount(value: Option<Amount>) -> Decimal {
    value.map(Amount::value).unwrap_or(Decimal::ZERO)
}

fn service(world: &World, code: &str) -> Option<types::LimitValue> {
    world.service_type(code).map(|s| types::LimitValue {
        value1: Some(code.to_string()),
        value2: s.service_type_name.clone(),
    })
}

fn flatten(infos: &[types::QuotaLimitInfo]) -> Vec<(String, types::LimitValue)> {
    infos
        .iter()
        .flat_map(|info| {
            let key = info.limit_key.clone().unwrap_or_default();
            info.limit_values
                .iter()
                .map(move |v| (key.clone(), v.clone()))
        })
        .collect()
}

/// A new coupon of `plan`: usable from `valid` (not activated before).
fn mint(plan: &Plan, draft: Draft) -> types::IQueryUserCouponsResultV2 {
    let active = draft.valid.as_str() <= NOW;
    let use_limits = draft
        .limits
        .iter()
        .enumerate()
        .map(|(k, (key, value))| types::ICouponUseLimitInfoV2 {
            use_limiti_info_id: Some(format!("UL{}{:02}", draft.id, k + 1)),
            limit_key: Some(key.clone()),
            value1: value.value1.clone(),
            value2: value.value2.clone(),
            value_unit: Some("1".to_string()),
            limit_type: Some("1".to_string()),
            promotion_plan_id: Some(plan.plan_id.clone()),
        })
        .collect();
    types::IQueryUserCouponsResultV2 {
        coupon_id: Some(draft.id),
        coupon_code: Some(draft.code),
        status: Some(if active { 2 } else { 1 }),
        customer_id: Some(draft.customer_id),
        coupon_type: Some(plan.coupon_type),
        measure_id: Some(1),
        face_value: Some(Amount(draft.face)),
        valid_time: Some(draft.valid.clone()),
        expire_time: Some(draft.expire),
        order_id: None,
        promotion_plan_id: Some(plan.plan_id.clone()),
        plan_name: Some(plan.name.clone()),
        plan_desc: Some(plan.description.clone()),
        media_type: Some(1),
        fetch_method: Some(plan.fetch_method),
        use_limits,
        active_time: active.then_some(draft.valid),
        reserve_time: None,
        promotion_id: Some(plan.promotion_id.clone()),
        create_time: Some(draft.created),
        coupon_version: Some(2),
        balance: Some(Amount(draft.face)),
        lock_order_id: None,
        coupon_usage: Some(
            match plan.coupon_type {
                4 => "现金券",
                3 => "产品券",
                _ => "代金券",
            }
            .to_string(),
        ),
        is_frozen: Some("0".to_string()),
        currency: Some("CNY".to_string()),
        extend_param1: None,
        source_id: Some(plan.source_id.clone()),
    }
}

/// Ages a seeded coupon created on `created_day` with a face value of `cents`: used up,
/// expired, not activated yet, or usable (maybe partly spent).
fn age(
    rng: &mut fastrand::Rng,
    coupon: &mut types::IQueryUserCouponsResultV2,
    created_day: i64,
    cents: i64,
) {
    let now = day_of(NOW);
    let expire = coupon.expire_time.clone().unwrap_or_default();
    let last = day_of(&expire).min(now - 1).max(created_day);
    let partly = |rng: &mut fastrand::Rng| Decimal::new(rng.i64(1..cents.max(2)), 2);
    let roll = rng.u32(..100);
    if expire.as_str() <= NOW {
        if roll < 40 {
            coupon.status = Some(3);
            spend(rng, coupon, created_day, last, Decimal::ZERO);
        } else {
            coupon.status = Some(4);
            if roll.is_multiple_of(2) {
                let left = partly(rng);
                spend(rng, coupon, created_day, last, left);
            }
        }
    } else if roll < 30 {
        coupon.status = Some(3);
        spend(rng, coupon, created_day, last, Decimal::ZERO);
    } else if roll < 40 && created_day >= now - 20 {
        let valid = stamp(now + rng.i64(3..30), 0);
        if valid < expire {
            coupon.status = Some(1);
            coupon.active_time = None;
            coupon.valid_time = Some(valid);
        }
    } else if roll.is_multiple_of(2) {
        let left = partly(rng);
        spend(rng, coupon, created_day, last, left);
    }
}

/// A seeded coupon used by an order between `first` and `last` (days), `left` remaining.
fn spend(
    rng: &mut fastrand::Rng,
    coupon: &mut types::IQueryUserCouponsResultV2,
    first: i64,
    last: i64,
    left: Decimal,
) {
    let created = coupon.create_time.clone().unwrap_or_default();
    let day = rng.i64(first..=last.max(first));
    coupon.order_id = Some(format!(
        "CS{}{}",
        &compact(&stamp(day, 0))[..6],
        code(rng, 5)
    ));
    coupon.reserve_time = Some(later(stamp(day, rng.i64(0..86_400)), &created));
    coupon.balance = Some(Amount(left));
}

fn partner_view(c: &types::IQueryUserCouponsResultV2) -> types::IQueryUserPartnerCouponsResultV2 {
    types::IQueryUserPartnerCouponsResultV2 {
        coupon_id: c.coupon_id.clone(),
        status: c.status,
        customer_id: c.customer_id.clone(),
        coupon_type: c.coupon_type,
        measure_id: c.measure_id,
        face_value: c.face_value,
        effective_time: c.valid_time.clone(),
        expire_time: c.expire_time.clone(),
        order_id: c.order_id.clone(),
        promotion_plan_id: c.promotion_plan_id.clone(),
        promotion_plan_name: c.plan_name.clone(),
        promotion_plan_desc: c.plan_desc.clone(),
        media_type: c.media_type,
        fetch_method: c.fetch_method,
        use_limits: c.use_limits.clone(),
        active_time: c.active_time.clone(),
        last_used_time: c.reserve_time.clone(),
        promotion_id: c.promotion_id.clone(),
        create_time: c.create_time.clone(),
        balance: c.balance,
        lock_order_id: c.lock_order_id.clone(),
        is_frozen: c.is_frozen.clone(),
    }
}

fn detail(code: &str, message: &str, id: &str) -> types::ErrorDetail {
    types::ErrorDetail {
        error_code: Some(code.to_string()),
        error_msg: Some(message.to_string()),
        id: Some(id.to_string()),
    }
}

/// An id filter: absent is no filter; present, even empty, must match exactly.
fn same(value: &Option<String>, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| value.as_deref() == Some(f))
}

/// Every value of a repeated query parameter.
fn all<'c>(call: &'c Call<'_>, name: &str) -> Vec<&'c str> {
    call.query
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// A filter where an empty string is rejected.
fn not_empty<'c>(call: &'c Call<'_>, name: &str) -> Result<Option<&'c str>, ApiError> {
    match call.query(name) {
        Some("") => Err(ApiError::invalid(format!("{name}: must not be empty"))),
        other => Ok(other),
    }
}

fn number(call: &Call<'_>, name: &str) -> Result<Option<i32>, ApiError> {
    call.query(name)
        .map(|v| {
            v.parse::<i32>()
                .map_err(|_| ApiError::invalid(format!("{name}: `{v}` is not an integer")))
        })
        .transpose()
}

/// A time filter (query or body), which must be a UTC `yyyy-MM-ddTHH:mm:ssZ` time.
fn time(call: &Call<'_>, name: &str) -> Result<Option<String>, ApiError> {
    call.text(name).map(|v| checked(name, &v)).transpose()
}

/// The `<prefix>_begin` and `<prefix>_end` filters.
fn times(call: &Call<'_>, prefix: &str) -> Result<(Option<String>, Option<String>), ApiError> {
    Ok((
        time(call, &format!("{prefix}_begin"))?,
        time(call, &format!("{prefix}_end"))?,
    ))
}

fn checked(name: &str, value: &str) -> Result<String, ApiError> {
    if is_stamp(value) {
        Ok(value.to_string())
    } else {
        Err(ApiError::invalid(format!(
            "{name}: `{value}` is not a UTC time like 2024-06-01T00:00:00Z"
        )))
    }
}

/// Within a `[begin, end]` window (no window: always); no value is outside any window.
fn within(value: &Option<String>, (begin, end): &(Option<String>, Option<String>)) -> bool {
    if begin.is_none() && end.is_none() {
        return true;
    }
    value.as_ref().is_some_and(|v| {
        begin.as_ref().is_none_or(|b| v >= b) && end.as_ref().is_none_or(|e| v <= e)
    })
}

fn is_stamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits_at =
        |range: std::ops::Range<usize>| range.into_iter().all(|i| b[i].is_ascii_digit());
    let field = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(99);
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && [0..4, 5..7, 8..10, 11..13, 14..16, 17..19]
            .into_iter()
            .all(digits_at)
        && (1..=12).contains(&field(5..7))
        && (1..=31).contains(&field(8..10))
        && field(11..13) < 24
        && field(14..16) < 60
        && field(17..19) < 60
}

/// The day number (days since 1970-01-01) of a `yyyy-MM-dd…` time (a field that does not
/// parse counts as 1).
fn day_of(text: &str) -> i64 {
    let part = |range: std::ops::Range<usize>| {
        text.get(range)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    days_from_civil(i64::from(part(0..4)), part(5..7), part(8..10))
}

/// The UTC time `seconds` into day `day`.
fn stamp(day: i64, seconds: i64) -> String {
    timestamp(day * DAY + seconds.rem_euclid(DAY))
}

/// `time`, or `floor` when `time` is earlier.
fn later(time: String, floor: &str) -> String {
    if time.as_str() < floor {
        floor.to_string()
    } else {
        time
    }
}

/// `yyyyMMddHHmmss` of a time.
fn digits(time: &str) -> String {
    time.chars().filter(char::is_ascii_digit).collect()
}

/// `yyMMddHHmmss` of a time.
fn compact(time: &str) -> String {
    digits(time).chars().skip(2).collect()
}

fn code(rng: &mut fastrand::Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..len)
        .map(|_| char::from(ALPHABET[rng.usize(..ALPHABET.len())]))
        .collect()
}

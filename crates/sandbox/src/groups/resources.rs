//! The `resources` group in the sandbox: customers' on-demand and yearly/monthly resources:
//! listing, renewal, auto-renewal, unsubscription and conversion to on-demand.
//!
//! Every yearly/monthly resource carries its history: the terms it was bought and renewed for,
//! each with the order that paid it. Those orders (new purchases, renewals, unsubscriptions and
//! pending renewals) are made here while seeding and handed to the `orders` group on the first
//! call of either group, so the orders listed there are the orders of these resources. Renewals
//! take effect when their order is paid (at once with `is_auto_pay`, later with PayOrders).

use std::collections::HashMap;

use huaweicloud_bss::orders::types as order_types;
use huaweicloud_bss::resources::types;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use super::orders::{self, Head, Line, Order};
use crate::calendar::{
    self, DAY, civil_from_days, days_from_civil, days_in_month, parse_timestamp, timestamp,
};
use crate::ids::hex;
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

/// Regions resources live in.
pub(crate) const REGIONS: &[&str] = &[
    "cn-north-4",
    "cn-east-3",
    "cn-south-1",
    "cn-southwest-2",
    "cn-north-1",
    "ap-southeast-1",
];

/// "Until further notice": the expiry of a pay-per-use resource.
const NO_EXPIRY: &str = "2099-12-31T15:59:59Z";

/// A product: its resource type, spec code and description (`{size}` is replaced by the size),
/// the sizes it is sold in (none: no size), its monthly price in cents (per size unit when
/// `per_unit`), the measure unit of its size, and its product number.
pub(crate) struct Spec {
    pub resource: &'static str,
    pub code: &'static str,
    pub desc: &'static str,
    pub sizes: &'static [u32],
    pub per_unit: bool,
    pub cents: i64,
    pub measure: Option<i32>,
    pub product: u32,
}

#[allow(clippy::too_many_arguments)]
const fn spec(
    resource: &'static str,
    code: &'static str,
    desc: &'static str,
    sizes: &'static [u32],
    per_unit: bool,
    cents: i64,
    measure: Option<i32>,
    product: u32,
) -> Spec {
    Spec {
        resource,
        code,
        desc,
        sizes,
        per_unit,
        cents,
        measure,
        product,
    }
}

/// The products the sandbox sells.
pub(crate) const SPECS: &[Spec] = &[
    spec(
        "hws.resource.type.vm",
        "s6.large.2.linux",
        "通用计算型|s6.large.2|2vCPUs|4GB|linux",
        &[],
        false,
        11_500,
        None,
        238_051,
    ),
    spec(
        "hws.resource.type.vm",
        "s6.xlarge.2.linux",
        "通用计算型|s6.xlarge.2|4vCPUs|8GB|linux",
        &[],
        false,
        23_000,
        None,
        238_052,
    ),
    spec(
        "hws.resource.type.vm",
        "c6.2xlarge.4.linux",
        "通用计算增强型|c6.2xlarge.4|8vCPUs|32GB|linux",
        &[],
        false,
        115_200,
        None,
        225_474,
    ),
    spec(
        "hws.resource.type.vm",
        "m6.xlarge.8.win",
        "内存优化型|m6.xlarge.8|4vCPUs|32GB|win",
        &[],
        false,
        78_050,
        None,
        238_060,
    ),
    spec(
        "hws.resource.type.volume",
        "SSD",
        "云硬盘_SSD|{size}.0GB",
        &[40, 100, 200, 500],
        true,
        100,
        Some(10),
        238_053,
    ),
    spec(
        "hws.resource.type.volume",
        "SAS",
        "云硬盘_SAS|{size}.0GB",
        &[40, 100, 200, 1000],
        true,
        35,
        Some(10),
        238_054,
    ),
    spec(
        "hws.resource.type.bandwidth",
        "19_bgp",
        "全动态BGP带宽|{size}Mbit/s",
        &[5, 10, 20, 50],
        true,
        2_300,
        None,
        239_010,
    ),
    spec(
        "hws.resource.type.ip",
        "5_bgp",
        "全动态BGP|弹性公网IP",
        &[],
        false,
        2_000,
        None,
        239_011,
    ),
    spec(
        "hws.resource.type.rds.vm",
        "rds.mysql.n1.large.2",
        "云数据库MySQL|8.0|2vCPUs|4GB|单机",
        &[],
        false,
        41_000,
        None,
        240_101,
    ),
    spec(
        "hws.resource.type.rds.vm",
        "rds.pg.n1.xlarge.4.ha",
        "云数据库PostgreSQL|14|4vCPUs|16GB|主备",
        &[],
        false,
        196_000,
        None,
        240_102,
    ),
    spec(
        "hws.resource.type.rds.volume",
        "CLOUDSSD",
        "数据库存储|SSD云盘|{size}.0GB",
        &[40, 100, 200],
        true,
        80,
        Some(10),
        240_103,
    ),
    spec(
        "hws.resource.type.elb",
        "elbv3.basic.1az",
        "独享型负载均衡|小型I|单可用区",
        &[],
        false,
        12_800,
        None,
        241_001,
    ),
    spec(
        "hws.resource.type.dcs",
        "redis.ha.xu1.large.r2.2",
        "分布式缓存Redis|6.0|主备|2GB",
        &[],
        false,
        14_400,
        None,
        242_001,
    ),
    spec(
        "hws.resource.type.cce.cluster",
        "cce.s2.small",
        "CCE集群|50节点|多控制节点",
        &[],
        false,
        105_000,
        None,
        243_001,
    ),
    spec(
        "hws.resource.type.waf",
        "waf.professional",
        "Web应用防火墙|专业版|50个域名",
        &[],
        false,
        388_000,
        None,
        244_001,
    ),
    spec(
        "hws.resource.type.obs",
        "obs.standard",
        "对象存储|标准存储|多AZ",
        &[],
        false,
        0,
        None,
        245_001,
    ),
    spec(
        "hws.resource.type.cdn",
        "cdn.flow.mainland",
        "内容分发网络|中国大陆|按流量",
        &[],
        false,
        0,
        None,
        246_001,
    ),
    spec(
        "hws.resource.type.functiongraph",
        "fgs.invocation",
        "函数工作流|调用次数|执行时间",
        &[],
        false,
        0,
        None,
        247_001,
    ),
    spec(
        "hws.resource.type.dns",
        "dns.private.zone",
        "云解析服务|内网域名",
        &[],
        false,
        0,
        None,
        248_001,
    ),
];

/// Yearly/monthly main resource types (with the weight they are sold with) and the resource
/// type attached to them.
const YEARLY: &[(&str, u32, Option<&str>)] = &[
    ("hws.resource.type.vm", 35, Some("hws.resource.type.volume")),
    ("hws.resource.type.volume", 10, None),
    (
        "hws.resource.type.ip",
        12,
        Some("hws.resource.type.bandwidth"),
    ),
    (
        "hws.resource.type.rds.vm",
        12,
        Some("hws.resource.type.rds.volume"),
    ),
    ("hws.resource.type.elb", 8, None),
    ("hws.resource.type.dcs", 8, None),
    ("hws.resource.type.cce.cluster", 5, None),
    ("hws.resource.type.waf", 5, None),
    ("hws.resource.type.bandwidth", 5, None),
];

/// Pay-per-use resource types.
const ON_DEMAND: &[&str] = &[
    "hws.resource.type.vm",
    "hws.resource.type.vm",
    "hws.resource.type.volume",
    "hws.resource.type.volume",
    "hws.resource.type.bandwidth",
    "hws.resource.type.ip",
    "hws.resource.type.obs",
    "hws.resource.type.cdn",
    "hws.resource.type.functiongraph",
    "hws.resource.type.rds.vm",
    "hws.resource.type.dcs",
    "hws.resource.type.elb",
    "hws.resource.type.dns",
];

const APPS: &[&str] = &[
    "web", "api", "db", "batch", "gitlab", "jenkins", "erp", "crm", "mall", "bi", "oa", "iot",
];

const PROJECTS: &[&str] = &["华东生产环境", "研发测试", "数据平台", "官网业务"];

/// One yearly/monthly term: from `start` to `end`, paid by `order_id` with `paid`.
#[derive(Clone, Debug)]
struct Term {
    start: String,
    end: String,
    order_id: String,
    paid: Decimal,
}

/// A yearly/monthly resource with its bookkeeping.
#[derive(Clone, Debug)]
struct Yearly {
    info: types::OrderInstanceV2,
    customer_id: String,
    monthly: Decimal,
    terms: Vec<Term>,
    /// Every order about the resource (purchase, renewals, unsubscription).
    orders: Vec<String>,
    /// Renewals set by AutoRenewalResources: their number (0 unlimited) and period.
    auto_renew: Option<(i32, Option<String>)>,
}

impl Yearly {
    fn id(&self) -> &str {
        self.info.resource_id.as_deref().unwrap_or_default()
    }

    fn is_main(&self) -> bool {
        self.info.is_main_resource == Some(1)
    }

    fn status(&self) -> i32 {
        self.info.status.unwrap_or(2)
    }

    fn expire(&self) -> String {
        self.info.expire_time.clone().unwrap_or_else(|| NOW.into())
    }
}

/// A renewal waiting for its order to be paid: line `line` of order `order_id` renews
/// `resource_id` by `months`.
#[derive(Clone, Debug)]
struct PendingRenewal {
    order_id: String,
    resource_id: String,
    line: usize,
    months: i32,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    on_demand: Vec<types::CustomerOnDemandResource>,
    yearly: Vec<Yearly>,
    pending: Vec<PendingRenewal>,
    /// SetResourcesRenewConfig: the auto-renewal deduction day (days before expiry).
    deduction_days: Option<i32>,
    /// SetResourcesRenewConfig: the common expiry day of renewed resources (-1 last day).
    expire_day: Option<i32>,
    /// Orders made while seeding, not yet handed to the `orders` group.
    unlinked: Vec<Order>,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut seeder = Seeder {
            rng,
            world,
            state: State::default(),
            projects: HashMap::new(),
        };
        seeder.on_demand();
        seeder.yearly();
        seeder.state
    }

    /// The orders made while seeding, once (the `orders` group adopts them).
    pub(crate) fn take_orders(&mut self) -> Vec<Order> {
        std::mem::take(&mut self.unlinked)
    }
}

/// The catalog names of a resource type: (service code, service name, resource name).
pub(crate) fn type_names(world: &World, resource: &str) -> Option<(String, String, String)> {
    let r = world
        .resource_types
        .iter()
        .find(|r| r.resource_type_code.as_deref() == Some(resource))?;
    let service = r.service_type_code.clone()?;
    let service_name = world
        .service_type(&service)
        .and_then(|s| s.service_type_name.clone())
        .unwrap_or_default();
    Some((
        service,
        service_name,
        r.resource_type_name.clone().unwrap_or_default(),
    ))
}

/// The product ID of a spec.
pub(crate) fn product_id(spec: &Spec) -> String {
    format!("00301-{}-0--0", spec.product)
}

/// The description and monthly price of `spec` in `size`.
pub(crate) fn priced(spec: &Spec, size: u32) -> (String, Decimal) {
    let desc = spec.desc.replace("{size}", &size.to_string());
    let cents = if spec.per_unit {
        spec.cents * i64::from(size.max(1))
    } else {
        spec.cents
    };
    (desc, Decimal::new(cents, 2))
}

/// Months billed for a period: a year costs ten months.
pub(crate) fn billed_months(period_type: i32, period_num: i32) -> i32 {
    if period_type == 3 {
        10 * period_num
    } else {
        period_num
    }
}

/// Months of a period.
fn period_months(period_type: i32, period_num: i32) -> i32 {
    if period_type == 3 {
        12 * period_num
    } else {
        period_num
    }
}

/// A new resource (instance) ID in the UUID layout.
fn uuid(hex: &str) -> String {
    let h = format!("{hex:0<32}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

struct Seeder<'a> {
    rng: &'a mut fastrand::Rng,
    world: &'a World,
    state: State,
    projects: HashMap<(String, String), String>,
}

impl Seeder<'_> {
    fn specs(&self, resource: &str) -> Vec<&'static Spec> {
        SPECS.iter().filter(|s| s.resource == resource).collect()
    }

    fn pick_spec(&mut self, resource: &str) -> Option<(&'static Spec, u32)> {
        let specs = self.specs(resource);
        if specs.is_empty() {
            return None;
        }
        let spec = specs[self.rng.usize(..specs.len())];
        let size = if spec.sizes.is_empty() {
            0
        } else {
            spec.sizes[self.rng.usize(..spec.sizes.len())]
        };
        Some((spec, size))
    }

    fn project(&mut self, customer: &str, region: &str) -> String {
        let key = (customer.to_string(), region.to_string());
        if let Some(p) = self.projects.get(&key) {
            return p.clone();
        }
        let p = hex(self.rng);
        self.projects.insert(key, p.clone());
        p
    }

    /// A time between `from` and `to` (seconds since 1970).
    fn between(&mut self, from: i64, to: i64) -> i64 {
        if to <= from {
            from
        } else {
            self.rng.i64(from..to)
        }
    }

    fn on_demand(&mut self) {
        let now = parse_timestamp(NOW).unwrap_or_default();
        let begin = parse_timestamp("2022-01-01T00:00:00Z").unwrap_or_default();
        let customers: Vec<(usize, String)> = self
            .world
            .customers
            .iter()
            .enumerate()
            .filter(|(_, (_, c))| c.association_type.as_deref() == Some("2"))
            .map(|(i, (_, c))| (i, c.id().to_string()))
            .collect();
        for (index, customer) in customers {
            let count = match index {
                1 | 2 => 14,
                _ if self.rng.u32(..10) < 4 => 1 + self.rng.usize(..5),
                _ => 0,
            };
            for _ in 0..count {
                let resource = ON_DEMAND[self.rng.usize(..ON_DEMAND.len())];
                let Some((service, service_name, resource_name)) = type_names(self.world, resource)
                else {
                    continue;
                };
                let Some((spec, size)) = self.pick_spec(resource) else {
                    continue;
                };
                let region = REGIONS[self.rng.usize(..REGIONS.len())];
                let zone = ["a", "b", "c"][self.rng.usize(..3)];
                let effective = self.between(begin, now - 3600);
                let status = match self.rng.u32(..100) {
                    0..80 => 1,
                    80..85 => 2,
                    85..90 => 3,
                    _ => 6,
                };
                let expire = if status == 6 {
                    timestamp(self.between(effective + 86_400, now - 3600))
                } else {
                    NO_EXPIRY.to_string()
                };
                let app = APPS[self.rng.usize(..APPS.len())];
                let id = uuid(&hex(self.rng));
                let (desc, _) = priced(spec, size);
                self.state.on_demand.push(types::CustomerOnDemandResource {
                    customer_id: Some(customer.clone()),
                    region_code: Some(region.to_string()),
                    availability_zone_code: Some(format!("{region}{zone}")),
                    service_type_code: Some(service),
                    resource_type_code: Some(resource.to_string()),
                    service_type_name: Some(service_name),
                    resource_type_name: Some(resource_name),
                    resource_id: Some(id.clone()),
                    resource_name: Some(format!(
                        "{}-{app}-{:02}",
                        short_name(resource),
                        self.rng.u32(1..100)
                    )),
                    effective_time: Some(timestamp(effective)),
                    expire_time: Some(expire),
                    status: Some(status),
                    resource_spec_code: Some(spec.code.to_string()),
                    resource_info: Some(format!("{{\"specSize\":{size}.0}}")),
                    product_spec_desc: Some(desc),
                });
            }
        }
    }

    fn yearly(&mut self) {
        let total: u32 = YEARLY.iter().map(|(_, w, _)| w).sum();
        let customers = self.world.customers.len();
        if customers == 0 {
            return;
        }
        for n in 0..320usize {
            // The first customers the partner has get several resources each.
            let index = match n {
                0..8 => 1.min(customers - 1),
                8..14 => 2.min(customers - 1),
                _ => self.rng.usize(..customers),
            };
            let mut roll = self.rng.u32(..total);
            let mut chosen = YEARLY[0];
            for entry in YEARLY {
                if roll < entry.1 {
                    chosen = *entry;
                    break;
                }
                roll -= entry.1;
            }
            self.one_yearly(index, chosen.0, chosen.2);
        }
    }

    /// One main yearly/monthly resource, its attached resources and its orders.
    fn one_yearly(&mut self, index: usize, resource: &str, attached: Option<&str>) {
        let (customer_id, account) = {
            let (_, c) = &self.world.customers[index];
            (c.id().to_string(), c.login().to_string())
        };
        let now = parse_timestamp(NOW).unwrap_or_default();
        let region = REGIONS[self.rng.usize(..REGIONS.len())];
        let project = self.project(&customer_id, region);
        let enterprise = if self.rng.u32(..10) < 7 {
            ("0".to_string(), "default".to_string())
        } else {
            let name = PROJECTS[self.rng.usize(..PROJECTS.len())];
            (uuid(&hex(self.rng)), name.to_string())
        };
        // The period bought, and the unit of its renewals.
        let (period_type, period_num) = if self.rng.u32(..10) < 4 {
            (3, 1 + self.rng.i32(0..3).min(self.rng.i32(0..3)))
        } else {
            (2, [1, 1, 1, 2, 3, 6][self.rng.usize(..6)])
        };
        let renew_num = 1;
        let renewals = if period_type == 3 {
            self.rng.usize(..2)
        } else {
            self.rng.usize(..4)
        };
        // What became of it: 2 in use, 5 expired, 4 frozen, 3 closed (unsubscribed).
        let status = match self.rng.u32(..100) {
            0..78 => 2,
            78..86 => 5,
            86..90 => 4,
            _ => 3,
        };
        let last_months = if renewals > 0 {
            period_months(period_type, renew_num)
        } else {
            period_months(period_type, period_num)
        };
        let unsubscribed = (status == 3).then(|| now - self.rng.i64(86_400..120 * 86_400));
        let anchor = unsubscribed.unwrap_or(now);
        let end = if status == 5 {
            day_end(now - self.rng.i64(1..15) * 86_400)
        } else {
            let span = i64::from(last_months) * 28;
            day_end(anchor + self.rng.i64(1..span.max(2)) * 86_400)
        };
        // The terms, from the last one back to the purchase.
        let mut bounds = Vec::new();
        let mut cursor = timestamp(end);
        for k in 0..=renewals {
            let months = if k < renewals {
                period_months(period_type, renew_num)
            } else {
                period_months(period_type, period_num)
            };
            let start = add_months(&cursor, -months).unwrap_or_else(|| cursor.clone());
            bounds.push((start.clone(), cursor.clone()));
            cursor = start;
        }
        bounds.reverse();
        let purchase =
            parse_timestamp(&bounds[0].0).unwrap_or(now) + 1 - self.rng.i64(3_600..50_000);
        bounds[0].0 = timestamp(purchase);

        // The main resource and its attached ones.
        let Some(main) = self.instance(resource, &customer_id, region, &project, &enterprise)
        else {
            return;
        };
        let main_id = main.id().to_string();
        let mut group = vec![main];
        if let Some(attached) = attached {
            let count = if attached == "hws.resource.type.volume" {
                1 + self.rng.usize(..2)
            } else {
                1
            };
            for i in 0..count {
                if let Some(mut a) =
                    self.instance(attached, &customer_id, region, &project, &enterprise)
                {
                    a.info.is_main_resource = Some(0);
                    a.info.parent_resource_id = Some(main_id.clone());
                    let base = group[0].info.resource_name.clone().unwrap_or_default();
                    a.info.resource_name = Some(match attached {
                        "hws.resource.type.bandwidth" => format!("bandwidth-{base}"),
                        _ => format!("{base}-volume-{i:04}"),
                    });
                    group.push(a);
                }
            }
        }

        // The orders: purchase, renewals.
        let mut ratio = [100, 100, 95, 90, 85, 80][self.rng.usize(..6)];
        for (k, (start, term_end)) in bounds.iter().enumerate() {
            let (kind, num, create, source, user) = if k == 0 {
                let source = if self.rng.u32(..10) == 0 { 2 } else { 1 };
                (1, period_num, purchase - 180, source, account.clone())
            } else {
                let create = parse_timestamp(start).unwrap_or(now) - 7 * 86_400 + 1 - 50_400;
                if self.rng.bool() {
                    (2, renew_num, create, 8, "运营系统".to_string())
                } else {
                    (2, renew_num, create - 3_600, 1, account.clone())
                }
            };
            let create = create.min(now - 600);
            let coupon = if self.rng.u32(..100) < 15 {
                Decimal::from([20, 50, 100][self.rng.usize(..3)])
            } else {
                Decimal::ZERO
            };
            let order_id = orders::order_id(&timestamp(create), self.rng);
            let mut lines = Vec::new();
            let mut coupon_left = coupon;
            for r in &group {
                let official = r.monthly * Decimal::from(billed_months(period_type, num));
                let after = (official * Decimal::new(ratio, 2)).round_dp(2);
                let used = coupon_left.min(after);
                coupon_left -= used;
                lines.push(line_of(
                    &r.info,
                    Some((period_type, num)),
                    start,
                    term_end,
                    official,
                    after,
                    used,
                ));
            }
            for (r, l) in group.iter_mut().zip(&lines) {
                r.terms.push(Term {
                    start: start.clone(),
                    end: term_end.clone(),
                    order_id: order_id.clone(),
                    paid: l.after,
                });
                r.orders.push(order_id.clone());
            }
            let order = orders::build(
                Head {
                    order_id,
                    customer_id: customer_id.clone(),
                    order_type: kind,
                    status: 5,
                    source_type: source,
                    create_time: timestamp(create),
                    payment_time: Some(timestamp(create + 25 + self.rng.i64(0..90))),
                    user_name: user,
                    enterprise_project: Some(enterprise.clone()),
                    pending_payment_end_time: None,
                },
                lines,
                Vec::new(),
            );
            self.state.unlinked.push(order);
            ratio = [100, 100, 95, 90][self.rng.usize(..4)];
        }
        let paid_at = self
            .state
            .unlinked
            .last()
            .and_then(|o| o.info.payment_time.clone());
        for r in &mut group {
            r.info.status = Some(status);
            r.info.effective_time = Some(bounds[0].0.clone());
            r.info.expire_time = Some(timestamp(end));
            r.info.update_time = paid_at.clone();
        }

        match status {
            3 => {
                let at = timestamp(unsubscribed.unwrap_or(now));
                let order_id = orders::order_id(&at, self.rng);
                let (lines, refunds) = unsubscribe_lines(&mut group, &order_id, &at, true);
                let order = orders::build(
                    Head {
                        order_id,
                        customer_id: customer_id.clone(),
                        order_type: 4,
                        status: 5,
                        source_type: 1,
                        create_time: at.clone(),
                        payment_time: Some(at.clone()),
                        user_name: account.clone(),
                        enterprise_project: Some(enterprise.clone()),
                        pending_payment_end_time: None,
                    },
                    lines,
                    refunds,
                );
                self.state.unlinked.push(order);
            }
            2 => {
                let policy = match self.rng.u32(..100) {
                    0..35 => 3,
                    35..45 => 1,
                    _ => 0,
                };
                for r in &mut group {
                    r.info.expire_policy = Some(policy);
                    r.auto_renew = (policy == 3).then_some((0, None));
                }
                if self.rng.u32(..100) < 6 {
                    // A renewal ordered a few days ago and not paid yet.
                    let create = now - self.rng.i64(3_600..5 * 86_400);
                    let order_id = orders::order_id(&timestamp(create), self.rng);
                    let discount = Some((hex(self.rng), Decimal::new(90, 2)));
                    let lines = renewal_lines(
                        &mut self.state.pending,
                        &mut group,
                        &order_id,
                        (period_type, renew_num),
                        self.state.expire_day,
                        0,
                    );
                    let mut order = orders::build(
                        Head {
                            order_id: order_id.clone(),
                            customer_id: customer_id.clone(),
                            order_type: 2,
                            status: 6,
                            source_type: 1,
                            create_time: timestamp(create),
                            payment_time: None,
                            user_name: account.clone(),
                            enterprise_project: Some(enterprise.clone()),
                            pending_payment_end_time: Some(timestamp(create + 7 * 86_400)),
                        },
                        lines,
                        Vec::new(),
                    );
                    order.discount = discount;
                    self.state.unlinked.push(order);
                }
            }
            _ => {
                for r in &mut group {
                    r.info.expire_policy = Some(0);
                }
            }
        }
        self.state.yearly.extend(group);
    }

    /// A fresh yearly/monthly resource of `resource` type (no terms yet).
    fn instance(
        &mut self,
        resource: &str,
        customer: &str,
        region: &str,
        project: &str,
        enterprise: &(String, String),
    ) -> Option<Yearly> {
        let (service, service_name, resource_name) = type_names(self.world, resource)?;
        let (spec, size) = self.pick_spec(resource)?;
        let (desc, monthly) = priced(spec, size);
        let app = APPS[self.rng.usize(..APPS.len())];
        let id = uuid(&hex(self.rng));
        Some(Yearly {
            info: types::OrderInstanceV2 {
                id: Some(hex(self.rng)),
                resource_id: Some(id.clone()),
                resource_name: Some(format!(
                    "{}-{app}-{:02}",
                    short_name(resource),
                    self.rng.u32(1..100)
                )),
                region_code: Some(region.to_string()),
                service_type_code: Some(service),
                resource_type_code: Some(resource.to_string()),
                resource_type_name: Some(resource_name),
                service_type_name: Some(service_name),
                resource_spec_code: Some(spec.code.to_string()),
                project_id: Some(project.to_string()),
                product_id: Some(product_id(spec)),
                parent_resource_id: Some(id),
                is_main_resource: Some(1),
                status: Some(2),
                effective_time: None,
                expire_time: None,
                expire_policy: Some(0),
                product_spec_desc: Some(desc),
                spec_size: Some(Amount::from(Decimal::from(size))),
                spec_size_measure_id: spec.measure,
                update_time: None,
                enterprise_project: Some(types::EnterpriseProject {
                    id: Some(enterprise.0.clone()),
                    name: Some(enterprise.1.clone()),
                }),
            },
            customer_id: customer.to_string(),
            monthly,
            terms: Vec::new(),
            orders: Vec::new(),
            auto_renew: None,
        })
    }
}

/// The usual name prefix of a resource type's instances.
fn short_name(resource: &str) -> &'static str {
    match resource {
        "hws.resource.type.vm" => "ecs",
        "hws.resource.type.volume" => "evs",
        "hws.resource.type.bandwidth" => "bandwidth",
        "hws.resource.type.ip" => "eip",
        "hws.resource.type.rds.vm" | "hws.resource.type.rds.volume" => "rds",
        "hws.resource.type.elb" => "elb",
        "hws.resource.type.dcs" => "dcs",
        "hws.resource.type.cce.cluster" => "cce",
        "hws.resource.type.waf" => "waf",
        "hws.resource.type.obs" => "obs",
        "hws.resource.type.cdn" => "cdn",
        "hws.resource.type.functiongraph" => "fgs",
        "hws.resource.type.dns" => "dns",
        _ => "res",
    }
}

/// A line item about resource `info`.
fn line_of(
    info: &types::OrderInstanceV2,
    period: Option<(i32, i32)>,
    effective: &str,
    expire: &str,
    official: Decimal,
    after: Decimal,
    coupon: Decimal,
) -> Line {
    Line {
        service_type_code: info.service_type_code.clone().unwrap_or_default(),
        service_type_name: info.service_type_name.clone().unwrap_or_default(),
        resource_type_code: info.resource_type_code.clone().unwrap_or_default(),
        product_id: info.product_id.clone().unwrap_or_default(),
        product_spec_desc: info.product_spec_desc.clone().unwrap_or_default(),
        period,
        effective_time: effective.to_string(),
        expire_time: expire.to_string(),
        official,
        after,
        coupon,
        consumed: Decimal::ZERO,
    }
}

/// The new expiry of a resource renewed by `months` from `expire`, on the common expiry day
/// when one is set.
fn renewed_expiry(expire: &str, months: i32, expire_day: Option<i32>) -> String {
    let base = add_months(expire, months).unwrap_or_else(|| expire.to_string());
    match (expire_day, parse_timestamp(&base)) {
        (Some(day), Some(secs)) => {
            let (y, m, _) = civil_from_days(secs.div_euclid(DAY));
            let last = days_in_month(y, m);
            let d = match u32::try_from(day) {
                Ok(day) if day >= 1 => day.min(last),
                _ => last,
            };
            timestamp(days_from_civil(y, m, d) * DAY + secs.rem_euclid(DAY))
        }
        _ => base,
    }
}

/// The renewal lines of `group` (a main resource first, then its attached ones), recording the
/// renewals pending until order `order_id` is paid; its line numbers start at `first`.
fn renewal_lines(
    pending: &mut Vec<PendingRenewal>,
    group: &mut [Yearly],
    order_id: &str,
    period: (i32, i32),
    expire_day: Option<i32>,
    first: usize,
) -> Vec<Line> {
    let months = period_months(period.0, period.1);
    let mut lines = Vec::new();
    for r in group.iter_mut() {
        let official = r.monthly * Decimal::from(billed_months(period.0, period.1));
        let from = r.expire();
        let to = renewed_expiry(&from, months, expire_day);
        pending.push(PendingRenewal {
            order_id: order_id.to_string(),
            resource_id: r.id().to_string(),
            line: first + lines.len(),
            months,
        });
        lines.push(line_of(
            &r.info,
            Some(period),
            &from,
            &to,
            official,
            official,
            Decimal::ZERO,
        ));
        r.orders.push(order_id.to_string());
    }
    lines
}

/// Unsubscribes `group` at `at` (everything when `all`, otherwise only the renewed periods not
/// started yet): the unsubscription order's lines and refund items.
fn unsubscribe_lines(
    group: &mut [Yearly],
    order_id: &str,
    at: &str,
    all: bool,
) -> (Vec<Line>, Vec<order_types::OrderRefundInfoV2>) {
    let now = parse_timestamp(at).unwrap_or_default();
    let mut lines = Vec::new();
    let mut refunds = Vec::new();
    for r in group.iter_mut() {
        let old_end = r.expire();
        let mut refund = Decimal::ZERO;
        let mut consumed = Decimal::ZERO;
        let mut kept = Vec::new();
        for term in std::mem::take(&mut r.terms) {
            let start = parse_timestamp(&term.start).unwrap_or(now);
            let end = parse_timestamp(&term.end).unwrap_or(now);
            if start >= now {
                refund += term.paid;
                refunds.push(refund_item(r, -term.paid, &term.order_id));
            } else if all && end > now && end > start {
                let used = (term.paid * Decimal::from(now - start) / Decimal::from(end - start))
                    .round_dp(2);
                refund += term.paid - used;
                consumed += used;
                refunds.push(refund_item(r, -term.paid, &term.order_id));
                refunds.push(refund_item(r, used, &term.order_id));
                kept.push(Term {
                    end: at.to_string(),
                    paid: used,
                    ..term
                });
            } else {
                kept.push(term);
            }
        }
        let new_end = if all {
            at.to_string()
        } else {
            kept.last()
                .map(|t| t.end.clone())
                .unwrap_or(old_end.clone())
        };
        r.terms = kept;
        r.orders.push(order_id.to_string());
        r.info.expire_time = Some(new_end.clone());
        r.info.update_time = Some(at.to_string());
        if all {
            r.info.status = Some(3);
            r.info.expire_policy = Some(0);
            r.auto_renew = None;
        }
        let mut line = line_of(
            &r.info,
            None,
            &new_end,
            &old_end,
            refund,
            refund,
            Decimal::ZERO,
        );
        line.consumed = consumed;
        lines.push(line);
    }
    (lines, refunds)
}

/// A refund amount item about resource `r` (numbered when its order is built).
fn refund_item(r: &Yearly, amount: Decimal, base_order_id: &str) -> order_types::OrderRefundInfoV2 {
    order_types::OrderRefundInfoV2 {
        id: None,
        amount: Some(Amount::from(amount)),
        measure_id: Some("1".to_string()),
        customer_id: Some(r.customer_id.clone()),
        resource_type_code: r.info.resource_type_code.clone(),
        service_type_code: r.info.service_type_code.clone(),
        resource_type_name: r.info.resource_type_name.clone(),
        service_type_name: r.info.service_type_name.clone(),
        region_code: r.info.region_code.clone(),
        base_order_id: Some(base_order_id.to_string()),
    }
}

/// The orders made while seeding go to the `orders` group on the first call.
fn link(world: &mut World) {
    orders::link(world);
}

impl crate::generated::resources::Server for World {
    fn list_customer_on_demand_resources(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        list_on_demand(self, call)
    }

    fn list_pay_per_use_customer_resources(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        list_yearly(self, call)
    }

    fn renewal_resources(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        renew(self, call)
    }

    fn auto_renewal_resources(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        auto_renew(self, call)
    }

    fn cancel_auto_renewal_resources(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        cancel_auto_renew(self, call)
    }

    fn cancel_resources_subscription(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        unsubscribe(self, call)
    }

    fn update_period_to_on_demand(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        to_on_demand(self, call)
    }

    fn update_period_to_on_demand_instantly(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        to_on_demand_now(self, call)
    }

    fn set_resources_renew_config(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        link(self);
        renew_config(self, call)
    }
}

/// Whether `customer_id` is a customer of the partner (of `reseller` when one is given).
pub(crate) fn is_customer(world: &World, customer_id: &str, reseller: Option<&str>) -> bool {
    world.customers.iter().any(|(owner, c)| {
        c.id() == customer_id && reseller.is_none_or(|r| owner.as_deref() == Some(r))
    })
}

fn not_a_customer() -> ApiError {
    ApiError::business(
        "CBC.99000035",
        "The customer is not a customer of this partner.",
    )
}

/// A timestamp filter: absent (or empty, when `empty_is_none`) is no filter; anything else must
/// be a timestamp.
fn time_filter(
    name: &str,
    value: Option<String>,
    empty_is_none: bool,
) -> Result<Option<i64>, ApiError> {
    match value.filter(|v| !(empty_is_none && v.is_empty())) {
        None => Ok(None),
        Some(v) => parse_timestamp(&v).map(Some).ok_or_else(|| {
            ApiError::invalid(format!(
                "{name}: `{v}` is not a UTC time in the form yyyy-MM-ddTHH:mm:ssZ"
            ))
        }),
    }
}

fn within(value: Option<&str>, from: Option<i64>, to: Option<i64>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some(t) = value.and_then(parse_timestamp) else {
        return false;
    };
    from.is_none_or(|f| t >= f) && to.is_none_or(|e| t <= e)
}

fn list_on_demand(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::QueryCustomerOnDemandResourcesReq = body(call)?;
    let reseller = world.acting_reseller(request.indirect_partner_id.as_deref())?;
    let customer_id = request.customer_id.to_string();
    let customer = world
        .customers
        .iter()
        .find(|(owner, c)| {
            c.id() == customer_id
                && reseller
                    .as_deref()
                    .is_none_or(|r| owner.as_deref() == Some(r))
        })
        .map(|(_, c)| c)
        .ok_or_else(not_a_customer)?;
    if customer.association_type.as_deref() == Some("1") {
        return Err(ApiError::business(
            "CBC.99000035",
            "The customer is a referral customer, not a reseller-model (代售) customer of this partner.",
        ));
    }
    if request.resource_ids.len() > 50 {
        return Err(ApiError::invalid("resource_ids: at most 50"));
    }
    let from = time_filter(
        "effective_time_begin",
        request.effective_time_begin.map(|v| v.to_string()),
        false,
    )?;
    let to = time_filter(
        "effective_time_end",
        request.effective_time_end.map(|v| v.to_string()),
        false,
    )?;
    let region = request.region_code.map(|v| v.to_string());
    let service = request.service_type_code.map(|v| v.to_string());
    let found: Vec<_> = world
        .groups
        .resources
        .on_demand
        .iter()
        .filter(|r| r.customer_id.as_deref() == Some(customer_id.as_str()))
        .filter(|r| {
            region
                .as_deref()
                .is_none_or(|g| g.is_empty() || r.region_code.as_deref() == Some(g))
        })
        .filter(|r| {
            service
                .as_deref()
                .is_none_or(|s| s.is_empty() || r.service_type_code.as_deref() == Some(s))
        })
        .filter(|r| {
            request.resource_ids.is_empty()
                || r.resource_id
                    .as_ref()
                    .is_some_and(|id| request.resource_ids.contains(id))
        })
        .filter(|r| request.status.is_none() || r.status == request.status)
        .filter(|r| within(r.effective_time.as_deref(), from, to))
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListCustomerOnDemandResourcesResponse {
        resources: page,
        total_count: Some(total),
    })
}

fn list_yearly(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::QueryResourcesReq = body(call)?;
    let customer_id = request
        .customer_id
        .as_ref()
        .map(|c| c.to_string())
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            ApiError::invalid("customer_id: required when a partner lists a customer's resources")
        })?;
    if !is_customer(world, &customer_id, None) {
        return Err(not_a_customer());
    }
    if request.resource_ids.len() > 50 {
        return Err(ApiError::invalid("resource_ids: at most 50"));
    }
    if request.status_list.len() > 10 {
        return Err(ApiError::invalid("status_list: at most 10"));
    }
    let from = time_filter(
        "expire_time_begin",
        request.expire_time_begin.map(|v| v.to_string()),
        true,
    )?;
    let to = time_filter(
        "expire_time_end",
        request.expire_time_end.map(|v| v.to_string()),
        true,
    )?;
    let order = request
        .order_id
        .map(|v| v.to_string())
        .filter(|v| !v.is_empty());
    let service = request.service_type_code.map(|v| v.to_string());
    let main_only = request.only_main_resource == Some(1);
    let ids = &request.resource_ids;
    let found: Vec<_> = world
        .groups
        .resources
        .yearly
        .iter()
        .filter(|r| r.customer_id == customer_id)
        .filter(|r| {
            if ids.is_empty() {
                !main_only || r.is_main()
            } else {
                ids.iter().any(|i| i == r.id())
                    || (!main_only
                        && r.info
                            .parent_resource_id
                            .as_ref()
                            .is_some_and(|p| ids.contains(p)))
            }
        })
        .filter(|r| order.as_ref().is_none_or(|o| r.orders.contains(o)))
        .filter(|r| request.status_list.is_empty() || request.status_list.contains(&r.status()))
        .filter(|r| within(r.info.expire_time.as_deref(), from, to))
        .filter(|r| {
            service
                .as_deref()
                .is_none_or(|s| r.info.service_type_code.as_deref() == Some(s))
        })
        .map(|r| r.info.clone())
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListPayPerUseCustomerResourcesResponse {
        data: page,
        total_count: Some(total),
    })
}

fn fail(resource_id: &str, code: &str, message: &str) -> types::FailResourceInfo {
    types::FailResourceInfo {
        error_code: Some(code.to_string()),
        error_msg: Some(message.to_string()),
        resource_id: Some(resource_id.to_string()),
    }
}

/// Why the main resource `id` cannot be renewed, unsubscribed or converted, if it cannot:
/// (error code, message).
fn refusal(state: &State, id: &str, frozen_too: bool) -> Option<(&'static str, &'static str)> {
    let Some(r) = state.yearly.iter().find(|r| r.id() == id) else {
        return Some(("CBC.99003012", "The resource ID does not exist."));
    };
    if !r.is_main() {
        return Some((
            "CBC.0100",
            "Only main resources are accepted; attached resources follow their main resource.",
        ));
    }
    if r.status() == 3 {
        return Some((
            "CBC.99003012",
            "The resource does not exist or has already been unsubscribed.",
        ));
    }
    if frozen_too && r.status() == 4 {
        return Some(("CBC.99003602", "The resource has expired or is frozen."));
    }
    if state.pending.iter().any(|p| p.resource_id == id) {
        return Some((
            "CBC.99005010",
            "The resource has a renewal order pending payment: pay or cancel it first.",
        ));
    }
    None
}

/// Takes a main resource and its attached ones out of the list (to put back with `restore`).
fn take_group(state: &mut State, id: &str) -> Vec<Yearly> {
    let mut group = Vec::new();
    let mut i = 0;
    while i < state.yearly.len() {
        let r = &state.yearly[i];
        if r.id() == id || (!r.is_main() && r.info.parent_resource_id.as_deref() == Some(id)) {
            group.push(state.yearly.remove(i));
        } else {
            i += 1;
        }
    }
    group.sort_by_key(|r| !r.is_main());
    group
}

/// Puts a group back where its main resource was (at `at`).
fn restore(state: &mut State, at: usize, group: Vec<Yearly>) {
    let at = at.min(state.yearly.len());
    state.yearly.splice(at..at, group);
}

fn position(state: &State, id: &str) -> usize {
    state
        .yearly
        .iter()
        .position(|r| r.id() == id)
        .unwrap_or(state.yearly.len())
}

/// The account name of a customer, for `user_name`.
fn account_name(world: &World, customer_id: &str) -> String {
    world
        .customer(customer_id)
        .map(|c| c.login().to_string())
        .unwrap_or_else(|| customer_id.to_string())
}

fn dedup(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

fn renew(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::RenewalResourcesReq = body(call)?;
    if request.resource_ids.is_empty() || request.resource_ids.len() > 10 {
        return Err(ApiError::invalid("resource_ids: 1 to 10 main resource IDs"));
    }
    let num = i32::try_from(request.period_num.get()).unwrap_or(i32::MAX);
    match (request.period_type, num) {
        (2, 1..=11) | (3, 1..=3) => {}
        (2 | 3, _) => {
            return Err(ApiError::invalid(
                "period_num: 1 to 11 months, or 1 to 3 years",
            ));
        }
        _ => return Err(ApiError::invalid("period_type: 2 (month) or 3 (year)")),
    }
    let auto_pay = request.is_auto_pay == Some(1);
    let mut fails = Vec::new();
    // The resources to renew, by customer (one renewal order per customer).
    let mut by_customer: Vec<(String, Vec<String>)> = Vec::new();
    for id in dedup(&request.resource_ids) {
        if let Some((code, message)) = refusal(&world.groups.resources, &id, true) {
            fails.push(fail(&id, code, message));
            continue;
        }
        let customer = world
            .groups
            .resources
            .yearly
            .iter()
            .find(|r| r.id() == id)
            .map(|r| r.customer_id.clone())
            .unwrap_or_default();
        match by_customer.iter_mut().find(|(c, _)| *c == customer) {
            Some((_, ids)) => ids.push(id),
            None => by_customer.push((customer, vec![id])),
        }
    }
    let mut order_ids = Vec::new();
    for (customer, ids) in by_customer {
        let order_id = orders::new_order_id(world);
        let discount = Some((world.new_id(), Decimal::new(90, 2)));
        let user = account_name(world, &customer);
        let state = &mut world.groups.resources;
        let mut lines = Vec::new();
        let mut enterprise = None;
        for id in &ids {
            let at = position(state, id);
            let mut group = take_group(state, id);
            if enterprise.is_none() {
                enterprise = group.first().and_then(|r| {
                    r.info.enterprise_project.as_ref().map(|e| {
                        (
                            e.id.clone().unwrap_or_default(),
                            e.name.clone().unwrap_or_default(),
                        )
                    })
                });
            }
            let expire_day = state.expire_day;
            let first = lines.len();
            lines.extend(renewal_lines(
                &mut state.pending,
                &mut group,
                &order_id,
                (request.period_type, num),
                expire_day,
                first,
            ));
            restore(state, at, group);
        }
        let mut order = orders::build(
            Head {
                order_id: order_id.clone(),
                customer_id: customer.clone(),
                order_type: 2,
                status: 6,
                source_type: 1,
                create_time: NOW.to_string(),
                payment_time: None,
                user_name: user,
                enterprise_project: enterprise,
                pending_payment_end_time: parse_timestamp(NOW).map(|n| timestamp(n + 7 * 86_400)),
            },
            lines,
            Vec::new(),
        );
        order.discount = discount;
        orders::insert(world, order);
        if auto_pay {
            // A short balance leaves the order pending, to be paid with PayOrders.
            orders::settle(world, &order_id);
        }
        order_ids.push(order_id);
    }
    json(types::RenewalResourcesResponse {
        order_ids,
        fail_resource_infos: fails,
    })
}

/// Applies the renewals order `order_id` paid for.
pub(crate) fn on_paid(world: &mut World, order_id: &str) {
    let paid = orders::line_amounts(world, order_id);
    let state = &mut world.groups.resources;
    let (done, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut state.pending)
        .into_iter()
        .partition(|p| p.order_id == order_id);
    state.pending = rest;
    let expire_day = state.expire_day;
    for p in done {
        if let Some(r) = state.yearly.iter_mut().find(|r| r.id() == p.resource_id) {
            let from = r.expire();
            let to = renewed_expiry(&from, p.months, expire_day);
            r.terms.push(Term {
                start: from,
                end: to.clone(),
                order_id: order_id.to_string(),
                paid: paid.get(p.line).copied().unwrap_or_default(),
            });
            if to.as_str() > NOW && r.status() == 5 {
                r.info.status = Some(2);
            }
            r.info.expire_time = Some(to);
            r.info.update_time = Some(NOW.to_string());
        }
    }
}

/// Forgets the renewals of a cancelled order.
pub(crate) fn on_cancelled(world: &mut World, order_id: &str) {
    world
        .groups
        .resources
        .pending
        .retain(|p| p.order_id != order_id);
}

fn resource_id(call: &Call<'_>) -> String {
    call.path
        .get("resource_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn no_resource() -> ApiError {
    ApiError::business("CBC.99003012", "The resource ID does not exist.")
}

/// The resource `id` and, for a main resource, its attached ones: their indexes.
fn followers(state: &State, id: &str) -> Vec<usize> {
    let main = state
        .yearly
        .iter()
        .find(|r| r.id() == id)
        .is_some_and(Yearly::is_main);
    state
        .yearly
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.id() == id
                || (main && !r.is_main() && r.info.parent_resource_id.as_deref() == Some(id))
        })
        .map(|(i, _)| i)
        .collect()
}

fn auto_renew(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::AutoRenewalResourcesReq = body(call)?;
    let id = resource_id(call);
    let period = match request.period_type.as_deref() {
        None => None,
        Some(p @ ("MONTH" | "YEAR")) => Some(p.to_string()),
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "period_type: MONTH or YEAR (got `{other}`)"
            )));
        }
    };
    let state = &mut world.groups.resources;
    let r = state
        .yearly
        .iter()
        .find(|r| r.id() == id)
        .ok_or_else(no_resource)?;
    match r.status() {
        3 => return Err(no_resource()),
        4 | 5 => {
            return Err(ApiError::business(
                "CBC.99003602",
                "The resource has expired or is frozen: auto-renewal is not allowed.",
            ));
        }
        _ => {}
    }
    let times = request
        .auto_renew_times
        .or_else(|| r.auto_renew.as_ref().map(|a| a.0))
        .unwrap_or(0);
    for i in followers(state, &id) {
        let r = &mut state.yearly[i];
        r.info.expire_policy = Some(3);
        r.info.update_time = Some(NOW.to_string());
        r.auto_renew = Some((times, period.clone()));
    }
    Ok(Value::Null)
}

fn cancel_auto_renew(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let id = resource_id(call);
    let state = &mut world.groups.resources;
    let r = state
        .yearly
        .iter()
        .find(|r| r.id() == id)
        .ok_or_else(no_resource)?;
    if r.status() == 3 {
        return Err(no_resource());
    }
    if r.info.expire_policy != Some(3) {
        return Err(ApiError::business(
            "CBC.99003605",
            "Auto-renewal of the resource has already been cancelled.",
        ));
    }
    for i in followers(state, &id) {
        let r = &mut state.yearly[i];
        r.info.expire_policy = Some(0);
        r.info.update_time = Some(NOW.to_string());
        r.auto_renew = None;
    }
    Ok(Value::Null)
}

fn unsubscribe(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::UnsubscribeResourcesReq = body(call)?;
    if request.resource_ids.is_empty() || request.resource_ids.len() > 10 {
        return Err(ApiError::invalid("resource_ids: 1 to 10 main resource IDs"));
    }
    let all = match request.unsubscribe_type.get() {
        1 => true,
        2 => false,
        _ => return Err(ApiError::invalid("unsubscribe_type: 1 or 2")),
    };
    let now = parse_timestamp(NOW).unwrap_or_default();
    let mut fails = Vec::new();
    let mut by_customer: Vec<(String, Vec<String>)> = Vec::new();
    for id in dedup(&request.resource_ids) {
        if let Some((code, message)) = refusal(&world.groups.resources, &id, false) {
            fails.push(fail(&id, code, message));
            continue;
        }
        let r = world.groups.resources.yearly.iter().find(|r| r.id() == id);
        let customer = r.map(|r| r.customer_id.clone()).unwrap_or_default();
        let renewed = r.is_some_and(|r| {
            r.terms
                .iter()
                .any(|t| parse_timestamp(&t.start).is_some_and(|s| s >= now))
        });
        if !all && !renewed {
            fails.push(fail(
                &id,
                "CBC.0100",
                "The resource has no renewed period that has not started yet.",
            ));
            continue;
        }
        match by_customer.iter_mut().find(|(c, _)| *c == customer) {
            Some((_, ids)) => ids.push(id),
            None => by_customer.push((customer, vec![id])),
        }
    }
    let mut order_ids = Vec::new();
    for (customer, ids) in by_customer {
        let order_id = orders::new_order_id(world);
        let user = account_name(world, &customer);
        let state = &mut world.groups.resources;
        let mut lines = Vec::new();
        let mut refunds = Vec::new();
        let mut enterprise = None;
        for id in &ids {
            let at = position(state, id);
            let mut group = take_group(state, id);
            if enterprise.is_none() {
                enterprise = group.first().and_then(|r| {
                    r.info.enterprise_project.as_ref().map(|e| {
                        (
                            e.id.clone().unwrap_or_default(),
                            e.name.clone().unwrap_or_default(),
                        )
                    })
                });
            }
            let (l, f) = unsubscribe_lines(&mut group, &order_id, NOW, all);
            lines.extend(l);
            refunds.extend(f);
            restore(state, at, group);
        }
        let order = orders::build(
            Head {
                order_id: order_id.clone(),
                customer_id: customer,
                order_type: 4,
                status: 5,
                source_type: 1,
                create_time: NOW.to_string(),
                payment_time: Some(NOW.to_string()),
                user_name: user,
                enterprise_project: enterprise,
                pending_payment_end_time: None,
            },
            lines,
            refunds,
        );
        orders::insert(world, order);
        orders::refund(world, &order_id);
        order_ids.push(order_id);
    }
    json(types::CancelResourcesSubscriptionResponse {
        order_ids,
        fail_resource_infos: fails,
    })
}

fn to_on_demand(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::PeriodToOnDemandReq = body(call)?;
    if request.resource_ids.is_empty() || request.resource_ids.len() > 100 {
        return Err(ApiError::invalid(
            "resource_ids: 1 to 100 main resource IDs",
        ));
    }
    let set_up = request.operation == types::PeriodToOnDemandReqOperation::SetUp;
    let state = &mut world.groups.resources;
    let mut errors = Vec::new();
    for id in dedup(&request.resource_ids) {
        // A pending renewal does not stop a change of what happens at expiry.
        let refused = refusal(state, &id, true).filter(|(code, _)| *code != "CBC.99005010");
        if let Some((code, message)) = refused {
            errors.push(types::ErrorDetail {
                error_code: Some(code.to_string()),
                error_msg: Some(message.to_string()),
                id: Some(id),
            });
            continue;
        }
        for i in followers(state, &id) {
            let r = &mut state.yearly[i];
            if set_up {
                r.info.expire_policy = Some(1);
                r.auto_renew = None;
            } else if r.info.expire_policy == Some(1) {
                r.info.expire_policy = Some(0);
            }
            r.info.update_time = Some(NOW.to_string());
        }
    }
    json(types::UpdatePeriodToOnDemandResponse {
        error_details: errors,
    })
}

fn to_on_demand_now(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::PeriodToOnDemandInstantlyReq = body(call)?;
    if request.resource_ids.is_empty() || request.resource_ids.len() > 10 {
        return Err(ApiError::invalid("resource_ids: 1 to 10 resource IDs"));
    }
    let ids: Vec<String> = request.resource_ids.iter().map(|i| i.to_string()).collect();
    let mut results = Vec::new();
    for id in dedup(&ids) {
        if let Some((code, message)) = refusal(&world.groups.resources, &id, true) {
            results.push(types::ToOndemandServiceResult {
                resource_id: Some(id),
                result: Some("FAIL".to_string()),
                error_code: Some(code.to_string()),
                error_msg: Some(message.to_string()),
                order_id: None,
            });
            continue;
        }
        let order_id = orders::new_order_id(world);
        let state = &mut world.groups.resources;
        let mut group = take_group(state, &id);
        let customer = group
            .first()
            .map(|r| r.customer_id.clone())
            .unwrap_or_default();
        let enterprise = group.first().and_then(|r| {
            r.info.enterprise_project.as_ref().map(|e| {
                (
                    e.id.clone().unwrap_or_default(),
                    e.name.clone().unwrap_or_default(),
                )
            })
        });
        let (mut lines, _) = unsubscribe_lines(&mut group, &order_id, NOW, true);
        for (line, r) in lines.iter_mut().zip(&group) {
            line.period = Some((6, 1));
            line.expire_time = NO_EXPIRY.to_string();
            let size = r
                .info
                .spec_size
                .map(|s| s.value().trunc().to_string())
                .unwrap_or_else(|| "0".into());
            state.on_demand.push(types::CustomerOnDemandResource {
                customer_id: Some(customer.clone()),
                region_code: r.info.region_code.clone(),
                availability_zone_code: r.info.region_code.as_ref().map(|g| format!("{g}a")),
                service_type_code: r.info.service_type_code.clone(),
                resource_type_code: r.info.resource_type_code.clone(),
                service_type_name: r.info.service_type_name.clone(),
                resource_type_name: r.info.resource_type_name.clone(),
                resource_id: r.info.resource_id.clone(),
                resource_name: r.info.resource_name.clone(),
                effective_time: Some(NOW.to_string()),
                expire_time: Some(NO_EXPIRY.to_string()),
                status: Some(1),
                resource_spec_code: r.info.resource_spec_code.clone(),
                resource_info: Some(format!("{{\"specSize\":{size}.0}}")),
                product_spec_desc: r.info.product_spec_desc.clone(),
            });
        }
        let user = account_name(world, &customer);
        let order = orders::build(
            Head {
                order_id: order_id.clone(),
                customer_id: customer,
                order_type: 10,
                status: 5,
                source_type: 1,
                create_time: NOW.to_string(),
                payment_time: Some(NOW.to_string()),
                user_name: user,
                enterprise_project: enterprise,
                pending_payment_end_time: None,
            },
            lines,
            Vec::new(),
        );
        orders::insert(world, order);
        orders::refund(world, &order_id);
        results.push(types::ToOndemandServiceResult {
            resource_id: Some(id),
            result: Some("SUCCESS".to_string()),
            error_code: None,
            error_msg: None,
            order_id: Some(order_id),
        });
    }
    json(types::UpdatePeriodToOnDemandInstantlyResponse {
        to_ondemand_service_results: results,
    })
}

fn renew_config(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::RenewResourceConfigReq = body(call)?;
    let value = request.config_value.trim().parse::<i32>().ok();
    let state = &mut world.groups.resources;
    match request.config_name {
        types::RenewResourceConfigReqConfigName::DeductionDate => match value {
            Some(v @ 2..=7) => state.deduction_days = Some(v),
            _ => {
                return Err(ApiError::invalid(format!(
                    "config_value: 2 to 7 days before expiry for DEDUCTION_DATE (got `{}`)",
                    request.config_value
                )));
            }
        },
        types::RenewResourceConfigReqConfigName::ExpireDate => match value {
            Some(v @ (1..=28 | -1)) => state.expire_day = Some(v),
            _ => {
                return Err(ApiError::invalid(format!(
                    "config_value: a day 1 to 28, or -1 for the last day, for EXPIRE_DATE (got `{}`)",
                    request.config_value
                )));
            }
        },
    }
    json(types::SetResourcesRenewConfigResponse {
        error_code: Some("CBC.0000".to_string()),
        error_msg: Some("success".to_string()),
    })
}

// ---- Time: `yyyy-MM-ddTHH:mm:ssZ` stamps (see `crate::calendar`). ----

/// The end of the (UTC+8) day of `secs`: 15:59:59 UTC.
fn day_end(secs: i64) -> i64 {
    secs.div_euclid(86_400) * 86_400 + 57_599
}

/// `ts` moved by `months` (the day clamped to the month's length; the time kept); `None` for a
/// malformed stamp or a year outside 0..=9999.
pub(crate) fn add_months(ts: &str, months: i32) -> Option<String> {
    let moved = calendar::add_months(parse_timestamp(ts)?, i64::from(months));
    let (y, _, _) = civil_from_days(moved.div_euclid(DAY));
    (0..=9999).contains(&y).then(|| timestamp(moved))
}

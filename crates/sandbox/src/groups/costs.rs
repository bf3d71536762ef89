//! The `costs` group in the sandbox: the customer's own bills, costs and usage (monthly sums,
//! resource records and details, fee records, monthly cost breakdown, resource usage, cost
//! analysis).
//!
//! These are the CUSTOMER's own views (customer-self): the sandbox has one set of credentials, so
//! the calling customer is `world.customers[0]` (looked up at call time). Two more customers of
//! the world (`world.customers[1]` and `[2]`) consume as financially independent enterprise
//! sub-accounts of the caller, so `method` selects whose records: `oneself`, `sub_customer` (any
//! customer of the world, or member of the `enterprise` group, named by `sub_customer_id` and
//! looked up at call time; one without consumption has no records; any other id is
//! `400 CBC.99000086`) or `all` (the default: the caller and its sub-accounts).
//!
//! The caller's history from 2023-07 to 2024-05 is one list of charges (one per deduction): some
//! thirty resources of the catalog, yearly/monthly ones bought, renewed every month and sometimes
//! unsubscribed with a refund, pay-per-use ones billed every day, and 95th-percentile bandwidth
//! (CDN, VPC) billed once a month from their 5-minute usage points. Every view is made from those
//! charges, so they agree exactly: a month's summary is the sum of its fee records and of its
//! transaction records; detail records carry the 8-decimal amounts, each of which truncated to
//! cents is its record's payable amount; the amortized costs of a fee add up to the fee. The
//! charges are paid from the caller's wallet (cash coupons, stored-value cards, cash balance,
//! credit), simulated while the history is made: the `funds` group replays the same history (made
//! by [`history`] from the world alone), so its income/expense records are these payments.
//! From 2024-01 the caller's commercial agreement ([`AGREEMENT`], ListBusinessDiscountInfo in
//! `funds`) discounts the products it lists.

use std::collections::BTreeMap;

use huaweicloud_bss::costs::types;
use huaweicloud_bss::customers::types::CustomerInformation;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use crate::calendar::{
    DAY, civil_from_days, days_from_civil, days_in_month, month, parse_date, parse_timestamp,
    timestamp,
};
use crate::ids::hex;
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

const CURRENCY: &str = "CNY";
/// The billing months with data: 2023-07 to 2024-05.
const FIRST_MONTH: (i64, u32) = (2023, 7);
const MONTHS: usize = 11;
/// The monthly cost breakdown keeps this many months (the current one included).
const KEPT_MONTHS: i64 = 18;
/// Huawei Cloud's operating entity (China).
const BE_ID: &str = "10";
/// Seconds UTC+8 is ahead of UTC: bill dates and months are UTC+8.
const EAST8: i64 = 8 * 3_600;
/// Unit of the 95th-percentile bandwidths (Mbit/s).
pub(crate) const MBPS: i32 = 42;

/// Regions: code, name, availability zones.
const REGIONS: &[(&str, &str, &[&str])] = &[
    (
        "cn-north-4",
        "华北-北京四",
        &["cn-north-4a", "cn-north-4b", "cn-north-4c"],
    ),
    (
        "cn-east-3",
        "华东-上海一",
        &["cn-east-3a", "cn-east-3b", "cn-east-3c"],
    ),
    (
        "cn-south-1",
        "华南-广州",
        &["cn-south-1a", "cn-south-1c", "cn-south-1f"],
    ),
    (
        "cn-southwest-2",
        "西南-贵阳一",
        &["cn-southwest-2a", "cn-southwest-2b"],
    ),
];
const TAGS: &[(&str, &str)] = &[
    ("env", "prod"),
    ("env", "prod"),
    ("env", "test"),
    ("team", "data"),
    ("app", "web"),
];
/// Cost units: name and rule value, by enterprise project (default, 电商业务, 数据平台).
const COST_UNITS: &[(&str, &str)] = &[
    ("公共平台部", "platform"),
    ("电商业务部", "ecommerce"),
    ("数据平台部", "data"),
];
const WORDS: &[&str] = &[
    "web", "api", "db", "cache", "batch", "gateway", "portal", "etl", "search", "report",
];
const LETTERS: &[char] = &[
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'S', 'T', 'U',
    'V', 'W', 'X', 'Y', 'Z',
];
/// Share of the peak bandwidth by hour of the day (UTC+8), in percent.
const PROFILE: [i64; 24] = [
    38, 30, 25, 22, 22, 25, 35, 50, 65, 75, 82, 85, 80, 78, 80, 84, 88, 92, 97, 100, 98, 90, 72, 52,
];

/// The caller's commercial agreement (from 2024-01-01, UTC+8): service type suffix, charging mode
/// and discount ratio (the price paid is list price × ratio). Tiered items are applied at their
/// first tier.
pub(crate) const AGREEMENT: &[(&str, &str, i64)] = &[
    ("ec2", "ONDEMAND", 85),
    ("ec2", "MONTHLY", 80),
    ("ebs", "ONDEMAND", 90),
    ("ebs", "MONTHLY", 85),
    ("obs", "ONDEMAND", 90),
    ("vpc", "ONDEMAND", 92),
    ("vpc", "MONTHLY", 90),
    ("rds", "MONTHLY", 82),
    ("rds", "1_YEARLY", 78),
    ("elb", "ONDEMAND", 92),
    ("cdn", "ONDEMAND", 88),
    ("dcs", "MONTHLY", 85),
    ("cce", "MONTHLY", 90),
    ("waf", "1_YEARLY", 80),
];
/// The agreement's first day, 2024-01-01 (UTC+8).
pub(crate) const AGREEMENT_FROM: (i64, u32, u32) = (2024, 1, 1);

/// How a resource is charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Monthly subscription, renewed every month.
    Monthly,
    /// Yearly subscription.
    Yearly,
    /// Pay-per-use, billed every day.
    Usage,
    /// Pay-per-use by 95th-percentile bandwidth (the usage type), billed every month.
    Peak(&'static str),
}

impl Plan {
    fn mode(self) -> i32 {
        match self {
            Plan::Monthly | Plan::Yearly => 1,
            Plan::Usage | Plan::Peak(_) => 3,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Plan::Monthly => "MONTHLY",
            Plan::Yearly => "1_YEARLY",
            Plan::Usage | Plan::Peak(_) => "ONDEMAND",
        }
    }
}

/// A resource a customer is billed for.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The consuming (and paying) customer.
    pub owner: String,
    /// Its login name.
    pub account_name: String,
    /// Resource id (a domain name for CDN).
    pub id: String,
    /// Resource name.
    pub name: String,
    /// Cloud service type code and name.
    pub service: (String, String),
    /// Resource type code and name.
    pub kind: (String, String),
    region: usize,
    az: &'static str,
    /// How it is charged.
    pub plan: Plan,
    /// Price of a month or year (subscriptions), or of one usage unit (pay-per-use).
    price: Decimal,
    /// Usage type, its unit, and the unit of the unit price.
    usage: (&'static str, i32, &'static str),
    spec: String,
    sku: String,
    spec_size: Option<i64>,
    product_id: String,
    tag: Option<(&'static str, &'static str)>,
    /// Enterprise project id and name; `None` for services that do not support them.
    project: Option<(String, String)>,
    cost_unit: (&'static str, &'static str),
    /// Free usage per day (resource packages or free tier).
    free: Decimal,
    /// First day billed (UTC+8 day number).
    start: i64,
    /// Day unsubscribed or deleted.
    end: Option<i64>,
    /// 95th percentile: typical peak and guaranteed bandwidth, in hundredths of Mbit/s.
    base: i64,
    guaranteed: i64,
}

/// One deduction (or refund): the resource fee record, with what the other views need.
#[derive(Clone, Debug)]
pub struct Charge {
    /// The resource consumption record (2 decimals).
    pub record: types::ResFeeRecordV2,
    /// Index of the resource.
    pub resource: usize,
    /// Billing month, `YYYY-MM`.
    pub cycle: String,
    /// Bill date (UTC+8 day number).
    pub day: i64,
    /// Trade time (seconds since the epoch).
    pub time: i64,
    /// The 8-decimal list price, discount and payable amount.
    pub exact: (Decimal, Decimal, Decimal),
    /// Rounding erased from the payable amount.
    pub erase: Decimal,
    /// The days `[from, to)` a yearly/monthly fee is amortized over.
    pub period: Option<(i64, i64)>,
}

/// Where a payment comes from or goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pot {
    Cash,
    Credit,
    Coupon(usize),
    Card(usize),
}

/// What a wallet movement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Top-up (cash) or repayment (credit) through a payment channel.
    Recharge,
    /// Consumption; `usage` for pay-per-use.
    Deduct { usage: bool },
    /// Refund of an unsubscription.
    Refund,
    /// Credit line granted, coupon activated, card bought.
    Grant,
    /// Coupon balance cleared on expiry.
    Expire,
}

/// One movement of the caller's funds.
#[derive(Clone, Debug)]
pub(crate) struct Move {
    pub time: i64,
    pub pot: Pot,
    pub change: Decimal,
    pub kind: Kind,
    pub trade_id: String,
    pub cycle: String,
    pub consume_time: String,
    pub service_name: String,
    pub resource_name: String,
    pub channel: Option<(&'static str, String)>,
}

/// A cash coupon of the caller.
#[derive(Clone, Debug)]
pub(crate) struct CouponSeed {
    pub id: String,
    pub face: Decimal,
    pub to: i64,
    /// The service type it is limited to (else any yearly/monthly order).
    pub service: Option<String>,
}

/// A stored-value card of the caller.
#[derive(Clone, Debug)]
pub(crate) struct CardSeed {
    pub id: String,
    pub face: Decimal,
    pub from: i64,
    pub to: i64,
}

/// The caller's funds: every movement (in time order), its coupons, cards and credit line.
#[derive(Clone, Debug, Default)]
pub(crate) struct Wallet {
    pub moves: Vec<Move>,
    pub coupons: Vec<CouponSeed>,
    pub cards: Vec<CardSeed>,
    pub credit_line: Decimal,
}

/// The consumption of the caller and its sub-accounts, and the caller's wallet.
pub(crate) struct History {
    pub resources: Vec<Resource>,
    pub charges: Vec<Charge>,
    pub members: Vec<String>,
    pub wallet: Wallet,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// The resources of the caller and its sub-accounts.
    pub resources: Vec<Resource>,
    /// Every deduction and refund, in trade time order.
    pub charges: Vec<Charge>,
    /// The caller's enterprise sub-accounts with consumption.
    pub members: Vec<String>,
}

impl State {
    /// The data set for the customers and catalog of `world` (see [`history`]: it is drawn from
    /// the world alone, so that `funds` replays the same payments).
    pub fn seeded(_rng: &mut fastrand::Rng, world: &World) -> State {
        let history = history(world, true);
        State {
            resources: history.resources,
            charges: history.charges,
            members: history.members,
        }
    }
}

/// The history of the caller (and, with `members`, of its two sub-accounts), drawn from a
/// generator seeded by the caller's id: the same world always gives the same history.
pub(crate) fn history(world: &World, members: bool) -> History {
    let Some(caller) = world.caller() else {
        return History {
            resources: Vec::new(),
            charges: Vec::new(),
            members: Vec::new(),
            wallet: Wallet::default(),
        };
    };
    let mut rng = fastrand::Rng::with_seed(fnv(caller.id()) ^ 0x636f_7374_7321);
    const CALLER: &[(&str, Plan, usize)] = &[
        ("vm", Plan::Monthly, 3),
        ("vm", Plan::Usage, 3),
        ("volume", Plan::Monthly, 3),
        ("volume", Plan::Usage, 2),
        ("image", Plan::Usage, 1),
        ("obs", Plan::Usage, 2),
        ("bandwidth", Plan::Monthly, 1),
        ("bandwidth", Plan::Peak("bandwidth95peak"), 2),
        ("ip", Plan::Usage, 3),
        ("rds.vm", Plan::Yearly, 1),
        ("rds.vm", Plan::Monthly, 1),
        ("rds.volume", Plan::Monthly, 2),
        ("elb", Plan::Usage, 2),
        ("cdn", Plan::Peak("95Peak"), 2),
        ("cdn", Plan::Peak("95peak_plus"), 1),
        ("dcs", Plan::Monthly, 1),
        ("cce.cluster", Plan::Monthly, 1),
        ("functiongraph", Plan::Usage, 1),
        ("dns", Plan::Usage, 1),
        ("waf", Plan::Yearly, 1),
    ];
    const MEMBER: &[(&str, Plan, usize)] = &[
        ("vm", Plan::Usage, 1),
        ("volume", Plan::Monthly, 1),
        ("obs", Plan::Usage, 1),
        ("ip", Plan::Usage, 1),
    ];
    let mut resources = portfolio(&mut rng, world, caller, CALLER);
    let mut charges = Vec::new();
    for (index, r) in resources.iter().enumerate() {
        charges.extend(charges_of(&mut rng, r, index));
    }
    charges.sort_by_key(|c| (c.time, c.resource));
    let wallet = pay(&mut rng, &resources, &mut charges);
    let mut ids = Vec::new();
    if members {
        for (_, member) in world.customers.iter().skip(1).take(2) {
            let first = resources.len();
            resources.extend(portfolio(&mut rng, world, member, MEMBER));
            for (index, r) in resources.iter().enumerate().skip(first) {
                charges.extend(charges_of(&mut rng, r, index));
            }
            ids.push(member.id().to_string());
        }
        charges.sort_by_key(|c| (c.time, c.resource));
    }
    History {
        resources,
        charges,
        members: ids,
        wallet,
    }
}

/// The resources of one customer.
fn portfolio(
    rng: &mut fastrand::Rng,
    world: &World,
    owner: &CustomerInformation,
    plan: &[(&str, Plan, usize)],
) -> Vec<Resource> {
    let projects = [
        ("0".to_string(), "default".to_string()),
        (uuid(rng), "电商业务".to_string()),
        (uuid(rng), "数据平台".to_string()),
    ];
    let mut out = Vec::new();
    for (kind, plan, count) in plan {
        for n in 0..*count {
            if let Some(r) = resource(rng, world, owner, kind, *plan, n, &projects) {
                out.push(r);
            }
        }
    }
    out
}

/// One resource of `kind` (a resource type code suffix), if the catalog has it.
#[allow(clippy::too_many_arguments)]
fn resource(
    rng: &mut fastrand::Rng,
    world: &World,
    owner: &CustomerInformation,
    kind: &str,
    plan: Plan,
    n: usize,
    projects: &[(String, String)],
) -> Option<Resource> {
    let code = format!("hws.resource.type.{kind}");
    let rt = world
        .resource_types
        .iter()
        .find(|r| r.resource_type_code.as_deref() == Some(code.as_str()))?;
    let service_code = rt.service_type_code.clone()?;
    let (service_name, short) = world.service_names(&service_code);
    let word = WORDS[rng.usize(..WORDS.len())];
    let money = |cents: i64| Decimal::new(cents, 2);
    let hourly = ("Duration", 4, "元/小时");
    let (spec, sku, price, usage, size, free): (String, String, Decimal, _, Option<i64>, i64) =
        match kind {
            "vm" => {
                const FLAVORS: &[(&str, &str, i64, i64)] = &[
                    (
                        "通用计算型|s6.large.2|2vCPUs|4GB|linux",
                        "s6.large.2.linux",
                        17_280,
                        33,
                    ),
                    (
                        "通用计算增强型|c6.xlarge.2|4vCPUs|8GB|linux",
                        "c6.xlarge.2.linux",
                        40_590,
                        78,
                    ),
                    (
                        "通用计算增强型|c6.2xlarge.4|8vCPUs|32GB|linux",
                        "c6.2xlarge.4.linux",
                        100_320,
                        193,
                    ),
                    (
                        "内存优化型|m6.xlarge.8|4vCPUs|32GB|windows",
                        "m6.xlarge.8.win",
                        85_600,
                        165,
                    ),
                ];
                let (spec, sku, month, hour) = FLAVORS[rng.usize(..FLAVORS.len())];
                let price = if plan == Plan::Usage {
                    money(hour)
                } else {
                    money(month)
                };
                (spec.into(), sku.into(), price, hourly, None, 0)
            }
            "volume" => {
                let gb = 40 * rng.i64(1..=25);
                let price = if plan == Plan::Usage {
                    Decimal::new(gb, 3)
                } else {
                    Decimal::new(gb * 7, 1)
                };
                (
                    format!("超高IO|{gb}GB"),
                    "SSD".into(),
                    price,
                    hourly,
                    Some(gb),
                    0,
                )
            }
            "image" => (
                "私有镜像|整机镜像".into(),
                "image.private".into(),
                money(2),
                hourly,
                None,
                0,
            ),
            "obs" => (
                "标准存储|公网流出流量".into(),
                "obs.standard.flow".into(),
                money(50),
                ("upflow", 10, "元/GB"),
                None,
                if n == 0 { 10 } else { 0 },
            ),
            "bandwidth" => match plan {
                Plan::Peak(_) => (
                    "全动态BGP|95计费".into(),
                    "19_bgp.95peak".into(),
                    money(8_000),
                    ("bandwidth95peak", MBPS, "元/Mbit/s/月"),
                    None,
                    0,
                ),
                _ => {
                    let mbps = rng.i64(5..=50);
                    (
                        format!("全动态BGP|{mbps}Mbit/s"),
                        "19_bgp".into(),
                        money(2_500 * mbps),
                        hourly,
                        Some(mbps),
                        0,
                    )
                }
            },
            "ip" => (
                "全动态BGP|弹性公网IP".into(),
                "5_bgp".into(),
                money(2),
                hourly,
                None,
                0,
            ),
            "rds.vm" => {
                let base = rng.i64(600..=1_800);
                let price = if plan == Plan::Yearly {
                    money(base * 1_000)
                } else {
                    money(base * 100)
                };
                (
                    "MySQL|8.0|rds.mysql.x1.large.2.ha|2vCPUs|4GB|主备".into(),
                    "rds.mysql.x1.large.2.ha".into(),
                    price,
                    hourly,
                    None,
                    0,
                )
            }
            "rds.volume" => {
                let gb = 100 * rng.i64(1..=5);
                (
                    format!("SSD云盘|{gb}GB"),
                    "rds.volume.ssd".into(),
                    Decimal::new(gb * 8, 1),
                    hourly,
                    Some(gb),
                    0,
                )
            }
            "elb" => (
                "独享型|应用型(HTTP/HTTPS)|小型I".into(),
                "elbv3.basic.1az".into(),
                money(32),
                hourly,
                None,
                0,
            ),
            "cdn" => (
                "中国大陆|95峰值带宽".into(),
                "cdn.95peak.cn".into(),
                money(2_500),
                (
                    match plan {
                        Plan::Peak(u) => u,
                        _ => "95Peak",
                    },
                    MBPS,
                    "元/Mbit/s/月",
                ),
                None,
                0,
            ),
            "dcs" => (
                "Redis|5.0|主备|2GB".into(),
                "redis.ha.xu1.large.r2.2".into(),
                money(rng.i64(100..=600) * 100),
                hourly,
                None,
                0,
            ),
            "cce.cluster" => (
                "CCE Turbo集群|50节点|多控制节点".into(),
                "cce.s2.medium".into(),
                money(32_000),
                hourly,
                None,
                0,
            ),
            "functiongraph" => (
                "函数工作流|执行时长".into(),
                "fgs.duration".into(),
                Decimal::new(11_108, 8),
                ("Duration", 7, "元/GB-秒"),
                None,
                13_333,
            ),
            "dns" => (
                "内网域名|1个".into(),
                "dns.private.zone".into(),
                money(1),
                hourly,
                None,
                0,
            ),
            "waf" => (
                "专业版|Web应用防火墙".into(),
                "waf.professional".into(),
                money(1_200_000),
                hourly,
                None,
                0,
            ),
            _ => return None,
        };
    let month = match plan {
        Plan::Yearly => rng.usize(..6),
        _ if rng.u8(..3) < 2 => 0,
        _ => rng.usize(1..MONTHS),
    };
    let (y, m) = month_at(month);
    let start = days_from_civil(y, m, rng.u32(1..=28));
    let end = match plan {
        Plan::Monthly if month + 2 < MONTHS && rng.u8(..5) == 0 => {
            Some(start + 31 * rng.i64(1..(MONTHS - month) as i64) + rng.i64(1..25))
        }
        Plan::Usage if rng.u8(..7) == 0 => Some(start + rng.i64(10..200)),
        _ => None,
    }
    .filter(|e| *e <= last_day());
    let grouped = !matches!(kind, "cdn" | "dns");
    let p = if grouped { rng.usize(..3) } else { 0 };
    let region = if kind == "cdn" {
        0
    } else {
        rng.usize(..REGIONS.len())
    };
    let azs = REGIONS[region].2;
    let id = if kind == "cdn" {
        format!("cdn-{word}{}.example-shop.com", n + 1)
    } else {
        uuid(rng)
    };
    let base = rng.i64(2_000..=15_000) * if kind == "cdn" { 3 } else { 1 };
    Some(Resource {
        owner: owner.id().to_string(),
        account_name: owner.login().to_string(),
        name: if kind == "cdn" {
            id.trim_start_matches("cdn-").to_string()
        } else {
            format!("{short}-{word}-{:02}", n + 1)
        },
        id,
        service: (service_code, service_name),
        kind: (code, rt.resource_type_name.clone().unwrap_or_default()),
        region,
        az: azs[rng.usize(..azs.len())],
        plan,
        price,
        usage,
        spec,
        sku,
        spec_size: size,
        product_id: format!("OFFI{:018}", rng.u64(..1_000_000_000_000_000_000)),
        tag: (rng.u8(..5) < 3).then(|| TAGS[rng.usize(..TAGS.len())]),
        project: grouped.then(|| projects[p].clone()),
        cost_unit: COST_UNITS[p],
        free: Decimal::from(free),
        start,
        end,
        base,
        guaranteed: if plan == Plan::Peak("95peak_plus") {
            base / 2
        } else {
            0
        },
    })
}

/// What one charge is for (before it is paid).
struct Draft {
    day: i64,
    time: i64,
    bill_type: i32,
    /// Usage and the part of it that is free.
    usage: Option<(Decimal, Decimal)>,
    official: Decimal,
    /// The usage period (seconds), pay-per-use.
    span: Option<(i64, i64)>,
    /// The amortized days, yearly/monthly.
    period: Option<(i64, i64)>,
    order: bool,
}

/// Every charge of a resource.
fn charges_of(rng: &mut fastrand::Rng, r: &Resource, index: usize) -> Vec<Charge> {
    let mut out = Vec::new();
    let last = r.end.map_or(last_day(), |e| (e - 1).min(last_day()));
    match r.plan {
        Plan::Usage => {
            for day in r.start..=last {
                let total = match r.usage.0 {
                    "upflow" => Decimal::new(rng.i64(5_000..=800_000), 4),
                    _ if r.usage.1 == 7 => Decimal::new(rng.i64(100_000..=4_000_000), 2),
                    _ => Decimal::from(24),
                };
                let free = total.min(r.free);
                let begin = day * DAY - EAST8;
                let time = begin + DAY + rng.i64(60..1_800);
                out.push(charge(
                    rng,
                    r,
                    index,
                    Draft {
                        day,
                        time,
                        bill_type: 5,
                        usage: Some((total, free)),
                        official: round((total - free) * r.price, 8),
                        span: Some((begin, begin + DAY)),
                        period: None,
                        order: false,
                    },
                ));
            }
        }
        Plan::Peak(_) => {
            for month in 0..MONTHS - 1 {
                let (y, m) = month_at(month);
                let (_, values) = points(r, y, m);
                if values.is_empty() {
                    continue;
                }
                let days = values.len() as i64 / 288;
                let band = Decimal::new(p95(&values), 2);
                let first = days_from_civil(y, m, 1);
                let month_days = i64::from(days_in_month(y, m));
                let bill = first + month_days - 1;
                let time = (bill + 2) * DAY - EAST8 + 12 * 3_600 + rng.i64(0..3_600);
                let official = round(
                    band * r.price * Decimal::from(days) / Decimal::from(month_days),
                    8,
                );
                out.push(charge(
                    rng,
                    r,
                    index,
                    Draft {
                        day: bill,
                        time,
                        bill_type: 5,
                        usage: Some((band, Decimal::ZERO)),
                        official,
                        span: Some((first * DAY - EAST8, (first + month_days) * DAY - EAST8)),
                        period: None,
                        order: false,
                    },
                ));
            }
        }
        Plan::Monthly | Plan::Yearly => {
            let (y, m, dom) = civil_from_days(r.start);
            let step = if r.plan == Plan::Yearly { 12 } else { 1 };
            let mut k = 0;
            loop {
                let from = shift(y, m, dom, k * step);
                let to = shift(y, m, dom, (k + 1) * step);
                if from > last_day() || r.end.is_some_and(|e| from >= e) {
                    break;
                }
                let (bill_type, time) = if k == 0 {
                    (1, from * DAY - EAST8 + rng.i64(9 * 3_600..22 * 3_600))
                } else if rng.u8(..3) == 0 {
                    (2, from * DAY - EAST8 - rng.i64(3_600..3 * DAY))
                } else {
                    (8, from * DAY - EAST8 + rng.i64(0..600))
                };
                let day = (time + EAST8).div_euclid(DAY);
                let fee = charge(
                    rng,
                    r,
                    index,
                    Draft {
                        day,
                        time,
                        bill_type,
                        usage: None,
                        official: r.price,
                        span: Some((from * DAY - EAST8, to * DAY - EAST8)),
                        period: Some((from, to)),
                        order: true,
                    },
                );
                let paid = (fee.exact.0, fee.record.discount_amount.map(Amount::value));
                out.push(fee);
                if let Some(e) = r.end.filter(|e| *e < to) {
                    let left = Decimal::from(to - e) / Decimal::from(to - from);
                    let official = -round(paid.0 * left, 2);
                    let discount = -round(paid.1.unwrap_or_default() * left, 2);
                    let time = e * DAY - EAST8 + rng.i64(9 * 3_600..20 * 3_600);
                    let mut refund = charge(
                        rng,
                        r,
                        index,
                        Draft {
                            day: e,
                            time,
                            bill_type: 4,
                            usage: None,
                            official,
                            span: Some((e * DAY - EAST8, to * DAY - EAST8)),
                            period: Some((e, to)),
                            order: true,
                        },
                    );
                    let consume = official - discount;
                    refund.exact = (official, discount, consume);
                    refund.erase = Decimal::ZERO;
                    refund.record.discount_amount = Some(Amount(discount));
                    set_paid(
                        &mut refund.record,
                        consume,
                        [consume, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO],
                    );
                    out.push(refund);
                    break;
                }
                k += 1;
            }
        }
    }
    out
}

/// The charge of a draft, paid in cash (the wallet may change that).
fn charge(rng: &mut fastrand::Rng, r: &Resource, index: usize, d: Draft) -> Charge {
    let ratio = discount_ratio(&r.service.0, r.plan, d.day);
    let official8 = d.official;
    let discount8 = round(official8 * (Decimal::ONE - ratio), 8);
    let consume8 = official8 - discount8;
    let official = round(official8, 2);
    let discount = round(discount8, 2);
    let consume = consume8.trunc_with_scale(2);
    let erase = official - discount - consume;
    let (y, m, _) = civil_from_days(d.day);
    let cycle = format!("{y:04}-{m:02}");
    let local = timestamp(d.time + EAST8);
    let stamp: String = local.chars().filter(char::is_ascii_digit).collect();
    let letters: String = (0..5)
        .map(|_| LETTERS[rng.usize(..LETTERS.len())])
        .collect();
    let trade_id = format!(
        "{}{}{letters}",
        if d.order { "CS" } else { "BR" },
        &stamp[2..12]
    );
    let metered = d.usage.is_some();
    let (usage, free) = d.usage.unwrap_or_default();
    let region = REGIONS[r.region];
    let product = r.spec.split('|').next().unwrap_or_default();
    let zero = Amount(Decimal::ZERO);
    let mut record = types::ResFeeRecordV2 {
        bill_date: Some(date(d.day)),
        bill_type: Some(d.bill_type),
        customer_id: Some(r.owner.clone()),
        region: Some(region.0.to_string()),
        region_name: Some(region.1.to_string()),
        cloud_service_type: Some(r.service.0.clone()),
        resource_type: Some(r.kind.0.clone()),
        cloud_service_type_name: Some(r.service.1.clone()),
        resource_type_name: Some(r.kind.1.clone()),
        effective_time: d.span.map(|s| timestamp(s.0)),
        expire_time: d.span.map(|s| timestamp(s.1)),
        resource_id: Some(r.id.clone()),
        resource_name: Some(r.name.clone()),
        resource_tag: r.tag.map(|(k, v)| format!("{k}={v}")),
        product_id: Some(r.product_id.clone()),
        product_name: Some(format!(
            "{product} {}",
            match r.plan {
                Plan::Monthly => "包月",
                Plan::Yearly => "包年",
                _ => "按需",
            }
        )),
        product_spec_desc: Some(r.spec.clone()),
        sku_code: Some(r.sku.clone()),
        spec_size: r.spec_size.map(|s| Amount(Decimal::from(s))),
        spec_size_measure_id: r.spec_size.map(|_| {
            if r.kind.0.ends_with("bandwidth") {
                MBPS
            } else {
                10
            }
        }),
        trade_id: Some(trade_id.clone()),
        id: Some(hex(rng)),
        trade_time: Some(timestamp(d.time)),
        enterprise_project_id: r.project.as_ref().map(|p| p.0.clone()),
        enterprise_project_name: r.project.as_ref().map(|p| p.1.clone()),
        charge_mode: Some(r.plan.mode().to_string()),
        order_id: d.order.then(|| trade_id.clone()),
        period_type: Some(
            match r.plan {
                Plan::Monthly => "20",
                Plan::Yearly => "19",
                Plan::Peak(_) => "20",
                Plan::Usage => "24",
            }
            .to_string(),
        ),
        usage_type: metered.then(|| r.usage.0.to_string()),
        usage: metered.then_some(Amount(usage)),
        usage_measure_id: metered.then_some(r.usage.1),
        free_resource_usage: metered.then_some(Amount(free)),
        free_resource_measure_id: metered.then_some(r.usage.1),
        ri_usage: metered.then_some(zero),
        ri_usage_measure_id: metered.then_some(r.usage.1),
        unit_price: metered.then_some(Amount(r.price)),
        unit: metered.then(|| r.usage.2.to_string()),
        official_amount: Some(Amount(official)),
        discount_amount: Some(Amount(discount)),
        measure_id: Some(1),
        formula: metered.then(|| {
            format!(
                "{}【使用量】*{}【单价】-{}【优惠金额】",
                (usage - free).normalize(),
                r.price.normalize(),
                discount.normalize()
            )
        }),
        // The usage record's time (pay-per-use) or the transaction time: on the bill date.
        consume_time: Some(timestamp(if d.order {
            d.time
        } else {
            d.day * DAY - EAST8
        })),
        account_name: Some(r.account_name.clone()),
        period_num: (!metered).then_some(Amount(Decimal::ONE)),
        ..Default::default()
    };
    set_paid(
        &mut record,
        consume,
        [consume, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO],
    );
    Charge {
        record,
        resource: index,
        cycle,
        day: d.day,
        time: d.time,
        exact: (official8, discount8, consume8),
        erase,
        period: d.period,
    }
}

/// Sets a record's payable amount and its sources: cash, credit, coupon, stored-value card.
fn set_paid(
    record: &mut types::ResFeeRecordV2,
    amount: Decimal,
    [cash, credit, coupon, card]: [Decimal; 4],
) {
    let zero = Some(Amount(Decimal::ZERO));
    record.amount = Some(Amount(amount));
    record.cash_amount = Some(Amount(cash));
    record.credit_amount = Some(Amount(credit));
    record.coupon_amount = Some(Amount(coupon));
    record.stored_card_amount = Some(Amount(card));
    record.flexipurchase_coupon_amount = zero;
    record.bonus_amount = zero;
    record.debt_amount = zero;
    record.adjustment_amount = zero;
}

/// The ratio the agreement leaves to pay for a service and plan on a day (1: no discount).
fn discount_ratio(service: &str, plan: Plan, day: i64) -> Decimal {
    let (y, m, d) = AGREEMENT_FROM;
    if day < days_from_civil(y, m, d) {
        return Decimal::ONE;
    }
    let suffix = service.trim_start_matches("hws.service.type.");
    AGREEMENT
        .iter()
        .find(|(s, mode, _)| *s == suffix && *mode == plan.code())
        .map_or(Decimal::ONE, |(_, _, ratio)| Decimal::new(*ratio, 2))
}

/// Pays the caller's charges from its wallet, in time order: a cash coupon (yearly/monthly
/// orders of its service), then a stored-value card, then the cash balance (topped up at the
/// start of every month, and on the spot for orders), then the credit line (repaid on the 5th of
/// the next month); refunds go back to the cash balance. Returns every movement.
fn pay(rng: &mut fastrand::Rng, resources: &[Resource], charges: &mut [Charge]) -> Wallet {
    let mut wallet = Wallet {
        credit_line: Decimal::from(10_000),
        ..Wallet::default()
    };
    let opening = days_from_civil(2023, 6, 20) * DAY - EAST8 + 10 * 3_600;
    // Scheduled events: (time, order, what).
    #[derive(Clone, Copy)]
    enum Event {
        TopUp,
        Repay,
        CouponOn(usize),
        CouponOff(usize),
        CardOn(usize),
        Charge(usize),
    }
    let mut events: Vec<(i64, u8, Event)> = Vec::new();
    /// Activation date, face value, days valid, service limit.
    type CouponPlan = (i64, u32, u32, i64, i64, Option<&'static str>);
    const COUPONS: &[CouponPlan] = &[
        (2023, 7, 3, 200, 90, None),
        (2023, 9, 10, 500, 180, Some("ec2")),
        (2023, 11, 20, 1_000, 90, None),
        (2024, 1, 5, 300, 90, Some("rds")),
        (2024, 2, 14, 2_000, 180, None),
        (2024, 3, 20, 800, 60, Some("ec2")),
        (2024, 5, 8, 1_500, 180, None),
        (2024, 5, 25, 500, 90, Some("rds")),
    ];
    for (i, (y, m, d, face, days, service)) in COUPONS.iter().enumerate() {
        let from = days_from_civil(*y, *m, *d) * DAY - EAST8 + rng.i64(9 * 3_600..18 * 3_600);
        let to = from + days * DAY;
        wallet.coupons.push(CouponSeed {
            id: format!("CP{:02}{m:02}{d:02}{}", y % 100, code(rng, 10)),
            face: Decimal::from(*face),
            to,
            service: service.map(|s| format!("hws.service.type.{s}")),
        });
        events.push((from, 0, Event::CouponOn(i)));
        if to <= now() {
            events.push((to, 0, Event::CouponOff(i)));
        }
    }
    const CARDS: &[(i64, u32, u32, i64)] = &[
        (2023, 10, 1, 2_000),
        (2024, 2, 1, 5_000),
        (2024, 5, 28, 3_000),
    ];
    for (i, (y, m, d, face)) in CARDS.iter().enumerate() {
        let day = days_from_civil(*y, *m, *d);
        let from = day * DAY - EAST8 + rng.i64(9 * 3_600..18 * 3_600);
        let (ny, nm, nd) = civil_from_days(shift(*y, *m, *d, 12));
        wallet.cards.push(CardSeed {
            id: format!("SVC{:02}{m:02}{d:02}{}", y % 100, code(rng, 9)),
            face: Decimal::from(*face),
            from,
            to: days_from_civil(ny, nm, nd) * DAY - EAST8,
        });
        events.push((from, 0, Event::CardOn(i)));
    }
    for month in 0..MONTHS {
        let (y, m) = month_at(month);
        let top =
            days_from_civil(y, m, rng.u32(1..=3)) * DAY - EAST8 + rng.i64(9 * 3_600..12 * 3_600);
        events.push((top, 1, Event::TopUp));
        let repay = days_from_civil(y, m, 5) * DAY - EAST8 + 10 * 3_600;
        events.push((repay, 1, Event::Repay));
    }
    for (i, c) in charges.iter().enumerate() {
        events.push((c.time, 2, Event::Charge(i)));
    }
    events.sort_by_key(|(time, order, _)| (*time, *order));

    let mut cash = Decimal::from(20_000);
    let mut used = Decimal::ZERO;
    let mut coupons: Vec<Option<Decimal>> = vec![None; wallet.coupons.len()];
    let mut cards: Vec<Option<Decimal>> = vec![None; wallet.cards.len()];
    let mut spent = Decimal::ZERO;
    let channel = |rng: &mut fastrand::Rng, time: i64| -> (&'static str, String) {
        let id = ["1", "2", "5", "317"][rng.usize(..4)];
        let digits: String = timestamp(time + EAST8)
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        (
            id,
            format!("{}{:010}", &digits[..8], rng.u64(..10_000_000_000)),
        )
    };
    let plain = |time: i64, pot: Pot, change: Decimal, kind: Kind, trade_id: String| Move {
        time,
        pot,
        change,
        kind,
        cycle: month_text(time),
        trade_id,
        consume_time: timestamp(time),
        service_name: String::new(),
        resource_name: String::new(),
        channel: None,
    };
    let recharge = |rng: &mut fastrand::Rng, time: i64, pot: Pot, amount: Decimal| {
        let ch = channel(rng, time);
        let mut m = plain(
            time,
            pot,
            amount,
            Kind::Recharge,
            format!("RC{}{}", &ch.1[2..8], code(rng, 8)),
        );
        m.channel = Some(ch);
        m
    };
    wallet.moves.push(recharge(rng, opening, Pot::Cash, cash));
    wallet.moves.push(plain(
        opening + 60,
        Pot::Credit,
        wallet.credit_line,
        Kind::Grant,
        format!("CL{}", code(rng, 14)),
    ));
    for (time, _, event) in events {
        match event {
            Event::TopUp => {
                // Enough for about a month like the last one, in thousands.
                let wanted = spent * Decimal::new(rng.i64(90..=130), 2) - cash;
                let amount = round(wanted.max(Decimal::from(1_000)) / Decimal::from(1_000), 0)
                    * Decimal::from(1_000);
                cash += amount;
                spent = Decimal::ZERO;
                wallet.moves.push(recharge(rng, time, Pot::Cash, amount));
            }
            Event::Repay => {
                if used > Decimal::ZERO {
                    wallet.moves.push(recharge(rng, time, Pot::Credit, used));
                    used = Decimal::ZERO;
                }
            }
            Event::CouponOn(i) => {
                coupons[i] = Some(wallet.coupons[i].face);
                let id = wallet.coupons[i].id.clone();
                wallet.moves.push(plain(
                    time,
                    Pot::Coupon(i),
                    wallet.coupons[i].face,
                    Kind::Grant,
                    id,
                ));
            }
            Event::CouponOff(i) => {
                if let Some(left) = coupons[i].take().filter(|l| *l > Decimal::ZERO) {
                    let id = wallet.coupons[i].id.clone();
                    wallet
                        .moves
                        .push(plain(time, Pot::Coupon(i), -left, Kind::Expire, id));
                }
            }
            Event::CardOn(i) => {
                cards[i] = Some(wallet.cards[i].face);
                let id = wallet.cards[i].id.clone();
                wallet.moves.push(plain(
                    time,
                    Pot::Card(i),
                    wallet.cards[i].face,
                    Kind::Grant,
                    id,
                ));
            }
            Event::Charge(i) => {
                let c = &mut charges[i];
                let r = &resources[c.resource];
                let amount = c.record.amount.map_or(Decimal::ZERO, Amount::value);
                let base = Move {
                    time,
                    pot: Pot::Cash,
                    change: Decimal::ZERO,
                    kind: Kind::Deduct {
                        usage: r.plan.mode() == 3,
                    },
                    trade_id: c.record.trade_id.clone().unwrap_or_default(),
                    cycle: c.cycle.clone(),
                    consume_time: c.record.consume_time.clone().unwrap_or_default(),
                    service_name: r.service.1.clone(),
                    resource_name: r.kind.1.clone(),
                    channel: None,
                };
                if amount < Decimal::ZERO {
                    cash -= amount;
                    wallet.moves.push(Move {
                        change: -amount,
                        kind: Kind::Refund,
                        ..base
                    });
                    continue;
                }
                if amount.is_zero() {
                    continue;
                }
                let mut rest = amount;
                let (mut by_coupon, mut by_card, mut by_cash, mut by_credit) =
                    (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
                if r.plan.mode() == 1 {
                    let eligible = (0..coupons.len())
                        .filter(|j| coupons[*j].is_some_and(|b| b > Decimal::ZERO))
                        .filter(|j| {
                            wallet.coupons[*j]
                                .service
                                .as_ref()
                                .is_none_or(|s| *s == r.service.0)
                        })
                        .min_by_key(|j| wallet.coupons[*j].to);
                    if let Some(j) = eligible {
                        let balance = coupons[j].unwrap_or_default();
                        by_coupon = rest.min(balance);
                        coupons[j] = Some(balance - by_coupon);
                        rest -= by_coupon;
                        wallet.moves.push(Move {
                            pot: Pot::Coupon(j),
                            change: -by_coupon,
                            ..base.clone()
                        });
                    }
                }
                if rest > Decimal::ZERO
                    && let Some(j) =
                        (0..cards.len()).find(|j| cards[*j].is_some_and(|b| b > Decimal::ZERO))
                {
                    let balance = cards[j].unwrap_or_default();
                    by_card = rest.min(balance);
                    cards[j] = Some(balance - by_card);
                    rest -= by_card;
                    wallet.moves.push(Move {
                        pot: Pot::Card(j),
                        change: -by_card,
                        ..base.clone()
                    });
                }
                if rest > cash {
                    let room = wallet.credit_line - used;
                    if r.plan.mode() == 3 && room >= rest - cash {
                        by_credit = rest - cash;
                        used += by_credit;
                        rest = cash;
                        wallet.moves.push(Move {
                            pot: Pot::Credit,
                            change: -by_credit,
                            ..base.clone()
                        });
                    } else {
                        let top = round((rest - cash) / Decimal::from(100) + Decimal::new(5, 1), 0)
                            * Decimal::from(100)
                            + Decimal::from(500);
                        cash += top;
                        wallet.moves.push(recharge(rng, time - 120, Pot::Cash, top));
                    }
                }
                if rest > Decimal::ZERO {
                    by_cash = rest;
                    cash -= rest;
                    wallet.moves.push(Move {
                        pot: Pot::Cash,
                        change: -rest,
                        ..base
                    });
                }
                spent += amount;
                set_paid(
                    &mut c.record,
                    amount,
                    [by_cash, by_credit, by_coupon, by_card],
                );
            }
        }
    }
    wallet.moves.sort_by_key(|m| m.time);
    wallet
}

impl crate::generated::costs::Server for World {
    fn show_customer_monthly_sum(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        monthly_sum(self, call)
    }

    fn list_customerself_resource_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        resource_records(self, call)
    }

    fn list_customerself_resource_record_details(
        &mut self,
        call: &Call<'_>,
    ) -> Result<Value, ApiError> {
        record_details(self, call)
    }

    fn list_customer_bills_fee_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        fee_records(self, call)
    }

    fn list_customer_bills_monthly_break_down(
        &mut self,
        call: &Call<'_>,
    ) -> Result<Value, ApiError> {
        breakdown(self, call)
    }

    fn list_resource_usage(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        usage_details(self, call)
    }

    fn list_resource_usage_summary(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        usage_summary(self, call)
    }

    fn list_costs(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        costs(self, call)
    }
}

/// The customers whose records `method` selects: the caller (`world.customers[0]`), a named
/// customer of the world, or the caller and its sub-accounts.
fn whose(
    world: &World,
    method: Option<&str>,
    sub_customer: Option<&str>,
) -> Result<Vec<String>, ApiError> {
    let caller = world.caller_id();
    match method.unwrap_or("all") {
        "oneself" => Ok(vec![caller]),
        "all" => {
            let mut all = vec![caller];
            all.extend(world.groups.costs.members.iter().cloned());
            Ok(all)
        }
        "sub_customer" => {
            let id = sub_customer.filter(|s| !s.is_empty()).ok_or_else(|| {
                ApiError::invalid("sub_customer_id: required when method is sub_customer")
            })?;
            let customer = world.customers.iter().any(|(_, c)| c.id() == id);
            let member = world
                .groups
                .enterprise
                .members
                .iter()
                .any(|m| m.info.id.as_deref() == Some(id));
            if id != caller && (customer || member) {
                Ok(vec![id.to_string()])
            } else {
                Err(ApiError::business(
                    "CBC.99000086",
                    format!("No valid enterprise master/sub-account relation with `{id}`."),
                ))
            }
        }
        other => Err(ApiError::invalid(format!(
            "method: must be oneself, sub_customer or all (got `{other}`)"
        ))),
    }
}

fn monthly_sum(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.costs;
    let cycle = call.query("bill_cycle").unwrap_or_default();
    month("bill_cycle", cycle)?;
    let service = call.query("service_type_code").filter(|s| !s.is_empty());
    let project = call.query("enterprise_project_id");
    if project == Some("") {
        return Err(ApiError::invalid(
            "enterprise_project_id: must not be empty",
        ));
    }
    let accounts = whose(world, call.query("method"), call.query("sub_customer_id"))?;
    #[derive(Default)]
    struct Line {
        official: Decimal,
        discount: Decimal,
        erase: Decimal,
        amounts: [Decimal; 5],
        names: (String, String, String),
    }
    let mut lines: BTreeMap<(usize, usize, String, i32, i32), Line> = BTreeMap::new();
    for c in state.charges.iter().filter(|c| c.cycle == cycle) {
        let r = &c.record;
        let owner = r.customer_id.as_deref().unwrap_or_default();
        let Some(who) = accounts.iter().position(|a| a == owner) else {
            continue;
        };
        if service.is_some_and(|s| r.cloud_service_type.as_deref() != Some(s))
            || project.is_some_and(|p| !project_is(&r.enterprise_project_id, p))
        {
            continue;
        }
        let code = r.cloud_service_type.clone().unwrap_or_default();
        let order = world.service_rank(&code);
        let category = if r.bill_type == Some(4) { 2 } else { 1 };
        let key = (
            who,
            order,
            r.resource_type.clone().unwrap_or_default(),
            state.resources[c.resource].plan.mode(),
            category,
        );
        let line = lines.entry(key).or_default();
        line.official += value(r.official_amount);
        line.discount += value(r.discount_amount);
        line.erase += c.erase;
        for (sum, part) in line.amounts.iter_mut().zip(paid(r)) {
            *sum += part;
        }
        line.names = (
            code,
            r.cloud_service_type_name.clone().unwrap_or_default(),
            r.resource_type_name.clone().unwrap_or_default(),
        );
    }
    let mut totals = [Decimal::ZERO; 5];
    let sums: Vec<_> = lines
        .into_iter()
        .map(|((who, _, kind, mode, category), line)| {
            for (sum, part) in totals.iter_mut().zip(line.amounts) {
                *sum += part;
            }
            let [consume, cash, credit, coupon, card] = line.amounts.map(Amount);
            let customer = &accounts[who];
            types::BillSumRecordInfoV2 {
                bill_cycle: Some(cycle.to_string()),
                resource_type_code: Some(kind),
                service_type_code: Some(line.names.0),
                service_type_name: Some(line.names.1),
                resource_type_name: Some(line.names.2),
                charging_mode: Some(mode),
                official_amount: Some(Amount(line.official)),
                official_discount_amount: Some(Amount(line.discount)),
                truncated_amount: Some(Amount(line.erase)),
                consume_amount: Some(consume),
                coupon_amount: Some(coupon),
                flexipurchase_coupon_amount: Some(Amount(Decimal::ZERO)),
                stored_value_card_amount: Some(card),
                debt_amount: Some(Amount(Decimal::ZERO)),
                writeoff_amount: Some(Amount(Decimal::ZERO)),
                cash_amount: Some(cash),
                credit_amount: Some(credit),
                measure_id: Some(1),
                bill_type: Some(category),
                customer_id: Some(customer.clone()),
                account_name: account_name(world, customer),
            }
        })
        .collect();
    let (page, total) = window(&sums, call);
    let [consume, cash, credit, coupon, card] = totals.map(Amount);
    json(types::ShowCustomerMonthlySumResponse {
        total_count: Some(total),
        bill_sums: page,
        consume_amount: Some(consume),
        debt_amount: Some(Amount(Decimal::ZERO)),
        coupon_amount: Some(coupon),
        flexipurchase_coupon_amount: Some(Amount(Decimal::ZERO)),
        stored_value_card_amount: Some(card),
        cash_amount: Some(cash),
        credit_amount: Some(credit),
        writeoff_amount: Some(Amount(Decimal::ZERO)),
        measure_id: Some(1),
        currency: Some(CURRENCY.to_string()),
    })
}

fn resource_records(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.costs;
    let cycle = call.query("cycle").unwrap_or_default();
    month("cycle", cycle)?;
    let accounts = whose(world, call.query("method"), call.query("sub_customer_id"))?;
    let statistic = number(call, "statistic_type")?.unwrap_or(3);
    if !(1..=3).contains(&statistic) {
        return Err(ApiError::invalid("statistic_type: must be 1, 2 or 3"));
    }
    let mode = call.query("charge_mode");
    if mode == Some("") {
        return Err(ApiError::invalid("charge_mode: must not be empty"));
    }
    let bill_type = number(call, "bill_type")?;
    let zero = flag(call, "include_zero_record")?;
    let dates = if statistic == 1 {
        None
    } else {
        dates(call, "bill_date_begin", "bill_date_end", cycle)?
    };
    let is = |value: &Option<String>, name: &str| {
        call.query(name)
            .is_none_or(|f| value.as_deref().unwrap_or_default() == f)
    };
    let found: Vec<&Charge> = state
        .charges
        .iter()
        .filter(|c| c.cycle == cycle && mine(&accounts, c))
        .filter(|c| {
            let r = &c.record;
            is(&r.cloud_service_type, "cloud_service_type")
                && is(&r.region, "region")
                && is(&r.resource_id, "resource_id")
                && is(&r.trade_id, "trade_id")
                && mode.is_none_or(|m| r.charge_mode.as_deref() == Some(m))
                && bill_type.is_none_or(|t| r.bill_type == Some(t))
                && call
                    .query("enterprise_project_id")
                    .is_none_or(|p| project_is(&r.enterprise_project_id, p))
                && dates.is_none_or(|(b, e)| c.day >= b && c.day <= e)
        })
        .collect();
    let records: Vec<types::ResFeeRecordV2> = match statistic {
        3 => found.iter().map(|c| c.record.clone()).collect(),
        _ => {
            let mut groups: Vec<types::ResFeeRecordV2> = Vec::new();
            let mut at: BTreeMap<(usize, i32, Option<i64>), usize> = BTreeMap::new();
            for c in &found {
                let key = (
                    c.resource,
                    c.record.bill_type.unwrap_or_default(),
                    (statistic == 2).then_some(c.day),
                );
                match at.get(&key) {
                    Some(&i) => add_record(&mut groups[i], &c.record),
                    None => {
                        at.insert(key, groups.len());
                        let mut first = c.record.clone();
                        first.id = None;
                        first.trade_id = None;
                        first.trade_time = None;
                        first.consume_time = None;
                        first.effective_time = None;
                        first.expire_time = None;
                        first.formula = None;
                        first.order_id = None;
                        if statistic == 1 {
                            first.bill_date = None;
                        }
                        groups.push(first);
                    }
                }
            }
            groups
        }
    };
    let records: Vec<_> = records
        .into_iter()
        .filter(|r| zero != Some(false) || value(r.amount) != Decimal::ZERO)
        .collect();
    let (page, total) = window(&records, call);
    json(types::ListCustomerselfResourceRecordsResponse {
        fee_records: page,
        total_count: Some(total),
        currency: Some(CURRENCY.to_string()),
    })
}

/// Adds a record's amounts and usages into an aggregated one.
fn add_record(sum: &mut types::ResFeeRecordV2, r: &types::ResFeeRecordV2) {
    add(&mut sum.usage, r.usage);
    add(&mut sum.free_resource_usage, r.free_resource_usage);
    add(&mut sum.ri_usage, r.ri_usage);
    add(&mut sum.official_amount, r.official_amount);
    add(&mut sum.discount_amount, r.discount_amount);
    add(&mut sum.amount, r.amount);
    add(&mut sum.cash_amount, r.cash_amount);
    add(&mut sum.credit_amount, r.credit_amount);
    add(&mut sum.coupon_amount, r.coupon_amount);
    add(
        &mut sum.flexipurchase_coupon_amount,
        r.flexipurchase_coupon_amount,
    );
    add(&mut sum.stored_card_amount, r.stored_card_amount);
    add(&mut sum.bonus_amount, r.bonus_amount);
    add(&mut sum.debt_amount, r.debt_amount);
    add(&mut sum.adjustment_amount, r.adjustment_amount);
    add(&mut sum.period_num, r.period_num);
}

fn record_details(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.costs;
    let request: types::QueryResRecordsDetailReq = body(call)?;
    let cycle = request.cycle.to_string();
    let (year, _) = month("cycle", &cycle)?;
    if year < 2019 {
        return Err(ApiError::invalid("cycle: detail records start in 2019-01"));
    }
    let method = request.method.map(|m| m.to_string());
    let accounts = whose(world, method.as_deref(), request.sub_customer_id.as_deref())?;
    let statistic = request.statistic_type.unwrap_or(1);
    if !(1..=3).contains(&statistic) {
        return Err(ApiError::invalid("statistic_type: must be 1, 2 or 3"));
    }
    let daily = request.query_type.map(|q| q.to_string()).as_deref() == Some("DAILY");
    let range = if daily {
        if statistic == 1 {
            return Err(ApiError::invalid(
                "query_type: DAILY needs statistic_type 2 or 3",
            ));
        }
        let day = |name: &str, v: Option<String>| {
            v.as_deref().and_then(parse_date).ok_or_else(|| {
                ApiError::invalid(format!(
                    "{name}: a date YYYY-MM-DD is required with query_type DAILY"
                ))
            })
        };
        let begin = day(
            "bill_cycle_begin",
            request.bill_cycle_begin.map(|v| v.to_string()),
        )?;
        let end = day(
            "bill_cycle_end",
            request.bill_cycle_end.map(|v| v.to_string()),
        )?;
        if begin > end {
            return Err(ApiError::invalid(
                "bill_cycle_begin: must not be after bill_cycle_end",
            ));
        }
        Some((begin, end))
    } else {
        None
    };
    let is = |value: &Option<String>, filter: &Option<String>| {
        filter
            .as_deref()
            .is_none_or(|f| value.as_deref().unwrap_or_default() == f)
    };
    let found: Vec<&Charge> = state
        .charges
        .iter()
        .filter(|c| match range {
            Some((b, e)) => c.day >= b && c.day <= e,
            None => c.cycle == cycle,
        })
        .filter(|c| mine(&accounts, c))
        .filter(|c| {
            let r = &c.record;
            is(&r.cloud_service_type, &request.cloud_service_type)
                && is(&r.resource_type, &request.resource_type)
                && is(&r.region, &request.region)
                && is(&r.resource_id, &request.res_instance_id)
                && is(&r.customer_id, &request.payer_account_id)
                && request
                    .charge_mode
                    .is_none_or(|m| state.resources[c.resource].plan.mode() == m)
                && request.bill_type.is_none_or(|t| r.bill_type == Some(t))
                && request
                    .enterprise_project_id
                    .as_deref()
                    .is_none_or(|p| project_is(&r.enterprise_project_id, p))
        })
        .collect();
    let mut records: Vec<types::MonthlyBillRes> = Vec::new();
    let mut at: BTreeMap<(usize, i32, Option<i64>), usize> = BTreeMap::new();
    for c in found {
        let detail = detail_record(state, c);
        if statistic == 3 {
            records.push(detail);
            continue;
        }
        let key = (
            c.resource,
            c.record.bill_type.unwrap_or_default(),
            (statistic == 2).then_some(c.day),
        );
        match at.get(&key) {
            Some(&i) => add_detail(&mut records[i], &detail),
            None => {
                at.insert(key, records.len());
                records.push(types::MonthlyBillRes {
                    bill_date: (statistic == 2).then(|| date(c.day)),
                    trade_id: None,
                    id: None,
                    effective_time: None,
                    expire_time: None,
                    consume_time: None,
                    is_spot: None,
                    promotion_type: None,
                    payment_type: None,
                    ..detail
                });
            }
        }
    }
    let records: Vec<_> = records
        .into_iter()
        .filter(|r| {
            request.include_zero_record != Some(false) || value(r.consume_amount) != Decimal::ZERO
        })
        .collect();
    let (page, total) = window(&records, call);
    json(types::ListCustomerselfResourceRecordDetailsResponse {
        monthly_records: page,
        total_count: Some(total),
        currency: Some(CURRENCY.to_string()),
    })
}

/// The 8-decimal detail record of a charge: each source of the payment scaled to the exact
/// payable amount, the largest one taking the rounding.
fn detail_record(state: &State, c: &Charge) -> types::MonthlyBillRes {
    let r = &c.record;
    let resource = &state.resources[c.resource];
    let (official, discount, consume) = c.exact;
    let paid2 = value(r.amount);
    let mut parts = [
        r.cash_amount,
        r.credit_amount,
        r.coupon_amount,
        r.stored_card_amount,
    ]
    .map(|a| a.map_or(Decimal::ZERO, Amount::value));
    if paid2.is_zero() {
        parts = [consume, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO];
    } else {
        let largest = (0..4).max_by_key(|i| parts[*i].abs()).unwrap_or(0);
        let mut rest = consume;
        for (i, part) in parts.iter_mut().enumerate() {
            if i != largest {
                *part = round(consume * *part / paid2, 8);
                rest -= *part;
            }
        }
        parts[largest] = rest;
    }
    let [cash, credit, coupon, card] = parts.map(Amount);
    let zero = Some(Amount(Decimal::ZERO));
    let relations = vec![
        types::RelationInfo {
            relative_resource_id: Some(resource.id.clone()),
            relative_type: Some("PARENT".to_string()),
        },
        types::RelationInfo {
            relative_resource_id: Some(resource.id.clone()),
            relative_type: Some("ROOT".to_string()),
        },
    ];
    types::MonthlyBillRes {
        cycle: Some(c.cycle.clone()),
        bill_date: r.bill_date.clone(),
        bill_type: r.bill_type,
        customer_id: r.customer_id.clone(),
        region: r.region.clone(),
        region_name: r.region_name.clone(),
        cloud_service_type: r.cloud_service_type.clone(),
        resource_type_code: r.resource_type.clone(),
        cloud_service_type_name: r.cloud_service_type_name.clone(),
        resource_type_name: r.resource_type_name.clone(),
        res_instance_id: r.resource_id.clone(),
        resource_name: r.resource_name.clone(),
        resource_tag: r.resource_tag.clone(),
        sku_code: r.sku_code.clone(),
        enterprise_project_id: r.enterprise_project_id.clone(),
        enterprise_project_name: r.enterprise_project_name.clone(),
        charge_mode: Some(resource.plan.mode()),
        consume_amount: Some(Amount(consume)),
        cash_amount: Some(cash),
        credit_amount: Some(credit),
        coupon_amount: Some(coupon),
        flexipurchase_coupon_amount: zero,
        stored_card_amount: Some(card),
        bonus_amount: zero,
        debt_amount: zero,
        adjustment_amount: zero,
        official_amount: Some(Amount(official)),
        discount_amount: Some(Amount(discount)),
        measure_id: Some(1),
        period_type: r.period_type.as_deref().and_then(|p| p.parse().ok()),
        root_resource_id: Some(resource.id.clone()),
        parent_resource_id: Some(resource.id.clone()),
        trade_id: r.trade_id.clone(),
        id: r.id.clone(),
        product_spec_desc: r.product_spec_desc.clone(),
        sub_service_type_code: None,
        sub_service_type_name: None,
        sub_resource_type_code: None,
        sub_resource_type_name: None,
        sub_resource_id: None,
        sub_resource_name: None,
        pre_order_id: r.order_id.clone(),
        az_code_infos: vec![types::AzCodeInfo {
            az_code: Some(resource.az.to_string()),
        }],
        payer_account_id: r.customer_id.clone(),
        effective_time: r.effective_time.clone(),
        expire_time: r.expire_time.clone(),
        consume_time: r.consume_time.clone(),
        be_id: Some(BE_ID.to_string()),
        extend_params: Some(types::ResRelation {
            self_resource_id: Some(resource.id.clone()),
            relation_infos: relations,
        }),
        account_name: r.account_name.clone(),
        period_num: r.period_num,
        is_spot: Some(if resource.plan.mode() == 1 { "--" } else { "N" }.to_string()),
        promotion_type: Some(if discount.is_zero() { "" } else { "300" }.to_string()),
        payment_type: None,
    }
}

/// Adds `b` to the running total `a` (an absent `b` leaves `a` as it is).
fn add(a: &mut Option<Amount>, b: Option<Amount>) {
    if let Some(b) = b {
        *a = Some(Amount(a.map_or(Decimal::ZERO, Amount::value) + b.value()));
    }
}

fn add_detail(sum: &mut types::MonthlyBillRes, r: &types::MonthlyBillRes) {
    add(&mut sum.consume_amount, r.consume_amount);
    add(&mut sum.cash_amount, r.cash_amount);
    add(&mut sum.credit_amount, r.credit_amount);
    add(&mut sum.coupon_amount, r.coupon_amount);
    add(
        &mut sum.flexipurchase_coupon_amount,
        r.flexipurchase_coupon_amount,
    );
    add(&mut sum.stored_card_amount, r.stored_card_amount);
    add(&mut sum.bonus_amount, r.bonus_amount);
    add(&mut sum.debt_amount, r.debt_amount);
    add(&mut sum.adjustment_amount, r.adjustment_amount);
    add(&mut sum.official_amount, r.official_amount);
    add(&mut sum.discount_amount, r.discount_amount);
    add(&mut sum.period_num, r.period_num);
}

fn fee_records(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.costs;
    let cycle = call.query("bill_cycle").unwrap_or_default();
    month("bill_cycle", cycle)?;
    let accounts = whose(world, call.query("method"), call.query("sub_customer_id"))?;
    let dates = dates(call, "bill_date_begin", "bill_date_end", cycle)?;
    let provider = number(call, "provider_type")?;
    let mode = number(call, "charging_mode")?;
    let bill_type = number(call, "bill_type")?;
    let status = number(call, "status")?;
    let zero = flag(call, "include_zero_record")?;
    let is = |value: &Option<String>, name: &str| {
        call.query(name)
            .filter(|f| !f.is_empty())
            .is_none_or(|f| value.as_deref() == Some(f))
    };
    let found: Vec<_> = state
        .charges
        .iter()
        .filter(|c| c.cycle == cycle && mine(&accounts, c))
        .filter(|c| {
            let r = &c.record;
            provider.is_none_or(|p| p == 1)
                && status.is_none_or(|s| s == 1)
                && is(&r.cloud_service_type, "service_type_code")
                && is(&r.resource_type, "resource_type_code")
                && is(&r.region, "region_code")
                && is(&r.trade_id, "trade_id")
                && mode.is_none_or(|m| state.resources[c.resource].plan.mode() == m)
                && bill_type.is_none_or(|t| r.bill_type == Some(t))
                && call
                    .query("enterprise_project_id")
                    .filter(|p| !p.is_empty())
                    .is_none_or(|p| project_is(&r.enterprise_project_id, p))
                && dates.is_none_or(|(b, e)| c.day >= b && c.day <= e)
                && (zero != Some(false) || value(r.amount) != Decimal::ZERO)
        })
        .map(|c| flow_record(state, c))
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListCustomerBillsFeeRecordsResponse {
        total_count: Some(total),
        records: page,
        currency: Some(CURRENCY.to_string()),
    })
}

/// The transaction (flow) record of a charge.
fn flow_record(state: &State, c: &Charge) -> types::MonthlyBillRecord {
    let r = &c.record;
    let zero = Some(Amount(Decimal::ZERO));
    types::MonthlyBillRecord {
        bill_cycle: Some(c.cycle.clone()),
        customer_id: r.customer_id.clone(),
        service_type_code: r.cloud_service_type.clone(),
        resource_type_code: r.resource_type.clone(),
        service_type_name: r.cloud_service_type_name.clone(),
        resource_type_name: r.resource_type_name.clone(),
        region_code: r.region.clone(),
        enterprise_project_id: r.enterprise_project_id.clone(),
        enterprise_project_name: r.enterprise_project_name.clone(),
        charging_mode: Some(state.resources[c.resource].plan.mode()),
        consume_time: r.consume_time.clone(),
        trade_time: r.trade_time.clone(),
        provider_type: Some(1),
        trade_id: r.trade_id.clone(),
        id: r.id.clone(),
        bill_type: r.bill_type,
        status: Some(1),
        official_amount: r.official_amount,
        official_discount_amount: r.discount_amount,
        erase_amount: Some(Amount(c.erase)),
        consume_amount: r.amount,
        cash_amount: r.cash_amount,
        credit_amount: r.credit_amount,
        coupon_amount: r.coupon_amount,
        flexipurchase_coupon_amount: r.flexipurchase_coupon_amount,
        stored_value_card_amount: r.stored_card_amount,
        bonus_amount: r.bonus_amount,
        debt_amount: r.debt_amount,
        writeoff_amount: zero,
        region_name: r.region_name.clone(),
        account_name: r.account_name.clone(),
    }
}

fn breakdown(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.costs;
    let shared = call.query("shared_month").unwrap_or_default();
    let (y, m) = month("shared_month", shared)?;
    let (now_y, now_m, _) = civil_from_days(now().div_euclid(DAY));
    let age = (now_y - y) * 12 + i64::from(now_m) - i64::from(m);
    if age >= KEPT_MONTHS {
        return Err(ApiError::invalid(format!(
            "shared_month: only the last {KEPT_MONTHS} months are available (got `{shared}`)"
        )));
    }
    let accounts = whose(world, call.query("method"), call.query("sub_customer_id"))?;
    let mode = number(call, "charging_mode")?;
    let bill_type = number(call, "bill_type")?;
    let first = days_from_civil(y, m, 1);
    let next = first + i64::from(days_in_month(y, m));
    let is = |value: &Option<String>, name: &str| {
        call.query(name)
            .is_none_or(|f| value.as_deref().unwrap_or_default() == f)
    };
    let name = call.query("resource_name").filter(|n| !n.is_empty());
    let mut rows: Vec<types::NvlCostAnalysedBillDetail> = Vec::new();
    let mut at: BTreeMap<(usize, i32), usize> = BTreeMap::new();
    for c in &state.charges {
        let r = &c.record;
        let resource = &state.resources[c.resource];
        let amortized = match c.period {
            Some((from, to)) => from < next && to > first,
            None => c.cycle == shared,
        };
        if !amortized
            || !mine(&accounts, c)
            || !is(&r.cloud_service_type, "service_type_code")
            || !is(&r.resource_type, "resource_type_code")
            || !is(&r.region, "region_code")
            || !is(&r.resource_id, "resource_id")
            || name.is_some_and(|n| !resource.name.contains(n))
            || mode.is_some_and(|m| resource.plan.mode() != m)
            || bill_type.is_some_and(|t| r.bill_type != Some(t))
            || call
                .query("enterprise_project_id")
                .is_some_and(|p| !project_is(&r.enterprise_project_id, p))
        {
            continue;
        }
        let consume = value(r.amount);
        let sources = [
            r.cash_amount,
            r.credit_amount,
            r.coupon_amount,
            r.stored_card_amount,
        ]
        .map(value);
        let (past, current, future, parts) = match c.period {
            Some((from, to)) => {
                let n = to - from;
                let (a, b) = (first.max(from) - from, next.min(to) - from);
                let current = share(consume, n, a, b);
                // Each source amortized alike, the largest taking the rounding.
                let mut parts = sources.map(|s| share(s, n, a, b));
                let largest = (0..4).max_by_key(|i| sources[*i].abs()).unwrap_or(0);
                let others: Decimal = (0..4).filter(|i| *i != largest).map(|i| parts[i]).sum();
                parts[largest] = current - others;
                (
                    share(consume, n, 0, a),
                    current,
                    share(consume, n, b, n),
                    parts,
                )
            }
            None => (Decimal::ZERO, consume, Decimal::ZERO, sources),
        };
        let [cash, credit, coupon, card] = parts;
        if c.period.is_none()
            && let Some(&i) = at.get(&(c.resource, r.bill_type.unwrap_or_default()))
        {
            let row = &mut rows[i];
            let add = |a: &mut Option<Amount>, b: Decimal| {
                *a = Some(Amount(a.map_or(Decimal::ZERO, Amount::value) + b));
            };
            add(&mut row.consume_amount, consume);
            add(&mut row.current_month_amortized_amount, current);
            add(&mut row.amortized_cash_amount, cash);
            add(&mut row.amortized_credit_amount, credit);
            add(&mut row.amortized_coupon_amount, coupon);
            add(&mut row.amortized_stored_value_card_amount, card);
            add(&mut row.usage, value(r.usage));
            add(&mut row.free_resource_usage, value(r.free_resource_usage));
            row.expire_time = r.expire_time.clone();
            continue;
        }
        if c.period.is_none() {
            at.insert((c.resource, r.bill_type.unwrap_or_default()), rows.len());
        }
        let zero = Some(Amount(Decimal::ZERO));
        rows.push(types::NvlCostAnalysedBillDetail {
            shared_month: Some(shared.to_string()),
            bill_cycle: Some(c.cycle.clone()),
            bill_type: r.bill_type,
            customer_id: r.customer_id.clone(),
            region_code: r.region.clone(),
            region_name: r.region_name.clone(),
            service_type_code: r.cloud_service_type.clone(),
            resource_type_code: r.resource_type.clone(),
            service_type_name: r.cloud_service_type_name.clone(),
            resource_type_name: r.resource_type_name.clone(),
            effective_time: r.effective_time.clone(),
            expire_time: r.expire_time.clone(),
            resource_id: r.resource_id.clone(),
            resource_name: r.resource_name.clone(),
            resource_tag: r.resource_tag.clone(),
            product_spec_desc: r.product_spec_desc.clone(),
            enterprise_project_id: r.enterprise_project_id.clone(),
            enterprise_project_name: r.enterprise_project_name.clone(),
            charging_mode: Some(resource.plan.mode()),
            order_id: r.order_id.clone(),
            period_type: r.period_type.as_deref().and_then(|p| p.parse().ok()),
            usage_type: r.usage_type.clone(),
            usage: r.usage,
            usage_measure_id: r.usage_measure_id,
            free_resource_usage: r.free_resource_usage,
            free_resource_measure_id: r.free_resource_measure_id,
            ri_usage: r.ri_usage,
            ri_usage_measure_id: r.ri_usage_measure_id,
            consume_amount: Some(Amount(consume)),
            past_months_amortized_amount: Some(Amount(past)),
            current_month_amortized_amount: Some(Amount(current)),
            future_months_amortized_amount: Some(Amount(future)),
            amortized_cash_amount: Some(Amount(cash)),
            amortized_credit_amount: Some(Amount(credit)),
            amortized_coupon_amount: Some(Amount(coupon)),
            amortized_flexipurchase_coupon_amount: zero,
            amortized_stored_value_card_amount: Some(Amount(card)),
            amortized_bonus_amount: zero,
            sub_service_type_code: None,
            sub_service_type_name: None,
            sub_resource_type_code: None,
            sub_resource_type_name: None,
            sub_resource_id: None,
            sub_resource_name: None,
            effective_tag_pairs: resource
                .tag
                .map(|(k, v)| types::TagPair {
                    tag_key: Some(k.to_string()),
                    tag_value: Some(v.to_string()),
                })
                .into_iter()
                .collect(),
            cost_unit_pairs: vec![types::CostUnitPair {
                cost_unit_name: Some(resource.cost_unit.0.to_string()),
                cost_unit_rule_value: Some(resource.cost_unit.1.to_string()),
            }],
        });
    }
    let (page, total) = window(&rows, call);
    json(types::ListCustomerBillsMonthlyBreakDownResponse {
        currency: Some(CURRENCY.to_string()),
        total_count: Some(total),
        details: page,
    })
}

/// The part of `total` amortized over days `[a, b)` of `n`, so that the parts of any split of
/// the `n` days add up to `total` exactly.
fn share(total: Decimal, n: i64, a: i64, b: i64) -> Decimal {
    if n <= 0 {
        return Decimal::ZERO;
    }
    let at = |k: i64| round(total * Decimal::from(k) / Decimal::from(n), 2);
    at(b) - at(a)
}

/// Checks the service, resource type and usage type of a 95th-percentile query.
fn peak_query(call: &Call<'_>) -> Result<(String, String, String, (i64, u32)), ApiError> {
    let cycle = call.query("bill_cycle").unwrap_or_default();
    let month = month("bill_cycle", cycle)?;
    let service = call.query("service_type_code").unwrap_or_default();
    let kind = call.query("resource_type_code").unwrap_or_default();
    let usage = call.query("usage_type").unwrap_or_default();
    let services = ["cdn", "obs", "vpc", "iec"].map(|s| format!("hws.service.type.{s}"));
    if !services.iter().any(|s| s == service) {
        return Err(ApiError::invalid(format!(
            "service_type_code: must be one of {} (got `{service}`)",
            services.join(", ")
        )));
    }
    let kinds =
        ["cdn", "obs", "bandwidth", "edgebandwidth"].map(|s| format!("hws.resource.type.{s}"));
    if !kinds.iter().any(|k| k == kind) {
        return Err(ApiError::invalid(format!(
            "resource_type_code: must be one of {} (got `{kind}`)",
            kinds.join(", ")
        )));
    }
    const USAGES: &[&str] = &["95Peak", "95peak_1000", "bandwidth95peak", "95peak_plus"];
    if !USAGES.contains(&usage) {
        return Err(ApiError::invalid(format!(
            "usage_type: must be one of {} (got `{usage}`)",
            USAGES.join(", ")
        )));
    }
    Ok((
        service.to_string(),
        kind.to_string(),
        usage.to_string(),
        month,
    ))
}

/// The caller's 95th-percentile resources of a service, resource type and usage type.
fn peak_resources<'a>(
    world: &'a World,
    service: &str,
    kind: &str,
    usage: &str,
) -> impl Iterator<Item = &'a Resource> {
    let caller = world.caller_id();
    let (service, kind, usage) = (service.to_string(), kind.to_string(), usage.to_string());
    world.groups.costs.resources.iter().filter(move |r| {
        r.owner == caller
            && r.service.0 == service
            && r.kind.0 == kind
            && matches!(r.plan, Plan::Peak(_))
            && r.usage.0 == usage
    })
}

/// The month's values of a resource: actual days, billed, guaranteed and peak bandwidth (the
/// last two for the enhanced 95th percentile only); `None` before they are settled (20:00 on
/// the 2nd of the next month).
fn monthly_values(r: &Resource, (y, m): (i64, u32), values: &[i64]) -> Option<[Option<Amount>; 4]> {
    let settled = days_from_civil(y, m, 1) + i64::from(days_in_month(y, m)) + 1;
    if values.is_empty() || now() < settled * DAY - EAST8 + 20 * 3_600 {
        return None;
    }
    let plus = r.plan == Plan::Peak("95peak_plus");
    Some([
        Some(Amount(
            Decimal::from(values.len() as i64) / Decimal::from(288),
        )),
        Some(Amount(Decimal::new(p95(values), 2))),
        plus.then(|| Amount(Decimal::new(r.guaranteed, 2))),
        plus.then(|| Amount(Decimal::new(values.iter().copied().max().unwrap_or(0), 2))),
    ])
}

fn usage_summary(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let (service, kind, usage, (y, m)) = peak_query(call)?;
    let first = days_from_civil(y, m, 1);
    let found: Vec<_> = peak_resources(world, &service, &kind, &usage)
        .filter(|r| {
            r.start < first + i64::from(days_in_month(y, m)) && r.start <= now().div_euclid(DAY)
        })
        .map(|r| {
            let (_, values) = points(r, y, m);
            let month = monthly_values(r, (y, m), &values);
            let [days, band, guaranteed, peak] = month.unwrap_or_default();
            types::StatUsageSummaryInfo {
                resource_id: Some(r.id.clone()),
                actual_days: days,
                band_width: band,
                monthly_guaranteed_band_width: guaranteed,
                monthly_peak_band_width: peak,
                band_width_measure_id: month.map(|_| MBPS),
            }
        })
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListResourceUsageSummaryResponse {
        total_count: Some(total),
        summary_usage_info_list: page,
    })
}

fn usage_details(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let (service, kind, usage, (y, m)) = peak_query(call)?;
    let id = call.query("resource_id").unwrap_or_default();
    let r = peak_resources(world, &service, &kind, &usage)
        .find(|r| r.id == id)
        .ok_or_else(|| {
            ApiError::business(
                "CBC.99003012",
                format!("The resource `{id}` does not exist (or is not billed by {usage})."),
            )
        })?;
    let (start, values) = points(r, y, m);
    let month = monthly_values(r, (y, m), &values);
    let [days, band, guaranteed, peak] = month.unwrap_or_default();
    let plus = r.plan == Plan::Peak("95peak_plus");
    let (offset, limit) = call.window(crate::reply::DEFAULT_LIMIT);
    let page = values
        .iter()
        .enumerate()
        .skip(offset)
        .take(limit)
        .map(|(i, v)| types::StatUsageInfo {
            stat_time: Some(timestamp(start + 300 * i as i64)),
            guaranteed_band_width: plus.then(|| Amount(Decimal::new(r.guaranteed, 2))),
            usage: Some(Amount(Decimal::new(*v, 2))),
            measure_id: Some(MBPS),
        })
        .collect();
    json(types::ListResourceUsageResponse {
        actual_days: days,
        band_width: band,
        monthly_guaranteed_band_width: guaranteed,
        monthly_peak_band_width: peak,
        band_width_measure_id: month.map(|_| MBPS),
        total_count: Some(i32::try_from(values.len()).unwrap_or(i32::MAX)),
        usage_info_list: page,
    })
}

/// The 5-minute bandwidth points of a 95th-percentile resource in a month (UTC+8), in
/// hundredths of Mbit/s, from the day it started to the last day with data: the UTC time of the
/// first point, and the values. Made from the resource id and the month alone.
fn points(r: &Resource, y: i64, m: u32) -> (i64, Vec<i64>) {
    let month_first = days_from_civil(y, m, 1);
    let first = month_first.max(r.start);
    let last = (month_first + i64::from(days_in_month(y, m)) - 1).min(last_day());
    let start = first * DAY - EAST8;
    if !matches!(r.plan, Plan::Peak(_)) || last < first {
        return (start, Vec::new());
    }
    let mut rng = fastrand::Rng::with_seed(
        fnv(&r.id) ^ ((y * 12 + i64::from(m)) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
    );
    let mut values = Vec::with_capacity(((last - first + 1) * 288) as usize);
    for _ in first..=last {
        for hour in PROFILE {
            let level = r.base * hour / 100;
            for _ in 0..12 {
                // ±12% noise, and one point in 400 a burst of twice the level.
                let bits = rng.u64(..);
                let noise = 88 + (bits % 25) as i64;
                let burst = if (bits >> 32).is_multiple_of(400) {
                    2
                } else {
                    1
                };
                values.push(level * noise / 100 * burst);
            }
        }
    }
    (start, values)
}

/// The 95th percentile: the highest value once the top 5% are dropped.
fn p95(values: &[i64]) -> i64 {
    if values.is_empty() {
        return 0;
    }
    let mut sorted = values.to_vec();
    let drop = sorted.len() * 5 / 100;
    let index = sorted.len() - 1 - drop;
    *sorted.select_nth_unstable(index).1
}

/// A dimension of the cost analysis: its value for a charge.
fn dimension(state: &State, c: &Charge, key: &str) -> Option<String> {
    let r = &c.record;
    let resource = &state.resources[c.resource];
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    Some(match key {
        "CLOUD_SERVICE_TYPE" => text(&r.cloud_service_type),
        "RESOURCE_TYPE" => text(&r.resource_type),
        "ASSOCIATED_ACCOUNT" | "PAYER_ACCOUNT_ID" => text(&r.customer_id),
        "REGION_CODE" => text(&r.region),
        "AZ_CODE" => resource.az.to_string(),
        "ENTERPRISE_PROJECT_ID" => r
            .enterprise_project_id
            .clone()
            .unwrap_or_else(|| "null".to_string()),
        "RES_SPEC_CODE" => text(&r.sku_code),
        "CHARGING_MODE" => resource.plan.mode().to_string(),
        "USAGE_TYPE" => text(&r.usage_type),
        "BILL_TYPE" => r.bill_type.unwrap_or_default().to_string(),
        "BE_ID" => BE_ID.to_string(),
        "RESOURCE_ID" => text(&r.resource_id),
        "RESOURCE_TAG" => resource
            .tag
            .map(|(k, v)| format!("{k}:{v}"))
            .unwrap_or_default(),
        "COST_UNIT" => resource.cost_unit.0.to_string(),
        _ => return None,
    })
}

fn costs(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let state = &world.groups.costs;
    let request: types::ListCostsReq = body(call)?;
    let condition = &request.time_condition;
    let measure = condition.time_measure_id.get();
    let daily = match measure {
        1 => true,
        2 => false,
        other => {
            return Err(ApiError::invalid(format!(
                "time_condition.time_measure_id: must be 1 or 2 (got {other})"
            )));
        }
    };
    let bound = |name: &str, text: &str, end: bool| -> Result<i64, ApiError> {
        if daily {
            parse_date(text).ok_or_else(|| {
                ApiError::invalid(format!(
                    "time_condition.{name}: must be a date YYYY-MM-DD (got `{text}`)"
                ))
            })
        } else {
            let (y, m) = month(&format!("time_condition.{name}"), text)?;
            let first = days_from_civil(y, m, 1);
            Ok(if end {
                first + i64::from(days_in_month(y, m)) - 1
            } else {
                first
            })
        }
    };
    let from = bound("begin_time", &condition.begin_time, false)?;
    let to = bound("end_time", &condition.end_time, true)?;
    if from > to {
        return Err(ApiError::invalid(
            "time_condition.begin_time: must not be after end_time",
        ));
    }
    // The groupings: (response key, dimension).
    let mut groupings = Vec::new();
    for g in &request.groupby {
        let key = match g.type_ {
            types::GroupByType::Dimension => {
                if matches!(g.key.as_str(), "RESOURCE_TAG" | "COST_UNIT")
                    || dimension_key(&g.key).is_none()
                {
                    return Err(ApiError::invalid(format!(
                        "groupby: unknown dimension `{}`",
                        g.key
                    )));
                }
                g.key.clone()
            }
            types::GroupByType::Tag => format!("TAG:{}", g.key),
            types::GroupByType::CostUnit => "COST_UNIT".to_string(),
        };
        groupings.push(key);
    }
    for f in &request.filters {
        if dimension_key(&f.filter_factor.key).is_none() {
            return Err(ApiError::invalid(format!(
                "filters: unknown filter key `{}`",
                f.filter_factor.key
            )));
        }
        if !(0..=1).contains(&f.operator) {
            return Err(ApiError::invalid("filters.operator: must be 0 or 1"));
        }
    }
    let caller = world.caller_id();
    let net = request.amount_type == types::ListCostsReqAmountType::NetAmount;
    let amortized = request.cost_type == types::ListCostsReqCostType::AmortizedCost;
    let label = |day: i64| {
        let (y, m, d) = civil_from_days(day);
        if daily {
            format!("{y:04}-{m:02}-{d:02}")
        } else {
            format!("{y:04}-{m:02}")
        }
    };
    type Sums = BTreeMap<String, (Decimal, Decimal)>;
    let mut groups: BTreeMap<Vec<String>, Sums> = BTreeMap::new();
    for c in &state.charges {
        let resource = &state.resources[c.resource];
        if resource.owner != caller && !state.members.contains(&resource.owner) {
            continue;
        }
        let (first, last) = match (amortized, c.period) {
            (true, Some((a, b))) => (a, b - 1),
            _ => (c.day, c.day),
        };
        if last < from || first > to {
            continue;
        }
        let keep = request.filters.iter().all(|f| {
            let mut value = dimension(state, c, &f.filter_factor.key).unwrap_or_default();
            if f.filter_factor.key == "RESOURCE_TAG" {
                value = value.replace('=', ":");
            }
            let listed = f
                .filter_factor
                .value
                .iter()
                .any(|v| v.replace('=', ":") == value);
            listed == (f.operator == 0)
        });
        if !keep {
            continue;
        }
        let dims: Vec<String> = groupings
            .iter()
            .map(|g| match g.strip_prefix("TAG:") {
                Some(key) => resource
                    .tag
                    .filter(|(k, _)| *k == key)
                    .map(|(k, v)| format!("{k}:{v}"))
                    .unwrap_or_default(),
                None => dimension(state, c, g).unwrap_or_default(),
            })
            .collect();
        let r = &c.record;
        let mut amount = value(r.amount);
        if net {
            amount -= value(r.coupon_amount) + value(r.flexipurchase_coupon_amount);
        }
        let official = value(r.official_amount);
        let sums = groups.entry(dims).or_default();
        match (amortized, c.period) {
            (true, Some((a, b))) => {
                let n = b - a;
                for day in a.max(from)..b.min(to + 1) {
                    let k = day - a;
                    let slot = sums.entry(label(day)).or_default();
                    slot.0 += share(amount, n, k, k + 1);
                    slot.1 += share(official, n, k, k + 1);
                }
            }
            _ => {
                let slot = sums.entry(label(c.day)).or_default();
                slot.0 += amount;
                slot.1 += official;
            }
        }
    }
    let mut data: Vec<types::CostDataByDimension> = groups
        .into_iter()
        .map(|(dims, sums)| {
            let total: Decimal = sums.values().map(|s| s.0).sum();
            let official: Decimal = sums.values().map(|s| s.1).sum();
            types::CostDataByDimension {
                dimensions: groupings
                    .iter()
                    .zip(dims)
                    .map(|(g, v)| types::DimensionGroup {
                        key: Some(if g.starts_with("TAG:") {
                            "RESOURCE_TAG".to_string()
                        } else {
                            g.clone()
                        }),
                        value: Some(v),
                    })
                    .collect(),
                costs: sums
                    .into_iter()
                    .map(|(time, (amount, official))| types::Cost {
                        time_dimension_value: Some(time),
                        time_measure_id: Some(measure as i32),
                        amount: Some(Amount(amount)),
                        official_amount: Some(Amount(official)),
                    })
                    .collect(),
                amount_by_costs: Some(Amount(total)),
                official_amount_by_costs: Some(Amount(official)),
            }
        })
        .collect();
    data.sort_by_key(|g| std::cmp::Reverse(value(g.amount_by_costs)));
    let (page, total) = window(&data, call);
    json(types::ListCostsResponse {
        currency: Some(CURRENCY.to_string()),
        total_count: Some(total),
        cost_data: page,
    })
}

/// The filter and grouping keys the cost analysis knows.
fn dimension_key(key: &str) -> Option<&str> {
    const KEYS: &[&str] = &[
        "CLOUD_SERVICE_TYPE",
        "RESOURCE_TYPE",
        "ASSOCIATED_ACCOUNT",
        "REGION_CODE",
        "AZ_CODE",
        "ENTERPRISE_PROJECT_ID",
        "RES_SPEC_CODE",
        "CHARGING_MODE",
        "USAGE_TYPE",
        "BILL_TYPE",
        "BE_ID",
        "PAYER_ACCOUNT_ID",
        "RESOURCE_ID",
        "RESOURCE_TAG",
        "COST_UNIT",
    ];
    KEYS.iter().find(|k| **k == key).copied()
}

/// Whether a charge belongs to one of the accounts.
fn mine(accounts: &[String], c: &Charge) -> bool {
    c.record
        .customer_id
        .as_deref()
        .is_some_and(|id| accounts.iter().any(|a| a == id))
}

/// Whether a record's enterprise project is the one a filter names (`null` or `-1`: not grouped).
fn project_is(project: &Option<String>, filter: &str) -> bool {
    match project {
        None => filter == "null" || filter == "-1",
        Some(p) => p == filter,
    }
}

/// The payable amount and its sources: cash, credit, coupon, stored-value card.
fn paid(r: &types::ResFeeRecordV2) -> [Decimal; 5] {
    [
        value(r.amount),
        value(r.cash_amount),
        value(r.credit_amount),
        value(r.coupon_amount),
        value(r.stored_card_amount),
    ]
}

fn account_name(world: &World, id: &str) -> Option<String> {
    world.customer(id).map(|c| c.login().to_string())
}

fn value(a: Option<Amount>) -> Decimal {
    a.map_or(Decimal::ZERO, Amount::value)
}

fn number(call: &Call<'_>, name: &str) -> Result<Option<i32>, ApiError> {
    call.query(name)
        .map(|v| {
            v.trim()
                .parse::<i32>()
                .map_err(|_| ApiError::invalid(format!("{name}: must be an integer (got `{v}`)")))
        })
        .transpose()
}

fn flag(call: &Call<'_>, name: &str) -> Result<Option<bool>, ApiError> {
    call.query(name)
        .map(|v| match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(ApiError::invalid(format!(
                "{name}: must be true or false (got `{v}`)"
            ))),
        })
        .transpose()
}

/// A pair of dates `YYYY-MM-DD` in the month `cycle`: both or neither (one alone is ignored).
fn dates(
    call: &Call<'_>,
    begin: &str,
    end: &str,
    cycle: &str,
) -> Result<Option<(i64, i64)>, ApiError> {
    let (Some(b), Some(e)) = (call.query(begin), call.query(end)) else {
        return Ok(None);
    };
    let mut days = [0; 2];
    for (i, (name, v)) in [(begin, b), (end, e)].into_iter().enumerate() {
        days[i] = parse_date(v)
            .filter(|_| v.starts_with(cycle))
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "{name}: must be a date YYYY-MM-DD in the month {cycle} (got `{v}`)"
                ))
            })?;
    }
    if days[0] > days[1] {
        return Err(ApiError::invalid(format!(
            "{begin}: must not be after {end}"
        )));
    }
    Ok(Some((days[0], days[1])))
}

/// Rounds half away from zero to `dp` decimals.
pub(crate) fn round(value: Decimal, dp: u32) -> Decimal {
    let half = Decimal::new(5, dp + 1);
    if value.is_sign_negative() {
        (value - half).trunc_with_scale(dp)
    } else {
        (value + half).trunc_with_scale(dp)
    }
}

/// `NOW` in seconds since the epoch.
pub(crate) fn now() -> i64 {
    parse_timestamp(NOW).unwrap_or_default()
}

/// The last day with consumption: 2024-05-31.
fn last_day() -> i64 {
    let (y, m) = month_at(MONTHS - 1);
    days_from_civil(y, m, days_in_month(y, m))
}

/// The month at an index of the data (0 = 2023-07).
fn month_at(index: usize) -> (i64, u32) {
    let n = FIRST_MONTH.0 * 12 + i64::from(FIRST_MONTH.1) - 1 + index as i64;
    (n.div_euclid(12), (n.rem_euclid(12) + 1) as u32)
}

/// The day `months` months after `y-m-d` (the day of month kept, at most the month's last).
fn shift(y: i64, m: u32, d: u32, months: i64) -> i64 {
    let n = y * 12 + i64::from(m) - 1 + months;
    let (ny, nm) = (n.div_euclid(12), (n.rem_euclid(12) + 1) as u32);
    days_from_civil(ny, nm, d.min(days_in_month(ny, nm)))
}

/// A day number as `YYYY-MM-DD`.
fn date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The UTC+8 month `YYYY-MM` of an instant.
fn month_text(time: i64) -> String {
    let (y, m, _) = civil_from_days((time + EAST8).div_euclid(DAY));
    format!("{y:04}-{m:02}")
}

fn uuid(rng: &mut fastrand::Rng) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        rng.u32(..),
        rng.u16(..),
        rng.u16(..0x1000),
        0x8000 | rng.u16(..0x4000),
        rng.u64(..1 << 48)
    )
}

/// Upper-case letters and digits.
fn code(rng: &mut fastrand::Rng, len: usize) -> String {
    (0..len)
        .map(|_| {
            if rng.bool() {
                LETTERS[rng.usize(..LETTERS.len())]
            } else {
                rng.char('0'..='9')
            }
        })
        .collect()
}

/// FNV-1a of a text.
pub(crate) fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

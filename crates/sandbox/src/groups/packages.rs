//! The `packages` group in the sandbox: resource packages (资源包, free resources), their resource
//! items, and the deduction records of those items.
//!
//! Who is asking: in reality ListFreeResourceInfos and ListFreeResourcesUsageRecords are called
//! with the customer's own credentials and answer for that customer alone, and
//! ListFreeResourceUsages answers for the caller's items. None of the requests names a customer, so
//! the sandbox answers the demo credentials over the whole data set: the packages of every customer
//! of the partner (each package belongs to a customer of `world.customers`).
//!
//! The data: 1 to 6 packages per customer (about 1,250, so ListFreeResourceInfos needs two pages
//! of 1,000), built from a small catalog of realistic packages (traffic, duration, request-count
//! packages; atomic and bundles; resettable every day or every subscription month, or not), in
//! every status (not yet effective, effective, used up, expired, unsubscribed). Every resource
//! item carries its deduction records (usage of one hour each, deducted shortly after). The
//! remaining quota of an item is always exactly its original quota minus what its records used
//! (for resettable packages: the records of the current reset period, and the chain of
//! `available_amount`/`remaining_amount` restarts from the original quota at each period), and a
//! used-up package's records drain every item to 0. Packages expired more than 18 months ago are
//! kept (their items still answer ListFreeResourceUsages) but ListFreeResourceInfos leaves them
//! out, as documented.

use huaweicloud_bss::packages::types;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use super::pricing::REGIONS;
use crate::calendar::{
    DAY, HOUR, add_months, civil_from_days, parse_date, parse_timestamp, timestamp,
};
use crate::ids::hex;
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, World};
use crate::{ApiError, Call};

/// A resource item of a package template.
struct ItemTemplate {
    /// Resource type code suffix (`hws.resource.type.<resource>`) the item deducts usage of.
    resource: &'static str,
    usage_code: &'static str,
    usage_name: &'static str,
    type_name: &'static str,
    measure_id: i32,
    quota: i64,
    /// Usage is deducted in whole units (hours, requests) rather than with 2 decimals.
    integral: bool,
}

/// A package on sale.
struct Template {
    /// Cloud service type code suffix (`hws.service.type.<service>`).
    service: &'static str,
    name: &'static str,
    months: i64,
    bundle: &'static str,
    /// Resettable packages: (reset period, period kind).
    reuse: Option<(i32, i32)>,
    items: &'static [ItemTemplate],
}

const fn item(
    resource: &'static str,
    usage: (&'static str, &'static str),
    type_name: &'static str,
    measure_id: i32,
    quota: i64,
    integral: bool,
) -> ItemTemplate {
    ItemTemplate {
        resource,
        usage_code: usage.0,
        usage_name: usage.1,
        type_name,
        measure_id,
        quota,
        integral,
    }
}

const TEMPLATES: &[Template] = &[
    Template {
        service: "obs",
        name: "对象存储公网流出流量包 100GB 1年",
        months: 12,
        bundle: "ATOMIC_PKG",
        reuse: None,
        items: &[item(
            "obs",
            ("upflow", "公网流出流量"),
            "对象存储流量包",
            10,
            100,
            false,
        )],
    },
    Template {
        service: "obs",
        name: "对象存储公网流出流量包 1TB 6个月",
        months: 6,
        bundle: "ATOMIC_PKG",
        reuse: None,
        items: &[item(
            "obs",
            ("upflow", "公网流出流量"),
            "对象存储流量包",
            10,
            1024,
            false,
        )],
    },
    Template {
        service: "ec2",
        name: "通用计算增强型 c6.large.2 时长包 744小时 1个月",
        months: 1,
        bundle: "ATOMIC_PKG",
        reuse: None,
        items: &[item(
            "vm",
            ("Duration", "使用时长"),
            "云主机时长包",
            4,
            744,
            true,
        )],
    },
    Template {
        service: "cdn",
        name: "CDN 全站加速流量包 500GB 1年",
        months: 12,
        bundle: "ATOMIC_PKG",
        reuse: None,
        items: &[item(
            "cdn",
            ("upflow", "下行流量"),
            "CDN流量包",
            10,
            500,
            false,
        )],
    },
    Template {
        service: "vpc",
        name: "全动态BGP共享流量包 1TB 1个月",
        months: 1,
        bundle: "ATOMIC_PKG",
        reuse: None,
        items: &[item(
            "bandwidth",
            ("upflow", "上行流量"),
            "共享流量包",
            10,
            1024,
            false,
        )],
    },
    Template {
        service: "functiongraph",
        name: "函数工作流 调用次数及资源用量包 1年 月度重置",
        months: 12,
        bundle: "BUNDLE_PKG",
        reuse: Some((4, 2)),
        items: &[
            item(
                "functiongraph",
                ("requests", "调用次数"),
                "函数调用次数包",
                17,
                1_000_000,
                true,
            ),
            item(
                "functiongraph",
                ("Duration", "执行时长"),
                "函数资源用量包",
                7,
                400_000,
                true,
            ),
        ],
    },
    Template {
        service: "dns",
        name: "云解析 公网解析请求包 6个月 每日重置",
        months: 6,
        bundle: "ATOMIC_PKG",
        reuse: Some((2, 2)),
        items: &[item(
            "dns",
            ("requests", "解析请求次数"),
            "解析请求包",
            17,
            100_000,
            true,
        )],
    },
    Template {
        service: "rds",
        name: "云数据库 RDS for MySQL 时长包 744小时 1个月",
        months: 1,
        bundle: "ATOMIC_PKG",
        reuse: None,
        items: &[item(
            "rds.vm",
            ("Duration", "使用时长"),
            "数据库实例时长包",
            4,
            744,
            true,
        )],
    },
    Template {
        service: "ec2",
        name: "云服务器与云硬盘组合时长包 1个月",
        months: 1,
        bundle: "BUNDLE_PKG",
        reuse: None,
        items: &[
            item("vm", ("Duration", "使用时长"), "云主机时长包", 4, 744, true),
            item(
                "volume",
                ("Duration", "使用时长"),
                "云硬盘时长包",
                4,
                744,
                true,
            ),
        ],
    },
];

const TAGS: &[&str] = &["env:prod", "env:test", "team:data", "app:web", ""];

/// One deduction record, with its deduction instant (seconds since the epoch) for filtering.
#[derive(Clone, Debug)]
pub struct Record {
    /// When the usage was deducted.
    pub at: i64,
    /// The record as the API answers it.
    pub record: types::FreeResourceRecord,
}

/// A resource item of a package.
#[derive(Clone, Debug, Default)]
pub struct Item {
    /// The item's fixed facts (id, names, reset period, original quota, unit); `amount`,
    /// `start_time` and `end_time` are worked out when asked.
    pub detail: types::FreeResourceDetail,
    /// The original quota (per reset period for resettable packages).
    pub original: Decimal,
    /// Its deduction records, oldest first.
    pub records: Vec<Record>,
}

/// A resource package of a customer.
#[derive(Clone, Debug, Default)]
pub struct Package {
    /// The customer who bought it.
    pub customer_id: String,
    /// The package as listed; `free_resources` is filled in when asked (from `items`).
    pub info: types::FreeResourcePackageV3,
    /// Its resource items.
    pub items: Vec<Item>,
    /// Effective and expiry instants (seconds since the epoch).
    pub effective: i64,
    /// Expiry instant.
    pub expire: i64,
    /// Reset period and its kind, for resettable packages.
    pub reuse: Option<(i32, i32)>,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// Every customer's packages, newest first.
    pub packages: Vec<Package>,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let product_ids: Vec<String> = TEMPLATES
            .iter()
            .map(|_| format!("OFFI{:018}", rng.u64(..1_000_000_000_000_000_000)))
            .collect();
        let projects: Vec<String> = (0..3).map(|_| uuid(rng)).collect();
        let mut packages = Vec::new();
        for (_, customer) in &world.customers {
            for _ in 0..1 + rng.usize(..6) {
                let t = rng.usize(..TEMPLATES.len());
                let project = match rng.usize(..5) {
                    i @ 0..=2 => projects[i].clone(),
                    _ => "0".to_string(),
                };
                packages.push(package(
                    rng,
                    world,
                    &TEMPLATES[t],
                    &product_ids[t],
                    customer.id(),
                    project,
                ));
            }
        }
        packages.sort_by(|a, b| {
            b.effective
                .cmp(&a.effective)
                .then_with(|| a.info.order_instance_id.cmp(&b.info.order_instance_id))
        });
        State { packages }
    }
}

fn package(
    rng: &mut fastrand::Rng,
    world: &World,
    template: &Template,
    product_id: &str,
    customer_id: &str,
    project: String,
) -> Package {
    let now = now();
    // Mostly bought within the last year (or about to take effect), some long ago.
    let back = if rng.usize(..10) < 8 {
        rng.i64(-20..400)
    } else {
        rng.i64(400..720)
    };
    let effective = now - back * DAY + rng.i64(0..DAY);
    let expire = date_start(add_months(effective, template.months)) + 16 * HOUR - 1;
    let mut status = if effective > now {
        0
    } else if expire < now {
        3
    } else {
        1
    };
    let mut use_end = now.min(expire);
    if status == 1 && rng.usize(..20) == 0 {
        status = 4;
        use_end = effective + rng.i64(0..=(now - effective));
    }
    let drain = status == 1 && template.reuse.is_none() && rng.usize(..7) == 0;
    let source_type = i32::from(rng.usize(..20) == 0);
    let service = format!("hws.service.type.{}", template.service);
    let region = REGIONS[rng.usize(..REGIONS.len())];
    let resources: Vec<String> = (0..1 + rng.usize(..2))
        .map(|i| resource_id(rng, template.items[0].resource, customer_id, i))
        .collect();
    let tag = TAGS[rng.usize(..TAGS.len())];
    let mut items = Vec::new();
    for spec in template.items {
        let resource_type = format!("hws.resource.type.{}", spec.resource);
        let resource_name = world
            .resource_types
            .iter()
            .find(|r| r.resource_type_code.as_deref() == Some(resource_type.as_str()))
            .and_then(|r| r.resource_type_name.clone());
        let original = Decimal::from(spec.quota);
        let mut item = Item {
            detail: types::FreeResourceDetail {
                free_resource_id: Some(hex(rng)),
                free_resource_type_name: Some(spec.type_name.to_string()),
                quota_reuse_cycle: template.reuse.map(|r| r.0),
                quota_reuse_cycle_type: template.reuse.map(|r| r.1),
                usage_type_name: Some(spec.usage_name.to_string()),
                original_amount: Some(Amount(original)),
                measure_id: Some(spec.measure_id),
                ..Default::default()
            },
            original,
            records: Vec::new(),
        };
        // Usage hours H (the hour [H, H+1h) is deducted shortly after it ends), oldest first.
        let first = effective / HOUR + 1;
        let last = (use_end - 2 * HOUR) / HOUR;
        let mut hours: Vec<i64> = if last > first {
            (0..1 + rng.usize(..8))
                .map(|_| rng.i64(first..=last) * HOUR)
                .collect()
        } else {
            Vec::new()
        };
        hours.sort_unstable();
        hours.dedup();
        let mut available = original;
        let mut period = None;
        for (i, hour) in hours.iter().enumerate() {
            let at = hour + HOUR + rng.i64(60..3000);
            if let Some((cycle, _)) = template.reuse {
                let (start, _) = period_of(effective, cycle, at);
                if period != Some(start) {
                    period = Some(start);
                    available = original;
                }
            }
            if available <= Decimal::ZERO {
                continue;
            }
            let share = original * Decimal::new(rng.i64(100..1500), 4);
            let step = if spec.integral {
                share.trunc().max(Decimal::ONE)
            } else {
                share.trunc_with_scale(2).max(Decimal::new(1, 2))
            };
            let used = if drain && i + 1 == hours.len() {
                available
            } else {
                step.min(available)
            };
            item.records.push(Record {
                at,
                record: types::FreeResourceRecord {
                    deduct_time: Some(timestamp(at)),
                    free_resource_id: item.detail.free_resource_id.clone(),
                    resource_id: Some(resources[rng.usize(..resources.len())].clone()),
                    resource_type_code: Some(resource_type.clone()),
                    resource_type_name: resource_name.clone(),
                    resource_tag: (!tag.is_empty()).then(|| tag.to_string()),
                    product_id: Some(product_id.to_string()),
                    product_name: Some(template.name.to_string()),
                    usage_type_code: Some(spec.usage_code.to_string()),
                    available_amount: Some(Amount(available)),
                    remaining_amount: Some(Amount(available - used)),
                    used_amount: Some(Amount(used)),
                    measure_id: Some(spec.measure_id),
                    effective_time: Some(timestamp(*hour)),
                    expire_time: Some(timestamp(hour + HOUR)),
                },
            });
            available -= used;
        }
        items.push(item);
    }
    let mut package = Package {
        customer_id: customer_id.to_string(),
        info: types::FreeResourcePackageV3 {
            order_instance_id: Some(format!(
                "{:05}-{:016x}-{:04}",
                rng.u32(..100_000),
                rng.u64(..),
                1 + rng.u32(..9)
            )),
            order_id: (source_type == 0).then(|| order_id(rng, effective)),
            product_id: Some(product_id.to_string()),
            product_name: Some(template.name.to_string()),
            enterprise_project_scope: Some(i32::from(project != "0")),
            enterprise_project_id: Some(project),
            effective_time: Some(timestamp(effective)),
            expire_time: Some(timestamp(expire)),
            status: Some(status),
            service_type_code: Some(service.clone()),
            service_type_name: world
                .service_type(&service)
                .and_then(|s| s.service_type_name.clone()),
            region_code: Some(region.to_string()),
            source_type: Some(source_type),
            bundle_type: Some(template.bundle.to_string()),
            quota_reuse_mode: Some(if template.reuse.is_some() { 1 } else { 2 }),
            free_resources: Vec::new(),
        },
        items,
        effective,
        expire,
        reuse: template.reuse,
    };
    if drain
        && package
            .items
            .iter()
            .all(|item| remaining(&package, item).0.is_zero())
    {
        package.info.status = Some(2);
    }
    package
}

/// The remaining quota of `item` and the window it is counted in: the current reset period of a
/// resettable package (the one holding now, or the last one once it expired), else the package's
/// whole validity. Always the original quota minus what the records in that window used.
fn remaining(package: &Package, item: &Item) -> (Decimal, i64, i64) {
    let (start, end) = match package.reuse {
        Some((cycle, _)) => {
            let at = now().min(package.expire - 1).max(package.effective);
            period_of(package.effective, cycle, at)
        }
        None => (i64::MIN, i64::MAX),
    };
    let used: Decimal = item
        .records
        .iter()
        .filter(|r| (start..end).contains(&r.at))
        .filter_map(|r| r.record.used_amount.map(Amount::value))
        .sum();
    let (start, end) = match package.reuse {
        Some(_) => (start, end),
        None => (package.effective, package.expire),
    };
    (item.original - used, start, end)
}

/// The package as ListFreeResourceInfos answers it, its items' remaining quota included.
fn listed(package: &Package) -> types::FreeResourcePackageV3 {
    let mut info = package.info.clone();
    info.free_resources = package
        .items
        .iter()
        .map(|item| types::FreeResourceV3 {
            free_resource_id: item.detail.free_resource_id.clone(),
            usage_type_name: item.detail.usage_type_name.clone(),
            amount: Some(Amount(remaining(package, item).0)),
            original_amount: Some(Amount(item.original)),
            measure_id: item.detail.measure_id,
        })
        .collect();
    info
}

impl crate::generated::packages::Server for World {
    fn list_free_resource_infos(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let state = &self.groups.packages;
        list_infos(state, call)
    }

    fn list_free_resource_usages(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let state = &self.groups.packages;
        list_usages(state, call)
    }

    fn list_free_resources_usage_records(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let state = &self.groups.packages;
        list_records(state, call)
    }
}

/// A text filter: left out or empty means no filter.
fn filter(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

fn list_infos(state: &State, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::ListFreeResourceInfosReq = body(call)?;
    let region = filter(request.region_code.as_deref().map(String::as_str));
    let order = filter(request.order_id.as_deref().map(String::as_str));
    let product = filter(request.product_id.as_deref().map(String::as_str));
    let name = filter(request.product_name.as_deref().map(String::as_str));
    let project = filter(request.enterprise_project_id.as_deref().map(String::as_str));
    let services: Vec<String> = request
        .service_type_code_list
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
        .collect();
    let oldest = add_months(now(), -18);
    let is = |value: &Option<String>, wanted: Option<&str>| {
        wanted.is_none_or(|w| value.as_deref() == Some(w))
    };
    let found: Vec<&Package> = state
        .packages
        .iter()
        .filter(|p| p.expire >= oldest)
        .filter(|p| is(&p.info.region_code, region))
        .filter(|p| is(&p.info.order_id, order))
        .filter(|p| is(&p.info.product_id, product))
        .filter(|p| is(&p.info.enterprise_project_id, project))
        .filter(|p| {
            name.is_none_or(|n| {
                p.info
                    .product_name
                    .as_deref()
                    .is_some_and(|v| v.contains(n))
            })
        })
        .filter(|p| request.status.is_none_or(|s| p.info.status == Some(s)))
        .filter(|p| {
            services.is_empty()
                || p.info
                    .service_type_code
                    .as_deref()
                    .is_some_and(|c| services.contains(&c.to_lowercase()))
        })
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListFreeResourceInfosResponse {
        free_resource_packages: page.into_iter().map(listed).collect(),
        total_count: Some(total),
    })
}

fn list_usages(state: &State, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::ListFreeResourceUsagesReq = body(call)?;
    if request.free_resource_ids.is_empty() {
        return Err(ApiError::invalid("free_resource_ids: at least one id"));
    }
    let mut answered: Vec<&str> = Vec::new();
    let mut unknown = Vec::new();
    let mut free_resources = Vec::new();
    for id in &request.free_resource_ids {
        let id: &str = id.as_str();
        if answered.contains(&id) {
            continue;
        }
        let found = state.packages.iter().find_map(|p| {
            p.items
                .iter()
                .find(|i| i.detail.free_resource_id.as_deref() == Some(id))
                .map(|i| (p, i))
        });
        match found {
            Some((package, item)) => {
                let (amount, start, end) = remaining(package, item);
                let mut detail = item.detail.clone();
                detail.amount = Some(Amount(amount));
                detail.start_time = Some(timestamp(start));
                detail.end_time = Some(timestamp(end));
                free_resources.push(detail);
                answered.push(id);
            }
            None => unknown.push(id.to_string()),
        }
    }
    if !unknown.is_empty() {
        return Err(ApiError::business(
            "CBC.99003012",
            format!(
                "The resource does not exist: no resource item {}.",
                unknown.join(", ")
            ),
        ));
    }
    json(types::ListFreeResourceUsagesResponse { free_resources })
}

fn list_records(state: &State, call: &Call<'_>) -> Result<Value, ApiError> {
    let day = |name: &str| {
        let text = call.query(name).unwrap_or_default();
        parse_date(text).map(|day| day * DAY).ok_or_else(|| {
            ApiError::invalid(format!("{name}: `{text}` is not a date (YYYY-MM-DD)"))
        })
    };
    let begin = day("deduct_time_begin")?;
    let end = day("deduct_time_end")?;
    if end < begin {
        return Err(ApiError::invalid(
            "deduct_time_end: must not be before deduct_time_begin",
        ));
    }
    if end - begin > 90 * DAY {
        return Err(ApiError::invalid(
            "deduct_time_end: at most 90 days after deduct_time_begin",
        ));
    }
    // Days are in UTC+8: [begin 00:00+08:00, end+1 00:00+08:00).
    let (from, to) = (begin - 8 * HOUR, end + DAY - 8 * HOUR);
    let free_resource = filter(call.query("free_resource_id"));
    let product = filter(call.query("product_id"));
    let resource_type = filter(call.query("resource_type_code"));
    let mut found: Vec<&Record> = state
        .packages
        .iter()
        .filter(|p| product.is_none_or(|w| p.info.product_id.as_deref() == Some(w)))
        .flat_map(|p| &p.items)
        .filter(|i| free_resource.is_none_or(|w| i.detail.free_resource_id.as_deref() == Some(w)))
        .flat_map(|i| &i.records)
        .filter(|r| (from..to).contains(&r.at))
        .filter(|r| resource_type.is_none_or(|w| r.record.resource_type_code.as_deref() == Some(w)))
        .collect();
    found.sort_by(|a, b| {
        b.at.cmp(&a.at)
            .then_with(|| a.record.free_resource_id.cmp(&b.record.free_resource_id))
    });
    let (page, total) = window(&found, call);
    json(types::ListFreeResourcesUsageRecordsResponse {
        free_resource_records: page.into_iter().map(|r| r.record.clone()).collect(),
        total_count: Some(total),
    })
}

// ---- ids ------------------------------------------------------------------------------------

fn uuid(rng: &mut fastrand::Rng) -> String {
    let hex = hex(rng);
    format!(
        "{}-{}-4{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn order_id(rng: &mut fastrand::Rng, at: i64) -> String {
    let (y, m, d) = civil_from_days(at.div_euclid(DAY));
    let letters: String = (0..5).map(|_| rng.char('A'..='Z')).collect();
    format!(
        "CS{:02}{m:02}{d:02}{:04}{letters}",
        y % 100,
        rng.u32(..10_000)
    )
}

fn resource_id(rng: &mut fastrand::Rng, resource: &str, customer_id: &str, i: usize) -> String {
    let short = &customer_id[..customer_id.len().min(8)];
    match resource {
        "obs" => format!("obs-{short}-{}", ["logs", "backup", "media"][i % 3]),
        "cdn" => format!("cdn{i}.c{short}.example.com"),
        "functiongraph" => format!("fn-{short}-{}", ["resize", "notify", "etl"][i % 3]),
        _ => uuid(rng),
    }
}

// ---- time (UTC, seconds since the epoch) ------------------------------------------------------

fn now() -> i64 {
    parse_timestamp(NOW).unwrap_or(0)
}

fn date_start(t: i64) -> i64 {
    t.div_euclid(DAY) * DAY
}

/// The reset period holding `t` of a package effective at `anchor` (periods counted from the
/// subscription: 1 hour, 2 day, 3 week, 4 month, 5 year).
fn period_of(anchor: i64, cycle: i32, t: i64) -> (i64, i64) {
    let fixed = match cycle {
        1 => Some(HOUR),
        2 => Some(DAY),
        3 => Some(7 * DAY),
        _ => None,
    };
    if let Some(len) = fixed {
        let start = anchor + (t - anchor).div_euclid(len) * len;
        return (start, start + len);
    }
    let step = if cycle == 5 { 12 } else { 1 };
    let (ya, ma, _) = civil_from_days(anchor.div_euclid(DAY));
    let (yt, mt, _) = civil_from_days(t.div_euclid(DAY));
    let mut k = ((yt - ya) * 12 + i64::from(mt) - i64::from(ma)).div_euclid(step);
    while k > i64::MIN / 2 && add_months(anchor, k * step) > t {
        k -= 1;
    }
    while add_months(anchor, (k + 1) * step) <= t {
        k += 1;
    }
    (
        add_months(anchor, k * step),
        add_months(anchor, (k + 1) * step),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_periods_follow_calendar_months() {
        let jan31 = parse_timestamp("2024-01-31T08:00:00Z").unwrap();
        let (s, e) = period_of(jan31, 4, parse_timestamp("2024-03-30T00:00:00Z").unwrap());
        assert_eq!(
            (timestamp(s), timestamp(e)),
            ("2024-02-29T08:00:00Z".into(), "2024-03-31T08:00:00Z".into())
        );
    }

    #[test]
    fn packages_expired_18_months_ago_are_kept_but_not_listed() {
        let world = World::seeded(20_240_101);
        let packages = &world.groups.packages.packages;
        let oldest = add_months(now(), -18);
        let hidden = packages.iter().filter(|p| p.expire < oldest).count();
        assert!(hidden > 0 && hidden < packages.len() / 5, "{hidden}");
        assert!(packages.len() > 1200, "{}", packages.len());
        let records: usize = packages
            .iter()
            .flat_map(|p| &p.items)
            .map(|i| i.records.len())
            .sum();
        assert!(records > 3000, "{records}");
    }
}

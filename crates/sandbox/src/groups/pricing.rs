//! The `pricing` group in the sandbox: price inquiries for pay-per-use products, yearly/monthly
//! products and the renewal of yearly/monthly resources.
//!
//! The rate card: every resource type of `world.resource_types` has its specs (VM flavors in a
//! `.linux` and a `.win` variant, disk types, bandwidth and EIP line types, database, cache,
//! load-balancer, cluster and WAF editions, …), each priced by one usage factor (`Duration` or
//! `upflow`) with a pay-per-use unit price (per hour, or per GB of traffic), a monthly price and a
//! yearly price of 10 months (a year costs 10 monthly prices: 1/6 off). Linear products (disks,
//! storage, bandwidth by size) are priced per GB or Mbps of `resource_size`. Windows flavors cost
//! 1.3 times the Linux ones. Some products are sold only one way (traffic only pay-per-use, WAF
//! only yearly/monthly). Three discounts exist: a partner-set discount (607, 10% off every
//! service), a commercial contract discount (605, 15% off ECS, RDS and DCS) and a distributor
//! contract discount (606, 8% off VPC, EVS and OBS).
//!
//! The rating rules:
//! - ListOnDemandResourceRatings: list price = usage (converted to hours or GB from
//!   `usage_measure_id`) × unit price × `subscription_num` (× size for linear products),
//!   truncated to 6 decimals (10 with `inquiry_precision` 1); the best applicable discount applies
//!   (discounts do not stack): `amount` = list price × (1 − discount), truncated likewise, and
//!   `discount_amount` = list price − `amount`. Totals are the sums of the products.
//! - ListRateOnPeriodDetail: list price = monthly (`period_type` 2), yearly (3), monthly/30 per
//!   day (0) or the hourly price (4) × `period_num` × `subscription_num` (× size); one optional
//!   discount result per discount that lowers the price, the largest flagged `best_offer` 1.
//! - ListRenewRateOnPeriod: the sandbox does not look the resources up in the `resources` group.
//!   Any id shaped like a resource id (a UUID or 32 hex digits) is a yearly/monthly resource
//!   whose product is derived from the id (a hash picks a main product among the VM, database,
//!   cache, load-balancer, cluster and WAF specs, plus the system or storage disk it carries, and
//!   with `include_relative_resources` the EIP and bandwidth bound to a VM), so the same id
//!   always costs the same. Other ids do not exist: `fail_resource_infos` with `CBC.99003012`
//!   and HTTP 200.
//!
//! Errors: unknown cloud service type `CBC.50000055`; unknown resource type, spec, region, or a
//! product not sold that way `CBC.50000054`; a project id that is not a 32-hex project id
//! `CBC.99006073`; the same product or resource id twice `CBC.30050012`; prices beyond the
//! decimal range `CBC.6055`; inconsistent input (units, sizes, zones) `CBC.0100`.

use huaweicloud_bss::pricing::types;
use huaweicloud_bss::{Amount, Decimal};
use serde_json::Value;

use crate::reply::{body, json};
use crate::world::World;
use crate::{ApiError, Call};

/// Regions where the products are sold.
pub const REGIONS: &[&str] = &[
    "cn-north-4",
    "cn-north-1",
    "cn-east-3",
    "cn-east-2",
    "cn-south-1",
    "cn-southwest-2",
    "ap-southeast-1",
];

/// Specs by resource type suffix: (resource, spec, usage factor, size unit (0 none, 17 GB,
/// 15 Mbps), pay-per-use unit price, monthly price); "" when not sold that way. VM flavors get
/// a `.linux` and a `.win` variant.
const SPECS: &[(&str, &str, &str, i32, &str, &str)] = &[
    ("vm", "s6.small.1", "Duration", 0, "0.1", "32"),
    ("vm", "s6.medium.2", "Duration", 0, "0.22", "73.6"),
    ("vm", "s6.large.2", "Duration", 0, "0.45", "153.6"),
    ("vm", "s6.xlarge.2", "Duration", 0, "0.9", "307.2"),
    ("vm", "c6.large.2", "Duration", 0, "0.53", "180.5"),
    ("vm", "c6.xlarge.2", "Duration", 0, "1.06", "361"),
    ("vm", "c6.2xlarge.4", "Duration", 0, "2.72", "921.6"),
    ("vm", "m6.large.8", "Duration", 0, "0.98", "329"),
    ("image", "image.private", "Duration", 17, "0.000139", "0.1"),
    ("volume", "SAS", "Duration", 17, "0.00049", "0.35"),
    ("volume", "GPSSD", "Duration", 17, "0.0007", "0.5"),
    ("volume", "SSD", "Duration", 17, "0.0014", "1"),
    ("volume", "ESSD", "Duration", 17, "0.0021", "1.5"),
    ("obs", "obs.standard", "Duration", 17, "0.000139", "0.099"),
    ("obs", "obs.warm", "Duration", 17, "0.000111", "0.08"),
    ("obs", "obs.cold", "Duration", 17, "0.000042", "0.03"),
    ("bandwidth", "12_bgp", "upflow", 0, "0.8", ""),
    ("bandwidth", "19_bgp", "Duration", 15, "0.063", "23"),
    ("bandwidth", "19_sbgp", "Duration", 15, "0.05", "19"),
    ("ip", "5_bgp", "Duration", 0, "0.02", "5"),
    ("ip", "5_sbgp", "Duration", 0, "0.015", "4"),
    (
        "rds.vm",
        "rds.mysql.n1.large.2",
        "Duration",
        0,
        "0.82",
        "398",
    ),
    (
        "rds.vm",
        "rds.mysql.n1.xlarge.2",
        "Duration",
        0,
        "1.64",
        "796",
    ),
    ("rds.vm", "rds.pg.n1.large.2", "Duration", 0, "0.9", "430"),
    ("rds.volume", "CLOUDSSD", "Duration", 17, "0.0011", "0.8"),
    ("rds.volume", "ESSD", "Duration", 17, "0.0021", "1.5"),
    ("elb", "elbv3.basic.1az", "Duration", 0, "0.06", "36"),
    ("elb", "elbv3.basic.2az", "Duration", 0, "0.12", "72"),
    ("cdn", "cdn.traffic", "upflow", 0, "0.2", ""),
    (
        "dcs",
        "redis.single.xu1.large.1",
        "Duration",
        0,
        "0.1",
        "40",
    ),
    (
        "dcs",
        "redis.ha.xu1.large.r2.2",
        "Duration",
        0,
        "0.25",
        "135",
    ),
    ("cce.cluster", "cce.s1.small", "Duration", 0, "0.27", "196"),
    ("cce.cluster", "cce.s2.small", "Duration", 0, "0.41", "297"),
    ("functiongraph", "fgs.128mb", "Duration", 0, "0.0016", ""),
    ("dns", "dns.private.zone", "Duration", 0, "0.0014", "1"),
    ("waf", "waf.standard", "Duration", 0, "", "3880"),
    ("waf", "waf.professional", "Duration", 0, "", "6880"),
];

/// Resource types that are main resources of a renewal.
const MAIN: &[&str] = &["vm", "rds.vm", "dcs", "elb", "cce.cluster", "waf"];

/// Discounts: (type, name, share paid, service suffixes; empty = every service).
const DISCOUNTS: &[(i32, &str, &str, &[&str])] = &[
    (607, "伙伴设置折扣", "0.9", &[]),
    (605, "商务合同折扣", "0.85", &["ec2", "rds", "dcs"]),
    (606, "分销商合同折扣", "0.92", &["vpc", "ebs", "obs"]),
];

/// The price of one spec.
#[derive(Clone, Debug)]
pub struct Rate {
    /// Cloud service type code.
    pub service_type_code: String,
    /// Resource type code.
    pub resource_type_code: String,
    /// Resource spec code.
    pub resource_spec: String,
    /// The usage factor the pay-per-use price is for (`Duration` per hour, `upflow` per GB).
    pub usage_factor: String,
    /// Unit of the size of linear products (17 GB, 15 Mbps).
    pub size_measure_id: Option<i32>,
    /// The pay-per-use product id.
    pub on_demand_product_id: String,
    /// The yearly/monthly product id.
    pub period_product_id: String,
    /// Pay-per-use unit price (per hour or per GB, and per size unit).
    pub on_demand: Option<Decimal>,
    /// Monthly price (per size unit).
    pub monthly: Option<Decimal>,
    /// Yearly price (10 monthly prices).
    pub yearly: Option<Decimal>,
}

/// A discount the partner's customers get.
#[derive(Clone, Debug)]
pub struct Discount {
    /// Discount id.
    pub id: String,
    /// 605 commercial contract, 606 distributor contract, 607 partner-set.
    pub discount_type: i32,
    /// Discount name.
    pub name: String,
    /// The share of the list price paid (0.9 = 10% off).
    pub paid: Decimal,
    /// The cloud service type codes it applies to (empty: all).
    pub services: Vec<String>,
}

impl Discount {
    fn applies(&self, service: &str) -> bool {
        self.services.is_empty() || self.services.iter().any(|s| s == service)
    }
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// The rate card.
    pub rates: Vec<Rate>,
    /// The discounts.
    pub discounts: Vec<Discount>,
}

fn decimal(text: &str) -> Option<Decimal> {
    text.parse().ok()
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut rates = Vec::new();
        let product_id =
            |rng: &mut fastrand::Rng| format!("00301-{:06}-0--0", rng.u32(100_000..1_000_000));
        for resource_type in &world.resource_types {
            let (Some(code), Some(service)) = (
                resource_type.resource_type_code.as_deref(),
                resource_type.service_type_code.as_deref(),
            ) else {
                continue;
            };
            let suffix = code.trim_start_matches("hws.resource.type.");
            for (_, spec, factor, size, on_demand, monthly) in
                SPECS.iter().filter(|s| s.0 == suffix)
            {
                let variants: &[(&str, &str)] = if suffix == "vm" {
                    &[(".linux", "1"), (".win", "1.3")]
                } else {
                    &[("", "1")]
                };
                for (ending, factor_of_price) in variants {
                    let scale = decimal(factor_of_price).unwrap_or(Decimal::ONE);
                    let monthly = decimal(monthly).map(|m| m * scale);
                    rates.push(Rate {
                        service_type_code: service.to_string(),
                        resource_type_code: code.to_string(),
                        resource_spec: format!("{spec}{ending}"),
                        usage_factor: factor.to_string(),
                        size_measure_id: (*size != 0).then_some(*size),
                        on_demand_product_id: product_id(rng),
                        period_product_id: product_id(rng),
                        on_demand: decimal(on_demand).map(|p| p * scale),
                        monthly,
                        yearly: monthly.map(|m| m * Decimal::TEN),
                    });
                }
            }
        }
        let discounts = DISCOUNTS
            .iter()
            .map(|(kind, name, paid, services)| Discount {
                id: format!("{:016x}{:016x}", rng.u64(..), rng.u64(..)),
                discount_type: *kind,
                name: name.to_string(),
                paid: decimal(paid).unwrap_or(Decimal::ONE),
                services: services
                    .iter()
                    .map(|s| format!("hws.service.type.{s}"))
                    .collect(),
            })
            .collect();
        State { rates, discounts }
    }

    /// The rate of a product, or the documented business error.
    fn rate(
        &self,
        world: &World,
        service: &str,
        resource: &str,
        spec: &str,
        region: &str,
    ) -> Result<&Rate, ApiError> {
        let service = world
            .service_types
            .iter()
            .filter_map(|s| s.service_type_code.as_deref())
            .find(|s| s.eq_ignore_ascii_case(service))
            .ok_or_else(|| {
                ApiError::business(
                    "CBC.50000055",
                    format!("The cloud service type does not exist: {service}."),
                )
            })?;
        let owner = world
            .resource_types
            .iter()
            .find(|r| {
                r.resource_type_code
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(resource))
            })
            .and_then(|r| r.service_type_code.as_deref())
            .ok_or_else(|| {
                ApiError::business(
                    "CBC.50000054",
                    format!("The product does not exist: no resource type {resource}."),
                )
            })?;
        if owner != service {
            return Err(ApiError::business(
                "CBC.50000054",
                format!("The product does not exist: {resource} is not a resource of {service}."),
            ));
        }
        if !REGIONS.contains(&region) {
            return Err(ApiError::business(
                "CBC.50000054",
                format!("The product does not exist: nothing is sold in region {region}."),
            ));
        }
        self.rates
            .iter()
            .find(|r| {
                r.resource_type_code.eq_ignore_ascii_case(resource) && r.resource_spec == spec
            })
            .ok_or_else(|| {
                ApiError::business(
                    "CBC.50000054",
                    format!("The product does not exist: {resource} has no spec {spec}."),
                )
            })
    }

    fn discount_for(&self, service: &str) -> Option<&Discount> {
        self.discounts
            .iter()
            .filter(|d| d.applies(service))
            .min_by(|a, b| a.paid.cmp(&b.paid))
    }
}

impl crate::generated::pricing::Server for World {
    fn list_on_demand_resource_ratings(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        on_demand(self, call)
    }

    fn list_rate_on_period_detail(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        period(self, call)
    }

    fn list_renew_rate_on_period(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        renew(self, call)
    }
}

// ---- exact arithmetic ---------------------------------------------------------------------

fn too_large() -> ApiError {
    ApiError::business("CBC.6055", "The price exceeds the maximum.")
}

/// The product of the factors, or `CBC.6055` beyond the decimal range.
fn product(factors: &[Decimal]) -> Result<Decimal, ApiError> {
    factors
        .iter()
        .try_fold(Decimal::ONE, |acc, f| acc.checked_mul(*f))
        .ok_or_else(too_large)
}

fn divide(value: Decimal, by: Decimal) -> Result<Decimal, ApiError> {
    value.checked_div(by).ok_or_else(too_large)
}

fn sum<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Result<Decimal, ApiError> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(*v))
        .ok_or_else(too_large)
}

/// The price after a discount paying `paid` of `official`, truncated to `scale` decimals, and the
/// discount.
fn discounted(
    official: Decimal,
    paid: Decimal,
    scale: u32,
) -> Result<(Decimal, Decimal), ApiError> {
    let amount = product(&[official, paid])?.trunc_with_scale(scale);
    Ok((amount, official - amount))
}

fn amount(value: Decimal) -> Option<Amount> {
    Some(Amount(value.normalize()))
}

// ---- checks shared by the inquiries ----------------------------------------------------------

fn check_project(project_id: &str) -> Result<(), ApiError> {
    if project_id.len() == 32 && project_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ApiError::business(
            "CBC.99006073",
            format!("The project does not exist: {project_id}."),
        ))
    }
}

fn check_unique<'a>(ids: impl IntoIterator<Item = &'a str>, what: &str) -> Result<(), ApiError> {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if seen.contains(&id) {
            return Err(ApiError::business(
                "CBC.30050012",
                format!("Duplicate {what}: {id}."),
            ));
        }
        seen.push(id);
    }
    Ok(())
}

fn check_zone(zone: Option<&str>, region: &str, id: &str) -> Result<(), ApiError> {
    match zone.filter(|z| !z.is_empty()) {
        Some(z)
            if !z
                .to_ascii_lowercase()
                .starts_with(&region.to_ascii_lowercase()) =>
        {
            Err(ApiError::invalid(format!(
                "product_infos[{id}].available_zone: {z} is not a zone of {region}"
            )))
        }
        _ => Ok(()),
    }
}

fn check_count(value: i32, name: &str, id: &str) -> Result<Decimal, ApiError> {
    if value < 1 {
        return Err(ApiError::invalid(format!(
            "product_infos[{id}].{name}: must be at least 1"
        )));
    }
    Ok(Decimal::from(value))
}

/// The size a linear product is priced by (1 for the others).
fn size(rate: &Rate, size: Option<i32>, unit: Option<i32>, id: &str) -> Result<Decimal, ApiError> {
    let Some(expected) = rate.size_measure_id else {
        return Ok(Decimal::ONE);
    };
    let size = size.filter(|s| *s > 0).ok_or_else(|| {
        ApiError::invalid(format!(
            "product_infos[{id}].resource_size: required (at least 1) for {}",
            rate.resource_spec
        ))
    })?;
    if unit != Some(expected) {
        return Err(ApiError::invalid(format!(
            "product_infos[{id}].size_measure_id: {} is sized in unit {expected}",
            rate.resource_spec
        )));
    }
    Ok(Decimal::from(size))
}

// ---- ListOnDemandResourceRatings -------------------------------------------------------------

/// How many hours (Duration) or GB (upflow) one unit of `measure_id` is, as a fraction.
fn usage_ratio(factor: &str, measure_id: i32) -> Option<(Decimal, Decimal)> {
    let ratio = |n: i64, d: i64| Some((Decimal::from(n), Decimal::from(d)));
    match (factor, measure_id) {
        ("Duration", 4) => ratio(1, 1),
        ("Duration", 5) => ratio(24, 1),
        ("Duration", 6) => ratio(1, 60),
        ("Duration", 7) => ratio(1, 3600),
        ("upflow", 14) => ratio(1024, 1),
        ("upflow", 10) => ratio(1, 1),
        ("upflow", 11) => ratio(1, 1024),
        ("upflow", 12) => ratio(1, 1024 * 1024),
        ("upflow", 13) => ratio(1, 1024 * 1024 * 1024),
        _ => None,
    }
}

fn on_demand(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::RateOnDemandReq = body(call)?;
    let state = &world.groups.pricing;
    check_project(&request.project_id)?;
    if request.product_infos.is_empty() {
        return Err(ApiError::invalid("product_infos: at least one product"));
    }
    check_unique(
        request.product_infos.iter().map(|p| p.id.as_str()),
        "product id",
    )?;
    let scale = if request.inquiry_precision == Some(1) {
        10
    } else {
        6
    };
    let mut results = Vec::new();
    for p in &request.product_infos {
        let rate = state.rate(
            world,
            &p.cloud_service_type,
            &p.resource_type,
            &p.resource_spec,
            &p.region,
        )?;
        check_zone(p.available_zone.as_deref(), &p.region, &p.id)?;
        if !rate.usage_factor.eq_ignore_ascii_case(&p.usage_factor) {
            return Err(ApiError::business(
                "CBC.50000054",
                format!(
                    "The product does not exist: {} is priced by {}, not {}.",
                    rate.resource_spec, rate.usage_factor, p.usage_factor
                ),
            ));
        }
        let price = rate.on_demand.ok_or_else(|| {
            ApiError::business(
                "CBC.50000054",
                format!(
                    "The product does not exist: {} is not sold pay-per-use.",
                    rate.resource_spec
                ),
            )
        })?;
        let (per, of) = usage_ratio(&rate.usage_factor, p.usage_measure_id).ok_or_else(|| {
            ApiError::invalid(format!(
                "product_infos[{}].usage_measure_id: {} does not measure {}",
                p.id, p.usage_measure_id, rate.usage_factor
            ))
        })?;
        let usage = p.usage_value.value();
        if usage.is_sign_negative() && !usage.is_zero() {
            return Err(ApiError::invalid(format!(
                "product_infos[{}].usage_value: must not be negative",
                p.id
            )));
        }
        let quantity = check_count(p.subscription_num, "subscription_num", &p.id)?;
        let size = size(rate, p.resource_size, p.size_measure_id, &p.id)?;
        let official =
            divide(product(&[usage, per, price, quantity, size])?, of)?.trunc_with_scale(scale);
        let discount = state.discount_for(&rate.service_type_code);
        let (paid, discounts) = match discount {
            Some(d) => {
                let (paid, off) = discounted(official, d.paid, scale)?;
                let applied = (!off.is_zero()).then(|| types::DemandDiscountRatingResult {
                    discount_id: Some(d.id.clone()),
                    discount_type: Some(d.discount_type),
                    amount: amount(off),
                    measure_id: Some(1),
                    discount_name: Some(d.name.clone()),
                });
                (paid, applied.into_iter().collect())
            }
            None => (official, Vec::new()),
        };
        results.push((p.id.clone(), rate, official, paid, discounts));
    }
    let official = sum(results.iter().map(|r| &r.2))?;
    let paid = sum(results.iter().map(|r| &r.3))?;
    json(types::ListOnDemandResourceRatingsResponse {
        amount: amount(paid),
        discount_amount: amount(official - paid),
        official_website_amount: amount(official),
        measure_id: Some(1),
        currency: Some("CNY".to_string()),
        product_rating_results: results
            .into_iter()
            .map(
                |(id, rate, official, paid, discounts)| types::DemandProductRatingResult {
                    id: Some(id),
                    product_id: Some(rate.on_demand_product_id.clone()),
                    amount: amount(paid),
                    discount_amount: amount(official - paid),
                    official_website_amount: amount(official),
                    measure_id: Some(1),
                    discount_rating_results: discounts,
                },
            )
            .collect(),
    })
}

// ---- ListRateOnPeriodDetail --------------------------------------------------------------------

/// The list price of `periods` periods of `period_type` for one unit of size of `rate`.
fn period_price(rate: &Rate, period_type: i32, id: &str) -> Result<Decimal, ApiError> {
    let not_sold = || {
        ApiError::business(
            "CBC.50000054",
            format!(
                "The product does not exist: {} is not sold by this period.",
                rate.resource_spec
            ),
        )
    };
    match period_type {
        2 => rate.monthly.ok_or_else(not_sold),
        3 => rate.yearly.ok_or_else(not_sold),
        0 => divide(rate.monthly.ok_or_else(not_sold)?, Decimal::from(30)),
        4 => rate
            .on_demand
            .filter(|_| rate.monthly.is_some())
            .ok_or_else(not_sold),
        other => Err(ApiError::invalid(format!(
            "product_infos[{id}].period_type: {other} is not 0 (day), 2 (month), 3 (year) or 4 (hour)"
        ))),
    }
}

fn period(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::RateOnPeriodReq = body(call)?;
    let state = &world.groups.pricing;
    check_project(&request.project_id)?;
    if request.product_infos.is_empty() {
        return Err(ApiError::invalid("product_infos: at least one product"));
    }
    check_unique(
        request.product_infos.iter().map(|p| p.id.as_str()),
        "product id",
    )?;
    let mut priced = Vec::new();
    for p in &request.product_infos {
        let rate = state.rate(
            world,
            &p.cloud_service_type,
            &p.resource_type,
            &p.resource_spec,
            &p.region,
        )?;
        check_zone(p.available_zone.as_deref(), &p.region, &p.id)?;
        match p.fee_installment_mode.as_deref() {
            None | Some("") | Some("NA") => {}
            Some("HALF_PAY" | "ZERO_PAY") => {
                return Err(ApiError::invalid(format!(
                    "product_infos[{}].fee_installment_mode: instalments are for CloudPond products only",
                    p.id
                )));
            }
            Some(other) => {
                return Err(ApiError::invalid(format!(
                    "product_infos[{}].fee_installment_mode: {other} is not HALF_PAY, ZERO_PAY or NA",
                    p.id
                )));
            }
        }
        let price = period_price(rate, p.period_type, &p.id)?;
        let periods = check_count(p.period_num, "period_num", &p.id)?;
        let quantity = check_count(p.subscription_num, "subscription_num", &p.id)?;
        let size = size(rate, p.resource_size, p.size_measure_id, &p.id)?;
        let official = product(&[price, periods, quantity, size])?.trunc_with_scale(6);
        priced.push((p.id.clone(), rate, official));
    }
    let official = sum(priced.iter().map(|p| &p.2))?;
    let mut options = Vec::new();
    for discount in &state.discounts {
        let mut products = Vec::new();
        for (id, rate, official) in &priced {
            let (paid, off) = if discount.applies(&rate.service_type_code) {
                discounted(*official, discount.paid, 6)?
            } else {
                (*official, Decimal::ZERO)
            };
            products.push(types::PeriodProductRatingResult {
                id: Some(id.clone()),
                product_id: Some(rate.period_product_id.clone()),
                amount: amount(paid),
                official_website_amount: amount(*official),
                discount_amount: amount(off),
                measure_id: Some(1),
                ..Default::default()
            });
        }
        let off = sum(products
            .iter()
            .filter_map(|p| p.discount_amount.as_ref().map(|a| &a.0)))?;
        if off.is_zero() {
            continue;
        }
        options.push(types::OptionalDiscountRatingResult {
            discount_id: Some(discount.id.clone()),
            amount: amount(official - off),
            official_website_amount: amount(official),
            discount_amount: amount(off),
            measure_id: Some(1),
            discount_type: Some(discount.discount_type),
            discount_name: Some(discount.name.clone()),
            best_offer: Some(0),
            product_rating_results: products,
            ..Default::default()
        });
    }
    flag_best(options.iter_mut().map(|o| {
        (
            o.discount_amount.map(Amount::value).unwrap_or_default(),
            &mut o.best_offer,
        )
    }));
    json(types::ListRateOnPeriodDetailResponse {
        official_website_rating_result: Some(types::OfficialWebsiteRatingResult {
            official_website_amount: amount(official),
            measure_id: Some(1),
            product_rating_results: priced
                .iter()
                .map(
                    |(id, rate, official)| types::PeriodProductOfficialRatingResult {
                        id: Some(id.clone()),
                        product_id: Some(rate.period_product_id.clone()),
                        official_website_amount: amount(*official),
                        measure_id: Some(1),
                        ..Default::default()
                    },
                )
                .collect(),
            ..Default::default()
        }),
        optional_discount_rating_results: options,
        currency: Some("CNY".to_string()),
    })
}

/// Flags the largest discount (the first of equals) as the best offer.
fn flag_best<'a>(options: impl Iterator<Item = (Decimal, &'a mut Option<i32>)>) {
    let mut best: Option<(Decimal, &'a mut Option<i32>)> = None;
    for (off, flag) in options {
        if best.as_ref().is_none_or(|(b, _)| off > *b) {
            best = Some((off, flag));
        }
    }
    if let Some((_, flag)) = best {
        *flag = Some(1);
    }
}

// ---- ListRenewRateOnPeriod -------------------------------------------------------------------

/// A UUID or 32 hex digits: the shapes of the resource ids the sandbox knows.
fn is_resource_id(id: &str) -> bool {
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    let parts: Vec<&str> = id.split('-').collect();
    match parts[..] {
        [whole] => whole.len() == 32 && hex(whole),
        [a, b, c, d, e] => {
            [a.len(), b.len(), c.len(), d.len(), e.len()] == [8, 4, 4, 4, 12]
                && parts.iter().all(|p| hex(p))
        }
        _ => false,
    }
}

/// FNV-1a of the lower-cased id: the same id always picks the same products.
fn fnv(id: &str) -> u64 {
    id.to_ascii_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The products a renewal of `id` covers: its main product, the disk it carries, and with
/// `relative` the EIP and bandwidth bound to a VM; each with the size it is priced by.
fn renewed<'a>(state: &'a State, id: &str, relative: bool) -> Vec<(&'a Rate, Decimal)> {
    let h = fnv(id);
    let mains: Vec<&Rate> = state
        .rates
        .iter()
        .filter(|r| {
            r.monthly.is_some()
                && r.size_measure_id.is_none()
                && MAIN.contains(
                    &r.resource_type_code
                        .trim_start_matches("hws.resource.type."),
                )
        })
        .collect();
    let Some(main) = mains.get((h % mains.len().max(1) as u64) as usize) else {
        return Vec::new();
    };
    let find = |resource: &str, spec: &str| {
        state.rates.iter().find(|r| {
            r.resource_type_code == format!("hws.resource.type.{resource}")
                && r.resource_spec == spec
        })
    };
    let step = i64::try_from((h >> 20) % 5).unwrap_or(0);
    let mut parts = vec![(*main, Decimal::ONE)];
    match main.resource_type_code.as_str() {
        "hws.resource.type.vm" => {
            parts.extend(find("volume", "SSD").map(|r| (r, Decimal::from(40 + 10 * step))));
            if relative {
                parts.extend(find("ip", "5_bgp").map(|r| (r, Decimal::ONE)));
                let mbps = 1 + i64::try_from((h >> 28) % 10).unwrap_or(0);
                parts.extend(find("bandwidth", "19_bgp").map(|r| (r, Decimal::from(mbps))));
            }
        }
        "hws.resource.type.rds.vm" => {
            parts
                .extend(find("rds.volume", "CLOUDSSD").map(|r| (r, Decimal::from(40 + 20 * step))));
        }
        _ => {}
    }
    parts
}

fn renew(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::ListRenewRateOnPeriodReq = body(call)?;
    let state = &world.groups.pricing;
    if request.resource_ids.is_empty() {
        return Err(ApiError::invalid("resource_ids: at least one resource id"));
    }
    let periods = request.period_num.get();
    if request.period_type == 3 && periods > 3 {
        return Err(ApiError::invalid(
            "period_num: a renewal is 1 to 3 years (period_type 3)",
        ));
    }
    check_unique(
        request.resource_ids.iter().map(String::as_str),
        "resource id",
    )?;
    let relative = request.include_relative_resources == Some(true);
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for id in &request.resource_ids {
        let parts = if is_resource_id(id) {
            renewed(state, id, relative)
        } else {
            Vec::new()
        };
        if parts.is_empty() {
            failures.push(types::FailResourceInfo {
                error_code: Some("CBC.99003012".to_string()),
                error_msg: Some("The resource ID does not exist.".to_string()),
                resource_id: Some(id.clone()),
            });
            continue;
        }
        let mut priced = Vec::new();
        for (rate, size) in parts {
            let price = if request.period_type == 3 {
                rate.yearly
            } else {
                rate.monthly
            }
            .unwrap_or_default();
            let official = product(&[price, size, Decimal::from(periods)])?.trunc_with_scale(6);
            priced.push((rate, official));
        }
        results.push((id.clone(), priced));
    }
    let official = sum(results.iter().flat_map(|(_, p)| p.iter().map(|(_, o)| o)))?;
    let mut options = Vec::new();
    for discount in &state.discounts {
        let mut off = Decimal::ZERO;
        for (rate, price) in results.iter().flat_map(|(_, p)| p) {
            if discount.applies(&rate.service_type_code) {
                off = off
                    .checked_add(discounted(*price, discount.paid, 6)?.1)
                    .ok_or_else(too_large)?;
            }
        }
        if off.is_zero() {
            continue;
        }
        options.push(types::OptionalDiscountRatingResultV2 {
            discount_id: Some(discount.id.clone()),
            amount: amount(official - off),
            official_website_amount: amount(official),
            discount_amount: amount(off),
            discount_type: Some(discount.discount_type),
            discount_name: Some(discount.name.clone()),
            best_offer: Some(0),
            ..Default::default()
        });
    }
    flag_best(options.iter_mut().map(|o| {
        (
            o.discount_amount.map(Amount::value).unwrap_or_default(),
            &mut o.best_offer,
        )
    }));
    let mut renew_inquiry_results = Vec::new();
    for (id, priced) in &results {
        renew_inquiry_results.push(types::RenewInquiryResultInfo {
            resource_id: Some(id.clone()),
            amount: amount(sum(priced.iter().map(|(_, o)| o))?),
        });
    }
    json(types::ListRenewRateOnPeriodResponse {
        currency: Some("CNY".to_string()),
        renew_inquiry_results,
        official_website_rating_result: Some(types::OfficialWebsiteRatingResultV2 {
            official_website_amount: amount(official),
            ..Default::default()
        }),
        optional_discount_rating_results: options,
        fail_resource_infos: failures,
    })
}

//! The catalog: service, resource and usage types, units and resource specifications.

use huaweicloud_bss::catalog::types as catalog;
use serde_json::Value;

use crate::reply::{body, contains, json, window};
use crate::world::World;
use crate::{ApiError, Call};

impl crate::generated::catalog::Server for World {
    fn list_service_types(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let name = call.text("service_type_name");
        let found: Vec<_> = world
            .service_types
            .iter()
            .filter(|s| contains(&s.service_type_name, name.as_deref()))
            .cloned()
            .collect();
        let (page, total) = window(&found, call);
        json(catalog::ListServiceTypesResponse {
            total_count: Some(total),
            service_types: page,
        })
    }

    fn list_resource_types(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let (page, total) = window(&world.resource_types, call);
        json(catalog::ListResourceTypesResponse {
            total_count: Some(total),
            resource_types: page,
        })
    }

    fn list_service_resources(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let service = call.text("service_type_code");
        let found: Vec<_> = world
            .resource_types
            .iter()
            .filter(|r| r.service_type_code == service)
            .map(|r| catalog::ServiceResourceInfo {
                basic_info: Some(catalog::ResourceBasicInfo {
                    resource_type_code: r.resource_type_code.clone(),
                    name: r.resource_type_name.clone(),
                    description: r.resource_type_desc.clone(),
                    product_owner_service: r.service_type_code.clone(),
                }),
            })
            .collect();
        let (page, total) = window(&found, call);
        json(catalog::ListServiceResourcesResponse {
            total_count: Some(total),
            infos: page,
        })
    }

    fn list_usage_types(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        // Absent: no filter; present, even empty: a filter.
        let resource = call.query("resource_type_code");
        let found: Vec<_> = world
            .usage_types
            .iter()
            .filter(|u| resource.is_none_or(|r| u.resource_type_code.as_deref() == Some(r)))
            .cloned()
            .collect();
        let (page, total) = window(&found, call);
        json(catalog::ListUsageTypesResponse {
            total_count: Some(total),
            usage_types: page,
        })
    }

    fn list_measure_units(&mut self, _call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        json(catalog::ListMeasureUnitsResponse {
            measure_units: world.measure_units.clone(),
        })
    }

    fn list_conversions(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let kind = call
            .query("measure_type")
            .and_then(|t| t.parse::<i32>().ok());
        let found = world
            .conversions
            .iter()
            .filter(|c| kind.is_none_or(|k| c.measure_type == Some(k)))
            .cloned()
            .collect();
        json(catalog::ListConversionsResponse { conversions: found })
    }

    fn list_resource_specs(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_resource_specs(self, call)
    }
}

/// Resource specifications by resource type code suffix: (code, name). Types not listed have a
/// `.standard` specification.
const SPECS: &[(&str, &[(&str, &str)])] = &[
    (
        "vm",
        &[
            (
                "s6.small.1.linux",
                "通用计算型 s6.small.1 1vCPUs 1GiB Linux",
            ),
            (
                "s6.medium.2.linux",
                "通用计算型 s6.medium.2 1vCPUs 2GiB Linux",
            ),
            (
                "s6.large.2.linux",
                "通用计算型 s6.large.2 2vCPUs 4GiB Linux",
            ),
            (
                "s6.xlarge.2.linux",
                "通用计算型 s6.xlarge.2 4vCPUs 8GiB Linux",
            ),
            (
                "s6.large.2.win",
                "通用计算型 s6.large.2 2vCPUs 4GiB Windows",
            ),
            (
                "c6.large.2.linux",
                "通用计算增强型 c6.large.2 2vCPUs 4GiB Linux",
            ),
            (
                "c6.xlarge.2.linux",
                "通用计算增强型 c6.xlarge.2 4vCPUs 8GiB Linux",
            ),
            (
                "c6.2xlarge.4.linux",
                "通用计算增强型 c6.2xlarge.4 8vCPUs 32GiB Linux",
            ),
            (
                "c6.2xlarge.4.win",
                "通用计算增强型 c6.2xlarge.4 8vCPUs 32GiB Windows",
            ),
            (
                "m6.large.8.linux",
                "内存优化型 m6.large.8 2vCPUs 16GiB Linux",
            ),
            (
                "m6.xlarge.8.linux",
                "内存优化型 m6.xlarge.8 4vCPUs 32GiB Linux",
            ),
            (
                "m6.xlarge.8.win",
                "内存优化型 m6.xlarge.8 4vCPUs 32GiB Windows",
            ),
        ],
    ),
    (
        "image",
        &[
            ("ims.private.image", "私有镜像"),
            ("ims.market.image", "市场镜像"),
        ],
    ),
    (
        "volume",
        &[
            ("SATA", "普通IO"),
            ("SAS", "高IO"),
            ("SSD", "超高IO"),
            ("GPSSD", "通用型SSD"),
            ("ESSD", "极速型SSD"),
        ],
    ),
    (
        "obs",
        &[
            ("obs.standard", "标准存储"),
            ("obs.warm", "低频访问存储"),
            ("obs.cold", "归档存储"),
        ],
    ),
    (
        "bandwidth",
        &[
            ("19_bgp", "全动态BGP带宽"),
            ("19_sbgp", "静态BGP带宽"),
            ("19_share", "共享带宽"),
        ],
    ),
    (
        "ip",
        &[
            ("5_bgp", "全动态BGP弹性公网IP"),
            ("5_sbgp", "静态BGP弹性公网IP"),
        ],
    ),
    (
        "rds.vm",
        &[
            ("rds.mysql.n1.large.2", "MySQL 单机 2vCPUs 4GiB"),
            ("rds.mysql.n1.large.2.ha", "MySQL 主备 2vCPUs 4GiB"),
            ("rds.mysql.n1.xlarge.4.ha", "MySQL 主备 4vCPUs 16GiB"),
            ("rds.pg.n1.large.2.ha", "PostgreSQL 主备 2vCPUs 4GiB"),
        ],
    ),
    (
        "rds.volume",
        &[("CLOUDSSD", "SSD云盘"), ("ULTRAHIGH", "超高IO云盘")],
    ),
    (
        "elb",
        &[
            ("elbv3.basic.1az", "独享型 基础版 单可用区"),
            ("elbv3.standard.2az", "独享型 标准版 双可用区"),
            ("L7_flavor.elb.s1.small", "独享型 应用型(HTTP/HTTPS) 小型I"),
        ],
    ),
    (
        "cdn",
        &[
            ("cdn.flow.mainland", "中国大陆流量"),
            ("cdn.flow.overseas", "中国大陆境外流量"),
        ],
    ),
    (
        "dcs",
        &[
            ("redis.ha.xu1.large.r2.1", "Redis 主备 1GB"),
            ("redis.ha.xu1.large.r2.2", "Redis 主备 2GB"),
            ("redis.cluster.xu1.large.4", "Redis 集群 4GB"),
        ],
    ),
    (
        "cce.cluster",
        &[
            ("cce.s1.small", "CCE 单控制节点 50节点"),
            ("cce.s2.medium", "CCE 多控制节点 200节点"),
            ("cce.s2.large", "CCE 多控制节点 1000节点"),
        ],
    ),
    (
        "functiongraph",
        &[
            ("fgs.invocation", "函数调用次数"),
            ("fgs.duration.128", "函数执行时间 128MB"),
        ],
    ),
    (
        "dns",
        &[
            ("dns.public.zone", "公网域名"),
            ("dns.private.zone", "内网域名"),
        ],
    ),
    (
        "waf",
        &[
            ("waf.standard", "WAF 标准版"),
            ("waf.professional", "WAF 专业版"),
            ("waf.enterprise", "WAF 企业版"),
        ],
    ),
];

/// The regions specifications are sold in (none elsewhere).
const SPEC_REGIONS: &[&str] = &[
    "cn-north-4",
    "cn-east-3",
    "cn-south-1",
    "ap-southeast-1",
    "ap-southeast-3",
];

/// Resource types billed by usage only (no yearly/monthly specifications).
const USAGE_ONLY: &[&str] = &["obs", "cdn", "functiongraph"];

/// The specifications on sale for a cloud service type, resource type, region and charging
/// mode, in catalog order; the marker is the last specification of the previous page.
fn list_resource_specs(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: catalog::ResourceSpecsQueryReq = body(call)?;
    let mode = request.charge_mode.as_str();
    if mode != "1" && mode != "3" {
        return Err(ApiError::invalid(format!(
            "charge_mode: `{mode}` is not 1 (yearly/monthly) or 3 (pay-per-use)"
        )));
    }
    let region = request.region_code.as_str();
    let region_index = SPEC_REGIONS.iter().position(|r| *r == region);
    let wanted = request
        .filters
        .iter()
        .find(|f| f.key == catalog::ResourceSpecsFilterKey::ResourceSpec)
        .map(|f| f.value.as_str());
    let service = world.service_type(&request.cloud_service_type);
    let resource = world.resource_types.iter().find(|r| {
        r.resource_type_code.as_deref() == Some(request.resource_type.as_str())
            && r.service_type_code.as_deref() == Some(request.cloud_service_type.as_str())
    });
    let mut found = Vec::new();
    if let (Some(service), Some(resource)) = (service, resource) {
        let suffix = request
            .resource_type
            .strip_prefix("hws.resource.type.")
            .unwrap_or(request.resource_type.as_str());
        let fallback = [(format!("{suffix}.standard"), "标准规格".to_string())];
        let specs: Vec<(String, String)> = SPECS
            .iter()
            .find(|(s, _)| *s == suffix)
            .map(|(_, specs)| {
                specs
                    .iter()
                    .map(|(c, n)| (c.to_string(), n.to_string()))
                    .collect()
            })
            .unwrap_or_else(|| fallback.to_vec());
        let on_sale = mode == "3" || !USAGE_ONLY.contains(&suffix);
        for (index, (code, name)) in specs.into_iter().enumerate() {
            // Not every specification is sold in every region.
            let in_region = region_index.is_some_and(|r| index == 0 || (index + r) % 5 != 4);
            if !on_sale || !in_region || wanted.is_some_and(|w| w != code) {
                continue;
            }
            found.push(catalog::CloudServiceBasic {
                cloud_service_type: service.service_type_code.clone(),
                cloud_service_type_name: service.service_type_name.clone(),
                resource_type: resource.resource_type_code.clone(),
                resource_type_name: resource.resource_type_name.clone(),
                resource_spec: Some(code),
                resource_spec_name: Some(name),
                charge_mode: Some(mode.to_string()),
                region_code: Some(region.to_string()),
            });
        }
    }
    let start = match request.marker.as_deref() {
        None => 0,
        Some(marker) => {
            found
                .iter()
                .position(|s| s.resource_spec.as_deref() == Some(marker.as_str()))
                .ok_or_else(|| {
                    ApiError::invalid(format!(
                        "marker: `{}` is not a specification of this query (pass page_info.next_marker unchanged, with the same other fields)",
                        marker.as_str()
                    ))
                })?
                + 1
        }
    };
    let limit = request.limit.map_or(100, |l| l.get().min(100) as usize);
    let page: Vec<_> = found.iter().skip(start).take(limit).cloned().collect();
    let more = start + page.len() < found.len();
    json(catalog::ListResourceSpecsResponse {
        page_info: Some(catalog::PageInfo {
            next_marker: if more {
                page.last().and_then(|s| s.resource_spec.clone())
            } else {
                None
            },
        }),
        cloud_service_basics: page,
    })
}

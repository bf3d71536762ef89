//! The sandbox's data: made deterministically from a seed, held in the generated types, and
//! changed by the write operations.

use huaweicloud_bss::catalog::types as catalog;
use huaweicloud_bss::customers::types as customers;
use huaweicloud_bss::geography::types as geography;

use crate::ApiError;
use crate::groups::Groups;
use crate::ids::hex;

/// The 34 provincial divisions of China with their GB/T 2260 codes, a few real cities each, and
/// district name stems for the counties.
const PROVINCES: &[(&str, &str, &[&str])] = &[
    ("11", "北京市", &["北京市"]),
    ("12", "天津市", &["天津市"]),
    ("13", "河北省", &["石家庄市", "唐山市", "保定市", "邯郸市"]),
    ("14", "山西省", &["太原市", "大同市", "运城市"]),
    (
        "15",
        "内蒙古自治区",
        &["呼和浩特市", "包头市", "鄂尔多斯市"],
    ),
    ("21", "辽宁省", &["沈阳市", "大连市", "鞍山市"]),
    ("22", "吉林省", &["长春市", "吉林市", "延边朝鲜族自治州"]),
    ("23", "黑龙江省", &["哈尔滨市", "齐齐哈尔市", "大庆市"]),
    ("31", "上海市", &["上海市"]),
    (
        "32",
        "江苏省",
        &["南京市", "苏州市", "无锡市", "常州市", "南通市"],
    ),
    (
        "33",
        "浙江省",
        &["杭州市", "宁波市", "温州市", "嘉兴市", "绍兴市"],
    ),
    ("34", "安徽省", &["合肥市", "芜湖市", "蚌埠市"]),
    ("35", "福建省", &["福州市", "厦门市", "泉州市"]),
    ("36", "江西省", &["南昌市", "赣州市", "九江市"]),
    ("37", "山东省", &["济南市", "青岛市", "烟台市", "潍坊市"]),
    ("41", "河南省", &["郑州市", "洛阳市", "开封市"]),
    ("42", "湖北省", &["武汉市", "宜昌市", "襄阳市"]),
    ("43", "湖南省", &["长沙市", "株洲市", "岳阳市"]),
    (
        "44",
        "广东省",
        &["广州市", "深圳市", "珠海市", "佛山市", "东莞市", "惠州市"],
    ),
    ("45", "广西壮族自治区", &["南宁市", "柳州市", "桂林市"]),
    ("46", "海南省", &["海口市", "三亚市"]),
    ("50", "重庆市", &["重庆市"]),
    ("51", "四川省", &["成都市", "绵阳市", "宜宾市"]),
    ("52", "贵州省", &["贵阳市", "遵义市"]),
    ("53", "云南省", &["昆明市", "大理白族自治州", "丽江市"]),
    ("54", "西藏自治区", &["拉萨市", "日喀则市"]),
    ("61", "陕西省", &["西安市", "宝鸡市", "咸阳市"]),
    ("62", "甘肃省", &["兰州市", "天水市"]),
    ("63", "青海省", &["西宁市", "海东市"]),
    ("64", "宁夏回族自治区", &["银川市", "石嘴山市"]),
    (
        "65",
        "新疆维吾尔自治区",
        &["乌鲁木齐市", "克拉玛依市", "喀什地区"],
    ),
    ("71", "台湾省", &["台北市", "高雄市"]),
    ("81", "香港特别行政区", &["香港岛", "九龙", "新界"]),
    ("82", "澳门特别行政区", &["澳门半岛", "氹仔", "路环"]),
];

const DISTRICTS: &[&str] = &[
    "城关区",
    "新城区",
    "高新区",
    "经济开发区",
    "东城区",
    "西城区",
    "南湖区",
    "北湖区",
    "江滨区",
    "山前区",
    "临港区",
    "滨海新区",
];

/// A cloud service type: code suffix, name, abbreviation, and its resource types (code suffix,
/// name).
type Service = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Cloud service types.
const SERVICES: &[Service] = &[
    (
        "ec2",
        "弹性云服务器",
        "ECS",
        &[("vm", "云主机"), ("image", "镜像")],
    ),
    ("ebs", "云硬盘", "EVS", &[("volume", "云硬盘")]),
    ("obs", "对象存储服务", "OBS", &[("obs", "对象存储")]),
    (
        "vpc",
        "虚拟私有云",
        "VPC",
        &[("bandwidth", "带宽"), ("ip", "弹性公网IP")],
    ),
    (
        "rds",
        "云数据库 RDS",
        "RDS",
        &[("rds.vm", "数据库实例"), ("rds.volume", "数据库存储")],
    ),
    ("elb", "弹性负载均衡", "ELB", &[("elb", "负载均衡器")]),
    ("cdn", "内容分发网络", "CDN", &[("cdn", "流量")]),
    ("dcs", "分布式缓存服务", "DCS", &[("dcs", "缓存实例")]),
    ("cce", "云容器引擎", "CCE", &[("cce.cluster", "集群")]),
    (
        "functiongraph",
        "函数工作流",
        "FunctionGraph",
        &[("functiongraph", "函数调用")],
    ),
    ("dns", "云解析服务", "DNS", &[("dns", "域名解析")]),
    ("waf", "Web应用防火墙", "WAF", &[("waf", "防护域名")]),
];

/// Measure units: (id, name, abbreviation, measure type).
const UNITS: &[(i32, &str, &str, i32)] = &[
    (1, "元", "元", 1),
    (2, "角", "角", 1),
    (3, "分", "分", 1),
    (4, "小时", "h", 2),
    (5, "天", "d", 2),
    (6, "分钟", "min", 2),
    (7, "秒", "s", 2),
    (10, "GB", "G", 7),
    (11, "MB", "M", 7),
    (12, "KB", "K", 7),
    (13, "Byte", "B", 7),
    (14, "TB", "T", 7),
    (17, "次", "次", 4),
    (19, "年", "y", 10),
    (20, "月", "m", 10),
    (41, "个", "个", 12),
];

/// Conversions: (unit, converted-to unit, ratio, measure type).
const CONVERSIONS: &[(i32, i32, i64, i32)] = &[
    (1, 2, 10, 1),
    (2, 3, 10, 1),
    (5, 4, 24, 2),
    (4, 6, 60, 2),
    (6, 7, 60, 2),
    (14, 10, 1024, 7),
    (10, 11, 1024, 7),
    (11, 12, 1024, 7),
    (12, 13, 1024, 7),
    (19, 20, 12, 10),
];

/// The sandbox's clock: every "now" (creation, payment, transfer times) is this instant, so the
/// same calls always give the same answers.
pub const NOW: &str = "2024-06-01T00:00:00Z";

/// The verification code the sandbox "sends" by SMS or e-mail.
pub const VERIFICATION_CODE: &str = "888888";

/// The identity of a customer as the sandbox reads it. The generated type leaves every field
/// optional (responses are read tolerantly), but the sandbox always sets these two, so an absent
/// one reads as empty rather than panicking.
pub trait CustomerFields {
    /// The customer's id (`customer_id`).
    fn id(&self) -> &str;
    /// The customer's account (login) name (`account_name`).
    fn login(&self) -> &str;
}

impl CustomerFields for customers::CustomerInformation {
    fn id(&self) -> &str {
        self.customer_id.as_deref().unwrap_or_default()
    }

    fn login(&self) -> &str {
        self.account_name.as_deref().unwrap_or_default()
    }
}

/// Everything the sandbox serves.
pub struct World {
    /// Provinces.
    pub provinces: Vec<geography::Province>,
    /// Cities with their province code.
    pub cities: Vec<(String, geography::City)>,
    /// Counties with their city code.
    pub counties: Vec<(String, geography::County)>,
    /// Cloud service types.
    pub service_types: Vec<catalog::ServiceTypes>,
    /// Resource types.
    pub resource_types: Vec<catalog::ResourceTypes>,
    /// Usage types.
    pub usage_types: Vec<catalog::UsageType>,
    /// Measure units.
    pub measure_units: Vec<catalog::MeasureUnitRest>,
    /// Unit conversions.
    pub conversions: Vec<catalog::Conversion>,
    /// The partner's customers, with the reseller each belongs to (if any).
    pub customers: Vec<(Option<String>, customers::CustomerInformation)>,
    /// New-customer tags by customer id.
    pub tags: Vec<customers::NewCustomerTagItem>,
    /// The distributor's resellers.
    pub indirect_partners: Vec<customers::IndirectPartnerInfo>,
    /// Mobile numbers a verification code was sent to.
    pub codes_sent: Vec<String>,
    /// The data of the other groups (resources, orders, funds, bills, coupons, …).
    pub groups: Groups,
    rng: fastrand::Rng,
}

impl World {
    /// The data set of `seed`: the same seed always gives the same data.
    pub fn seeded(seed: u64) -> World {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut world = World {
            provinces: Vec::new(),
            cities: Vec::new(),
            counties: Vec::new(),
            service_types: Vec::new(),
            resource_types: Vec::new(),
            usage_types: Vec::new(),
            measure_units: Vec::new(),
            conversions: Vec::new(),
            customers: Vec::new(),
            tags: Vec::new(),
            indirect_partners: Vec::new(),
            codes_sent: Vec::new(),
            groups: Groups::default(),
            rng: fastrand::Rng::with_seed(seed ^ 0xc0ffee),
        };
        world.geography(&mut rng);
        world.catalog();
        world.partners(&mut rng);
        Groups::seed(&mut world, seed);
        world
    }

    fn geography(&mut self, rng: &mut fastrand::Rng) {
        for (code, name, cities) in PROVINCES {
            let province = format!("CN-{code}");
            self.provinces.push(geography::Province {
                code: Some(province.clone()),
                name: Some(name.to_string()),
            });
            for (i, city) in cities.iter().enumerate() {
                let city_code = format!("CN-{code}{:02}", i + 1);
                self.cities.push((
                    province.clone(),
                    geography::City {
                        code: Some(city_code.clone()),
                        name: Some(city.to_string()),
                    },
                ));
                let count = 3 + rng.usize(..6);
                for (j, district) in DISTRICTS.iter().take(count).enumerate() {
                    self.counties.push((
                        city_code.clone(),
                        geography::County {
                            code: Some(format!("{city_code}{:02}", j + 1)),
                            name: Some(format!("{}{district}", city.trim_end_matches('市'))),
                        },
                    ));
                }
            }
        }
    }

    fn catalog(&mut self) {
        for (code, name, abbreviation, resources) in SERVICES {
            let service = format!("hws.service.type.{code}");
            self.service_types.push(catalog::ServiceTypes {
                service_type_code: Some(service.clone()),
                service_type_name: Some(name.to_string()),
                abbreviation: Some(abbreviation.to_string()),
            });
            for (resource, resource_name) in resources.iter() {
                let resource_code = format!("hws.resource.type.{resource}");
                self.resource_types.push(catalog::ResourceTypes {
                    resource_type_code: Some(resource_code.clone()),
                    resource_type_name: Some(resource_name.to_string()),
                    resource_type_desc: Some(format!("{name}的{resource_name}")),
                    service_type_code: Some(service.clone()),
                });
                for (usage, usage_name) in [("Duration", "使用时长"), ("upflow", "上行流量")]
                {
                    self.usage_types.push(catalog::UsageType {
                        code: Some(usage.to_string()),
                        name: Some(usage_name.to_string()),
                        resource_type_code: Some(resource_code.clone()),
                        resource_type_name: Some(resource_name.to_string()),
                        service_type_code: Some(service.clone()),
                        service_type_name: Some(name.to_string()),
                    });
                }
            }
        }
        for (id, name, abbreviation, kind) in UNITS {
            self.measure_units.push(catalog::MeasureUnitRest {
                measure_id: Some(*id),
                measure_name: Some(name.to_string()),
                abbreviation: Some(abbreviation.to_string()),
                measure_type: Some(*kind),
            });
        }
        for (from, to, ratio, kind) in CONVERSIONS {
            self.conversions.push(catalog::Conversion {
                measure_id: Some(*from),
                ref_measure_id: Some(*to),
                conversion_ratio: Some(*ratio),
                measure_type: Some(*kind),
            });
        }
    }

    fn partners(&mut self, rng: &mut fastrand::Rng) {
        const WORDS: &[&str] = &[
            "云帆", "数智", "星河", "极光", "蓝海", "锦程", "天工", "华信", "众创", "启明",
        ];
        const TRADES: &[&str] = &["科技", "信息技术", "网络", "软件", "数据服务", "电子商务"];
        for i in 0..12 {
            self.indirect_partners.push(customers::IndirectPartnerInfo {
                indirect_partner_id: Some(hex(rng)),
                account_name: Some(format!("reseller_{i:02}")),
                name: Some(format!(
                    "{}{}云经销商有限公司",
                    WORDS[i % WORDS.len()],
                    ["华东", "华南", "华北", "西南"][i % 4]
                )),
                email: Some(format!("reseller{i:02}@example.com")),
                mobile_phone: Some(format!("139****{:04}", rng.u32(..10_000))),
                associated_on: Some(format!(
                    "2023-{:02}-{:02}T00:00:00Z",
                    1 + i % 12,
                    1 + rng.u32(..28)
                )),
                account_manager_id: Some(format!("manager_{:02}", i % 5)),
                account_manager_name: Some(format!("客户经理{}", i % 5)),
            });
        }
        for i in 0..360 {
            let (_, _, cities) = PROVINCES[rng.usize(..PROVINCES.len())];
            let city = cities[rng.usize(..cities.len())].trim_end_matches('市');
            let reseller = (i % 5 == 4).then(|| {
                let p = &self.indirect_partners[rng.usize(..self.indirect_partners.len())];
                p.indirect_partner_id.clone().unwrap_or_default()
            });
            let verified = ["-1", "0", "2", "2", "2"][rng.usize(..5)];
            let customer = customers::CustomerInformation {
                customer: (verified == "2").then(|| {
                    format!(
                        "{city}{}{}有限公司",
                        WORDS[rng.usize(..WORDS.len())],
                        TRADES[rng.usize(..TRADES.len())]
                    )
                }),
                account_name: Some(format!("customer_{i:04}")),
                customer_id: Some(hex(rng)),
                associated_on: Some({
                    // Never after the sandbox's clock (NOW, 2024-06-01).
                    let year = 2021 + i % 4;
                    let month = 1 + rng.u32(..12);
                    let month = if year == 2024 {
                        1 + (month - 1) % 5
                    } else {
                        month
                    };
                    format!(
                        "{year}-{month:02}-{:02}T{:02}:00:00Z",
                        1 + rng.u32(..28),
                        rng.u32(..24)
                    )
                }),
                association_type: Some(if i % 3 == 0 { "1" } else { "2" }.to_string()),
                label: (i % 7 == 0).then(|| "vip".to_string()),
                telephone: Some(format!("13{}****{:04}", rng.u32(..10), rng.u32(..10_000))),
                verified_status: Some(verified.to_string()),
                country_code: Some("0086".to_string()),
                customer_type: Some(match verified {
                    "2" => 1,
                    "-1" => -1,
                    _ => 0,
                }),
                is_frozen: Some(0),
                account_managers: vec![customers::AccountManager {
                    account_name: Some(format!("manager_{:02}", i % 5)),
                }],
                xaccount_id: Some(format!("platform-user-{i:05}")),
                xaccount_type: Some("partner_saas".to_string()),
                customer_level: Some(format!("V{}", rng.u32(..6))),
                email: Some(format!("customer{i:04}@example.com")),
            };
            self.tags.push(customers::NewCustomerTagItem {
                customer_id: customer.customer_id.clone(),
                customer_tag_type: Some("SMB".to_string()),
                new_customer_tag: Some(["Y", "N", "UNDETERMINED"][i % 3].to_string()),
                effective_time: Some("2024-01".to_string()),
                expire_time: Some("2024-12".to_string()),
            });
            self.customers.push((reseller, customer));
        }
    }

    /// The reseller an `indirect_partner_id` names: `None` when absent, the id when the
    /// distributor has that reseller, `400 CBC.99000037` otherwise.
    pub fn reseller(&self, id: Option<&str>) -> Result<Option<String>, ApiError> {
        match id {
            None => Ok(None),
            Some(id)
                if self
                    .indirect_partners
                    .iter()
                    .any(|p| p.indirect_partner_id.as_deref() == Some(id)) =>
            {
                Ok(Some(id.to_string()))
            }
            Some(id) => Err(ApiError::business(
                "CBC.99000037",
                format!("No permission on the reseller `{id}`."),
            )),
        }
    }

    /// [`World::reseller`] for the operations where an empty `indirect_partner_id` means the
    /// partner itself, like an absent one.
    pub fn acting_reseller(&self, id: Option<&str>) -> Result<Option<String>, ApiError> {
        self.reseller(id.filter(|id| !id.is_empty()))
    }

    /// The customer that the customer-self operations act as: the first customer.
    pub fn caller(&self) -> Option<&customers::CustomerInformation> {
        self.customers.first().map(|(_, c)| c)
    }

    /// The id of [`World::caller`]; empty when there are no customers.
    pub fn caller_id(&self) -> String {
        self.caller()
            .map(|c| c.id().to_string())
            .unwrap_or_default()
    }

    /// The customer with this id, whoever holds it.
    pub fn customer(&self, id: &str) -> Option<&customers::CustomerInformation> {
        self.customers.iter().map(|(_, c)| c).find(|c| c.id() == id)
    }

    /// The customer with this id among those of `holder` (a reseller id, or `None` for the
    /// partner's own customers).
    pub fn customer_of(
        &self,
        holder: &Option<String>,
        id: &str,
    ) -> Option<&customers::CustomerInformation> {
        self.customers
            .iter()
            .find(|(o, c)| o == holder && c.id() == id)
            .map(|(_, c)| c)
    }

    /// The cloud service type with this code.
    pub fn service_type(&self, code: &str) -> Option<&catalog::ServiceTypes> {
        self.service_types
            .iter()
            .find(|s| s.service_type_code.as_deref() == Some(code))
    }

    /// Where the service type with this code stands in the catalogue, for ordering answers the
    /// way the console lists services (an unknown code sorts last).
    pub fn service_rank(&self, code: &str) -> usize {
        self.service_types
            .iter()
            .position(|s| s.service_type_code.as_deref() == Some(code))
            .unwrap_or(usize::MAX)
    }

    /// A service type's name (empty when the code is unknown) and its lower-case abbreviation,
    /// as seeded resources are named (`res` when unknown).
    pub fn service_names(&self, code: &str) -> (String, String) {
        let service = self.service_type(code);
        let name = service
            .and_then(|s| s.service_type_name.clone())
            .unwrap_or_default();
        let abbreviation = service
            .and_then(|s| s.abbreviation.clone())
            .unwrap_or_else(|| "res".to_string())
            .to_lowercase();
        (name, abbreviation)
    }

    /// A new 32-hex id.
    pub fn new_id(&mut self) -> String {
        hex(&mut self.rng)
    }
}

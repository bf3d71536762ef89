//! The `enterprise` group in the sandbox: enterprise multi-account (企业多账号): the master
//! account's organisation, its member accounts, and the funds and coupons moved between them.
//!
//! The caller (the sandbox's one set of credentials) is an enterprise MASTER account. Its members
//! are accounts of its own, with new ids: they are not the partner's customers of
//! `world.customers` (a partner customer's id, looked up at call time, is "not a member":
//! `400 CBC.99000086`, like any unknown id).
//!
//! Seeded: an organisation tree (a root and 12 units on two levels), 36 members attached to units
//! (4 under financial custody, 3 not in the normal status), 4 credit lines of the master (3 with
//! an expiry, 1 without),
//! each independent member's cash account (`avail_retrieve_amount` is the part the master
//! transferred and may take back, `amount` the whole balance) and credit lines shared by the
//! master, 24 master coupons that can be split off, and 40 sub-coupons split off to members.
//!
//! - Funds and coupon operations need a valid master/member relation: a member in the normal
//!   status (1) with independent finances; otherwise `400 CBC.99000086`.
//! - The master's cash account is the caller's own cash account of the funds group
//!   (ShowCustomerAccountBalances): transfers to and reclaims from members move it and add income
//!   and expense records there (ListCustomerAccountChangeRecords, `ADJUST`); its designated part
//!   cannot be transferred.
//! - UpdateSubEnterpriseAmount moves `amount` master → member exactly: from the cash account, or
//!   from the credit line whose `expire_time` is given (none given: the line that never expires)
//!   into the member's line with the same expiry. ReclaimSubEnterpriseAmount moves it back. More
//!   than `avail_transfer_amount` / `avail_retrieve_amount` is `400 CBC.99005003` and changes
//!   nothing; a credit line that does not exist is `400 CBC.0100`.
//! - ClaimEnterpriseMultiAccountCoupon splits `amount` off a master coupon (its balance drops
//!   exactly; more than the balance is `CBC.99005003`, an unknown coupon `CBC.99003012`) into a
//!   new sub-coupon of the member (effective now, expiring with the master coupon).
//!   ReclaimEnterpriseMultiAccountCoupon gives a sub-coupon's remaining balance back to its master
//!   coupon and answers it as `real_retrieve_amout`; the sub-coupon is gone afterwards (unknown:
//!   `CBC.99003012`; a `coupon_id` that is not its master coupon: `CBC.0100`). Coupons with a
//!   zero balance are not listed.
//! - `trans_id` (those four operations share one space of ids): the same trans_id with the same
//!   request again changes nothing and answers what the first call answered; with a different
//!   request it is `400 CBC.0100`. Only successful calls take their trans_id.
//! - CreateSubEnterpriseAccount attaches a new member (status 1, zero balances) to a unit or the
//!   root; a login name already used by a member or by any account of the world is
//!   `403 CBC.0150`; a member with its own mobile number needs the code SendSmsVerificationCode
//!   sent to it (`888888`), otherwise `CBC.0100`. SendSmsVerificationCode records the code sent
//!   (at most 15 per number: `CBC.99004015`). CreateEnterpriseProjectAuth records that
//!   enterprise projects are enabled (a second call succeeds and changes nothing).

use huaweicloud_bss::enterprise::types;
use huaweicloud_bss::{Amount, Decimal};
use serde::Serialize;
use serde_json::Value;

use crate::ids::hex;
use crate::reply::{body, json, window};
use crate::world::{CustomerFields, NOW, VERIFICATION_CODE, World};
use crate::{ApiError, Call};

/// The currency of every account (China site).
const CURRENCY: &str = "CNY";
/// The master account's name, the root of its organisation.
const ROOT_NAME: &str = "星河数智科技集团有限公司";
/// The master account's mobile number (`use_pri_mobile_phone` = `Y`).
const MASTER_MOBILE: &str = "138****6688";
/// Codes sent to one mobile number at most.
const CODE_LIMIT: usize = 15;
/// Organisation units: (name, ASCII stem of its members' login names, parent index or none for
/// the root).
const UNITS: &[(&str, &str, Option<usize>)] = &[
    ("研发中心", "rd", None),
    ("市场营销部", "mkt", None),
    ("财务部", "fin", None),
    ("华东分公司", "east", None),
    ("华南分公司", "south", None),
    ("云平台部", "cloud", Some(0)),
    ("数据智能部", "data", Some(0)),
    ("测试部", "qa", Some(0)),
    ("品牌部", "brand", Some(1)),
    ("杭州办事处", "hz", Some(3)),
    ("上海办事处", "sh", Some(3)),
    ("深圳办事处", "sz", Some(4)),
];
const ACCOUNT_KINDS: &[&str] = &[
    "生产账号",
    "测试账号",
    "开发账号",
    "项目一组",
    "项目二组",
    "运维账号",
];
/// The master's credit lines: (expiry or never, line in yuan).
const CREDIT_LINES: &[(Option<&str>, i64)] = &[
    (Some("2024-12-31T15:59:59Z"), 200_000),
    (Some("2025-06-30T15:59:59Z"), 100_000),
    (Some("2025-12-31T15:59:59Z"), 50_000),
    (None, 30_000),
];
const PLANS: &[&str] = &[
    "企业上云商务代金券",
    "新春上云活动代金券",
    "产品测试代金券",
    "数据库专项商务代金券",
    "618年中大促代金券",
    "开发者扶持活动代金券",
];
/// The permissions a member may be given.
const PERMISSIONS: &[&str] = &[
    "READ_FINANCE_INFO",
    "READ_CONSUME_BILL",
    "SUBSTITUTE-OPEN-INVOICE",
    "TAKE-OVER-OPEN-INVOICE",
    "SHARE-CREDIT-TO-SUB",
    "SHARE-BIZ-DISCOUNT-TO-SUB",
];
/// The permissions of a member under financial custody.
const CUSTODY_PERMISSIONS: &[&str] = &[
    "READ_FINANCE_INFO",
    "READ_CONSUME_BILL",
    "SHARE-BIZ-DISCOUNT-TO-SUB",
];

/// A member (sub) account of the enterprise.
#[derive(Clone, Debug, Default)]
pub struct Member {
    /// What ListEnterpriseSubCustomers shows.
    pub info: types::SubCustomerInfoV2,
    /// Under financial custody (no finances of its own).
    pub custody: bool,
    /// The permissions the master holds over it.
    pub permissions: Vec<String>,
    /// The administrator's mobile number.
    pub mobile: Option<String>,
    /// Its cash account: `amount` the balance, `avail_retrieve_amount` what can be reclaimed.
    pub cash: types::RetrieveAmountInfoV2,
    /// Its credit lines shared by the master, one per expiry.
    pub credit: Vec<types::RetrieveAmountInfoV2>,
}

/// A verification code sent by SMS.
#[derive(Clone, Debug, Default)]
pub struct SentCode {
    /// The mobile number.
    pub mobile: String,
    /// The member name the SMS names (`sub_customer_name`).
    pub sub_customer_name: Option<String>,
    /// Validity in minutes.
    pub timeout: u32,
    /// When it was sent.
    pub sent_at: String,
}

/// A funds or coupon operation done with a `trans_id`.
#[derive(Clone, Debug, Default)]
pub struct Transaction {
    /// The caller's serial number.
    pub trans_id: String,
    /// The operation and its request, normalised.
    pub fingerprint: String,
    /// What it answered.
    pub answer: Value,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// The root of the organisation: (id, name).
    pub root: (String, String),
    /// Organisation units with their parent's id (`child_nodes` left empty; the tree is built
    /// when it is read).
    pub units: Vec<(String, types::EmChildNodeV2)>,
    /// The members, in creation order.
    pub members: Vec<Member>,
    /// The master's credit lines.
    pub credit: Vec<types::TransferAmountInfoV2>,
    /// The master's coupons that can be split off to members.
    pub coupons: Vec<types::AvailTransferCoupon>,
    /// Sub-coupons split off to members, with the member's id.
    pub sub_coupons: Vec<(String, types::AvailRetrieveCoupons)>,
    /// Verification codes sent.
    pub codes: Vec<SentCode>,
    /// When enterprise projects were enabled.
    pub project_auth: Option<String>,
    /// Operations done with a `trans_id`.
    pub transactions: Vec<Transaction>,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut next = 10_000_000 + u64::from(rng.u32(..8_000_000));
        let mut number = || {
            next += 1 + u64::from(rng.u32(..40));
            next.to_string()
        };
        let root = (number(), ROOT_NAME.to_string());
        let mut units: Vec<(String, types::EmChildNodeV2)> = Vec::new();
        for (name, _, parent) in UNITS {
            let parent = match parent {
                None => root.0.clone(),
                Some(i) => units[*i].1.id.clone().unwrap_or_default(),
            };
            units.push((
                parent,
                types::EmChildNodeV2 {
                    relation_id: Some(number()),
                    id: Some(number()),
                    name: Some(name.to_string()),
                    child_nodes: Vec::new(),
                },
            ));
        }
        let mut state = State {
            root,
            units,
            ..State::default()
        };

        // Drawn though no longer used (the master's cash is the funds group's account), so that
        // the rest of the data set stays as it was.
        let _ = money(rng, 300_000, 500_000);
        for (expiry, line) in CREDIT_LINES {
            let left = Decimal::from(*line) - money(rng, 0, line / 2);
            state.credit.push(types::TransferAmountInfoV2 {
                avail_transfer_amount: Some(Amount(left)),
                measure_id: Some(1),
                currency: Some(CURRENCY.to_string()),
                amount: Some(Amount(left)),
                credit_amount: Some(Amount(Decimal::from(*line))),
                expire_time: expiry.map(str::to_string),
            });
        }

        for i in 0..36usize {
            // Every unit gets members; a few hang on the root.
            let unit = if i % 13 == 12 {
                None
            } else {
                Some((i * 7 + rng.usize(..3)) % UNITS.len())
            };
            let (org_id, org_name, stem) = match unit {
                None => (state.root.0.clone(), String::new(), "hq"),
                Some(u) => (
                    state.units[u].1.id.clone().unwrap_or_default(),
                    UNITS[u].0.to_string(),
                    UNITS[u].1,
                ),
            };
            let custody = matches!(i, 3 | 11 | 23 | 31);
            let status = match i {
                7 => 102,
                19 => 101,
                29 => 4,
                _ => 1,
            };
            let kind = ACCOUNT_KINDS[rng.usize(..ACCOUNT_KINDS.len())];
            let display = match unit {
                None => format!("集团总部{kind}"),
                Some(u) => format!("{}{kind}", UNITS[u].0),
            };
            let permissions: Vec<String> = if custody {
                CUSTODY_PERMISSIONS.iter().map(|p| p.to_string()).collect()
            } else {
                PERMISSIONS
                    .iter()
                    .filter(|_| rng.bool())
                    .map(|p| p.to_string())
                    .collect()
            };
            let mut member = Member {
                info: types::SubCustomerInfoV2 {
                    id: Some(hex(rng)),
                    name: Some(format!("xhsz_{stem}{i:02}")),
                    display_name: Some(display),
                    status: Some(status),
                    org_id: Some(org_id),
                    org_name: Some(org_name),
                },
                custody,
                permissions,
                mobile: Some(format!("13{}****{:04}", rng.u32(..10), rng.u32(..10_000))),
                cash: cash_account(Decimal::ZERO, Decimal::ZERO),
                credit: Vec::new(),
            };
            if !custody {
                let transferred = match rng.u8(..5) {
                    0 => Decimal::ZERO,
                    _ => money(rng, 100, 30_000),
                };
                let own = match rng.u8(..3) {
                    0 => money(rng, 10, 5_000),
                    _ => Decimal::ZERO,
                };
                member.cash = cash_account(transferred + own, transferred);
                if i % 3 == 1 {
                    for (expiry, _) in CREDIT_LINES {
                        if rng.u8(..3) != 0 {
                            continue;
                        }
                        let line = Decimal::from(rng.i64(10..=100) * 100);
                        let left = line - money(rng, 0, 800).min(line);
                        member.credit.push(types::RetrieveAmountInfoV2 {
                            avail_retrieve_amount: Some(Amount(left)),
                            measure_id: Some(1),
                            currency: Some(CURRENCY.to_string()),
                            amount: Some(Amount(left)),
                            credit_amount: Some(Amount(line)),
                            expire_time: expiry.map(str::to_string),
                        });
                    }
                }
            }
            state.members.push(member);
        }

        let services: Vec<&str> = world
            .service_types
            .iter()
            .filter_map(|s| s.service_type_code.as_deref())
            .collect();
        for i in 0..24usize {
            let plan_id = format!("PP2{:02}{:09}", 3 + i % 2, rng.u32(..1_000_000_000));
            let mut limits = Vec::new();
            if !services.is_empty() && i % 4 != 3 {
                limits.push(types::ICouponUseLimitInfoV2 {
                    use_limiti_info_id: Some(format!("{}", 51_000 + i * 10)),
                    limit_key: Some("SERVICE_TYPE_LIMIT".to_string()),
                    value1: Some(services[rng.usize(..services.len())].to_string()),
                    value2: Some(String::new()),
                    value_unit: Some(String::new()),
                    limit_type: Some("SERVICE_TYPE".to_string()),
                    promotion_plan_id: Some(plan_id.clone()),
                });
            }
            if i % 3 == 0 {
                limits.push(types::ICouponUseLimitInfoV2 {
                    use_limiti_info_id: Some(format!("{}", 51_001 + i * 10)),
                    limit_key: Some("PAY_METHOD_LIMIT".to_string()),
                    value1: Some("0".to_string()),
                    value2: Some(String::new()),
                    value_unit: Some(String::new()),
                    limit_type: Some("CHARGING_MODE".to_string()),
                    promotion_plan_id: Some(plan_id.clone()),
                });
            }
            let balance = match rng.u8(..3) {
                0 => Decimal::from(rng.i64(1..=40) * 500),
                _ => money(rng, 200, 20_000),
            };
            state.coupons.push(types::AvailTransferCoupon {
                coupon_id: Some(format!("CP{:016X}", rng.u64(..))),
                plan_name: Some(PLANS[i % PLANS.len()].to_string()),
                balance: Some(Amount(balance)),
                effective_time: Some(format!(
                    "2023-{:02}-{:02}T00:00:00Z",
                    1 + rng.u32(..12),
                    1 + rng.u32(..28)
                )),
                expire_time: Some(format!(
                    "{}-{:02}-{:02}T15:59:59Z",
                    2024 + rng.u32(1..3),
                    1 + rng.u32(..12),
                    1 + rng.u32(..28)
                )),
                use_limits: limits,
            });
        }
        let able: Vec<String> = state
            .members
            .iter()
            .filter(|m| valid(m))
            .filter_map(|m| m.info.id.clone())
            .collect();
        for _ in 0..40 {
            if able.is_empty() {
                break;
            }
            let member = able[rng.usize(..able.len())].clone();
            let master = &state.coupons[rng.usize(..state.coupons.len())];
            let sub = types::AvailRetrieveCoupons {
                coupon_id: master.coupon_id.clone(),
                plan_name: master.plan_name.clone(),
                sub_coupon_id: Some(format!("CP{:016X}", rng.u64(..))),
                balance: Some(Amount(money(rng, 50, 3_000))),
                effective_time: Some(format!(
                    "2024-{:02}-{:02}T{:02}:00:00Z",
                    1 + rng.u32(..5),
                    1 + rng.u32(..28),
                    rng.u32(..24)
                )),
                expire_time: master.expire_time.clone(),
                use_limits: master.use_limits.clone(),
            };
            state.sub_coupons.push((member, sub));
        }
        state
    }

    fn unit_name(&self, id: &str) -> Option<String> {
        if id == self.root.0 {
            return Some(String::new());
        }
        self.units
            .iter()
            .find(|(_, u)| u.id.as_deref() == Some(id))
            .map(|(_, u)| u.name.clone().unwrap_or_default())
    }

    /// The children of `parent`, with their own subtrees when `recursive`.
    fn children(&self, parent: &str, recursive: bool) -> Vec<types::EmChildNodeV2> {
        self.units
            .iter()
            .filter(|(p, _)| p == parent)
            .map(|(_, unit)| {
                let mut node = unit.clone();
                if recursive {
                    node.child_nodes = self.children(unit.id.as_deref().unwrap_or(""), true);
                }
                node
            })
            .collect()
    }
}

impl crate::generated::enterprise::Server for World {
    fn list_enterprise_organizations(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        organizations(&world.groups.enterprise, call)
    }

    fn list_enterprise_sub_customers(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        sub_customers(&world.groups.enterprise, call)
    }

    fn create_sub_enterprise_account(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        create_member(self, call)
    }

    fn create_enterprise_project_auth(&mut self, _call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let state = &mut world.groups.enterprise;
        if state.project_auth.is_none() {
            state.project_auth = Some(NOW.to_string());
        }
        Ok(Value::Null)
    }

    fn show_multi_account_transfer_amount(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let state = &world.groups.enterprise;
        match balance_type(call.query("balance_type"))? {
            Credit::Debit => json(types::ShowMultiAccountTransferAmountResponse {
                total_count: Some(1),
                amount_infos: vec![master_cash(world)],
            }),
            Credit::Credit => {
                let (page, total) = window(&state.credit, call);
                json(types::ShowMultiAccountTransferAmountResponse {
                    total_count: Some(total),
                    amount_infos: page,
                })
            }
        }
    }

    fn list_enterprise_multi_account(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let kind = balance_type(call.query("balance_type"))?;
        let id = call.query("sub_customer_id").unwrap_or_default();
        let index = member(world, id)?;
        let member = &world.groups.enterprise.members[index];
        match kind {
            Credit::Debit => json(types::ListEnterpriseMultiAccountResponse {
                total_count: Some(1),
                amount_infos: vec![member.cash.clone()],
            }),
            Credit::Credit => {
                let (page, total) = window(&member.credit, call);
                json(types::ListEnterpriseMultiAccountResponse {
                    total_count: Some(total),
                    amount_infos: page,
                })
            }
        }
    }

    fn update_sub_enterprise_amount(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::TransferEnterpriseMultiAccountReq = body(call)?;
        let trans = request.trans_id.as_ref().map(|t| t.to_string());
        once(world, call, trans, &request, |world| {
            transfer_amount(world, &request)
        })
    }

    fn reclaim_sub_enterprise_amount(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::RetrieveEnterpriseMultiAccountReq = body(call)?;
        let trans = request.trans_id.as_ref().map(|t| t.to_string());
        once(world, call, trans, &request, |world| {
            reclaim_amount(world, &request)
        })
    }

    fn list_multi_account_transfer_coupons(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let found: Vec<_> = world
            .groups
            .enterprise
            .coupons
            .iter()
            .filter(|c| positive(c.balance))
            .cloned()
            .collect();
        let (page, total) = window(&found, call);
        json(types::ListMultiAccountTransferCouponsResponse {
            total_count: Some(total),
            avail_transfer_coupons: page,
        })
    }

    fn list_multi_account_retrieve_coupons(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let id = call.query("sub_customer_id").unwrap_or_default();
        member(world, id)?;
        let found: Vec<_> = world
            .groups
            .enterprise
            .sub_coupons
            .iter()
            .filter(|(m, c)| m == id && positive(c.balance))
            .map(|(_, c)| c.clone())
            .collect();
        let (page, total) = window(&found, call);
        json(types::ListMultiAccountRetrieveCouponsResponse {
            total_count: Some(total),
            avail_retrieve_coupons: page,
        })
    }

    fn claim_enterprise_multi_account_coupon(
        &mut self,
        call: &Call<'_>,
    ) -> Result<Value, ApiError> {
        let world = self;
        let request: types::TransferEnterpriseMultiAccountCouponReq = body(call)?;
        let trans = request.trans_id.as_ref().map(|t| t.to_string());
        once(world, call, trans, &request, |world| {
            claim_coupon(world, &request)
        })
    }

    fn reclaim_enterprise_multi_account_coupon(
        &mut self,
        call: &Call<'_>,
    ) -> Result<Value, ApiError> {
        let world = self;
        let request: types::RetrieveEnterpriseMultiAccountCouponReq = body(call)?;
        let trans = request.trans_id.as_ref().map(|t| t.to_string());
        once(world, call, trans, &request, |world| {
            reclaim_coupon(world, &request)
        })
    }

    fn send_sms_verification_code(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        send_code(self, call)
    }
}

fn organizations(state: &State, call: &Call<'_>) -> Result<Value, ApiError> {
    let recursive = match call.query("recursive_query") {
        None | Some("0") => false,
        Some("1") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "recursive_query: must be 0 or 1 (got `{other}`)"
            )));
        }
    };
    match call.query("parent_id") {
        None => json(types::ListEnterpriseOrganizationsResponse {
            root_id: Some(state.root.0.clone()),
            root_name: Some(state.root.1.clone()),
            child_nodes: state.children(&state.root.0, recursive),
        }),
        Some(parent) => {
            if state.unit_name(parent).is_none() {
                return Err(ApiError::invalid(format!(
                    "parent_id: `{parent}` is not a node of the enterprise organization"
                )));
            }
            json(types::ListEnterpriseOrganizationsResponse {
                root_id: None,
                root_name: None,
                child_nodes: state.children(parent, recursive),
            })
        }
    }
}

fn sub_customers(state: &State, call: &Call<'_>) -> Result<Value, ApiError> {
    let fuzzy = match call.query("fuzzy_query") {
        None | Some("0") => false,
        Some("1") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "fuzzy_query: must be 0 or 1 (got `{other}`)"
            )));
        }
    };
    // Absent: no filter; present, even empty: a filter.
    let name = call.query("sub_customer_account_name");
    let display = call.query("sub_customer_display_name");
    let org = call.query("org_id");
    let matches = |value: &Option<String>, filter: Option<&str>| {
        let value = value.as_deref().unwrap_or("");
        filter.is_none_or(|f| if fuzzy { value.contains(f) } else { value == f })
    };
    let found: Vec<_> = state
        .members
        .iter()
        .map(|m| &m.info)
        .filter(|m| matches(&m.name, name))
        .filter(|m| matches(&m.display_name, display))
        .filter(|m| org.is_none_or(|o| m.org_id.as_deref() == Some(o)))
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(types::ListEnterpriseSubCustomersResponse {
        total_count: Some(total),
        sub_customer_infos: page,
    })
}

fn create_member(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::CreateSubCustomerReqV2 = body(call)?;
    let state = &world.groups.enterprise;
    let party = request.party_id.to_string();
    let org_name = state.unit_name(&party).ok_or_else(|| {
        ApiError::invalid(format!(
            "party_id: `{party}` is not a node of the enterprise organization"
        ))
    })?;
    if request.sub_customer_association_type != 1 {
        return Err(ApiError::invalid(format!(
            "sub_customer_association_type: only 1 (same legal entity) is supported (got {})",
            request.sub_customer_association_type
        )));
    }
    let custody = match request.financial_custody {
        None | Some(0) => false,
        Some(1) => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "financial_custody: must be 0 or 1 (got {other})"
            )));
        }
    };
    if let Some(unknown) = request
        .permission_ids
        .iter()
        .find(|p| !PERMISSIONS.contains(&p.as_str()))
    {
        return Err(ApiError::invalid(format!(
            "permission_ids: unknown permission `{unknown}`"
        )));
    }
    let new = &request.new_sub_customer;
    let name = new.customer_name.trim().to_string();
    if name.is_empty() || name.chars().count() > 32 {
        return Err(ApiError::invalid(
            "new_sub_customer.customer_name: 1 to 32 characters",
        ));
    }
    let mobile = if new.use_pri_mobile_phone.as_deref() == Some("Y") {
        MASTER_MOBILE.to_string()
    } else {
        let mobile = new
            .mobile_phone
            .clone()
            .filter(|m| !m.is_empty())
            .ok_or_else(|| {
                ApiError::invalid(
                    "new_sub_customer.mobile_phone: required unless use_pri_mobile_phone is Y",
                )
            })?;
        let sent = state.codes.iter().any(|c| c.mobile == mobile);
        if !sent || new.verification_code.as_deref().map(|c| c.as_str()) != Some(VERIFICATION_CODE)
        {
            return Err(ApiError::invalid(
                "new_sub_customer.verification_code: wrong or expired (call SendSmsVerificationCode first)",
            ));
        }
        mobile
    };
    let taken = state
        .members
        .iter()
        .any(|m| m.info.name.as_deref() == Some(name.as_str()))
        || world.customers.iter().any(|(_, c)| c.login() == name)
        || world
            .indirect_partners
            .iter()
            .any(|p| p.account_name.as_deref() == Some(name.as_str()));
    if taken {
        return Err(ApiError {
            status: 403,
            code: "CBC.0150",
            message: format!("The account name `{name}` is already used by another account."),
        });
    }
    let permissions = if custody {
        CUSTODY_PERMISSIONS.iter().map(|p| p.to_string()).collect()
    } else {
        request.permission_ids.clone()
    };
    let id = world.new_id();
    world.groups.enterprise.members.push(Member {
        info: types::SubCustomerInfoV2 {
            id: Some(id),
            name: Some(name),
            display_name: request.display_name.as_ref().map(|d| d.to_string()),
            status: Some(1),
            org_id: Some(party),
            org_name: Some(org_name),
        },
        custody,
        permissions,
        mobile: Some(mobile),
        cash: cash_account(Decimal::ZERO, Decimal::ZERO),
        credit: Vec::new(),
    });
    Ok(Value::Null)
}

fn send_code(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: types::SendSmVerificationCodeReq = body(call)?;
    let mobile = request.mobile_phone.to_string();
    if mobile.trim().is_empty() {
        return Err(ApiError::invalid("mobile_phone: required"));
    }
    if let Some(arg) = request
        .sm_template_args
        .iter()
        .find(|a| a.key.as_str() != "sub_customer_name")
    {
        return Err(ApiError::invalid(format!(
            "sm_template_args: unsupported key `{}` (only sub_customer_name)",
            arg.key.as_str()
        )));
    }
    let state = &mut world.groups.enterprise;
    if state.codes.iter().filter(|c| c.mobile == mobile).count() >= CODE_LIMIT {
        return Err(ApiError::business(
            "CBC.99004015",
            "The verification code sending limit has been reached (15 per hour).",
        ));
    }
    // Above 60 minutes the validity falls back to 5.
    let timeout = match request.timeout.map(|t| t.get()) {
        None => 10,
        Some(t) if t > 60 => 5,
        Some(t) => t,
    };
    state.codes.push(SentCode {
        mobile,
        // When a key repeats, only its first entry counts.
        sub_customer_name: request
            .sm_template_args
            .first()
            .map(|a| a.value.to_string()),
        timeout,
        sent_at: NOW.to_string(),
    });
    Ok(Value::Null)
}

/// Which account an operation acts on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Credit {
    Debit,
    Credit,
}

fn balance_type(text: Option<&str>) -> Result<Credit, ApiError> {
    match text {
        None | Some("BALANCE_TYPE_DEBIT") => Ok(Credit::Debit),
        Some("BALANCE_TYPE_CREDIT") => Ok(Credit::Credit),
        Some(other) => Err(ApiError::invalid(format!(
            "balance_type: must be BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT (got `{other}`)"
        ))),
    }
}

/// The credit line an operation names: its expiry, or none for the line that never expires.
fn expiry(text: Option<String>) -> Result<Option<String>, ApiError> {
    match text {
        Some(t) if t.is_empty() => Err(ApiError::invalid(
            "expire_time: must not be empty (leave it out for the line that never expires)",
        )),
        other => Ok(other),
    }
}

/// Runs a funds or coupon operation once per `trans_id`: the same id with the same request
/// answers again what it answered and changes nothing; with another request it is refused.
fn once<R: Serialize>(
    world: &mut World,
    call: &Call<'_>,
    trans_id: Option<String>,
    request: &R,
    run: impl FnOnce(&mut World) -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    let trans_id = trans_id.filter(|t| !t.is_empty());
    let fingerprint = format!(
        "{} {}",
        call.operation.id,
        serde_json::to_string(request).unwrap_or_default()
    );
    if let Some(id) = &trans_id
        && let Some(done) = world
            .groups
            .enterprise
            .transactions
            .iter()
            .find(|t| t.trans_id == *id)
    {
        return if done.fingerprint == fingerprint {
            Ok(done.answer.clone())
        } else {
            Err(ApiError::invalid(format!(
                "trans_id: `{id}` was already used for a different request"
            )))
        };
    }
    let answer = run(world)?;
    if let Some(id) = trans_id {
        world.groups.enterprise.transactions.push(Transaction {
            trans_id: id,
            fingerprint,
            answer: answer.clone(),
        });
    }
    Ok(answer)
}

/// The master's cash account, which is the caller's own cash account (ShowCustomerAccountBalances,
/// in the funds group): transfers to members show in its income/expense records. Its designated
/// part cannot be transferred.
fn master_cash(world: &World) -> types::TransferAmountInfoV2 {
    let funds = &world.groups.funds;
    let amount = funds.cash();
    let designated = funds
        .balances
        .first()
        .and_then(|account| account.designated_amount)
        .map(Amount::value)
        .unwrap_or_default();
    types::TransferAmountInfoV2 {
        avail_transfer_amount: Some(Amount((amount - designated).max(Decimal::ZERO))),
        measure_id: Some(1),
        currency: Some(CURRENCY.to_string()),
        amount: Some(Amount(amount)),
        credit_amount: None,
        expire_time: None,
    }
}

/// The trade id a transfer is recorded with: its `trans_id`, or a new one.
fn trade_id(trans_id: Option<String>) -> String {
    trans_id.unwrap_or_else(|| format!("ENT{}", NOW.replace(['-', ':', 'T', 'Z'], "")))
}

fn transfer_amount(
    world: &mut World,
    request: &types::TransferEnterpriseMultiAccountReq,
) -> Result<Value, ApiError> {
    let index = member(world, &request.customer_id)?;
    let amount = request.amount.value();
    let state = &mut world.groups.enterprise;
    let kind = balance_type(
        request
            .balance_type
            .as_ref()
            .map(|b| b.to_string())
            .as_deref(),
    )?;
    match kind {
        Credit::Debit => {
            let available = value(master_cash(world).avail_transfer_amount);
            if amount > available {
                return Err(insufficient(format!(
                    "the master account can transfer {available} from its cash account"
                )));
            }
            let trade_id = trade_id(request.trans_id.as_ref().map(|t| t.to_string()));
            world.groups.funds.move_cash(-amount, &trade_id);
            let cash = &mut world.groups.enterprise.members[index].cash;
            add(&mut cash.amount, amount);
            add(&mut cash.avail_retrieve_amount, amount);
        }
        Credit::Credit => {
            let expire = expiry(request.expire_time.as_ref().map(|e| e.to_string()))?;
            let line = state
                .credit
                .iter_mut()
                .find(|l| l.expire_time == expire)
                .ok_or_else(|| no_line(&expire, "the master account"))?;
            let available = value(line.avail_transfer_amount);
            if amount > available {
                return Err(insufficient(format!(
                    "the master account can transfer {available} from this credit line"
                )));
            }
            add(&mut line.avail_transfer_amount, -amount);
            add(&mut line.amount, -amount);
            let credit = &mut state.members[index].credit;
            let at = match credit.iter().position(|l| l.expire_time == expire) {
                Some(at) => at,
                None => {
                    credit.push(types::RetrieveAmountInfoV2 {
                        avail_retrieve_amount: Some(Amount(Decimal::ZERO)),
                        measure_id: Some(1),
                        currency: Some(CURRENCY.to_string()),
                        amount: Some(Amount(Decimal::ZERO)),
                        credit_amount: Some(Amount(Decimal::ZERO)),
                        expire_time: expire,
                    });
                    credit.len() - 1
                }
            };
            let line = &mut credit[at];
            add(&mut line.avail_retrieve_amount, amount);
            add(&mut line.amount, amount);
            add(&mut line.credit_amount, amount);
        }
    }
    Ok(Value::Null)
}

fn reclaim_amount(
    world: &mut World,
    request: &types::RetrieveEnterpriseMultiAccountReq,
) -> Result<Value, ApiError> {
    let index = member(world, &request.customer_id)?;
    let amount = request.amount.value();
    let state = &mut world.groups.enterprise;
    let kind = balance_type(
        request
            .balance_type
            .as_ref()
            .map(|b| b.to_string())
            .as_deref(),
    )?;
    match kind {
        Credit::Debit => {
            let cash = &mut state.members[index].cash;
            let available = value(cash.avail_retrieve_amount);
            if amount > available {
                return Err(insufficient(format!(
                    "{available} can be reclaimed from the member's cash account"
                )));
            }
            add(&mut cash.avail_retrieve_amount, -amount);
            add(&mut cash.amount, -amount);
            let trade_id = trade_id(request.trans_id.as_ref().map(|t| t.to_string()));
            world.groups.funds.move_cash(amount, &trade_id);
        }
        Credit::Credit => {
            let expire = expiry(request.expire_time.as_ref().map(|e| e.to_string()))?;
            let credit = &mut state.members[index].credit;
            let at = credit
                .iter()
                .position(|l| l.expire_time == expire)
                .ok_or_else(|| no_line(&expire, "the member account"))?;
            let line = &mut credit[at];
            let available = value(line.avail_retrieve_amount);
            if amount > available {
                return Err(insufficient(format!(
                    "{available} can be reclaimed from the member's credit line"
                )));
            }
            add(&mut line.avail_retrieve_amount, -amount);
            add(&mut line.amount, -amount);
            add(&mut line.credit_amount, -amount);
            if value(line.credit_amount) <= Decimal::ZERO {
                credit.remove(at);
            }
            // The master's line of that expiry gets it back (re-opened if it was gone).
            match state.credit.iter_mut().find(|l| l.expire_time == expire) {
                Some(line) => {
                    add(&mut line.avail_transfer_amount, amount);
                    add(&mut line.amount, amount);
                }
                None => state.credit.push(types::TransferAmountInfoV2 {
                    avail_transfer_amount: Some(Amount(amount)),
                    measure_id: Some(1),
                    currency: Some(CURRENCY.to_string()),
                    amount: Some(Amount(amount)),
                    credit_amount: Some(Amount(amount)),
                    expire_time: expire,
                }),
            }
        }
    }
    Ok(Value::Null)
}

fn claim_coupon(
    world: &mut World,
    request: &types::TransferEnterpriseMultiAccountCouponReq,
) -> Result<Value, ApiError> {
    let index = member(world, &request.customer_id)?;
    let amount = request.amount.value();
    let coupon_id = request.coupon_id.to_string();
    let sub_id = format!("CP{}", world.new_id()[..16].to_uppercase());
    let state = &mut world.groups.enterprise;
    let coupon = state
        .coupons
        .iter_mut()
        .find(|c| c.coupon_id.as_deref() == Some(coupon_id.as_str()))
        .ok_or_else(|| unknown_coupon(&coupon_id))?;
    let balance = value(coupon.balance);
    if amount > balance {
        return Err(insufficient(format!(
            "the coupon `{coupon_id}` has {balance} left"
        )));
    }
    add(&mut coupon.balance, -amount);
    let sub = types::AvailRetrieveCoupons {
        coupon_id: coupon.coupon_id.clone(),
        plan_name: coupon.plan_name.clone(),
        sub_coupon_id: Some(sub_id.clone()),
        balance: Some(Amount(amount)),
        effective_time: Some(NOW.to_string()),
        expire_time: coupon.expire_time.clone(),
        use_limits: coupon.use_limits.clone(),
    };
    let member = state.members[index].info.id.clone().unwrap_or_default();
    state.sub_coupons.push((member, sub));
    json(types::ClaimEnterpriseMultiAccountCouponResponse {
        sub_coupon_id: Some(sub_id),
    })
}

fn reclaim_coupon(
    world: &mut World,
    request: &types::RetrieveEnterpriseMultiAccountCouponReq,
) -> Result<Value, ApiError> {
    member(world, &request.customer_id)?;
    let member_id = request.customer_id.to_string();
    let sub_id = request.sub_coupon_id.to_string();
    let coupon_id = request.coupon_id.to_string();
    let state = &mut world.groups.enterprise;
    let at = state
        .sub_coupons
        .iter()
        .position(|(m, c)| {
            *m == member_id
                && c.sub_coupon_id.as_deref() == Some(sub_id.as_str())
                && positive(c.balance)
        })
        .ok_or_else(|| unknown_coupon(&sub_id))?;
    if state.sub_coupons[at].1.coupon_id.as_deref() != Some(coupon_id.as_str()) {
        return Err(ApiError::invalid(format!(
            "coupon_id: the sub-coupon `{sub_id}` was not split off `{coupon_id}`"
        )));
    }
    let (_, sub) = state.sub_coupons.remove(at);
    let returned = value(sub.balance);
    if let Some(master) = state
        .coupons
        .iter_mut()
        .find(|c| c.coupon_id == sub.coupon_id)
    {
        add(&mut master.balance, returned);
    }
    json(types::ReclaimEnterpriseMultiAccountCouponResponse {
        real_retrieve_amout: Some(Amount(returned)),
    })
}

/// The index of a member with a valid master/member relation (`CBC.99000086` otherwise).
fn member(world: &World, id: &str) -> Result<usize, ApiError> {
    let state = &world.groups.enterprise;
    let Some(index) = state
        .members
        .iter()
        .position(|m| m.info.id.as_deref() == Some(id))
    else {
        let why = if world.customers.iter().any(|(_, c)| c.id() == id) {
            "is a customer of the partner, not a member account of this enterprise"
        } else {
            "is not a member account of this enterprise"
        };
        return Err(no_relation(format!("The account `{id}` {why}.")));
    };
    let found = &state.members[index];
    if found.custody {
        return Err(no_relation(format!(
            "The member account `{id}` is under financial custody: it has no finances of its own."
        )));
    }
    if found.info.status != Some(1) {
        return Err(no_relation(format!(
            "The member account `{id}` is not in the normal status (status {}).",
            found.info.status.unwrap_or_default()
        )));
    }
    Ok(index)
}

/// A member funds and coupons can move to: normal status, independent finances.
fn valid(m: &Member) -> bool {
    !m.custody && m.info.status == Some(1)
}

fn no_relation(message: String) -> ApiError {
    ApiError::business(
        "CBC.99000086",
        format!("No valid enterprise master/member relation: {message}"),
    )
}

fn insufficient(why: String) -> ApiError {
    ApiError::business("CBC.99005003", format!("Insufficient balance: {why}."))
}

fn unknown_coupon(id: &str) -> ApiError {
    ApiError::business("CBC.99003012", format!("The coupon `{id}` does not exist."))
}

fn no_line(expire: &Option<String>, whose: &str) -> ApiError {
    ApiError::invalid(match expire {
        Some(e) => format!("expire_time: {whose} has no credit line expiring at {e}"),
        None => format!("expire_time: {whose} has no credit line that never expires"),
    })
}

fn cash_account(amount: Decimal, reclaimable: Decimal) -> types::RetrieveAmountInfoV2 {
    types::RetrieveAmountInfoV2 {
        avail_retrieve_amount: Some(Amount(reclaimable)),
        measure_id: Some(1),
        currency: Some(CURRENCY.to_string()),
        amount: Some(Amount(amount)),
        credit_amount: None,
        expire_time: None,
    }
}

fn value(amount: Option<Amount>) -> Decimal {
    amount.map_or(Decimal::ZERO, Amount::value)
}

fn positive(amount: Option<Amount>) -> bool {
    value(amount) > Decimal::ZERO
}

fn add(field: &mut Option<Amount>, delta: Decimal) {
    *field = Some(Amount(value(*field) + delta));
}

/// A random amount in yuan, with cents, between `min` and `max`.
fn money(rng: &mut fastrand::Rng, min: i64, max: i64) -> Decimal {
    Decimal::new(rng.i64(min * 100..=max * 100), 2)
}

//! Customers: the partner's sub-customers, creating them and checking identities.

use huaweicloud_bss::customers::types as customers;
use serde_json::Value;

use crate::reply::{body, contains, json, window};
use crate::world::{CustomerFields, NOW, VERIFICATION_CODE, World};
use crate::{ApiError, Call};

impl crate::generated::customers::Server for World {
    fn list_sub_customers(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        list_sub_customers(self, call)
    }

    fn create_sub_customer(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        create_sub_customer(self, call)
    }

    fn check_user_identity(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        check_user_identity(self, call)
    }

    fn send_verification_message_code(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: customers::SendVerificationCodeV2Req = body(call)?;
        let target = request.mobile_phone.or(request.email).ok_or_else(|| {
            ApiError::invalid("mobile_phone: required (or email on the international site)")
        })?;
        if world.codes_sent.iter().filter(|m| **m == target).count() >= 15 {
            return Err(ApiError::business(
                "CBC.99004015",
                "The verification code sending limit has been reached (15 per hour).",
            ));
        }
        world.codes_sent.push(target);
        Ok(Value::Null)
    }

    fn list_sub_customer_new_tag(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: customers::ListSubCustomerNewTagReq = body(call)?;
        let found: Vec<_> = world
            .tags
            .iter()
            .filter(|t| {
                t.customer_id
                    .as_ref()
                    .is_some_and(|id| request.customer_ids.contains(id))
            })
            .cloned()
            .collect();
        let (page, _) = window(&found, call);
        json(customers::ListSubCustomerNewTagResponse {
            new_customer_tags: page,
        })
    }

    fn list_indirect_partners(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: customers::QueryIndirectPartnersReq = body(call)?;
        let name = request.account_name.map(|n| n.to_string());
        let id = request.indirect_partner_id.map(|n| n.to_string());
        let found: Vec<_> = world
            .indirect_partners
            .iter()
            .filter(|p| contains(&p.account_name, name.as_deref()))
            .filter(|p| id.is_none() || p.indirect_partner_id == id)
            .cloned()
            .collect();
        let (page, total) = window(&found, call);
        json(customers::ListIndirectPartnersResponse {
            count: Some(total),
            indirect_partners: page,
        })
    }
}

fn list_sub_customers(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: customers::QuerySubCustomerListReq = body(call)?;
    let text = |v: Option<String>| v.filter(|s| !s.is_empty());
    let account = text(request.account_name.map(|v| v.to_string()));
    let customer = text(request.customer.map(|v| v.to_string()));
    let label = request.label.map(|v| v.to_string());
    let id = request.customer_id.map(|v| v.to_string());
    let reseller = request.indirect_partner_id.map(|v| v.to_string());
    let found: Vec<_> = world
        .customers
        .iter()
        .filter(|(owner, _)| *owner == reseller)
        .map(|(_, c)| c)
        .filter(|c| account.as_deref().is_none_or(|a| c.login().contains(a)))
        .filter(|c| contains(&c.customer, customer.as_deref()))
        .filter(|c| label.is_none() || c.label == label)
        .filter(|c| id.as_deref().is_none_or(|i| c.id() == i))
        .filter(|c| {
            request.association_type.is_none() || c.association_type == request.association_type
        })
        .cloned()
        .collect();
    let (page, total) = window(&found, call);
    json(customers::ListSubCustomersResponse {
        count: Some(total),
        customer_infos: page,
    })
}

fn create_sub_customer(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: customers::CreateCustomerV2Req = body(call)?;
    if let Some(mobile) = &request.mobile_phone {
        let sent = world.codes_sent.contains(mobile);
        if !sent || request.verification_code.as_deref() != Some(VERIFICATION_CODE) {
            return Err(ApiError::invalid(
                "verification_code: wrong or expired (call SendVerificationMessageCode first)",
            ));
        }
    }
    let reseller = world.reseller(request.indirect_partner_id.as_deref().map(String::as_str))?;
    let domain_id = world.new_id();
    let domain_name = match &request.domain_name {
        Some(name) => name.to_string(),
        None => format!("hw{}", &domain_id[..30]),
    };
    if world
        .customers
        .iter()
        .any(|(_, c)| c.login() == domain_name)
    {
        return Err(ApiError::invalid(format!(
            "domain_name: `{domain_name}` is already used"
        )));
    }
    world.customers.push((
        reseller,
        customers::CustomerInformation {
            account_name: Some(domain_name.clone()),
            customer_id: Some(domain_id.clone()),
            associated_on: Some(NOW.to_string()),
            association_type: Some(
                if request.cooperation_type.as_deref() == Some("1") {
                    "1"
                } else {
                    "2"
                }
                .to_string(),
            ),
            verified_status: Some("-1".to_string()),
            customer_type: Some(-1),
            is_frozen: Some(0),
            xaccount_id: Some(request.xaccount_id.to_string()),
            xaccount_type: Some(request.xaccount_type.to_string()),
            telephone: request.mobile_phone.clone(),
            email: request.email.clone(),
            customer: None,
            label: None,
            country_code: Some("0086".to_string()),
            account_managers: Vec::new(),
            customer_level: Some("V0".to_string()),
        },
    ));
    json(customers::CreateSubCustomerResponse {
        domain_id: Some(domain_id),
        domain_name: Some(domain_name),
    })
}

fn check_user_identity(world: &World, call: &Call<'_>) -> Result<Value, ApiError> {
    let request: customers::CheckSubcustomerUserReq = body(call)?;
    let value = request.search_value.to_string();
    let used = world
        .customers
        .iter()
        .any(|(_, c)| match request.search_type {
            customers::CheckSubcustomerUserReqSearchType::Name => c.login() == value,
            customers::CheckSubcustomerUserReqSearchType::Email => {
                c.email.as_deref() == Some(value.as_str())
            }
            customers::CheckSubcustomerUserReqSearchType::Mobile => {
                c.telephone.as_deref() == Some(value.as_str())
            }
        });
    json(customers::CheckUserIdentityResponse {
        check_result: Some(if used { "used_by_user" } else { "available" }.to_string()),
        mobile_remain_available_num: (request.search_type
            == customers::CheckSubcustomerUserReqSearchType::Mobile)
            .then_some(if used { 4 } else { 5 }),
        error_code: None,
        error_msg: None,
    })
}

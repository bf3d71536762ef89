//! What each operation does in the sandbox. Bodies decode into the generated request types and
//! answers are built from the generated response types.

use huaweicloud_bss::catalog::types as catalog;
use huaweicloud_bss::customers::types as customers;
use huaweicloud_bss::geography::types as geography;
use serde_json::Value;

use crate::reply::{body, contains, json, window};
use crate::world::{NOW, VERIFICATION_CODE, World};
use crate::{ApiError, Call, groups};

/// Runs the operation `call` names against `world`.
pub fn dispatch(world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    match call.operation.id {
        "ListProvinces" => {
            let (page, total) = window(&world.provinces, call);
            json(geography::ListProvincesResponse {
                count: Some(total),
                provinces: page,
            })
        }
        "ListCities" => {
            let province = call.text("province_code").unwrap_or_default();
            let cities: Vec<_> = world
                .cities
                .iter()
                .filter(|(p, _)| *p == province)
                .map(|(_, c)| c.clone())
                .collect();
            let (page, total) = window(&cities, call);
            json(geography::ListCitiesResponse {
                count: Some(total),
                cities: page,
            })
        }
        "ListCounties" => {
            let city = call.text("city_code").unwrap_or_default();
            let counties: Vec<_> = world
                .counties
                .iter()
                .filter(|(c, _)| *c == city)
                .map(|(_, c)| c.clone())
                .collect();
            let (page, total) = window(&counties, call);
            json(geography::ListCountiesResponse {
                count: Some(total),
                counties: page,
            })
        }
        "ListServiceTypes" => {
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
        "ListResourceTypes" => {
            let (page, total) = window(&world.resource_types, call);
            json(catalog::ListResourceTypesResponse {
                total_count: Some(total),
                resource_types: page,
            })
        }
        "ListServiceResources" => {
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
        "ListUsageTypes" => {
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
        "ListMeasureUnits" => json(catalog::ListMeasureUnitsResponse {
            measure_units: world.measure_units.clone(),
        }),
        "ListConversions" => {
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
        "ListSubCustomers" => list_sub_customers(world, call),
        "CreateSubCustomer" => create_sub_customer(world, call),
        "CheckUserIdentity" => check_user_identity(world, call),
        "SendVerificationMessageCode" => {
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
        "ListSubCustomerNewTag" => {
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
        "ListIndirectPartners" => {
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
        _ => groups::dispatch(world, call),
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
        .filter(|c| {
            account
                .as_deref()
                .is_none_or(|a| c.account_name.contains(a))
        })
        .filter(|c| contains(&c.customer, customer.as_deref()))
        .filter(|c| label.is_none() || c.label == label)
        .filter(|c| id.as_deref().is_none_or(|i| c.customer_id == i))
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
    let reseller = request.indirect_partner_id.as_ref().map(|v| v.to_string());
    if let Some(id) = &reseller
        && !world
            .indirect_partners
            .iter()
            .any(|p| p.indirect_partner_id.as_deref() == Some(id))
    {
        return Err(ApiError::business(
            "CBC.99000037",
            "No permission on this reseller.",
        ));
    }
    let domain_id = world.new_id();
    let domain_name = match &request.domain_name {
        Some(name) => name.to_string(),
        None => format!("hw{}", &domain_id[..30]),
    };
    if world
        .customers
        .iter()
        .any(|(_, c)| c.account_name == domain_name)
    {
        return Err(ApiError::invalid(format!(
            "domain_name: `{domain_name}` is already used"
        )));
    }
    world.customers.push((
        reseller,
        customers::CustomerInformation {
            account_name: domain_name.clone(),
            customer_id: domain_id.clone(),
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
            customers::CheckSubcustomerUserReqSearchType::Name => c.account_name == value,
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

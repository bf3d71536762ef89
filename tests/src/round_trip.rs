//! The typed response of each operation, to decode a documented example into and encode it
//! again: what a program using the typed builders gets must carry every documented field.

use huaweicloud_bss::meta::Operation;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `body` as `T` and encodes it again.
fn via<T: DeserializeOwned + Serialize>(body: &Value) -> Result<Value, serde_json::Error> {
    serde_json::to_value(serde_json::from_value::<T>(body.clone())?)
}

macro_rules! round_trips {
    ($($group:ident { $($operation:ident => $response:ident,)* })*) => {
        /// `body` decoded as the typed response of `operation` and encoded again; `None` for an
        /// operation whose success has no body (or that this table does not know).
        pub fn round_trip(
            operation: &Operation,
            body: &Value,
        ) -> Option<Result<Value, serde_json::Error>> {
            match (operation.group, operation.rust_name) {
                $($(
                    (stringify!($group), stringify!($operation)) => {
                        Some(via::<huaweicloud_bss::$group::types::$response>(body))
                    }
                )*)*
                _ => None,
            }
        }
    };
}

round_trips! {
    accounts {
        list_customers_balances_detail => ListCustomersBalancesDetailResponse,
        update_customer_account_amount => UpdateCustomerAccountAmountResponse,
        reclaim_to_partner_account => ReclaimToPartnerAccountResponse,
        list_partner_adjust_records => ListPartnerAdjustRecordsResponse,
        list_partner_balances => ListPartnerBalancesResponse,
        list_partner_account_change_records => ListPartnerAccountChangeRecordsResponse,
        update_indirect_partner_account => UpdateIndirectPartnerAccountResponse,
        reclaim_indirect_partner_account => ReclaimIndirectPartnerAccountResponse,
    }
    bills {
        list_subcustomer_monthly_bills => ListSubcustomerMonthlyBillsResponse,
        list_sub_customer_bill_detail => ListSubCustomerBillDetailResponse,
        list_consume_sub_customers => ListConsumeSubCustomersResponse,
    }
    catalog {
        list_service_types => ListServiceTypesResponse,
        list_resource_types => ListResourceTypesResponse,
        list_service_resources => ListServiceResourcesResponse,
        list_usage_types => ListUsageTypesResponse,
        list_measure_units => ListMeasureUnitsResponse,
        list_conversions => ListConversionsResponse,
        list_resource_specs => ListResourceSpecsResponse,
    }
    costs {
        show_customer_monthly_sum => ShowCustomerMonthlySumResponse,
        list_customerself_resource_records => ListCustomerselfResourceRecordsResponse,
        list_customerself_resource_record_details => ListCustomerselfResourceRecordDetailsResponse,
        list_customer_bills_fee_records => ListCustomerBillsFeeRecordsResponse,
        list_customer_bills_monthly_break_down => ListCustomerBillsMonthlyBreakDownResponse,
        list_resource_usage => ListResourceUsageResponse,
        list_resource_usage_summary => ListResourceUsageSummaryResponse,
        list_costs => ListCostsResponse,
    }
    coupons {
        list_quota_coupons => ListQuotaCouponsResponse,
        create_partner_coupons => CreatePartnerCouponsResponse,
        list_issued_partner_coupons => ListIssuedPartnerCouponsResponse,
        list_partner_coupons_record => ListPartnerCouponsRecordResponse,
        list_sub_customer_coupons => ListSubCustomerCouponsResponse,
        list_issued_coupon_quotas => ListIssuedCouponQuotasResponse,
        update_coupon_quotas => UpdateCouponQuotasResponse,
        reclaim_coupon_quotas => ReclaimCouponQuotasResponse,
        list_coupon_quotas_records => ListCouponQuotasRecordsResponse,
    }
    customers {
        check_user_identity => CheckUserIdentityResponse,
        create_sub_customer => CreateSubCustomerResponse,
        list_sub_customers => ListSubCustomersResponse,
        list_sub_customer_new_tag => ListSubCustomerNewTagResponse,
        list_indirect_partners => ListIndirectPartnersResponse,
    }
    enterprise {
        list_enterprise_organizations => ListEnterpriseOrganizationsResponse,
        list_enterprise_sub_customers => ListEnterpriseSubCustomersResponse,
        list_enterprise_multi_account => ListEnterpriseMultiAccountResponse,
        show_multi_account_transfer_amount => ShowMultiAccountTransferAmountResponse,
        list_multi_account_transfer_coupons => ListMultiAccountTransferCouponsResponse,
        list_multi_account_retrieve_coupons => ListMultiAccountRetrieveCouponsResponse,
        claim_enterprise_multi_account_coupon => ClaimEnterpriseMultiAccountCouponResponse,
        reclaim_enterprise_multi_account_coupon => ReclaimEnterpriseMultiAccountCouponResponse,
    }
    funds {
        show_customer_account_balances => ShowCustomerAccountBalancesResponse,
        list_customer_account_change_records => ListCustomerAccountChangeRecordsResponse,
        list_customer_coupon_change_records => ListCustomerCouponChangeRecordsResponse,
        list_stored_value_cards => ListStoredValueCardsResponse,
        list_incentive_discount_policies => ListIncentiveDiscountPoliciesResponse,
        list_business_discount_info => ListBusinessDiscountInfoResponse,
    }
    geography {
        list_provinces => ListProvincesResponse,
        list_cities => ListCitiesResponse,
        list_counties => ListCountiesResponse,
    }
    intl {
        freeze_sub_customers => FreezeSubCustomersResponse,
        unfreeze_sub_customers => UnfreezeSubCustomersResponse,
        show_sub_customer_budget => ShowSubCustomerBudgetResponse,
        list_sub_customer_budget => ListSubCustomerBudgetResponse,
        list_sub_customer_budget_records => ListSubCustomerBudgetRecordsResponse,
        list_postpaid_bill_sum => ListPostpaidBillSumResponse,
        show_customer_expenditure_quota => ShowCustomerExpenditureQuotaResponse,
        show_partner_consumption_quota => ShowPartnerConsumptionQuotaResponse,
        list_invoices => ListInvoicesResponse,
    }
    orders {
        list_customer_orders => ListCustomerOrdersResponse,
        show_customer_order_details => ShowCustomerOrderDetailsResponse,
        show_refund_order_details => ShowRefundOrderDetailsResponse,
        list_order_discounts => ListOrderDiscountsResponse,
        list_order_coupons_by_order_id => ListOrderCouponsByOrderIdResponse,
    }
    packages {
        list_free_resource_infos => ListFreeResourceInfosResponse,
        list_free_resource_usages => ListFreeResourceUsagesResponse,
        list_free_resources_usage_records => ListFreeResourcesUsageRecordsResponse,
    }
    pricing {
        list_on_demand_resource_ratings => ListOnDemandResourceRatingsResponse,
        list_rate_on_period_detail => ListRateOnPeriodDetailResponse,
        list_renew_rate_on_period => ListRenewRateOnPeriodResponse,
    }
    realname {
        create_personal_realname_auth => CreatePersonalRealnameAuthResponse,
        create_enterprise_realname_authentication => CreateEnterpriseRealnameAuthenticationResponse,
        change_enterprise_realname_authentication => ChangeEnterpriseRealnameAuthenticationResponse,
        show_realname_authentication_review_result => ShowRealnameAuthenticationReviewResultResponse,
        show_real_name_auth_qr_code => ShowRealNameAuthQrCodeResponse,
        show_real_name_auth_status => ShowRealNameAuthStatusResponse,
    }
    resources {
        list_customer_on_demand_resources => ListCustomerOnDemandResourcesResponse,
        list_pay_per_use_customer_resources => ListPayPerUseCustomerResourcesResponse,
        renewal_resources => RenewalResourcesResponse,
        cancel_resources_subscription => CancelResourcesSubscriptionResponse,
        update_period_to_on_demand => UpdatePeriodToOnDemandResponse,
        update_period_to_on_demand_instantly => UpdatePeriodToOnDemandInstantlyResponse,
        set_resources_renew_config => SetResourcesRenewConfigResponse,
    }
}

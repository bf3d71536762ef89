//! One function per operation the sandbox tests call with parameters, by group
//! (`common::accounts::list_partner_balances`): it starts the operation's builder, lets a closure
//! set the parameters and sends it.

/// Defines, for each named operation of a group, a function that calls it with its builder set
/// by a closure: `list_partner_balances(&client, |r| r.indirect_partner_id(id)).await` is
/// `client.accounts().list_partner_balances().indirect_partner_id(id).send().await`.
macro_rules! calls {
    (@response $group:ident ()) => { () };
    (@response $group:ident $response:ident) => { huaweicloud_bss::$group::types::$response };
    ($($group:ident { $($operation:ident => $builder:ident -> $response:tt,)* })*) => {
        $(pub mod $group {
        $(
            #[doc = concat!("Calls `", stringify!($operation), "` with its builder set by `with`.")]
            pub async fn $operation<'a>(
                client: &'a huaweicloud_bss::Client,
                with: impl FnOnce(
                    huaweicloud_bss::$group::builder::$builder<'a>,
                ) -> huaweicloud_bss::$group::builder::$builder<'a>,
            ) -> Result<
                huaweicloud_bss::Response<calls!(@response $group $response)>,
                huaweicloud_bss::Error,
            > {
                with(client.$group().$operation()).send().await
            }
        )*
        })*
    };
}

calls! {
    accounts {
        list_customers_balances_detail => ListCustomersBalancesDetail -> ListCustomersBalancesDetailResponse,
        list_partner_account_change_records => ListPartnerAccountChangeRecords -> ListPartnerAccountChangeRecordsResponse,
        list_partner_adjust_records => ListPartnerAdjustRecords -> ListPartnerAdjustRecordsResponse,
        list_partner_balances => ListPartnerBalances -> ListPartnerBalancesResponse,
        reclaim_indirect_partner_account => ReclaimIndirectPartnerAccount -> ReclaimIndirectPartnerAccountResponse,
        reclaim_to_partner_account => ReclaimToPartnerAccount -> ReclaimToPartnerAccountResponse,
        update_customer_account_amount => UpdateCustomerAccountAmount -> UpdateCustomerAccountAmountResponse,
        update_indirect_partner_account => UpdateIndirectPartnerAccount -> UpdateIndirectPartnerAccountResponse,
    }
    bills {
        list_consume_sub_customers => ListConsumeSubCustomers -> ListConsumeSubCustomersResponse,
        list_sub_customer_bill_detail => ListSubCustomerBillDetail -> ListSubCustomerBillDetailResponse,
        list_subcustomer_monthly_bills => ListSubcustomerMonthlyBills -> ListSubcustomerMonthlyBillsResponse,
    }
    catalog {
        list_resource_specs => ListResourceSpecs -> ListResourceSpecsResponse,
        list_service_types => ListServiceTypes -> ListServiceTypesResponse,
    }
    costs {
        list_costs => ListCosts -> ListCostsResponse,
        list_customer_bills_fee_records => ListCustomerBillsFeeRecords -> ListCustomerBillsFeeRecordsResponse,
        list_customer_bills_monthly_break_down => ListCustomerBillsMonthlyBreakDown -> ListCustomerBillsMonthlyBreakDownResponse,
        list_customerself_resource_record_details => ListCustomerselfResourceRecordDetails -> ListCustomerselfResourceRecordDetailsResponse,
        list_customerself_resource_records => ListCustomerselfResourceRecords -> ListCustomerselfResourceRecordsResponse,
        list_resource_usage => ListResourceUsage -> ListResourceUsageResponse,
        show_customer_monthly_sum => ShowCustomerMonthlySum -> ShowCustomerMonthlySumResponse,
    }
    coupons {
        create_partner_coupons => CreatePartnerCoupons -> CreatePartnerCouponsResponse,
        list_coupon_quotas_records => ListCouponQuotasRecords -> ListCouponQuotasRecordsResponse,
        list_issued_coupon_quotas => ListIssuedCouponQuotas -> ListIssuedCouponQuotasResponse,
        list_issued_partner_coupons => ListIssuedPartnerCoupons -> ListIssuedPartnerCouponsResponse,
        list_partner_coupons_record => ListPartnerCouponsRecord -> ListPartnerCouponsRecordResponse,
        list_quota_coupons => ListQuotaCoupons -> ListQuotaCouponsResponse,
        list_sub_customer_coupons => ListSubCustomerCoupons -> ListSubCustomerCouponsResponse,
        reclaim_coupon_quotas => ReclaimCouponQuotas -> ReclaimCouponQuotasResponse,
        reclaim_partner_coupons => ReclaimPartnerCoupons -> (),
        update_coupon_quotas => UpdateCouponQuotas -> UpdateCouponQuotasResponse,
    }
    customers {
        list_sub_customers => ListSubCustomers -> ListSubCustomersResponse,
        send_verification_message_code => SendVerificationMessageCode -> (),
    }
    enterprise {
        claim_enterprise_multi_account_coupon => ClaimEnterpriseMultiAccountCoupon -> ClaimEnterpriseMultiAccountCouponResponse,
        create_sub_enterprise_account => CreateSubEnterpriseAccount -> (),
        list_enterprise_multi_account => ListEnterpriseMultiAccount -> ListEnterpriseMultiAccountResponse,
        list_enterprise_organizations => ListEnterpriseOrganizations -> ListEnterpriseOrganizationsResponse,
        list_enterprise_sub_customers => ListEnterpriseSubCustomers -> ListEnterpriseSubCustomersResponse,
        list_multi_account_retrieve_coupons => ListMultiAccountRetrieveCoupons -> ListMultiAccountRetrieveCouponsResponse,
        reclaim_enterprise_multi_account_coupon => ReclaimEnterpriseMultiAccountCoupon -> ReclaimEnterpriseMultiAccountCouponResponse,
        reclaim_sub_enterprise_amount => ReclaimSubEnterpriseAmount -> (),
        send_sms_verification_code => SendSmsVerificationCode -> (),
        show_multi_account_transfer_amount => ShowMultiAccountTransferAmount -> ShowMultiAccountTransferAmountResponse,
        update_sub_enterprise_amount => UpdateSubEnterpriseAmount -> (),
    }
    funds {
        list_business_discount_info => ListBusinessDiscountInfo -> ListBusinessDiscountInfoResponse,
        list_customer_account_change_records => ListCustomerAccountChangeRecords -> ListCustomerAccountChangeRecordsResponse,
        list_incentive_discount_policies => ListIncentiveDiscountPolicies -> ListIncentiveDiscountPoliciesResponse,
        list_stored_value_cards => ListStoredValueCards -> ListStoredValueCardsResponse,
    }
    intl {
        freeze_sub_customers => FreezeSubCustomers -> FreezeSubCustomersResponse,
        list_postpaid_bill_sum => ListPostpaidBillSum -> ListPostpaidBillSumResponse,
        list_sub_customer_budget => ListSubCustomerBudget -> ListSubCustomerBudgetResponse,
        list_sub_customer_budget_records => ListSubCustomerBudgetRecords -> ListSubCustomerBudgetRecordsResponse,
        show_sub_customer_budget => ShowSubCustomerBudget -> ShowSubCustomerBudgetResponse,
        unfreeze_sub_customers => UnfreezeSubCustomers -> UnfreezeSubCustomersResponse,
        update_sub_customer_budget => UpdateSubCustomerBudget -> (),
    }
    orders {
        cancel_customer_order => CancelCustomerOrder -> (),
        list_customer_orders => ListCustomerOrders -> ListCustomerOrdersResponse,
        list_order_coupons_by_order_id => ListOrderCouponsByOrderId -> ListOrderCouponsByOrderIdResponse,
        list_order_discounts => ListOrderDiscounts -> ListOrderDiscountsResponse,
        pay_orders => PayOrders -> (),
        show_customer_order_details => ShowCustomerOrderDetails -> ShowCustomerOrderDetailsResponse,
        show_refund_order_details => ShowRefundOrderDetails -> ShowRefundOrderDetailsResponse,
    }
    packages {
        list_free_resource_infos => ListFreeResourceInfos -> ListFreeResourceInfosResponse,
        list_free_resource_usages => ListFreeResourceUsages -> ListFreeResourceUsagesResponse,
        list_free_resources_usage_records => ListFreeResourcesUsageRecords -> ListFreeResourcesUsageRecordsResponse,
    }
    pricing {
        list_on_demand_resource_ratings => ListOnDemandResourceRatings -> ListOnDemandResourceRatingsResponse,
        list_rate_on_period_detail => ListRateOnPeriodDetail -> ListRateOnPeriodDetailResponse,
        list_renew_rate_on_period => ListRenewRateOnPeriod -> ListRenewRateOnPeriodResponse,
    }
    realname {
        change_enterprise_realname_authentication => ChangeEnterpriseRealnameAuthentication -> ChangeEnterpriseRealnameAuthenticationResponse,
        create_enterprise_realname_authentication => CreateEnterpriseRealnameAuthentication -> CreateEnterpriseRealnameAuthenticationResponse,
        create_personal_realname_auth => CreatePersonalRealnameAuth -> CreatePersonalRealnameAuthResponse,
        show_realname_authentication_review_result => ShowRealnameAuthenticationReviewResult -> ShowRealnameAuthenticationReviewResultResponse,
    }
    resources {
        auto_renewal_resources => AutoRenewalResources -> (),
        cancel_auto_renewal_resources => CancelAutoRenewalResources -> (),
        cancel_resources_subscription => CancelResourcesSubscription -> CancelResourcesSubscriptionResponse,
        list_customer_on_demand_resources => ListCustomerOnDemandResources -> ListCustomerOnDemandResourcesResponse,
        list_pay_per_use_customer_resources => ListPayPerUseCustomerResources -> ListPayPerUseCustomerResourcesResponse,
        renewal_resources => RenewalResources -> RenewalResourcesResponse,
        set_resources_renew_config => SetResourcesRenewConfig -> SetResourcesRenewConfigResponse,
        update_period_to_on_demand => UpdatePeriodToOnDemand -> UpdatePeriodToOnDemandResponse,
        update_period_to_on_demand_instantly => UpdatePeriodToOnDemandInstantly -> UpdatePeriodToOnDemandInstantlyResponse,
    }
}

//! The enterprise group's calls the sandbox tests share.

calls! {
    enterprise:
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

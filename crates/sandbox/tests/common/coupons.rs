//! The coupons group's calls the sandbox tests share.

calls! {
    coupons:
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

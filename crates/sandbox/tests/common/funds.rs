//! The funds group's calls the sandbox tests share.

calls! {
    funds:
    list_business_discount_info => ListBusinessDiscountInfo -> ListBusinessDiscountInfoResponse,
    list_customer_account_change_records => ListCustomerAccountChangeRecords -> ListCustomerAccountChangeRecordsResponse,
    list_incentive_discount_policies => ListIncentiveDiscountPolicies -> ListIncentiveDiscountPoliciesResponse,
    list_stored_value_cards => ListStoredValueCards -> ListStoredValueCardsResponse,
}

//! The pricing group's calls the sandbox tests share.

calls! {
    pricing:
    list_on_demand_resource_ratings => ListOnDemandResourceRatings -> ListOnDemandResourceRatingsResponse,
    list_rate_on_period_detail => ListRateOnPeriodDetail -> ListRateOnPeriodDetailResponse,
    list_renew_rate_on_period => ListRenewRateOnPeriod -> ListRenewRateOnPeriodResponse,
}

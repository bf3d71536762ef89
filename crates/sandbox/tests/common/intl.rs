//! The intl group's calls the sandbox tests share.

calls! {
    intl:
    freeze_sub_customers => FreezeSubCustomers -> FreezeSubCustomersResponse,
    list_postpaid_bill_sum => ListPostpaidBillSum -> ListPostpaidBillSumResponse,
    list_sub_customer_budget => ListSubCustomerBudget -> ListSubCustomerBudgetResponse,
    list_sub_customer_budget_records => ListSubCustomerBudgetRecords -> ListSubCustomerBudgetRecordsResponse,
    show_sub_customer_budget => ShowSubCustomerBudget -> ShowSubCustomerBudgetResponse,
    unfreeze_sub_customers => UnfreezeSubCustomers -> UnfreezeSubCustomersResponse,
    update_sub_customer_budget => UpdateSubCustomerBudget -> (),
}

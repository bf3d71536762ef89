//! The bills group's calls the sandbox tests share.

calls! {
    bills:
    list_consume_sub_customers => ListConsumeSubCustomers -> ListConsumeSubCustomersResponse,
    list_sub_customer_bill_detail => ListSubCustomerBillDetail -> ListSubCustomerBillDetailResponse,
    list_subcustomer_monthly_bills => ListSubcustomerMonthlyBills -> ListSubcustomerMonthlyBillsResponse,
}

//! The orders group's calls the sandbox tests share.

use huaweicloud_bss::Client;
use huaweicloud_bss::orders::types as orders;

/// The order `id`, which must exist.
pub async fn order(client: &Client, id: &str) -> orders::CustomerOrderV2 {
    let found = client
        .orders()
        .list_customer_orders()
        .order_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(found.total_count, Some(1), "{id}");
    found.order_infos[0].clone()
}

calls! {
    orders:
    cancel_customer_order => CancelCustomerOrder -> (),
    list_customer_orders => ListCustomerOrders -> ListCustomerOrdersResponse,
    list_order_coupons_by_order_id => ListOrderCouponsByOrderId -> ListOrderCouponsByOrderIdResponse,
    list_order_discounts => ListOrderDiscounts -> ListOrderDiscountsResponse,
    pay_orders => PayOrders -> (),
    show_customer_order_details => ShowCustomerOrderDetails -> ShowCustomerOrderDetailsResponse,
    show_refund_order_details => ShowRefundOrderDetails -> ShowRefundOrderDetailsResponse,
}

//! Pages through every customer of the partner: `.items()` turns ListSubCustomers' pages into
//! one stream of customers, fetching the next page as the stream is read.
//!
//! `cargo run -p huaweicloud-bss --example page_customers` (offline: an in-process sandbox
//! answers, no credentials needed).

mod support;

use futures::TryStreamExt;
use huaweicloud_bss::PageOptions;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let offline = support::start(Default::default()).await?;
    let client = &offline.client;

    // 100 customers a page (the operation's largest), two pages in flight at a time.
    let options = PageOptions {
        concurrency: 2,
        ..PageOptions::default()
    };
    let mut customers = client.customers().list_sub_customers().items(options);
    let mut count = 0usize;
    while let Some(customer) = customers.try_next().await? {
        count += 1;
        if count <= 5 {
            let id = customer.customer_id.as_deref().unwrap_or("");
            let name = customer.account_name.as_deref().unwrap_or("");
            println!("{id}  {name}");
        }
    }
    println!("… {count} customers in all");
    if count == 0 {
        return Err("the sandbox has customers; none came back".into());
    }
    Ok(())
}

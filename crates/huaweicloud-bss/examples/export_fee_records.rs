//! Exports one month's resource fee records of every customer to CSV: ListSubCustomers for the
//! customers, then ListSubCustomerBillDetail for each one's records of the month. Amounts are
//! written exactly as decimals (never through a float).
//!
//! `cargo run -p huaweicloud-bss --example export_fee_records -- 2024-05 fees.csv`
//! (offline: an in-process sandbox answers; without a file name the CSV goes to stdout).

mod support;

use futures::TryStreamExt;
use huaweicloud_bss::{Amount, PageOptions};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let month = args.next().unwrap_or_else(|| "2024-05".to_string());
    let output: Box<dyn std::io::Write> = match args.next() {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let offline = support::start(Default::default()).await?;
    let client = &offline.client;

    let mut csv = csv::Writer::from_writer(output);
    csv.write_record([
        "customer_id",
        "bill_cycle",
        "service_type_code",
        "resource_type_code",
        "region_code",
        "official_amount",
        "payment_amount",
    ])?;
    let text = |value: Option<String>| value.unwrap_or_default();
    let amount = |value: Option<Amount>| value.map(|a| a.to_string()).unwrap_or_default();

    let mut customers = client
        .customers()
        .list_sub_customers()
        .items(PageOptions::default());
    let (mut customer_count, mut record_count) = (0usize, 0usize);
    while let Some(customer) = customers.try_next().await? {
        customer_count += 1;
        let Some(customer_id) = customer.customer_id else {
            continue; // nothing to ask for without an id
        };
        let mut records = client
            .bills()
            .list_sub_customer_bill_detail()
            .customer_id(customer_id.clone())
            .bill_cycle(month.clone())
            .items(PageOptions::default());
        while let Some(record) = records.try_next().await? {
            record_count += 1;
            csv.write_record([
                customer_id.clone(),
                text(record.bill_cycle),
                text(record.service_type_code),
                text(record.resource_type_code),
                text(record.region_code),
                amount(record.official_amount),
                amount(record.payment_amount),
            ])?;
        }
    }
    csv.flush()?;
    eprintln!("{record_count} fee records of {customer_count} customers for {month}");
    if record_count == 0 {
        return Err(format!("the sandbox has fee records for {month}; none came back").into());
    }
    Ok(())
}

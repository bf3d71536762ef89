//! Transfers funds from the partner to a customer (UpdateCustomerAccountAmount) and handles
//! every outcome a program must tell apart:
//!
//! - done: the answer carries the transfer id;
//! - refused by the service (insufficient balance, not the partner's customer, …): nothing
//!   moved, the error carries the code, message and request id;
//! - refused before sending (an input outside the documented rules): nothing was sent;
//! - failed before the request could leave (no connection): nothing moved, safe to try again;
//! - outcome unknown: the request may have reached the service but the answer was lost (a
//!   timeout, a reset, a truncated body). A transfer is never re-sent automatically; the program
//!   reads the partner's adjust records back to learn whether it happened before deciding.
//!
//! `cargo run -p huaweicloud-bss --example transfer_funds` (offline: an in-process sandbox
//! answers, slowed down by 300 ms a call so that a hurried client times out on one transfer).

mod support;

use std::num::NonZeroU32;
use std::time::Duration;

use huaweicloud_bss::{Client, Error, PositiveAmount};
use huaweicloud_bss_sandbox::Config;

/// What became of one transfer.
enum Outcome {
    /// The service moved the funds.
    Done { transfer_id: String },
    /// Nothing moved: the service refused, or the client refused before sending.
    NotDone { why: String },
    /// The transfer was lost on the way back and the read-back found it.
    FoundAfterUnknown { trans_id: String },
    /// The transfer was lost on the way back and the read-back did not find it: it did not happen.
    AbsentAfterUnknown,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Done { transfer_id } => write!(f, "done, transfer {transfer_id}"),
            Outcome::NotDone { why } => write!(f, "nothing moved: {why}"),
            Outcome::FoundAfterUnknown { trans_id } => {
                write!(f, "answer lost; the read-back found it: record {trans_id}")
            }
            Outcome::AbsentAfterUnknown => {
                write!(
                    f,
                    "answer lost; the read-back did not find it: it did not happen"
                )
            }
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config {
        latency: Duration::from_millis(300),
        ..Config::default()
    };
    let offline = support::start(config).await?;
    let client = &offline.client;
    // The same configuration with a timeout shorter than the service's answer.
    let hurried = support::client_for(
        &offline.sandbox,
        Client::builder().timeout(Duration::from_millis(100)),
    )?;

    // A reseller-model customer (association type 2): funds move only to those.
    let first = client
        .customers()
        .list_sub_customers()
        .body_map(|body| {
            body.association_type("2".to_string())
                .limit(NonZeroU32::new(1))
        })
        .send()
        .await?
        .into_inner();
    let customer_id = first
        .customer_infos
        .first()
        .and_then(|c| c.customer_id.clone())
        .ok_or("the sandbox has customers; none came back")?;

    let amount: PositiveAmount = "100.00".parse()?;
    let cases = [
        ("a transfer", client, customer_id.as_str(), amount),
        ("to a stranger", client, "not-a-customer-of-ours", amount),
        (
            "more than the partner has",
            client,
            customer_id.as_str(),
            "999999999.99".parse()?,
        ),
        ("answer lost", &hurried, customer_id.as_str(), amount),
    ];
    let mut outcomes = Vec::new();
    for (label, caller, customer, amount) in cases {
        let outcome = transfer(caller, client, customer, amount).await?;
        println!("{label}: {outcome}");
        outcomes.push(outcome);
    }
    // The sandbox answers the same way every run: CI runs this example as a check.
    match outcomes.as_slice() {
        [
            Outcome::Done { .. },
            Outcome::NotDone { .. },
            Outcome::NotDone { .. },
            Outcome::FoundAfterUnknown { .. } | Outcome::AbsentAfterUnknown,
        ] => Ok(()),
        _ => Err("the sandbox's answers were not the expected ones".into()),
    }
}

/// Sends one transfer with `caller` and, when its outcome is unknown, reads back with `reader`.
async fn transfer(
    caller: &Client,
    reader: &Client,
    customer_id: &str,
    amount: PositiveAmount,
) -> Result<Outcome, Error> {
    let before = adjust_record_count(reader, customer_id).await?;
    let sent = caller
        .accounts()
        .update_customer_account_amount()
        .body_map(|body| body.customer_id(customer_id.to_string()).amount(amount))
        .send()
        .await;
    match sent {
        Ok(answer) => Ok(Outcome::Done {
            transfer_id: answer.into_inner().transfer_id.unwrap_or_default(),
        }),
        Err(err) if err.is_outcome_unknown() => {
            // Never send it again blindly: a second transfer would move the money twice.
            let records = reader
                .accounts()
                .list_partner_adjust_records()
                .customer_id(customer_id.to_string())
                .send()
                .await?
                .into_inner();
            let now = records.total_count.unwrap_or_default();
            let newest = records.records.into_iter().next();
            match newest {
                Some(record)
                    if now > before && record.amount.map(|a| a.value()) == Some(amount.value()) =>
                {
                    Ok(Outcome::FoundAfterUnknown {
                        trans_id: record.trans_id.unwrap_or_default(),
                    })
                }
                _ => Ok(Outcome::AbsentAfterUnknown),
            }
        }
        Err(err) if err.kind() == huaweicloud_bss::ErrorKind::Api => Ok(Outcome::NotDone {
            why: format!(
                "{} {}: {} (request id {})",
                err.status().unwrap_or_default(),
                err.code().unwrap_or_default(),
                err.message(),
                err.request_id().unwrap_or("none"),
            ),
        }),
        Err(err) if err.kind() == huaweicloud_bss::ErrorKind::InvalidInput => {
            Ok(Outcome::NotDone {
                why: format!("not sent: {err}"),
            })
        }
        // A transport failure that is not outcome-unknown never left this machine.
        Err(err) if err.is_transport() => Ok(Outcome::NotDone {
            why: format!("no connection, safe to try again: {err}"),
        }),
        Err(err) => Err(err),
    }
}

/// How many transfer and reclaim records the partner has for this customer.
async fn adjust_record_count(client: &Client, customer_id: &str) -> Result<i32, Error> {
    let records = client
        .accounts()
        .list_partner_adjust_records()
        .customer_id(customer_id.to_string())
        .limit(1)
        .send()
        .await?
        .into_inner();
    Ok(records.total_count.unwrap_or_default())
}

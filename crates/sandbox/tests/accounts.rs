//! The accounts group in the sandbox, through the real client: seeded balances and records that
//! agree with each other, transfers and reclaims that move money exactly and leave records, and
//! business errors that change nothing.

use futures::TryStreamExt;
use huaweicloud_bss::accounts::types as accounts;
use huaweicloud_bss::customers::types as customers;
use huaweicloud_bss::{Client, Decimal};
use serde_json::json;

mod common;

use common::{
    accounts::{
        list_customers_balances_detail, list_partner_account_change_records,
        list_partner_adjust_records, list_partner_balances, reclaim_indirect_partner_account,
        reclaim_to_partner_account, update_customer_account_amount,
        update_indirect_partner_account,
    },
    all,
    bills::list_sub_customer_bill_detail,
    d, failure, new_customer, pages_of, start, sub_customers,
};
/// The customers of the partner (or of a reseller) with the given association type.
async fn customers_of(
    client: &Client,
    reseller: Option<&str>,
    association: &str,
) -> Vec<customers::CustomerInformation> {
    let mut request = json!({"association_type": association, "limit": 100});
    if let Some(r) = reseller {
        request["indirect_partner_id"] = json!(r);
    }
    sub_customers(client, request).await
}

async fn balance(client: &Client, customer: &str, reseller: Option<&str>) -> Decimal {
    let found = list_customers_balances_detail(client, |r| {
        r.body_map(|b| {
            b.customer_infos(vec![
                accounts::CustomerInfoV2::builder()
                    .customer_id(customer)
                    .try_into()
                    .unwrap(),
            ])
            .indirect_partner_id(reseller.map(|r| r.try_into().unwrap()))
        })
    })
    .await
    .unwrap()
    .into_inner()
    .customer_balances;
    assert_eq!(found.len(), 1, "{customer}");
    found[0].amount.unwrap().value()
}

async fn cash(client: &Client, reseller: Option<&str>) -> accounts::AccountBalanceV2 {
    let mut request = client.accounts().list_partner_balances();
    if let Some(r) = reseller {
        request = request.indirect_partner_id(r);
    }
    let accounts = request.send().await.unwrap().into_inner().account_balances;
    accounts
        .into_iter()
        .find(|a| a.account_type == Some(1))
        .unwrap()
}

async fn cash_amount(client: &Client, reseller: Option<&str>) -> Decimal {
    cash(client, reseller).await.amount.unwrap().value()
}

async fn adjust_records(
    client: &Client,
    reseller: Option<&str>,
) -> accounts::ListPartnerAdjustRecordsResponse {
    let mut request = client.accounts().list_partner_adjust_records();
    if let Some(r) = reseller {
        request = request.indirect_partner_id(r);
    }
    request.send().await.unwrap().into_inner()
}

async fn change_records(
    client: &Client,
    reseller: Option<&str>,
) -> accounts::ListPartnerAccountChangeRecordsResponse {
    let mut request = client
        .accounts()
        .list_partner_account_change_records()
        .balance_type(accounts::ListPartnerAccountChangeRecordsBalanceType::BalanceTypeDebit);
    if let Some(r) = reseller {
        request = request.indirect_partner_id(r);
    }
    request.send().await.unwrap().into_inner()
}

async fn resellers(client: &Client) -> Vec<String> {
    client
        .customers()
        .list_indirect_partners()
        .send()
        .await
        .unwrap()
        .into_inner()
        .indirect_partners
        .into_iter()
        .filter_map(|p| p.indirect_partner_id)
        .collect()
}

#[tokio::test]
async fn seeded_balances_agree_with_the_records() {
    let (_sandbox, client) = start().await;
    let accounts = client
        .accounts()
        .list_partner_balances()
        .send()
        .await
        .unwrap()
        .into_inner()
        .account_balances;
    assert_eq!(accounts.len(), 2);
    let cash = &accounts[0];
    assert_eq!(cash.account_type, Some(1));
    assert_eq!(cash.designated_amount.unwrap().value(), d("2000"));
    assert_eq!(cash.currency.as_deref(), Some("CNY"));
    let credit = &accounts[1];
    assert_eq!(credit.account_type, Some(2));
    assert_eq!(credit.credit_amount.unwrap().value(), d("200000"));

    // The newest income/expense record leaves the account at its current balance, and each
    // record follows from the one before it.
    let records: Vec<_> = client
        .accounts()
        .list_partner_account_change_records()
        .balance_type(accounts::ListPartnerAccountChangeRecordsBalanceType::BalanceTypeDebit)
        .items(all())
        .try_collect()
        .await
        .unwrap();
    let total = change_records(&client, None).await.total_count.unwrap();
    assert_eq!(records.len(), total as usize);
    assert!(total > 300, "{total}");
    assert_eq!(
        records[0].balance_after_change.unwrap().value(),
        cash.amount.unwrap().value()
    );
    for pair in records.windows(2) {
        let (newer, older) = (&pair[0], &pair[1]);
        let change = newer.change_amount.unwrap().value();
        let signed = if newer.type_.as_deref() == Some("1") {
            change
        } else {
            -change
        };
        assert_eq!(
            older.balance_after_change.unwrap().value() + signed,
            newer.balance_after_change.unwrap().value(),
            "{newer:?}"
        );
        assert!(older.trade_time <= newer.trade_time);
    }

    // The credit account has its own records, ending at its balance.
    let credit_records = list_partner_account_change_records(&client, |r| {
        r.balance_type(accounts::ListPartnerAccountChangeRecordsBalanceType::BalanceTypeCredit)
    })
    .await
    .unwrap()
    .into_inner();
    assert!(credit_records.total_count.unwrap() >= 12);
    assert_eq!(
        credit_records.records[0].balance_after_change,
        credit.amount
    );

    // Every reseller's balance is its latest record's.
    for reseller in resellers(&client).await.iter().take(3) {
        let now = cash_amount(&client, Some(reseller)).await;
        let latest = change_records(&client, Some(reseller)).await;
        assert!(latest.total_count.unwrap() > 0);
        assert_eq!(latest.records[0].balance_after_change.unwrap().value(), now);
    }
}

#[tokio::test]
async fn adjust_records_page_and_filter() {
    let (_sandbox, client) = start().await;
    let first = adjust_records(&client, None).await;
    let total = first.total_count.unwrap();
    assert!(total > 250, "{total}");
    assert_eq!(first.records.len(), 10);
    let every: Vec<_> = client
        .accounts()
        .list_partner_adjust_records()
        .items(pages_of(37))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(every.len(), total as usize);
    assert_eq!(every[..10], first.records[..]);
    assert!(
        every
            .windows(2)
            .all(|p| p[0].operation_time >= p[1].operation_time)
    );

    let reclaims: Vec<_> = client
        .accounts()
        .list_partner_adjust_records()
        .operation_type(accounts::ListPartnerAdjustRecordsOperationType::SourceOperationBeretrieve)
        .items(all())
        .try_collect()
        .await
        .unwrap();
    let counted = every
        .iter()
        .filter(|r| r.operation_type.as_deref() == Some("SOURCE_OPERATION_BERETRIEVE"))
        .count();
    assert!(counted > 10);
    assert_eq!(reclaims.len(), counted);

    // A time window and one customer.
    let march = list_partner_adjust_records(&client, |r| {
        r.operation_time_begin("2024-03-01T00:00:00Z")
            .operation_time_end("2024-03-31T23:59:59Z")
            .limit(100)
    })
    .await
    .unwrap()
    .into_inner();
    let expected = every
        .iter()
        .filter(|r| {
            r.operation_time
                .as_deref()
                .is_some_and(|t| t.starts_with("2024-03"))
        })
        .count();
    assert!(expected > 0);
    assert_eq!(march.total_count.unwrap() as usize, expected);
    let someone = every[5].customer_id.clone().unwrap();
    let theirs =
        list_partner_adjust_records(&client, |r| r.customer_id(someone.as_str()).limit(100))
            .await
            .unwrap()
            .into_inner();
    assert!(!theirs.records.is_empty());
    assert!(
        theirs
            .records
            .iter()
            .all(|r| r.customer_id.as_ref() == Some(&someone))
    );
    let by_id = list_partner_adjust_records(&client, |r| {
        r.trans_id(every[5].trans_id.clone().unwrap().as_str())
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(by_id.total_count, Some(1));
    assert_eq!(by_id.records[0], every[5]);
    // Not a customer of the partner: an empty list.
    let nobody = list_partner_adjust_records(&client, |r| {
        r.customer_id("00000000000000000000000000000000")
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(nobody.total_count, Some(0));
    // A malformed time is CBC.0100.
    let err = failure(
        list_partner_adjust_records(&client, |r| r.operation_time_begin("2024-03-01")).await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn a_transfer_and_a_reclaim_move_money_exactly() {
    let (_sandbox, client) = start().await;
    let customer = customers_of(&client, None, "2").await[3]
        .customer_id
        .clone()
        .unwrap();
    let before = balance(&client, &customer, None).await;
    let partner_before = cash_amount(&client, None).await;
    let adjusts_before = adjust_records(&client, None).await.total_count.unwrap();

    let transfer = update_customer_account_amount(&client, |r| {
        r.body_map(|b| b.customer_id(customer.as_str()).amount("1234.56"))
    })
    .await
    .unwrap()
    .into_inner()
    .transfer_id
    .unwrap();
    assert_eq!(
        balance(&client, &customer, None).await,
        before + d("1234.56")
    );
    let partner_after = cash_amount(&client, None).await;
    assert_eq!(partner_after, partner_before - d("1234.56"));

    let adjusts = adjust_records(&client, None).await;
    assert_eq!(adjusts.total_count.unwrap(), adjusts_before + 1);
    let newest = &adjusts.records[0];
    assert_eq!(newest.trans_id.as_deref(), Some(transfer.as_str()));
    assert_eq!(newest.customer_id.as_deref(), Some(customer.as_str()));
    assert_eq!(
        newest.operation_type.as_deref(),
        Some("SOURCE_OPERATION_BEADJUST")
    );
    assert_eq!(newest.amount.unwrap().value(), d("1234.56"));
    assert_eq!(
        newest.operation_time.as_deref(),
        Some("2024-06-01T00:00:00Z")
    );

    let changes = list_partner_account_change_records(&client, |r| {
        r.balance_type(accounts::ListPartnerAccountChangeRecordsBalanceType::BalanceTypeDebit)
            .trade_type("BEADJUST")
    })
    .await
    .unwrap()
    .into_inner();
    let change = &changes.records[0];
    assert_eq!(change.trade_id.as_deref(), Some(transfer.as_str()));
    assert_eq!(change.type_.as_deref(), Some("2"));
    assert_eq!(change.change_amount.unwrap().value(), d("1234.56"));
    assert_eq!(change.balance_after_change.unwrap().value(), partner_after);
    assert_eq!(change.customer_id.as_deref(), Some(customer.as_str()));
    assert!(
        changes
            .records
            .iter()
            .all(|r| r.trade_detail_type.as_deref() == Some("SOURCE_OPERATION_BEADJUST"))
    );

    // Reclaim part of it.
    let reclaim = reclaim_to_partner_account(&client, |r| {
        r.body_map(|b| b.customer_id(customer.as_str()).amount("234.5"))
    })
    .await
    .unwrap()
    .into_inner()
    .trans_id
    .unwrap();
    let held = balance(&client, &customer, None).await;
    assert_eq!(held, before + d("1000.06"));
    assert_eq!(cash_amount(&client, None).await, partner_after + d("234.5"));
    let adjusts = adjust_records(&client, None).await;
    assert_eq!(
        adjusts.records[0].trans_id.as_deref(),
        Some(reclaim.as_str())
    );
    assert_eq!(
        adjusts.records[0].operation_type.as_deref(),
        Some("SOURCE_OPERATION_BERETRIEVE")
    );
    assert_eq!(
        adjusts.records[1].trans_id.as_deref(),
        Some(transfer.as_str())
    );
    let income = &change_records(&client, None).await.records[0];
    assert_eq!(income.trade_id.as_deref(), Some(reclaim.as_str()));
    assert_eq!(income.type_.as_deref(), Some("1"));

    // Reclaiming more than the customer holds: CBC.99005003, nothing changes.
    let too_much = (held + d("0.01")).to_string();
    let err = failure(
        reclaim_to_partner_account(&client, |r| {
            r.body_map(|b| b.customer_id(customer.as_str()).amount(too_much.as_str()))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99005003"), "{err}");
    assert_eq!(balance(&client, &customer, None).await, held);
    assert_eq!(
        adjust_records(&client, None).await.total_count.unwrap(),
        adjusts_before + 2
    );
}

#[tokio::test]
async fn business_errors_change_nothing() {
    let (_sandbox, client) = start().await;
    let customer = customers_of(&client, None, "2").await[0]
        .customer_id
        .clone()
        .unwrap();
    let before = balance(&client, &customer, None).await;
    let account = cash(&client, None).await;
    let available = account.amount.unwrap().value() - account.designated_amount.unwrap().value();
    let records = adjust_records(&client, None).await.total_count;

    // More than the partner can transfer (amount - designated_amount).
    let too_much = (available + d("0.01")).to_string();
    let err = failure(
        update_customer_account_amount(&client, |r| {
            r.body_map(|b| b.customer_id(customer.as_str()).amount(too_much.as_str()))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99005003"), "{err}");
    assert_eq!(err.status(), Some(400));
    // Exactly what is available goes through.
    let exact = available.to_string();
    update_customer_account_amount(&client, |r| {
        r.body_map(|b| b.customer_id(customer.as_str()).amount(exact.as_str()))
    })
    .await
    .unwrap();
    assert_eq!(cash_amount(&client, None).await, d("2000"));
    assert_eq!(balance(&client, &customer, None).await, before + available);
    let records = records.unwrap() + 1;

    // Not a customer of the partner.
    let err = failure(
        update_customer_account_amount(&client, |r| {
            r.body_map(|b| {
                b.customer_id("ffffffffffffffffffffffffffffffff")
                    .amount("10")
            })
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99000035"));
    // A reseller's customer is not the partner's own, and not another reseller's.
    let resellers = resellers(&client).await;
    let (owner, theirs) = {
        let mut found = None;
        for r in &resellers {
            if let Some(c) = customers_of(&client, Some(r), "2").await.first() {
                found = Some((r.clone(), c.customer_id.clone().unwrap()));
                break;
            }
        }
        found.unwrap()
    };
    let err = failure(
        update_customer_account_amount(&client, |r| {
            r.body_map(|b| b.customer_id(theirs.as_str()).amount("10"))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99000035"));
    let other = resellers.iter().find(|r| **r != owner).unwrap().clone();
    let err = failure(
        reclaim_to_partner_account(&client, |r| {
            r.body_map(|b| {
                b.customer_id(theirs.as_str())
                    .amount("1")
                    .indirect_partner_id(Some(other.as_str().try_into().unwrap()))
            })
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99000035"));
    // An unknown reseller.
    let err = failure(
        update_customer_account_amount(&client, |r| {
            r.body_map(|b| {
                b.customer_id(theirs.as_str())
                    .amount("1")
                    .indirect_partner_id(Some("not-a-reseller".try_into().unwrap()))
            })
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99000037"));
    // A referral customer has no partner funds.
    let referral = customers_of(&client, None, "1").await[0]
        .customer_id
        .clone()
        .unwrap();
    let err = failure(
        update_customer_account_amount(&client, |r| {
            r.body_map(|b| b.customer_id(referral.as_str()).amount("1"))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.5021"));
    // Nothing of that moved money or left a record.
    assert_eq!(cash_amount(&client, None).await, d("2000"));
    assert_eq!(
        adjust_records(&client, None).await.total_count,
        Some(records)
    );
    // The balance query leaves out what is not a reseller-model customer of the caller.
    let found = list_customers_balances_detail(&client, |r| {
        r.body_map(|b| {
            b.customer_infos(
                [
                    customer.as_str(),
                    referral.as_str(),
                    theirs.as_str(),
                    "nobody",
                ]
                .into_iter()
                .map(|id| {
                    accounts::CustomerInfoV2::builder()
                        .customer_id(id)
                        .try_into()
                        .unwrap()
                })
                .collect::<Vec<_>>(),
            )
        })
    })
    .await
    .unwrap()
    .into_inner()
    .customer_balances;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].customer_id.as_deref(), Some(customer.as_str()));
}

#[tokio::test]
async fn funds_flow_through_a_reseller() {
    let (_sandbox, client) = start().await;
    let resellers = resellers(&client).await;
    let mut pick = None;
    for r in &resellers {
        if let Some(c) = customers_of(&client, Some(r), "2").await.first() {
            pick = Some((r.clone(), c.customer_id.clone().unwrap()));
            break;
        }
    }
    let (reseller, customer) = pick.unwrap();
    let partner = cash_amount(&client, None).await;
    let theirs = cash_amount(&client, Some(&reseller)).await;

    // Distributor → reseller.
    let transfer = update_indirect_partner_account(&client, |r| {
        r.body_map(|b| b.indirect_partner_id(reseller.as_str()).amount("5000"))
    })
    .await
    .unwrap()
    .into_inner()
    .transfer_id
    .unwrap();
    assert_eq!(cash_amount(&client, None).await, partner - d("5000"));
    assert_eq!(
        cash_amount(&client, Some(&reseller)).await,
        theirs + d("5000")
    );
    let newest = &adjust_records(&client, None).await.records[0];
    assert_eq!(newest.trans_id.as_deref(), Some(transfer.as_str()));
    assert_eq!(newest.customer_id.as_deref(), Some(reseller.as_str()));
    let income = &change_records(&client, Some(&reseller)).await.records[0];
    assert_eq!(income.trade_id.as_deref(), Some(transfer.as_str()));
    assert_eq!(income.type_.as_deref(), Some("1"));
    assert_eq!(
        income.balance_after_change.unwrap().value(),
        theirs + d("5000")
    );

    // Reseller → its customer.
    let held = balance(&client, &customer, Some(&reseller)).await;
    let to_customer = update_customer_account_amount(&client, |r| {
        r.body_map(|b| {
            b.customer_id(customer.as_str())
                .amount("99.99")
                .indirect_partner_id(Some(reseller.as_str().try_into().unwrap()))
        })
    })
    .await
    .unwrap()
    .into_inner()
    .transfer_id
    .unwrap();
    assert_eq!(
        balance(&client, &customer, Some(&reseller)).await,
        held + d("99.99")
    );
    assert_eq!(
        cash_amount(&client, Some(&reseller)).await,
        theirs + d("4900.01")
    );
    // The partner's own money did not move; the record is the reseller's.
    assert_eq!(cash_amount(&client, None).await, partner - d("5000"));
    let records = adjust_records(&client, Some(&reseller)).await;
    assert_eq!(
        records.records[0].trans_id.as_deref(),
        Some(to_customer.as_str())
    );
    assert_ne!(
        adjust_records(&client, None).await.records[0]
            .trans_id
            .as_deref(),
        Some(to_customer.as_str())
    );

    // Reclaim from the reseller: more than it holds fails, the rest works.
    let now = cash_amount(&client, Some(&reseller)).await;
    let too_much = (now + d("1")).to_string();
    let err = failure(
        reclaim_indirect_partner_account(&client, |r| {
            r.body_map(|b| {
                b.indirect_partner_id(reseller.as_str())
                    .amount(too_much.as_str())
            })
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99005003"));
    assert_eq!(cash_amount(&client, Some(&reseller)).await, now);
    let back = reclaim_indirect_partner_account(&client, |r| {
        r.body_map(|b| b.indirect_partner_id(reseller.as_str()).amount("0.35"))
    })
    .await
    .unwrap()
    .into_inner()
    .trans_id
    .unwrap();
    assert_eq!(cash_amount(&client, Some(&reseller)).await, now - d("0.35"));
    assert_eq!(cash_amount(&client, None).await, partner - d("4999.65"));
    let newest = &adjust_records(&client, None).await.records[0];
    assert_eq!(newest.trans_id.as_deref(), Some(back.as_str()));
    assert_eq!(
        newest.operation_type.as_deref(),
        Some("SOURCE_OPERATION_BERETRIEVE")
    );

    // Unknown resellers: CBC.99000037, for writes and reads.
    let err = failure(
        update_indirect_partner_account(&client, |r| {
            r.body_map(|b| b.indirect_partner_id("not-a-reseller").amount("1"))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99000037"));
    let err =
        failure(list_partner_balances(&client, |r| r.indirect_partner_id("not-a-reseller")).await);
    assert_eq!(err.code(), Some("CBC.99000037"));
}

#[tokio::test]
async fn a_created_customer_starts_at_zero_and_receives_funds() {
    let (_sandbox, client) = start().await;
    let id = new_customer(&client, "funds_new_user", "u-77").await;
    assert_eq!(balance(&client, &id, None).await, Decimal::ZERO);
    let err = failure(
        reclaim_to_partner_account(&client, |r| {
            r.body_map(|b| b.customer_id(id.as_str()).amount("1"))
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.99005003"));
    update_customer_account_amount(&client, |r| {
        r.body_map(|b| b.customer_id(id.as_str()).amount("100"))
    })
    .await
    .unwrap();
    assert_eq!(balance(&client, &id, None).await, d("100"));
    let theirs = list_partner_adjust_records(&client, |r| r.customer_id(id.as_str()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(theirs.total_count, Some(1));
    assert_eq!(
        theirs.records[0].customer_name.as_deref(),
        Some("funds_new_user")
    );
    // It has consumed nothing yet: an empty list, not an error.
    let bills = list_sub_customer_bill_detail(&client, |r| {
        r.bill_cycle("2024-05").customer_id(id.as_str())
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(bills.total_count, Some(0));
}

#[tokio::test]
async fn change_records_filter_by_type_and_period() {
    let (_sandbox, client) = start().await;
    let every = change_records(&client, None).await.total_count.unwrap();
    let mut sum = 0;
    for trade in ["RECHARGE", "BEADJUST", "BERETRIEVE"] {
        let found: Vec<_> = client
            .accounts()
            .list_partner_account_change_records()
            .balance_type(accounts::ListPartnerAccountChangeRecordsBalanceType::BalanceTypeDebit)
            .trade_type(trade)
            .items(all())
            .try_collect()
            .await
            .unwrap();
        assert!(!found.is_empty(), "{trade}");
        let detail = format!("_{trade}");
        assert!(found.iter().all(|r| {
            r.trade_detail_type
                .as_deref()
                .is_some_and(|t| t.ends_with(&detail))
        }));
        sum += found.len() as i32;
    }
    assert_eq!(sum, every);
    // One quarter (UTC+8 days).
    let quarter: Vec<_> = client
        .accounts()
        .list_partner_account_change_records()
        .balance_type(accounts::ListPartnerAccountChangeRecordsBalanceType::BalanceTypeDebit)
        .trade_time_begin("2024-01-01")
        .trade_time_end("2024-03-31")
        .items(all())
        .try_collect()
        .await
        .unwrap();
    assert!(!quarter.is_empty() && (quarter.len() as i32) < every);
    assert!(quarter.iter().all(|r| {
        let t = r.trade_time.as_deref().unwrap();
        ("2023-12-31T16:00:00Z"..="2024-03-31T15:59:59Z").contains(&t)
    }));
    // More than a year: CBC.0100.
    let err = failure(
        list_partner_account_change_records(&client, |r| {
            r.balance_type(accounts::ListPartnerAccountChangeRecordsBalanceType::BalanceTypeDebit)
                .trade_time_begin("2022-01-01")
                .trade_time_end("2024-03-31")
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

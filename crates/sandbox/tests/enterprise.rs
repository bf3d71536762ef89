//! Enterprise multi-account in the sandbox, through the real client: the caller is an enterprise
//! master account with a seeded organisation, member accounts, balances and coupons; funds and
//! coupons move between master and members exactly, `trans_id` de-duplicates, and accounts that
//! are not valid members are refused with `CBC.99000086` while nothing changes.

use futures::TryStreamExt;
use huaweicloud_bss::enterprise::types;
use huaweicloud_bss::funds::types as funds;
use huaweicloud_bss::{Client, Decimal, Error, PageOptions};
use serde_json::json;

mod common;

use common::{
    d,
    enterprise::{
        claim_enterprise_multi_account_coupon, create_sub_enterprise_account,
        list_enterprise_multi_account, list_enterprise_organizations,
        list_enterprise_sub_customers, list_multi_account_retrieve_coupons,
        reclaim_enterprise_multi_account_coupon, reclaim_sub_enterprise_amount,
        send_sms_verification_code, show_multi_account_transfer_amount,
        update_sub_enterprise_amount,
    },
    failure,
    funds::list_customer_account_change_records,
    pages_of, start, sub_customers,
};
fn pages(size: u32) -> PageOptions {
    pages_of(size)
}

const DEBIT: types::ListEnterpriseMultiAccountBalanceType =
    types::ListEnterpriseMultiAccountBalanceType::BalanceTypeDebit;
const CREDIT: types::ListEnterpriseMultiAccountBalanceType =
    types::ListEnterpriseMultiAccountBalanceType::BalanceTypeCredit;

async fn members(client: &Client) -> Vec<types::SubCustomerInfoV2> {
    client
        .enterprise()
        .list_enterprise_sub_customers()
        .items(pages(100))
        .try_collect()
        .await
        .unwrap()
}

async fn master_cash(client: &Client) -> types::TransferAmountInfoV2 {
    let answer = show_multi_account_transfer_amount(client, |r| {
        r.balance_type(types::ShowMultiAccountTransferAmountBalanceType::BalanceTypeDebit)
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(answer.total_count, Some(1));
    answer.amount_infos[0].clone()
}

/// The cash balance of the caller's own account (the funds group's view of the master).
async fn own_cash(client: &Client) -> Decimal {
    client
        .funds()
        .show_customer_account_balances()
        .send()
        .await
        .unwrap()
        .into_inner()
        .account_balances
        .iter()
        .find(|a| a.account_type == Some(1))
        .and_then(|a| a.amount)
        .unwrap()
        .value()
}

async fn master_credit(client: &Client) -> Vec<types::TransferAmountInfoV2> {
    client
        .enterprise()
        .show_multi_account_transfer_amount()
        .balance_type(types::ShowMultiAccountTransferAmountBalanceType::BalanceTypeCredit)
        .items(pages(100))
        .try_collect()
        .await
        .unwrap()
}

async fn member_cash(client: &Client, id: &str) -> types::RetrieveAmountInfoV2 {
    let answer =
        list_enterprise_multi_account(client, |r| r.sub_customer_id(id).balance_type(DEBIT))
            .await
            .unwrap()
            .into_inner();
    assert_eq!(answer.total_count, Some(1));
    answer.amount_infos[0].clone()
}

async fn member_credit(client: &Client, id: &str) -> Vec<types::RetrieveAmountInfoV2> {
    client
        .enterprise()
        .list_enterprise_multi_account()
        .sub_customer_id(id)
        .balance_type(CREDIT)
        .items(pages(100))
        .try_collect()
        .await
        .unwrap()
}

/// The members funds can move to (those ListEnterpriseMultiAccount answers for).
async fn usable(client: &Client) -> Vec<String> {
    let mut found = Vec::new();
    for m in members(client).await {
        let id = m.id.unwrap();
        let answer = list_enterprise_multi_account(client, |r| {
            r.sub_customer_id(id.as_str()).balance_type(DEBIT)
        })
        .await;
        if answer.is_ok() {
            found.push(id);
        }
    }
    found
}

async fn transfer(
    client: &Client,
    member: &str,
    amount: &str,
    trans_id: Option<&str>,
) -> Result<(), Error> {
    update_sub_enterprise_amount(client, |r| {
        r.body_map(|b| {
            b.customer_id(member).amount(amount).trans_id(
                trans_id
                    .map(|t| types::TransferEnterpriseMultiAccountReqTransId::try_from(t).unwrap()),
            )
        })
    })
    .await
    .map(|_| ())
}

async fn reclaim(
    client: &Client,
    member: &str,
    amount: &str,
    trans_id: Option<&str>,
) -> Result<(), Error> {
    reclaim_sub_enterprise_amount(client, |r| {
        r.body_map(|b| {
            b.customer_id(member).amount(amount).trans_id(
                trans_id
                    .map(|t| types::RetrieveEnterpriseMultiAccountReqTransId::try_from(t).unwrap()),
            )
        })
    })
    .await
    .map(|_| ())
}

async fn transfer_coupons(client: &Client) -> Vec<types::AvailTransferCoupon> {
    client
        .enterprise()
        .list_multi_account_transfer_coupons()
        .items(pages(100))
        .try_collect()
        .await
        .unwrap()
}

async fn retrieve_coupons(client: &Client, member: &str) -> Vec<types::AvailRetrieveCoupons> {
    client
        .enterprise()
        .list_multi_account_retrieve_coupons()
        .sub_customer_id(member)
        .items(pages(100))
        .try_collect()
        .await
        .unwrap()
}

async fn coupon_balance(client: &Client, coupon: &str) -> Option<Decimal> {
    transfer_coupons(client)
        .await
        .into_iter()
        .find(|c| c.coupon_id.as_deref() == Some(coupon))
        .map(|c| c.balance.unwrap().value())
}

async fn claim(
    client: &Client,
    member: &str,
    coupon: &str,
    amount: &str,
    trans_id: Option<&str>,
) -> Result<String, Error> {
    claim_enterprise_multi_account_coupon(client, |r| {
        r.body_map(|b| {
            b.customer_id(member)
                .coupon_id(coupon)
                .amount(amount)
                .trans_id(trans_id.map(|t| {
                    types::TransferEnterpriseMultiAccountCouponReqTransId::try_from(t).unwrap()
                }))
        })
    })
    .await
    .map(|r| r.into_inner().sub_coupon_id.unwrap())
}

async fn reclaim_coupon(
    client: &Client,
    member: &str,
    coupon: &str,
    sub_coupon: &str,
) -> Result<Decimal, Error> {
    reclaim_enterprise_multi_account_coupon(client, |r| {
        r.body_map(|b| {
            b.customer_id(member)
                .coupon_id(coupon)
                .sub_coupon_id(sub_coupon)
        })
    })
    .await
    .map(|r| r.into_inner().real_retrieve_amout.unwrap().value())
}

async fn send_code(client: &Client, mobile: &str, name: &str) -> Result<(), Error> {
    send_sms_verification_code(client, |r| {
        r.body_map(|b| {
            b.mobile_phone(mobile)
                .language(Some(types::SendSmVerificationCodeReqLanguage::ZhCn))
                .sm_template_args(vec![
                    types::TemplateArgs::builder()
                        .key("sub_customer_name")
                        .value(name)
                        .try_into()
                        .unwrap(),
                ])
        })
    })
    .await
    .map(|_| ())
}

async fn create_member(
    client: &Client,
    party: &str,
    name: &str,
    mobile: Option<(&str, &str)>,
    custody: bool,
) -> Result<(), Error> {
    let mut new = types::NewCustomerV2::builder()
        .customer_name(name)
        .password("Xh@cloud2024");
    new = match mobile {
        Some((phone, code)) => new
            .mobile_phone(Some(phone.to_string()))
            .use_pri_mobile_phone(Some("N".to_string()))
            .verification_code(Some(
                types::NewCustomerV2VerificationCode::try_from(code).unwrap(),
            )),
        None => new.use_pri_mobile_phone(Some("Y".to_string())),
    };
    create_sub_enterprise_account(client, |r| {
        r.body_map(|b| {
            b.party_id(party)
                .display_name(Some(
                    types::CreateSubCustomerReqV2DisplayName::try_from(
                        format!("{name}显示名").as_str(),
                    )
                    .unwrap(),
                ))
                .sub_customer_association_type(1)
                .permission_ids(vec![
                    "READ_FINANCE_INFO".to_string(),
                    "SHARE-CREDIT-TO-SUB".to_string(),
                ])
                .financial_custody(Some(i32::from(custody)))
                .new_sub_customer(new)
        })
    })
    .await
    .map(|_| ())
}

/// Ids of the partner's customers (they are not members of the enterprise).
async fn partner_customers(client: &Client) -> Vec<String> {
    sub_customers(client, json!({"limit": 5}))
        .await
        .into_iter()
        .map(|c| c.customer_id.unwrap())
        .collect()
}

#[tokio::test]
async fn organization_tree_reads_directly_and_recursively() {
    let (_sandbox, client) = start().await;
    let top = client
        .enterprise()
        .list_enterprise_organizations()
        .send()
        .await
        .unwrap()
        .into_inner();
    let root = top.root_id.clone().unwrap();
    assert!(root.chars().all(|c| c.is_ascii_digit()), "{root}");
    assert_eq!(top.root_name.as_deref(), Some("星河数智科技集团有限公司"));
    let names: Vec<_> = top
        .child_nodes
        .iter()
        .map(|n| n.name.clone().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "研发中心",
            "市场营销部",
            "财务部",
            "华东分公司",
            "华南分公司"
        ]
    );
    assert!(top.child_nodes.iter().all(|n| n.child_nodes.is_empty()));
    assert!(top.child_nodes.iter().all(|n| n.relation_id.is_some()));

    let whole = list_enterprise_organizations(&client, |r| r.recursive_query(1))
        .await
        .unwrap()
        .into_inner();
    let rd = &whole.child_nodes[0];
    let below: Vec<_> = rd
        .child_nodes
        .iter()
        .map(|n| n.name.as_deref().unwrap())
        .collect();
    assert_eq!(below, ["云平台部", "数据智能部", "测试部"]);
    let east = &whole.child_nodes[3];
    assert_eq!(east.child_nodes.len(), 2);
    let count = |nodes: &[types::EmChildNodeV2]| {
        fn walk(nodes: &[types::EmChildNodeV2]) -> usize {
            nodes.iter().map(|n| 1 + walk(&n.child_nodes)).sum()
        }
        walk(nodes)
    };
    assert_eq!(count(&whole.child_nodes), 12);

    // From a unit: its children only, without the root.
    let from_rd =
        list_enterprise_organizations(&client, |r| r.parent_id(rd.id.clone().unwrap().as_str()))
            .await
            .unwrap()
            .into_inner();
    assert_eq!(from_rd.root_id, None);
    assert_eq!(from_rd.root_name, None);
    assert_eq!(
        from_rd.child_nodes,
        rd.child_nodes
            .iter()
            .map(|n| types::EmChildNodeV2 {
                child_nodes: Vec::new(),
                ..n.clone()
            })
            .collect::<Vec<_>>()
    );
    let leaf = list_enterprise_organizations(&client, |r| {
        r.parent_id(rd.child_nodes[0].id.clone().unwrap().as_str())
    })
    .await
    .unwrap()
    .into_inner();
    assert!(leaf.child_nodes.is_empty());

    let unknown = failure(list_enterprise_organizations(&client, |r| r.parent_id("99")).await);
    assert_eq!(unknown.status(), Some(400));
    assert_eq!(unknown.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn members_page_and_filter() {
    let (_sandbox, client) = start().await;
    let first = client
        .enterprise()
        .list_enterprise_sub_customers()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.total_count, Some(36));
    assert_eq!(first.sub_customer_infos.len(), 10);
    let every: Vec<_> = client
        .enterprise()
        .list_enterprise_sub_customers()
        .items(pages(7))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(every.len(), 36);
    assert_eq!(every[..10], first.sub_customer_infos[..]);
    let third = list_enterprise_sub_customers(&client, |r| r.offset(30).limit(10))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(third.total_count, Some(36));
    assert_eq!(third.sub_customer_infos, every[30..]);
    let statuses: Vec<_> = every.iter().map(|m| m.status.unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 1).count(), 33);
    assert!(statuses.contains(&102) && statuses.contains(&4));

    // By organisation unit: exactly the members attached to it, with its name.
    let tree = list_enterprise_organizations(&client, |r| r.recursive_query(1))
        .await
        .unwrap()
        .into_inner();
    let cloud = &tree.child_nodes[0].child_nodes[0];
    let cloud_id = cloud.id.clone().unwrap();
    let in_cloud =
        list_enterprise_sub_customers(&client, |r| r.org_id(cloud_id.as_str()).limit(100))
            .await
            .unwrap()
            .into_inner();
    let expected = every
        .iter()
        .filter(|m| m.org_id.as_deref() == Some(cloud_id.as_str()))
        .count();
    assert!(expected > 0);
    assert_eq!(in_cloud.total_count, Some(expected as i32));
    assert!(
        in_cloud
            .sub_customer_infos
            .iter()
            .all(|m| m.org_name.as_deref() == Some("云平台部"))
    );
    let on_root = every
        .iter()
        .filter(|m| m.org_id == tree.root_id)
        .collect::<Vec<_>>();
    assert!(!on_root.is_empty());
    assert!(on_root.iter().all(|m| m.org_name.as_deref() == Some("")));

    // Names: exact unless fuzzy.
    let one = every[5].name.clone().unwrap();
    let exact =
        list_enterprise_sub_customers(&client, |r| r.sub_customer_account_name(one.as_str()))
            .await
            .unwrap()
            .into_inner();
    assert_eq!(exact.total_count, Some(1));
    assert_eq!(exact.sub_customer_infos[0], every[5]);
    let partial = list_enterprise_sub_customers(&client, |r| r.sub_customer_account_name("xhsz_"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(partial.total_count, Some(0));
    let fuzzy = list_enterprise_sub_customers(&client, |r| {
        r.sub_customer_account_name("_rd").fuzzy_query(1).limit(100)
    })
    .await
    .unwrap()
    .into_inner();
    let rd = every
        .iter()
        .filter(|m| m.name.as_deref().unwrap().contains("_rd"))
        .count();
    assert!(rd > 0);
    assert_eq!(fuzzy.total_count, Some(rd as i32));
    let by_display = list_enterprise_sub_customers(&client, |r| {
        r.sub_customer_display_name("测试部")
            .fuzzy_query(1)
            .limit(100)
    })
    .await
    .unwrap()
    .into_inner();
    let qa = every
        .iter()
        .filter(|m| m.display_name.as_deref().unwrap().starts_with("测试部"))
        .count();
    assert!(qa > 0);
    assert_eq!(by_display.total_count, Some(qa as i32));
}

#[tokio::test]
async fn cash_moves_between_master_and_member_exactly() {
    let (_sandbox, client) = start().await;
    let members = usable(&client).await;
    assert_eq!(members.len(), 29);
    let member = &members[0];
    let master = master_cash(&client).await;
    let (amount, avail) = (
        master.amount.unwrap().value(),
        master.avail_transfer_amount.unwrap().value(),
    );
    // The master's cash is its own account (ShowCustomerAccountBalances); nothing is designated.
    assert_eq!(own_cash(&client).await, amount);
    assert_eq!(avail, amount);
    assert_eq!(master.currency.as_deref(), Some("CNY"));
    let before = member_cash(&client, member).await;
    let (m_amount, m_avail) = (
        before.amount.unwrap().value(),
        before.avail_retrieve_amount.unwrap().value(),
    );
    assert!(m_avail <= m_amount);

    transfer(&client, member, "1234.56", None).await.unwrap();
    let master_after = master_cash(&client).await;
    assert_eq!(master_after.amount.unwrap().value(), amount - d("1234.56"));
    // The transfer is in the master's own ledger too: balance and newest expense record.
    assert_eq!(own_cash(&client).await, amount - d("1234.56"));
    let newest = list_customer_account_change_records(&client, |r| {
        r.balance_type(funds::ListCustomerAccountChangeRecordsBalanceType::BalanceTypeDebit)
            .limit(1)
    })
    .await
    .unwrap()
    .into_inner();
    let record = &newest.records[0];
    assert_eq!(record.change_amount.unwrap().value(), d("-1234.56"));
    assert_eq!(
        record.balance_after_change.unwrap().value(),
        amount - d("1234.56")
    );
    assert_eq!(record.revenue_expense_type.as_deref(), Some("EXPENSE"));
    assert_eq!(
        master_after.avail_transfer_amount.unwrap().value(),
        avail - d("1234.56")
    );
    let after = member_cash(&client, member).await;
    assert_eq!(after.amount.unwrap().value(), m_amount + d("1234.56"));
    assert_eq!(
        after.avail_retrieve_amount.unwrap().value(),
        m_avail + d("1234.56")
    );

    reclaim(&client, member, "234.5", None).await.unwrap();
    assert_eq!(
        master_cash(&client).await.amount.unwrap().value(),
        amount - d("1000.06")
    );
    let back = member_cash(&client, member).await;
    assert_eq!(back.amount.unwrap().value(), m_amount + d("1000.06"));
    assert_eq!(
        back.avail_retrieve_amount.unwrap().value(),
        m_avail + d("1000.06")
    );

    // More than the master can transfer (the reserved part included): refused, nothing moves.
    let too_much = (avail - d("1000.06") + d("0.01")).to_string();
    let err = failure(transfer(&client, member, &too_much, None).await);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.99005003"));
    // More than the member holds from the master: refused too.
    let over = (m_avail + d("1000.07")).to_string();
    let err = failure(reclaim(&client, member, &over, None).await);
    assert_eq!(err.code(), Some("CBC.99005003"));
    assert_eq!(master_cash(&client).await, {
        let mut m = master.clone();
        m.amount = Some((amount - d("1000.06")).into());
        m.avail_transfer_amount = Some((avail - d("1000.06")).into());
        m
    });
    assert_eq!(member_cash(&client, member).await, back);

    // Everything the member holds from the master comes back, to the cent.
    let all = (m_avail + d("1000.06")).to_string();
    reclaim(&client, member, &all, None).await.unwrap();
    let empty = member_cash(&client, member).await;
    assert_eq!(empty.avail_retrieve_amount.unwrap().value(), Decimal::ZERO);
    assert_eq!(empty.amount.unwrap().value(), m_amount - m_avail);
    assert_eq!(
        master_cash(&client).await.amount.unwrap().value(),
        amount + m_avail
    );
}

#[tokio::test]
async fn credit_lines_move_by_expiry() {
    let (_sandbox, client) = start().await;
    let lines = master_credit(&client).await;
    assert_eq!(lines.len(), 4);
    let page = show_multi_account_transfer_amount(&client, |r| {
        r.balance_type(types::ShowMultiAccountTransferAmountBalanceType::BalanceTypeCredit)
            .offset(2)
            .limit(1)
    })
    .await
    .unwrap()
    .into_inner();
    assert_eq!(page.total_count, Some(4));
    assert_eq!(page.amount_infos, lines[2..3]);
    assert_eq!(lines[3].expire_time, None);
    assert_eq!(lines[3].credit_amount.unwrap().value(), d("30000"));
    assert!(
        lines
            .iter()
            .all(|l| l.amount.unwrap().value() <= l.credit_amount.unwrap().value())
    );

    // A member without a line of that expiry gets one.
    let members = usable(&client).await;
    let mut member = None;
    for m in &members {
        let credit = member_credit(&client, m).await;
        if credit
            .iter()
            .all(|l| l.expire_time.as_deref() != Some("2025-06-30T15:59:59Z"))
        {
            member = Some((m.clone(), credit));
            break;
        }
    }
    let (member, credit) = member.unwrap();
    let line = &lines[1];
    assert_eq!(line.expire_time.as_deref(), Some("2025-06-30T15:59:59Z"));
    update_sub_enterprise_amount(&client, |r| {
        r.body_map(|b| {
            b.customer_id(member.as_str())
                .amount("800.8")
                .balance_type(Some(
                    types::TransferEnterpriseMultiAccountReqBalanceType::BalanceTypeCredit,
                ))
                .expire_time(Some(
                    types::TransferEnterpriseMultiAccountReqExpireTime::try_from(
                        "2025-06-30T15:59:59Z",
                    )
                    .unwrap(),
                ))
        })
    })
    .await
    .unwrap();
    let after = master_credit(&client).await;
    assert_eq!(
        after[1].amount.unwrap().value(),
        line.amount.unwrap().value() - d("800.8")
    );
    assert_eq!(after[1].credit_amount, line.credit_amount);
    assert_eq!(after[0], lines[0]);
    let member_lines = member_credit(&client, &member).await;
    assert_eq!(member_lines.len(), credit.len() + 1);
    let got = member_lines
        .iter()
        .find(|l| l.expire_time.as_deref() == Some("2025-06-30T15:59:59Z"))
        .unwrap();
    assert_eq!(got.amount.unwrap().value(), d("800.8"));
    assert_eq!(got.credit_amount.unwrap().value(), d("800.8"));
    assert_eq!(got.avail_retrieve_amount.unwrap().value(), d("800.8"));

    // Part of it comes back; more than is left is refused.
    let reclaim_credit = |amount: &'static str| {
        let id = member.clone();
        client
            .enterprise()
            .reclaim_sub_enterprise_amount()
            .body_map(move |b| {
                b.customer_id(id.as_str())
                    .amount(amount)
                    .balance_type(Some(
                        types::RetrieveEnterpriseMultiAccountReqBalanceType::BalanceTypeCredit,
                    ))
                    .expire_time(Some(
                        types::RetrieveEnterpriseMultiAccountReqExpireTime::try_from(
                            "2025-06-30T15:59:59Z",
                        )
                        .unwrap(),
                    ))
            })
            .send()
    };
    reclaim_credit("300.3").await.unwrap();
    let err = failure(reclaim_credit("500.51").await);
    assert_eq!(err.code(), Some("CBC.99005003"));
    let left = member_credit(&client, &member)
        .await
        .into_iter()
        .find(|l| l.expire_time.as_deref() == Some("2025-06-30T15:59:59Z"))
        .unwrap();
    assert_eq!(left.amount.unwrap().value(), d("500.5"));
    assert_eq!(
        master_credit(&client).await[1].amount.unwrap().value(),
        line.amount.unwrap().value() - d("500.5")
    );
    // The rest: the member's line is gone.
    reclaim_credit("500.5").await.unwrap();
    assert_eq!(member_credit(&client, &member).await, credit);
    assert_eq!(master_credit(&client).await, lines);

    // Without expire_time: the line that never expires.
    update_sub_enterprise_amount(&client, |r| {
        r.body_map(|b| {
            b.customer_id(member.as_str())
                .amount("10")
                .balance_type(Some(
                    types::TransferEnterpriseMultiAccountReqBalanceType::BalanceTypeCredit,
                ))
        })
    })
    .await
    .unwrap();
    assert_eq!(
        master_credit(&client).await[3].amount.unwrap().value(),
        lines[3].amount.unwrap().value() - d("10")
    );
    // A line that does not exist.
    let err = failure(
        update_sub_enterprise_amount(&client, |r| {
            r.body_map(|b| {
                b.customer_id(member.as_str())
                    .amount("10")
                    .balance_type(Some(
                        types::TransferEnterpriseMultiAccountReqBalanceType::BalanceTypeCredit,
                    ))
                    .expire_time(Some(
                        types::TransferEnterpriseMultiAccountReqExpireTime::try_from(
                            "2030-01-01T00:00:00Z",
                        )
                        .unwrap(),
                    ))
            })
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn trans_id_applies_a_request_once() {
    let (_sandbox, client) = start().await;
    let member = usable(&client).await[1].clone();
    let before = master_cash(&client).await.amount.unwrap().value();
    let member_before = member_cash(&client, &member).await.amount.unwrap().value();

    transfer(&client, &member, "99.99", Some("tx-0001"))
        .await
        .unwrap();
    // The same request again: success, nothing more moves.
    transfer(&client, &member, "99.99", Some("tx-0001"))
        .await
        .unwrap();
    assert_eq!(
        master_cash(&client).await.amount.unwrap().value(),
        before - d("99.99")
    );
    assert_eq!(
        member_cash(&client, &member).await.amount.unwrap().value(),
        member_before + d("99.99")
    );
    // The same trans_id for another request: refused.
    let err = failure(transfer(&client, &member, "10", Some("tx-0001")).await);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.0100"));
    let err = failure(reclaim(&client, &member, "99.99", Some("tx-0001")).await);
    assert_eq!(err.code(), Some("CBC.0100"));
    assert_eq!(
        master_cash(&client).await.amount.unwrap().value(),
        before - d("99.99")
    );
    // A new trans_id applies again; a failed call does not take its trans_id.
    reclaim(&client, &member, "99.99", Some("tx-0002"))
        .await
        .unwrap();
    assert_eq!(master_cash(&client).await.amount.unwrap().value(), before);
    let err = failure(reclaim(&client, &member, "99999999", Some("tx-0003")).await);
    assert_eq!(err.code(), Some("CBC.99005003"));
    transfer(&client, &member, "1", Some("tx-0003"))
        .await
        .unwrap();
    assert_eq!(
        master_cash(&client).await.amount.unwrap().value(),
        before - d("1")
    );

    // Coupons: the same claim twice gives the same sub-coupon, split off once.
    let coupon = transfer_coupons(&client).await[0].clone();
    let id = coupon.coupon_id.clone().unwrap();
    let balance = coupon.balance.unwrap().value();
    let first = claim(&client, &member, &id, "5.5", Some("tx-c1"))
        .await
        .unwrap();
    let second = claim(&client, &member, &id, "5.5", Some("tx-c1"))
        .await
        .unwrap();
    assert_eq!(first, second);
    assert_eq!(coupon_balance(&client, &id).await, Some(balance - d("5.5")));
    let split: Vec<_> = retrieve_coupons(&client, &member)
        .await
        .into_iter()
        .filter(|c| c.sub_coupon_id.as_deref() == Some(first.as_str()))
        .collect();
    assert_eq!(split.len(), 1);
    let err = failure(claim(&client, &member, &id, "6", Some("tx-c1")).await);
    assert_eq!(err.code(), Some("CBC.0100"));
}

#[tokio::test]
async fn accounts_that_are_not_valid_members_are_refused() {
    let (_sandbox, client) = start().await;
    let master = master_cash(&client).await;
    let coupons = transfer_coupons(&client).await;
    let coupon = coupons[0].coupon_id.clone().unwrap();
    let every = members(&client).await;
    let closed = every
        .iter()
        .find(|m| m.status == Some(4))
        .and_then(|m| m.id.clone())
        .unwrap();
    let mut refused = partner_customers(&client).await;
    assert_eq!(refused.len(), 5);
    refused.push("00000000000000000000000000000000".to_string());
    refused.push(closed);
    for id in &refused {
        let err = failure(transfer(&client, id, "1", None).await);
        assert_eq!(err.status(), Some(400), "{id}");
        assert_eq!(err.code(), Some("CBC.99000086"), "{id}");
        let err = failure(reclaim(&client, id, "1", None).await);
        assert_eq!(err.code(), Some("CBC.99000086"));
        let err = failure(claim(&client, id, &coupon, "1", None).await);
        assert_eq!(err.code(), Some("CBC.99000086"));
        let err = failure(
            list_enterprise_multi_account(&client, |r| {
                r.sub_customer_id(id.as_str()).balance_type(DEBIT)
            })
            .await,
        );
        assert_eq!(err.code(), Some("CBC.99000086"));
        let err = failure(
            list_multi_account_retrieve_coupons(&client, |r| r.sub_customer_id(id.as_str())).await,
        );
        assert_eq!(err.code(), Some("CBC.99000086"));
    }
    // Nothing moved.
    assert_eq!(master_cash(&client).await, master);
    assert_eq!(transfer_coupons(&client).await, coupons);
}

#[tokio::test]
async fn coupons_split_off_to_members_and_come_back() {
    let (_sandbox, client) = start().await;
    let first = client
        .enterprise()
        .list_multi_account_transfer_coupons()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.total_count, Some(24));
    assert_eq!(first.avail_transfer_coupons.len(), 10);
    let coupons = transfer_coupons(&client).await;
    assert_eq!(coupons.len(), 24);
    assert_eq!(coupons[..10], first.avail_transfer_coupons[..]);
    assert!(coupons.iter().all(|c| {
        c.balance.unwrap().value() > Decimal::ZERO
            && c.expire_time.as_deref().unwrap() > "2024-06-01T00:00:00Z"
    }));
    assert!(coupons.iter().any(|c| !c.use_limits.is_empty()));

    // The seeded sub-coupons of the members, each split off a master coupon.
    let members = usable(&client).await;
    let mut seeded = 0;
    for m in &members {
        let subs = retrieve_coupons(&client, m).await;
        for sub in &subs {
            assert!(coupons.iter().any(|c| c.coupon_id == sub.coupon_id
                && c.plan_name == sub.plan_name
                && c.expire_time == sub.expire_time));
        }
        seeded += subs.len();
    }
    assert_eq!(seeded, 40);

    // Split 120.25 off a coupon into a member's new sub-coupon.
    let member = &members[2];
    let coupon = &coupons[3];
    let id = coupon.coupon_id.clone().unwrap();
    let balance = coupon.balance.unwrap().value();
    let before = retrieve_coupons(&client, member).await;
    let sub = claim(&client, member, &id, "120.25", None).await.unwrap();
    assert_eq!(
        coupon_balance(&client, &id).await,
        Some(balance - d("120.25"))
    );
    let after = retrieve_coupons(&client, member).await;
    assert_eq!(after.len(), before.len() + 1);
    let made = after
        .iter()
        .find(|c| c.sub_coupon_id.as_deref() == Some(sub.as_str()))
        .unwrap();
    assert_eq!(made.coupon_id.as_deref(), Some(id.as_str()));
    assert_eq!(made.balance.unwrap().value(), d("120.25"));
    assert_eq!(made.effective_time.as_deref(), Some("2024-06-01T00:00:00Z"));
    assert_eq!(made.expire_time, coupon.expire_time);
    assert_eq!(made.use_limits, coupon.use_limits);

    // Back into the master coupon: the amount comes back exactly, the sub-coupon is gone.
    let wrong = coupons[4].coupon_id.clone().unwrap();
    let err = failure(reclaim_coupon(&client, member, &wrong, &sub).await);
    assert_eq!(err.code(), Some("CBC.0100"));
    let returned = reclaim_coupon(&client, member, &id, &sub).await.unwrap();
    assert_eq!(returned, d("120.25"));
    assert_eq!(coupon_balance(&client, &id).await, Some(balance));
    assert_eq!(retrieve_coupons(&client, member).await, before);
    let err = failure(reclaim_coupon(&client, member, &id, &sub).await);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.99003012"));

    // More than the coupon holds, an unknown coupon: refused, nothing changes.
    let over = (balance + d("0.01")).to_string();
    let err = failure(claim(&client, member, &id, &over, None).await);
    assert_eq!(err.code(), Some("CBC.99005003"));
    let err = failure(claim(&client, member, "CP0000000000000000", "1", None).await);
    assert_eq!(err.code(), Some("CBC.99003012"));
    assert_eq!(transfer_coupons(&client).await, coupons);

    // All of it: the master coupon leaves the list, and comes back with the reclaim.
    let all = claim(&client, member, &id, &balance.to_string(), None)
        .await
        .unwrap();
    assert_eq!(coupon_balance(&client, &id).await, None);
    let listed = client
        .enterprise()
        .list_multi_account_transfer_coupons()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.total_count, Some(23));
    assert_eq!(
        reclaim_coupon(&client, member, &id, &all).await.unwrap(),
        balance
    );
    assert_eq!(transfer_coupons(&client).await, coupons);

    // A seeded sub-coupon gives its remaining balance back to its master coupon.
    let (owner, seeded_sub) = {
        let mut found = None;
        for m in &members {
            if let Some(s) = retrieve_coupons(&client, m).await.into_iter().next() {
                found = Some((m.clone(), s));
                break;
            }
        }
        found.unwrap()
    };
    let master_id = seeded_sub.coupon_id.clone().unwrap();
    let master_before = coupon_balance(&client, &master_id).await.unwrap();
    let got = reclaim_coupon(
        &client,
        &owner,
        &master_id,
        seeded_sub.sub_coupon_id.as_deref().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(got, seeded_sub.balance.unwrap().value());
    assert_eq!(
        coupon_balance(&client, &master_id).await,
        Some(master_before + got)
    );
}

#[tokio::test]
async fn members_are_created_and_can_be_funded() {
    let (_sandbox, client) = start().await;
    let tree = client
        .enterprise()
        .list_enterprise_organizations()
        .send()
        .await
        .unwrap()
        .into_inner();
    let finance = tree.child_nodes[2].id.clone().unwrap();

    // Without a code sent to the number: refused.
    let err = failure(
        create_member(
            &client,
            &finance,
            "xhsz_fin_new",
            Some(("13912345678", "888888")),
            false,
        )
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    send_code(&client, "13912345678", "xhsz_fin_new")
        .await
        .unwrap();
    let err = failure(
        create_member(
            &client,
            &finance,
            "xhsz_fin_new",
            Some(("13912345678", "123456")),
            false,
        )
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));
    create_member(
        &client,
        &finance,
        "xhsz_fin_new",
        Some(("13912345678", "888888")),
        false,
    )
    .await
    .unwrap();

    let listed =
        list_enterprise_sub_customers(&client, |r| r.sub_customer_account_name("xhsz_fin_new"))
            .await
            .unwrap()
            .into_inner();
    assert_eq!(listed.total_count, Some(1));
    let created = &listed.sub_customer_infos[0];
    assert_eq!(created.display_name.as_deref(), Some("xhsz_fin_new显示名"));
    assert_eq!(created.status, Some(1));
    assert_eq!(created.org_id.as_deref(), Some(finance.as_str()));
    assert_eq!(created.org_name.as_deref(), Some("财务部"));
    let all = members(&client).await;
    assert_eq!(all.len(), 37);
    assert_eq!(all.last(), Some(created));

    // It starts with nothing, and can be funded.
    let id = created.id.clone().unwrap();
    let cash = member_cash(&client, &id).await;
    assert_eq!(cash.amount.unwrap().value(), Decimal::ZERO);
    assert_eq!(cash.avail_retrieve_amount.unwrap().value(), Decimal::ZERO);
    assert!(member_credit(&client, &id).await.is_empty());
    assert!(retrieve_coupons(&client, &id).await.is_empty());
    transfer(&client, &id, "500", None).await.unwrap();
    assert_eq!(
        member_cash(&client, &id).await.amount.unwrap().value(),
        d("500")
    );

    // Names are taken across the enterprise and the partner's customers.
    let err = failure(create_member(&client, &finance, "xhsz_fin_new", None, false).await);
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), Some("CBC.0150"));
    let err = failure(create_member(&client, &finance, "customer_0001", None, false).await);
    assert_eq!(err.code(), Some("CBC.0150"));
    let err = failure(create_member(&client, "12", "xhsz_nowhere", None, false).await);
    assert_eq!(err.code(), Some("CBC.0100"));
    assert_eq!(members(&client).await.len(), 37);

    // On the root, with the master's mobile number and under financial custody: listed, but
    // without finances of its own.
    let root = tree.root_id.clone().unwrap();
    create_member(&client, &root, "xhsz_hq_custody", None, true)
        .await
        .unwrap();
    let custody = members(&client).await.pop().unwrap();
    assert_eq!(custody.name.as_deref(), Some("xhsz_hq_custody"));
    assert_eq!(custody.org_id.as_deref(), Some(root.as_str()));
    assert_eq!(custody.org_name.as_deref(), Some(""));
    let err = failure(transfer(&client, custody.id.as_deref().unwrap(), "1", None).await);
    assert_eq!(err.code(), Some("CBC.99000086"));
}

#[tokio::test]
async fn verification_codes_are_limited_and_projects_enabled() {
    let (_sandbox, client) = start().await;
    for _ in 0..15 {
        send_code(&client, "13700001111", "xhsz_limit")
            .await
            .unwrap();
    }
    let err = failure(send_code(&client, "13700001111", "xhsz_limit").await);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("CBC.99004015"));
    // Another number is not affected, and its code opens an account.
    send_code(&client, "13700002222", "xhsz_other")
        .await
        .unwrap();
    let tree = client
        .enterprise()
        .list_enterprise_organizations()
        .send()
        .await
        .unwrap()
        .into_inner();
    let unit = tree.child_nodes[0].id.clone().unwrap();
    create_member(
        &client,
        &unit,
        "xhsz_other",
        Some(("13700002222", "888888")),
        false,
    )
    .await
    .unwrap();
    assert_eq!(members(&client).await.len(), 37);
    let err = failure(
        send_sms_verification_code(&client, |r| {
            r.body_map(|b| {
                b.mobile_phone("13700003333").sm_template_args(vec![
                    types::TemplateArgs::builder()
                        .key("customer_name")
                        .value("x")
                        .try_into()
                        .unwrap(),
                ])
            })
        })
        .await,
    );
    assert_eq!(err.code(), Some("CBC.0100"));

    // Enabling enterprise projects succeeds, and again.
    let first = client
        .enterprise()
        .create_enterprise_project_auth()
        .send()
        .await
        .unwrap();
    assert_eq!(first.status().as_u16(), 200);
    let again = client
        .enterprise()
        .create_enterprise_project_auth()
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 200);
}

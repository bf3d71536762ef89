//! The realname group in the sandbox, through the real client: real-name applications are
//! reviewed deterministically and update the customer; bank-card authentication is decided at
//! once; the documented errors.

use huaweicloud_bss::customers::types as customers;
use huaweicloud_bss::{Client, Error};
use serde_json::json;

mod common;

use common::{
    client,
    customers::send_verification_message_code,
    failure, new_customer,
    realname::{
        change_enterprise_realname_authentication, create_enterprise_realname_authentication,
        create_personal_realname_auth, show_realname_authentication_review_result,
    },
    sandbox as start, sub_customers,
};
async fn customer(client: &Client, id: &str) -> customers::CustomerInformation {
    let found = sub_customers(client, json!({"customer_id": id})).await;
    assert_eq!(found.len(), 1);
    found[0].clone()
}

async fn apply_personal(client: &Client, id: &str, name: &str) -> Result<i32, Error> {
    create_personal_realname_auth(client, |r| {
        r.body_map(|b| {
            b.customer_id(id)
                .identify_type(0)
                .verified_type(Some(3))
                .verified_file_url(vec![
                    "realname/p/info.jpg".to_string(),
                    "realname/p/entry.jpg".to_string(),
                    "realname/p/holding.png".to_string(),
                ])
                .name(name)
                .verified_number("E12345678")
                .change_type(Some(-1))
                .xaccount_type("partner_saas")
        })
    })
    .await
    .map(|r| r.into_inner().is_review.unwrap())
}

async fn apply_enterprise(client: &Client, id: &str, corp: &str) -> Result<i32, Error> {
    create_enterprise_realname_authentication(client, |r| {
        r.body_map(|b| {
            b.customer_id(id)
                .identify_type(1)
                .certificate_type(Some(0))
                .verified_file_url(vec!["realname/e/licence.jpg".to_string()])
                .corp_name(corp)
                .verified_number("91310000MA1FL00000")
                .reg_country(Some("CN".to_string()))
                .xaccount_type("partner_saas")
        })
    })
    .await
    .map(|r| r.into_inner().is_review.unwrap())
}

async fn review(client: &Client, id: &str) -> (Option<i32>, Option<String>) {
    let answer = show_realname_authentication_review_result(client, |r| r.customer_id(id))
        .await
        .unwrap()
        .into_inner();
    (answer.review_result, answer.opinion)
}

#[tokio::test]
async fn a_personal_application_is_reviewed_and_verifies_the_customer() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let id = new_customer(&client, "realname_person_01", "u-realname").await;
    assert_eq!(review(&client, &id).await, (None, None));
    assert_eq!(apply_personal(&client, &id, "王小明").await.unwrap(), 1);
    assert_eq!(
        customer(&client, &id).await.verified_status.as_deref(),
        Some("0")
    );
    let twice = apply_personal(&client, &id, "王小明").await.unwrap_err();
    assert_eq!(twice.status(), Some(403));
    assert_eq!(twice.code(), Some("CBC.0150"));
    assert_eq!(review(&client, &id).await, (Some(0), None));
    assert_eq!(review(&client, &id).await, (Some(2), None));
    let verified = customer(&client, &id).await;
    assert_eq!(verified.verified_status.as_deref(), Some("2"));
    assert_eq!(verified.customer_type, Some(0));
    assert_eq!(verified.customer.as_deref(), Some("王小明"));

    // Verified: no second first application, but a change to an enterprise.
    let again = apply_enterprise(&client, &id, "小明网络科技有限公司")
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("CBC.0150"));
    let change = change_enterprise_realname_authentication(&client, |r| {
        r.body_map(|b| {
            b.customer_id(id.as_str())
                .identify_type(1)
                .verified_file_url(vec!["realname/e/licence.pdf".to_string()])
                .corp_name("小明网络科技有限公司")
                .verified_number("91310000MA1FL11111")
                .change_type(1)
                .xaccount_type("partner_saas")
        })
    })
    .await
    .unwrap();
    assert_eq!(change.is_review, Some(1));
    assert_eq!(
        customer(&client, &id).await.verified_status.as_deref(),
        Some("2")
    );
    assert_eq!(review(&client, &id).await, (Some(0), None));
    assert_eq!(review(&client, &id).await, (Some(2), None));
    let enterprise = customer(&client, &id).await;
    assert_eq!(enterprise.customer_type, Some(1));
    assert_eq!(enterprise.customer.as_deref(), Some("小明网络科技有限公司"));
}

#[tokio::test]
async fn a_rejected_application_has_an_opinion_and_can_be_resubmitted() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let id = new_customer(&client, "realname_corp_01", "u-realname").await;
    assert_eq!(
        apply_enterprise(&client, &id, "驳回测试科技有限公司")
            .await
            .unwrap(),
        1
    );
    assert_eq!(review(&client, &id).await, (Some(0), None));
    let (result, opinion) = review(&client, &id).await;
    assert_eq!(result, Some(1));
    assert!(opinion.unwrap().contains("证件"));
    assert_eq!(
        customer(&client, &id).await.verified_status.as_deref(),
        Some("1")
    );
    assert_eq!(
        apply_enterprise(&client, &id, "华东示例科技有限公司")
            .await
            .unwrap(),
        1
    );
    assert_eq!(review(&client, &id).await, (Some(0), None));
    assert_eq!(review(&client, &id).await, (Some(2), None));
    let verified = customer(&client, &id).await;
    assert_eq!(verified.verified_status.as_deref(), Some("2"));
    assert_eq!(verified.customer_type, Some(1));
    assert_eq!(verified.customer.as_deref(), Some("华东示例科技有限公司"));
}

#[tokio::test]
async fn bank_card_authentication_is_decided_at_once() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let id = new_customer(&client, "realname_card_01", "u-realname").await;
    let card = |code: &str| {
        serde_json::from_value::<huaweicloud_bss::realname::types::BankCardInfoV2>(json!({
            "bank_account": "6222020000000000000",
            "areacode": "0086",
            "mobile": "13900001111",
            "verification_code": code
        }))
        .unwrap()
    };
    let apply = |code: &'static str| {
        let client = client.clone();
        let id = id.clone();
        let card = card(code);
        async move {
            create_personal_realname_auth(&client, |r| {
                r.body_map(|b| {
                    b.customer_id(id)
                        .identify_type(4)
                        .verified_file_url(vec!["realname/c/face.jpg".to_string()])
                        .name("李四")
                        .verified_number("110101199001010000")
                        .xaccount_type("partner_saas")
                        .bank_card_info(Some(card))
                })
            })
            .await
        }
    };
    // No code was sent yet.
    let err = apply("888888").await.unwrap_err();
    assert_eq!(err.code(), Some("CBC.0100"));
    send_verification_message_code(&client, |r| {
        r.body_map(|b| {
            b.receiver_type(1)
                .mobile_phone(Some("13900001111".to_string()))
                .scene(Some(18))
                .customer_id(Some(id.clone()))
        })
    })
    .await
    .unwrap();
    let wrong = apply("000000").await.unwrap_err();
    assert_eq!(wrong.code(), Some("CBC.0100"));
    let answer = apply("888888").await.unwrap();
    assert_eq!(answer.is_review, Some(0));
    assert_eq!(review(&client, &id).await, (Some(2), None));
    assert_eq!(
        customer(&client, &id).await.verified_status.as_deref(),
        Some("2")
    );
}

#[tokio::test]
async fn seeded_reviews_and_realname_errors() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let page = sub_customers(&client, json!({"limit": 100})).await;
    let verified = page
        .iter()
        .find(|c| c.verified_status.as_deref() == Some("2"))
        .unwrap();
    assert_eq!(
        review(&client, verified.customer_id.as_deref().unwrap()).await,
        (Some(2), None)
    );
    let pending = page
        .iter()
        .find(|c| c.verified_status.as_deref() == Some("0"))
        .unwrap();
    assert_eq!(
        review(&client, pending.customer_id.as_deref().unwrap()).await,
        (Some(0), None)
    );
    assert_eq!(
        review(&client, pending.customer_id.as_deref().unwrap()).await,
        (Some(2), None)
    );
    assert_eq!(
        customer(&client, pending.customer_id.as_deref().unwrap())
            .await
            .verified_status
            .as_deref(),
        Some("2")
    );
    let unverified = page
        .iter()
        .find(|c| c.verified_status.as_deref() == Some("-1"))
        .unwrap();
    assert_eq!(
        review(&client, unverified.customer_id.as_deref().unwrap()).await,
        (None, None)
    );

    let unknown = apply_personal(&client, "0123456789abcdef0123456789abcdef", "张三")
        .await
        .unwrap_err();
    assert_eq!(unknown.status(), Some(400));
    assert_eq!(unknown.code(), Some("CBC.99000035"));
    let show = failure(
        show_realname_authentication_review_result(&client, |r| {
            r.customer_id("0123456789abcdef0123456789abcdef")
        })
        .await,
    );
    assert_eq!(show.code(), Some("CBC.99000035"));
    let invalid = create_personal_realname_auth(&client, |r| {
        r.body_map(|b| {
            b.customer_id(unverified.customer_id.as_deref().unwrap())
                .identify_type(0)
                .verified_type(Some(3))
                .verified_file_url(vec!["realname/p/only-one.jpg".to_string()])
                .name("张三")
                .verified_number("E00000001")
                .xaccount_type("partner_saas")
        })
    })
    .await;
    let invalid = failure(invalid);
    assert_eq!(invalid.code(), Some("CBC.0100"));
    assert!(invalid.message().contains("verified_file_url"), "{invalid}");
}

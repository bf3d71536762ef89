//! The data edges, counting what the server saw: requests carry exactly what the caller meant
//! (an unknown key, at any depth, is refused naming the nearest declared field, and nothing is
//! sent); responses are read tolerantly (no field's absence or `null` fails a decode, for every
//! operation) and losslessly (the JSON path returns what the server sent, field for field and
//! digit for digit; an amount a decimal cannot hold is an error, never a rounding); a state
//! change whose answer was lost is outcome-unknown, sent once.

use std::time::Duration;

use contract_tests::{
    Reply, ScriptedServer, builder, case_input, catch_all, client, contract_cases, example,
};
use httpmock::prelude::*;
use huaweicloud_bss::meta::Operation;
use huaweicloud_bss::{GROUPS, Input, RetryPolicy};
use serde_json::{Value, json};

/// Decodes `body` as the typed response of `operation`, as `send()` would.
fn check_response(operation: &Operation, body: &[u8]) -> Option<Result<(), serde_json::Error>> {
    use huaweicloud_bss as bss;
    let check = match operation.group {
        "accounts" => bss::accounts::check_response,
        "bills" => bss::bills::check_response,
        "catalog" => bss::catalog::check_response,
        "costs" => bss::costs::check_response,
        "coupons" => bss::coupons::check_response,
        "customers" => bss::customers::check_response,
        "enterprise" => bss::enterprise::check_response,
        "funds" => bss::funds::check_response,
        "geography" => bss::geography::check_response,
        "intl" => bss::intl::check_response,
        "orders" => bss::orders::check_response,
        "packages" => bss::packages::check_response,
        "pricing" => bss::pricing::check_response,
        "realname" => bss::realname::check_response,
        "resources" => bss::resources::check_response,
        other => panic!("a group this test does not know: {other}"),
    };
    check(operation.rust_name, body)
}

/// The example with every scalar removed, at every depth; objects and lists keep their nested
/// objects, themselves stripped.
fn without_scalars(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| v.is_object() || v.is_array())
                .map(|(k, v)| (k.clone(), without_scalars(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_scalars).collect()),
        other => other.clone(),
    }
}

/// The example with every scalar field `null`, at every depth (the items of a list of scalars
/// are values, not fields, and stay).
fn scalars_null(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::Object(_) | Value::Array(_) => scalars_null(v),
                        _ => Value::Null,
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(scalars_null).collect()),
        other => other.clone(),
    }
}

/// The example with every field of every object `null`, containers included, one level at a
/// time: the top level, then each nested object's fields (inside lists too).
fn nulled_levels(value: &Value) -> Vec<Value> {
    fn all_null(map: &serde_json::Map<String, Value>) -> Value {
        Value::Object(map.keys().map(|k| (k.clone(), Value::Null)).collect())
    }
    fn nested(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::Object(inner) => all_null(inner),
                            Value::Array(items) => Value::Array(
                                items
                                    .iter()
                                    .map(|item| match item {
                                        Value::Object(inner) => all_null(inner),
                                        other => other.clone(),
                                    })
                                    .collect(),
                            ),
                            other => other.clone(),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    match value {
        Value::Object(map) => vec![all_null(map), nested(value)],
        _ => Vec::new(),
    }
}

#[test]
fn every_response_decodes_whatever_fields_are_absent_or_null() {
    let mut checked = 0;
    for group in GROUPS {
        for operation in group.operations {
            let example = example(group.name, operation.id);
            if example.is_null() {
                continue;
            }
            let mut variants = vec![
                ("every field removed", json!({})),
                ("every scalar removed", without_scalars(&example)),
                ("every scalar null", scalars_null(&example)),
            ];
            for nulled in nulled_levels(&example) {
                variants.push(("every field of a level null", nulled));
            }
            for (what, body) in variants {
                let text = body.to_string();
                match check_response(operation, text.as_bytes()) {
                    Some(Ok(())) => checked += 1,
                    Some(Err(err)) => panic!("{}: {what}: {err}\n{text}", operation.id),
                    None => panic!("{}: no typed response to check", operation.id),
                }
            }
            // And the documented example itself.
            let text = example.to_string();
            if let Some(Err(err)) = check_response(operation, text.as_bytes()) {
                panic!("{}: the documented example: {err}", operation.id);
            }
        }
    }
    assert!(checked >= 5 * 90, "only {checked} variants checked");
}

#[test]
fn a_value_of_the_wrong_type_names_its_json_path() {
    let operation = huaweicloud_bss::find_operation("list-sub-customers").unwrap();
    let body = json!({"count": 2, "customer_infos": [
        {"customer_id": "a", "is_frozen": 0},
        {"customer_id": "b", "is_frozen": "yes"}
    ]});
    let err = check_response(operation, body.to_string().as_bytes())
        .unwrap()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("customer_infos[1].is_frozen: invalid type: string"),
        "{err}"
    );
}

/// A key that is the declared `field` misspelt: its first two letters swapped.
fn misspelt(field: &str) -> String {
    let mut chars: Vec<char> = field.chars().collect();
    chars.swap(0, 1);
    chars.into_iter().collect()
}

/// The error of calling `operation` with `input` whose body is replaced by `body`.
async fn refusal(
    client: &huaweicloud_bss::Client,
    operation: &'static Operation,
    input: &Input,
    body: serde_json::Map<String, Value>,
) -> huaweicloud_bss::Error {
    let input = Input {
        body: Some(Value::Object(body)),
        ..input.clone()
    };
    client.invoke(operation, &input).await.unwrap_err()
}

#[tokio::test]
async fn an_unknown_key_at_any_depth_is_refused_naming_the_nearest_field_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let sent = catch_all(&server).await;
    let client = client(&server);
    let mut refused = 0;
    for group in GROUPS {
        let cases = contract_cases(group.name);
        for operation in group.operations {
            let (Some(shape), Some(case)) = (operation.body_shape, cases.get(operation.id)) else {
                continue;
            };
            let input = case_input(case);
            let Some(Value::Object(body)) = input.body.clone() else {
                continue;
            };
            // A misspelt top-level field, and a key that resembles nothing.
            let field = shape.fields.iter().find(|f| f.name.len() > 3).unwrap();
            for (key, hint) in [
                (misspelt(field.name), Some(field.name)),
                ("zzzz_qqqq_xxxx".to_string(), None),
            ] {
                let mut wrong = body.clone();
                wrong.insert(key.clone(), json!("x"));
                let err = refusal(&client, operation, &input, wrong).await;
                assert!(err.is_invalid_request(), "{}: {err:?}", operation.id);
                let expected = match hint {
                    Some(near) => format!(
                        "`{key}`: not a field of {}'s body; did you mean `{near}`?",
                        operation.id
                    ),
                    None => format!("`{key}`: not a field of {}'s body", operation.id),
                };
                assert_eq!(err.message(), expected, "{}", operation.id);
                refused += 1;
            }
            // A misspelt key inside the first nested object the case sends.
            for nested in shape.fields.iter().filter(|f| f.shape.is_some()) {
                let Some(inner_shape) = nested.shape else {
                    continue;
                };
                let (path, target) = match body.get(nested.name) {
                    Some(Value::Object(_)) => (nested.name.to_string(), None),
                    Some(Value::Array(items)) if items.first().is_some_and(Value::is_object) => {
                        (format!("{}[0]", nested.name), Some(0))
                    }
                    _ => continue,
                };
                let Some(inner_field) = inner_shape.fields.iter().find(|f| f.name.len() > 3) else {
                    continue;
                };
                let key = misspelt(inner_field.name);
                let mut wrong = body.clone();
                let slot = wrong.get_mut(nested.name).unwrap();
                let object = match target {
                    Some(i) => &mut slot.as_array_mut().unwrap()[i],
                    None => slot,
                };
                object
                    .as_object_mut()
                    .unwrap()
                    .insert(key.clone(), json!(1));
                let err = refusal(&client, operation, &input, wrong).await;
                assert_eq!(
                    err.message(),
                    format!(
                        "`{path}.{key}`: not a field of {} (in {}'s body); did you mean `{}`?",
                        inner_shape.name, operation.id, inner_field.name
                    ),
                    "{}",
                    operation.id
                );
                refused += 1;
                break;
            }
        }
    }
    assert_eq!(sent.calls_async().await, 0, "a refused request was sent");
    assert!(refused >= 80, "only {refused} refusals checked");
}

#[tokio::test]
async fn the_misspellings_users_made_are_refused() {
    let server = MockServer::start_async().await;
    let sent = catch_all(&server).await;
    let client = client(&server);
    let create = huaweicloud_bss::find_operation("create-sub-customer").unwrap();
    let err = client
        .invoke(
            create,
            &Input {
                body: Some(json!({
                    "xaccount_id": "u1", "xaccount_type": "partner_saas", "domian_name": "acme"
                })),
                ..Input::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "`domian_name`: not a field of CreateSubCustomer's body; did you mean `domain_name`?"
    );
    let adjust = huaweicloud_bss::find_operation("update-customer-account-amount").unwrap();
    let err = client
        .invoke(
            adjust,
            &Input {
                body: Some(json!({
                    "customer_id": "c1", "amount": 10, "indirect_partnerid": "R1"
                })),
                ..Input::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        err.message()
            .ends_with("did you mean `indirect_partner_id`?"),
        "{err}"
    );
    let list = huaweicloud_bss::find_operation("list-provinces").unwrap();
    let mut params = serde_json::Map::new();
    params.insert("limt".into(), json!(10));
    let err = client
        .invoke(
            list,
            &Input {
                params,
                ..Input::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "limt: not a parameter of ListProvinces; did you mean `limit`?"
    );
    assert_eq!(sent.calls_async().await, 0);
}

#[test]
fn request_types_refuse_unknown_keys_when_deserialized() {
    use huaweicloud_bss::customers::types::CreateCustomerV2Req;
    let err = serde_json::from_value::<CreateCustomerV2Req>(json!({
        "xaccount_id": "u1", "xaccount_type": "partner_saas", "domian_name": "acme"
    }))
    .unwrap_err();
    assert!(
        err.to_string().contains("unknown field `domian_name`"),
        "{err}"
    );
    assert!(
        serde_json::from_value::<CreateCustomerV2Req>(json!({
            "xaccount_id": "u1", "xaccount_type": "partner_saas", "domain_name": "acme1"
        }))
        .is_ok()
    );
}

/// A page of customers with a field the spec does not know, nested unknown objects, key order
/// that is not alphabetical, and numbers with more digits than a float or a decimal holds.
const LOSSLESS: &str = r#"{"customer_infos":[{"customer_id":"c1","zeta":1,"account_name":"a","new_field":{"b":[1,2.50,"x"],"a":null},"big":123456789012345678901234567890.123456789012345678901}],"count":1,"added_later":true}"#;

#[tokio::test]
async fn the_json_path_returns_what_the_server_sent() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .header("content-type", "application/json")
                .body(LOSSLESS);
        })
        .await;
    let client = client(&server);
    let operation = huaweicloud_bss::find_operation("list-sub-customers").unwrap();
    let value = client.invoke(operation, &Input::default()).await.unwrap();
    assert_eq!(serde_json::to_string(&value).unwrap(), LOSSLESS);
    // The raw body of a typed call, byte for byte.
    let raw = client
        .customers()
        .list_sub_customers()
        .body(huaweicloud_bss::customers::types::QuerySubCustomerListReq::default())
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(&raw.into_inner()[..], LOSSLESS.as_bytes());
}

#[tokio::test]
async fn an_amount_a_decimal_cannot_hold_is_an_error_naming_the_field() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"account_balances":[{"amount":1.5},{"amount":0.12345678901234567890123456789}]}"#);
        })
        .await;
    let err = client(&server)
        .accounts()
        .list_partner_balances()
        .send()
        .await
        .unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert!(
        err.message().contains("account_balances[1].amount")
            && err
                .message()
                .contains("more digits than an exact decimal holds"),
        "{err}"
    );
    assert!(err.raw_body().is_some_and(|b| b.contains("0.1234567890")));
}

/// Creating a customer: a state change whose read check is ListSubCustomers.
async fn create_customer(url: &str, timeout: Duration) -> huaweicloud_bss::Error {
    builder(url)
        .retry(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .timeout(timeout)
        .build()
        .unwrap()
        .customers()
        .create_sub_customer()
        .body_map(|b| b.xaccount_id("u1").xaccount_type("partner_saas"))
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_state_change_whose_answer_was_lost_is_outcome_unknown_and_sent_once() {
    let cases = [
        ("reset", Reply::Reset),
        ("truncated body", Reply::truncated(100, "{\"domain_id\":")),
        ("timeout", Reply::Hang(Duration::from_secs(5))),
    ];
    for (what, reply) in cases {
        let server = ScriptedServer::start(vec![reply]).await;
        let err = create_customer(&server.url(), Duration::from_millis(300)).await;
        assert!(err.is_outcome_unknown(), "{what}: {err:?}");
        assert_eq!(err.outcome_check(), Some("ListSubCustomers"), "{what}");
        assert!(
            err.message()
                .starts_with("CreateSubCustomer may or may not have been applied")
                && err
                    .message()
                    .ends_with("check with ListSubCustomers before trying again"),
            "{what}: {err}"
        );
        assert_eq!(server.requests(), 1, "{what}: sent again");
        assert_eq!(err.is_timeout(), what == "timeout", "{what}");
    }
    // The JSON path classifies the same way.
    let server = ScriptedServer::start(vec![Reply::Reset]).await;
    let client = builder(&server.url()).build().unwrap();
    let operation = huaweicloud_bss::find_operation("create-sub-customer").unwrap();
    let err = client
        .invoke(
            operation,
            &Input {
                body: Some(json!({"xaccount_id": "u1", "xaccount_type": "partner_saas"})),
                ..Input::default()
            },
        )
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_state_change_that_never_left_or_a_read_is_not_outcome_unknown() {
    // Refused: nothing was sent, so it is an ordinary transport error.
    let err = create_customer("http://127.0.0.1:9", Duration::from_secs(5)).await;
    assert!(err.is_transport() && !err.is_outcome_unknown(), "{err:?}");
    // A read whose answer is lost is retried, and stays a transport error.
    let server = ScriptedServer::start(vec![Reply::Reset]).await;
    let err = builder(&server.url())
        .retry(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .unwrap()
        .catalog()
        .list_measure_units()
        .send()
        .await
        .unwrap_err();
    assert!(err.is_transport() && !err.is_outcome_unknown(), "{err:?}");
    assert_eq!(server.requests(), 3);
}

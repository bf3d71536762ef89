//! Contract tests driven by data: for every operation of every group, `tests/contracts/<group>.json`
//! holds one call (its parameters and body) and what the server must receive (the path, every
//! query pair, headers, the exact JSON body). Each case is run through the client against a
//! loopback mock server that also recomputes the signature, and then checked four ways:
//!
//! 1. the request on the wire is exactly the documented one, and signed;
//! 2. the operation's full documented example decodes into the typed response and encodes back
//!    to the same data (every documented field is in the typed model);
//! 3. a 400 `CBC.0100` comes back as a typed error with its status, code, message and request id;
//! 4. with a required field or parameter removed, or a request amount made invalid, the call fails
//!    naming the field and nothing is sent;
//! 5. an international-only operation called on the China site fails, and nothing is sent.

use contract_tests::{
    TRICKY, assert_documented_400, builder, case_input, catch_all, client, contract_cases,
    documented_400, exact_query, example, round_trip, same_decoded, signed, site_of,
};
use httpmock::prelude::*;
use huaweicloud_bss::meta::{Location, Operation, SiteScope, ValueKind};
use huaweicloud_bss::{Client, Input};
use serde_json::{Value, json};

/// One operation's contract case.
struct Case {
    input: Input,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

fn parse_case(operation: &str, raw: &Value) -> Case {
    let expect = raw
        .get("expect")
        .unwrap_or_else(|| panic!("{operation}: the case has no `expect`"));
    let pairs = |value: Option<&Value>| -> Vec<(String, String)> {
        match value {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|pair| {
                    let pair = pair.as_array().filter(|p| p.len() == 2).unwrap_or_else(|| {
                        panic!("{operation}: expect.query holds [name, value] pairs")
                    });
                    (text(&pair[0]), text(&pair[1]))
                })
                .collect(),
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
            Some(other) => panic!("{operation}: unexpected {other}"),
        }
    };
    Case {
        input: case_input(raw),
        path: expect
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{operation}: expect.path is missing"))
            .to_string(),
        query: pairs(expect.get("query")),
        headers: pairs(expect.get("headers")),
        body: expect.get("body").cloned(),
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether the raw path on the wire has the template's segments (a `/` inside a value must be
/// encoded), encodes every space and `%`, and decodes to `expected`.
fn path_matches(template: &str, raw: &str, expected: &str) -> bool {
    let bytes = raw.as_bytes();
    let well_encoded = bytes.iter().enumerate().all(|(i, &b)| match b {
        b'%' => {
            bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        }
        b' ' | b'?' | b'#' => false,
        b => b.is_ascii(),
    });
    well_encoded
        && raw.split('/').count() == template.split('/').count()
        && percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .ok()
            .as_deref()
            == Some(expected)
}

fn client_for(server: &MockServer, operation: &Operation) -> Client {
    builder(&server.base_url())
        .site(site_of(operation))
        .build()
        .expect("a valid test configuration")
}

/// 1 and 2: the documented request goes out, signed, and the documented example decodes.
async fn sends_the_documented_request(group: &str, operation: &'static Operation, case: &Case) {
    let id = operation.id;
    let server = MockServer::start_async().await;
    let example = example(group, id);
    let method: Method = operation.method.parse().expect("a known method");
    let template = operation.path;
    let expected_path = case.path.clone();
    let expected_body = case.body.clone();
    let query: Vec<(&str, &str)> = case
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mock = server
        .mock_async(|when, then| {
            let mut when =
                when.method(method)
                    .is_true(move |req: &HttpMockRequest| {
                        path_matches(template, req.uri().path(), &expected_path)
                    })
                    .is_true(exact_query(&query))
                    .is_true(move |req: &HttpMockRequest| match &expected_body {
                        Some(body) => serde_json::from_slice::<Value>(req.body_ref())
                            .is_ok_and(|b| &b == body),
                        None => req.body_ref().is_empty(),
                    })
                    .is_true(signed);
            for (name, value) in &case.headers {
                when = when.header(name, value);
            }
            if case.body.is_some() {
                when.header("content-type", "application/json");
            }
            if example.is_null() {
                then.status(204);
            } else {
                then.status(200)
                    .header("content-type", "application/json")
                    .json_body(example.clone());
            }
        })
        .await;
    let result = client_for(&server, operation)
        .invoke(operation, &case.input)
        .await;
    assert_eq!(
        mock.calls_async().await,
        1,
        "{id}: the server did not receive the documented request ({result:?})"
    );
    let answered = result.unwrap_or_else(|e| panic!("{id}: {e:?}"));
    assert_eq!(answered, example, "{id}: the JSON path changed the answer");
    if example.is_null() {
        return;
    }
    let typed = round_trip(operation, &example)
        .unwrap_or_else(|| panic!("{id}: no typed response in tests/src/round_trip.rs"))
        .unwrap_or_else(|e| panic!("{id}: the documented example does not decode: {e}"));
    if let Err(difference) = same_decoded(&example, &typed) {
        panic!("{id}: the typed response does not carry the documented example: {difference}");
    }
}

/// 3: a documented 400 becomes a typed error.
async fn decodes_a_typed_error(operation: &'static Operation, case: &Case) {
    let server = MockServer::start_async().await;
    let method: Method = operation.method.parse().expect("a known method");
    let mock = documented_400(&server, method, operation.path).await;
    let err = client_for(&server, operation)
        .invoke(operation, &case.input)
        .await
        .expect_err("a 400 is an error");
    assert_eq!(mock.calls_async().await, 1, "{}: {err:?}", operation.id);
    assert_documented_400(&err, operation.id);
}

/// 4: inputs the spec forbids fail before sending, naming the field.
async fn rejects_invalid_input_before_sending(operation: &'static Operation, case: &Case) {
    let id = operation.id;
    let mut broken: Vec<(String, Input)> = Vec::new();
    for param in operation.params.iter().filter(|p| p.required) {
        let mut input = case.input.clone();
        let removed = match param.location {
            Location::Body => input
                .body
                .as_mut()
                .and_then(Value::as_object_mut)
                .and_then(|b| b.remove(param.name)),
            _ => input.params.remove(param.name),
        };
        if removed.is_some() {
            broken.push((param.name.to_string(), input));
        }
    }
    for param in operation
        .params
        .iter()
        .filter(|p| p.location == Location::Body && p.kind == ValueKind::PositiveAmount)
    {
        for bad in [json!(0), json!(-1), json!(1.005)] {
            let mut input = case.input.clone();
            if let Some(body) = input.body.as_mut().and_then(Value::as_object_mut)
                && body.contains_key(param.name)
            {
                body.insert(param.name.to_string(), bad);
                broken.push((param.name.to_string(), input));
            }
        }
    }
    if broken.is_empty() {
        return;
    }
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client_for(&server, operation);
    for (field, input) in broken {
        let err = client
            .invoke(operation, &input)
            .await
            .expect_err("invalid input is rejected");
        assert!(err.is_invalid_request(), "{id} {field}: {err:?}");
        assert!(
            err.to_string().contains(&field),
            "{id}: the error does not name `{field}`: {err}"
        );
    }
    assert_eq!(any.calls_async().await, 0, "{id}: invalid input was sent");
}

/// 5: an international-only operation called on the China site fails before sending.
async fn refuses_the_wrong_site(operation: &'static Operation, case: &Case) {
    if operation.site != SiteScope::InternationalOnly {
        return;
    }
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let err = client(&server)
        .invoke(operation, &case.input)
        .await
        .expect_err("an international-only operation is refused on the China site");
    assert!(err.is_invalid_request(), "{}: {err:?}", operation.id);
    assert!(err.to_string().contains("international site only"), "{err}");
    assert_eq!(any.calls_async().await, 0, "{}: it was sent", operation.id);
}

async fn run_group(name: &str) {
    let group = huaweicloud_bss::GROUPS
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no group `{name}`"));
    let raw = contract_cases(name);
    for operation in group.operations {
        let case = parse_case(
            operation.id,
            raw.get(operation.id).unwrap_or_else(|| {
                panic!("contracts/{name}.json has no case for {}", operation.id)
            }),
        );
        sends_the_documented_request(name, operation, &case).await;
        decodes_a_typed_error(operation, &case).await;
        rejects_invalid_input_before_sending(operation, &case).await;
        refuses_the_wrong_site(operation, &case).await;
    }
}

macro_rules! contract_tests {
    ($($group:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $group() {
                run_group(stringify!($group)).await;
            }
        )*

        /// Every group has a test above and a case for exactly each of its operations.
        #[test]
        fn every_operation_has_a_contract_case() {
            let tested = [$(stringify!($group)),*];
            for group in huaweicloud_bss::GROUPS {
                assert!(tested.contains(&group.name), "no contract test for group `{}`", group.name);
                let raw = contract_cases(group.name);
                let mut ids: Vec<&str> = raw.keys().map(String::as_str).collect();
                let mut expected: Vec<&str> = group.operations.iter().map(|o| o.id).collect();
                ids.sort_unstable();
                expected.sort_unstable();
                assert_eq!(ids, expected, "contracts/{}.json: one case per operation", group.name);
            }
        }
    };
}

contract_tests!(
    geography, catalog, customers, resources, pricing, accounts, bills, coupons, orders, packages,
    realname, intl, enterprise, costs, funds,
);

/// The encoding probe value must reach the wire in most cases; a case without it is a gap.
#[test]
fn most_cases_carry_the_encoding_probe() {
    for group in huaweicloud_bss::GROUPS {
        let raw = contract_cases(group.name);
        let text = serde_json::to_string(&raw).unwrap();
        let with_probe = raw
            .values()
            .filter(|case| serde_json::to_string(case).unwrap().contains(TRICKY))
            .count();
        assert!(
            text.contains(TRICKY) && with_probe * 2 >= raw.len(),
            "contracts/{}.json: only {with_probe} of {} cases send `{TRICKY}`",
            group.name,
            raw.len()
        );
    }
}

//! Every operation of every spec answers in the sandbox: called through the real client with the
//! input of its contract case (`tests/contracts/<group>.json`), it gets either a success that
//! decodes into the generated response type or a documented business error — never `501` (not
//! served) and never a server error.

use contract_tests::{case_input, contract_cases};
use huaweicloud_bss::Input;
use serde_json::Value;

mod common;

#[tokio::test]
async fn every_operation_answers() {
    let sandbox = common::sandbox().await;
    let mut answered = 0;
    let mut problems = Vec::new();
    for group in huaweicloud_bss::GROUPS {
        let cases = contract_cases(group.name);
        for operation in group.operations {
            let case = &cases[operation.id];
            let input = case_input(case);
            let client = common::client_for(&sandbox, operation);
            match client.invoke(operation, &input).await {
                Ok(_) => answered += 1,
                Err(err)
                    if err.status().is_some_and(|s| (400..500).contains(&s))
                        && err.code().is_some_and(|c| c.starts_with("CBC.")) =>
                {
                    answered += 1
                }
                Err(err) => problems.push(format!("{}: {err:?}", operation.id)),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} operations do not answer:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(answered >= 62, "only {answered} operations answered");
}

/// Hostile values for one input: every answer must be a success or a 4xx, never a dropped
/// connection (a panic in the sandbox) or a server error.
fn hostile(value: &Value) -> Vec<Value> {
    match value {
        Value::String(_) => [
            "",
            "华",
            "2024-0华-01T00:00:00Z",
            "2024-01-01T00:00:0华",
            "华为华为华为华为华为华为",
            "-1",
            "99999999999999999999999",
        ]
        .iter()
        .map(|s| Value::String(s.to_string()))
        .collect(),
        Value::Number(_) => vec![
            Value::from(0),
            Value::from(-1),
            Value::from(i64::from(i32::MAX)),
        ],
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn hostile_inputs_never_break_the_sandbox() {
    let sandbox = common::sandbox().await;
    let mut calls = 0;
    let mut problems = Vec::new();
    for group in huaweicloud_bss::GROUPS {
        let cases = contract_cases(group.name);
        for operation in group.operations {
            let case = &cases[operation.id];
            let Input { params, body } = case_input(case);
            let client = common::client_for(&sandbox, operation);
            let mut inputs = Vec::new();
            for (name, value) in &params {
                for bad in hostile(value) {
                    let mut params = params.clone();
                    params.insert(name.clone(), bad);
                    inputs.push(Input {
                        params,
                        body: body.clone(),
                    });
                }
            }
            if let Some(Value::Object(fields)) = &body {
                for (name, value) in fields {
                    for bad in hostile(value) {
                        let mut fields = fields.clone();
                        fields.insert(name.clone(), bad);
                        inputs.push(Input {
                            params: params.clone(),
                            body: Some(Value::Object(fields)),
                        });
                    }
                }
            }
            for input in inputs {
                calls += 1;
                match client.invoke(operation, &input).await {
                    Ok(_) => {}
                    // Refused by the client before sending: fine.
                    Err(err) if err.status().is_none() && err.is_invalid_request() => {}
                    Err(err) if err.status().is_some_and(|s| (400..500).contains(&s)) => {}
                    Err(err) => problems.push(format!("{} {:?}: {err:?}", operation.id, input)),
                }
            }
        }
    }
    assert!(calls > 1000, "only {calls} hostile calls");
    assert!(
        problems.is_empty(),
        "{} of {calls} hostile calls broke the sandbox:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

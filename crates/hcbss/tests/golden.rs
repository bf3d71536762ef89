//! Golden tests: what `hcbss --sandbox` prints, compared with the files in tests/golden
//! (regenerate them with `EXPECTORATE=overwrite cargo test -p hcbss --test golden`).

use std::process::Command;

fn hcbss(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .args(args)
        .env_clear()
        .output()
        .expect("hcbss runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn provinces_as_a_table() {
    let (out, _, code) = hcbss(&[
        "--sandbox",
        "list-provinces",
        "--limit",
        "34",
        "-o",
        "table",
    ]);
    assert_eq!(code, Some(0));
    expectorate::assert_contents("tests/golden/list-provinces.table.txt", &out);
}

#[test]
fn cities_as_csv() {
    let (out, _, code) = hcbss(&[
        "--sandbox",
        "list-cities",
        "--province-code",
        "CN-44",
        "-o",
        "csv",
    ]);
    assert_eq!(code, Some(0));
    expectorate::assert_contents("tests/golden/list-cities.csv", &out);
}

#[test]
fn customers_as_json() {
    let (out, _, code) = hcbss(&["--sandbox", "list-sub-customers", "--limit", "2"]);
    assert_eq!(code, Some(0));
    expectorate::assert_contents("tests/golden/list-sub-customers.json", &out);
}

#[test]
fn every_service_type_with_all() {
    let (out, _, code) = hcbss(&[
        "--sandbox",
        "list-service-types",
        "--all",
        "--limit",
        "5",
        "-o",
        "csv",
    ]);
    assert_eq!(code, Some(0));
    expectorate::assert_contents("tests/golden/list-service-types.all.csv", &out);
}

#[test]
fn a_validation_error() {
    let (out, err, code) = hcbss(&["--sandbox", "list-provinces", "--limit", "0"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    expectorate::assert_contents("tests/golden/list-provinces.limit-0.stderr", &err);
}

#[test]
fn a_business_error_from_the_sandbox() {
    let (out, err, code) = hcbss(&[
        "--sandbox",
        "create-sub-customer",
        "--xaccount-id",
        "u-1",
        "--xaccount-type",
        "partner_saas",
        "--mobile-phone",
        "13800000000",
        "--verification-code",
        "000000",
    ]);
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    // The request id changes with every run; everything else is fixed.
    let err: String = err
        .lines()
        .map(|line| match line.split_once("request id") {
            Some((head, _)) if head.trim().is_empty() => "  request id: <varies>".to_string(),
            Some((head, _)) => format!("{head}request id <varies>)"),
            None => line.to_string(),
        })
        .map(|line| line + "\n")
        .collect();
    expectorate::assert_contents("tests/golden/create-sub-customer.bad-code.stderr", &err);
}

#[test]
fn the_help_lists_every_group() {
    let (out, _, code) = hcbss(&["--help"]);
    assert_eq!(code, Some(0));
    expectorate::assert_contents("tests/golden/help.txt", &out);
}

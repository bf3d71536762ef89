//! Every known-answer vector from the official SDKs' signer tests must reproduce exactly: the
//! canonical request, the string to sign and the Authorization header.

use huaweicloud_bss_core::signer::{self, Algorithm, SignableRequest};
use serde_json::Value;

/// The vectors, copied unchanged from the project's shared reference.
const VECTORS: &str = include_str!("data/signing-vectors.json");

fn pairs(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn all_official_vectors_pass() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 15, "the reference holds 15 vectors");
    let mut derived = 0;
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let headers = v["headers"].as_object().unwrap();
        let date = headers["X-Sdk-Date"].as_str().unwrap();
        // The signed headers: `host` (the Host header if given, else the URL host) and the
        // headers the vector lists.
        let mut signed = Vec::new();
        for name in v["signed_headers"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            let value = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str().unwrap())
                .or_else(|| (name == "host").then(|| v["host"].as_str().unwrap()))
                .unwrap_or_else(|| panic!("{name}: no value for signed header"));
            signed.push((name, value));
        }
        let algorithm = match v["derived_info"].as_str() {
            Some(info) => {
                derived += 1;
                Algorithm::DerivedHmacSha256 {
                    info: info.to_string(),
                }
            }
            None => Algorithm::HmacSha256,
        };
        let query = pairs(&v["query"]);
        let signature = signer::sign(
            &SignableRequest {
                method: v["method"].as_str().unwrap(),
                path: v["path"].as_str().unwrap(),
                query: &query,
                headers: &signed,
                body: v["body"].as_str().unwrap().as_bytes(),
            },
            v["access_key"].as_str().unwrap(),
            v["secret_key"].as_str().unwrap(),
            date,
            &algorithm,
        );
        assert_eq!(
            signature.canonical_request,
            v["canonical_request"].as_str().unwrap(),
            "{name}: canonical request"
        );
        assert_eq!(
            signature.string_to_sign,
            v["string_to_sign"].as_str().unwrap(),
            "{name}: string to sign"
        );
        assert_eq!(
            signature.authorization,
            v["authorization"].as_str().unwrap(),
            "{name}: authorization"
        );
    }
    assert_eq!(derived, 5, "five V11-HMAC-SHA256 vectors");
}

#[test]
fn vendored_vectors_match_the_shared_reference() {
    // The shared reference sits beside the repository in the development and CI checkouts; a
    // plain clone only has the vendored copy.
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/signing-vectors.json"
    );
    if let Ok(text) = std::fs::read_to_string(shared) {
        assert_eq!(text, VECTORS, "crates/bss-core/tests/data is out of date");
    }
}

#[test]
fn the_derived_key_matches_the_documented_intermediate() {
    assert_eq!(
        signer::derived_key("AccessKey", "SecretKey", "20191115/region-id-1/service"),
        "1c5724913ed69bdda5e7a25d0beb7f2518aa55d96f97e0649301127d35b9ed31"
    );
}

//! Exact decimal amounts. The server sends amounts as JSON numbers or as numeric strings; both
//! decode into [`Amount`] without passing through a float. Request amounts are
//! [`PositiveAmount`]s: greater than zero with at most two decimals, checked before sending, and
//! sent as JSON numbers.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// An exact decimal amount (money, usage or size) as the API returns it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub Decimal);

impl Amount {
    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Amount {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        parse_decimal(s).map(Amount)
    }
}

impl From<Decimal> for Amount {
    fn from(value: Decimal) -> Self {
        Amount(value)
    }
}

/// Parses a decimal exactly: a value with more digits than [`Decimal`] holds (28 after the
/// point, about 28 in all) is an error, never a rounding.
fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let not_exact = || format!("`{text}` has more digits than an exact decimal holds (28)");
    if let Some((mantissa, exponent)) = text.split_once(['e', 'E']) {
        let mantissa = Decimal::from_str_exact(mantissa)
            .map_err(|_| format!("`{text}` is not a decimal number"))?;
        let exponent: i64 = exponent
            .parse()
            .map_err(|_| format!("`{text}` is not a decimal number"))?;
        return scale_exactly(mantissa, exponent).ok_or_else(not_exact);
    }
    match Decimal::from_str_exact(text) {
        Ok(value) => Ok(value),
        Err(_) if is_plain_decimal(text) => Err(not_exact()),
        Err(_) => Err(format!("`{text}` is not a decimal number")),
    }
}

/// Whether `text` is written as a decimal number (`-12.50`), whatever its size.
fn is_plain_decimal(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !(whole.is_empty() && fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// `mantissa × 10^exponent`, when a [`Decimal`] holds it exactly.
fn scale_exactly(mantissa: Decimal, exponent: i64) -> Option<Decimal> {
    if exponent >= 0 {
        let mut value = mantissa;
        for _ in 0..exponent {
            value = value.checked_mul(Decimal::TEN)?;
        }
        Some(value)
    } else {
        let scale = i64::from(mantissa.scale()) - exponent;
        let scale = u32::try_from(scale).ok().filter(|s| *s <= 28)?;
        Decimal::try_from_i128_with_scale(mantissa.mantissa(), scale).ok()
    }
}

/// Reads a JSON number (exactly, digit for digit) or a numeric string.
fn decimal_from_json(value: &Value) -> Result<Decimal, String> {
    match value {
        Value::Number(n) => parse_decimal(&n.to_string()),
        Value::String(s) => parse_decimal(s),
        other => Err(format!(
            "expected a number or a numeric string, got {other}"
        )),
    }
}

/// Writes a decimal as a JSON number with exactly its digits.
fn serialize_decimal<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    let number = serde_json::Number::from_str(&value.normalize().to_string())
        .map_err(serde::ser::Error::custom)?;
    number.serialize(serializer)
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        decimal_from_json(&value)
            .map(Amount)
            .map_err(serde::de::Error::custom)
    }
}

/// Decodes an optional response amount tolerantly: a missing field, `null` and an empty string
/// (which some operations send for "no value", e.g. the current month's bandwidth figures) are
/// all `None`; anything else must be a decimal. The generator puts this on every
/// `Option<Amount>` field.
pub fn optional_amount<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Amount>, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        value => decimal_from_json(&value)
            .map(|d| Some(Amount(d)))
            .map_err(serde::de::Error::custom),
    }
}

/// A request amount: greater than zero, with at most two decimals (fen/cents).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PositiveAmount(Decimal);

impl PositiveAmount {
    /// Checks the rule: greater than zero, at most two decimals.
    pub fn new(value: Decimal) -> Result<Self, String> {
        if value <= Decimal::ZERO {
            return Err(format!("must be greater than 0 (got {value})"));
        }
        if value.normalize().scale() > 2 {
            return Err(format!("must have at most 2 decimals (got {value})"));
        }
        Ok(PositiveAmount(value))
    }

    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// Checks a JSON value against the rule (a number or a numeric string).
    pub fn check_json(value: &Value) -> Result<(), String> {
        decimal_from_json(value)
            .and_then(PositiveAmount::new)
            .map(|_| ())
    }
}

impl fmt::Display for PositiveAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for PositiveAmount {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        PositiveAmount::new(parse_decimal(s)?)
    }
}

impl TryFrom<Decimal> for PositiveAmount {
    type Error = String;

    fn try_from(value: Decimal) -> Result<Self, String> {
        PositiveAmount::new(value)
    }
}

impl TryFrom<&str> for PositiveAmount {
    type Error = String;

    fn try_from(value: &str) -> Result<Self, String> {
        value.parse()
    }
}

impl Serialize for PositiveAmount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for PositiveAmount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        decimal_from_json(&value)
            .and_then(PositiveAmount::new)
            .map_err(serde::de::Error::custom)
    }
}

/// A request amount with the rule of [`PositiveAmount`] (greater than zero, at most two
/// decimals) for the operations whose official wire format carries the amount as a JSON string
/// (`"amount": "100.5"`, the enterprise multi-account transfers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PositiveAmountText(PositiveAmount);

impl PositiveAmountText {
    /// Checks the rule: greater than zero, at most two decimals.
    pub fn new(value: Decimal) -> Result<Self, String> {
        PositiveAmount::new(value).map(PositiveAmountText)
    }

    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0.value()
    }
}

impl fmt::Display for PositiveAmountText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for PositiveAmountText {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        s.parse().map(PositiveAmountText)
    }
}

impl TryFrom<Decimal> for PositiveAmountText {
    type Error = String;

    fn try_from(value: Decimal) -> Result<Self, String> {
        PositiveAmountText::new(value)
    }
}

impl TryFrom<&str> for PositiveAmountText {
    type Error = String;

    fn try_from(value: &str) -> Result<Self, String> {
        value.parse()
    }
}

impl From<PositiveAmount> for PositiveAmountText {
    fn from(value: PositiveAmount) -> Self {
        PositiveAmountText(value)
    }
}

impl Serialize for PositiveAmountText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.value().normalize().to_string())
    }
}

impl<'de> Deserialize<'de> for PositiveAmountText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        PositiveAmount::deserialize(deserializer).map(PositiveAmountText)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_numbers_and_strings_exactly() {
        let a: Amount = serde_json::from_str("123456789012.12345678").unwrap();
        assert_eq!(a.to_string(), "123456789012.12345678");
        let b: Amount = serde_json::from_value(json!("0.10")).unwrap();
        assert_eq!(b.0, Decimal::new(10, 2));
        let c: Amount = serde_json::from_str("1e2").unwrap();
        assert_eq!(c.0, Decimal::new(100, 0));
        assert!(serde_json::from_value::<Amount>(json!("ten")).is_err());
        assert!(serde_json::from_value::<Amount>(json!(null)).is_err());
        let d: Amount = serde_json::from_str("1.5E-3").unwrap();
        assert_eq!(d.to_string(), "0.0015");
    }

    #[test]
    fn more_digits_than_a_decimal_holds_is_an_error_not_a_rounding() {
        for text in [
            "0.12345678901234567890123456789",
            "123456789012345678901234567890",
            "1e-40",
            "9e40",
        ] {
            let err = serde_json::from_str::<Amount>(text)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("more digits than an exact decimal holds"),
                "{text}: {err}"
            );
        }
        let max: Amount = serde_json::from_str("0.1234567890123456789012345678").unwrap();
        assert_eq!(max.to_string(), "0.1234567890123456789012345678");
    }

    #[test]
    fn optional_amounts_treat_empty_as_absent() {
        #[derive(Deserialize)]
        struct Row {
            #[serde(default, deserialize_with = "optional_amount")]
            amount: Option<Amount>,
        }
        let decode = |text: &str| serde_json::from_str::<Row>(text).map(|r| r.amount);
        assert_eq!(decode("{}").unwrap(), None);
        assert_eq!(decode(r#"{"amount": null}"#).unwrap(), None);
        assert_eq!(decode(r#"{"amount": ""}"#).unwrap(), None);
        assert_eq!(
            decode(r#"{"amount": "1.50"}"#).unwrap(),
            Some("1.5".parse().unwrap())
        );
        assert_eq!(
            decode(r#"{"amount": 2}"#).unwrap(),
            Some("2".parse().unwrap())
        );
        assert!(decode(r#"{"amount": "n/a"}"#).is_err());
    }

    #[test]
    fn serializes_as_an_exact_json_number() {
        let a: Amount = "0.1".parse().unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "0.1");
        let p = PositiveAmount::new(Decimal::new(1005, 2)).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "10.05");
        assert_eq!(
            serde_json::to_string(&json!({"amount": p})).unwrap(),
            r#"{"amount":10.05}"#
        );
    }

    #[test]
    fn text_amounts_travel_as_strings_with_the_same_rule() {
        let t: PositiveAmountText = "100.50".parse().unwrap();
        assert_eq!(
            serde_json::to_string(&json!({"amount": t})).unwrap(),
            r#"{"amount":"100.5"}"#
        );
        assert_eq!(
            serde_json::from_str::<PositiveAmountText>("7").unwrap(),
            "7".parse().unwrap()
        );
        assert!(serde_json::from_str::<PositiveAmountText>(r#""0.001""#).is_err());
        assert!("0".parse::<PositiveAmountText>().is_err());
    }

    #[test]
    fn request_amounts_are_positive_with_two_decimals() {
        assert!("10.05".parse::<PositiveAmount>().is_ok());
        assert!("10.050".parse::<PositiveAmount>().is_ok());
        assert_eq!(
            "10.005".parse::<PositiveAmount>().unwrap_err(),
            "must have at most 2 decimals (got 10.005)"
        );
        assert_eq!(
            "0".parse::<PositiveAmount>().unwrap_err(),
            "must be greater than 0 (got 0)"
        );
        assert!("-1".parse::<PositiveAmount>().is_err());
        assert!(serde_json::from_str::<PositiveAmount>("0.001").is_err());
    }
}

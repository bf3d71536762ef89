//! Enum values as the official SDKs state them. The SDK models carry no machine-readable enums;
//! their field documentation states a set of values in a few recognisable forms, read in this
//! order (the first that yields values wins):
//!
//! 1. `enum:-1,0,1,2` — a comma-separated list after `enum:`;
//! 2. `枚举` ("enumeration": `枚举值：`, `枚举：`, `支持枚举| |`) followed by `VALUE：description`
//!    pairs, up to the end of the sentence (`。`) or of the table cell (`|`);
//! 3. anywhere in the text, at least two `VALUE：description` pairs (`ORIGINAL_COST：原始成本
//!    AMORTIZED_COST：摊销成本`), where a value is ASCII letters, digits, `_`, `-` or `.`.
//!
//! A value list written any other way (`使用优惠券：YES`, `PRODUCT_ITEM（…）/ CATEGORY_ITEM`)
//! is prose this check does not read. The comparison only uses these values where our spec
//! declares an `enum`, so a stray match elsewhere costs nothing.

/// The values a field's documentation states, or `None` if it states no set of values.
pub fn stated_values(doc: &str) -> Option<Vec<String>> {
    let values = ascii_list(doc)
        .filter(|v| !v.is_empty())
        .or_else(|| described_pairs(doc).filter(|v| !v.is_empty()))
        .or_else(|| Some(values_before_colons(doc)).filter(|v| v.len() >= 2))?;
    (!values.is_empty()).then_some(values)
}

/// `enum:a,b,c` (ASCII or full-width colon).
fn ascii_list(doc: &str) -> Option<Vec<String>> {
    let lower = doc.to_ascii_lowercase();
    let start = ["enum:", "enum："]
        .iter()
        .find_map(|marker| lower.find(marker).map(|at| at + marker.len()))?;
    let list: String = doc[start..]
        .chars()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| is_value_char(*c) || *c == ',')
        .collect();
    let values: Vec<String> = list
        .split(',')
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect();
    Some(values)
}

/// `枚举…：A：description，B：description。`
fn described_pairs(doc: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find("枚举") {
        rest = &rest[at + "枚举".len()..];
        let segment = statement_segment(rest);
        for value in values_before_colons(segment) {
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    Some(values)
}

/// The text a `枚举` marker introduces: past the marker's own words and the table-cell breaks
/// that may follow it, up to the end of the sentence or cell.
fn statement_segment(after_marker: &str) -> &str {
    let start = after_marker
        .char_indices()
        .find(|(_, c)| !matches!(c, '值' | '如' | '下' | '：' | ':' | '|' | ' ' | '　'))
        .map_or(after_marker.len(), |(i, _)| i);
    let body = &after_marker[start..];
    let end = body.find(['。', '|']).unwrap_or(body.len());
    &body[..end]
}

/// Every distinct `VALUE` that stands right before a colon in `text` (`A：x，B：y` → A, B),
/// except where the colon belongs to a time (`00:00`) or a URL (`https://`).
fn values_before_colons(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_value_char(c) {
            current.push(c);
            continue;
        }
        let next = chars.peek().copied();
        let separates =
            matches!(c, '：' | ':') && !next.is_some_and(|n| n.is_ascii_digit() || n == '/');
        if separates && !current.is_empty() && !out.contains(&current) {
            out.push(current.clone());
        }
        current.clear();
    }
    out
}

fn is_value_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

#[cfg(test)]
mod tests {
    use super::stated_values;

    fn values(doc: &str) -> Option<Vec<String>> {
        stated_values(doc)
    }

    fn some(expected: &[&str]) -> Option<Vec<String>> {
        Some(expected.iter().map(|v| v.to_string()).collect())
    }

    #[test]
    fn reads_an_ascii_list() {
        assert_eq!(
            values("实名认证状态。enum:-1,0,1,2。 -1未实名认证、0实名认证审核中"),
            some(&["-1", "0", "1", "2"])
        );
    }

    #[test]
    fn reads_value_description_pairs_after_the_marker() {
        assert_eq!(
            values(
                "|参数名称：语言| |参数的约束及描述：非必填，忽略大小写，默认zh_cn，枚举：zh_cn：中文 en_us：英文|"
            ),
            some(&["zh_cn", "en_us"])
        );
        assert_eq!(
            values(
                "|参数的约束及描述：该参数必填，设置类型，支持枚举| |DEDUCTION_DATE：设置自动续费扣款日，EXPIRE_DATE：设置续费后资源统一到期日|"
            ),
            some(&["DEDUCTION_DATE", "EXPIRE_DATE"])
        );
        assert_eq!(
            values(
                "付款方式。枚举值：ALL_UPFRONT：全预付；PARTIAL_UPFRONT：部分预付；NO_UPFRONT：零预付。 说明：x"
            ),
            some(&["ALL_UPFRONT", "PARTIAL_UPFRONT", "NO_UPFRONT"])
        );
        assert_eq!(
            values(
                "资源容量度量标识，枚举值如下： 15：Mbps（购买带宽时使用）17：GB（购买云硬盘时使用）14：个（次） 线性产品时该参数不能为空。"
            ),
            some(&["15", "17", "14"])
        );
    }

    #[test]
    fn reads_two_or_more_value_description_pairs_without_a_marker() {
        assert_eq!(
            values("成本类型。ORIGINAL_COST：原始成本AMORTIZED_COST：摊销成本"),
            some(&["ORIGINAL_COST", "AMORTIZED_COST"])
        );
        assert_eq!(
            values(
                "根据该参数的取值选择语言。此参数默认值为“zh-cn：中文”。 zh-cn：中文en-us：英文"
            ),
            some(&["zh-cn", "en-us"])
        );
        assert_eq!(values("账号。示例：abc：一个"), None);
        assert_eq!(
            values("时间，格式为 2024-01-01T00:00:00Z，参见 https://example.com/a：说明"),
            None
        );
    }

    #[test]
    fn prose_that_mentions_enumerations_states_nothing() {
        assert_eq!(
            values("操作类型。此参数不携带或携带值为非枚举值时，不作为筛选条件。"),
            None
        );
        assert_eq!(values("有枚举值校验。|"), None);
        assert_eq!(values("客户账号ID。"), None);
        assert_eq!(values(""), None);
    }
}

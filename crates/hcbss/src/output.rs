//! Printing a response: JSON (the default), an aligned table of the list field, or CSV with a
//! header row.

use huaweicloud_bss::Operation;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

/// The `--output` formats.
pub const FORMATS: [&str; 3] = ["json", "table", "csv"];

/// Renders `value`, the response of `operation` (or, with `--all`, the array of every item).
pub fn render(format: &str, operation: &Operation, value: &Value) -> Result<String, String> {
    match format {
        "table" => Ok(table(&rows(operation, value))),
        "csv" => csv(&rows(operation, value)),
        _ => serde_json::to_string_pretty(value).map_err(|e| e.to_string()),
    }
}

/// The rows to print: the items of a list (the `--all` array, the list field of a page, or the
/// only array field of the response), or else the response itself as one row.
fn rows<'a>(operation: &Operation, value: &'a Value) -> Vec<&'a Value> {
    let only_array = |map: &'a serde_json::Map<String, Value>| {
        let mut arrays = map.values().filter_map(Value::as_array);
        match (arrays.next(), arrays.next()) {
            (Some(items), None) => Some(items),
            _ => None,
        }
    };
    let list = match value {
        Value::Array(items) => Some(items),
        Value::Object(map) => operation
            .pagination
            .and_then(|p| map.get(p.items))
            .and_then(Value::as_array)
            .or_else(|| only_array(map)),
        _ => None,
    };
    match list {
        Some(items) => items.iter().collect(),
        None if value.is_null() => Vec::new(),
        None => vec![value],
    }
}

/// Every key of every row, in first-seen order.
fn columns(rows: &[&Value]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        match row {
            Value::Object(map) => {
                for key in map.keys() {
                    if !columns.iter().any(|c| c == key) {
                        columns.push(key.clone());
                    }
                }
            }
            _ if columns.is_empty() => columns.push("value".into()),
            _ => {}
        }
    }
    columns
}

fn cell(row: &Value, column: &str) -> String {
    let value = match row {
        Value::Object(map) => map.get(column).unwrap_or(&Value::Null),
        other => other,
    };
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn table(rows: &[&Value]) -> String {
    let columns = columns(rows);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| cell(row, c).replace('\n', " "))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].width())
                .chain([c.width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |values: Vec<&str>| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.width())))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = vec![line(columns.iter().map(String::as_str).collect())];
    out.extend(
        cells
            .iter()
            .map(|r| line(r.iter().map(String::as_str).collect())),
    );
    out.join("\n")
}

fn csv(rows: &[&Value]) -> Result<String, String> {
    let columns = columns(rows);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&columns).map_err(|e| e.to_string())?;
    for row in rows {
        writer
            .write_record(columns.iter().map(|c| cell(row, c)))
            .map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes)
        .map(|s| s.trim_end().to_string())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn provinces() -> &'static Operation {
        huaweicloud_bss::find_operation("ListProvinces").unwrap()
    }

    #[test]
    fn a_table_aligns_wide_characters() {
        let value = json!({"count": 2, "provinces": [
            {"code": "CN-11", "name": "北京市"},
            {"code": "CN-5", "name": "天津"}
        ]});
        assert_eq!(
            render("table", provinces(), &value).unwrap(),
            "code   name\nCN-11  北京市\nCN-5   天津"
        );
    }

    #[test]
    fn csv_has_a_header_and_quotes_what_needs_it() {
        let value =
            json!([{"code": "CN-11", "name": "北京, 市"}, {"code": "x", "extra": {"a": 1}}]);
        assert_eq!(
            render("csv", provinces(), &value).unwrap(),
            "code,name,extra\nCN-11,\"北京, 市\",\nx,,\"{\"\"a\"\":1}\""
        );
    }

    #[test]
    fn the_only_list_of_a_response_is_the_rows_else_the_response_is_one_row() {
        let op = huaweicloud_bss::find_operation("ListMeasureUnits").unwrap();
        let value = json!({"measure_units": [{"measure_id": 10, "measure_name": "GB"}]});
        assert_eq!(
            render("csv", op, &value).unwrap(),
            "measure_id,measure_name\n10,GB"
        );
        let value = json!({"check_result": "available", "mobile_remain_available_num": 3});
        assert_eq!(
            render("table", op, &value).unwrap(),
            "check_result  mobile_remain_available_num\navailable     3"
        );
    }
}

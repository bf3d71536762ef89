//! Printing a response: JSON (the default), JSON lines, an aligned table of the list field, or
//! CSV with a header row. Values are printed as received: numbers keep every digit they had on
//! the wire, and fields no spec declares are printed like any other.
//!
//! Lists are written in batches (one response, or one page at a time with `--all`) through an
//! [`ItemWriter`], so `--all` holds one page, never the whole list. Table and CSV take their
//! columns from the first batch; a later item with a field outside them is an error naming the
//! field rather than a silently dropped value.

use std::io::{self, Write};

use huaweicloud_bss::Operation;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

/// The `--output` formats.
pub const FORMATS: [&str; 4] = ["json", "jsonl", "table", "csv"];

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Pretty-printed JSON: the response, or with `--all` one array of every item.
    Json,
    /// One compact JSON value per line: each item of the list (or the response as one line).
    Jsonl,
    /// Aligned columns of the list.
    Table,
    /// CSV with a header row.
    Csv,
}

impl Format {
    /// The format named on the command line (`json` for anything unknown; clap checks the name).
    pub fn parse(name: &str) -> Format {
        match name {
            "jsonl" => Format::Jsonl,
            "table" => Format::Table,
            "csv" => Format::Csv,
            _ => Format::Json,
        }
    }
}

/// Why output stopped.
#[derive(Debug)]
pub enum OutputError {
    /// Stdout refused a write (a closed pipe, a full disk).
    Io(io::Error),
    /// An item carries a field the table or CSV header (taken from the first batch) lacks.
    NewField {
        /// The field.
        field: String,
        /// The item's 0-based position among the items written.
        item: u64,
    },
}

impl From<io::Error> for OutputError {
    fn from(err: io::Error) -> Self {
        OutputError::Io(err)
    }
}

impl From<csv::Error> for OutputError {
    fn from(err: csv::Error) -> Self {
        match err.into_kind() {
            csv::ErrorKind::Io(err) => OutputError::Io(err),
            other => OutputError::Io(io::Error::other(format!("{other:?}"))),
        }
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Io(err) => write!(f, "writing to stdout: {err}"),
            OutputError::NewField { field, item } => write!(
                f,
                "item {item} has a field `{field}` that the earlier items lack, so it has no \
                 column (the columns come from the first page); -o json or -o jsonl prints \
                 every field"
            ),
        }
    }
}

/// The exit code of output that stopped: quietly for a closed pipe (see
/// [`crate::sink::write_failed`]), else with the reason on stderr.
pub fn failed(err: OutputError) -> std::process::ExitCode {
    match err {
        OutputError::Io(err) => crate::sink::write_failed(&err),
        other => {
            crate::note!("error: {other}");
            std::process::ExitCode::from(crate::sink::EXIT_WRITE_FAILED)
        }
    }
}

/// Writes one response in `format`, with a final newline.
pub fn write_response(
    format: Format,
    operation: &Operation,
    value: &Value,
    out: &mut impl Write,
) -> Result<(), OutputError> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        return Ok(());
    }
    let mut writer = ItemWriter::new(format);
    writer.write_batch(&rows(operation, value), out)?;
    writer.finish(out)
}

/// The rows to print: the items of a list (the list field of a page, or the only array field of
/// the response), or else the response itself as one row.
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

/// Writes a list batch by batch in one format, holding nothing but the columns between
/// batches. Call [`ItemWriter::finish`] once after the last batch, also after a failure, so
/// that a JSON array is closed.
pub struct ItemWriter {
    format: Format,
    /// Items written so far.
    written: u64,
    /// Table and CSV: the columns, fixed by the first batch.
    columns: Option<Vec<String>>,
    /// Table: each column's width, fixed by the first batch.
    widths: Vec<usize>,
    /// JSON: one item, pretty-printed, before it is indented into the array.
    scratch: Vec<u8>,
}

impl ItemWriter {
    /// A writer of `format` that has written nothing yet.
    pub fn new(format: Format) -> ItemWriter {
        ItemWriter {
            format,
            written: 0,
            columns: None,
            widths: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// How many items have been written.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Writes the next items of the list.
    pub fn write_batch<V: std::borrow::Borrow<Value>>(
        &mut self,
        items: &[V],
        out: &mut impl Write,
    ) -> Result<(), OutputError> {
        match self.format {
            Format::Json => self.json(items, out)?,
            Format::Jsonl => {
                for item in items {
                    serde_json::to_writer(&mut *out, item.borrow()).map_err(io::Error::from)?;
                    out.write_all(b"\n")?;
                    self.written += 1;
                }
            }
            Format::Table | Format::Csv => {
                let columns = match &self.columns {
                    Some(columns) => {
                        self.check_columns(columns, items)?;
                        columns
                    }
                    None => self.columns.insert(columns(items)),
                };
                if self.format == Format::Csv {
                    csv(columns, self.written == 0, items, out)?;
                } else {
                    let first = self.written == 0;
                    if first {
                        self.widths = widths(columns, items);
                    }
                    table(columns, &self.widths, first, items, out)?;
                }
                self.written += items.len() as u64;
            }
        }
        Ok(())
    }

    /// Ends the list: closes a JSON array (`[]` when there were no items).
    pub fn finish(mut self, out: &mut impl Write) -> Result<(), OutputError> {
        match self.format {
            Format::Json if self.written == 0 => out.write_all(b"[]\n")?,
            Format::Json => out.write_all(b"\n]\n")?,
            // No batch at all: the (empty) header line of an empty list.
            Format::Table | Format::Csv if self.columns.is_none() => {
                self.write_batch::<Value>(&[], out)?
            }
            _ => {}
        }
        Ok(())
    }

    /// Writes items as elements of one pretty-printed array, exactly as `serde_json` prints the
    /// whole array: each item is printed on its own and indented by two spaces (a pretty-printed
    /// value holds no newline but its structural ones: newlines in strings are escaped).
    fn json<V: std::borrow::Borrow<Value>>(
        &mut self,
        items: &[V],
        out: &mut impl Write,
    ) -> Result<(), OutputError> {
        for item in items {
            out.write_all(if self.written == 0 {
                b"[\n  "
            } else {
                b",\n  "
            })?;
            self.scratch.clear();
            serde_json::to_writer_pretty(&mut self.scratch, item.borrow())
                .map_err(io::Error::from)?;
            let mut rest = self.scratch.as_slice();
            while let Some(at) = rest.iter().position(|&b| b == b'\n') {
                out.write_all(&rest[..=at])?;
                out.write_all(b"  ")?;
                rest = &rest[at + 1..];
            }
            out.write_all(rest)?;
            self.written += 1;
        }
        Ok(())
    }

    /// Fails on the first field of `items` outside `columns`.
    fn check_columns<V: std::borrow::Borrow<Value>>(
        &self,
        columns: &[String],
        items: &[V],
    ) -> Result<(), OutputError> {
        for (i, item) in items.iter().enumerate() {
            if let Value::Object(map) = item.borrow()
                && let Some(field) = map.keys().find(|k| !columns.contains(k))
            {
                return Err(OutputError::NewField {
                    field: field.clone(),
                    item: self.written + i as u64,
                });
            }
        }
        Ok(())
    }
}

/// Every key of every row, in first-seen order.
fn columns<V: std::borrow::Borrow<Value>>(rows: &[V]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        match row.borrow() {
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

/// A cell as printed: a string without its quotes, any other value as its JSON text (a number
/// exactly as received), nothing for null or a missing field.
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

fn table_cell(row: &Value, column: &str) -> String {
    cell(row, column).replace('\n', " ")
}

/// The width of each column: its widest cell among `rows`, or its name.
fn widths<V: std::borrow::Borrow<Value>>(columns: &[String], rows: &[V]) -> Vec<usize> {
    columns
        .iter()
        .map(|c| {
            rows.iter()
                .map(|r| table_cell(r.borrow(), c).width())
                .chain([c.width()])
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// Writes table lines, the header first when `header`. A cell wider than its column (in a later
/// page) pushes the rest of its line right: it is never cut.
fn table<V: std::borrow::Borrow<Value>>(
    columns: &[String],
    widths: &[usize],
    header: bool,
    rows: &[V],
    out: &mut impl Write,
) -> io::Result<()> {
    let mut line = |values: &[String]| -> io::Result<()> {
        let mut text = String::new();
        for (i, (value, width)) in values.iter().zip(widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(value);
            text.extend(std::iter::repeat_n(
                ' ',
                width.saturating_sub(value.width()),
            ));
        }
        out.write_all(text.trim_end().as_bytes())?;
        out.write_all(b"\n")
    };
    if header {
        line(columns)?;
    }
    for row in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| table_cell(row.borrow(), c))
            .collect();
        line(&cells)?;
    }
    Ok(())
}

/// Writes CSV records, the header first when `header`.
fn csv<V: std::borrow::Borrow<Value>>(
    columns: &[String],
    header: bool,
    rows: &[V],
    out: &mut impl Write,
) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    if header {
        writer.write_record(columns)?;
    }
    for row in rows {
        writer.write_record(columns.iter().map(|c| cell(row.borrow(), c)))?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn provinces() -> &'static Operation {
        huaweicloud_bss::find_operation("ListProvinces").unwrap()
    }

    fn render(format: &str, operation: &Operation, value: &Value) -> String {
        let mut out = Vec::new();
        write_response(Format::parse(format), operation, value, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Writes `batches` as `--all` does, returning the output and how it ended.
    fn stream(format: Format, batches: &[Value]) -> (String, Result<(), String>) {
        let mut out = Vec::new();
        let mut writer = ItemWriter::new(format);
        let mut result = Ok(());
        for batch in batches {
            if let Err(err) = writer.write_batch(batch.as_array().unwrap(), &mut out) {
                result = Err(err.to_string());
                break;
            }
        }
        writer.finish(&mut out).unwrap();
        (String::from_utf8(out).unwrap(), result)
    }

    #[test]
    fn a_table_aligns_wide_characters() {
        let value = json!({"count": 2, "provinces": [
            {"code": "CN-11", "name": "北京市"},
            {"code": "CN-5", "name": "天津"}
        ]});
        assert_eq!(
            render("table", provinces(), &value),
            "code   name\nCN-11  北京市\nCN-5   天津\n"
        );
    }

    #[test]
    fn csv_has_a_header_and_quotes_what_needs_it() {
        let value =
            json!([{"code": "CN-11", "name": "北京, 市"}, {"code": "x", "extra": {"a": 1}}]);
        assert_eq!(
            render("csv", provinces(), &value),
            "code,name,extra\nCN-11,\"北京, 市\",\nx,,\"{\"\"a\"\":1}\"\n"
        );
    }

    #[test]
    fn the_only_list_of_a_response_is_the_rows_else_the_response_is_one_row() {
        let op = huaweicloud_bss::find_operation("ListMeasureUnits").unwrap();
        let value = json!({"measure_units": [{"measure_id": 10, "measure_name": "GB"}]});
        assert_eq!(
            render("csv", op, &value),
            "measure_id,measure_name\n10,GB\n"
        );
        assert_eq!(
            render("jsonl", op, &value),
            "{\"measure_id\":10,\"measure_name\":\"GB\"}\n"
        );
        let value = json!({"check_result": "available", "mobile_remain_available_num": 3});
        assert_eq!(
            render("table", op, &value),
            "check_result  mobile_remain_available_num\navailable     3\n"
        );
    }

    #[test]
    fn numbers_and_unknown_fields_print_as_received_in_every_format() {
        let text = r#"{"count": 1, "provinces": [{"code": "CN-11",
            "amount": 12345678901234567890.123456789012, "tiny": 1e-400, "new_field": [1.50]}]}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        let json = render("json", provinces(), &value);
        assert!(json.contains("12345678901234567890.123456789012"), "{json}");
        assert!(json.contains("1e-400") && json.contains("1.50"), "{json}");
        let line = render("jsonl", provinces(), &value);
        for field in [
            "\"amount\":12345678901234567890.123456789012",
            "\"tiny\":1e-400",
            "\"new_field\":[1.50]",
        ] {
            assert!(line.contains(field), "{field} in {line}");
        }
        assert!(
            render("csv", provinces(), &value)
                .lines()
                .nth(1)
                .is_some_and(
                    |row| ["12345678901234567890.123456789012", "1e-400", "[1.50]"]
                        .iter()
                        .all(|cell| row.split(',').any(|c| c == *cell))
                ),
        );
        assert!(render("table", provinces(), &value).contains("12345678901234567890.123456789012"));
    }

    #[test]
    fn streamed_json_is_the_same_text_as_the_whole_array() {
        let items = json!([{"a": 1, "b": {"c": [1, 2], "d": "x\ny"}}, {"a": 2}, [], {}, "s"]);
        let whole = serde_json::to_string_pretty(&items).unwrap() + "\n";
        let batches = [
            json!([items[0], items[1]]),
            json!([]),
            json!([items[2], items[3], items[4]]),
        ];
        assert_eq!(stream(Format::Json, &batches), (whole, Ok(())));
        assert_eq!(stream(Format::Json, &[]), ("[]\n".to_string(), Ok(())));
        let (text, _) = stream(Format::Jsonl, &batches);
        assert_eq!(
            text,
            "{\"a\":1,\"b\":{\"c\":[1,2],\"d\":\"x\\ny\"}}\n{\"a\":2}\n[]\n{}\n\"s\"\n"
        );
    }

    #[test]
    fn csv_and_table_keep_the_first_pages_columns_and_name_a_new_field() {
        let batches = [
            json!([{"a": "1", "b": "x"}, {"a": "2"}]),
            json!([{"b": "y", "a": "3"}]),
            json!([{"a": "4", "c": "new"}]),
        ];
        let (text, result) = stream(Format::Csv, &batches);
        assert_eq!(text, "a,b\n1,x\n2,\n3,y\n");
        let err = result.unwrap_err();
        assert!(err.contains("item 3 has a field `c`"), "{err}");
        let (text, result) = stream(Format::Table, &batches[..2]);
        assert_eq!(text, "a  b\n1  x\n2\n3  y\n");
        assert!(result.is_ok());
    }

    #[test]
    fn a_later_wider_cell_is_never_cut() {
        let batches = [
            json!([{"a": "1", "b": "x"}]),
            json!([{"a": "12345", "b": "y"}]),
        ];
        assert_eq!(stream(Format::Table, &batches).0, "a  b\n1  x\n12345  y\n");
    }
}

//! Calling an operation from JSON input: parameters keyed by wire name and an optional JSON body.
//! The CLI takes this path; programs use the typed builders.

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::Response;
use crate::error::{Error, ErrorKind};
use crate::meta::{Location, Operation};
use crate::validate;

/// The parameters and body of one call, as JSON.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Input {
    /// Path, query and header parameters by wire name (`offset`, `X-Language`).
    pub params: Map<String, Value>,
    /// The JSON body, if any.
    pub body: Option<Value>,
}

impl Input {
    /// Checks the input against `operation`'s declared parameters and limits.
    pub fn validate(&self, operation: &Operation) -> Result<(), Error> {
        let invalid = |message: String| Error::new(ErrorKind::InvalidInput, message);
        for (name, value) in &self.params {
            let mut declared = operation
                .params
                .iter()
                .filter(|p| p.location != Location::Body);
            let param = declared.clone().find(|p| p.name == name).ok_or_else(|| {
                invalid(
                    match validate::nearest(name, declared.by_ref().map(|p| p.name)) {
                        Some(near) => format!(
                            "{name}: not a parameter of {}; did you mean `{near}`?",
                            operation.id
                        ),
                        None => format!("{name}: not a parameter of {}", operation.id),
                    },
                )
            })?;
            validate::check_json(param, value).map_err(invalid)?;
        }
        for param in operation.params {
            if param.required
                && param.location != Location::Body
                && !self.params.contains_key(param.name)
            {
                return Err(invalid(format!("{}: required", param.name)));
            }
        }
        if let Some(body) = &self.body {
            validate::check_body(operation, body).map_err(invalid)?;
        }
        Ok(())
    }

    /// A parameter decoded into the type the generated builder takes.
    pub fn param<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Error> {
        self.params
            .get(name)
            .map(|value| {
                serde_json::from_value(value.clone()).map_err(|e| Error::invalid_input(name, e))
            })
            .transpose()
    }

    /// The body decoded into the operation's body type.
    pub fn body<T: DeserializeOwned>(&self) -> Result<Option<T>, Error> {
        self.body
            .as_ref()
            .map(|body| {
                serde_json::from_value(body.clone()).map_err(|e| Error::invalid_input("body", e))
            })
            .transpose()
    }
}

/// The body of a raw call's answer as JSON, every field and digit as the server sent it (a
/// body-less success is `null`).
pub fn output(result: Result<Response<Bytes>, Error>) -> Result<Value, Error> {
    result?.json()
}

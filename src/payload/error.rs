//! Typed parse errors: a stable `code`, the character `position`, the tag path and a message.

use super::ParseError;

impl ParseError {
    pub fn new(code: &str, position: usize, tag: Option<&str>, message: impl Into<String>) -> Self {
        ParseError { code: code.to_string(), position, tag: tag.map(str::to_string), message: message.into() }
    }
}

pub(crate) fn err(code: &str, position: usize, tag: &str, message: impl Into<String>) -> ParseError {
    ParseError::new(code, position, if tag.is_empty() { None } else { Some(tag) }, message)
}

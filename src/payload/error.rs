//! Typed parse errors: a stable `code`, the character `position`, the tag path and a message.

use super::{ErrorCode, ParseError};

impl ParseError {
    pub fn new(code: ErrorCode, position: usize, tag: Option<&str>, message: impl Into<String>) -> Self {
        ParseError { code, position, tag: tag.map(str::to_string), message: message.into() }
    }
}

pub(crate) fn err(code: ErrorCode, position: usize, tag: &str, message: impl Into<String>) -> ParseError {
    ParseError::new(code, position, if tag.is_empty() { None } else { Some(tag) }, message)
}

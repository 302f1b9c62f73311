//! Helpers shared by the native integration tests (`mod common;` in a test file). Each test crate
//! uses only some of them, hence `dead_code` is allowed here.
#![allow(dead_code)]

pub mod qr;
pub mod rng;

//! Browser edge (wasm32 only): the Leptos widget, the camera, the decoder worker entry, wallet bridges.

pub mod bridges;

//! `cargo run --release -- IN.wasm OUT_DIR`: wasm-bindgen `--target web` of the example app.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: interpay-leptos-app-bindgen IN.wasm OUT_DIR");
        std::process::exit(2);
    };
    let mut bg = wasm_bindgen_cli_support::Bindgen::new();
    let made = bg
        .input_path(input)
        .web(true)
        .and_then(|b| b.out_name("app").omit_default_module_path(false).generate(out));
    if let Err(e) = made {
        eprintln!("wasm-bindgen: {e:#}");
        std::process::exit(1);
    }
    println!("wrote {out}/app.js and {out}/app_bg.wasm");
}

fn main() { eprintln!("sandbox-merchant: not yet"); }

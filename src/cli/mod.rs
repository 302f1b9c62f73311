//! Subcommands, one file each.

mod decode;
mod encode;
mod parse;

const USAGE: &str = "usage:
  interpay decode [--json] IMAGE...      decode every QR code in each image
  interpay parse [--json] PAYLOAD        parse a payment payload (exit 1 if invalid)
  interpay encode [OPTIONS]              generate an EMVCo payload and render it (see `interpay encode --help`)";

/// Runs the CLI; returns the process exit status.
pub fn run(args: Vec<String>) -> i32 {
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return 2;
    };
    match cmd.as_str() {
        "decode" => decode::run(rest),
        "parse" => parse::run(rest),
        "encode" => encode::run(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            0
        }
        other => {
            eprintln!("interpay: unknown command {other:?}\n{USAGE}");
            2
        }
    }
}

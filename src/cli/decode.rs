pub fn run(_args: &[String]) -> i32 {
    eprintln!("interpay decode: not yet");
    2
}

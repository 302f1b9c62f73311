pub fn run(_args: &[String]) -> i32 {
    eprintln!("interpay encode: not yet");
    2
}

pub fn run(_args: &[String]) -> i32 {
    eprintln!("interpay parse: not yet");
    2
}

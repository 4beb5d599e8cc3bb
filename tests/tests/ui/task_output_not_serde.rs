use stepmacro::prelude::*;

struct Report {
    lines: Vec<String>,
}

#[task]
async fn report(id: u64) -> Report {
    Report { lines: vec![id.to_string()] }
}

fn main() {}

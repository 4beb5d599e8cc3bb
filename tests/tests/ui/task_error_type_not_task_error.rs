use stepmacro::prelude::*;

#[task]
async fn parse(text: String) -> Result<u64, std::num::ParseIntError> {
    text.parse()
}

fn main() {}

use stepmacro::prelude::*;

workflow! {
    fn paint(x: u64) -> Result<u64, Failure> {
        Ok(x)
    }
}

fn main() {}

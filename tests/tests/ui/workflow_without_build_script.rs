use stepmacro::prelude::*;

workflow! {
    async fn identity(x: u64) -> Result<u64, Failure> {
        Ok(x)
    }
}

fn main() {}

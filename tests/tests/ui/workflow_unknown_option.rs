use stepmacro::prelude::*;

workflow! {
    #[workflow(colour = "red")]
    async fn paint(x: u64) -> Result<u64, Failure> {
        Ok(x)
    }
}

fn main() {}

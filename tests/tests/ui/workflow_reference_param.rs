use stepmacro::prelude::*;

workflow! {
    async fn paint(colour: &str) -> Result<String, Failure> {
        Ok(colour.to_owned())
    }
}

fn main() {}

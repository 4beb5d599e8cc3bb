use stepmacro::prelude::*;

async fn helper(x: u64) -> Result<u64, Failure> {
    Ok(x)
}

workflow! {
    async fn uses_helper(x: u64) -> Result<u64, Failure> {
        let y = helper(x).await?;
        Ok(y)
    }
}

fn main() {}

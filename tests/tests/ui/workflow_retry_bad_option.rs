use stepmacro::prelude::*;

#[task]
async fn flaky(x: i64) -> Result<i64, Infallible> {
    Ok(x)
}

workflow! {
    async fn again(x: i64) -> Result<i64, Failure> {
        let v = retry!(max_attempts = 3, backoff_rate = 0.5, colour = 2 => flaky(x))?;
        Ok(v)
    }
}

fn main() {}

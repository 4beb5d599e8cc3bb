use stepmacro::prelude::*;

#[task]
async fn left(x: i64) -> Result<i64, Infallible> {
    Ok(x)
}

workflow! {
    async fn both(x: i64) -> Result<i64, Failure> {
        loop {
            let (a, b) = try_join!(left(x), async { if x > 1 { break; } Ok(x) })?;
            return Ok(a + b);
        }
    }
}

fn main() {}

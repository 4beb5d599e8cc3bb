use stepmacro::prelude::*;

#[task]
async fn left(x: i64) -> Result<i64, Infallible> {
    Ok(x)
}

workflow! {
    async fn both(x: i64) -> Result<i64, Failure> {
        let (a, b) = try_join!(left(x), x + 1)?;
        Ok(a + b)
    }
}

fn main() {}

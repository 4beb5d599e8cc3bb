use stepmacro::prelude::*;

#[task]
async fn left(x: i64) -> Result<i64, Infallible> {
    Ok(x)
}

#[task]
async fn right(x: i64) -> Result<i64, Infallible> {
    Ok(x)
}

workflow! {
    async fn both(x: i64) -> Result<i64, Failure> {
        let pair = try_join!(left(x), right(x));
        Ok(x)
    }
}

fn main() {}

use stepmacro::prelude::*;

#[task]
async fn double(x: i64) -> Result<i64, Infallible> {
    Ok(x * 2)
}

workflow! {
    async fn all(xs: Vec<i64>) -> Result<Vec<i64>, Failure> {
        let ys = map!(xs, max_concurrency = 4, double)?;
        Ok(ys)
    }
}

fn main() {}

use stepmacro::prelude::*;

#[task]
async fn price(sku: String) -> Result<i64, Infallible> {
    Ok(sku.len() as i64)
}

workflow! {
    async fn total(skus: Vec<String>) -> Result<i64, Failure> {
        let mut sum = 0;
        let prices = map!(skus, max_concurrency = 2, |sku| async move {
            let p = price(sku).await?;
            sum += p;
            Ok(p)
        })?;
        Ok(sum + prices.len() as i64)
    }
}

fn main() {}

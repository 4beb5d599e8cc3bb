use stepmacro::prelude::*;

#[task]
async fn in_stock(sku: String) -> Result<bool, Infallible> {
    Ok(!sku.is_empty())
}

workflow! {
    async fn check(sku: String, urgent: bool) -> Result<bool, Failure> {
        let ok = urgent && in_stock(sku).await?;
        Ok(ok)
    }
}

fn main() {}

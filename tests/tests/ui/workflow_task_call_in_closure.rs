use stepmacro::prelude::*;

#[task]
async fn price(id: u64) -> Result<u64, Infallible> {
    Ok(id * 10)
}

workflow! {
    async fn prices(ids: Vec<u64>) -> Result<u64, Failure> {
        let first = ids.first().map(|id| async move { price(*id).await });
        let _ = first;
        Ok(0)
    }
}

fn main() {}

use stepmacro::prelude::*;

#[task]
async fn notify(id: u64) -> Result<u64, Infallible> {
    Ok(id)
}

workflow! {
    async fn notify_big(ids: Vec<u64>) -> Result<u64, Failure> {
        let mut sent = 0;
        for id in ids.iter().filter(|id| **id > 10) {
            let n = notify(*id).await?;
            sent += n;
        }
        Ok(sent)
    }
}

fn main() {}

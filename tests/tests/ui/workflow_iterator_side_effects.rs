use stepmacro::prelude::*;

#[task]
async fn notify(id: u64) -> Result<(), Infallible> {
    let _ = id;
    Ok(())
}

workflow! {
    async fn notify_all(ids: Vec<u64>) -> Result<u64, Failure> {
        let mut sent = 0;
        ids.iter().for_each(|id| sent += id);
        Ok(sent)
    }
}

fn main() {}

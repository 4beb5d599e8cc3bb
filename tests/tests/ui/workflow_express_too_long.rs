use stepmacro::prelude::*;

workflow! {
    #[workflow(kind = "EXPRESS")]
    async fn nap(x: i64) -> Result<i64, Failure> {
        sleep(Duration::from_secs(3600)).await;
        Ok(x)
    }
}

fn main() {}

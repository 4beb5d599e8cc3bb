use stepmacro::prelude::*;

workflow! {
    /// JSONPath has no multiplication: this workflow needs JSONata (or a task that multiplies).
    #[workflow(query_language = "JSONPath")]
    async fn doubled(x: i64) -> Result<i64, Failure> {
        Ok(x * 2)
    }
}

fn main() {}

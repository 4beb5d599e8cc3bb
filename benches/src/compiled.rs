//! Workload (b) as users write it: 20 sequential task calls, an `if`, and a `map!` over the
//! items, compiled to ASL by `workflow!` (the build script writes the definition) and run natively
//! by the same macro. It uses the tasks of [`crate::sequence_if_map`], whose hand-written
//! definition it sits beside, so the two can be compared.

use stepmacro::prelude::*;

use crate::sequence_if_map::{Input, Output, add_one, square};

workflow! {
    /// Adds one to `n` twenty times, labels the result, and squares every item.
    pub async fn sequence_if_map_compiled(input: Input) -> Result<Output, Failure> {
        let n = add_one(input.n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let n = add_one(n).await?;
        let label = if n > 10 { "many".to_owned() } else { "few".to_owned() };
        let squares = map!(input.items, |x| async move { Ok(square(x).await?) })?;
        Ok(Output { n, label, squares })
    }
}

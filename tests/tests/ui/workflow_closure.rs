use stepmacro::prelude::*;

workflow! {
    async fn scale(xs: Vec<u64>) -> Result<Vec<u64>, Failure> {
        let factor = 3;
        let scaled: Vec<u64> = xs.iter().map(|x| x * factor).collect();
        Ok(scaled)
    }
}

fn main() {}

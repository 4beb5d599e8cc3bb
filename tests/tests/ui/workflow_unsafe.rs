use stepmacro::prelude::*;

workflow! {
    async fn raw(x: u64) -> Result<u64, Failure> {
        let y = unsafe { std::mem::transmute::<u64, i64>(x) };
        Ok(y as u64)
    }
}

fn main() {}

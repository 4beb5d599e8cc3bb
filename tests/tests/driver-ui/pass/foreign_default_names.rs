//! A workflow catching (and retrying) variants of another crate's enum with default names: the build
//! driver's assumed `DefaultNames.Timeout` is right, so it compiles, and the definition and the native
//! run agree.

use stepmacro::prelude::*;
use stepmacro_foreign_errors::DefaultNames;

#[task]
async fn fetch(id: u64) -> Result<u64, DefaultNames> {
    if id == 0 {
        Err(DefaultNames::Timeout)
    } else {
        Ok(id)
    }
}

workflow! {
    async fn fetch_or_zero(id: u64) -> Result<u64, Failure> {
        let v = retry!(errors = [DefaultNames::Unavailable], max_attempts = 2 => fetch(id + 1).await?)?;
        match fetch(v - 1).await {
            Ok(v) => Ok(v),
            Err(DefaultNames::Timeout) => Ok(0),
            Err(e) => Err(e),
        }
    }
}

fn main() {
    let definition = <fetch_or_zero as Workflow>::DEFINITION;
    assert!(definition.contains("\"DefaultNames.Timeout\""), "{definition}");
    assert!(definition.contains("\"DefaultNames.Unavailable\""), "{definition}");
    let rt = stepmacro::__private::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let out = rt.block_on(<fetch_or_zero as Workflow>::run_native(serde_json::json!(0)));
    assert_eq!(out.unwrap(), serde_json::json!(0));
    let out = rt.block_on(<fetch_or_zero as Workflow>::run_native(serde_json::json!(7)));
    assert_eq!(out.unwrap(), serde_json::json!(7));
}

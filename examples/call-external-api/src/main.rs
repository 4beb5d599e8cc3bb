//! `cargo run -p call-external-api [-- ENDPOINT [REQUEST_ID]]`: runs the workflow on the local ASL
//! interpreter (the real definition, the real tasks in process, a virtual clock) and natively, and
//! prints the execution trace and both results. `-- --definition` prints the definition only.
//!
//! Request ids ending in 3, 7 or 9 make the simulated API fail (timeout, rate limit, 503), so the
//! retries run out and the failure is logged; an endpoint outside `/stations/` is a bad request.

use std::process::ExitCode;

use call_external_api::ApiRequest;
// The workflow's type (definition, tasks, native runner); the fn of the same name is imported too.
use call_external_api::call_external_api as CallExternalApi;
use stepmacro::Workflow;
use stepmacro::interpreter::{Interpreter, trace};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--definition") {
        print!("{}", CallExternalApi::DEFINITION);
        return ExitCode::SUCCESS;
    }
    let endpoint = args
        .first()
        .cloned()
        .unwrap_or_else(|| "/stations/42/readings".to_owned());
    let request_id = match args.get(1).map(|s| s.parse::<u64>()) {
        None => 1,
        Some(Ok(id)) => id,
        Some(Err(e)) => {
            eprintln!("REQUEST_ID must be a whole number: {e}");
            return ExitCode::FAILURE;
        }
    };
    let input = serde_json::to_value(ApiRequest {
        endpoint,
        request_id,
    })
    .expect("a request serialises");

    if let Some(path) = CallExternalApi::DEFINITION_FILE {
        println!("definition: {path}");
    }
    let mut interpreter = match Interpreter::new(CallExternalApi::DEFINITION) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("the definition does not load: {e}");
            return ExitCode::FAILURE;
        }
    };
    for task in CallExternalApi::tasks() {
        interpreter = interpreter.task(task);
    }
    let execution = interpreter.run(input.clone()).await;
    println!(
        "\ninterpreted run ({}):\n{}",
        execution.status.as_str(),
        trace(&execution.history)
    );
    let interpreted = execution.into_result();
    let native = CallExternalApi::run_native(input).await;
    println!("interpreted result: {}", show(&interpreted));
    println!("native result:      {}", show(&native));
    if interpreted == native {
        ExitCode::SUCCESS
    } else {
        eprintln!("the two runs disagree");
        ExitCode::FAILURE
    }
}

fn show(r: &Result<serde_json::Value, stepmacro::Failure>) -> String {
    match r {
        Ok(v) => format!("Ok({v})"),
        Err(f) => format!("Err({f})"),
    }
}

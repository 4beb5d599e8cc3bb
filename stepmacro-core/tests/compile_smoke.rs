mod common;
use common::ctx_from;
use stepmacro_core::compile_workflow;

#[test]
fn call_external_api() {
    let (ctx, wfs) = ctx_from(
        r#"
        #[task(retry(interval_seconds = 2, max_attempts = 4, backoff_rate = 2.0))]
        async fn callExternalApi(req: ApiRequest) -> Result<ApiResponse, ApiError> { unreachable!("only parsed") }
        #[task]
        async fn logError(failure: Failure) -> Result<ErrorLogged, Infallible> { unreachable!("only parsed") }
        #[derive(Serialize, Deserialize)]
        enum Outcome { Response(ApiResponse), Logged(ErrorLogged) }
        workflow! {
            /// Calls the external API; on any failure (after retries) logs the error.
            pub async fn call_external_api(req: ApiRequest) -> Result<Outcome, Failure> {
                match callExternalApi(req).await {
                    Ok(resp) => Ok(Outcome::Response(resp)),
                    Err(failure) => Ok(Outcome::Logged(logError(failure).await?)),
                }
            }
        }
        "#,
    );
    let out = compile_workflow(&wfs[0], &ctx).unwrap_or_else(|e| panic!("{e}"));
    println!("{}", out.json);
}

#[test]
fn poller_loop() {
    let (ctx, wfs) = ctx_from(
        r#"
        #[task]
        async fn start_job(input: JobInput) -> Result<Job, JobError> { unreachable!("only parsed") }
        #[task]
        async fn job_status(job: Job) -> Result<Status, JobError> { unreachable!("only parsed") }
        #[derive(Serialize, Deserialize)]
        struct Job { id: String }
        #[derive(Serialize, Deserialize)]
        struct Status { done: bool, failed: bool, #[serde(rename = "resultCount")] result_count: i64 }
        workflow! {
            pub async fn poll(input: JobInput) -> Result<i64, Failure> {
                let job = start_job(input).await?;
                let mut attempts = 0;
                loop {
                    let status = job_status(job.clone()).await?;
                    attempts += 1;
                    if status.done {
                        return Ok(status.result_count);
                    }
                    if status.failed || attempts >= 10 {
                        return Err(Failure::new("JobFailed", format!("gave up after {} attempts", attempts)));
                    }
                    sleep(Duration::from_secs(30)).await;
                }
            }
        }
        "#,
    );
    let out = compile_workflow(&wfs[0], &ctx).unwrap_or_else(|e| panic!("{e}"));
    println!("{}", out.json);
}

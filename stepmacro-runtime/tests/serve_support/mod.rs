//! A Lambda Runtime API server on 127.0.0.1, in the test process, for driving `stepmacro::serve`
//! through lambda_runtime's real loop.
//!
//! It implements what lambda_runtime 1.5 calls during invocations: `GET /2018-06-01/runtime/invocation/next`
//! (long-polls until the test queues an invocation, then answers with the body and the
//! `Lambda-Runtime-Aws-Request-Id` / `-Deadline-Ms` / `-Invoked-Function-Arn` / `-Trace-Id` headers) and
//! `POST .../invocation/{id}/response` and `.../invocation/{id}/error` (recorded, answered `202`). HTTP/1.1
//! is handled by hand (keep-alive, `Content-Length` and chunked bodies): small enough to read, and no
//! server crate in the dev-dependencies.

#![allow(dead_code)] // each test file uses a different part

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};

/// How the function answered one invocation.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// `POST .../response`: the body, parsed.
    Response(Value),
    /// `POST .../error`.
    Error {
        /// `errorType` of the posted body.
        error_type: String,
        /// `errorMessage` of the posted body.
        error_message: String,
        /// The posted body as text: what Step Functions records as `Cause`.
        body: String,
        /// The `Lambda-Runtime-Function-Error-Type` header.
        header: Option<String>,
    },
}

impl Answer {
    pub fn error_type(&self) -> Option<&str> {
        match self {
            Answer::Error { error_type, .. } => Some(error_type),
            Answer::Response(_) => None,
        }
    }
}

struct Queued {
    id: String,
    body: Vec<u8>,
}

struct State {
    function_arn: String,
    queue: tokio::sync::Mutex<mpsc::UnboundedReceiver<Queued>>,
    /// Who waits for which request id's answer.
    waiters: Mutex<HashMap<String, oneshot::Sender<Answer>>>,
    /// How many answers each request id got (the exactly-once audit), including ids never issued.
    answer_counts: Mutex<HashMap<String, usize>>,
    next_calls: AtomicUsize,
}

/// The server. Cheap to share: clone the `Arc`s inside via [`RuntimeApi::invoke`].
pub struct RuntimeApi {
    pub addr: SocketAddr,
    sender: mpsc::UnboundedSender<Queued>,
    state: Arc<State>,
    next_id: AtomicU64,
    issued: Mutex<Vec<String>>,
}

/// Binds the listening socket before any runtime exists, so the address can go into the environment
/// while the process is still single-threaded.
pub fn bind() -> std::net::TcpListener {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    listener
}

/// Sets the variables lambda_runtime 1.5 reads (`Config::from_env`, `AWS_LAMBDA_RUNTIME_API` in the
/// client). Call it before creating any thread.
pub fn set_lambda_env(listener: &std::net::TcpListener, function_name: &str) {
    let addr = listener.local_addr().unwrap().to_string();
    let vars = [
        ("AWS_LAMBDA_RUNTIME_API", addr.as_str()),
        ("AWS_LAMBDA_FUNCTION_NAME", function_name),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "2025/01/01/[$LATEST]stepmacro-test",
        ),
        ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/stepmacro-test"),
    ];
    for (k, v) in vars {
        // SAFETY: called at the start of the only test of its binary, before this process starts any
        // thread of its own; the harness's main thread only waits for the test.
        unsafe { std::env::set_var(k, v) };
    }
}

impl RuntimeApi {
    /// Starts serving on `listener` (from [`bind`]) in the current tokio runtime.
    pub fn start(listener: std::net::TcpListener, function_name: &str) -> RuntimeApi {
        let listener = TcpListener::from_std(listener).expect("tokio listener");
        let addr = listener.local_addr().unwrap();
        let (sender, receiver) = mpsc::unbounded_channel();
        let state = Arc::new(State {
            function_arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{function_name}"),
            queue: tokio::sync::Mutex::new(receiver),
            waiters: Mutex::new(HashMap::new()),
            answer_counts: Mutex::new(HashMap::new()),
            next_calls: AtomicUsize::new(0),
        });
        let accept_state = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = accept_state.clone();
                tokio::spawn(async move {
                    // The runtime dropping its connection (at the end of a test) is not news.
                    if let Err(e) = serve_connection(stream, state).await
                        && !matches!(
                            e.kind(),
                            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
                        )
                    {
                        eprintln!("runtime API connection ended: {e}");
                    }
                });
            }
        });
        RuntimeApi {
            addr,
            sender,
            state,
            next_id: AtomicU64::new(1),
            issued: Mutex::new(Vec::new()),
        }
    }

    /// Queues one invocation; the receiver yields the function's answer.
    pub fn invoke(&self, body: impl Into<Vec<u8>>) -> (String, oneshot::Receiver<Answer>) {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let id = format!("00000000-0000-4000-8000-{n:012}");
        let (tx, rx) = oneshot::channel();
        self.state.waiters.lock().unwrap().insert(id.clone(), tx);
        self.issued.lock().unwrap().push(id.clone());
        self.sender
            .send(Queued {
                id: id.clone(),
                body: body.into(),
            })
            .expect("server running");
        (id, rx)
    }

    /// Queues one invocation and waits (at most a minute, so a lost invocation fails the test
    /// instead of hanging it) for its answer.
    pub async fn call(&self, body: impl Into<Vec<u8>>) -> Answer {
        let (id, rx) = self.invoke(body);
        match tokio::time::timeout(Duration::from_secs(60), rx).await {
            Ok(Ok(answer)) => answer,
            _ => panic!("invocation {id} was never answered"),
        }
    }

    /// Request id → number of answers received, for every id that got at least one.
    pub fn answer_counts(&self) -> HashMap<String, usize> {
        self.state.answer_counts.lock().unwrap().clone()
    }

    /// Every request id queued so far, in order.
    pub fn issued(&self) -> Vec<String> {
        self.issued.lock().unwrap().clone()
    }

    /// How many `next` requests the runtime has made.
    pub fn next_calls(&self) -> usize {
        self.state.next_calls.load(Ordering::Relaxed)
    }
}

struct Request {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

async fn serve_connection(stream: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    while let Some(request) = read_request(&mut reader).await? {
        let (status, headers, body) = route(request, &state).await;
        let mut head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        write.write_all(head.as_bytes()).await?;
        write.write_all(&body).await?;
        write.flush().await?;
    }
    Ok(())
}

async fn route(
    request: Request,
    state: &State,
) -> (&'static str, Vec<(&'static str, String)>, Vec<u8>) {
    const PREFIX: &str = "/2018-06-01/runtime/invocation/";
    let accepted = || ("202 Accepted", Vec::new(), br#"{"status":"OK"}"#.to_vec());
    let Some(rest) = request.path.strip_prefix(PREFIX) else {
        return (
            "404 Not Found",
            Vec::new(),
            br#"{"errorType":"NotFound"}"#.to_vec(),
        );
    };
    match (request.method.as_str(), rest.split_once('/')) {
        ("GET", None) if rest == "next" => {
            state.next_calls.fetch_add(1, Ordering::Relaxed);
            let next = state.queue.lock().await.recv().await;
            let Some(Queued { id, body }) = next else {
                return ("500 Internal Server Error", Vec::new(), b"{}".to_vec());
            };
            let deadline = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis()
                + 300_000;
            let headers = vec![
                ("Lambda-Runtime-Aws-Request-Id", id.clone()),
                ("Lambda-Runtime-Deadline-Ms", deadline.to_string()),
                (
                    "Lambda-Runtime-Invoked-Function-Arn",
                    state.function_arn.clone(),
                ),
                ("Lambda-Runtime-Trace-Id", format!("Root=1-00000000-{id}")),
            ];
            ("200 OK", headers, body)
        }
        ("POST", Some((id, kind @ ("response" | "error")))) => {
            let answer = if kind == "response" {
                Answer::Response(
                    serde_json::from_slice(&request.body).expect("response body is JSON"),
                )
            } else {
                let body = String::from_utf8(request.body).expect("error body is UTF-8");
                let parsed: Value = serde_json::from_str(&body).expect("error body is JSON");
                Answer::Error {
                    error_type: parsed["errorType"].as_str().expect("errorType").to_owned(),
                    error_message: parsed["errorMessage"]
                        .as_str()
                        .expect("errorMessage")
                        .to_owned(),
                    body,
                    header: request
                        .headers
                        .get("lambda-runtime-function-error-type")
                        .cloned(),
                }
            };
            *state
                .answer_counts
                .lock()
                .unwrap()
                .entry(id.to_owned())
                .or_default() += 1;
            if let Some(waiter) = state.waiters.lock().unwrap().remove(id) {
                let _ = waiter.send(answer);
            }
            accepted()
        }
        _ => (
            "404 Not Found",
            Vec::new(),
            br#"{"errorType":"NotFound"}"#.to_vec(),
        ),
    }
}

/// Reads one request; `None` when the client closed the connection between requests.
async fn read_request<R: AsyncBufReadExt + Unpin>(
    reader: &mut R,
) -> std::io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
        return Err(std::io::Error::other(format!("bad request line {line:?}")));
    };
    let (method, path) = (method.to_owned(), path.to_owned());
    let mut headers = HashMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let mut body = Vec::new();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        loop {
            line.clear();
            reader.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|e| std::io::Error::other(format!("bad chunk size {line:?}: {e}")))?;
            let mut chunk = vec![0; size + 2]; // data + CRLF
            reader.read_exact(&mut chunk).await?;
            if size == 0 {
                break; // (no trailers are sent by lambda_runtime for buffered bodies)
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(len) = headers.get("content-length") {
        let len: usize = len
            .parse()
            .map_err(|e| std::io::Error::other(format!("content-length: {e}")))?;
        body.resize(len, 0);
        reader.read_exact(&mut body).await?;
    }
    Ok(Some(Request {
        method,
        path,
        headers,
        body,
    }))
}

/// Silences the panics the tests cause on purpose (their messages contain "deliberate"); any other
/// panic, such as a failed assertion, reaches the default hook.
pub fn quiet_deliberate_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload.downcast_ref::<String>().map(String::as_str);
        let msg = msg
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if !msg.contains("deliberate") {
            previous(info);
        }
    }));
}

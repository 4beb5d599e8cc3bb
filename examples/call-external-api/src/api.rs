//! The external API the workflow calls, simulated: a deterministic function of the request, so the
//! example runs offline and its tests can pick requests that succeed or fail in each way.

use std::fmt;

use serde::{Deserialize, Serialize};
use stepmacro::TaskError;

/// A call to the (simulated) weather-station API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRequest {
    /// Path of the resource, e.g. `/stations/42/readings`.
    pub endpoint: String,
    /// Caller-chosen request id, echoed back (also what the simulation keys its failures on).
    pub request_id: u64,
}

/// The API's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiResponse {
    pub status: u16,
    pub request_id: u64,
    pub body: String,
}

/// How the API fails. Each variant is a named error a `Retry`/`Catch` can match:
/// `ApiError.Timeout`, `ApiError.RateLimited`, `ApiError.Unavailable`, `ApiError.BadRequest`.
#[derive(Clone, Debug, PartialEq, Eq, TaskError)]
pub enum ApiError {
    /// The API did not answer in time.
    Timeout,
    /// Too many requests; try again later.
    RateLimited { retry_after_seconds: u64 },
    /// A 5xx from the API.
    Unavailable(u16),
    /// The request itself is wrong (retrying will not help).
    BadRequest(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Timeout => f.write_str("the API did not answer within 10 seconds"),
            ApiError::RateLimited {
                retry_after_seconds,
            } => {
                write!(f, "rate limited; retry after {retry_after_seconds} s")
            }
            ApiError::Unavailable(status) => write!(f, "the API answered HTTP {status}"),
            ApiError::BadRequest(why) => write!(f, "bad request: {why}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// The simulated service. Failures depend only on the request: an endpoint outside `/stations/` is a
/// bad request; request ids ending in 3 time out, ending in 7 are rate limited, ending in 9 get a 503;
/// everything else succeeds with a reading derived from the endpoint.
pub fn simulate(req: &ApiRequest) -> Result<ApiResponse, ApiError> {
    let Some(station) = req.endpoint.strip_prefix("/stations/") else {
        return Err(ApiError::BadRequest(format!(
            "unknown endpoint `{}`",
            req.endpoint
        )));
    };
    match req.request_id % 10 {
        3 => return Err(ApiError::Timeout),
        7 => {
            return Err(ApiError::RateLimited {
                retry_after_seconds: 30,
            });
        }
        9 => return Err(ApiError::Unavailable(503)),
        _ => {}
    }
    // A stable pseudo-reading: FNV-1a of the station path, as tenths of a degree.
    let hash = station.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let tenths = (hash % 400) as i64 - 100;
    Ok(ApiResponse {
        status: 200,
        request_id: req.request_id,
        body: format!(
            "{{\"station\":\"{station}\",\"celsius\":{}.{}}}",
            tenths / 10,
            (tenths % 10).abs()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(endpoint: &str, request_id: u64) -> ApiRequest {
        ApiRequest {
            endpoint: endpoint.into(),
            request_id,
        }
    }

    #[test]
    fn simulation_is_deterministic() {
        let ok = simulate(&req("/stations/42/readings", 1)).unwrap();
        assert_eq!(ok, simulate(&req("/stations/42/readings", 1)).unwrap());
        assert_eq!(ok.status, 200);
        assert_eq!(simulate(&req("/stations/1", 13)), Err(ApiError::Timeout));
        assert_eq!(
            simulate(&req("/stations/1", 17)),
            Err(ApiError::RateLimited {
                retry_after_seconds: 30
            })
        );
        assert_eq!(
            simulate(&req("/stations/1", 19)),
            Err(ApiError::Unavailable(503))
        );
        assert!(matches!(
            simulate(&req("/users", 1)),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn error_names_are_the_asl_names() {
        assert_eq!(ApiError::Timeout.error_name(), "ApiError.Timeout");
        assert_eq!(
            ApiError::Unavailable(503).error_name(),
            "ApiError.Unavailable"
        );
        assert_eq!(
            <ApiError as TaskError>::variant_error_name("RateLimited"),
            Some("ApiError.RateLimited")
        );
        let f = stepmacro::Failure::from(ApiError::Timeout);
        assert_eq!(f.error, "ApiError.Timeout");
        assert_eq!(
            f.cause,
            "{\"errorType\":\"ApiError.Timeout\",\"errorMessage\":\"the API did not answer within 10 seconds\"}"
        );
    }
}

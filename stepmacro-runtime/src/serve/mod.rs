//! Serving tasks as AWS Lambda functions (in progress).

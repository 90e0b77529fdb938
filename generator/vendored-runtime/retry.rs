//! [`RetryPolicy`]: which failures are retried, how often and how late.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use super::error::{Error, ErrorKind};

/// When and how failed attempts are retried.
///
/// Conservative by default ([`RetryPolicy::default`]):
///
/// * at most 3 attempts in total;
/// * only transient failures are retried: connection errors, an attempt that
///   timed out, and the statuses 408, 429, 502, 503 and 504;
/// * only idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`,
///   `TRACE`); `POST` and `PATCH` only after
///   [`retry_non_idempotent(true)`](RetryPolicy::retry_non_idempotent);
/// * exponential backoff with full jitter: before retry *n* the client waits
///   a random time between zero and `initial_backoff × 2^(n-1)`, capped at
///   `max_backoff` (defaults: 100 ms, 5 s);
/// * a `Retry-After` header (delta seconds or HTTP date) on a retried
///   response replaces the computed backoff and is honoured exactly: it is
///   never shortened by `max_backoff`;
/// * a total budget, `max_elapsed` (default 30 s), measured from the start of
///   the call: no retry is started if its wait would end after the budget
///   (including a `Retry-After` that asks for more time than is left). The
///   last response or error is then returned as is. The attempt in flight is
///   bounded by the per-attempt timeout, not by this budget.
///
/// When retries are exhausted, a retryable status is returned like any other
/// response (the generated code turns it into [`ErrorKind::Api`](super::ErrorKind::Api)), and a
/// retryable failure is returned as its error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one attempt).
    pub fn disabled() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// Total number of attempts, the first included (`0` is treated as `1`).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Upper bound of the wait before the first retry; it doubles for each
    /// further retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Cap of the computed backoff (not of a server's `Retry-After`).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Total time budget of a call, attempts and waits included.
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Whether `POST` and `PATCH` (and other non-idempotent methods) are
    /// retried too. Off by default: a retried `POST` may create a resource
    /// twice.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Total number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether requests with `method` may be retried under this policy.
    pub fn allows_method(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }

    pub(crate) fn budget(&self) -> Duration {
        self.max_elapsed
    }

    /// The jittered wait before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let ceiling = self.initial_backoff.saturating_mul(1u32 << exponent).min(self.max_backoff);
        // Full jitter: uniform in [0, ceiling]. `as u64` saturates.
        let nanos = ceiling.as_nanos() as f64 * random_unit();
        Duration::from_nanos(nanos as u64)
    }
}

/// Whether `method` is idempotent (RFC 9110 §9.2.2).
fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}

/// Whether a response with this status is worth retrying: 408, 429, 502,
/// 503, 504.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// Whether a failed attempt is worth retrying: connection errors and
/// timeouts, not invalid requests, redirect loops or oversized bodies.
pub(crate) fn is_retryable_error(err: &Error) -> bool {
    match err.kind() {
        ErrorKind::Timeout { .. } => true,
        ErrorKind::Transport(err) => err.is_connect() || err.is_timeout() || err.is_request() || err.is_body(),
        _ => false,
    }
}

/// The wait a `Retry-After` header asks for, relative to `now`.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses an HTTP date (RFC 9110 §5.6.7): IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`),
/// with `httpdate` (already in the tree through hyper).
fn parse_http_date(value: &str) -> Option<SystemTime> {
    ::httpdate::parse_http_date(value).ok()
}

/// A uniform number in `[0, 1)` from a tiny PRNG (splitmix64 over the clock
/// and a global counter). Good enough for jitter; not for anything secret.
fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let clock = SystemTime::now().duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_nanos() as u64).unwrap_or(0);
    let mut z = clock ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn parses_http_dates() {
        let expected = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(expected));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(expected));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(expected));
        assert_eq!(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37:1 GMT"), None);
        assert_eq!(parse_http_date(""), None);
        assert_eq!(parse_http_date("Sun, 99 Nov -1 99:99:99 GMT"), None);
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_770);
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(2)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        let later = now + Duration::from_secs(60);
        assert_eq!(retry_after(&headers, later), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn backoff_is_bounded() {
        let policy =
            RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(250));
        for retry in [0, 1, 2, 3, 40, u32::MAX] {
            assert!(policy.backoff(retry) <= Duration::from_millis(250));
        }
        assert!(policy.backoff(1) <= Duration::from_millis(100));
        let huge = RetryPolicy::default().initial_backoff(Duration::MAX).max_backoff(Duration::MAX);
        let _ = huge.backoff(u32::MAX);
    }

    #[test]
    fn methods_and_statuses() {
        let policy = RetryPolicy::default();
        assert!(policy.allows_method(&Method::GET));
        assert!(!policy.allows_method(&Method::POST));
        assert!(!policy.allows_method(&Method::PATCH));
        assert!(policy.retry_non_idempotent(true).allows_method(&Method::POST));
        assert!(is_retryable_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!is_retryable_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(RetryPolicy::disabled().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}

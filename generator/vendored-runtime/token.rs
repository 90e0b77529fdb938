//! Bearer tokens that expire: a [`TokenSource`] obtains them, the client
//! caches the current one, refreshes it shortly before it expires, and once
//! more when the server answers `401` (the request is then sent once again
//! with the new token). Clones of a client share the cache, so concurrent
//! callers wait for one refresh instead of each starting their own.
//!
//! Built in: [`OAuth2`] (the client credentials and refresh token grants of
//! RFC 6749 §4.4 and §6) and [`token_fn`] for any async function, such as a
//! generated client's own token operation.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::lock::Mutex;
use reqwest::header::{HeaderValue, ACCEPT};
use serde::Deserialize;

use super::client::sensitive_value;
use super::encoding::base64;
use super::error::{api_error, Error, OperationError};
use super::response::RawResponse;
use super::secret::Secret;

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, Error>> + Send + 'a>>;

/// An access token with what is known about its lifetime. `Debug` redacts
/// both tokens.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Token {
    /// Sent as `Authorization: Bearer …`.
    pub access_token: Secret,
    /// How long the access token is valid from when it was issued; `None`
    /// when unknown (then it is only replaced after a `401`).
    pub expires_in: Option<Duration>,
    /// Exchanged for a new access token by sources that support it.
    pub refresh_token: Option<Secret>,
}

impl Token {
    /// A token of unknown lifetime without a refresh token.
    pub fn new(access_token: impl Into<Secret>) -> Self {
        Token { access_token: access_token.into(), expires_in: None, refresh_token: None }
    }

    /// The access token's lifetime from now.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// The refresh token that came with it.
    pub fn refresh_token(mut self, token: impl Into<Secret>) -> Self {
        self.refresh_token = Some(token.into());
        self
    }
}

/// Where a client gets its bearer tokens (`ClientBuilder::token_source`).
///
/// `token` is called for the first request, when the cached token is about
/// to expire, and after a `401`; `previous` is the token being replaced (a
/// refresh grant reads its `refresh_token`). Calls never overlap for one
/// client and its clones.
pub trait TokenSource: Send + Sync + 'static {
    /// A new token.
    fn token<'a>(&'a self, previous: Option<&'a Token>) -> TokenFuture<'a>;
}

/// A [`TokenSource`] from an async function of the previous token.
///
/// ```text
/// // A runtime doc example cannot name the crate: it is also a module of standalone crates.
/// let source = token_fn(|_previous| async { Ok(Token::new(std::env::var("TOKEN").unwrap_or_default())) });
/// ```
pub fn token_fn<F, Fut>(f: F) -> impl TokenSource
where
    F: Fn(Option<Token>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, Error>> + Send + 'static,
{
    struct FnSource<F>(F);
    impl<F, Fut> TokenSource for FnSource<F>
    where
        F: Fn(Option<Token>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Token, Error>> + Send + 'static,
    {
        fn token<'a>(&'a self, previous: Option<&'a Token>) -> TokenFuture<'a> {
            Box::pin((self.0)(previous.cloned()))
        }
    }
    FnSource(f)
}

/// The grant an [`OAuth2`] source starts with.
#[derive(Clone, Debug)]
enum Grant {
    ClientCredentials,
    RefreshToken(Secret),
}

/// OAuth 2.0 tokens from a token endpoint (RFC 6749): the client
/// credentials grant (§4.4) or a refresh token (§6), both form POSTs with
/// the client authenticated by HTTP Basic (§2.3.1). A refresh token in an
/// answer is used for the next refresh; `expires_in` sets the lifetime.
#[derive(Clone)]
pub struct OAuth2 {
    token_url: String,
    client_id: String,
    client_secret: Option<Secret>,
    scopes: Vec<String>,
    grant: Grant,
    http: reqwest::Client,
}

impl OAuth2 {
    /// The client credentials grant against `token_url`.
    pub fn client_credentials(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        OAuth2 {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: Some(client_secret.into()),
            scopes: Vec::new(),
            grant: Grant::ClientCredentials,
            http: reqwest::Client::new(),
        }
    }

    /// The refresh token grant, starting from `refresh_token`.
    pub fn refresh_token(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        OAuth2 {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: None,
            scopes: Vec::new(),
            grant: Grant::RefreshToken(refresh_token.into()),
            http: reqwest::Client::new(),
        }
    }

    /// The client secret, for a confidential client using refresh tokens.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The scopes to ask for (sent space-separated as `scope`).
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The HTTP client for the token endpoint.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    async fn request(&self, previous: Option<&Token>) -> Result<Token, Error> {
        let refresh = previous.and_then(|token| token.refresh_token.clone()).or(match &self.grant {
            Grant::RefreshToken(token) => Some(token.clone()),
            Grant::ClientCredentials => None,
        });
        let mut form: Vec<(&str, &str)> = Vec::new();
        match (&refresh, &self.grant) {
            (Some(token), _) => form.extend([("grant_type", "refresh_token"), ("refresh_token", token.expose())]),
            (None, _) => form.push(("grant_type", "client_credentials")),
        }
        let scope = self.scopes.join(" ");
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let mut request = self.http.post(&self.token_url).header(ACCEPT, "application/json");
        match &self.client_secret {
            Some(secret) => {
                // §2.3.1: both parts form-urlencoded before the Basic encoding.
                let user = serde_urlencoded::to_string([("", &self.client_id)]).unwrap_or_default();
                let pass = serde_urlencoded::to_string([("", secret.expose())]).unwrap_or_default();
                let credentials = format!("{}:{}", &user[1..], &pass[1..]);
                let value = sensitive_value(&format!("Basic {}", base64(credentials.as_bytes())))
                    .ok_or_else(|| Error::config("OAuth2 client credentials are not valid".to_owned()))?;
                request = request.header(reqwest::header::AUTHORIZATION, value);
            }
            None => form.push(("client_id", &self.client_id)),
        }
        let response = request.form(&form).send().await.map_err(|err| Error::transport(err.without_url()))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|err| Error::transport(err.without_url()))?;
        if !status.is_success() {
            // An error answer (§5.2) carries no token, so its body may be kept.
            return Err(api_error::<TokenEndpointError>(RawResponse::new(status, headers, body)).into());
        }
        #[derive(Deserialize)]
        struct Answer {
            access_token: String,
            expires_in: Option<u64>,
            refresh_token: Option<String>,
        }
        // The body holds the token: a failure names no part of it.
        let answer: Answer = serde_json::from_slice(&body)
            .map_err(|_| Error::config("the token endpoint's answer has no readable access_token".to_owned()))?;
        Ok(Token {
            access_token: Secret::new(answer.access_token),
            expires_in: answer.expires_in.map(Duration::from_secs),
            // A refresh answer without a new refresh token keeps the old one (§6).
            refresh_token: answer.refresh_token.map(Secret::new).or(refresh),
        })
    }
}

impl TokenSource for OAuth2 {
    fn token<'a>(&'a self, previous: Option<&'a Token>) -> TokenFuture<'a> {
        Box::pin(self.request(previous))
    }
}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("grant", &self.grant)
            .finish()
    }
}

/// How long before its expiry a token is replaced, so that a request does
/// not leave with a token that expires on the way.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

struct Cached {
    token: Token,
    header: HeaderValue,
    /// When to fetch a new one; `None`: only after a `401`.
    refresh_at: Option<Instant>,
    /// Rejected by the server (a `401`): replaced on the next use.
    rejected: bool,
}

/// The token cache of one client and its clones (inside `Core`'s `Arc`).
pub(crate) struct TokenCache {
    source: Arc<dyn TokenSource>,
    state: Mutex<Option<Cached>>,
}

impl TokenCache {
    pub(crate) fn new(source: Arc<dyn TokenSource>) -> Self {
        TokenCache { source, state: Mutex::new(None) }
    }

    /// `Authorization` with the current token, fetching one when there is
    /// none, it is about to expire, or it was rejected. The lock is held
    /// across the fetch, so concurrent callers share one.
    pub(crate) async fn authorization(&self) -> Result<HeaderValue, Error> {
        let mut state = self.state.lock().await;
        if let Some(cached) = state.as_ref() {
            let fresh = cached.refresh_at.is_none_or(|at| Instant::now() < at);
            if fresh && !cached.rejected {
                return Ok(cached.header.clone());
            }
        }
        let token = self.source.token(state.as_ref().map(|cached| &cached.token)).await?;
        let header = sensitive_value(&format!("Bearer {}", token.access_token.expose())).ok_or_else(|| {
            Error::config("the token source gave a token that is not a valid header value".to_owned())
        })?;
        let refresh_at = token.expires_in.map(|lifetime| Instant::now() + lifetime.saturating_sub(EXPIRY_MARGIN));
        *state = Some(Cached { token, header: header.clone(), refresh_at, rejected: false });
        Ok(header)
    }

    /// The server answered `401` to `sent`: unless another caller has
    /// already replaced it, the token is replaced on the next use.
    pub(crate) async fn rejected(&self, sent: &HeaderValue) {
        if let Some(cached) = self.state.lock().await.as_mut() {
            if cached.header == *sent {
                cached.rejected = true;
            }
        }
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCache([redacted])")
    }
}

/// The token endpoint's error answer (RFC 6749 §5.2): no documented body
/// type, so the error keeps the status and the bounded body like any
/// undocumented failure.
#[derive(Debug)]
struct TokenEndpointError;

impl OperationError for TokenEndpointError {
    fn from_response(_raw: &RawResponse) -> Self {
        TokenEndpointError
    }

    fn case(&self) -> &'static str {
        "Other"
    }

    fn body(&self) -> Option<&(dyn std::any::Any + Send + Sync)> {
        None
    }
}

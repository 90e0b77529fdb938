//! [`ClientBuilder`] and [`Core`]: configuration and the shared state every
//! generated client wraps.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use url::Url;

use super::encoding::base64;
use super::error::Error;
use super::hook::Hook;
use super::retry::RetryPolicy;
use super::secret::Secret;
use super::token::{TokenCache, TokenSource};

/// The `User-Agent` of a builder made by [`ClientBuilder::new`] alone. A
/// generated client's `builder()` replaces it with the generated crate's own
/// name and version (`api-clients/0.1.0`), which [`ClientBuilder::user_agent`]
/// overrides in turn.
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap of a response body (64 MiB).
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// How an API expects credentials, as declared by its description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecurityScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(username:password)>`.
    Basic,
    /// An API key in the header of this name.
    ApiKeyHeader(&'static str),
    /// An API key in the query parameter of this name.
    ApiKeyQuery(&'static str),
    /// An API key in the cookie of this name.
    ApiKeyCookie(&'static str),
}

/// Implemented by each generated API client: wraps the [`Core`] that
/// [`ClientBuilder::build`] produces.
pub trait FromCore {
    /// Wraps `core`.
    fn from_core(core: Core) -> Self;
}

/// Configures and builds an API client `C`.
///
/// Obtain one from the generated client (`Client::builder()`); finish with
/// [`build`](ClientBuilder::build). Nothing is validated before `build`, so
/// the setters never fail.
pub struct ClientBuilder<C> {
    base_url: String,
    schemes: &'static [SecurityScheme],
    bearer: Option<Secret>,
    token_source: Option<Arc<dyn TokenSource>>,
    basic: Option<(String, Secret)>,
    api_key: Option<Secret>,
    /// Keys of single API-key schemes, by the name the scheme sends.
    api_keys: Vec<(String, Secret)>,
    default_headers: Vec<(String, String)>,
    user_agent: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    max_response_body: usize,
    client_params: Vec<(&'static str, String)>,
    /// Client parameters whose value breaks the spec's constraints, with the
    /// rule (reported by `build`, without the value).
    invalid_params: Vec<(&'static str, String)>,
    hook: Option<Arc<dyn Hook>>,
    _client: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            schemes: self.schemes,
            bearer: self.bearer.clone(),
            token_source: self.token_source.clone(),
            basic: self.basic.clone(),
            api_key: self.api_key.clone(),
            api_keys: self.api_keys.clone(),
            default_headers: self.default_headers.clone(),
            user_agent: self.user_agent.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            retry: self.retry.clone(),
            http: self.http.clone(),
            max_response_body: self.max_response_body,
            client_params: self.client_params.clone(),
            invalid_params: self.invalid_params.clone(),
            hook: self.hook.clone(),
            _client: PhantomData,
        }
    }
}

impl<C> ClientBuilder<C> {
    /// A builder for an API served at `default_base_url` that declares
    /// `schemes`. Called by generated code.
    #[doc(hidden)]
    pub fn new(default_base_url: &str, schemes: &'static [SecurityScheme]) -> Self {
        ClientBuilder {
            base_url: default_base_url.to_owned(),
            schemes,
            bearer: None,
            token_source: None,
            basic: None,
            api_key: None,
            api_keys: Vec::new(),
            default_headers: Vec::new(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            http: None,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            client_params: Vec::new(),
            invalid_params: Vec::new(),
            hook: None,
            _client: PhantomData,
        }
    }

    /// The URL operation paths are appended to, e.g.
    /// `https://api.example.com` or `http://127.0.0.1:8080/consumer-api`
    /// (a path prefix is kept; a trailing slash does not matter). Must be
    /// `http` or `https`, without credentials, query or fragment.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = url.as_ref().to_owned();
        self
    }

    /// Runs `hook` before each attempt and after each response of every
    /// call (see [`Hook`]): to sign requests, add headers or observe.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request whose
    /// operation accepts a bearer token (HTTP bearer, OAuth 2, OpenID Connect).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(Secret::new(token));
        self
    }

    /// Sends `Authorization: Bearer …` with tokens from `source` where the
    /// operation's security allows a bearer token: cached, replaced shortly
    /// before they expire, and once after a `401` (the request is then sent
    /// once more). Clones of the built client share the cache.
    pub fn token_source(mut self, source: impl TokenSource) -> Self {
        self.token_source = Some(Arc::new(source));
        self
    }

    /// Sends `Authorization: Basic …` with every request whose operation
    /// accepts HTTP basic authentication.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic = Some((username.into(), Secret::new(password)));
        self
    }

    /// Sends an API key as a header, a query parameter or a cookie, as
    /// each operation's API-key scheme says (for a request without declared
    /// requirements: the first API-key scheme the API declares).
    ///
    /// It serves every API-key scheme that has no key of its own from
    /// [`api_key_for`](Self::api_key_for).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(key));
        self
    }

    /// The key of one API-key scheme, named by the header, query parameter
    /// or cookie it is sent as (`"X-IBM-Client-Secret"`; header names match
    /// case-insensitively): for APIs whose operations need several
    /// different keys at once. A name no scheme of the API sends makes
    /// [`build`](Self::build) fail.
    pub fn api_key_for(mut self, name: impl Into<String>, key: impl Into<String>) -> Self {
        self.api_keys.push((name.into(), Secret::new(key)));
        self
    }

    /// Adds a header to every request (request-specific headers of the same
    /// name win). An invalid name or value makes [`build`](Self::build) fail.
    pub fn default_header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.default_headers.push((name.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// The `User-Agent` header (default: the generated crate's name and version,
    /// e.g. `api-clients/0.1.0`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Timeout of each attempt, from sending the request to the end of the
    /// response body (default 30 s). See also [`RetryPolicy::max_elapsed`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout for establishing a connection (default 10 s). Only applies to
    /// the HTTP client the builder creates, not to one given through
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Uses this `reqwest::Client` (its proxy, TLS and redirect settings)
    /// instead of creating one. The builder's timeout, retry policy and
    /// headers still apply to each request. Its redirect policy applies to
    /// every operation, also to those that document a redirect as their
    /// response (which the client's own `reqwest::Client` does not follow).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The largest response body accepted, in bytes (default 64 MiB); a
    /// larger one fails with [`ErrorKind::BodyTooLarge`](super::ErrorKind::BodyTooLarge).
    pub fn max_response_body(mut self, limit: usize) -> Self {
        self.max_response_body = limit;
        self
    }

    /// Sets a client-level parameter (e.g. a header every call of the API
    /// carries), read back by [`Core::client_param`]. Called by generated
    /// setters.
    #[doc(hidden)]
    pub fn client_param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.client_params.retain(|(existing, _)| *existing != name);
        self.invalid_params.retain(|(existing, _)| *existing != name);
        self.client_params.push((name, value.into()));
        self
    }

    /// [`client_param`](Self::client_param) for a parameter with
    /// constraints: `check` runs on the value now, and a value it rejects
    /// makes [`build`](Self::build) fail with a config error naming the
    /// parameter and the rule. Called by generated setters.
    #[doc(hidden)]
    pub fn client_param_checked(
        self,
        name: &'static str,
        value: impl Into<String>,
        check: fn(&str) -> Result<(), Error>,
    ) -> Self {
        let value = value.into();
        let verdict = check(&value);
        let mut builder = self.client_param(name, value);
        if let Err(error) = verdict {
            let rule = match error.kind() {
                super::ErrorKind::InvalidRequest { rule, .. } => rule.clone(),
                _ => error.to_string(),
            };
            builder.invalid_params.push((name, rule));
        }
        builder
    }

    /// Validates the configuration and builds the client.
    ///
    /// Fails with [`ErrorKind::Config`](super::ErrorKind::Config) on an invalid base URL, header name or
    /// value, or conflicting credentials.
    pub fn build(self) -> Result<C, Error>
    where
        C: FromCore,
    {
        if let Some((name, rule)) = self.invalid_params.first() {
            return Err(Error::config(format!("client parameter `{name}` violates {rule}")));
        }
        let base_url = parse_base_url(&self.base_url)?;
        let mut headers = HeaderMap::new();
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| Error::config("invalid user agent".to_owned()))?;
        headers.insert(USER_AGENT, user_agent);
        for (name, value) in &self.default_headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::config(format!("invalid default header name `{name}`")))?;
            let mut value = HeaderValue::from_str(value)
                .map_err(|_| Error::config(format!("invalid value for default header `{name}`")))?;
            value.set_sensitive(is_sensitive_header(header.as_str()));
            headers.append(header, value);
        }

        let mut auth: Vec<&'static str> = Vec::new();
        let mut authorization = None;
        let mut api_keys: Vec<(SecurityScheme, Secret)> = Vec::new();
        if self.token_source.is_some() && (self.bearer.is_some() || self.basic.is_some()) {
            return Err(Error::config("token_source cannot be combined with bearer_token or basic_auth".to_owned()));
        }
        if self.token_source.is_some() {
            auth.push("token source");
        }
        match (&self.bearer, &self.basic) {
            (Some(_), Some(_)) => {
                return Err(Error::config("bearer_token and basic_auth cannot both be set".to_owned()))
            }
            (Some(token), None) => {
                let value = sensitive_value(&format!("Bearer {}", token.expose()))
                    .ok_or_else(|| Error::config("bearer token is not a valid header value".to_owned()))?;
                authorization = Some((SecurityScheme::Bearer, value));
                auth.push("bearer");
            }
            (None, Some((username, password))) => {
                let credentials = format!("{username}:{}", password.expose());
                let value = sensitive_value(&format!("Basic {}", base64(credentials.as_bytes())))
                    .ok_or_else(|| Error::config("basic credentials are not valid".to_owned()))?;
                authorization = Some((SecurityScheme::Basic, value));
                auth.push("basic");
            }
            (None, None) => {}
        }
        let is_api_key = |scheme: &&SecurityScheme| {
            matches!(
                scheme,
                SecurityScheme::ApiKeyHeader(_) | SecurityScheme::ApiKeyQuery(_) | SecurityScheme::ApiKeyCookie(_)
            )
        };
        for (name, _) in &self.api_keys {
            if !self.schemes.iter().filter(is_api_key).any(|scheme| scheme_sends(scheme, name)) {
                return Err(Error::config(format!("api_key_for: no api key scheme of this API sends `{name}`")));
            }
        }
        if self.api_key.is_some() && !self.schemes.iter().any(|scheme| is_api_key(&scheme)) {
            return Err(Error::config("api_key was set but the API declares no api key scheme".to_owned()));
        }
        for scheme in self.schemes.iter().filter(is_api_key) {
            // A scheme's own key, else the shared one.
            let own = self.api_keys.iter().rev().find(|(name, _)| scheme_sends(scheme, name));
            let Some(key) = own.map(|(_, key)| key).or(self.api_key.as_ref()) else {
                continue;
            };
            // Checked once here, so that applying the key to a request cannot fail.
            sensitive_value(key.expose())
                .ok_or_else(|| Error::config("api key is not a valid header value".to_owned()))?;
            if let SecurityScheme::ApiKeyHeader(name) = scheme {
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::config(format!("invalid api key header name `{name}`")))?;
            }
            if api_keys.is_empty() {
                auth.push(match scheme {
                    SecurityScheme::ApiKeyHeader(_) => "api key in header",
                    SecurityScheme::ApiKeyQuery(_) => "api key in query",
                    _ => "api key in cookie",
                });
            }
            api_keys.push((*scheme, key.clone()));
        }

        let (http, without_redirects) = match self.http {
            // The caller's client serves every request, whatever it does with redirects.
            Some(http) => (http.clone(), OnceLock::from(http)),
            None => (
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .redirect(same_origin_redirects())
                    .build()
                    .map_err(Error::transport)?,
                OnceLock::new(),
            ),
        };
        let core = Core {
            inner: Arc::new(Inner {
                http,
                without_redirects,
                connect_timeout: self.connect_timeout,
                base_url,
                headers,
                authorization,
                token: self.token_source.map(TokenCache::new),
                api_keys,
                auth,
                timeout: self.timeout,
                retry: self.retry,
                max_response_body: self.max_response_body,
                client_params: self.client_params,
                hook: self.hook,
            }),
        };
        Ok(C::from_core(core))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    /// Credentials, header values and client parameter values are redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.default_headers.iter().map(|(n, _)| n.as_str()).collect();
        let params: Vec<&str> = self.client_params.iter().map(|(n, _)| *n).collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &redacted_url(&self.base_url))
            .field("schemes", &self.schemes)
            .field("bearer_token", &self.bearer)
            .field("token_source", &self.token_source.is_some())
            .field("basic_auth", &self.basic.as_ref().map(|(user, pass)| (user, pass)))
            .field("api_key", &self.api_key)
            .field("default_headers", &headers)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .field("max_response_body", &self.max_response_body)
            .field("client_params", &params)
            .field("hook", &self.hook.is_some())
            .finish()
    }
}

/// The configured state every generated client wraps: HTTP client, base
/// URL, credentials, retry policy. Cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct Core {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// For operations that return their redirects: built on first use, as
    /// most APIs have none.
    without_redirects: OnceLock<reqwest::Client>,
    connect_timeout: Duration,
    pub(crate) base_url: Url,
    /// User agent and default headers.
    pub(crate) headers: HeaderMap,
    /// `Authorization` for bearer or basic credentials (marked sensitive).
    authorization: Option<(SecurityScheme, HeaderValue)>,
    /// Bearer tokens from a `TokenSource` (instead of `authorization`).
    pub(crate) token: Option<TokenCache>,
    /// The key of each API-key scheme that has one, in the API's order (the
    /// first is what a request without declared requirements sends).
    api_keys: Vec<(SecurityScheme, Secret)>,
    /// Which credentials are configured (for `Debug`, without values).
    auth: Vec<&'static str>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_body: usize,
    client_params: Vec<(&'static str, String)>,
    /// Run around every attempt, when set.
    pub(crate) hook: Option<Arc<dyn Hook>>,
}

/// Whether `scheme` sends its key as `name` (header names are case-insensitive).
fn scheme_sends(scheme: &SecurityScheme, name: &str) -> bool {
    match scheme {
        SecurityScheme::ApiKeyHeader(header) => header.eq_ignore_ascii_case(name),
        SecurityScheme::ApiKeyQuery(sent) | SecurityScheme::ApiKeyCookie(sent) => *sent == name,
        _ => false,
    }
}

impl Inner {
    /// The schemes a request sends credentials for. With declared
    /// `requirements` (alternatives, each a set of schemes all needed), the
    /// first alternative whose schemes are all configured; none when no
    /// alternative is (`security: []` has none, so an anonymous operation
    /// sends nothing). Without (`None`), every configured credential.
    pub(crate) fn schemes_for(&self, requirements: Option<&[&[SecurityScheme]]>) -> Vec<SecurityScheme> {
        let Some(alternatives) = requirements else {
            let authorization = self.authorization.as_ref().map(|(scheme, _)| *scheme);
            let authorization = authorization.or(self.token.as_ref().map(|_| SecurityScheme::Bearer));
            return authorization.into_iter().chain(self.api_keys.first().map(|(scheme, _)| *scheme)).collect();
        };
        let configured = |scheme: &SecurityScheme| match scheme {
            SecurityScheme::Bearer if self.token.is_some() => true,
            SecurityScheme::Bearer | SecurityScheme::Basic => {
                self.authorization.as_ref().is_some_and(|(kind, _)| kind == scheme)
            }
            _ => self.api_key(scheme).is_some(),
        };
        alternatives.iter().find(|all| all.iter().all(configured)).map(|all| all.to_vec()).unwrap_or_default()
    }

    /// `Authorization` of the configured bearer or basic credentials.
    /// The HTTP client that does not follow redirects (see
    /// `Request::return_redirects`).
    pub(crate) fn http_without_redirects(&self) -> Result<&reqwest::Client, Error> {
        if let Some(http) = self.without_redirects.get() {
            return Ok(http);
        }
        let built = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(Error::transport)?;
        // A racing call may have set it first; either client will do.
        Ok(self.without_redirects.get_or_init(|| built))
    }

    pub(crate) fn authorization(&self) -> Option<&HeaderValue> {
        self.authorization.as_ref().map(|(_, value)| value)
    }

    /// Whether some request may carry an API key in its query (then
    /// transport errors lose their URL's query).
    pub(crate) fn sends_key_in_query(&self) -> bool {
        self.api_keys.iter().any(|(scheme, _)| matches!(scheme, SecurityScheme::ApiKeyQuery(_)))
    }

    /// The key configured for an API-key `scheme`.
    pub(crate) fn api_key(&self, scheme: &SecurityScheme) -> Option<&Secret> {
        self.api_keys.iter().find(|(kind, _)| kind == scheme).map(|(_, key)| key)
    }
}

impl Core {
    /// The base URL operation paths are appended to (no trailing slash
    /// unless it is just the host).
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// A client-level parameter set with [`ClientBuilder::client_param`].
    #[doc(hidden)]
    pub fn client_param(&self, name: &str) -> Option<&str> {
        self.inner.client_params.iter().find(|(existing, _)| *existing == name).map(|(_, value)| value.as_str())
    }
}

impl fmt::Debug for Core {
    /// Credentials, header values and client parameter values are redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let headers: Vec<&str> = inner.headers.keys().map(HeaderName::as_str).collect();
        let params: Vec<&str> = inner.client_params.iter().map(|(n, _)| *n).collect();
        f.debug_struct("Core")
            .field("base_url", &inner.base_url.as_str())
            .field("auth", &inner.auth)
            .field("headers", &headers)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("max_response_body", &inner.max_response_body)
            .field("client_params", &params)
            .finish()
    }
}

fn parse_base_url(input: &str) -> Result<Url, Error> {
    let mut url = Url::parse(input.trim()).map_err(|err| Error::config(format!("invalid base url: {err}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Error::config("base url must be an http or https url".to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("base url must not contain credentials; use basic_auth".to_owned()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config("base url must not have a query or fragment".to_owned()));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

/// The base URL for `Debug`: a password is replaced, an unparsable URL is
/// not shown (it could hold anything).
fn redacted_url(input: &str) -> String {
    match Url::parse(input.trim()) {
        Ok(mut url) => {
            if url.password().is_some() {
                // Cannot fail on a URL that already has a password.
                let _ = url.set_password(Some("[redacted]"));
            }
            url.to_string()
        }
        Err(_) => "[invalid url]".to_owned(),
    }
}

pub(crate) fn sensitive_value(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Whether a header name suggests a credential, so its value is marked
/// sensitive (hidden from `Debug`, never HPACK-indexed).
pub(crate) fn is_sensitive_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["auth", "token", "secret", "key", "cookie", "password", "session"].iter().any(|word| name.contains(word))
}

/// Follows at most 10 redirects, and only within the same origin, so that
/// credential headers (including custom API-key headers, which `reqwest`
/// does not know to strip) never reach another host.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| {
            let next = attempt.url();
            first.scheme() == next.scheme()
                && first.host_str() == next.host_str()
                && first.port_or_known_default() == next.port_or_known_default()
        });
        if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

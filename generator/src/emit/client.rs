//! The API root module: module docs, the `Client` type and its builder extras.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use crate::model::{Api, OAuthGrant, SecurityScheme, TypeRef};

/// `crate::runtime::SecurityScheme::ApiKeyHeader("X-Api-Key")`.
fn scheme_tokens(scheme: &SecurityScheme) -> TokenStream {
    match scheme {
        SecurityScheme::Bearer => quote! { crate::runtime::SecurityScheme::Bearer },
        SecurityScheme::Basic => quote! { crate::runtime::SecurityScheme::Basic },
        SecurityScheme::ApiKeyHeader(name) => quote! { crate::runtime::SecurityScheme::ApiKeyHeader(#name) },
        SecurityScheme::ApiKeyQuery(name) => quote! { crate::runtime::SecurityScheme::ApiKeyQuery(#name) },
        SecurityScheme::ApiKeyCookie(name) => quote! { crate::runtime::SecurityScheme::ApiKeyCookie(#name) },
    }
}

/// `&[&[Bearer], &[ApiKeyHeader("X-Key")]]`: an operation's security
/// alternatives as the runtime reads them (`&[]`: anonymous).
pub(super) fn security_tokens(alternatives: &[Vec<SecurityScheme>]) -> TokenStream {
    let alternatives = alternatives.iter().map(|all| {
        let all = all.iter().map(scheme_tokens);
        quote! { &[#( #all ),*] }
    });
    quote! { &[#( #alternatives ),*] }
}

/// With several API-key schemes (operations may need two different keys at
/// once), one setter per scheme, named after what it sends:
///
/// ```text
/// fn x_ibm_client_id(self, key: impl Into<String>) -> Self { self.api_key_for("X-IBM-Client-Id", key) }
/// ```
fn api_key_setters(api: &Api) -> Vec<(TokenStream, TokenStream)> {
    let sent: Vec<(&str, &str)> = api
        .security
        .iter()
        .filter_map(|scheme| match scheme {
            SecurityScheme::ApiKeyHeader(name) => Some((name.as_str(), "header")),
            SecurityScheme::ApiKeyQuery(name) => Some((name.as_str(), "query parameter")),
            SecurityScheme::ApiKeyCookie(name) => Some((name.as_str(), "cookie")),
            _ => None,
        })
        .collect();
    if sent.len() < 2 {
        return Vec::new();
    }
    // Setter names other builder methods already take.
    let mut taken: Vec<String> = api.client_params.iter().map(|p| p.rust_name.clone()).collect();
    taken.extend(api.oauth_flows.iter().map(|flow| flow.setter.clone()));
    taken.extend(["api_key", "api_key_for", "bearer_token", "basic_auth", "token_source"].map(String::from));
    let mut setters = Vec::new();
    for (name, location) in sent {
        let setter_name = crate::naming::snake(name);
        if setter_name.is_empty() || taken.contains(&setter_name) {
            continue;
        }
        taken.push(setter_name.clone());
        let setter = format_ident!("{}", setter_name);
        let docs = doc_attrs(&format!(
            "The API key sent as the `{name}` {location}, on the operations whose security names it (`ClientBuilder::api_key_for`)."
        ));
        setters.push((
            quote! {
                #docs
                fn #setter(self, key: impl ::std::convert::Into<::std::string::String>) -> Self;
            },
            quote! {
                fn #setter(self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.api_key_for(#name, key)
                }
            },
        ));
    }
    setters
}

/// ```text
/// pub struct Client { core: crate::runtime::Core }
/// impl Client { pub const DEFAULT_BASE_URL: &str; pub fn builder() -> ClientBuilder<Client>; }
/// pub trait ClientBuilderExt { fn consumer_context(self, …) -> Self; }   // x-client-default params,
/// impl ClientBuilderExt for crate::runtime::ClientBuilder<Client> { … }  // implemented on the runtime's builder
/// ```
// Long: one template of the client's items; the docs and parts it interpolates are computed just above it.
pub fn client_items(api: &Api) -> TokenStream {
    let base_url = api.default_base_url.clone().unwrap_or_default();
    let base_url_doc = match &api.default_base_url {
        Some(url) => format!(" The spec's first server, used unless the builder sets another: <{url}>."),
        None => " The spec declares no absolute server URL: set one with `ClientBuilder::base_url`.".to_string(),
    };
    let schemes = api.security.iter().map(scheme_tokens);
    let auth_doc = match api.security.first() {
        Some(SecurityScheme::Bearer) => "Authenticate with `ClientBuilder::bearer_token`.",
        Some(SecurityScheme::Basic) => "Authenticate with `ClientBuilder::basic_auth`.",
        Some(_) => "Authenticate with `ClientBuilder::api_key`.",
        None => "The API declares no authentication.",
    };
    let title_doc = doc_attrs(&format!("A client for the {} (version {}).", api.title.trim(), api.version.trim()));
    let usage_doc = format!(
        " Create one with [`Client::builder`]; it is cheap to clone and can be shared between tasks. {auth_doc}"
    );
    let client_doc = quote! { #title_doc #[doc = ""] #[doc = #usage_doc] };
    let params = api.client_params.iter().map(|param| {
        let setter = format_ident!("{}", param.rust_name);
        let wire = &param.wire_name;
        let checks = super::validation::checks(wire, &TypeRef::String, &param.constraints);
        let checked = if checks.is_empty() {
            ""
        } else {
            " A value that breaks the API description's constraints makes `build()` fail."
        };
        let docs = doc_attrs(&format!(
            "Sets the `{wire}` header, sent with every call that declares it.{checked}{}",
            param.doc.as_deref().map(|d| format!("\n\n{d}")).unwrap_or_default()
        ));
        (
            quote! {
                #docs
                fn #setter(self, value: impl ::std::convert::Into<::std::string::String>) -> Self;
            },
            // The value is text: its string constraints are checked once, here,
            // and a violation fails `build()`:
            // self.client_param_checked("X-Context", value, |value| { …checks…; Ok(()) })
            match checks {
                checks if checks.is_empty() => quote! {
                    fn #setter(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                        self.client_param(#wire, value)
                    }
                },
                checks => quote! {
                    fn #setter(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                        self.client_param_checked(#wire, value, |value| {
                            #( #checks )*
                            ::std::result::Result::Ok(())
                        })
                    }
                },
            },
        )
    });
    // fn oauth2_client_credentials(self, client_id, client_secret) -> Self {
    //     self.token_source(crate::runtime::OAuth2::client_credentials("https://…/token", client_id, client_secret).scopes(["read"]))
    // }
    let flows = api.oauth_flows.iter().map(|flow| {
        let setter = format_ident!("{}", flow.setter);
        let url = &flow.token_url;
        let scopes = &flow.scopes;
        let scope_list = if scopes.is_empty() {
            "no scopes".to_string()
        } else {
            scopes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        };
        let (what, second, constructor) = match flow.grant {
            OAuthGrant::ClientCredentials => {
                ("the client credentials grant", format_ident!("client_secret"), quote! { client_credentials })
            }
            OAuthGrant::RefreshToken => {
                ("the refresh token grant", format_ident!("refresh_token"), quote! { refresh_token })
            }
        };
        let docs = doc_attrs(&format!(
            "Bearer tokens of the `{}` scheme from {what} at `{url}`, asking for {scope_list}: cached, replaced before they expire and once after a `401` (`ClientBuilder::token_source` with `runtime::OAuth2`).",
            flow.scheme
        ));
        (
            quote! {
                #docs
                fn #setter(
                    self,
                    client_id: impl ::std::convert::Into<::std::string::String>,
                    #second: impl ::std::convert::Into<crate::runtime::Secret>,
                ) -> Self;
            },
            quote! {
                fn #setter(
                    self,
                    client_id: impl ::std::convert::Into<::std::string::String>,
                    #second: impl ::std::convert::Into<crate::runtime::Secret>,
                ) -> Self {
                    let scopes: &[&str] = &[#( #scopes ),*];
                    self.token_source(crate::runtime::OAuth2::#constructor(#url, client_id, #second).scopes(scopes.iter().copied()))
                }
            },
        )
    });
    let keys = api_key_setters(api);
    let (declarations, definitions): (Vec<TokenStream>, Vec<TokenStream>) = params.chain(flows).chain(keys).unzip();
    // `ClientBuilder` belongs to the runtime crate, so its API-specific setters
    // come as a trait implemented for `ClientBuilder<Client>`.
    let builder_extras = (!declarations.is_empty()).then(|| {
        quote! {
            /// Client-level settings of this API, as setters of its [`ClientBuilder`](crate::runtime::ClientBuilder):
            /// `use` this trait (or the module's `*`) to call them.
            pub trait ClientBuilderExt {
                #( #declarations )*
            }

            impl ClientBuilderExt for crate::runtime::ClientBuilder<Client> {
                #( #definitions )*
            }
        }
    });
    quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            core: crate::runtime::Core,
        }

        impl Client {
            #[doc = #base_url_doc]
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            const SECURITY: &'static [crate::runtime::SecurityScheme] = &[#( #schemes ),*];

            /// A builder for a client: base URL, credentials, headers, timeouts, retries.
            /// Its `User-Agent` is this crate's name and version.
            pub fn builder() -> crate::runtime::ClientBuilder<Client> {
                crate::runtime::ClientBuilder::new(Self::DEFAULT_BASE_URL, Self::SECURITY)
                    .user_agent(::core::concat!(::core::env!("CARGO_PKG_NAME"), "/", ::core::env!("CARGO_PKG_VERSION")))
            }

            /// The runtime core this client sends requests with.
            pub fn core(&self) -> &crate::runtime::Core {
                &self.core
            }
        }

        impl crate::runtime::__private::FromCore for Client {
            fn from_core(core: crate::runtime::Core) -> Self {
                Client { core }
            }
        }

        #builder_extras
    }
}

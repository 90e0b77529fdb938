//! IBM API Connect: signs a consumer user in with the password grant of
//! `POST /token` and lists the applications of an organization. The client
//! asks for a token itself, replaces it before it expires (with the refresh
//! token when the realm issued one) and once after a `401`.
//!
//! ```sh
//! APIC_BASE_URL=https://api.example.com/consumer-api APIC_CONTEXT=porg.catalog \
//!     APIC_CLIENT_ID=… APIC_CLIENT_SECRET=… APIC_REALM=consumer:porg:catalog/idp \
//!     APIC_USERNAME=… APIC_PASSWORD=… APIC_ORG=my-org \
//!     cargo run -p api-clients --example api_connect_sign_in
//! ```

use std::time::Duration;

use api_clients::api_connect::{self, types, ClientBuilderExt as _};
use api_clients::runtime::{token_fn, Token};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// The grant's answer as a runtime token (lifetimes are in seconds).
fn token(answer: types::TokenResponse) -> Token {
    let mut token =
        Token::new(answer.access_token).expires_in(Duration::from_secs(u64::try_from(answer.expires_in).unwrap_or(0)));
    if let Some(refresh) = answer.refresh_token {
        token = token.refresh_token(refresh);
    }
    token
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::var("APIC_BASE_URL").ok();
    let context = env_or("APIC_CONTEXT", "porg.sandbox");
    let builder = || {
        let builder = api_connect::Client::builder().x_ibm_consumer_context(context.clone());
        match &base_url {
            Some(url) => builder.base_url(url.clone()),
            None => builder,
        }
    };

    // Signs in without a user token: the grant carries the catalog's portal
    // application credentials and the user's.
    let anonymous = builder().build()?;
    let client_id = std::env::var("APIC_CLIENT_ID")?;
    let client_secret = std::env::var("APIC_CLIENT_SECRET")?;
    let (realm, username, password) =
        (std::env::var("APIC_REALM")?, std::env::var("APIC_USERNAME")?, std::env::var("APIC_PASSWORD")?);
    let source = token_fn(move |previous: Option<Token>| {
        let anonymous = anonymous.clone();
        let grant = match previous.and_then(|token| token.refresh_token) {
            Some(refresh) => types::TokenRequest::new(
                types::TokenRequestGrantType::RefreshToken,
                client_id.clone(),
                client_secret.clone(),
            )
            .refresh_token(refresh.expose()),
            None => types::TokenRequest::new(
                types::TokenRequestGrantType::Password,
                client_id.clone(),
                client_secret.clone(),
            )
            .realm(realm.clone())
            .username(username.clone())
            .password(password.clone()),
        };
        async move { Ok(token(anonymous.create_token(grant).send().await?)) }
    });

    let client = builder().token_source(source).build()?;
    let org = env_or("APIC_ORG", "my-org");
    let apps = client.list_apps(org.clone()).send().await?;
    println!("{} application(s) in {org}", apps.results.len());
    for app in &apps.results {
        println!("- {}", app.title.as_deref().or(app.name.as_deref()).unwrap_or("(untitled)"));
    }
    Ok(())
}

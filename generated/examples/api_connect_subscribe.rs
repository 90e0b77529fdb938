//! IBM API Connect: creates an application, subscribes it to a product plan and
//! resets the client secret of its credential.
//!
//! ```sh
//! APIC_BASE_URL=https://api.example.com/consumer-api APIC_TOKEN=… APIC_CONTEXT=porg.catalog \
//!     APIC_ORG=my-org cargo run -p api-clients --example api_connect_subscribe
//! ```

use api_clients::api_connect::{self, types, ClientBuilderExt as _};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = api_connect::Client::builder()
        .bearer_token(std::env::var("APIC_TOKEN")?)
        // `<provider-org>.<catalog>`: sent as `X-IBM-Consumer-Context` with every call.
        .x_ibm_consumer_context(env_or("APIC_CONTEXT", "porg.sandbox"));
    if let Ok(base_url) = std::env::var("APIC_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;
    let org = env_or("APIC_ORG", "my-org");

    let app = client
        .create_app(org.clone(), types::ApplicationCreate::new().name("weather-dashboard").title("Weather dashboard"))
        .send()
        .await?;
    let app_name = app.name.clone().unwrap_or_else(|| "weather-dashboard".into());
    println!("created application {app_name}");

    let subscription = client
        .create_subscription(
            org.clone(),
            app_name.clone(),
            types::SubscriptionCreate::new(
                env_or("APIC_PRODUCT_URL", "https://api.example.com/products/weather"),
                "default-plan",
            ),
        )
        .send()
        .await?;
    println!("subscribed: {:?} on plan {:?}", subscription.product_url, subscription.plan);

    let credentials = client.list_credentials(org.clone(), app_name.clone()).send().await?;
    let credential = credentials.results.first().and_then(|c| c.name.clone()).unwrap_or_else(|| "default".into());
    let reset = client.reset_credential_client_secret(org, app_name, credential).send().await?;
    // Never print secrets; show only that one came back.
    println!(
        "client secret reset: {}",
        if reset.client_secret.is_some() { "new secret issued" } else { "no secret returned" }
    );
    Ok(())
}

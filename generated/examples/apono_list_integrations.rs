//! Lists every Apono integration through the pagination stream.
//!
//! ```sh
//! APONO_BASE_URL=https://api.apono.io APONO_TOKEN=… cargo run -p api-clients --example apono_list_integrations
//! ```

use api_clients::apono;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = apono::Client::builder().bearer_token(std::env::var("APONO_TOKEN")?);
    if let Ok(base_url) = std::env::var("APONO_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;

    // `items()` fetches page after page (following `next_page_token`) as the stream is polled.
    let mut integrations = client.list_integrations_v4().limit(100).items();
    let mut count = 0;
    while let Some(integration) = integrations.try_next().await? {
        count += 1;
        println!("{:<40} {:<20} {}", integration.name, integration.r#type, integration.status);
    }
    println!("{count} integrations");
    Ok(())
}

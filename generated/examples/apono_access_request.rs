//! Creates an Apono access request and polls it until it leaves `PENDING`.
//!
//! ```sh
//! APONO_TOKEN=… APONO_USER_ID=… APONO_INTEGRATION_ID=… cargo run -p api-clients --example apono_access_request
//! ```

use std::time::Duration;

use api_clients::apono::{self, types};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = apono::Client::builder().bearer_token(std::env::var("APONO_TOKEN")?);
    if let Ok(base_url) = std::env::var("APONO_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;

    // Five required fields: a builder, so no two strings can be swapped unnoticed.
    let request = types::CreateAccessRequest::builder()
        .user_id(env_or("APONO_USER_ID", "user@example.com"))
        .integration_id(env_or("APONO_INTEGRATION_ID", "integration-id"))
        .resource_ids(vec![env_or("APONO_RESOURCE_ID", "resource-id")])
        .permissions(vec![env_or("APONO_PERMISSION", "ReadOnly")])
        .justification("Investigating an incident")
        .duration_in_sec(3600)
        .build()?;
    let created = client.create_access_request(request).send().await?;
    println!("created {} ({})", created.friendly_request_id, created.status);

    // Poll a bounded number of times; a real program would also give up on a deadline.
    let mut status = created.status;
    for _ in 0..5 {
        if status != types::AccessStatus::Pending {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        status = client.get_access_request(created.request_id.clone()).send().await?.status;
        println!("status: {status}");
    }
    println!("final status: {status}");
    Ok(())
}

//! What every example shares: an in-process sandbox on a loopback port, standing in for the
//! real service, and a client signed with its demo credentials. Against the real service, build
//! the client with `Client::builder().credentials(...)` or `Client::from_env()` instead.

// Each example is its own crate and uses only part of this module.
#![allow(dead_code)]

use huaweicloud_bss::{Client, Credentials, Error};
use huaweicloud_bss_sandbox::{Config, DEMO_AK, DEMO_SK, Running, Sandbox};

/// A running sandbox (it stops when dropped) and a client that calls it.
pub struct Offline {
    /// Keeps the sandbox serving.
    pub sandbox: Running,
    /// The partner's client, signed with the demo credentials.
    pub client: Client,
}

/// Starts a sandbox with `config` on a free loopback port and a client for it.
pub async fn start(config: Config) -> Result<Offline, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::new(config)
        .start(([127, 0, 0, 1], 0).into())
        .await?;
    let client = client_for(&sandbox, Client::builder())?;
    Ok(Offline { sandbox, client })
}

/// Finishes a client builder for the sandbox: its endpoint and the demo credentials.
pub fn client_for(
    sandbox: &Running,
    builder: huaweicloud_bss::ClientBuilder,
) -> Result<Client, Error> {
    builder
        .credentials(Credentials::aksk(DEMO_AK, DEMO_SK))
        .endpoint(sandbox.url())
        .build()
}

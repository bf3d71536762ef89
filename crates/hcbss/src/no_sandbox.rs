//! What `hcbss --sandbox` and `hcbss sandbox` find when the binary was built without the
//! `sandbox` feature: the same names as the sandbox crate, and a start that always refuses with
//! a message saying how to get the sandbox back.

use std::net::SocketAddr;
use std::time::Duration;

/// The demo access key (the sandbox's own; nothing accepts it here).
pub const DEMO_AK: &str = "";
/// The demo secret key (the sandbox's own; nothing accepts it here).
pub const DEMO_SK: &str = "";

/// The sandbox's settings (nothing reads them here).
#[allow(dead_code)]
#[derive(Default)]
pub struct Config {
    pub credentials: Vec<(String, String)>,
    pub seed: u64,
    pub latency: Duration,
    pub throttle_rate: f64,
    pub error_rate: f64,
    pub rate_limit: Option<u32>,
}

/// A sandbox that cannot start.
pub struct Sandbox;

/// Never built: `Sandbox::start` always fails.
pub struct Running(std::convert::Infallible);

impl Sandbox {
    pub fn new(_config: Config) -> Self {
        Sandbox
    }

    pub async fn start(self, _addr: SocketAddr) -> std::io::Result<Running> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "this hcbss was built without the sandbox (build it with the `sandbox` feature, on by default)",
        ))
    }
}

impl Running {
    pub fn url(&self) -> String {
        match self.0 {}
    }
}

//! Sites (China and international), their endpoints, and endpoint overrides.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind};

/// A Huawei Cloud site. BSS is global: one endpoint serves every region of a site.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Site {
    /// The China site (中国站), region `cn-north-1`, prices in CNY.
    #[default]
    China,
    /// The international site (国际站), region `ap-southeast-1`, prices in USD.
    International,
}

impl Site {
    /// The region id the official SDKs use for this site.
    pub fn region_id(self) -> &'static str {
        match self {
            Site::China => "cn-north-1",
            Site::International => "ap-southeast-1",
        }
    }

    /// The built-in endpoint.
    pub fn default_endpoint(self) -> &'static str {
        match self {
            Site::China => "https://bss.myhuaweicloud.com",
            Site::International => "https://bss-intl.myhuaweicloud.com",
        }
    }

    /// The environment variable the official SDKs read to override this site's endpoint,
    /// e.g. `HUAWEICLOUD_SDK_REGION_BSS_CN_NORTH_1`.
    pub fn endpoint_env_var(self) -> String {
        format!(
            "HUAWEICLOUD_SDK_REGION_BSS_{}",
            self.region_id().to_ascii_uppercase().replace('-', "_")
        )
    }

    /// The endpoint to use: `explicit` if given, else the environment override (the first of a
    /// comma-separated list), else the built-in one. Normalised by [`normalize_endpoint`].
    pub fn resolve_endpoint(
        self,
        explicit: Option<&str>,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<String, Error> {
        if let Some(endpoint) = explicit {
            return normalize_endpoint(endpoint);
        }
        let var = self.endpoint_env_var();
        if let Some(value) = lookup(&var)
            && let Some(first) = value.split(',').map(str::trim).find(|s| !s.is_empty())
        {
            return normalize_endpoint(first)
                .map_err(|e| Error::new(ErrorKind::Configuration, format!("{var}: {e}")));
        }
        Ok(self.default_endpoint().to_string())
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Site::China => "cn",
            Site::International => "intl",
        })
    }
}

impl FromStr for Site {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "cn" | "china" | "cn-north-1" => Ok(Site::China),
            "intl" | "international" | "ap-southeast-1" => Ok(Site::International),
            _ => Err(Error::new(
                ErrorKind::Configuration,
                format!("site `{s}`: expected `cn` or `intl`"),
            )),
        }
    }
}

/// Checks and normalises an endpoint: `https://` is added when there is no scheme, and trailing
/// slashes are removed so that paths join cleanly.
pub fn normalize_endpoint(endpoint: &str) -> Result<String, Error> {
    let trimmed = endpoint.trim();
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|e| {
        Error::new(
            ErrorKind::Configuration,
            format!("endpoint `{trimmed}` is not a valid URL: {e}"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::new(
            ErrorKind::Configuration,
            format!("endpoint `{trimmed}` must be an http(s) URL with a host"),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::new(
            ErrorKind::Configuration,
            format!("endpoint `{trimmed}` must not have a query or fragment"),
        ));
    }
    Ok(with_scheme.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_have_the_official_endpoints() {
        let none = |_: &str| None;
        assert_eq!(
            Site::China.resolve_endpoint(None, none).unwrap(),
            "https://bss.myhuaweicloud.com"
        );
        assert_eq!(
            Site::International.resolve_endpoint(None, none).unwrap(),
            "https://bss-intl.myhuaweicloud.com"
        );
        assert_eq!(
            Site::China.endpoint_env_var(),
            "HUAWEICLOUD_SDK_REGION_BSS_CN_NORTH_1"
        );
        assert_eq!(
            Site::International.endpoint_env_var(),
            "HUAWEICLOUD_SDK_REGION_BSS_AP_SOUTHEAST_1"
        );
    }

    #[test]
    fn overrides_are_normalised() {
        let env = |name: &str| {
            (name == "HUAWEICLOUD_SDK_REGION_BSS_CN_NORTH_1")
                .then(|| " bss.example.test/ , https://other".to_string())
        };
        assert_eq!(
            Site::China.resolve_endpoint(None, env).unwrap(),
            "https://bss.example.test"
        );
        assert_eq!(
            Site::China
                .resolve_endpoint(Some("http://127.0.0.1:8080//"), env)
                .unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(normalize_endpoint("ftp://x").is_err());
        assert!(normalize_endpoint("https://x/?a=1").is_err());
        assert_eq!("intl".parse::<Site>().unwrap(), Site::International);
        assert!("eu".parse::<Site>().unwrap_err().to_string().contains("eu"));
    }
}

//! Credentials: a permanent or temporary AK/SK pair, or an IAM token, with the secret parts
//! kept out of every `Debug` output.

use std::fmt;

use crate::error::{Error, ErrorKind};

/// Environment variable holding the access key id.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable holding the secret access key.
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable holding the security token of temporary AK/SK credentials.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Environment variable holding the account (domain) id, sent as `X-Domain-Id`.
pub const ENV_DOMAIN_ID: &str = "HUAWEICLOUD_SDK_DOMAIN_ID";
/// Environment variable overriding the path of the credentials profile file.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

/// A secret string: its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Box<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into().into_boxed_str())
    }

    /// The secret value itself; call only where it is used (signing, sending a token).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

/// How requests are authenticated.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// An access key pair; every request is signed with `SDK-HMAC-SHA256`.
    AkSk {
        /// Access key id (sent in the clear in `Authorization`).
        ak: String,
        /// Secret access key (never sent).
        sk: Secret,
        /// Security token of temporary credentials, sent and signed as `X-Security-Token`.
        security_token: Option<Secret>,
        /// Account (domain) id, sent and signed as `X-Domain-Id`.
        domain_id: Option<String>,
    },
    /// A domain-scoped IAM token, sent as `X-Auth-Token`.
    Token {
        /// The token (the `X-Subject-Token` IAM returned).
        token: Secret,
        /// Account (domain) id, sent as `X-Domain-Id`.
        domain_id: Option<String>,
    },
}

impl Credentials {
    /// Permanent AK/SK credentials.
    pub fn aksk(ak: impl Into<String>, sk: impl Into<Secret>) -> Self {
        Credentials::AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: None,
            domain_id: None,
        }
    }

    /// Temporary AK/SK credentials with their security token.
    pub fn temporary(
        ak: impl Into<String>,
        sk: impl Into<Secret>,
        security_token: impl Into<Secret>,
    ) -> Self {
        Credentials::AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: Some(security_token.into()),
            domain_id: None,
        }
    }

    /// IAM token credentials.
    pub fn token(token: impl Into<Secret>) -> Self {
        Credentials::Token {
            token: token.into(),
            domain_id: None,
        }
    }

    /// Sets the account (domain) id sent as `X-Domain-Id`.
    pub fn with_domain_id(mut self, id: impl Into<String>) -> Self {
        match &mut self {
            Credentials::AkSk { domain_id, .. } | Credentials::Token { domain_id, .. } => {
                *domain_id = Some(id.into())
            }
        }
        self
    }

    /// The account (domain) id, if set.
    pub fn domain_id(&self) -> Option<&str> {
        match self {
            Credentials::AkSk { domain_id, .. } | Credentials::Token { domain_id, .. } => {
                domain_id.as_deref()
            }
        }
    }

    /// Reads AK/SK credentials from the variables the official SDKs read
    /// (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, and optionally
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN` and `HUAWEICLOUD_SDK_DOMAIN_ID`).
    /// Returns `Ok(None)` when neither AK nor SK is set.
    pub fn from_env() -> Result<Option<Self>, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Credentials::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let (ak, sk) = match (get(ENV_AK), get(ENV_SK)) {
            (None, None) => return Ok(None),
            (Some(ak), Some(sk)) => (ak, sk),
            (Some(_), None) => {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    format!("{ENV_AK} is set but {ENV_SK} is not"),
                ));
            }
            (None, Some(_)) => {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    format!("{ENV_SK} is set but {ENV_AK} is not"),
                ));
            }
        };
        let mut credentials = Credentials::aksk(ak.trim(), Secret::new(sk.trim()));
        if let (Credentials::AkSk { security_token, .. }, Some(token)) =
            (&mut credentials, get(ENV_SECURITY_TOKEN))
        {
            *security_token = Some(Secret::new(token.trim()));
        }
        if let Some(domain_id) = get(ENV_DOMAIN_ID) {
            credentials = credentials.with_domain_id(domain_id.trim());
        }
        credentials.validate()?;
        Ok(Some(credentials))
    }

    /// The official SDKs' chain: the environment variables, then the profile file
    /// (`$HUAWEICLOUD_SDK_CREDENTIALS_FILE`, default `~/.huaweicloud/credentials`). Returns
    /// `Ok(None)` when neither holds credentials.
    pub fn from_chain() -> Result<Option<Self>, Error> {
        Self::from_chain_with(|name| std::env::var(name).ok())
    }

    /// Like [`Credentials::from_chain`], reading variables through `lookup`.
    pub fn from_chain_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, Error> {
        if let Some(credentials) = Self::from_lookup(&lookup)? {
            return Ok(Some(credentials));
        }
        let path = match lookup(ENV_CREDENTIALS_FILE).filter(|p| !p.trim().is_empty()) {
            Some(path) => std::path::PathBuf::from(path),
            None => match lookup("HOME").or_else(|| lookup("USERPROFILE")) {
                Some(home) => std::path::Path::new(&home)
                    .join(".huaweicloud")
                    .join("credentials"),
                None => return Ok(None),
            },
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_profile(&text).map_err(|e| {
                Error::new(
                    ErrorKind::Configuration,
                    format!("{}: {}", path.display(), e.message()),
                )
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(Error::new(
                ErrorKind::Configuration,
                format!("reading {}: {err}", path.display()),
            )),
        }
    }

    /// Reads the `[global]` section (or else `[basic]`) of a credentials profile file in the
    /// official INI format: keys `ak`, `sk`, `security_token`, `domain_id`.
    pub fn from_profile(text: &str) -> Result<Option<Self>, Error> {
        let ini = ini::Ini::load_from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Configuration,
                format!("not a valid INI file: {e}"),
            )
        })?;
        let Some(section) = ini
            .section(Some("global"))
            .or_else(|| ini.section(Some("basic")))
        else {
            return Ok(None);
        };
        let key = |name: &str| {
            section
                .get(name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let lookup = |name: &str| match name {
            ENV_AK => key("ak"),
            ENV_SK => key("sk"),
            ENV_SECURITY_TOKEN => key("security_token"),
            ENV_DOMAIN_ID => key("domain_id"),
            _ => None,
        };
        Self::from_lookup(lookup).map_err(|e| {
            Error::new(
                ErrorKind::Configuration,
                e.message().replace(ENV_AK, "ak").replace(ENV_SK, "sk"),
            )
        })
    }

    /// Checks that every value can travel in an HTTP header.
    pub fn validate(&self) -> Result<(), Error> {
        let header_safe = |field: &str, value: &str| {
            if value.is_empty() {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    format!("credentials: {field} must not be empty"),
                ));
            }
            if !value.bytes().all(|b| (0x21..0x7f).contains(&b)) {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    format!("credentials: {field} must be printable ASCII without spaces"),
                ));
            }
            Ok(())
        };
        match self {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
                domain_id,
            } => {
                header_safe("ak", ak)?;
                header_safe("sk", sk.expose())?;
                if let Some(token) = security_token {
                    header_safe("security_token", token.expose())?;
                }
                if let Some(id) = domain_id {
                    header_safe("domain_id", id)?;
                }
            }
            Credentials::Token { token, domain_id } => {
                header_safe("token", token.expose())?;
                if let Some(id) = domain_id {
                    header_safe("domain_id", id)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credentials::temporary("AK123", "SK-very-secret", "TOKEN-very-secret")
            .with_domain_id("d1");
        let debug = format!("{c:?}");
        assert!(debug.contains("AK123"), "{debug}");
        assert!(!debug.contains("very-secret"), "{debug}");
        let t = format!("{:?}", Credentials::token("iam-token-very-secret"));
        assert!(!t.contains("very-secret"), "{t}");
    }

    #[test]
    fn from_lookup_reads_the_official_variables() {
        let env = |name: &str| match name {
            ENV_AK => Some("AK".to_string()),
            ENV_SK => Some("SK".to_string()),
            ENV_SECURITY_TOKEN => Some("TOK".to_string()),
            ENV_DOMAIN_ID => Some("dom".to_string()),
            _ => None,
        };
        let c = Credentials::from_lookup(env).unwrap().unwrap();
        match &c {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
                domain_id,
            } => {
                assert_eq!(ak, "AK");
                assert_eq!(sk.expose(), "SK");
                assert_eq!(security_token.as_ref().unwrap().expose(), "TOK");
                assert_eq!(domain_id.as_deref(), Some("dom"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(Credentials::from_lookup(|_| None).unwrap().is_none());
        let half = Credentials::from_lookup(|n| (n == ENV_AK).then(|| "AK".into()));
        let err = half.unwrap_err().to_string();
        assert!(err.contains(ENV_SK), "{err}");
    }

    #[test]
    fn the_chain_reads_the_profile_file_when_the_environment_is_empty() {
        let dir = std::env::temp_dir().join(format!("hcbss-cred-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".huaweicloud")).unwrap();
        std::fs::write(
            dir.join(".huaweicloud/credentials"),
            "[global]\nak = PROFILEAK\nsk = profile-secret\ndomain_id = dom42\n",
        )
        .unwrap();
        let home = dir.to_string_lossy().into_owned();
        let c = Credentials::from_chain_with(|n| (n == "HOME").then(|| home.clone()))
            .unwrap()
            .unwrap();
        assert!(format!("{c:?}").contains("PROFILEAK"));
        assert_eq!(c.domain_id(), Some("dom42"));
        // The environment wins over the file.
        let env = |n: &str| match n {
            "HOME" => Some(home.clone()),
            ENV_AK => Some("ENVAK".into()),
            ENV_SK => Some("env-secret".into()),
            _ => None,
        };
        let c = Credentials::from_chain_with(env).unwrap().unwrap();
        assert!(format!("{c:?}").contains("ENVAK"));
        // HUAWEICLOUD_SDK_CREDENTIALS_FILE overrides the path; a missing file is no credentials.
        let other = dir.join("other.ini");
        std::fs::write(&other, "[basic]\nak=BASICAK\nsk=s\n").unwrap();
        let path = other.to_string_lossy().into_owned();
        let c = Credentials::from_chain_with(|n| (n == ENV_CREDENTIALS_FILE).then(|| path.clone()))
            .unwrap()
            .unwrap();
        assert!(format!("{c:?}").contains("BASICAK"));
        let missing = dir.join("missing").to_string_lossy().into_owned();
        assert!(
            Credentials::from_chain_with(|n| (n == ENV_CREDENTIALS_FILE).then(|| missing.clone()))
                .unwrap()
                .is_none()
        );
        // A half-filled profile names the key, never the secret.
        std::fs::write(&other, "[global]\nsk=only-secret\n").unwrap();
        let err =
            Credentials::from_chain_with(|n| (n == ENV_CREDENTIALS_FILE).then(|| path.clone()))
                .unwrap_err()
                .to_string();
        assert!(err.contains("ak") && !err.contains("only-secret"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn rejects_values_that_cannot_be_headers() {
        let err = Credentials::aksk("AK\n", "SK").validate().unwrap_err();
        assert!(err.to_string().contains("ak"), "{err}");
        let err = Credentials::aksk("AK", "秘密").validate().unwrap_err();
        assert!(err.to_string().contains("sk"));
        assert!(!err.to_string().contains("秘密"));
    }
}

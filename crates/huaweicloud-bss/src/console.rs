//! Jumping from the partner sales platform to the Huawei Cloud console (从伙伴销售平台跳转到华为
//! 控制台): not a BSS operation but a SAML 2.0 single sign-on URL that the customer's browser
//! opens.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::{Error, ErrorKind, Site};

/// What JavaScript's `encodeURIComponent` leaves unescaped: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The SAML login entry point of a site.
pub fn login_endpoint(site: Site) -> &'static str {
    match site {
        Site::China => "https://auth.huaweicloud.com/authui/saml/login",
        Site::International => "https://auth-intl.huaweicloud.com/authui/saml/login",
    }
}

/// The console home of a site, the default target.
pub fn default_console(site: Site) -> &'static str {
    match site {
        Site::China => "https://console.huaweicloud.com/",
        Site::International => "https://console-intl.huaweicloud.com/",
    }
}

/// Builds the SSO URL that logs a customer into the console through the partner's IdP.
///
/// - `x_account_type`: the platform identifier assigned in Partner Center (the same value as
///   `xaccount_type` in CreateSubCustomer).
/// - `first_login`: `true` only while the partner-platform account is not yet bound to a Huawei
///   Cloud account; after a successful CreateSubCustomer it is bound, so pass `false`.
/// - `target`: the console page to land on (`None`: the site's console home); it must be an
///   https URL and is encoded as `encodeURIComponent` would.
pub fn console_login_url(
    site: Site,
    x_account_type: &str,
    first_login: bool,
    target: Option<&str>,
) -> Result<String, Error> {
    let x_account_type = x_account_type.trim();
    if x_account_type.is_empty() {
        return Err(Error::invalid_input("x_account_type", "must not be empty"));
    }
    let target = target.unwrap_or(default_console(site));
    let parsed = url::Url::parse(target).map_err(|e| {
        Error::invalid_input("target", format!("must be an absolute https URL ({e})"))
    })?;
    if parsed.scheme() != "https" {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("target: must be an https URL (got `{target}`)"),
        ));
    }
    Ok(format!(
        "{}?xAccountType={}&isFirstLogin={}&service={}",
        login_endpoint(site),
        utf8_percent_encode(x_account_type, URI_COMPONENT),
        first_login,
        utf8_percent_encode(target, URI_COMPONENT)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_documented_url() {
        assert_eq!(
            console_login_url(
                Site::China,
                "partner_saas",
                false,
                Some("https://console.huaweicloud.com/iam/")
            )
            .unwrap(),
            "https://auth.huaweicloud.com/authui/saml/login?xAccountType=partner_saas&isFirstLogin=false&service=https%3A%2F%2Fconsole.huaweicloud.com%2Fiam%2F"
        );
    }

    #[test]
    fn encodes_the_target_like_encode_uri_component() {
        let url = console_login_url(
            Site::International,
            "my platform",
            true,
            Some("https://console-intl.huaweicloud.com/ecm/?region=ap-southeast-1&locale=en-us#/ecs/manager/vmList"),
        )
        .unwrap();
        assert_eq!(
            url,
            "https://auth-intl.huaweicloud.com/authui/saml/login?xAccountType=my%20platform&isFirstLogin=true&service=https%3A%2F%2Fconsole-intl.huaweicloud.com%2Fecm%2F%3Fregion%3Dap-southeast-1%26locale%3Den-us%23%2Fecs%2Fmanager%2FvmList"
        );
        // The defaults land on the site's console home.
        assert!(
            console_login_url(Site::China, "p", false, None)
                .unwrap()
                .ends_with("service=https%3A%2F%2Fconsole.huaweicloud.com%2F")
        );
    }

    #[test]
    fn rejects_bad_input_naming_the_field() {
        let err = console_login_url(Site::China, " ", false, None).unwrap_err();
        assert_eq!(err.to_string(), "x_account_type: must not be empty");
        let err =
            console_login_url(Site::China, "p", false, Some("http://evil.test/")).unwrap_err();
        assert!(
            err.to_string().starts_with("target: must be an https URL"),
            "{err}"
        );
        let err = console_login_url(Site::China, "p", false, Some("console")).unwrap_err();
        assert!(err.to_string().starts_with("target:"), "{err}");
    }
}

//! Request URLs joined onto a base URL that is parsed once.

use std::sync::OnceLock;

use url::Url;

/// The generated clients' base URL, parsed on first use, so that each request parses only its
/// path and query: parsing a host runs IDNA processing, the largest part of a URL parse.
#[derive(Clone, Debug, Default)]
pub(crate) struct BaseUrl(OnceLock<(String, Option<Url>)>);

impl BaseUrl {
    /// Parses `url`, which the generated code builds as `base` followed by the operation's path
    /// and query.
    pub(crate) fn join(&self, base: &str, url: &str) -> Result<Url, String> {
        match self.join_path(base, url) {
            Some(joined) => Ok(joined),
            None => Url::parse(url).map_err(|e| format!("`{url}` is not a valid URL: {e}")),
        }
    }

    /// When `base` is the one first seen and has no path of its own, parses only the part of
    /// `url` after it, which gives the same URL as parsing the whole.
    fn join_path(&self, base: &str, url: &str) -> Option<Url> {
        let (first, parsed) = self.0.get_or_init(|| {
            let parsed = Url::parse(base)
                .ok()
                .filter(|u| u.path() == "/" && !base.ends_with('/'));
            (base.to_string(), parsed)
        });
        let parsed = parsed.as_ref()?;
        let rest = url.strip_prefix(base)?;
        // A path-absolute reference: `//` or `/\` would start an authority instead.
        if first != base || !rest.starts_with('/') || rest[1..].starts_with(['/', '\\']) {
            return None;
        }
        Url::options().base_url(Some(parsed)).parse(rest).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_urls_equal_whole_parses() {
        let paths = [
            "/v2/partners/sub-customers/query",
            "/v2/bases/measurements?limit=10&offset=0",
            "/v2/orders/customer-orders/details/CS2001%2F01?x=a%20b",
            "/v2/path/with space/ünïcode/%zz/../dot/./x?q=ä#frag",
            "/v2/a//b",
        ];
        let bases = [
            "https://bss.myhuaweicloud.com",
            "http://127.0.0.1:8080",
            "http://user:secret@EXAMPLE.com:80",
            "https://bss.例子.com",
            "http://[::1]:9000",
        ];
        for base in bases {
            let cache = BaseUrl::default();
            for path in paths {
                let url = format!("{base}{path}");
                assert_eq!(
                    cache.join_path(base, &url),
                    Some(Url::parse(&url).unwrap()),
                    "{url}"
                );
            }
        }
    }

    #[test]
    fn anything_else_is_parsed_whole() {
        let cache = BaseUrl::default();
        let base = "http://127.0.0.1:8080";
        for url in [
            // An authority after the base, a backslash that would start one, another base.
            format!("{base}//evil.example/v2"),
            format!("{base}/\\evil.example/v2"),
            "https://other.example/v2/x".to_string(),
        ] {
            assert_eq!(cache.join_path(base, &url), None);
            assert_eq!(cache.join(base, &url).unwrap(), Url::parse(&url).unwrap());
        }
        assert_eq!(cache.join_path("http://other:1", "http://other:1/v2"), None);
        assert_eq!(
            cache.join("http://other:1", "http://other:1/v2").unwrap(),
            Url::parse("http://other:1/v2").unwrap()
        );
        // A base with a path of its own, or a trailing slash, is never used as a prefix.
        for base in ["http://h/prefix", "http://h/"] {
            let cache = BaseUrl::default();
            let url = format!("{base}/v2/x");
            assert_eq!(cache.join_path(base, &url), None);
            assert_eq!(cache.join(base, &url).unwrap(), Url::parse(&url).unwrap());
        }
        let err = BaseUrl::default()
            .join("nonsense", "nonsense/v2")
            .unwrap_err();
        assert!(err.contains("`nonsense/v2` is not a valid URL"), "{err}");
    }
}

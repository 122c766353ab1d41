//! The application a sign-in is for, as the pages on the way name it: what it calls itself,
//! and the host the browser goes back to, so that a person can tell where they are headed.

use url::Url;

/// An application waiting for a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// Its registered name (a relying party) or its description (an auth-delegation request).
    pub name: String,
    /// The host of the verified address it receives the answer at.
    pub host: String,
}

impl Application {
    /// The application called `name` that receives its answer at `destination`, an address
    /// already verified; `None` when that address has no host to show.
    pub fn new(name: &str, destination: &str) -> Option<Self> {
        Some(Self {
            name: name.to_owned(),
            host: host_of(destination)?,
        })
    }
}

/// The host of an absolute URL, as people are shown it (a name in its ASCII form, so that a
/// look-alike name shows as punycode); `None` for anything without a host.
pub fn host_of(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    url.host_str()
        .filter(|host| !host.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_the_destination_s_host_without_path_or_port() {
        assert_eq!(
            host_of("https://wiki.example.org:8443/cb?x=1").as_deref(),
            Some("wiki.example.org")
        );
        assert_eq!(
            host_of("http://127.0.0.1:9000/cb").as_deref(),
            Some("127.0.0.1")
        );
    }

    #[test]
    fn a_look_alike_name_shows_in_its_ascii_form() {
        assert_eq!(
            host_of("https://wíki.example.org/cb").as_deref(),
            Some("xn--wki-rma.example.org")
        );
    }

    #[test]
    fn an_address_without_a_host_names_no_application() {
        assert_eq!(host_of("/authorize"), None);
        assert_eq!(Application::new("Wiki", "urn:ietf:wg:oauth:2.0:oob"), None);
        assert_eq!(
            Application::new("Wiki", "https://wiki.example.org/cb"),
            Some(Application {
                name: "Wiki".to_owned(),
                host: "wiki.example.org".to_owned()
            })
        );
    }
}

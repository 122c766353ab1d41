//! Yadis discovery documents (XRDS) for the OP identifier and claimed identifiers, and the
//! `Accept` negotiation that decides when a page answers with one instead of HTML.

/// The XRDS media type (Yadis 1.0 §6.2.4).
pub const XRDS_MEDIA_TYPE: &str = "application/xrds+xml";
/// Service type of an OP identifier (OpenID 2.0 §7.3.2.1.1).
pub const SERVER_TYPE: &str = "http://specs.openid.net/auth/2.0/server";
/// Service type of a claimed identifier (OpenID 2.0 §7.3.2.1.2).
pub const SIGNON_TYPE: &str = "http://specs.openid.net/auth/2.0/signon";
/// The extensions this provider speaks, announced beside either service type: Simple
/// Registration 1.1, Attribute Exchange 1.0, the Launchpad teams extension and PAPE.
pub const EXTENSION_TYPES: [&str; 4] = [
    "http://openid.net/extensions/sreg/1.1",
    "http://openid.net/srv/ax/1.0",
    "http://ns.launchpad.net/2007/openid-teams",
    "http://specs.openid.net/extensions/pape/1.0",
];

/// The XRDS of the OP identifier: one service, the endpoint `endpoint`, with no local
/// identifier (the relying party asks for identifier select).
pub fn op_identifier_document(endpoint: &str) -> String {
    document(SERVER_TYPE, endpoint, None)
}

/// The XRDS of a claimed identifier: the endpoint, and the identifier itself as its local
/// identifier (this provider makes its own identifiers, so the two are the same URL).
pub fn claimed_identifier_document(endpoint: &str, local_id: &str) -> String {
    document(SIGNON_TYPE, endpoint, Some(local_id))
}

fn document(service_type: &str, endpoint: &str, local_id: Option<&str>) -> String {
    let mut types = format!("      <Type>{}</Type>\n", escape(service_type));
    for extension in EXTENSION_TYPES {
        types.push_str(&format!("      <Type>{}</Type>\n", escape(extension)));
    }
    let local = local_id.map_or_else(String::new, |id| {
        format!("      <LocalID>{}</LocalID>\n", escape(id))
    });
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <xrds:XRDS xmlns:xrds=\"xri://$xrds\" xmlns=\"xri://$xrd*($v*2.0)\">\n\
         \x20 <XRD>\n\
         \x20   <Service priority=\"0\">\n\
         {types}\
         \x20     <URI>{uri}</URI>\n\
         {local}\
         \x20   </Service>\n\
         \x20 </XRD>\n\
         </xrds:XRDS>\n",
        uri = escape(endpoint),
    )
}

/// Escapes text for XML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether an `Accept` header prefers the XRDS to an HTML page. Only an explicit
/// `application/xrds+xml` counts for the XRDS (a browser's `*/*` must keep getting HTML); it
/// wins when its quality is at least that of any range covering HTML. No header → HTML.
pub fn prefers_xrds(accept: Option<&str>) -> bool {
    let Some(accept) = accept else {
        return false;
    };
    let mut xrds = 0.0_f32;
    let mut html = 0.0_f32;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
            .map_or(Some(1.0), |(_, v)| v.trim().parse::<f32>().ok())
            .filter(|q| q.is_finite())
            .unwrap_or(0.0)
            .clamp(0.0, 1.0);
        match media.as_str() {
            XRDS_MEDIA_TYPE => xrds = xrds.max(quality),
            "text/html" | "application/xhtml+xml" | "text/*" | "*/*" => html = html.max(quality),
            _ => {}
        }
    }
    xrds > 0.0 && xrds >= html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_op_identifier_document_names_the_server_type_and_the_endpoint() {
        let doc = op_identifier_document("https://id.example/+openid");
        assert!(doc.contains("<Type>http://specs.openid.net/auth/2.0/server</Type>"));
        assert!(doc.contains("<URI>https://id.example/+openid</URI>"));
        assert!(!doc.contains("LocalID"));
        for extension in EXTENSION_TYPES {
            assert!(doc.contains(&format!("<Type>{extension}</Type>")));
        }
    }

    #[test]
    fn a_claimed_identifier_document_names_signon_and_its_local_id() {
        let doc =
            claimed_identifier_document("https://id.example/+openid", "https://id.example/+id/abc");
        assert!(doc.contains("<Type>http://specs.openid.net/auth/2.0/signon</Type>"));
        assert!(doc.contains("<LocalID>https://id.example/+id/abc</LocalID>"));
        assert!(!doc.contains("2.0/server"));
    }

    #[test]
    fn urls_are_escaped_in_the_document() {
        let doc = op_identifier_document("https://id.example/+openid?a=1&b=<2>");
        assert!(doc.contains("<URI>https://id.example/+openid?a=1&amp;b=&lt;2&gt;</URI>"));
    }

    #[test]
    fn a_browser_accept_header_gets_html() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(!prefers_xrds(Some(firefox)));
        assert!(!prefers_xrds(Some("*/*")));
        assert!(!prefers_xrds(None));
        assert!(!prefers_xrds(Some("")));
    }

    #[test]
    fn a_yadis_client_accept_header_gets_the_xrds() {
        let python_openid = "text/html; q=0.3, application/xhtml+xml; q=0.5, application/xrds+xml";
        assert!(prefers_xrds(Some(python_openid)));
        assert!(prefers_xrds(Some("application/xrds+xml")));
        assert!(prefers_xrds(Some("Application/XRDS+XML;q=0.5")));
    }

    #[test]
    fn html_with_a_higher_quality_wins_over_the_xrds() {
        assert!(!prefers_xrds(Some("application/xrds+xml;q=0.2, text/html")));
        assert!(!prefers_xrds(Some("application/xrds+xml;q=0")));
        assert!(!prefers_xrds(Some("application/xrds+xml;q=nonsense")));
    }
}

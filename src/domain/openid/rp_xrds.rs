//! Reading a relying party's XRDS document (§13): the URIs of its services typed
//! `http://specs.openid.net/auth/2.0/return_to`. Names are matched without their namespace
//! prefixes; entities other than XML's five and character references make the document bad.

use quick_xml::Reader;
use quick_xml::events::Event;

/// The service type of a relying party's return_to endpoints.
pub const RETURN_TO_TYPE: &str = "http://specs.openid.net/auth/2.0/return_to";

/// The most return_to URIs kept from one document.
const MAX_URIS: usize = 64;

/// Why an XRDS document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XrdsError {
    /// Not well-formed XML, or an entity XML does not define.
    #[error("the XRDS document is not well-formed XML")]
    Malformed,
    /// Well-formed, but its root is not `XRDS`.
    #[error("the document is not an XRDS document")]
    NotXrds,
}

/// Where the reader is inside a `<Service>`.
#[derive(Default)]
struct Service {
    types: Vec<String>,
    uris: Vec<String>,
    /// The text of the `Type` or `URI` element being read, and which it is.
    open: Option<(bool, String)>,
}

/// The return_to URIs an XRDS document lists, in document order.
pub fn return_to_uris(document: &str) -> Result<Vec<String>, XrdsError> {
    let mut reader = Reader::from_str(document);
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut saw_root = false;
    let mut service: Option<Service> = None;
    loop {
        match reader.read_event().map_err(|_| XrdsError::Malformed)? {
            Event::Start(start) => {
                let name = start.local_name();
                let name = name.as_ref();
                if depth == 0 {
                    if name != "XRDS" {
                        return Err(XrdsError::NotXrds);
                    }
                    saw_root = true;
                }
                depth += 1;
                match (&mut service, name) {
                    (None, "Service") => service = Some(Service::default()),
                    (Some(s), "Type") => s.open = Some((true, String::new())),
                    (Some(s), "URI") => s.open = Some((false, String::new())),
                    _ => {}
                }
            }
            Event::Empty(start) if depth == 0 => {
                return if start.local_name().as_ref() == "XRDS" {
                    Ok(found)
                } else {
                    Err(XrdsError::NotXrds)
                };
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                let name = end.local_name();
                match (service.as_mut(), name.as_ref()) {
                    (Some(s), "Type" | "URI") => {
                        if let Some((is_type, text)) = s.open.take() {
                            let text = text.trim().to_owned();
                            if is_type {
                                s.types.push(text);
                            } else {
                                s.uris.push(text);
                            }
                        }
                    }
                    (Some(_), "Service") => {
                        let done = service.take().unwrap_or_default();
                        if done.types.iter().any(|t| t == RETURN_TO_TYPE) {
                            found.extend(done.uris.into_iter().filter(|u| !u.is_empty()));
                        }
                    }
                    _ => {}
                }
                found.truncate(MAX_URIS);
            }
            Event::Text(text) => push_text(&mut service, &text),
            Event::CData(data) => {
                push_text(&mut service, &data);
            }
            Event::GeneralRef(reference) => {
                let ch = match &*reference {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "apos" => '\'',
                    "quot" => '"',
                    _ => reference
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .ok_or(XrdsError::Malformed)?,
                };
                push_text(&mut service, ch.encode_utf8(&mut [0; 4]));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if saw_root && depth == 0 {
        Ok(found)
    } else if saw_root {
        Err(XrdsError::Malformed)
    } else {
        Err(XrdsError::NotXrds)
    }
}

fn push_text(service: &mut Option<Service>, text: &str) {
    if let Some(Service {
        open: Some((_, buffer)),
        ..
    }) = service
        && buffer.len() + text.len() <= 4096
    {
        buffer.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xrds(services: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)">
  <XRD>{services}</XRD>
</xrds:XRDS>"#
        )
    }

    #[test]
    fn return_to_services_give_their_uris_and_other_services_do_not() {
        let document = xrds(
            r#"<Service priority="1">
                 <Type>http://specs.openid.net/auth/2.0/return_to</Type>
                 <URI>https://rp.example.com/return?a=1&amp;b=2</URI>
                 <URI> https://*.example.com/openid </URI>
               </Service>
               <Service><Type>http://specs.openid.net/auth/2.0/signon</Type>
                 <URI>https://other.example.com/</URI></Service>
               <Service><Type><![CDATA[http://specs.openid.net/auth/2.0/return_to]]></Type>
                 <URI>https://rp.example.com/&#x61;lt</URI></Service>"#,
        );
        assert_eq!(
            return_to_uris(&document),
            Ok(vec![
                "https://rp.example.com/return?a=1&b=2".to_owned(),
                "https://*.example.com/openid".to_owned(),
                "https://rp.example.com/alt".to_owned(),
            ])
        );
    }

    #[test]
    fn a_document_without_return_to_services_lists_none() {
        assert_eq!(return_to_uris(&xrds("")), Ok(vec![]));
        assert_eq!(return_to_uris("<XRDS/>"), Ok(vec![]));
    }

    #[test]
    fn html_broken_xml_and_unknown_entities_are_refused() {
        assert_eq!(
            return_to_uris("<html><body>hi</body></html>"),
            Err(XrdsError::NotXrds)
        );
        assert_eq!(return_to_uris("not xml at all"), Err(XrdsError::NotXrds));
        assert_eq!(
            return_to_uris("<XRDS><XRD><Service>"),
            Err(XrdsError::Malformed)
        );
        let entity = xrds(
            "<Service><Type>http://specs.openid.net/auth/2.0/return_to</Type>\
             <URI>&xxe;</URI></Service>",
        );
        assert_eq!(return_to_uris(&entity), Err(XrdsError::Malformed));
    }
}

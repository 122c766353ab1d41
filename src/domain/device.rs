//! Device cookies: a browser in which a person has signed in carries a signed token naming
//! them, and its failed attempts are counted on their own. Failures that come from elsewhere
//! (someone guessing, or locking the person out on purpose) then never lock that browser out.

use crate::domain::PersonId;

/// A browser the person has signed in on before, as its verified cookie names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDevice {
    person: PersonId,
    nonce: String,
}

impl KnownDevice {
    /// A new device token for a person who has just signed in.
    pub fn issue(person: &PersonId) -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        let nonce = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self {
            person: person.clone(),
            nonce,
        })
    }

    /// Reads a cookie value (`person.nonce`) whose signature the web layer has checked.
    pub fn parse(value: &str) -> Option<Self> {
        let (person, nonce) = value.rsplit_once('.')?;
        let well_formed = nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_hexdigit());
        (well_formed && !person.is_empty()).then(|| Self {
            person: PersonId::from_stored(person.to_owned()),
            nonce: nonce.to_owned(),
        })
    }

    /// The cookie value.
    pub fn value(&self) -> String {
        format!("{}.{}", self.person.as_str(), self.nonce)
    }

    /// Whether this device belongs to the person.
    pub fn is_of(&self, person: &PersonId) -> bool {
        &self.person == person
    }

    /// The throttle key its failures are counted under.
    pub fn throttle_key(&self) -> String {
        format!("device:{}", self.nonce)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_token_reads_back_and_names_its_person() {
        let person = PersonId::from_stored("p-1".to_owned());
        let device = KnownDevice::issue(&person).unwrap();
        let read = KnownDevice::parse(&device.value()).unwrap();
        assert_eq!(read, device);
        assert!(read.is_of(&person));
        assert!(!read.is_of(&PersonId::from_stored("p-2".to_owned())));
        assert!(read.throttle_key().starts_with("device:"));
    }

    #[test]
    fn malformed_values_are_refused() {
        for bad in [
            "",
            "p-1",
            "p-1.",
            ".0123456789abcdef0123456789abcdef",
            "p-1.xyz",
        ] {
            assert_eq!(KnownDevice::parse(bad), None, "{bad:?}");
        }
    }
}

//! The personal details an OpenID relying party may ask for, whichever extension asked.

/// A detail a person may share with a relying party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SharedField {
    /// The person's nickname (their display name's short form).
    Nickname,
    /// The person's preferred email address.
    Email,
    /// The person's full name.
    FullName,
    /// Which of the asked teams the person belongs to.
    Teams,
}

impl SharedField {
    /// Every field, in the order the decision page lists them.
    pub const ALL: [Self; 4] = [Self::Nickname, Self::Email, Self::FullName, Self::Teams];

    /// The field's name: SREG's for the three it has (`nickname`, `email`, `fullname`), and
    /// `teams`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Nickname => "nickname",
            Self::Email => "email",
            Self::FullName => "fullname",
            Self::Teams => "teams",
        }
    }

    /// The field a name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_parses_back_from_its_name_and_nothing_else_parses() {
        for field in SharedField::ALL {
            assert_eq!(SharedField::parse(field.name()), Some(field));
        }
        assert_eq!(SharedField::parse("dob"), None);
        assert_eq!(SharedField::parse("Email"), None);
        assert_eq!(SharedField::parse(""), None);
    }
}

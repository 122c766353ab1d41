//! The login form's state machine: what one submission of `/+login` leads to, decided from the
//! action, the address, what is known about it, and whether the password matched. Pure: the
//! service gathers the facts (always verifying some hash, so every "incorrect password" costs
//! the same), this module decides, the web layer renders.

use crate::domain::PersonStatus;

/// The three buttons of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginAction {
    /// "Log in".
    Login,
    /// "Create a new account".
    CreateAccount,
    /// "I have forgotten my password".
    ResetPassword,
}

impl LoginAction {
    /// Reads the `action` form field.
    pub fn parse(field: &str) -> Option<Self> {
        match field {
            "login" => Some(Self::Login),
            "createaccount" => Some(Self::CreateAccount),
            "resetpassword" => Some(Self::ResetPassword),
            _ => None,
        }
    }

    /// The form field value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::CreateAccount => "createaccount",
            Self::ResetPassword => "resetpassword",
        }
    }
}

/// What the store knows about the address that was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressFacts {
    /// No profile has it.
    Unknown,
    /// A team's contact address.
    Team,
    /// An individual's address, with their status.
    Person(PersonStatus),
}

/// Whether the password matched the stored hash (or the dummy hash, for addresses without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    /// The field was empty.
    Missing,
    /// It did not match (always the case against the dummy hash).
    Wrong,
    /// It matched the person's own hash.
    Right,
}

/// What the form does next. Messages are shown on the form; the rest are actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    /// "Please enter a valid email address."
    InvalidEmail,
    /// "Incorrect password for the provided email address." (unknown, placeholder, missing or
    /// wrong password: one answer for all four).
    IncorrectPassword,
    /// "The email address {email} can not be used to log in as it belongs to a team."
    TeamAddress,
    /// "This account has been suspended. Please contact an administrator."
    Suspended,
    /// "This account has been deactivated. Use "I have forgotten my password" to reactivate it."
    Deactivated,
    /// Renew the session and sign the person in.
    SignIn,
    /// "Sorry, someone has already registered the {email} email address. …"
    AlreadyRegistered,
    /// "Your account details have not been found. …"
    AccountNotFound,
    /// Email a NewAccount link; the page says to check the inbox.
    SendNewAccountLink,
    /// Email a PasswordRecovery link; the page says to check the inbox.
    SendRecoveryLink,
    /// Privacy mode, instead of `AlreadyRegistered`: say "check your email", and email the
    /// owner that someone tried to register their address (with a recovery link).
    NotifyAlreadyRegistered,
    /// Privacy mode, instead of `AccountNotFound`: say "check your email", and email the
    /// address that it has no account (with a way to register).
    NotifyNoAccount,
}

impl LoginOutcome {
    /// Whether the outcome is an error message shown on the form (status 200, form again).
    pub fn is_form_error(self) -> bool {
        matches!(
            self,
            Self::InvalidEmail
                | Self::IncorrectPassword
                | Self::TeamAddress
                | Self::Suspended
                | Self::Deactivated
                | Self::AlreadyRegistered
                | Self::AccountNotFound
        )
    }
}

/// Decides one submission. `email_valid` is false when the address did not parse (then the
/// other facts are irrelevant); `hide_account_existence` is the privacy-mode setting.
pub fn decide(
    action: LoginAction,
    email_valid: bool,
    facts: AddressFacts,
    password: PasswordCheck,
    hide_account_existence: bool,
) -> LoginOutcome {
    use AddressFacts::{Person, Team, Unknown};
    use LoginOutcome as O;
    use PersonStatus::{Active, Deactivated, Placeholder, Suspended};

    if !email_valid {
        return O::InvalidEmail;
    }
    match (action, facts) {
        (_, Team) => O::TeamAddress,

        (LoginAction::Login, Unknown | Person(Placeholder)) => O::IncorrectPassword,
        (LoginAction::Login, Person(Suspended)) => O::Suspended,
        (LoginAction::Login, Person(Deactivated)) => O::Deactivated,
        (LoginAction::Login, Person(Active)) => match password {
            PasswordCheck::Right => O::SignIn,
            PasswordCheck::Missing | PasswordCheck::Wrong => O::IncorrectPassword,
        },

        (LoginAction::CreateAccount, Unknown | Person(Placeholder)) => O::SendNewAccountLink,
        (LoginAction::CreateAccount, Person(Active | Deactivated | Suspended)) => {
            if hide_account_existence {
                O::NotifyAlreadyRegistered
            } else {
                O::AlreadyRegistered
            }
        }

        (LoginAction::ResetPassword, Unknown) => {
            if hide_account_existence {
                O::NotifyNoAccount
            } else {
                O::AccountNotFound
            }
        }
        (LoginAction::ResetPassword, Person(Suspended)) => O::Suspended,
        (LoginAction::ResetPassword, Person(Active | Deactivated | Placeholder)) => {
            O::SendRecoveryLink
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AddressFacts::{Person, Team, Unknown};
    use super::LoginAction::{CreateAccount, Login, ResetPassword};
    use super::LoginOutcome as O;
    use super::PasswordCheck::{Missing, Right, Wrong};
    use super::*;
    use crate::domain::PersonStatus::{Active, Deactivated, Placeholder, Suspended};

    fn plain(action: LoginAction, facts: AddressFacts, password: PasswordCheck) -> LoginOutcome {
        decide(action, true, facts, password, false)
    }

    // Row: any action, not a valid email address.
    #[test]
    fn any_action_with_an_invalid_address_asks_for_a_valid_one() {
        for action in [Login, CreateAccount, ResetPassword] {
            for facts in [Unknown, Team, Person(Active)] {
                assert_eq!(decide(action, false, facts, Right, false), O::InvalidEmail);
                assert_eq!(decide(action, false, facts, Right, true), O::InvalidEmail);
            }
        }
    }

    // Row: login, unknown / placeholder / missing or wrong password.
    #[test]
    fn login_with_an_unknown_address_is_an_incorrect_password() {
        for pw in [Missing, Wrong, Right] {
            assert_eq!(plain(Login, Unknown, pw), O::IncorrectPassword);
        }
    }

    #[test]
    fn login_with_a_placeholder_address_is_an_incorrect_password() {
        for pw in [Missing, Wrong, Right] {
            assert_eq!(plain(Login, Person(Placeholder), pw), O::IncorrectPassword);
        }
    }

    #[test]
    fn login_with_a_missing_or_wrong_password_is_an_incorrect_password() {
        assert_eq!(plain(Login, Person(Active), Missing), O::IncorrectPassword);
        assert_eq!(plain(Login, Person(Active), Wrong), O::IncorrectPassword);
    }

    // Row: login, a team's address.
    #[test]
    fn login_with_a_team_address_is_refused_as_a_team() {
        for pw in [Missing, Wrong, Right] {
            assert_eq!(plain(Login, Team, pw), O::TeamAddress);
        }
    }

    // Row: login, suspended.
    #[test]
    fn login_as_a_suspended_person_says_suspended() {
        assert_eq!(plain(Login, Person(Suspended), Right), O::Suspended);
    }

    // Row: login, deactivated.
    #[test]
    fn login_as_a_deactivated_person_says_deactivated() {
        assert_eq!(plain(Login, Person(Deactivated), Right), O::Deactivated);
    }

    // Row: login, active, right password.
    #[test]
    fn login_as_an_active_person_with_the_right_password_signs_in() {
        assert_eq!(plain(Login, Person(Active), Right), O::SignIn);
    }

    // Row: createaccount, active account.
    #[test]
    fn createaccount_for_a_registered_address_says_already_registered() {
        assert_eq!(
            plain(CreateAccount, Person(Active), Missing),
            O::AlreadyRegistered
        );
    }

    // Row: createaccount, a team's address.
    #[test]
    fn createaccount_for_a_team_address_is_refused_as_a_team() {
        assert_eq!(plain(CreateAccount, Team, Missing), O::TeamAddress);
    }

    // Row: createaccount, unknown or placeholder.
    #[test]
    fn createaccount_for_an_unknown_or_placeholder_address_emails_a_link() {
        assert_eq!(
            plain(CreateAccount, Unknown, Missing),
            O::SendNewAccountLink
        );
        assert_eq!(
            plain(CreateAccount, Person(Placeholder), Missing),
            O::SendNewAccountLink
        );
    }

    // Row: resetpassword, unknown.
    #[test]
    fn resetpassword_for_an_unknown_address_says_not_found() {
        assert_eq!(plain(ResetPassword, Unknown, Missing), O::AccountNotFound);
    }

    // Row: resetpassword, a team's address.
    #[test]
    fn resetpassword_for_a_team_address_is_refused_as_a_team() {
        assert_eq!(plain(ResetPassword, Team, Missing), O::TeamAddress);
    }

    // Row: resetpassword, suspended.
    #[test]
    fn resetpassword_for_a_suspended_person_says_suspended() {
        assert_eq!(
            plain(ResetPassword, Person(Suspended), Missing),
            O::Suspended
        );
    }

    // Row: resetpassword, active / deactivated / placeholder.
    #[test]
    fn resetpassword_for_an_active_deactivated_or_placeholder_person_emails_a_link() {
        for status in [Active, Deactivated, Placeholder] {
            assert_eq!(
                plain(ResetPassword, Person(status), Missing),
                O::SendRecoveryLink
            );
        }
    }

    // Privacy mode.
    #[test]
    fn privacy_mode_never_tells_whether_an_address_is_registered() {
        assert_eq!(
            decide(CreateAccount, true, Person(Active), Missing, true),
            O::NotifyAlreadyRegistered
        );
        assert_eq!(
            decide(ResetPassword, true, Unknown, Missing, true),
            O::NotifyNoAccount
        );
        assert!(!O::NotifyAlreadyRegistered.is_form_error());
        assert!(!O::NotifyNoAccount.is_form_error());
    }

    #[test]
    fn actions_round_trip_through_the_form_field() {
        for action in [Login, CreateAccount, ResetPassword] {
            assert_eq!(LoginAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(LoginAction::parse("delete"), None);
    }
}

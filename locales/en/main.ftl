# Latchkey, English (the source of truth for every other language).
site-name = Latchkey
site-tagline = Sign in once, and every site that trusts Latchkey knows you.
error-not-found = Page not found
error-not-found-detail = There is nothing at this address.
error-internal = Something went wrong
error-internal-detail = The problem has been logged. Quote this reference if you report it:
login-title = Log in or create an account

## Email
mail-greeting = Hello,
mail-signature = Latchkey at { $site }
mail-new-account-subject = Finish creating your Latchkey account
mail-new-account-body = Someone, hopefully you, asked to create a Latchkey account for { $email }. Follow this link to choose your name and password:
mail-new-account-footer = The link works once, for 24 hours. If you did not ask for an account, ignore this message.
mail-password-recovery-subject = Reset your Latchkey password
mail-password-recovery-body = Someone, hopefully you, asked to reset the password of the Latchkey account for { $email }. Follow this link to choose a new password:
mail-password-recovery-footer = The link works once, for one hour. If you did not ask for this, ignore this message: your password stays as it is.
mail-already-registered-subject = Someone tried to register your address at Latchkey
mail-already-registered-body = Someone tried to create a new Latchkey account for { $email }, which already has one. If it was you and you have forgotten your password, reset it here:
mail-already-registered-footer = The link works once, for one hour. If it was not you, ignore this message.
mail-no-account-subject = Your Latchkey password reset request
mail-no-account-body = Someone asked to reset the Latchkey password for { $email }, but there is no account for this address. If it was you, you can create an account here:
mail-no-account-footer = The link works once, for 24 hours. If it was not you, ignore this message.

## Login form
login-email = Email address
login-password = Password
login-action-login = Log in
login-action-createaccount = Create a new account
login-action-resetpassword = I have forgotten my password
login-choose = What would you like to do?
login-error-invalid-email = Please enter a valid email address.
login-error-incorrect-password = Incorrect password for the provided email address.
login-error-team = The email address { $email } can not be used to log in as it belongs to a team.
login-error-suspended = This account has been suspended. Please contact an administrator.
login-error-deactivated = This account has been deactivated. Use "I have forgotten my password" to reactivate it.
login-error-already-registered = Sorry, someone has already registered the { $email } email address. If this is you and you've forgotten your password, choose "I have forgotten my password" and we'll let you change it.
login-error-not-found = Your account details have not been found. Please check your email address and try again.
login-error-locked = Too many failed attempts. Please try again in { $minutes } minutes.
login-error-csrf = This form has expired. Please try again.
login-error-bad-request = The form was not filled in correctly. Please try again.
login-check-inbox-title = Check your inbox
login-check-inbox = We have sent a message to { $email }. Follow the link in it to continue.
login-check-inbox-hint = It may take a minute to arrive. Check your spam folder if it does not.

## Emailed links
token-invalid-title = This link can no longer be used
token-invalid = The link has expired or has already been used. You can ask for a new one.
token-invalid-again = Ask for a new link
newaccount-title = Create your account
newaccount-intro = You are creating an account for { $email }.
newaccount-name = Your name
newaccount-password = Choose a password
newaccount-password-again = The password again
newaccount-submit = Create account
reset-title = Choose a new password
reset-intro = You are choosing a new password for { $email }.
reset-password = New password
reset-password-again = The new password again
reset-submit = Set password
form-error-password-short = The password must have at least 8 characters.
form-error-password-long = The password must have at most 1,024 bytes.
form-error-password-mismatch = The two passwords differ.
form-error-name = Please enter your name (at most 100 characters).

## Account
account-title = Your account
account-name = Name
account-emails = Email addresses
account-email-preferred = preferred
account-email-validated = confirmed
account-email-new = not confirmed
account-change-password = Change your password
account-current-password = Current password
account-new-password = New password
account-new-password-again = The new password again
account-change-password-submit = Change password
account-password-changed = Your password has been changed. You have been signed out everywhere else.
account-error-current-password = The current password is not correct.
account-logout = Log out
language-switch = Language

## Signing in to other sites
consent-title = Sign in to { $client }
consent-question = Sign in to { $client } as { $person }?
consent-shares = { $client } will receive:
consent-scope-openid = An identifier for your account that stays the same
consent-scope-profile = Your name
consent-scope-email = Your email address
consent-scope-groups = The teams you belong to
consent-scope-offline_access = Access while you are away, until you revoke it
consent-allow = Allow
consent-deny = Deny
consent-not-you = Not { $person }? Sign in as someone else
authorize-error-title = This sign-in request cannot be completed
account-apps = Applications you signed in to
account-apps-none = You have not allowed any application to use your account.
account-apps-revoke = Revoke access
logout-confirm-title = Sign out of Latchkey?
logout-confirm = An application asks to sign you out of Latchkey. You will be signed out of every site that relies on it.
logout-done-title = You are signed out
logout-done = You have been signed out of Latchkey.
logout-error-title = This sign-out request cannot be completed

## Token pages
token-info-title = About this token
token-purpose-new_account = This token lets its holder finish creating an account.
token-purpose-password_recovery = This token lets its holder choose a new password.
token-purpose-validate_email = This token confirms an email address.
token-purpose-bug_tracker = This token lets an external bug tracker prove that it talks to this site. The tracker uses it once, with a POST to its handshake address.
token-purpose-auth_delegation = This token confirms that an application may receive an API key.
token-state-valid = It can still be used.
token-state-used = It has already been used.
token-state-expired = It has expired.

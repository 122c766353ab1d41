# Passkeys: the sign-in button, the security page's section, and what the passkey script says.
login-passkey-heading = Or use a passkey
login-passkey = Sign in with a passkey
passkeys-intro = A passkey signs you in with your fingerprint, face, screen lock or security key instead of a password.
passkeys-name = Name
passkeys-name-example = e.g. Laptop
passkeys-added = Added
passkeys-last-used = Last used
passkeys-never = Never
passkeys-none = You have no passkeys yet.
passkeys-add = Add a passkey
passkeys-new-name = New name
passkeys-rename = Rename
passkeys-remove = Remove
passkeys-unavailable = Passkeys need this site to be served under a domain name; ask your administrator.
passkeys-confirm-intro = To add, rename or remove passkeys, enter your password again. It stays confirmed for { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
passkeys-confirm-password = Your password
passkeys-confirm-submit = Confirm
security-done-passkey-added = Your passkey has been added.
security-done-passkey-renamed = Your passkey has been renamed.
security-done-passkey-removed = Your passkey has been removed.
passkey-error-request = The request could not be read. Please reload the page and try again.
passkey-error-unavailable = Passkeys are not available on this site.
passkey-error-unknown = There is no such passkey.
passkey-error-registered = This passkey is registered already.
passkey-error-refused = The passkey's answer could not be verified. Please try again.
passkey-error-again = This passkey request has expired or was used already. Please try again.
passkey-error-sign-in = This passkey could not sign you in. Please try again or use your password.
passkey-error-no-step = There is no sign-in waiting for a second step. Please sign in again.
passkey-error-reauth = Please enter your password again before changing your passkeys.
passkey-error-name-empty = Please give the passkey a name.
passkey-error-name-long = The name can be at most 64 characters long.
passkey-error-name-characters = The name cannot contain control characters.
passkeys-codes-stored = I have stored them — continue

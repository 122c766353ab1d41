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

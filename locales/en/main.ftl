# Latchkey, English (the source of truth for every other language).
site-name = Latchkey
site-tagline = Sign in once, and every site that trusts Latchkey knows you.
error-not-found = Page not found
error-not-found-detail = There is nothing at this address.
error-internal = Something went wrong
error-internal-detail = The problem has been logged. Quote this reference if you report it:
login-title = Log in or create an account

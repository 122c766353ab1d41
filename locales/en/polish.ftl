# The application a sign-in is for, and the error pages' way home.
login-continue-to = to continue to { $app } at { $host }
consent-app-host = { $client } is at { $host }: your answer takes you back there.

## Error pages
error-reference = Reference: { $reference }
error-home = Go to the home page
error-account = Go to your account
error-bad-request-detail = Something in the address or the form could not be read. Go back and try again.
error-too-large = This request is too large
error-too-large-detail = It sends more than this site accepts. Go back and try again with less.
error-too-many = Too many requests
error-too-many-detail = Please wait a moment, then try again.
error-request = This request cannot be answered
error-request-detail = Go back to the page you came from and try again from there.
token-unknown-title = This token is not known
token-unknown = There is no token at this address. Check that the whole address was copied; a token may also have been removed after it ended.

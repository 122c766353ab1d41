# The application a sign-in is for, and the error pages' way home.
login-continue-to = to continue to { $app } at { $host }
consent-app-host = { $client } is at { $host }: your answer takes you back there.

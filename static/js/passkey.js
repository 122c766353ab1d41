// Passkeys: registration on the security page, sign-in on the login page and the second step.

# OpenID 2.0: claimed identifier pages, the decision page, and realms on the applications page.
openid-identity-title = OpenID identifier
openid-identity-intro = This address is an OpenID identifier of an account on this site. Sites that accept OpenID can use it to let its owner sign in; it says nothing else about them.
openid-decide-title = Sign in to { $realm }
openid-decide-question = Sign in to { $realm } as { $person }?
openid-decide-unverified = { $realm } could not be verified: { $reason }
openid-decide-shares = { $realm } will receive:
openid-decide-identifier = An identifier for your account that stays the same
openid-decide-required = required
openid-decide-remember = Your answer is remembered: you will not be asked again for this site until you revoke it on your applications page.
openid-decide-allow = Sign in
openid-decide-cancel = Cancel
openid-decide-not-you = Not { $person }? Sign in as someone else
openid-field-fullname = Your name
openid-field-nickname = Your nickname
openid-field-email = Your email address
openid-field-teams = Which of the teams it asks about you belong to
openid-apps-heading = Sites you signed in to with OpenID 2.0
openid-apps-decided = allowed { $when }
openid-apps-last-used = last used { $when }
openid-apps-identifier-only = Only an identifier for your account
openid-apps-revoke = Revoke

openid-error-title = This sign-in cannot go on
openid-error-finished = This sign-in request was answered already or has expired. Go back to the site and sign in again.

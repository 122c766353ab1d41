# Second-factor notices, their administration, and the team policy.

## Notices (templates/email/factor_changed)
mail-factor-added-subject = { $kind ->
    [passkey] A passkey was added to your Latchkey account
    [recovery-codes] Recovery codes were added to your Latchkey account
   *[other] An authenticator app was added to your Latchkey account
}
mail-factor-added-body = { $kind ->
    [passkey] A passkey named “{ $name }” was added to the Latchkey account of { $email }. It can now be used to sign in.
    [recovery-codes] Recovery codes were added to the Latchkey account of { $email }. Each can be used once to sign in.
   *[other] An authenticator app named “{ $name }” was added to the Latchkey account of { $email }. Its codes are now asked for at sign-in.
}
mail-factor-removed-subject = { $kind ->
    [passkey] A passkey was removed from your Latchkey account
    [recovery-codes] Recovery codes were removed from your Latchkey account
   *[other] An authenticator app was removed from your Latchkey account
}
mail-factor-removed-body = { $kind ->
    [passkey] The passkey named “{ $name }” was removed from the Latchkey account of { $email }. It can no longer be used to sign in.
    [recovery-codes] The recovery codes of the Latchkey account of { $email } were removed. They can no longer be used to sign in.
   *[other] The authenticator app named “{ $name }” was removed from the Latchkey account of { $email }. Its codes are no longer accepted.
}
mail-factor-code-used-subject = A recovery code was used to sign in to your Latchkey account
mail-factor-code-used-body = A recovery code was used to sign in to the Latchkey account of { $email }. Each code works once.
mail-factor-codes-left = { $left ->
    [0] No recovery codes are left: make new ones on your security page.
    [one] One recovery code is left.
   *[other] { $left } recovery codes are left.
}
mail-factor-codes-renewed-subject = New recovery codes were made for your Latchkey account
mail-factor-codes-renewed-body = A new set of recovery codes was made for the Latchkey account of { $email }. The old codes no longer work.
mail-factor-all-removed-subject = An administrator removed the second factors of your Latchkey account
mail-factor-all-removed-body = An administrator removed every passkey, authenticator app and recovery code of the Latchkey account of { $email }. Until you add a factor again, your password alone signs you in.
mail-factor-advice = If this was you, there is nothing to do. If it was not, sign in at once, review your security page (remove anything you do not recognise) and change your password; if you cannot sign in, contact your administrator. Your security page:
mail-factor-advice-admin = If you did not ask your administrator for this, contact them at once. To add a passkey or an authenticator app again, sign in and open your security page:
mail-factor-no-secret = This message never contains a code or a secret.

## The team policy (login.require_second_factor_for_teams)
enrol-required-heading = Add a second factor to continue
enrol-required = { $count ->
    [one] Members of the team { $teams } must sign in with a second factor.
   *[other] Members of the teams { $teams } must sign in with a second factor.
} Add a passkey or an authenticator app below: until you do, your other pages and applications wait here.
enrol-done = Thank you: your account now has a second factor.
enrol-continue = Continue where you were going

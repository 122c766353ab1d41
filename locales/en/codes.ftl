# The authenticator-app and recovery-code sections of the security page.
codes-authenticator-intro = An authenticator app on your phone shows a new six-digit code every 30 seconds. After your password, Latchkey asks for the current code.
codes-add-submit = Add an authenticator app
codes-app-name = Name
codes-app-created = Added
codes-app-last-used = Last used
codes-app-never = Never
codes-remove-submit = Remove the authenticator app
codes-reauth-password = Your password
codes-reauth-hint = For this change, enter your password again: you last entered it more than { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
} ago.
codes-enrol-scan = Scan this QR code with your authenticator app, or type the secret into it. Then enter the code the app shows.
codes-enrol-qr-alt = QR code to scan with your authenticator app
codes-enrol-secret = Secret
codes-enrol-uri = Setup link
codes-enrol-code = Code the app shows now
codes-enrol-name = Name of the app (optional)
codes-enrol-name-default = Authenticator app
codes-enrol-submit = Confirm and turn on
codes-enrol-cancel = Cancel
codes-fresh-heading = Your new recovery codes
codes-fresh-note = Store these codes somewhere safe, such as a password manager or on paper. Each code works once, in place of your passkey or app code. They are shown only now.
codes-recovery-left = { $count ->
    [0] You have no unused recovery codes left. Make new ones.
    [one] You have one unused recovery code left.
   *[other] You have { $count } unused recovery codes left.
}
codes-recovery-renew-hint = New codes replace the old ones, which then stop working.
codes-recovery-renew-submit = Make new codes
codes-recovery-none-yet = Recovery codes come with your first passkey or authenticator app.
codes-error-reauth = For this change, enter your password again.
codes-error-no-enrolment = There is no authenticator app being added. Please start again.
codes-error-code = That code is not right. Check the app shows Latchkey's code, and that your phone's clock is right.
codes-error-name = The name may have at most 60 characters and no control characters.
codes-error-already-enrolled = You have an authenticator app already. Remove it first to add another.
codes-error-no-app = You have no authenticator app.
codes-error-no-factor = Recovery codes need a passkey or an authenticator app first.
security-done-authenticator-added = Your authenticator app is on. You will be asked for its code when you sign in.
security-done-authenticator-removed = Your authenticator app is removed.
security-done-recovery-codes = You have new recovery codes. The old ones no longer work.
second-step-error-kind = Please choose a way to confirm it is you.

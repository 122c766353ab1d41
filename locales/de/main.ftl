# Latchkey, Deutsch.
site-name = Latchkey
site-tagline = Einmal anmelden, und jede Website, die Latchkey vertraut, kennt Sie.
error-not-found = Seite nicht gefunden
error-not-found-detail = Unter dieser Adresse gibt es nichts.
error-internal = Etwas ist schiefgegangen
error-internal-detail = Das Problem wurde protokolliert. Nennen Sie diese Kennung, wenn Sie es melden:
login-title = Anmelden oder ein Konto anlegen

## E-Mail
mail-greeting = Hallo,
mail-signature = Latchkey unter { $site }
mail-new-account-subject = Schließen Sie die Einrichtung Ihres Latchkey-Kontos ab
mail-new-account-body = Jemand, hoffentlich Sie, möchte ein Latchkey-Konto für { $email } anlegen. Über diesen Link wählen Sie Ihren Namen und Ihr Passwort:
mail-new-account-footer = Der Link funktioniert einmal, 24 Stunden lang. Wenn Sie kein Konto angefordert haben, ignorieren Sie diese Nachricht.
mail-password-recovery-subject = Setzen Sie Ihr Latchkey-Passwort zurück
mail-password-recovery-body = Jemand, hoffentlich Sie, möchte das Passwort des Latchkey-Kontos für { $email } zurücksetzen. Über diesen Link wählen Sie ein neues Passwort:
mail-password-recovery-footer = Der Link funktioniert einmal, eine Stunde lang. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert.
mail-already-registered-subject = Jemand wollte Ihre Adresse bei Latchkey registrieren
mail-already-registered-body = Jemand wollte ein neues Latchkey-Konto für { $email } anlegen, für die es schon eines gibt. Wenn Sie das waren und Ihr Passwort vergessen haben, setzen Sie es hier zurück:
mail-already-registered-footer = Der Link funktioniert einmal, eine Stunde lang. Wenn Sie es nicht waren, ignorieren Sie diese Nachricht.
mail-no-account-subject = Ihre Anfrage zum Zurücksetzen des Latchkey-Passworts
mail-no-account-body = Jemand wollte das Latchkey-Passwort für { $email } zurücksetzen, aber für diese Adresse gibt es kein Konto. Wenn Sie das waren, können Sie hier ein Konto anlegen:
mail-no-account-footer = Der Link funktioniert einmal, 24 Stunden lang. Wenn Sie es nicht waren, ignorieren Sie diese Nachricht.

## Anmeldeformular
login-email = E-Mail-Adresse
login-password = Passwort
login-action-login = Anmelden
login-action-createaccount = Ein neues Konto anlegen
login-action-resetpassword = Ich habe mein Passwort vergessen
login-choose = Was möchten Sie tun?
login-error-invalid-email = Bitte geben Sie eine gültige E-Mail-Adresse ein.
login-error-incorrect-password = Falsches Passwort für die angegebene E-Mail-Adresse.
login-error-team = Die E-Mail-Adresse { $email } kann nicht zum Anmelden verwendet werden, da sie zu einem Team gehört.
login-error-suspended = Dieses Konto wurde gesperrt. Bitte wenden Sie sich an einen Administrator.
login-error-deactivated = Dieses Konto wurde deaktiviert. Verwenden Sie „Ich habe mein Passwort vergessen“, um es wieder zu aktivieren.
login-error-already-registered = Die E-Mail-Adresse { $email } wurde bereits registriert. Wenn das Ihre ist und Sie Ihr Passwort vergessen haben, wählen Sie „Ich habe mein Passwort vergessen“, dann können Sie es ändern.
login-error-not-found = Ihre Kontodaten wurden nicht gefunden. Bitte prüfen Sie Ihre E-Mail-Adresse und versuchen Sie es erneut.
login-error-locked = Zu viele fehlgeschlagene Versuche. Bitte versuchen Sie es in { $minutes } Minuten erneut.
login-error-csrf = Dieses Formular ist abgelaufen. Bitte versuchen Sie es erneut.
login-error-bad-request = Das Formular war nicht richtig ausgefüllt. Bitte versuchen Sie es erneut.
login-check-inbox-title = Sehen Sie in Ihr Postfach
login-check-inbox = Wir haben eine Nachricht an { $email } gesendet. Folgen Sie dem Link darin, um fortzufahren.
login-check-inbox-hint = Es kann eine Minute dauern. Sehen Sie auch im Spam-Ordner nach.

## Links per E-Mail
token-invalid-title = Dieser Link kann nicht mehr verwendet werden
token-invalid = Der Link ist abgelaufen oder wurde bereits verwendet. Sie können einen neuen anfordern.
token-invalid-again = Einen neuen Link anfordern
newaccount-title = Legen Sie Ihr Konto an
newaccount-intro = Sie legen ein Konto für { $email } an.
newaccount-name = Ihr Name
newaccount-password = Wählen Sie ein Passwort
newaccount-password-again = Das Passwort noch einmal
newaccount-submit = Konto anlegen
reset-title = Wählen Sie ein neues Passwort
reset-intro = Sie wählen ein neues Passwort für { $email }.
reset-password = Neues Passwort
reset-password-again = Das neue Passwort noch einmal
reset-submit = Passwort setzen
form-error-password-short = Das Passwort muss mindestens 8 Zeichen haben.
form-error-password-long = Das Passwort darf höchstens 1.024 Bytes haben.
form-error-password-mismatch = Die beiden Passwörter stimmen nicht überein.
form-error-name = Bitte geben Sie Ihren Namen ein (höchstens 100 Zeichen).

## Konto
account-title = Ihr Konto
account-name = Name
account-emails = E-Mail-Adressen
account-email-preferred = bevorzugt
account-email-validated = bestätigt
account-email-new = nicht bestätigt
account-change-password = Passwort ändern
account-current-password = Aktuelles Passwort
account-new-password = Neues Passwort
account-new-password-again = Das neue Passwort noch einmal
account-change-password-submit = Passwort ändern
account-password-changed = Ihr Passwort wurde geändert. Überall sonst wurden Sie abgemeldet.
account-error-current-password = Das aktuelle Passwort ist nicht richtig.
account-logout = Abmelden
language-switch = Sprache

## Bei anderen Websites anmelden
consent-title = Bei { $client } anmelden
consent-question = Bei { $client } als { $person } anmelden?
consent-shares = { $client } erhält:
consent-scope-openid = Eine gleichbleibende Kennung Ihres Kontos
consent-scope-profile = Ihren Namen
consent-scope-email = Ihre E-Mail-Adresse
consent-scope-groups = Die Teams, denen Sie angehören
consent-scope-offline_access = Zugriff auch in Ihrer Abwesenheit, bis Sie ihn widerrufen
consent-allow = Erlauben
consent-deny = Ablehnen
consent-not-you = Nicht { $person }? Als jemand anderes anmelden
authorize-error-title = Diese Anmeldeanfrage kann nicht ausgeführt werden
account-apps = Anwendungen, bei denen Sie sich angemeldet haben
account-apps-none = Sie haben noch keiner Anwendung den Zugriff auf Ihr Konto erlaubt.
account-apps-revoke = Zugriff widerrufen
logout-confirm-title = Von Latchkey abmelden?
logout-confirm = Eine Anwendung möchte Sie von Latchkey abmelden. Sie werden bei allen Websites abgemeldet, die Latchkey vertrauen.
logout-done-title = Sie sind abgemeldet
logout-done = Sie wurden von Latchkey abgemeldet.
logout-error-title = Diese Abmeldeanfrage kann nicht ausgeführt werden

## Token-Seiten
token-info-title = Über dieses Token
token-purpose-new_account = Mit diesem Token schließt sein Inhaber das Anlegen eines Kontos ab.
token-purpose-password_recovery = Mit diesem Token wählt sein Inhaber ein neues Passwort.
token-purpose-validate_email = Dieses Token bestätigt eine E-Mail-Adresse.
token-purpose-bug_tracker = Mit diesem Token weist ein externer Bugtracker nach, dass er mit dieser Website spricht. Der Tracker verwendet es einmal, mit einem POST an seine Handshake-Adresse.
token-purpose-auth_delegation = Dieses Token bestätigt, dass eine Anwendung einen API-Schlüssel erhalten darf.
token-state-valid = Es kann noch verwendet werden.
token-state-used = Es wurde bereits verwendet.
token-state-expired = Es ist abgelaufen.

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

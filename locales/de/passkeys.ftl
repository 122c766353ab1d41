# Passkeys: die Anmeldeschaltfläche, der Abschnitt der Sicherheitsseite und was das Passkey-Skript sagt.
login-passkey-heading = Oder einen Passkey verwenden
login-passkey = Mit einem Passkey anmelden
passkeys-intro = Mit einem Passkey melden Sie sich per Fingerabdruck, Gesicht, Bildschirmsperre oder Sicherheitsschlüssel an statt mit einem Passwort.
passkeys-name = Name
passkeys-name-example = z. B. Laptop
passkeys-added = Hinzugefügt
passkeys-last-used = Zuletzt verwendet
passkeys-never = Nie
passkeys-none = Sie haben noch keine Passkeys.
passkeys-add = Passkey hinzufügen
passkeys-new-name = Neuer Name
passkeys-rename = Umbenennen
passkeys-remove = Entfernen
passkeys-unavailable = Passkeys setzen voraus, dass diese Website unter einem Domainnamen erreichbar ist; wenden Sie sich an Ihre Administration.
passkeys-confirm-intro = Um Passkeys hinzuzufügen, umzubenennen oder zu entfernen, geben Sie Ihr Passwort erneut ein. Es bleibt { $minutes ->
    [one] { $minutes } Minute
   *[other] { $minutes } Minuten
} lang bestätigt.
passkeys-confirm-password = Ihr Passwort
passkeys-confirm-submit = Bestätigen
security-done-passkey-added = Ihr Passkey wurde hinzugefügt.
security-done-passkey-renamed = Ihr Passkey wurde umbenannt.
security-done-passkey-removed = Ihr Passkey wurde entfernt.
passkey-error-request = Die Anfrage konnte nicht gelesen werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.
passkey-error-unavailable = Passkeys sind auf dieser Website nicht verfügbar.
passkey-error-unknown = Diesen Passkey gibt es nicht.
passkey-error-registered = Dieser Passkey ist bereits registriert.
passkey-error-refused = Die Antwort des Passkeys konnte nicht geprüft werden. Bitte versuchen Sie es erneut.
passkey-error-again = Diese Passkey-Anfrage ist abgelaufen oder wurde bereits verwendet. Bitte versuchen Sie es erneut.
passkey-error-sign-in = Mit diesem Passkey konnten Sie nicht angemeldet werden. Bitte versuchen Sie es erneut oder verwenden Sie Ihr Passwort.
passkey-error-no-step = Es wartet keine Anmeldung auf einen zweiten Schritt. Bitte melden Sie sich erneut an.
passkey-error-reauth = Bitte geben Sie Ihr Passwort erneut ein, bevor Sie Ihre Passkeys ändern.
passkey-error-name-empty = Bitte geben Sie dem Passkey einen Namen.
passkey-error-name-long = Der Name darf höchstens 64 Zeichen lang sein.
passkey-error-name-characters = Der Name darf keine Steuerzeichen enthalten.
passkeys-codes-stored = Ich habe sie aufbewahrt – weiter

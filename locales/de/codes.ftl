# Die Abschnitte Authenticator-App und Wiederherstellungscodes der Sicherheitsseite.
codes-authenticator-intro = Eine Authenticator-App auf Ihrem Telefon zeigt alle 30 Sekunden einen neuen sechsstelligen Code. Nach Ihrem Passwort fragt Latchkey nach dem aktuellen Code.
codes-add-submit = Authenticator-App hinzufügen
codes-app-name = Name
codes-app-created = Hinzugefügt
codes-app-last-used = Zuletzt benutzt
codes-app-never = Nie
codes-remove-submit = Authenticator-App entfernen
codes-reauth-password = Ihr Passwort
codes-reauth-hint = Geben Sie für diese Änderung Ihr Passwort erneut ein: Sie haben es zuletzt vor mehr als { $minutes ->
    [one] { $minutes } Minute
   *[other] { $minutes } Minuten
} eingegeben.
codes-enrol-scan = Scannen Sie diesen QR-Code mit Ihrer Authenticator-App oder tippen Sie das Geheimnis ein. Geben Sie dann den Code ein, den die App zeigt.
codes-enrol-qr-alt = QR-Code zum Scannen mit Ihrer Authenticator-App
codes-enrol-secret = Geheimnis
codes-enrol-uri = Einrichtungslink
codes-enrol-code = Code, den die App jetzt zeigt
codes-enrol-name = Name der App (freiwillig)
codes-enrol-name-default = Authenticator-App
codes-enrol-submit = Bestätigen und einschalten
codes-enrol-cancel = Abbrechen
codes-fresh-heading = Ihre neuen Wiederherstellungscodes
codes-fresh-note = Bewahren Sie diese Codes sicher auf, etwa in einem Passwort-Manager oder auf Papier. Jeder Code gilt einmal, anstelle Ihres Passkeys oder App-Codes. Sie werden nur jetzt angezeigt.
codes-recovery-left = { $count ->
    [0] Sie haben keine unbenutzten Wiederherstellungscodes mehr. Erstellen Sie neue.
    [one] Sie haben noch einen unbenutzten Wiederherstellungscode.
   *[other] Sie haben noch { $count } unbenutzte Wiederherstellungscodes.
}
codes-recovery-renew-hint = Neue Codes ersetzen die alten, die dann nicht mehr gelten.
codes-recovery-renew-submit = Neue Codes erstellen
codes-recovery-none-yet = Wiederherstellungscodes erhalten Sie mit Ihrem ersten Passkey oder Ihrer ersten Authenticator-App.
codes-error-reauth = Geben Sie für diese Änderung Ihr Passwort erneut ein.
codes-error-no-enrolment = Es wird gerade keine Authenticator-App hinzugefügt. Bitte beginnen Sie neu.
codes-error-code = Dieser Code stimmt nicht. Prüfen Sie, ob die App den Code für Latchkey zeigt und die Uhr Ihres Telefons richtig geht.
codes-error-name = Der Name darf höchstens 60 Zeichen und keine Steuerzeichen enthalten.
codes-error-already-enrolled = Sie haben bereits eine Authenticator-App. Entfernen Sie sie zuerst, um eine andere hinzuzufügen.
codes-error-no-app = Sie haben keine Authenticator-App.
codes-error-no-factor = Wiederherstellungscodes setzen einen Passkey oder eine Authenticator-App voraus.
security-done-authenticator-added = Ihre Authenticator-App ist eingeschaltet. Beim Anmelden werden Sie nach ihrem Code gefragt.
security-done-authenticator-removed = Ihre Authenticator-App ist entfernt.
security-done-recovery-codes = Sie haben neue Wiederherstellungscodes. Die alten gelten nicht mehr.
second-step-error-kind = Bitte wählen Sie, wie Sie sich bestätigen möchten.

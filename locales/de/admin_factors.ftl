# Hinweise zu zweiten Faktoren, ihre Verwaltung und die Team-Regel.

## Hinweise (templates/email/factor_changed)
mail-factor-added-subject = { $kind ->
    [passkey] Ihrem Latchkey-Konto wurde ein Passkey hinzugefügt
    [recovery-codes] Ihrem Latchkey-Konto wurden Wiederherstellungscodes hinzugefügt
   *[other] Ihrem Latchkey-Konto wurde eine Authenticator-App hinzugefügt
}
mail-factor-added-body = { $kind ->
    [passkey] Dem Latchkey-Konto von { $email } wurde ein Passkey namens „{ $name }“ hinzugefügt. Er kann jetzt zur Anmeldung verwendet werden.
    [recovery-codes] Dem Latchkey-Konto von { $email } wurden Wiederherstellungscodes hinzugefügt. Jeder kann einmal zur Anmeldung verwendet werden.
   *[other] Dem Latchkey-Konto von { $email } wurde eine Authenticator-App namens „{ $name }“ hinzugefügt. Ihre Codes werden jetzt bei der Anmeldung abgefragt.
}
mail-factor-removed-subject = { $kind ->
    [passkey] Von Ihrem Latchkey-Konto wurde ein Passkey entfernt
    [recovery-codes] Von Ihrem Latchkey-Konto wurden die Wiederherstellungscodes entfernt
   *[other] Von Ihrem Latchkey-Konto wurde eine Authenticator-App entfernt
}
mail-factor-removed-body = { $kind ->
    [passkey] Der Passkey namens „{ $name }“ wurde vom Latchkey-Konto von { $email } entfernt. Er kann nicht mehr zur Anmeldung verwendet werden.
    [recovery-codes] Die Wiederherstellungscodes des Latchkey-Kontos von { $email } wurden entfernt. Sie können nicht mehr zur Anmeldung verwendet werden.
   *[other] Die Authenticator-App namens „{ $name }“ wurde vom Latchkey-Konto von { $email } entfernt. Ihre Codes werden nicht mehr angenommen.
}
mail-factor-code-used-subject = Mit einem Wiederherstellungscode wurde sich bei Ihrem Latchkey-Konto angemeldet
mail-factor-code-used-body = Beim Latchkey-Konto von { $email } wurde sich mit einem Wiederherstellungscode angemeldet. Jeder Code funktioniert einmal.
mail-factor-codes-left = { $left ->
    [0] Es sind keine Wiederherstellungscodes mehr übrig: Erstellen Sie auf Ihrer Sicherheitsseite neue.
    [one] Es ist noch ein Wiederherstellungscode übrig.
   *[other] Es sind noch { $left } Wiederherstellungscodes übrig.
}
mail-factor-codes-renewed-subject = Für Ihr Latchkey-Konto wurden neue Wiederherstellungscodes erstellt
mail-factor-codes-renewed-body = Für das Latchkey-Konto von { $email } wurde ein neuer Satz Wiederherstellungscodes erstellt. Die alten Codes funktionieren nicht mehr.
mail-factor-all-removed-subject = Ein Administrator hat die zweiten Faktoren Ihres Latchkey-Kontos entfernt
mail-factor-all-removed-body = Ein Administrator hat alle Passkeys, die Authenticator-App und alle Wiederherstellungscodes des Latchkey-Kontos von { $email } entfernt. Bis Sie wieder einen Faktor hinzufügen, meldet Sie Ihr Passwort allein an.
mail-factor-advice = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, melden Sie sich sofort an, prüfen Sie Ihre Sicherheitsseite (entfernen Sie alles, was Sie nicht kennen) und ändern Sie Ihr Passwort; wenn Sie sich nicht anmelden können, wenden Sie sich an Ihren Administrator. Ihre Sicherheitsseite:
mail-factor-advice-admin = Wenn Sie Ihren Administrator nicht darum gebeten haben, wenden Sie sich sofort an ihn. Um wieder einen Passkey oder eine Authenticator-App hinzuzufügen, melden Sie sich an und öffnen Sie Ihre Sicherheitsseite:
mail-factor-no-secret = Diese Nachricht enthält nie einen Code oder ein Geheimnis.

## Die Team-Regel (login.require_second_factor_for_teams)
enrol-required-heading = Fügen Sie einen zweiten Faktor hinzu, um fortzufahren
enrol-required = { $count ->
    [one] Mitglieder des Teams { $teams } müssen sich mit einem zweiten Faktor anmelden.
   *[other] Mitglieder der Teams { $teams } müssen sich mit einem zweiten Faktor anmelden.
} Fügen Sie unten einen Passkey oder eine Authenticator-App hinzu: Bis dahin warten Ihre anderen Seiten und Anwendungen hier.
enrol-done = Danke: Ihr Konto hat jetzt einen zweiten Faktor.
enrol-continue = Dorthin weitergehen, wohin Sie wollten

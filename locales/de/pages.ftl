## Die Seiten des Kontobereichs, die Kopfzeile der Angemeldeten und Zeiten auf den Seiten

## Zeiten (Pluralformen nach Anzahl)
time-just-now = gerade eben
time-minutes-ago = { $count ->
    [one] vor { $count } Minute
   *[other] vor { $count } Minuten
}
time-hours-ago = { $count ->
    [one] vor { $count } Stunde
   *[other] vor { $count } Stunden
}
time-days-ago = { $count ->
    [one] vor { $count } Tag
   *[other] vor { $count } Tagen
}
time-on-date = am { $date }
date = { $day }. { $month } { $year }
date-time = { $day }. { $month } { $year }, { $time } UTC
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember

## Kopfzeile jeder Seite
me-menu-label = Angemeldet als { $name }
me-menu-account = Ihr Konto
home-signed-in = Sie sind als { $name } angemeldet.
home-go-to-account = Zu Ihrem Konto

## Navigation des Kontobereichs
account-nav-label = Ihr Konto
account-nav-profile = Profil
account-nav-security = Sicherheit
account-nav-sessions = Sitzungen
account-nav-apps = Anwendungen
account-nav-api-keys = API-Schlüssel

## Profil
profile-title = Profil
profile-name-change = Namen ändern
profile-name-label = Neuer Name
profile-name-hint = Wird auf diesen Seiten angezeigt und den Anwendungen, denen Sie Ihren Namen freigeben. Höchstens 100 Zeichen.
profile-name-submit = Namen speichern
profile-done-name = Ihr Name wurde geändert.

## Sicherheit
security-page-title = Sicherheit
security-done-password-changed = Ihr Passwort wurde geändert. Überall sonst wurden Sie abgemeldet.

## Sitzungen
sessions-title = Sitzungen
sessions-intro = Die Browser, die bei Ihrem Konto angemeldet sind. Melden Sie alle ab, die Sie nicht kennen, und ändern Sie Ihr Passwort.
sessions-device = { $browser } auf { $system }
sessions-device-unknown-browser = Ein Browser auf { $system }
sessions-device-unknown = Unbekannter Browser

## Anwendungen
apps-title = Anwendungen
apps-intro = Die Anwendungen, denen Sie die Nutzung Ihres Kontos erlaubt haben, und was jede erhält. Wenn Sie den Zugriff widerrufen, werden Sie bei der Anwendung abgemeldet; sie fragt bei der nächsten Anmeldung erneut.
apps-receives = Erhält
apps-granted = erlaubt { $when }
table-actions = Aktionen

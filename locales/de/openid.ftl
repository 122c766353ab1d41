# OpenID 2.0: Seiten der Kennungen, die Entscheidungsseite und Realms auf der Anwendungsseite.
openid-identity-title = OpenID-Kennung
openid-identity-intro = Diese Adresse ist die OpenID-Kennung eines Kontos auf dieser Website. Websites, die OpenID annehmen, können damit seine Inhaberin oder seinen Inhaber anmelden; sonst verrät sie nichts über sie.
openid-decide-title = Bei { $realm } anmelden
openid-decide-question = Als { $person } bei { $realm } anmelden?
openid-decide-unverified = { $realm } konnte nicht überprüft werden: { $reason }
openid-decide-shares = { $realm } erhält:
openid-decide-identifier = Eine gleichbleibende Kennung Ihres Kontos
openid-decide-required = erforderlich
openid-decide-remember = Ihre Antwort wird gespeichert: Diese Website fragt nicht erneut, bis Sie den Zugriff auf Ihrer Anwendungsseite widerrufen.
openid-decide-allow = Anmelden
openid-decide-cancel = Abbrechen
openid-decide-not-you = Nicht { $person }? Als jemand anderes anmelden
openid-field-fullname = Ihr Name
openid-field-nickname = Ihr Spitzname
openid-field-email = Ihre E-Mail-Adresse
openid-field-teams = Zu welchen der erfragten Teams Sie gehören
openid-apps-heading = Websites, bei denen Sie sich mit OpenID 2.0 angemeldet haben
openid-apps-decided = erlaubt { $when }
openid-apps-last-used = zuletzt genutzt { $when }
openid-apps-identifier-only = Nur eine Kennung Ihres Kontos
openid-apps-revoke = Widerrufen

openid-error-title = Diese Anmeldung kann nicht fortgesetzt werden
openid-error-finished = Diese Anmeldeanfrage wurde bereits beantwortet oder ist abgelaufen. Gehen Sie zurück zur Website und melden Sie sich erneut an.

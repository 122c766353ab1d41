# Die Anwendung, für die angemeldet wird, und der Weg zurück von Fehlerseiten.
login-continue-to = weiter zu { $app } auf { $host }
consent-app-host = { $client } ist unter { $host } erreichbar: Ihre Antwort führt Sie dorthin zurück.

## Fehlerseiten
error-reference = Referenz: { $reference }
error-home = Zur Startseite
error-account = Zu Ihrem Konto
error-bad-request-detail = Etwas an der Adresse oder am Formular konnte nicht gelesen werden. Gehen Sie zurück und versuchen Sie es erneut.
error-too-large = Diese Anfrage ist zu groß
error-too-large-detail = Sie enthält mehr, als diese Website annimmt. Gehen Sie zurück und versuchen Sie es mit weniger.
error-too-many = Zu viele Anfragen
error-too-many-detail = Bitte warten Sie einen Moment und versuchen Sie es dann erneut.
error-request = Diese Anfrage kann nicht beantwortet werden
error-request-detail = Gehen Sie zurück zur vorigen Seite und versuchen Sie es von dort aus erneut.
token-unknown-title = Dieses Token ist unbekannt
token-unknown = Unter dieser Adresse gibt es kein Token. Prüfen Sie, ob die ganze Adresse kopiert wurde; ein Token kann auch entfernt worden sein, nachdem es abgelaufen ist.

# Die Anwendung, für die angemeldet wird, und der Weg zurück von Fehlerseiten.
login-continue-to = weiter zu { $app } auf { $host }
consent-app-host = { $client } ist unter { $host } erreichbar: Ihre Antwort führt Sie dorthin zurück.

# Die Schaltfläche zum Kopieren neben einem einmal gezeigten Geheimnis (static/js/copy.js).
copy-button = Kopieren
copy-copied = Kopiert
copy-failed = Text markieren und kopieren

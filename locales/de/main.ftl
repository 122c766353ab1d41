# Latchkey, Deutsch.
site-name = Latchkey
site-tagline = Einmal anmelden, und jede Website, die Latchkey vertraut, kennt Sie.
error-not-found = Seite nicht gefunden
error-not-found-detail = Unter dieser Adresse gibt es nichts.
error-internal = Etwas ist schiefgegangen
error-internal-detail = Das Problem wurde protokolliert. Nennen Sie diese Kennung, wenn Sie es melden:
login-title = Anmelden oder ein Konto anlegen

# Die --help-Texte der Befehlszeile (die Wörter von clap selbst, wie "Usage:", bleiben Englisch).
# { "{" } und { "}" } schreiben eine geschweifte Klammer.

## asteroid-stager
cli-help-about = Dateien über die Asteroid Agents API bereitstellen und ihre IDs kopieren.
cli-help-no-command = Ohne Befehl öffnet sich das Fenster (mit den FILES bereits hinzugefügt).
cli-help-files = Dateien, die im Fenster hinzugefügt werden, so wie ein Dateimanager sie mit „Öffnen mit“ übergibt
cli-help-stage = Dateien bereitstellen und { "{" }"tempFiles":[…]{ "}" } für eine Agent-Ausführung ausgeben
cli-help-history = Bereitgestellte Dateien auflisten, die noch nicht abgelaufen sind (ihre IDs sind weiter verwendbar)
cli-help-key = Den API-Schlüssel im Schlüsselbund des Systems speichern, prüfen oder entfernen

## asteroid-stager stage
cli-help-stage-org = Organisations-ID (Standard: ASTEROID_ORG_ID, die Einstellungen oder die einzige Organisation des Schlüssels)
cli-help-stage-base-url = API-Adresse (Standard: ASTEROID_BASE_URL, die Einstellungen oder https://odyssey.asteroid.ai/agents/v2)
cli-help-stage-wait = Wie lange auf das Netzwerk gewartet wird, wenn der Server nicht erreichbar ist (z. B. 30s, 10m, 1h); bei 0 schlägt es nach den üblichen Wiederholungen sofort fehl
cli-help-stage-files = Die Dateien (oder Ordner), die bereitgestellt werden sollen

## asteroid-stager history
cli-help-history-json = { "{" }"tempFiles":[…]{ "}" } (für Skripte) statt einer Liste ausgeben
cli-help-history-all = Auch abgelaufene Dateien anzeigen
cli-help-history-org = Die Dateien dieser Organisation auflisten (Standard: ASTEROID_ORG_ID oder die Einstellungen, wie bei `stage`)
cli-help-history-base-url = Die auf dieser API-Adresse bereitgestellten Dateien auflisten (Standard: ASTEROID_BASE_URL, die Einstellungen oder https://odyssey.asteroid.ai/agents/v2)
cli-help-history-all-orgs = Die Dateien aller Organisationen auf allen Servern auflisten, jeweils unter ihrer Organisation

## asteroid-stager key
cli-help-key-set = Den Schlüssel von der Standardeingabe lesen (im Terminal nicht angezeigt) und speichern
cli-help-key-status = Anzeigen, ob für den Server ein Schlüssel gespeichert ist
cli-help-key-delete = Den gespeicherten Schlüssel für den Server entfernen
cli-help-key-base-url = Die API-Adresse, zu der der Schlüssel gehört (der Schlüsselbund speichert einen Schlüssel pro Server)

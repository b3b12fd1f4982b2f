# Texte der Befehlszeile für Menschen (stderr). Das JSON auf stdout wird nie übersetzt.

## Jeder Befehl
cli-wait-not-a-duration = „{ $text }“ ist keine Dauer; schreiben Sie sie wie 30s, 10m oder 1h (0, um nicht zu warten)
cli-ids-not-written = Die IDs konnten nicht ausgegeben werden ({ $reason }). Sie sind im Verlauf gespeichert: `asteroid-stager history --json` gibt sie aus.
cli-reader-stopped = das lesende Programm wurde beendet
cli-disk-full = der Datenträger ist voll
cli-note = Hinweis: { $text }
cli-nothing-uploaded = Es wurde nichts hochgeladen.
cli-window-failed = Das Fenster konnte nicht geöffnet werden: { $reason }
cli-window-failed-use-cli = Die Befehlszeile funktioniert weiterhin: asteroid-stager stage DATEI...

## stage
cli-could-not-start = Start nicht möglich: { $reason }
cli-stopped = Gestoppt. Was bereitgestellt wurde, steht im Verlauf (asteroid-stager history).
cli-queue-stopped = Die Warteschlange wurde unerwartet beendet.
cli-folder-nothing-to-stage = { $folder }: Darin ist nichts, was bereitgestellt werden kann. Prüfen Sie, ob es der gemeinte Ordner ist.
cli-skipped = Übersprungen: { $problem }
cli-nothing-to-stage = In der Angabe ist keine Datei, die bereitgestellt werden kann.
cli-server-unreachable = der Server ist nicht erreichbar
cli-waiting-for-network = Warten auf das Netzwerk ({ $reason })… neuer Versuch in { $seconds } s. Strg+C zum Beenden.
cli-interrupted-before-sending = Unterbrochen, bevor etwas gesendet wurde. Es wurde nichts hochgeladen.
cli-staging = Bereitstellen von { $files } ({ $size }) für die Organisation { $organization } auf { $host }…
cli-over-limit = Hinweis: Eine Ausführung nimmt insgesamt höchstens { $limit } an Dateien an; diese hier haben { $size }.
cli-some-staged = { $staged } von { $count ->
    [one] { $count } Datei
   *[other] { $count } Dateien
} bereitgestellt.
cli-all-staged = { $count ->
    [one] Die Datei ist bereitgestellt. Sie läuft in { $lifetime } ab
   *[other] Alle { $count } Dateien sind bereitgestellt. Sie laufen in { $lifetime } ab
}; übergeben Sie das JSON unten als „tempFiles“, wenn Sie eine Agent-Ausführung starten.
cli-interrupted = Unterbrochen: Laufende Übertragungen werden abgebrochen… (erneut Strg+C zum sofortigen Beenden)
cli-a-file = eine Datei
cli-retrying = { $name } wird in { $seconds } s erneut versucht (Versuch { $attempt } fehlgeschlagen): { $reason }
cli-network-down = Warten auf das Netzwerk: { $reason }
cli-network-down-retry = Neuer Versuch in { $seconds } s, insgesamt bis zu { $wait } (--wait); Strg+C beendet.
cli-network-back = Der Server ist wieder erreichbar; das Bereitstellen geht weiter.
cli-staged-one = Bereitgestellt: { $name } → { $id }
cli-failed = Fehlgeschlagen: { $name }: { $error }
cli-cancelled = Abgebrochen: { $name }
cli-history-not-saved = Warnung: Der Verlauf konnte nicht gespeichert werden ({ $reason }). Die unten ausgegebenen IDs sind trotzdem gültig.
cli-progress = { $done } von { $total }
cli-key-how = Führen Sie `asteroid-stager key set` aus, und fügen Sie Ihren Schlüssel ein (von platform.asteroid.ai → Profil → API Keys), oder setzen Sie { $env }.
cli-no-key-stored = Für { $host } ist kein API-Schlüssel gespeichert. { $how }
cli-no-key = Kein API-Schlüssel: { $problem }
cli-organization-not-found = Ihre Organisation konnte über den Schlüssel nicht ermittelt werden: { $problem }
cli-several-organizations = Der Schlüssel gehört zu { $count } Organisationen; geben Sie mit --org (oder { $env }) an, zu welcher:
cli-no-organization = Der Schlüssel gehört zu keiner Organisation und kann daher keine Dateien bereitstellen. Prüfen Sie den Schlüssel, oder geben Sie --org an.

## history
cli-history-unreadable = Die Liste der bereitgestellten Dateien konnte nicht gelesen werden ({ $reason }). Sie liegt in { $path }.
cli-history-none-yet = Von diesem Computer wurde noch keine Datei bereitgestellt (oder die Liste wurde geleert).
cli-history-none-valid = Keine bereitgestellte Datei ist noch gültig: Bereitgestellte Dateien laufen nach { $lifetime } ab.
cli-history-none-here = Für die Organisation { $organization } auf { $host } ist keine bereitgestellte Datei aufgeführt. { $elsewhere }
cli-history-how-to-stage = Stellen Sie Dateien mit `asteroid-stager stage DATEI...` oder im Fenster bereit.
cli-history-heading = Organisation { $organization } auf { $server }:
cli-history-expired = abgelaufen
cli-history-summary = { $count ->
    [one] { $count } Datei
   *[other] { $count } Dateien
}. `asteroid-stager history --json` gibt sie als { $json } aus.
cli-history-summary-for = { $count ->
    [one] { $count } Datei
   *[other] { $count } Dateien
} für die Organisation { $organization } auf { $host }. `asteroid-stager history --json` gibt sie als { $json } aus.
cli-history-elsewhere = { $count ->
    [one] { $count } für andere Organisationen oder Server bereitgestellte Datei ist nicht aufgeführt
   *[other] { $count } für andere Organisationen oder Server bereitgestellte Dateien sind nicht aufgeführt
} (`--all-orgs` führt sie auf).
cli-history-several-scopes = Die bereitgestellten Dateien gehören zu { $count } Organisationen oder Servern, und eine Liste von IDs kann nur in einer verwendet werden. Geben Sie mit --org (oder { $env }) an, welche, oder --all-orgs für alle:
cli-history-not-written = Die Liste konnte nicht ausgegeben werden ({ $reason }). Die Dateien sind weiterhin im Verlauf: Führen Sie `asteroid-stager history` mit einer anderen Ausgabe erneut aus.

## key
cli-key-saved = Der API-Schlüssel für { $host } wurde gespeichert in: { $place }.
cli-key-stored = Ein API-Schlüssel für { $host } ist gespeichert in: { $place }.
cli-key-environment-too = { $env } ist ebenfalls gesetzt und wird stattdessen verwendet.
cli-key-environment-only = Für { $host } ist kein API-Schlüssel gespeichert; { $env } ist gesetzt und wird verwendet.
cli-key-none = Für { $host } ist kein API-Schlüssel gespeichert. Führen Sie `asteroid-stager key set` aus, und fügen Sie ihn ein.
cli-key-removed = Der API-Schlüssel für { $host } wurde aus dem Schlüsselbund entfernt.
cli-key-nothing-to-remove = Für { $host } war kein API-Schlüssel zum Entfernen vorhanden.
cli-key-prompt = Fügen Sie Ihren API-Schlüssel ein (von platform.asteroid.ai → Profil → API Keys; er wird nicht angezeigt):{ " " }
cli-key-unreadable = Der Schlüssel konnte nicht gelesen werden: { $reason }
cli-key-unreadable-stdin = Der Schlüssel konnte nicht von der Standardeingabe gelesen werden: { $reason }

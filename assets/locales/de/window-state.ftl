# Texts the window's state words: notices, form errors, the desktop notification.

## Notices under the top bar
notice-cancel = Abbrechen
notice-resumed = { $count ->
    [one] { $count } Datei, die beim Schließen von Asteroid Stager nicht fertig war, wird jetzt bereitgestellt.
   *[other] { $count } Dateien, die beim Schließen von Asteroid Stager nicht fertig waren, werden jetzt bereitgestellt.
}
notice-resumed-maybe-twice = { $count ->
    [one] Eine davon ist möglicherweise doppelt auf dem Server (sie wurde gerade gesendet, als Asteroid Stager geschlossen wurde); die zusätzliche Kopie wird nie verwendet und läuft von selbst ab.
   *[other] { $count } davon sind möglicherweise doppelt auf dem Server (sie wurden gerade gesendet, als Asteroid Stager geschlossen wurde); die zusätzlichen Kopien werden nie verwendet und laufen von selbst ab.
}
notice-not-resumed = { $count ->
    [one] { $count } Datei, die beim Schließen von Asteroid Stager nicht fertig war, wurde nicht erneut bereitgestellt: sie wurde seitdem geändert oder ist nicht mehr vorhanden ({ $names }). Fügen Sie sie erneut hinzu, wenn Sie sie noch brauchen.
   *[other] { $count } Dateien, die beim Schließen von Asteroid Stager nicht fertig waren, wurden nicht erneut bereitgestellt: sie wurden seitdem geändert oder sind nicht mehr vorhanden ({ $names }). Fügen Sie sie erneut hinzu, wenn Sie sie noch brauchen.
}
notice-two-sentences = { $first } { $second }
notice-internal-error = ein interner Fehler hat den Vorgang unterbrochen ({ $reason })

## The desktop notification when a group is staged while the window is in the background
notice-notification-staged = { $count ->
    [one] { $count } Datei bereitgestellt; die IDs können kopiert werden.
   *[other] { $count } Dateien bereitgestellt; die IDs können kopiert werden.
}
notice-notification-staged-failed = { $count ->
    [one] { $count } Datei bereitgestellt, { $failed } fehlgeschlagen: Öffnen Sie das Fenster, um den Grund zu sehen.
   *[other] { $count } Dateien bereitgestellt, { $failed } fehlgeschlagen: Öffnen Sie das Fenster, um den Grund zu sehen.
}

## Key, organization and server
connection-base-url-from-env = { $problem } (aus { $variable })
connection-signed-out = Abgemeldet: Der API-Schlüssel wurde von diesem Computer entfernt. Geben Sie einen Schlüssel ein, um wieder Dateien bereitzustellen.
connection-key-not-removed = Der Schlüssel konnte nicht aus dem Schlüsselbund entfernt werden. { $reason }
connection-env-key-still-set = { $variable } ist in der Umgebung noch gesetzt; entfernen Sie die Variable, um diesen Schlüssel nicht mehr zu verwenden.
connection-settings-not-saved = Die Einstellungen konnten nicht unter { $path } gespeichert werden ({ $reason }); sie gelten, bis das Fenster geschlossen wird.
connection-unreachable = { $host } war nicht erreichbar

## The staged list
staged-state-earlier = Früher
staged-state-history-not-saved = Die Liste der bereitgestellten Dateien konnte nicht unter { $path } gespeichert werden ({ $reason }). Die IDs stehen unten; kopieren Sie sie, bevor Sie das Fenster schließen. Das Speichern wird von selbst erneut versucht.
staged-state-history-saved-again = { $count ->
    [one] Die Liste der bereitgestellten Dateien ist wieder gespeichert ({ $count } wartender Eintrag in { $path } geschrieben).
   *[other] Die Liste der bereitgestellten Dateien ist wieder gespeichert ({ $count } wartende Einträge in { $path } geschrieben).
}
staged-state-history-change-not-saved = Die Liste der bereitgestellten Dateien konnte nicht gespeichert werden ({ $reason }). Prüfen Sie, ob { $path } beschreibbar ist.

## Stage again
restage-source-unknown = { $count ->
    [one] { $names } kann hier nicht erneut bereitgestellt werden: Der Speicherort der Datei ist unbekannt (sie wurde mit einer älteren Version bereitgestellt). Fügen Sie sie stattdessen neu hinzu.
   *[other] { $names } können hier nicht erneut bereitgestellt werden: Der Speicherort der Dateien ist unbekannt (sie wurden mit einer älteren Version bereitgestellt). Fügen Sie sie stattdessen neu hinzu.
}
restage-gone = Die ursprüngliche Datei liegt nicht mehr unter { $path }. Wenn Sie sie verschoben oder umbenannt haben, fügen Sie sie von ihrem neuen Ort aus erneut hinzu.
restage-gone-several = { $count } ursprüngliche Dateien liegen nicht mehr dort, wo sie waren ({ $paths }). Wenn Sie sie verschoben oder umbenannt haben, fügen Sie sie von ihrem neuen Ort aus erneut hinzu.

## Adding files
uploads-state-clipboard-empty = Die Zwischenablage enthält weder ein Bild noch Dateien. Kopieren Sie einen Screenshot oder Dateien im Dateimanager und drücken Sie dann hier Strg+V.
uploads-state-image-not-saved = Das eingefügte Bild konnte nicht zum Bereitstellen gespeichert werden ({ $reason }).
uploads-state-no-file-chosen = Es wurde keine Datei ausgewählt. Falls kein Dateidialog erschienen ist, ziehen Sie die Dateien stattdessen auf dieses Fenster.
uploads-state-file-note = { $name }: { $note }
uploads-state-refused = { $count ->
    [one] { $count } Element konnte nicht hinzugefügt werden; die Liste unten nennt den Grund.
   *[other] { $count } Elemente konnten nicht hinzugefügt werden; die Liste unten nennt die Gründe.
}
uploads-state-dialog-files = Dateien zum Bereitstellen hinzufügen
uploads-state-dialog-folders = Ordner zum Bereitstellen hinzufügen

# Die Liste der bereitgestellten Dateien (staged-…) und die Uploads (uploads-…).

## Bereitgestellte Dateien

-staged-json-form = für sich gültiges JSON und der Anfang des Anfrage-Bodys einer Agent-Ausführung

staged-heading = Bereitgestellte Dateien
staged-kept-for = Asteroid bewahrt jede Datei nach dem Bereitstellen { $lifetime } lang auf.
staged-elsewhere = { $count ->
    [one] { $count } Datei, bereitgestellt für andere Organisationen oder Server, wird nicht angezeigt.
   *[other] { $count } Dateien, bereitgestellt für andere Organisationen oder Server, werden nicht angezeigt.
}
staged-empty = Bereitgestellte Dateien erscheinen hier mit ihrer Datei-ID, bereit zum Kopieren.
staged-clear-all-question = { $count ->
    [one] Den { $count } Eintrag aus dieser Liste entfernen? Eine noch nicht abgelaufene Datei bleibt auf dem Server, ihre ID wird hier aber nicht mehr angezeigt.
   *[other] Alle { $count } Einträge aus dieser Liste entfernen? Noch nicht abgelaufene Dateien bleiben auf dem Server, ihre IDs werden hier aber nicht mehr angezeigt.
}
staged-clear-all-yes = Ja, Liste leeren
staged-clear-all-no = Liste behalten
staged-no-match = Keine bereitgestellte Datei passt zu „{ $filter }“.
staged-filter = Filter
staged-filter-hint = Name oder ID (Strg+F)
staged-filter-clear = Filter löschen
staged-filter-clear-hover = Filter löschen (Esc)
staged-shown-count = { $shown } von { $total } angezeigt
staged-copy-all-ids = Alle IDs kopieren
staged-copy-all-ids-hover = Die noch nicht abgelaufenen Dateien: ihre IDs, eine pro Zeile
staged-copy-all-json = Als tempFiles-JSON kopieren
staged-copy-all-json-hover = Die noch nicht abgelaufenen Dateien als { $json }: { -staged-json-form }
staged-copy-shown-ids = Angezeigte IDs kopieren
staged-copy-shown-ids-hover = Die angezeigten Dateien (noch nicht abgelaufen): ihre IDs, eine pro Zeile
staged-copy-shown-json = Angezeigte als tempFiles-JSON
staged-copy-shown-json-hover = Die angezeigten Dateien (noch nicht abgelaufen) als { $json }: { -staged-json-form }
staged-stage-expired-again = Abgelaufene neu bereitstellen
staged-stage-expired-again-hover = Jede abgelaufene Datei erneut von ihrer Datei auf diesem Computer bereitstellen; die neuen IDs ersetzen die alten
staged-clear-expired = Abgelaufene entfernen
staged-clear-expired-hover = Die Dateien, die Asteroid bereits gelöscht hat, aus dieser Liste entfernen
staged-clear-all = Alle entfernen…
staged-more = Weitere Listenaktionen
staged-more-hover = Abgelaufene neu bereitstellen, abgelaufene entfernen, alle entfernen
staged-selected = { $count ->
    [one] { $count } Datei ausgewählt · { $size }
   *[other] { $count } Dateien ausgewählt · { $size }
}
staged-tick-hint = Dateien ankreuzen, um mehrere auf einmal zu kopieren
staged-copy-selected-json = Auswahl als tempFiles-JSON
staged-copy-selected-json-hover = Die ausgewählten, noch nicht abgelaufenen Dateien als { $json }: { -staged-json-form }
staged-copy-selected-ids = Ausgewählte IDs kopieren
staged-copy-selected-ids-hover = Die IDs der ausgewählten, noch nicht abgelaufenen Dateien, eine pro Zeile
staged-clear-selection = Auswahl aufheben
staged-over-limit = mehr als die { $limit }, die eine Ausführung nutzen darf
staged-group-title = { $group } um { $time } · { $count ->
    [one] { $count } Datei
   *[other] { $count } Dateien
} · { $size }
staged-group-title-undated = { $group } · { $count ->
    [one] { $count } Datei
   *[other] { $count } Dateien
} · { $size }
staged-group-stage-again-hover = Die abgelaufenen Dateien dieser Gruppe erneut bereitstellen; die neuen IDs ersetzen die alten
staged-group-stage-again-name = Abgelaufene neu bereitstellen in { $group }
staged-select = Auswählen
staged-select-name = { $name } auswählen
staged-group-copy-json = tempFiles-JSON kopieren
staged-group-copy-json-hover = Die noch nicht abgelaufenen Dateien dieser Gruppe als { $json }: { -staged-json-form }
staged-group-copy-json-name = tempFiles-JSON von { $group } kopieren
staged-staged-as = Bereitgestellt als „{ $name }“ · { $size }
staged-stage-again = Neu bereitstellen
staged-stage-again-hover = Die Datei erneut von diesem Computer bereitstellen; die neue ID ersetzt diese
staged-restaging-hover = Wird erneut bereitgestellt: Die neue ID erscheint hier
staged-stage-again-name = { $name } neu bereitstellen
staged-expired = abgelaufen
staged-copy = Kopieren
staged-copy-name = Datei-ID von { $name } kopieren
staged-same-names-title = Dateien mit gleichem Namen kopieren?
staged-same-names-one = { $count ->
    [one] { $count } heißt „{ $name }“
   *[other] { $count } heißen „{ $name }“
}
staged-list-separator = {", "}
staged-same-names-question = { $count ->
    [one] Von { $count } zu kopierenden Datei: { $names }.
   *[other] Von den { $count } zu kopierenden Dateien: { $names }.
}
staged-same-names-explain = Ein Agent, der diese Dateien erhält, bekommt für verschiedene Dateien denselben Namen und kann sie nicht unterscheiden. Benennen Sie sie um und stellen Sie sie neu bereit, oder kopieren Sie sie unverändert.
staged-copy-anyway = Trotzdem kopieren
staged-dont-copy = Nicht kopieren
staged-copied = In die Zwischenablage kopiert
staged-copied-id = Datei-ID von { $name } kopiert

## Uploads

uploads-heading = Uploads
uploads-looking = Dateien werden geprüft…
uploads-summary-staging = Bereitstellen: { $current } von { $total }
uploads-summary-failed = { $count } fehlgeschlagen
uploads-summary-cancelled = { $count } abgebrochen
uploads-cancel-all = Alle abbrechen
uploads-cancel-all-hover = Alle Uploads stoppen, die noch nicht abgeschlossen sind
uploads-retry-failed = Fehlgeschlagene erneut
uploads-retry-failed-hover = Die fehlgeschlagenen Dateien erneut senden (nur diese)
uploads-clear-finished = Erledigte entfernen
uploads-clear-finished-hover = Die fehlgeschlagenen, abgebrochenen und abgelehnten Dateien aus dieser Liste entfernen
uploads-network-retrying-now = Warten auf das Netzwerk… neuer Versuch jetzt
uploads-network-retrying-in = Warten auf das Netzwerk… neuer Versuch in { $seconds } s
uploads-retry-now = Jetzt erneut versuchen
uploads-retry-now-hover = Sofort erneut versuchen, den Server zu erreichen
uploads-progress-of = Fortschritt von { $name }
uploads-cancel = Abbrechen
uploads-cancel-name = { $name } abbrechen
uploads-retry = Erneut versuchen
uploads-retry-name = { $name } erneut versuchen
uploads-remove = Entfernen
uploads-remove-name = { $name } entfernen
uploads-status-held = Wartet auf Ihre Antwort oben
uploads-status-waiting = Wartet auf das Senden
uploads-status-network = Wartet auf das Netzwerk; wird automatisch gesendet, sobald der Server erreichbar ist
uploads-status-sending = Wird gesendet
uploads-status-network-again = Wartet auf das Netzwerk; wird automatisch erneut gesendet, sobald der Server erreichbar ist
uploads-status-confirming = Gesendet; wartet auf die Bestätigung des Servers
uploads-status-confirming-for = Gesendet; wartet auf die Bestätigung des Servers (seit { $seconds } s)
uploads-status-retrying = Neuer Versuch (Versuch { $number } von { $max })…
uploads-status-retry-wait = Nächster Versuch in { $seconds } s (Versuch { $number } von { $max })
uploads-status-staged = Bereitgestellt. ID { $id }
uploads-status-failed = Fehlgeschlagen: { $reason }
uploads-status-cancelled = Abgebrochen. Klicken Sie auf „Erneut versuchen“, um die Datei erneut zu senden.
uploads-status-refused = Nicht hinzugefügt: { $reason }
uploads-drop-title = Dateien oder Ordner hier ablegen
uploads-drop-explain = Sie werden sofort hochgeladen, und ihre Datei-IDs erscheinen hier, bereit zum Kopieren in eine Agent-Ausführung.
uploads-add-files = Dateien hinzufügen…
uploads-add-files-hover = Dateien zum Bereitstellen auswählen (Strg+O)
uploads-add-folder = Ordner hinzufügen…
uploads-add-folder-hover = Ordner auswählen und jede Datei darin bereitstellen (Strg+Umschalt+O)
uploads-paste = Einfügen
uploads-paste-hover = Einen Screenshot oder im Dateimanager kopierte Dateien bereitstellen (Strg+V)
uploads-drop-limits = Asteroid bewahrt bereitgestellte Dateien { $lifetime } lang auf. Eine Ausführung nimmt höchstens { $limit } an Dateien.
uploads-question-title = Alle diese Dateien bereitstellen?
uploads-question-yes = Alle bereitstellen
uploads-question-no = Nicht bereitstellen
uploads-drop-overlay = { $count ->
    [one] Datei ablegen, um sie bereitzustellen
   *[other] { $count } Dateien ablegen, um sie bereitzustellen
}

# The window's frame: its title, the top bar, the key and organization steps, Settings,
# About and the quit question.

## The window

window-title = Asteroid Stager
window-history-unreadable = Die Liste der bereitgestellten Dateien konnte nicht gelesen werden ({ $reason }).
window-no-workers = Die Hintergrundprozesse konnten nicht gestartet werden ({ $reason })
window-quit-title = Asteroid Stager beenden?
window-quit-running = { $count ->
    [one] { $count } Upload läuft noch: beenden und ihn abbrechen?
   *[other] { $count } Uploads laufen noch: beenden und sie abbrechen?
}
window-quit-staged-kept = Bereits bereitgestellte Dateien behalten ihre IDs; sie stehen beim nächsten Öffnen wieder in der Liste.
window-quit-and-cancel = Beenden und abbrechen
window-keep-uploading = Weiter hochladen

## The top bar

top-bar-organization = Organisation: { $name }
top-bar-organization-hover = Organisations-ID { $id }
top-bar-settings = Einstellungen
top-bar-close-settings = Einstellungen schließen
top-bar-settings-hover = API-Schlüssel, Organisation und Serveradresse
top-bar-about = Info
top-bar-about-hover = Version, Server und wo die App ihre Dateien ablegt
top-bar-add-files = Dateien hinzufügen…
top-bar-add-files-hover = Dateien zum Bereitstellen auswählen (Strg+O); Sie können sie auch auf dieses Fenster ziehen oder mit Strg+V einfügen
top-bar-add-folder = Ordner hinzufügen…
top-bar-add-folder-hover = Ordner auswählen und alle darin enthaltenen Dateien bereitstellen (Strg+Umschalt+O)
top-bar-dismiss = Schließen

## The key and the organization, before work

key-setup-loading = Ihr API-Schlüssel wird im Schlüsselbund gesucht…
key-setup-checking = Der API-Schlüssel wird bei { $host } geprüft…
key-setup-saving = Der Schlüssel funktioniert. Er wird im Schlüsselbund gespeichert…
key-setup-bad-server = Die Serveradresse ist ungültig
key-setup-bad-server-hint = Korrigieren Sie sie in den Einstellungen oder verwenden Sie die Standardadresse.
key-setup-files-waiting = { $count ->
    [one] { $count } Datei wartet; sie wird gesendet, sobald Schlüssel und Organisation festgelegt sind.
   *[other] { $count } Dateien warten; sie werden gesendet, sobald Schlüssel und Organisation festgelegt sind.
}
key-setup-network-wait = Warten auf das Netzwerk ({ $reason })… { $when }
key-setup-trying-again-now = neuer Versuch läuft
key-setup-trying-again-in = neuer Versuch in { $seconds } s
key-setup-network-wait-hint = Der Schlüssel wird geprüft, sobald der Server antwortet; Dateien, die Sie inzwischen hinzufügen, warten.
key-setup-retry-now = Jetzt erneut versuchen
key-setup-retry-now-hover = Sofort erneut versuchen, den Server zu erreichen
key-setup-stop-waiting = Nicht mehr warten
key-setup-stop-waiting-hover = Aufhören, um einen anderen Schlüssel einzugeben oder den Server in den Einstellungen zu ändern
key-setup-replace-heading = API-Schlüssel ersetzen
key-setup-connect-heading = Mit Asteroid verbinden
key-setup-where-to-find = Um Dateien bereitzustellen, braucht diese App Ihren Asteroid-API-Schlüssel. Sie finden ihn unter platform.asteroid.ai → Ihr Profil (oben rechts) → API Keys. Kopieren Sie den Schlüssel dort und fügen Sie ihn unten ein.
key-setup-open-platform = platform.asteroid.ai öffnen
key-setup-session-only = Schlüssel nur für diese Sitzung verwenden
key-setup-session-only-hover = Der Schlüssel bleibt im Arbeitsspeicher, bis Sie das Fenster schließen, und wird nie auf der Festplatte gespeichert
key-setup-retry-keychain = Schlüsselbund erneut versuchen
key-setup-key = API-Schlüssel
key-setup-key-hint = API-Schlüssel hier einfügen
key-setup-paste = Einfügen
key-setup-paste-hover = Den Schlüssel aus der Zwischenablage einfügen
key-setup-show = Anzeigen
key-setup-hide = Verbergen
key-setup-show-hover = Die Zeichen des Schlüssels anzeigen oder verbergen
key-setup-check-and-save = Prüfen und speichern
key-setup-keep-current = Aktuellen Schlüssel behalten
key-setup-kept-in = Der Schlüssel wird beim Server geprüft und dann hier aufbewahrt: { $store } – nie in einer Datei.
key-setup-choose-organization = Organisation auswählen
key-setup-cancel = Abbrechen
key-setup-cancel-hover = Die bisherige Organisation behalten und zur Liste zurückkehren
key-setup-organization-choice = { $name } ({ $id })
key-setup-organization-id = Oder eine Organisations-ID eingeben
key-setup-organization-id-hint = die ID der Organisation
key-setup-use-organization = Diese Organisation verwenden

## Settings

settings-title = Einstellungen
settings-close = Schließen
settings-api-key = API-Schlüssel
settings-key-from-environment = Der Schlüssel stammt aus der Umgebungsvariable { $variable }; diese App speichert ihn nicht.
settings-key-kept = Der verwendete Schlüssel wird aufbewahrt in: { $store }
settings-key-looking = Schlüssel wird gesucht in: { $store }
settings-key-checking = Der Schlüssel wird bei { $host } geprüft…
settings-key-waiting-for-network = Warten auf das Netzwerk, um den Schlüssel zu prüfen…
settings-key-saving = Der Schlüssel funktioniert. Er wird gespeichert in: { $store }
settings-key-not-saved = Der Schlüssel funktioniert, ist aber noch nicht gespeichert: Wählen Sie, wo er aufbewahrt werden soll.
settings-key-after-server = Der Schlüssel wird gesucht, sobald die Serveradresse gültig ist.
settings-no-key = Noch kein Schlüssel.
settings-key-will-be-kept-in = Ein eingegebener Schlüssel wird aufbewahrt in: { $store }
settings-account = Konto: { $email }
settings-replace-key = Schlüssel ersetzen…
settings-replace-key-hover = Einen anderen API-Schlüssel eingeben; er ersetzt den gespeicherten, sobald der Server ihn annimmt
settings-replace-key-from-environment = Der Schlüssel stammt aus { $variable }; ändern Sie ihn dort
settings-sign-out = Abmelden…
settings-sign-out-hover = Den gespeicherten Schlüssel von diesem Computer entfernen (mit Rückfrage)
settings-sign-out-from-environment = Der Schlüssel stammt aus { $variable }; entfernen Sie die Variable, um sich abzumelden
settings-sign-out-question = Abmelden?
settings-sign-out-explain = Der API-Schlüssel wird aus { $store } entfernt. Um wieder Dateien bereitzustellen, müssen Sie erneut einen Schlüssel einfügen.
settings-sign-out-files-kept = Bereits bereitgestellte Dateien behalten ihre IDs und bleiben in der Liste.
settings-cancel = Abbrechen
settings-sign-out-confirm = Abmelden und Schlüssel entfernen
settings-organization = Organisation
settings-organization-not-chosen = Noch nicht ausgewählt.
settings-organization-set-by = Festgelegt durch { $variable }.
settings-choose-another-organization = Andere Organisation wählen
settings-choose-another-organization-hover = Den Server erneut fragen, zu welchen Organisationen der Schlüssel gehört
settings-server = Serveradresse (erweitert)
settings-server-explain = Ändern Sie dies nur, wenn der Asteroid-Support Sie darum gebeten hat. Jeder Server hat seinen eigenen gespeicherten Schlüssel.
settings-server-set-by = Festgelegt durch { $variable }: { $address }
settings-server-address = Serveradresse
settings-save-address = Adresse speichern
settings-use-default-address = Standard verwenden
settings-notifications = Benachrichtigungen
settings-notify-when-staged = Benachrichtigen, wenn Dateien bereitgestellt sind, während dieses Fenster im Hintergrund ist
settings-files = Dateien
settings-history-file = Bereitgestellte Dateien werden aufgeführt in { $path }
settings-settings-file = Einstellungen werden gespeichert in { $path }

## About

about-title = Über Asteroid Stager
about-version = Asteroid Stager { $version }
about-what = Stellt Dateien über die Asteroid Agents API bereit und listet ihre IDs zum Kopieren auf.
about-server = Server
about-key-kept-in = API-Schlüssel gespeichert in
about-history = Verlauf
about-settings = Einstellungen
about-documentation = Asteroid-Dokumentation
about-close = Schließen

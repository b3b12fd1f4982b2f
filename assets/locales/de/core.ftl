# Texte des Kerns: Fehler, Hinweise und Meldungen, die Fenster und Befehlszeile zeigen.

## Dateien, die vor dem Bereitstellen geprüft werden (src/local_file.rs)
local-file-not-found = { $name }: Diese Datei gibt es nicht. Prüfen Sie den Namen, oder wählen Sie die Datei erneut aus.
local-file-gone = Die ursprüngliche Datei liegt nicht mehr unter { $name }: Sie wurde verschoben, umbenannt oder gelöscht. Fügen Sie sie von ihrem jetzigen Ort erneut hinzu.
local-file-is-folder = { $name } ist ein Ordner. Fügen Sie stattdessen die Dateien darin hinzu.
local-file-permission-denied = { $name } kann nicht gelesen werden: Zugriff verweigert. Bitten Sie den Besitzer der Datei um Zugriff, oder kopieren Sie sie an einen Ort, an dem Sie sie lesen können.
local-file-link-loop = { $name } ist eine Verknüpfung, die auf sich selbst zeigt (eine Schleife). Fügen Sie stattdessen die Datei hinzu, auf die sie zeigen soll.
local-file-not-regular = { $name } ist keine normale Datei (sondern: { $kind }). Nur normale Dateien können bereitgestellt werden.
local-file-kind-pipe = benannte Pipe
local-file-kind-socket = Socket
local-file-kind-device = Gerät
local-file-kind-special = Sonderdatei
local-file-empty = { $name } ist leer (0 Bytes), es gibt also nichts bereitzustellen. Prüfen Sie, ob es die gemeinte Datei ist.
local-file-unreadable = { $name } kann nicht gelesen werden: { $reason }.

## Zahlen, Größen und Zeiten (src/format.rs)
format-sentences = { $first } { $second }
format-group-folder = Ordner { $name }
format-group-one = { $how }: { $name }
format-group-dropped-one = Abgelegt
format-group-chosen-one = Ausgewählt
format-group-pasted-one = Eingefügt
format-group-command-line-one = Befehlszeile
format-group-opened-with-one = Mit Asteroid Stager geöffnet
format-group-many = { $what } { $how }
format-group-dropped = abgelegt
format-group-chosen = ausgewählt
format-group-pasted = eingefügt
format-group-command-line = über die Befehlszeile
format-group-opened-with = mit Asteroid Stager geöffnet
format-count-files-and-folders = { $count ->
    [one] { $count } Datei oder Ordner
   *[other] { $count } Dateien und Ordner
}
format-bytes = { $count ->
    [one] { $count } Byte
   *[other] { $count } Bytes
}
format-decimal-separator = ,
format-unit-kb = KB
format-unit-mb = MB
format-unit-gb = GB
format-unit-tb = TB
format-minutes = { $count ->
    [one] { $count } Minute
   *[other] { $count } Minuten
}
format-seconds-left = noch { $count } s
format-minutes-left = noch etwa { $count } Min.
format-hours-minutes-left = noch etwa { $hours } Std. { $minutes } Min.
format-expires-in-minutes = läuft in { $count } Min. ab
format-expires-in-seconds = läuft in { $count } s ab
format-date-time = { $day }. { $month }, { $time }
format-month-jan = Jan.
format-month-feb = Feb.
format-month-mar = März
format-month-apr = Apr.
format-month-may = Mai
format-month-jun = Juni
format-month-jul = Juli
format-month-aug = Aug.
format-month-sep = Sept.
format-month-oct = Okt.
format-month-nov = Nov.
format-month-dec = Dez.

## Der API-Schlüssel und der Schlüsselbund (src/key_store.rs)
key-store-key-empty = Der API-Schlüssel ist leer. Kopieren Sie ihn unter platform.asteroid.ai → Ihr Profil → API Keys, und fügen Sie ihn hier ein.
key-store-key-has-spaces = Das sieht nicht wie ein API-Schlüssel aus: Er enthält Leerzeichen oder Zeilenumbrüche. Kopieren Sie den Schlüssel erneut unter platform.asteroid.ai → Ihr Profil → API Keys.
key-store-unavailable = Auf diesem Computer ist kein Schlüsselbund verfügbar. Der Schlüssel kann trotzdem nur für diese Sitzung verwendet oder in der Umgebungsvariablen { $env } gesetzt werden.
key-store-locked = Der Schlüsselbund ist gesperrt. Entsperren Sie ihn (melden Sie sich am Desktop an), und versuchen Sie es erneut, oder verwenden Sie den Schlüssel nur für diese Sitzung.
key-store-no-answer = Der Schlüsselbund hat in { $seconds } Sekunden nicht geantwortet. Setzen Sie den Schlüssel für diesen Befehl in { $env }, oder entsperren Sie den Schlüsselbund (melden Sie sich am Desktop an), und versuchen Sie es erneut.
key-store-refused = Der Schlüsselbund hat die Anfrage abgelehnt. Versuchen Sie es erneut, oder verwenden Sie den Schlüssel nur für diese Sitzung.
key-store-where = { $system }, Eintrag „{ $service }“ / „{ $account }“
key-store-linux = Schlüsselbund Ihres Desktops (GNOME Keyring oder KWallet)
key-store-windows = Windows-Anmeldeinformationsverwaltung
key-store-macos = macOS-Schlüsselbund
key-store-session-only = nur diese Sitzung (nicht gespeichert)

## Der Server (src/api)
api-the-server = der Server
api-details-http = Details: HTTP { $status }: { $text }
api-details-status = Details: HTTP { $status }
api-bad-key = Der Server hat den API-Schlüssel nicht angenommen. Prüfen Sie den Schlüssel unter platform.asteroid.ai → Ihr Profil → API Keys, und geben Sie ihn erneut ein.
api-not-member = Der Schlüssel gehört nicht zu dieser Organisation (der Server meldet: „{ $server_text }“). Prüfen Sie die Organisations-ID, oder verwenden Sie einen Schlüssel dieser Organisation.
api-rejected = Der Server hat die Übertragung abgelehnt (der Server meldet: „{ $server_text }“). Prüfen Sie, ob es die gemeinte Datei ist; dieselbe Datei erneut zu senden hilft nicht.
api-too-large = Die Übertragung ist für den Server zu groß. Eine Ausführung nimmt insgesamt höchstens { $limit } an Dateien an.
api-rate-limited = Der Server ist ausgelastet und bittet um Geduld. Die Übertragung wird automatisch wiederholt; schlägt sie weiter fehl, versuchen Sie es in ein paar Minuten erneut.
api-server-failed = Beim Server ist ein Fehler aufgetreten. Das liegt nicht an Ihnen; versuchen Sie es gleich noch einmal.
api-unexpected-status = Der Server hat anders geantwortet, als die API es beschreibt. Versuchen Sie es erneut; passiert das weiterhin, prüfen Sie die Serveradresse in den Einstellungen.
api-redirected-away = Der Server hat uns an eine andere Adresse verwiesen ({ $address }). Der Schlüssel wurde nicht dorthin gesendet. Prüfen Sie die Serveradresse in den Einstellungen.
api-redirected-after-upload = Der Server hat die Übertragung empfangen, uns dann aber an eine andere Adresse verwiesen, statt mit den Datei-IDs zu antworten. Möglicherweise hat er die Dateien gespeichert; es wurde nichts erneut gesendet, weil ein neuer Versuch eine zweite Kopie bereitstellen könnte (eine ungenutzte Kopie läuft von selbst ab). Klären Sie mit Ihrem Asteroid-Administrator, ob die Serveradresse stimmt, bevor Sie diese Dateien erneut bereitstellen.
api-connection-lost = Die Verbindung ist beim Senden abgebrochen. Versuchen Sie es erneut; nur diese Datei wird noch einmal gesendet. Passiert das weiterhin, prüfen Sie Ihre Internetverbindung.
api-stalled = Die Übertragung stockt: { $seconds } Sekunden lang ging nichts voran. Prüfen Sie Ihre Verbindung, und versuchen Sie es dann erneut.
api-no-answer = Der Server hat nach dem Empfang der Datei { $seconds } Sekunden lang nicht geantwortet. Versuchen Sie es gleich noch einmal.
api-malformed-answer = Die Antwort des Servers entspricht nicht dem, was die API zusagt ({ $reason }). Versuchen Sie es erneut; passiert das weiterhin, prüfen Sie die Serveradresse in den Einstellungen.
api-file-changed = { $name } hat sich beim Senden geändert ({ $what }). Es wurde nichts Falsches behalten: Senden Sie die Datei erneut, so wie sie jetzt ist.
api-file-unreadable = { $name } konnte beim Senden nicht gelesen werden ({ $reason }). Prüfen Sie die Datei, und versuchen Sie es dann erneut.
api-setup = Die Verbindung konnte nicht eingerichtet werden ({ $reason }).
api-internal = Ein interner Fehler hat diese Übertragung gestoppt; bitte versuchen Sie es erneut.
api-reason-refused = unter { $host } antwortet nichts
api-reason-name-not-found = der Name { $host } wurde nicht gefunden
api-reason-no-route = keine Verbindung zu { $host }
api-reason-timed-out = { $host } hat nicht rechtzeitig geantwortet
api-reason-proxy-unreachable = der Proxyserver ist nicht erreichbar
api-no-connection-refused = Unter { $host } antwortet nichts: Der Server läuft dort nicht oder ist aus diesem Netzwerk nicht erreichbar. Prüfen Sie die Serveradresse; stimmt sie, versuchen Sie es in ein paar Minuten erneut.
api-no-connection-name-not-found = Der Servername { $host } wurde nicht gefunden. Prüfen Sie Ihre Internetverbindung und die Serveradresse.
api-no-connection-no-route = Dieser Computer hat keine Verbindung zu { $host }: Das Netzwerk scheint nicht verfügbar zu sein. Prüfen Sie Ihre Internetverbindung (WLAN, Kabel oder VPN).
api-no-connection-timed-out = { $host } hat nicht rechtzeitig geantwortet. Prüfen Sie Ihre Internetverbindung; in einem Firmennetz auch die Proxy-Einstellungen.
api-no-connection-proxy-unreachable = Der Proxyserver ist nicht erreichbar. Prüfen Sie die Proxy-Einstellungen (HTTPS_PROXY oder die Proxy-Einstellungen des Systems), oder fragen Sie Ihre IT-Abteilung.
api-no-connection-other = Keine Verbindung zu { $host }. Prüfen Sie Ihre Internetverbindung und die Serveradresse, und versuchen Sie es dann erneut.
api-certificate-untrusted = Dieser Computer vertraut dem Zertifikat von { $host } nicht, daher wurde nichts gesendet. Installieren Sie in einem Firmennetz das Stammzertifikat Ihrer Firma im Zertifikatspeicher des Systems (oder lassen Sie SSL_CERT_FILE darauf zeigen); prüfen Sie sonst die Serveradresse.
api-certificate-expired = Das Zertifikat von { $host } ist abgelaufen oder noch nicht gültig, daher wurde nichts gesendet. Prüfen Sie, ob Datum und Uhrzeit dieses Computers stimmen; andernfalls muss der Administrator des Servers es erneuern.
api-certificate-name-mismatch = Das Zertifikat von { $host } ist auf einen anderen Namen ausgestellt, daher wurde nichts gesendet. Prüfen Sie die Serveradresse; fragen Sie in einem Firmennetz Ihre IT-Abteilung.
api-certificate-other = Eine sichere Verbindung zu { $host } konnte nicht hergestellt werden, daher wurde nichts gesendet. Prüfen Sie die Serveradresse; fragen Sie in einem Firmennetz Ihre IT-Abteilung.
api-proxy-needs-password = Der Proxyserver verlangt Benutzername und Passwort, und es wurden keine (oder falsche) angegeben, daher wurde nichts gesendet. Tragen Sie sie in die Proxyadresse ein (HTTPS_PROXY=http://benutzer:passwort@proxy:port), oder fragen Sie Ihre IT-Abteilung.
api-proxy-refused = Der Proxyserver hat die Verbindung zum Server abgelehnt, daher wurde nichts gesendet. Fragen Sie Ihre IT-Abteilung, ob der Proxy diese Adresse durchlässt, oder setzen Sie NO_PROXY dafür.
api-answer-count = er hat { $confirmed } von { $count ->
    [one] { $count } gesendeten Datei
   *[other] { $count } gesendeten Dateien
} bestätigt
api-answer-not-a-file-id = die ID für { $name } ist keine Datei-ID
api-answer-same-id = er hat zwei Dateien dieselbe ID gegeben
api-answer-names-unmatched = die genannten Namen ließen sich den gesendeten Dateien nicht ohne Raten zuordnen
api-changed-not-regular = an ihrer Stelle steht jetzt etwas, das keine normale Datei ist
api-changed-gone = sie wurde gelöscht oder verschoben
api-changed-size = sie ist jetzt { $size } Bytes groß, beim Hinzufügen waren es { $added }
api-changed-modified = sie wurde nach dem Hinzufügen geändert
api-changed-grew = sie ist über ihre { $expected } Bytes hinaus gewachsen
api-changed-while-sent = sie wurde beim Senden geändert
api-changed-shrank = sie ist geschrumpft: von ihren { $expected } Bytes waren nur noch { $sent } zu lesen
api-changed-while-read = die Datei wurde beim Lesen geändert
api-client-context-unparsed = die Kontodaten ließen sich nicht lesen: { $reason }
api-client-list-unparsed = die Liste der bereitgestellten Dateien ließ sich nicht lesen: { $reason }
api-client-too-many-redirects = zu viele Weiterleitungen
api-client-redirect-nowhere = eine Weiterleitung ohne Zieladresse
api-client-redirect-with-key = eine Weiterleitung an eine Adresse, die den API-Schlüssel enthält
api-client-redirect-unparsed = eine Weiterleitung an eine ungültige Adresse
api-client-unknown-host = ein unbekannter Server
api-client-answer-too-large = die Antwort war größer als { $megabytes } MB
api-redacted-key = [Ihr API-Schlüssel]
api-client-key-not-a-header = der API-Schlüssel enthält Zeichen, die ein Header nicht transportieren kann
api-no-text = kein Text

## Serveradressen und Organisations-IDs (src/endpoint.rs)
endpoint-empty = Die Serveradresse ist leer. Geben Sie eine Adresse wie { $example } ein.
endpoint-not-a-url = „{ $typed }“ ist keine Webadresse. Geben Sie eine Adresse wie { $example } ein.
endpoint-insecure = Die Serveradresse muss mit https:// beginnen (angegeben: „{ $typed }“). Einfaches http:// ist nur für diesen Computer (localhost) erlaubt.
endpoint-credentials = Die Serveradresse darf keinen Benutzernamen und kein Passwort enthalten. Entfernen Sie den Teil vor „@“.
endpoint-query = Die Serveradresse darf keine Teile mit „?“ oder „#“ enthalten. Geben Sie nur die Adresse ein, etwa { $example }.
endpoint-not-an-organization-id = „{ $typed }“ ist keine Organisations-ID. Kopieren Sie sie erneut von platform.asteroid.ai: Eine Organisations-ID besteht aus 36 Buchstaben, Ziffern und Bindestrichen.

## Beim Start (src/startup.rs)
startup-settings-unusable = Die Einstellungsdatei konnte nicht verwendet werden. { $problem }
startup-history-unusable = Die Verlaufsdatei konnte nicht verwendet werden. { $problem }
startup-file-kept-aside = { $reason } { $file } wurde als { $backup } aufbewahrt, und die App hat mit einer neuen begonnen.
startup-file-not-moved = { $reason } { $file } konnte nicht beiseitegelegt werden; die App verwendet vorerst eine neue.
startup-file-unreadable = Die Datei konnte nicht gelesen werden ({ $reason }).
startup-file-newer = Diese Datei wurde von einer neueren Version von Asteroid Stager geschrieben (Format { $found }, diese Version liest bis { $known }).
startup-file-damaged = Die Datei ist beschädigt ({ $reason }).

## Der Verlauf (src/history)
history-error-newer = er wurde von einer neueren Version von Asteroid Stager geschrieben (Format { $found }; diese Version kennt Format { $known }), daher liest diese Version ihn nur: Aktualisieren Sie Asteroid Stager, um neue Dateien darin zu speichern
history-error-busy = ein anderer Asteroid Stager hat ihn länger als { $seconds } Sekunden gesperrt; versuchen Sie es gleich noch einmal
history-error-damaged = die Datenbank ist beschädigt ({ $reason })
history-error-unavailable = er konnte beim Start von Asteroid Stager nicht geöffnet werden ({ $reason })
history-error-database = ein unerwarteter Datenbankfehler ({ $reason })
history-disk-full = der Datenträger ist voll
history-disk-read-only = der Ordner oder die Datei ist schreibgeschützt
history-disk-permission-denied = Zugriff verweigert
history-disk-cannot-open = die Datei konnte nicht geöffnet oder angelegt werden (prüfen Sie die Rechte des Ordners)
history-disk-io = der Datenträger konnte nicht gelesen oder beschrieben werden
history-notice-imported = { $count ->
    [one] { $count } bereitgestellte Datei
   *[other] { $count } bereitgestellte Dateien
} aus { $from } in den Verlauf { $db } übernommen
history-notice-already-there = { " " }({ $count ->
    [one] { $count } war schon vorhanden
   *[other] { $count } waren schon vorhanden
})
history-notice-old-kept = ; die alte Datei ist als { $kept } aufbewahrt.
history-notice-old-not-renamed = ; die alte Datei konnte nicht umbenannt werden und wird beim nächsten Start erneut gelesen (nichts wird doppelt übernommen).
history-notice-not-imported = Der alte Verlauf { $file } wurde nicht übernommen: { $reason }
history-notice-not-imported-kept = ; er ist als { $kept } aufbewahrt.
history-notice-not-imported-left = ; er bleibt, wo er ist, und wird beim nächsten Start erneut versucht.
history-notice-damaged-kept = Der Verlauf { $db } war beschädigt ({ $reason }); er ist als { $kept } aufbewahrt, und ein neuer wurde begonnen.
history-notice-damaged-not-moved = Der Verlauf { $db } ist beschädigt ({ $reason }) und konnte nicht beiseitegelegt werden: Bereitgestellte Dateien werden in dieser Sitzung nicht gespeichert. Kopieren Sie ihre IDs vor dem Schließen, und verschieben Sie die Datei.
history-notice-newer = Der Verlauf { $db } wurde von einer neueren Version von Asteroid Stager geschrieben (Format { $found }; diese Version kennt Format { $known }). Er wird angezeigt, aber nicht geändert: Jetzt bereitgestellte Dateien werden darin nicht gespeichert. Aktualisieren Sie Asteroid Stager.
history-notice-unavailable = Der Verlauf { $db } konnte nicht geöffnet werden ({ $reason }): Bereitgestellte Dateien werden in dieser Sitzung nicht gespeichert. Kopieren Sie ihre IDs vor dem Schließen.
history-legacy-unreadable = er konnte nicht gelesen werden ({ $reason })
history-legacy-newer = er wurde von einer neueren Version von Asteroid Stager geschrieben (Format { $found }; diese Version liest bis { $known })
history-legacy-damaged = er ist beschädigt ({ $reason })
history-legacy-not-copied = er konnte nicht in die Datenbank kopiert werden ({ $reason })
history-damaged-not-moved = { $reason }; Beiseitelegen fehlgeschlagen: { $moving }

## Schlüssel und Organisation (src/session)
session-environment-key-unusable = { $env } ist gesetzt, aber nicht verwendbar: { $problem } Oder entfernen Sie die Variable, um den hier gespeicherten Schlüssel zu verwenden.
session-environment-key-refused = Der Schlüssel in { $env } wurde abgelehnt. { $error }
session-stored-key-refused = Der gespeicherte Schlüssel funktioniert nicht mehr. { $error } Ein neu eingegebener Schlüssel ersetzt den alten.
session-enter-organization = Geben Sie die Organisations-ID ein, für die Sie Dateien bereitstellen.
session-saved-organization-unusable = Die gespeicherte Organisation ist nicht verwendbar ({ $problem }).{ " " }
session-choose-among-several = Dieser Schlüssel gehört zu mehreren Organisationen. Wählen Sie die aus, für die Sie Dateien bereitstellen.
session-choose-organization = Wählen Sie die Organisation aus, für die Sie Dateien bereitstellen.
session-no-organization-listed = Der Server hat für diesen Schlüssel keine Organisation genannt. Geben Sie die Organisations-ID ein (fragen Sie Ihren Asteroid-Administrator).

## Die Warteschlange: Hinweise zu ihren Zeilen (src/upload_queue)
queue-may-be-there-twice = Sie ist möglicherweise doppelt auf dem Server: Ein früherer Versuch wurde ohne Antwort gespeichert. Das Duplikat wird nie verwendet und läuft von selbst ab.
queue-id-given-twice = er hat einer Datei eine ID gegeben, die er schon einer anderen gegeben hatte
queue-requeued-shared-with-cancelled = Erneut von vorn gesendet: Sie teilte eine Anfrage mit { $names }, die abgebrochen wurde.
queue-requeued-shared-with-changed = Erneut von vorn gesendet: Sie teilte eine Anfrage mit { $name }, die sich geändert hat.
queue-requeued-split-after-refusal = Der Server hat eine Anfrage abgelehnt, die diese Datei mit anderen teilte; jede Datei wird jetzt einzeln gesendet.
queue-requeued-split-after-unclear-answer = Die Antwort des Servers hat nicht eindeutig gesagt, welche ID zu welcher Datei gehört; jede Datei wird jetzt einzeln gesendet, damit keine die ID einer anderen erhält.
queue-renamed = Der Server hat sie als „{ $name }“ gespeichert; verwenden Sie diesen Namen.
queue-renamed-unexplained = Der Server hat sie unter einem anderen Namen gespeichert, „{ $name }“; verwenden Sie diesen Namen.
queue-internal-error-looking = ein interner Fehler hat die Prüfung unterbrochen ({ $reason })
queue-changed-since-staged = Sie hat sich seit dem ersten Bereitstellen geändert: Die neue ID gilt für die Datei, wie sie jetzt ist.
queue-internal-error-saving = ein interner Fehler hat das Speichern unterbrochen ({ $reason })

## Hinzugefügte Ordner (src/folder_scan)
folder-scan-no-files-from = Keine Dateien aus { $folder }
folder-scan-files-from = { $count ->
    [one] { $count } Datei aus { $folder }
   *[other] { $count } Dateien aus { $folder }
}
folder-scan-hidden-items = { $count ->
    [one] { $count } verborgenes Element
   *[other] { $count } verborgene Elemente
}
folder-scan-system-files = { $count ->
    [one] { $count } Systemdatei
   *[other] { $count } Systemdateien
}
folder-scan-found-twice = { $count ->
    [one] { $count } über eine Verknüpfung doppelt gefundene Datei
   *[other] { $count } über Verknüpfungen doppelt gefundene Dateien
}
folder-scan-and = { $first } und { $second }
folder-scan-skipped = ; { $items } übersprungen
folder-scan-not-added = ; { $count ->
    [one] { $count } konnte nicht hinzugefügt werden
   *[other] { $count } konnten nicht hinzugefügt werden
}
folder-scan-question-one-folder = { $folder } enthält { $files } ({ $size }).
folder-scan-question-two-folders = { $first } und { $second } enthalten { $files } ({ $size }).
folder-scan-question-more-folders = { $first } und { $others } weitere Ordner enthalten { $files } ({ $size }).
folder-scan-question-with-others = Mit { $others ->
    [one] { $others } weiteren hinzugefügten Datei
   *[other] { $others } weiteren hinzugefügten Dateien
} sind es { $files } ({ $size }).
folder-scan-question-limit = Eine Ausführung nimmt höchstens { $limit } an Dateien an.
folder-scan-question-stage-all = Alle bereitstellen?

## Eingefügte Bilder (src/clipboard.rs)
clipboard-image-size-mismatch = die Größe des Bildes passt nicht zu seinen Pixeln
clipboard-no-free-name = kein freier Name für das eingefügte Bild

# Textes du cœur : erreurs, remarques et avis que la fenêtre et la ligne de commande affichent.

## Fichiers vérifiés avant le dépôt (src/local_file.rs)
local-file-not-found = { $name } : ce fichier n'existe pas. Vérifiez le nom, ou choisissez à nouveau le fichier.
local-file-gone = Le fichier d'origine ne se trouve plus à { $name } : il a été déplacé, renommé ou supprimé. Ajoutez-le à nouveau depuis son emplacement actuel.
local-file-is-folder = { $name } est un dossier. Ajoutez plutôt les fichiers qu'il contient.
local-file-permission-denied = { $name } ne peut pas être lu : accès refusé. Demandez l'accès au propriétaire du fichier, ou copiez-le à un endroit où vous pouvez le lire.
local-file-link-loop = { $name } est un lien qui pointe vers lui-même (une boucle). Ajoutez plutôt le fichier vers lequel il devrait pointer.
local-file-not-regular = { $name } n'est pas un fichier ordinaire (c'est : { $kind }). Seuls les fichiers ordinaires peuvent être déposés.
local-file-kind-pipe = tube nommé
local-file-kind-socket = socket
local-file-kind-device = périphérique
local-file-kind-special = fichier spécial
local-file-empty = { $name } est vide (0 octet) : il n'y a rien à déposer. Vérifiez que c'est le bon fichier.
local-file-unreadable = { $name } ne peut pas être lu : { $reason }.

## Nombres, tailles et durées (src/format.rs)
format-sentences = { $first } { $second }
format-group-folder = Dossier { $name }
format-group-one = { $how } : { $name }
format-group-dropped-one = Glissé
format-group-chosen-one = Choisi
format-group-pasted-one = Collé
format-group-command-line-one = Ligne de commande
format-group-opened-with-one = Ouvert avec Asteroid Stager
format-group-many = { $what } { $how }
format-group-dropped = glissés
format-group-chosen = choisis
format-group-pasted = collés
format-group-command-line = depuis la ligne de commande
format-group-opened-with = ouverts avec Asteroid Stager
format-count-files-and-folders = { $count ->
    [one] { $count } fichier ou dossier
   *[other] { $count } fichiers et dossiers
}
format-bytes = { $count ->
    [one] { $count } octet
   *[other] { $count } octets
}
format-decimal-separator = ,
format-unit-kb = Ko
format-unit-mb = Mo
format-unit-gb = Go
format-unit-tb = To
format-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
format-seconds-left = encore { $count } s
format-minutes-left = encore environ { $count } min
format-hours-minutes-left = encore environ { $hours } h { $minutes } min
format-expires-in-minutes = expire dans { $count } min
format-expires-in-seconds = expire dans { $count } s
format-date-time = { $day } { $month }, { $time }
format-month-jan = janv.
format-month-feb = févr.
format-month-mar = mars
format-month-apr = avr.
format-month-may = mai
format-month-jun = juin
format-month-jul = juil.
format-month-aug = août
format-month-sep = sept.
format-month-oct = oct.
format-month-nov = nov.
format-month-dec = déc.

## La clé d'API et le trousseau (src/key_store.rs)
key-store-key-empty = La clé d'API est vide. Copiez-la depuis platform.asteroid.ai → votre profil → API Keys, puis collez-la ici.
key-store-key-has-spaces = Cela ne ressemble pas à une clé d'API : elle contient des espaces ou des retours à la ligne. Copiez à nouveau la clé depuis platform.asteroid.ai → votre profil → API Keys.
key-store-unavailable = Aucun trousseau n'est disponible sur cet ordinateur. La clé peut tout de même servir pour cette session uniquement, ou être définie dans la variable d'environnement { $env }.
key-store-locked = Le trousseau est verrouillé. Déverrouillez-le (connectez-vous à votre bureau) et réessayez, ou utilisez la clé pour cette session uniquement.
key-store-no-answer = Le trousseau n'a pas répondu en { $seconds } secondes. Définissez la clé dans { $env } pour cette commande, ou déverrouillez le trousseau (connectez-vous à votre bureau) et réessayez.
key-store-refused = Le trousseau a refusé la demande. Réessayez, ou utilisez la clé pour cette session uniquement.
key-store-where = { $system }, entrée « { $service } » / « { $account } »
key-store-linux = le trousseau de votre bureau (GNOME Keyring ou KWallet)
key-store-windows = le Gestionnaire d'identification Windows
key-store-macos = le trousseau macOS
key-store-session-only = cette session uniquement (non enregistrée)

## Le serveur (src/api)
api-the-server = le serveur
api-details-http = Détails : HTTP { $status } : { $text }
api-details-status = Détails : HTTP { $status }
api-bad-key = Le serveur n'a pas accepté la clé d'API. Vérifiez la clé sur platform.asteroid.ai → votre profil → API Keys, puis saisissez-la à nouveau.
api-not-member = La clé n'appartient pas à cette organisation (le serveur indique : « { $server_text } »). Vérifiez l'ID de l'organisation, ou utilisez une clé de cette organisation.
api-rejected = Le serveur a refusé l'envoi (le serveur indique : « { $server_text } »). Vérifiez que c'est le bon fichier ; renvoyer le même fichier n'y changera rien.
api-too-large = L'envoi est trop volumineux pour le serveur. Une exécution accepte au plus { $limit } de fichiers au total.
api-rate-limited = Le serveur est occupé et demande de patienter. L'envoi est relancé automatiquement ; si l'échec persiste, réessayez dans quelques minutes.
api-server-failed = Le serveur a rencontré une erreur. Vous n'y êtes pour rien ; réessayez dans un instant.
api-unexpected-status = Le serveur a répondu d'une manière que l'API ne décrit pas. Réessayez ; si cela se reproduit, vérifiez l'adresse du serveur dans les Paramètres.
api-redirected-away = Le serveur nous a renvoyés vers une autre adresse ({ $address }). La clé n'y a pas été envoyée. Vérifiez l'adresse du serveur dans les Paramètres.
api-redirected-after-upload = Le serveur a reçu l'envoi, mais nous a renvoyés vers une autre adresse au lieu de répondre avec les ID des fichiers. Il a peut-être enregistré les fichiers ; rien n'a été renvoyé, car un nouvel essai pourrait déposer une seconde copie (une copie inutilisée expire d'elle-même). Vérifiez avec votre administrateur Asteroid que l'adresse du serveur est correcte avant de déposer à nouveau ces fichiers.
api-connection-lost = La connexion a été coupée pendant l'envoi. Réessayez ; seul ce fichier est renvoyé. Si cela se reproduit, vérifiez votre connexion Internet.
api-stalled = L'envoi est bloqué : rien n'a bougé depuis { $seconds } secondes. Vérifiez votre connexion, puis réessayez.
api-no-answer = Le serveur n'a pas répondu dans les { $seconds } secondes qui ont suivi la réception du fichier. Réessayez dans un instant.
api-malformed-answer = La réponse du serveur n'est pas celle que promet l'API ({ $reason }). Réessayez ; si cela se reproduit, vérifiez l'adresse du serveur dans les Paramètres.
api-file-changed = { $name } a changé pendant l'envoi ({ $what }). Rien d'erroné n'a été conservé : réessayez pour envoyer le fichier tel qu'il est maintenant.
api-file-unreadable = { $name } n'a pas pu être lu pendant l'envoi ({ $reason }). Vérifiez le fichier, puis réessayez.
api-setup = Impossible d'établir la connexion ({ $reason }).
api-internal = Une erreur interne a arrêté cet envoi ; veuillez réessayer.
api-reason-refused = rien ne répond à { $host }
api-reason-name-not-found = le nom { $host } est introuvable
api-reason-no-route = aucune route vers { $host }
api-reason-timed-out = { $host } n'a pas répondu à temps
api-reason-proxy-unreachable = le serveur proxy est injoignable
api-no-connection-refused = Rien ne répond à { $host } : le serveur n'y tourne pas, ou n'est pas joignable depuis ce réseau. Vérifiez l'adresse du serveur ; si elle est correcte, réessayez dans quelques minutes.
api-no-connection-name-not-found = Le nom de serveur { $host } est introuvable. Vérifiez votre connexion Internet et l'adresse du serveur.
api-no-connection-no-route = Cet ordinateur n'a aucune route vers { $host } : le réseau semble coupé. Vérifiez votre connexion Internet (Wi-Fi, câble ou VPN).
api-no-connection-timed-out = { $host } n'a pas répondu à temps. Vérifiez votre connexion Internet ; sur un réseau d'entreprise, vérifiez les paramètres du proxy.
api-no-connection-proxy-unreachable = Le serveur proxy est injoignable. Vérifiez les paramètres du proxy (HTTPS_PROXY, ou ceux du système), ou contactez votre service informatique.
api-no-connection-other = Impossible de se connecter à { $host }. Vérifiez votre connexion Internet et l'adresse du serveur, puis réessayez.
api-certificate-untrusted = Cet ordinateur ne fait pas confiance au certificat de { $host } : rien n'a été envoyé. Sur un réseau d'entreprise, installez le certificat racine de votre entreprise dans le magasin de certificats du système (ou indiquez-le avec SSL_CERT_FILE) ; sinon, vérifiez l'adresse du serveur.
api-certificate-expired = Le certificat de { $host } a expiré ou n'est pas encore valide : rien n'a été envoyé. Vérifiez la date et l'heure de cet ordinateur ; sinon, l'administrateur du serveur doit le renouveler.
api-certificate-name-mismatch = Le certificat présenté par { $host } est établi pour un autre nom : rien n'a été envoyé. Vérifiez l'adresse du serveur ; sur un réseau d'entreprise, contactez votre service informatique.
api-certificate-other = Impossible d'établir une connexion sécurisée avec { $host } : rien n'a été envoyé. Vérifiez l'adresse du serveur ; sur un réseau d'entreprise, contactez votre service informatique.
api-proxy-needs-password = Le serveur proxy demande un nom d'utilisateur et un mot de passe, et aucun (ou de mauvais) n'a été fourni : rien n'a été envoyé. Indiquez-les dans l'adresse du proxy (HTTPS_PROXY=http://utilisateur:motdepasse@proxy:port), ou contactez votre service informatique.
api-proxy-refused = Le serveur proxy a refusé de nous connecter au serveur : rien n'a été envoyé. Demandez à votre service informatique si le proxy laisse passer cette adresse, ou définissez NO_PROXY pour elle.
api-answer-count = il a confirmé { $confirmed } { $count ->
    [one] fichier sur { $count } envoyé
   *[other] fichiers sur { $count } envoyés
}
api-answer-not-a-file-id = l'ID donné pour { $name } n'est pas un ID de fichier
api-answer-same-id = il a donné le même ID à deux fichiers
api-answer-names-unmatched = les noms qu'il a listés ne peuvent pas être associés aux fichiers envoyés sans deviner
api-changed-not-regular = quelque chose qui n'est pas un fichier ordinaire a pris sa place
api-changed-gone = il a été supprimé ou déplacé
api-changed-size = sa taille est maintenant de { $size } octets, elle était de { $added } à l'ajout
api-changed-modified = il a été modifié après avoir été ajouté
api-changed-grew = il a dépassé les { $expected } octets qu'il faisait
api-changed-while-sent = il a été modifié pendant l'envoi
api-changed-shrank = il a rétréci : seuls { $sent } de ses { $expected } octets restaient à lire
api-changed-while-read = le fichier a été modifié pendant sa lecture
api-client-context-unparsed = les informations du compte sont illisibles : { $reason }
api-client-list-unparsed = la liste des fichiers déposés est illisible : { $reason }
api-client-too-many-redirects = trop de redirections
api-client-redirect-nowhere = une redirection sans adresse de destination
api-client-redirect-with-key = une redirection vers une adresse qui contient la clé d'API
api-client-redirect-unparsed = une redirection vers une adresse invalide
api-client-unknown-host = un hôte inconnu
api-client-answer-too-large = la réponse dépassait { $megabytes } Mo
api-redacted-key = [votre clé d'API]
api-client-key-not-a-header = la clé d'API contient des caractères qu'un en-tête ne peut pas transmettre
api-no-text = aucun texte

## Adresses de serveur et ID d'organisation (src/endpoint.rs)
endpoint-empty = L'adresse du serveur est vide. Saisissez une adresse comme { $example }.
endpoint-not-a-url = « { $typed } » n'est pas une adresse web. Saisissez une adresse comme { $example }.
endpoint-insecure = L'adresse du serveur doit commencer par https:// (saisi : « { $typed } »). Le simple http:// n'est permis que pour cet ordinateur (localhost).
endpoint-credentials = L'adresse du serveur ne peut pas contenir de nom d'utilisateur ni de mot de passe. Supprimez la partie avant « @ ».
endpoint-query = L'adresse du serveur ne peut pas contenir de partie « ? » ou « # ». Saisissez seulement l'adresse, comme { $example }.
endpoint-not-an-organization-id = « { $typed } » n'est pas un ID d'organisation. Copiez-le à nouveau depuis platform.asteroid.ai : un ID d'organisation compte 36 lettres, chiffres et tirets.

## Au démarrage (src/startup.rs)
startup-settings-unusable = Le fichier des paramètres n'a pas pu être utilisé. { $problem }
startup-history-unusable = Le fichier d'historique n'a pas pu être utilisé. { $problem }
startup-file-kept-aside = { $reason } { $file } a été conservé sous { $backup } et l'application est repartie d'un fichier neuf.
startup-file-not-moved = { $reason } { $file } n'a pas pu être mis de côté ; l'application utilise un fichier neuf pour l'instant.
startup-file-unreadable = Impossible de lire le fichier ({ $reason }).
startup-file-newer = Ce fichier a été écrit par une version plus récente d'Asteroid Stager (format { $found }, cette version lit jusqu'au format { $known }).
startup-file-damaged = Le fichier est endommagé ({ $reason }).

## L'historique (src/history)
history-error-newer = il a été écrit par une version plus récente d'Asteroid Stager (format { $found } ; cette version connaît le format { $known }), cette version le lit donc sans le modifier : mettez à jour Asteroid Stager pour y enregistrer de nouveaux fichiers
history-error-busy = un autre Asteroid Stager l'a verrouillé pendant plus de { $seconds } secondes ; réessayez dans un instant
history-error-damaged = la base de données est endommagée ({ $reason })
history-error-unavailable = il n'a pas pu être ouvert au démarrage d'Asteroid Stager ({ $reason })
history-error-database = une erreur inattendue de la base de données ({ $reason })
history-disk-full = le disque est plein
history-disk-read-only = le dossier ou le fichier est en lecture seule
history-disk-permission-denied = accès refusé
history-disk-cannot-open = le fichier n'a pas pu être ouvert ou créé (vérifiez les droits du dossier)
history-disk-io = le disque n'a pas pu être lu ou écrit
history-notice-imported = { $count ->
    [one] { $count } fichier déposé importé
   *[other] { $count } fichiers déposés importés
} de { $from } dans l'historique { $db }
history-notice-already-there = { " " }({ $count ->
    [one] { $count } y était déjà
   *[other] { $count } y étaient déjà
})
history-notice-old-kept = ; l'ancien fichier est conservé sous { $kept }.
history-notice-old-not-renamed = ; l'ancien fichier n'a pas pu être renommé : il sera relu au prochain démarrage (rien n'est importé deux fois).
history-notice-not-imported = L'ancien historique { $file } n'a pas été importé : { $reason }
history-notice-not-imported-kept = ; il est conservé sous { $kept }.
history-notice-not-imported-left = ; il reste en place et sera réessayé au prochain démarrage.
history-notice-damaged-kept = L'historique { $db } était endommagé ({ $reason }) ; il est conservé sous { $kept } et un nouvel historique a été créé.
history-notice-damaged-not-moved = L'historique { $db } est endommagé ({ $reason }) et n'a pas pu être mis de côté : les fichiers déposés ne sont pas enregistrés pendant cette session. Copiez leurs ID avant de fermer, et déplacez le fichier.
history-notice-newer = L'historique { $db } a été écrit par une version plus récente d'Asteroid Stager (format { $found } ; cette version connaît le format { $known }). Il est affiché mais pas modifié : les fichiers déposés maintenant n'y sont pas enregistrés. Mettez à jour Asteroid Stager.
history-notice-unavailable = L'historique { $db } n'a pas pu être ouvert ({ $reason }) : les fichiers déposés ne sont pas enregistrés pendant cette session. Copiez leurs ID avant de fermer.
history-legacy-unreadable = il n'a pas pu être lu ({ $reason })
history-legacy-newer = il a été écrit par une version plus récente d'Asteroid Stager (format { $found } ; cette version lit jusqu'au format { $known })
history-legacy-damaged = il est endommagé ({ $reason })
history-legacy-not-copied = il n'a pas pu être copié dans la base de données ({ $reason })
history-damaged-not-moved = { $reason } ; impossible de le mettre de côté : { $moving }

## La clé et l'organisation (src/session)
session-environment-key-unusable = { $env } est défini mais inutilisable : { $problem } Ou supprimez cette variable pour utiliser la clé enregistrée ici.
session-environment-key-refused = La clé de { $env } a été refusée. { $error }
session-stored-key-refused = La clé enregistrée ne fonctionne plus. { $error } Une nouvelle clé saisie remplace l'ancienne.
session-enter-organization = Saisissez l'ID de l'organisation pour laquelle déposer des fichiers.
session-saved-organization-unusable = L'organisation enregistrée est inutilisable ({ $problem }).{ " " }
session-choose-among-several = Cette clé appartient à plusieurs organisations. Choisissez celle pour laquelle déposer des fichiers.
session-choose-organization = Choisissez l'organisation pour laquelle déposer des fichiers.
session-no-organization-listed = Le serveur n'a indiqué aucune organisation pour cette clé. Saisissez l'ID de l'organisation (demandez-le à votre administrateur Asteroid).

## La file d'envoi : notes sur ses lignes (src/upload_queue)
queue-may-be-there-twice = Il est peut-être deux fois sur le serveur : un essai précédent a été enregistré sans réponse. Le doublon n'est jamais utilisé et expire de lui-même.
queue-id-given-twice = il a donné à un fichier un ID qu'il avait déjà donné à un autre
queue-requeued-shared-with-cancelled = Renvoyé depuis le début : il partageait une requête avec { $names }, qui a été annulé.
queue-requeued-shared-with-changed = Renvoyé depuis le début : il partageait une requête avec { $name }, qui a changé.
queue-requeued-split-after-refusal = Le serveur a refusé une requête que ce fichier partageait ; chaque fichier est maintenant envoyé seul.
queue-requeued-split-after-unclear-answer = La réponse du serveur n'indiquait pas clairement quel ID va avec quel fichier ; chaque fichier est maintenant envoyé seul, pour qu'aucun ne reçoive l'ID d'un autre.
queue-renamed = Le serveur l'a enregistré sous « { $name } » ; utilisez ce nom.
queue-renamed-unexplained = Le serveur l'a enregistré sous un autre nom, « { $name } » ; utilisez ce nom.
queue-internal-error-looking = une erreur interne a interrompu son examen ({ $reason })
queue-changed-since-staged = Il a changé depuis son premier dépôt : le nouvel ID correspond au fichier tel qu'il est maintenant.
queue-internal-error-saving = une erreur interne l'a interrompu ({ $reason })

## Dossiers ajoutés (src/folder_scan)
folder-scan-no-files-from = Aucun fichier de { $folder }
folder-scan-files-from = { $count ->
    [one] { $count } fichier de { $folder }
   *[other] { $count } fichiers de { $folder }
}
folder-scan-hidden-items = { $count ->
    [one] { $count } élément masqué
   *[other] { $count } éléments masqués
}
folder-scan-system-files = { $count ->
    [one] { $count } fichier système
   *[other] { $count } fichiers système
}
folder-scan-found-twice = { $count ->
    [one] { $count } fichier trouvé deux fois par un lien
   *[other] { $count } fichiers trouvés deux fois par des liens
}
folder-scan-and = { $first } et { $second }
folder-scan-skipped = ; { $items } ignorés
folder-scan-not-added = ; { $count ->
    [one] { $count } n'a pas pu être ajouté
   *[other] { $count } n'ont pas pu être ajoutés
}
folder-scan-question-one-folder = { $folder } contient { $files } ({ $size }).
folder-scan-question-two-folders = { $first } et { $second } contiennent { $files } ({ $size }).
folder-scan-question-more-folders = { $first } et { $others } autres dossiers contiennent { $files } ({ $size }).
folder-scan-question-with-others = Avec { $others ->
    [one] l'autre fichier ajouté
   *[other] les { $others } autres fichiers ajoutés
}, cela fait { $files } ({ $size }).
folder-scan-question-limit = Une exécution accepte au plus { $limit } de fichiers.
folder-scan-question-stage-all = Les déposer tous ?

## Images collées (src/clipboard.rs)
clipboard-image-size-mismatch = la taille de l'image ne correspond pas à ses pixels
clipboard-no-free-name = aucun nom libre pour l'image collée

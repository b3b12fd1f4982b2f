# Textes de la ligne de commande destinés aux personnes (stderr). Le JSON sur stdout n'est jamais traduit.

## Toutes les commandes
cli-wait-not-a-duration = « { $text } » n'est pas une durée ; écrivez-la comme 30s, 10m ou 1h (0 pour ne pas attendre)
cli-ids-not-written = Les ID n'ont pas pu être écrits sur la sortie ({ $reason }). Ils sont conservés dans l'historique : `asteroid-stager history --json` les affiche.
cli-reader-stopped = le programme qui la lisait s'est arrêté
cli-disk-full = le disque est plein
cli-note = Remarque : { $text }
cli-nothing-uploaded = Rien n'a été envoyé.
cli-window-failed = La fenêtre n'a pas pu s'ouvrir : { $reason }
cli-window-failed-use-cli = La ligne de commande fonctionne toujours : asteroid-stager stage FICHIER...

## stage
cli-could-not-start = Impossible de démarrer : { $reason }
cli-stopped = Arrêté. Ce qui a été déposé se trouve dans l'historique (asteroid-stager history).
cli-queue-stopped = La file d'envoi s'est arrêtée de façon inattendue.
cli-folder-nothing-to-stage = { $folder } : rien de ce qu'il contient ne peut être déposé. Vérifiez que c'est le bon dossier.
cli-skipped = Ignoré : { $problem }
cli-nothing-to-stage = Il n'y a aucun fichier à déposer dans ce qui a été donné.
cli-server-unreachable = le serveur est injoignable
cli-waiting-for-network = En attente du réseau ({ $reason })… nouvel essai dans { $seconds } s. Ctrl-C pour arrêter.
cli-interrupted-before-sending = Interrompu avant tout envoi. Rien n'a été envoyé.
cli-staging = Dépôt de { $files }, { $size }, pour l'organisation { $organization } sur { $host }…
cli-over-limit = Remarque : une exécution accepte au plus { $limit } de fichiers au total ; ceux-ci font { $size }.
cli-some-staged = { $staged ->
    [one] { $staged } fichier déposé sur { $count }
   *[other] { $staged } fichiers déposés sur { $count }
}.
cli-all-staged = { $count ->
    [one] Le fichier est déposé. Il expire dans { $lifetime }
   *[other] Les { $count } fichiers sont déposés. Ils expirent dans { $lifetime }
} ; passez le JSON ci-dessous comme « tempFiles » quand vous lancez une exécution d'agent.
cli-interrupted = Interrompu : annulation des envois en cours… (appuyez à nouveau sur Ctrl-C pour quitter immédiatement)
cli-a-file = un fichier
cli-retrying = Nouvel essai pour { $name } dans { $seconds } s (l'essai { $attempt } a échoué) : { $reason }
cli-network-down = En attente du réseau : { $reason }
cli-network-down-retry = Nouvel essai dans { $seconds } s, pendant { $wait } au plus en tout (--wait) ; Ctrl-C arrête.
cli-network-back = Le serveur est à nouveau joignable ; le dépôt continue.
cli-staged-one = Déposé : { $name } → { $id }
cli-failed = Échec : { $name } : { $error }
cli-cancelled = Annulé : { $name }
cli-history-not-saved = Attention : l'historique n'a pas pu être enregistré ({ $reason }). Les ID affichés ci-dessous restent valides.
cli-progress = { $done } sur { $total }
cli-key-how = Lancez `asteroid-stager key set` et collez votre clé (depuis platform.asteroid.ai → profil → API Keys), ou définissez { $env }.
cli-no-key-stored = Aucune clé d'API n'est enregistrée pour { $host }. { $how }
cli-no-key = Pas de clé d'API : { $problem }
cli-organization-not-found = Impossible de trouver votre organisation à partir de la clé : { $problem }
cli-several-organizations = La clé appartient à { $count } organisations ; indiquez laquelle avec --org (ou { $env }) :
cli-no-organization = La clé n'appartient à aucune organisation : elle ne peut donc pas déposer de fichiers. Vérifiez la clé, ou indiquez --org.

## history
cli-history-unreadable = La liste des fichiers déposés n'a pas pu être lue ({ $reason }). Elle est conservée dans { $path }.
cli-history-none-yet = Aucun fichier n'a encore été déposé depuis cet ordinateur (ou la liste a été vidée).
cli-history-none-valid = Aucun fichier déposé n'est encore valide : ils expirent au bout de { $lifetime }.
cli-history-none-here = Aucun fichier déposé n'est listé pour l'organisation { $organization } sur { $host }. { $elsewhere }
cli-history-how-to-stage = Déposez des fichiers avec `asteroid-stager stage FICHIER...` ou dans la fenêtre.
cli-history-heading = Organisation { $organization } sur { $server } :
cli-history-expired = expiré
cli-history-summary = { $count ->
    [one] { $count } fichier
   *[other] { $count } fichiers
}. `asteroid-stager history --json` les affiche sous la forme { $json }.
cli-history-summary-for = { $count ->
    [one] { $count } fichier
   *[other] { $count } fichiers
} pour l'organisation { $organization } sur { $host }. `asteroid-stager history --json` les affiche sous la forme { $json }.
cli-history-elsewhere = { $count ->
    [one] { $count } fichier déposé pour d'autres organisations ou serveurs n'est pas listé
   *[other] { $count } fichiers déposés pour d'autres organisations ou serveurs ne sont pas listés
} (`--all-orgs` les liste).
cli-history-several-scopes = Les fichiers déposés appartiennent à { $count } organisations ou serveurs, et une liste d'ID ne peut servir que pour un seul. Indiquez lequel avec --org (ou { $env }), ou --all-orgs pour tous :
cli-history-not-written = La liste n'a pas pu être écrite sur la sortie ({ $reason }). Les fichiers sont toujours dans l'historique : relancez `asteroid-stager history` avec une autre sortie.

## key
cli-key-saved = La clé d'API pour { $host } est enregistrée dans { $place }.
cli-key-stored = Une clé d'API pour { $host } est enregistrée dans { $place }.
cli-key-environment-too = { $env } est aussi défini et il est utilisé à la place.
cli-key-environment-only = Aucune clé d'API n'est enregistrée pour { $host } ; { $env } est défini et il est utilisé.
cli-key-none = Aucune clé d'API n'est enregistrée pour { $host }. Lancez `asteroid-stager key set` et collez-la.
cli-key-removed = La clé d'API pour { $host } a été retirée du trousseau.
cli-key-nothing-to-remove = Il n'y avait aucune clé d'API à retirer pour { $host }.
cli-key-prompt = Collez votre clé d'API (depuis platform.asteroid.ai → profil → API Keys ; elle ne s'affiche pas) :{ " " }
cli-key-unreadable = Impossible de lire la clé : { $reason }
cli-key-unreadable-stdin = Impossible de lire la clé sur l'entrée standard : { $reason }

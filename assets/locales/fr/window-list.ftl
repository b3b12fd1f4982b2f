# La liste des fichiers déposés (staged-…) et les envois (uploads-…).

## Fichiers déposés

-staged-json-form = un JSON valide à lui seul, et le début du corps de la requête d'une exécution d'agent

staged-heading = Fichiers déposés
staged-kept-for = Asteroid conserve chaque fichier { $lifetime } après son dépôt.
staged-elsewhere = { $count ->
    [one] { $count } fichier déposé pour d'autres organisations ou serveurs n'est pas affiché.
   *[other] { $count } fichiers déposés pour d'autres organisations ou serveurs ne sont pas affichés.
}
staged-empty = Les fichiers que vous déposez apparaissent ici avec leur ID, prêts à être copiés.
staged-clear-all-question = { $count ->
    [one] Retirer { $count } entrée de cette liste ? Un fichier pas encore expiré reste sur le serveur, mais son ID ne sera plus affiché ici.
   *[other] Retirer les { $count } entrées de cette liste ? Les fichiers pas encore expirés restent sur le serveur, mais leurs ID ne seront plus affichés ici.
}
staged-clear-all-yes = Oui, vider la liste
staged-clear-all-no = Garder la liste
staged-no-match = Aucun fichier déposé ne correspond à « { $filter } ».
staged-filter = Filtrer
staged-filter-hint = nom ou ID (Ctrl+F)
staged-filter-clear = Effacer le filtre
staged-filter-clear-hover = Effacer le filtre (Échap)
staged-shown-count = { $shown } sur { $total } affichés
staged-copy-all-ids = Copier tous les ID
staged-copy-all-ids-hover = Les fichiers pas encore expirés : leurs ID, un par ligne
staged-copy-all-json = Copier en JSON tempFiles
staged-copy-all-json-hover = Les fichiers pas encore expirés, au format { $json } : { -staged-json-form }
staged-copy-shown-ids = Copier les ID affichés
staged-copy-shown-ids-hover = Les fichiers affichés (pas encore expirés) : leurs ID, un par ligne
staged-copy-shown-json = Copier les affichés en JSON
staged-copy-shown-json-hover = Les fichiers affichés (pas encore expirés), au format { $json } : { -staged-json-form }
staged-stage-expired-again = Redéposer les expirés
staged-stage-expired-again-hover = Déposer à nouveau chaque fichier expiré depuis son fichier sur cet ordinateur ; les nouveaux ID remplacent les anciens
staged-clear-expired = Retirer les expirés
staged-clear-expired-hover = Retirer de cette liste les fichiers qu'Asteroid a déjà supprimés
staged-clear-all = Tout retirer…
staged-more = Autres actions sur la liste
staged-more-hover = Redéposer les expirés, retirer les expirés, tout retirer
staged-selected = { $count ->
    [one] { $count } fichier sélectionné · { $size }
   *[other] { $count } fichiers sélectionnés · { $size }
}
staged-tick-hint = Cochez des fichiers pour en copier plusieurs à la fois
staged-copy-selected-json = Copier la sélection en JSON
staged-copy-selected-json-hover = Les fichiers sélectionnés pas encore expirés, au format { $json } : { -staged-json-form }
staged-copy-selected-ids = Copier les ID sélectionnés
staged-copy-selected-ids-hover = Les ID des fichiers sélectionnés pas encore expirés, un par ligne
staged-clear-selection = Effacer la sélection
staged-over-limit = plus que les { $limit } qu'une exécution peut utiliser
staged-group-title = { $group } à { $time } · { $count ->
    [one] { $count } fichier
   *[other] { $count } fichiers
} · { $size }
staged-group-title-undated = { $group } · { $count ->
    [one] { $count } fichier
   *[other] { $count } fichiers
} · { $size }
staged-group-stage-again-hover = Déposer à nouveau les fichiers expirés de ce groupe ; les nouveaux ID prennent leur place
staged-group-stage-again-name = Redéposer les expirés de { $group }
staged-select = Sélectionner
staged-select-name = Sélectionner { $name }
staged-group-copy-json = Copier en JSON tempFiles
staged-group-copy-json-hover = Les fichiers de ce groupe pas encore expirés, au format { $json } : { -staged-json-form }
staged-group-copy-json-name = Copier en JSON tempFiles : { $group }
staged-staged-as = Déposé sous le nom « { $name } » · { $size }
staged-stage-again = Redéposer
staged-stage-again-hover = Déposer à nouveau le fichier depuis cet ordinateur ; le nouvel ID remplace celui-ci
staged-restaging-hover = Nouveau dépôt en cours : son nouvel ID apparaîtra ici
staged-stage-again-name = Redéposer { $name }
staged-expired = expiré
staged-copy = Copier
staged-copy-name = Copier l'ID du fichier { $name }
staged-same-names-title = Copier des fichiers qui portent le même nom ?
staged-same-names-one = { $count ->
    [one] { $count } s'appelle « { $name } »
   *[other] { $count } s'appellent « { $name } »
}
staged-list-separator = {", "}
staged-same-names-question = { $count ->
    [one] Sur { $count } fichier à copier, { $names }.
   *[other] Sur les { $count } fichiers à copier, { $names }.
}
staged-same-names-explain = Un agent qui les reçoit voit le même nom pour des fichiers différents et ne peut pas les distinguer. Renommez-les et déposez-les à nouveau, ou copiez-les tels quels.
staged-copy-anyway = Copier quand même
staged-dont-copy = Ne pas copier
staged-copied = Copié dans le presse-papiers
staged-copied-id = ID du fichier { $name } copié

## Envois

uploads-heading = Envois
uploads-looking = Examen des fichiers…
uploads-summary-staging = Dépôt { $current } sur { $total }
uploads-summary-failed = { $count } en échec
uploads-summary-cancelled = { $count ->
    [one] { $count } annulé
   *[other] { $count } annulés
}
uploads-cancel-all = Tout annuler
uploads-cancel-all-hover = Arrêter tous les envois qui ne sont pas terminés
uploads-retry-failed = Réessayer les échecs
uploads-retry-failed-hover = Renvoyer les fichiers en échec (eux seuls)
uploads-clear-finished = Retirer les terminés
uploads-clear-finished-hover = Retirer de cette liste les fichiers en échec, annulés et refusés
uploads-network-retrying-now = En attente du réseau… nouvel essai maintenant
uploads-network-retrying-in = En attente du réseau… nouvel essai dans { $seconds } s
uploads-retry-now = Réessayer maintenant
uploads-retry-now-hover = Essayer de joindre le serveur tout de suite
uploads-progress-of = Progression de { $name }
uploads-cancel = Annuler
uploads-cancel-name = Annuler { $name }
uploads-retry = Réessayer
uploads-retry-name = Réessayer { $name }
uploads-remove = Retirer
uploads-remove-name = Retirer { $name }
uploads-status-held = En attente de votre réponse ci-dessus
uploads-status-waiting = En attente d'envoi
uploads-status-network = En attente du réseau ; il partira de lui-même dès que le serveur sera joignable
uploads-status-sending = Envoi en cours
uploads-status-network-again = En attente du réseau ; il sera renvoyé de lui-même dès que le serveur sera joignable
uploads-status-confirming = Envoyé ; en attente de la confirmation du serveur
uploads-status-confirming-for = Envoyé ; en attente de la confirmation du serveur (depuis { $seconds } s)
uploads-status-retrying = Nouvel essai (essai { $number } sur { $max })…
uploads-status-retry-wait = Nouvel essai dans { $seconds } s (essai { $number } sur { $max })
uploads-status-staged = Déposé. ID { $id }
uploads-status-failed = Échec : { $reason }
uploads-status-cancelled = Annulé. Cliquez sur Réessayer pour l'envoyer à nouveau.
uploads-status-refused = Non ajouté : { $reason }
uploads-drop-title = Glissez des fichiers ou des dossiers ici
uploads-drop-explain = Ils sont envoyés aussitôt, et leurs ID apparaissent ici, prêts à être copiés dans une exécution d'agent.
uploads-add-files = Ajouter des fichiers…
uploads-add-files-hover = Choisir des fichiers à déposer (Ctrl+O)
uploads-add-folder = Ajouter un dossier…
uploads-add-folder-hover = Choisir des dossiers à déposer avec tous leurs fichiers (Ctrl+Maj+O)
uploads-paste = Coller
uploads-paste-hover = Déposer une capture d'écran ou des fichiers copiés dans votre gestionnaire de fichiers (Ctrl+V)
uploads-drop-limits = Asteroid conserve les fichiers déposés { $lifetime }. Une exécution accepte au plus { $limit } de fichiers.
uploads-question-title = Déposer tous ces fichiers ?
uploads-question-yes = Tout déposer
uploads-question-no = Ne pas les déposer
uploads-drop-overlay = { $count ->
    [one] Lâchez le fichier pour le déposer
   *[other] Lâchez les { $count } fichiers pour les déposer
}

# Texts the window's state words: notices, form errors, the desktop notification.

## Notices under the top bar
notice-cancel = Annuler
notice-resumed = { $count ->
    [one] { $count } fichier qui n'était pas terminé à la fermeture d'Asteroid Stager est en cours de dépôt.
   *[other] { $count } fichiers qui n'étaient pas terminés à la fermeture d'Asteroid Stager sont en cours de dépôt.
}
notice-resumed-maybe-twice = { $count ->
    [one] L'un d'eux est peut-être deux fois sur le serveur (il était en cours d'envoi à la fermeture d'Asteroid Stager) ; la copie en trop n'est jamais utilisée et expire d'elle-même.
   *[other] { $count } d'entre eux sont peut-être deux fois sur le serveur (ils étaient en cours d'envoi à la fermeture d'Asteroid Stager) ; les copies en trop ne sont jamais utilisées et expirent d'elles-mêmes.
}
notice-not-resumed = { $count ->
    [one] { $count } fichier qui n'était pas terminé à la fermeture d'Asteroid Stager n'a pas été redéposé : il a été modifié ou n'existe plus ({ $names }). Ajoutez-le à nouveau si vous en avez encore besoin.
   *[other] { $count } fichiers qui n'étaient pas terminés à la fermeture d'Asteroid Stager n'ont pas été redéposés : ils ont été modifiés ou n'existent plus ({ $names }). Ajoutez-les à nouveau si vous en avez encore besoin.
}
notice-two-sentences = { $first } { $second }
notice-internal-error = une erreur interne l'a interrompu ({ $reason })

## The desktop notification when a group is staged while the window is in the background
notice-notification-staged = { $count ->
    [one] { $count } fichier déposé ; les ID sont prêts à être copiés.
   *[other] { $count } fichiers déposés ; les ID sont prêts à être copiés.
}
notice-notification-staged-failed = { $count ->
    [one] { $count } fichier déposé, { $failed } en échec : ouvrez la fenêtre pour savoir pourquoi.
   *[other] { $count } fichiers déposés, { $failed } en échec : ouvrez la fenêtre pour savoir pourquoi.
}

## Key, organization and server
connection-base-url-from-env = { $problem } (depuis { $variable })
connection-signed-out = Déconnecté : la clé d'API a été supprimée de cet ordinateur. Saisissez une clé pour déposer à nouveau des fichiers.
connection-key-not-removed = La clé n'a pas pu être supprimée du trousseau. { $reason }
connection-env-key-still-set = { $variable } est toujours défini dans l'environnement ; supprimez cette variable pour ne plus utiliser cette clé.
connection-settings-not-saved = Les paramètres n'ont pas pu être enregistrés dans { $path } ({ $reason }) ; ils s'appliquent jusqu'à la fermeture de la fenêtre.
connection-unreachable = { $host } est injoignable

## The staged list
staged-state-earlier = Plus tôt
staged-state-history-not-saved = La liste des fichiers déposés n'a pas pu être enregistrée dans { $path } ({ $reason }). Les ID sont affichés ci-dessous ; copiez-les avant de fermer la fenêtre. L'enregistrement sera retenté automatiquement.
staged-state-history-saved-again = { $count ->
    [one] La liste des fichiers déposés est de nouveau enregistrée ({ $count } enregistrement en attente écrit dans { $path }).
   *[other] La liste des fichiers déposés est de nouveau enregistrée ({ $count } enregistrements en attente écrits dans { $path }).
}
staged-state-history-change-not-saved = La liste des fichiers déposés n'a pas pu être enregistrée ({ $reason }). Vérifiez que { $path } est accessible en écriture.

## Stage again
restage-source-unknown = { $count ->
    [one] { $names } ne peut pas être redéposé d'ici : l'emplacement du fichier est inconnu (il a été déposé par une version plus ancienne). Ajoutez-le à nouveau.
   *[other] { $names } ne peuvent pas être redéposés d'ici : l'emplacement des fichiers est inconnu (ils ont été déposés par une version plus ancienne). Ajoutez-les à nouveau.
}
restage-gone = Le fichier d'origine n'est plus à l'emplacement { $path }. Si vous l'avez déplacé ou renommé, ajoutez-le à nouveau depuis son emplacement actuel.
restage-gone-several = { $count } fichiers d'origine ne sont plus à leur emplacement ({ $paths }). Si vous les avez déplacés ou renommés, ajoutez-les à nouveau depuis leur emplacement actuel.

## Adding files
uploads-state-clipboard-empty = Le presse-papiers ne contient ni image ni fichier. Copiez une capture d'écran, ou des fichiers dans votre gestionnaire de fichiers, puis appuyez sur Ctrl+V ici.
uploads-state-image-not-saved = L'image collée n'a pas pu être enregistrée pour être déposée ({ $reason }).
uploads-state-no-file-chosen = Aucun fichier n'a été choisi. Si aucune fenêtre de sélection ne s'est ouverte, faites plutôt glisser les fichiers sur cette fenêtre.
uploads-state-file-note = { $name } : { $note }
uploads-state-refused = { $count ->
    [one] { $count } élément n'a pas pu être ajouté ; la liste ci-dessous indique pourquoi.
   *[other] { $count } éléments n'ont pas pu être ajoutés ; la liste ci-dessous indique pourquoi.
}
uploads-state-dialog-files = Ajouter des fichiers à déposer
uploads-state-dialog-folders = Ajouter des dossiers à déposer

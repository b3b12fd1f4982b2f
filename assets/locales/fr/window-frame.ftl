# The window's frame: its title, the top bar, the key and organization steps, Settings,
# About and the quit question.

## The window

window-title = Asteroid Stager
window-history-unreadable = La liste des fichiers déposés n’a pas pu être lue ({ $reason }).
window-no-workers = impossible de démarrer les tâches d’arrière-plan ({ $reason })
window-quit-title = Quitter Asteroid Stager ?
window-quit-running = { $count ->
    [one] { $count } envoi est encore en cours : quitter et l’annuler ?
   *[other] { $count } envois sont encore en cours : quitter et les annuler ?
}
window-quit-staged-kept = Les fichiers déjà déposés gardent leur ID ; ils seront dans la liste à votre retour.
window-quit-and-cancel = Quitter et annuler
window-keep-uploading = Continuer l’envoi

## The top bar

top-bar-organization = Organisation : { $name }
top-bar-organization-hover = ID de l’organisation { $id }
top-bar-settings = Paramètres
top-bar-close-settings = Fermer les paramètres
top-bar-settings-hover = Clé d’API, organisation et adresse du serveur
top-bar-about = À propos
top-bar-about-hover = Version, serveur et emplacement des fichiers de l’app
top-bar-add-files = Ajouter des fichiers…
top-bar-add-files-hover = Choisir des fichiers à déposer (Ctrl+O) ; vous pouvez aussi les glisser sur cette fenêtre ou les coller avec Ctrl+V
top-bar-add-folder = Ajouter un dossier…
top-bar-add-folder-hover = Choisir des dossiers et déposer tous les fichiers qu’ils contiennent (Ctrl+Maj+O)
top-bar-dismiss = Fermer

## The key and the organization, before work

key-setup-loading = Recherche de votre clé d’API dans le trousseau…
key-setup-checking = Vérification de la clé d’API auprès de { $host }…
key-setup-saving = La clé fonctionne. Enregistrement dans le trousseau…
key-setup-bad-server = L’adresse du serveur n’est pas valide
key-setup-bad-server-hint = Corrigez-la dans les Paramètres ou utilisez l’adresse par défaut.
key-setup-files-waiting = { $count ->
    [one] { $count } fichier en attente ; il sera envoyé dès que la clé et l’organisation seront définies.
   *[other] { $count } fichiers en attente ; ils seront envoyés dès que la clé et l’organisation seront définies.
}
key-setup-network-wait = En attente du réseau ({ $reason })… { $when }
key-setup-trying-again-now = nouvelle tentative en cours
key-setup-trying-again-in = nouvelle tentative dans { $seconds } s
key-setup-network-wait-hint = La clé sera vérifiée dès que le serveur répondra ; les fichiers ajoutés entre-temps attendront.
key-setup-retry-now = Réessayer maintenant
key-setup-retry-now-hover = Essayer de joindre le serveur tout de suite
key-setup-stop-waiting = Ne plus attendre
key-setup-stop-waiting-hover = Arrêter d’essayer, pour saisir une autre clé ou changer de serveur dans les Paramètres
key-setup-replace-heading = Remplacer la clé d’API
key-setup-connect-heading = Se connecter à Asteroid
key-setup-where-to-find = Pour déposer des fichiers, cette app a besoin de votre clé d’API Asteroid. Vous la trouverez sur platform.asteroid.ai → votre profil (en haut à droite) → API Keys. Copiez-y la clé et collez-la ci-dessous.
key-setup-open-platform = Ouvrir platform.asteroid.ai
key-setup-session-only = Utiliser la clé pour cette session seulement
key-setup-session-only-hover = La clé reste en mémoire jusqu’à la fermeture de la fenêtre, jamais sur le disque
key-setup-retry-keychain = Réessayer le trousseau
key-setup-key = Clé d’API
key-setup-key-hint = Collez votre clé d’API ici
key-setup-paste = Coller
key-setup-paste-hover = Coller la clé depuis le presse-papiers
key-setup-show = Afficher
key-setup-hide = Masquer
key-setup-show-hover = Afficher ou masquer les caractères de la clé
key-setup-check-and-save = Vérifier et enregistrer
key-setup-keep-current = Garder la clé actuelle
key-setup-kept-in = La clé est vérifiée auprès du serveur, puis conservée dans { $store } — jamais dans un fichier.
key-setup-choose-organization = Choisissez l’organisation
key-setup-cancel = Annuler
key-setup-cancel-hover = Garder l’organisation actuelle et revenir à la liste
key-setup-organization-choice = { $name } ({ $id })
key-setup-organization-id = Ou saisissez un ID d’organisation
key-setup-organization-id-hint = l’ID de l’organisation
key-setup-use-organization = Utiliser cette organisation

## Settings

settings-title = Paramètres
settings-close = Fermer
settings-api-key = Clé d’API
settings-key-from-environment = La clé provient de la variable d’environnement { $variable } ; cette app ne l’enregistre pas.
settings-key-kept = La clé utilisée est conservée dans : { $store }
settings-key-looking = Recherche d’une clé dans : { $store }
settings-key-checking = Vérification de la clé auprès de { $host }…
settings-key-waiting-for-network = En attente du réseau pour vérifier la clé…
settings-key-saving = La clé fonctionne. Enregistrement dans : { $store }
settings-key-not-saved = La clé fonctionne mais n’est pas encore enregistrée : choisissez où la conserver.
settings-key-after-server = La clé sera recherchée dès que l’adresse du serveur sera valide.
settings-no-key = Pas encore de clé.
settings-key-will-be-kept-in = Une clé saisie sera conservée dans : { $store }
settings-account = Compte : { $email }
settings-replace-key = Remplacer la clé…
settings-replace-key-hover = Saisir une autre clé d’API ; elle remplace celle enregistrée dès que le serveur l’accepte
settings-replace-key-from-environment = La clé provient de { $variable } ; modifiez-la à cet endroit
settings-sign-out = Se déconnecter…
settings-sign-out-hover = Supprimer la clé enregistrée de cet ordinateur (avec confirmation)
settings-sign-out-from-environment = La clé provient de { $variable } ; supprimez cette variable pour vous déconnecter
settings-sign-out-question = Se déconnecter ?
settings-sign-out-explain = La clé d’API sera supprimée de { $store }. Pour déposer à nouveau des fichiers, vous devrez coller une clé.
settings-sign-out-files-kept = Les fichiers déjà déposés gardent leur ID et restent dans la liste.
settings-cancel = Annuler
settings-sign-out-confirm = Se déconnecter et supprimer la clé
settings-organization = Organisation
settings-organization-not-chosen = Pas encore choisie.
settings-organization-set-by = Définie par { $variable }.
settings-choose-another-organization = Choisir une autre organisation
settings-choose-another-organization-hover = Redemander au serveur à quelles organisations la clé appartient
settings-server = Adresse du serveur (avancé)
settings-server-explain = Ne modifiez ceci que si le support Asteroid vous l’a demandé. Chaque serveur a sa propre clé enregistrée.
settings-server-set-by = Définie par { $variable } : { $address }
settings-server-address = Adresse du serveur
settings-save-address = Enregistrer l’adresse
settings-use-default-address = Adresse par défaut
settings-notifications = Notifications
settings-notify-when-staged = Me prévenir quand des fichiers sont déposés pendant que cette fenêtre est en arrière-plan
settings-files = Fichiers
settings-history-file = Les fichiers déposés sont listés dans { $path }
settings-settings-file = Les paramètres sont conservés dans { $path }

## About

about-title = À propos d’Asteroid Stager
about-version = Asteroid Stager { $version }
about-what = Dépose des fichiers sur l’API Asteroid Agents et liste leurs ID à copier.
about-server = Serveur
about-key-kept-in = Clé d’API conservée dans
about-history = Historique
about-settings = Paramètres
about-documentation = Documentation d’Asteroid
about-close = Fermer

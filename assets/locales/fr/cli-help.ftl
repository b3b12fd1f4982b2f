# Les textes de --help de la ligne de commande (les mots de clap, comme "Usage:", restent en anglais).
# { "{" } et { "}" } écrivent une accolade.

## asteroid-stager
cli-help-about = Déposer des fichiers sur l'API Asteroid Agents et copier leurs ID.
cli-help-no-command = Sans commande, ouvre la fenêtre (avec les FILES déjà ajoutés).
cli-help-files = Fichiers à ajouter dans la fenêtre, tels qu'un gestionnaire de fichiers les transmet avec « Ouvrir avec »
cli-help-stage = Déposer des fichiers et afficher { "{" }"tempFiles":[…]{ "}" } pour une exécution d'agent
cli-help-history = Lister les fichiers déposés qui n'ont pas expiré (leurs ID restent utilisables)
cli-help-key = Enregistrer, vérifier ou supprimer la clé d'API dans le trousseau du système

## asteroid-stager stage
cli-help-stage-org = ID de l'organisation (par défaut : ASTEROID_ORG_ID, les paramètres ou la seule organisation de la clé)
cli-help-stage-base-url = Adresse de l'API (par défaut : ASTEROID_BASE_URL, les paramètres ou https://odyssey.asteroid.ai/agents/v2)
cli-help-stage-wait = Combien de temps attendre le réseau quand le serveur est injoignable (par ex. 30s, 10m, 1h) ; avec 0, échoue aussitôt après les nouvelles tentatives habituelles
cli-help-stage-files = Les fichiers (ou dossiers) à déposer

## asteroid-stager history
cli-help-history-json = Afficher { "{" }"tempFiles":[…]{ "}" } (pour les scripts) au lieu d'une liste
cli-help-history-all = Inclure les fichiers expirés
cli-help-history-org = Lister les fichiers de cette organisation (par défaut : ASTEROID_ORG_ID ou les paramètres, comme pour `stage`)
cli-help-history-base-url = Lister les fichiers déposés à cette adresse d'API (par défaut : ASTEROID_BASE_URL, les paramètres ou https://odyssey.asteroid.ai/agents/v2)
cli-help-history-all-orgs = Lister les fichiers de toutes les organisations, sur tous les serveurs, chacun sous son organisation

## asteroid-stager key
cli-help-key-set = Lire la clé sur l'entrée standard (non affichée dans un terminal) et l'enregistrer
cli-help-key-status = Indiquer si une clé est enregistrée pour le serveur
cli-help-key-delete = Supprimer la clé enregistrée pour le serveur
cli-help-key-base-url = L'adresse de l'API à laquelle appartient la clé (le trousseau garde une clé par serveur)

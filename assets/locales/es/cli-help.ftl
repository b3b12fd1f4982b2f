# Los textos de --help de la línea de comandos (las palabras de clap, como "Usage:", siguen en inglés).
# { "{" } y { "}" } escriben una llave.

## asteroid-stager
cli-help-about = Subir archivos a la API de Asteroid Agents y copiar sus ID.
cli-help-no-command = Sin comando, abre la ventana (con los FILES ya añadidos).
cli-help-files = Archivos que añadir en la ventana, tal como los pasa «Abrir con» de un gestor de archivos
cli-help-stage = Subir archivos y mostrar { "{" }"tempFiles":[…]{ "}" } para una ejecución de agente
cli-help-history = Listar los archivos subidos que no han caducado (sus ID se pueden volver a usar)
cli-help-key = Guardar, comprobar o quitar la clave de API en el llavero del sistema

## asteroid-stager stage
cli-help-stage-org = ID de la organización (por defecto: ASTEROID_ORG_ID, los ajustes o la única organización de la clave)
cli-help-stage-base-url = Dirección de la API (por defecto: ASTEROID_BASE_URL, los ajustes o https://odyssey.asteroid.ai/agents/v2)
cli-help-stage-wait = Cuánto esperar a la red cuando no se puede llegar al servidor (p. ej., 30s, 10m, 1h); con 0 falla en cuanto se agotan los reintentos habituales
cli-help-stage-files = Los archivos (o carpetas) que subir

## asteroid-stager history
cli-help-history-json = Mostrar { "{" }"tempFiles":[…]{ "}" } (para scripts) en lugar de una lista
cli-help-history-all = Incluir los archivos caducados
cli-help-history-org = Listar los archivos de esta organización (por defecto: ASTEROID_ORG_ID o los ajustes, como en `stage`)
cli-help-history-base-url = Listar los archivos subidos a esta dirección de la API (por defecto: ASTEROID_BASE_URL, los ajustes o https://odyssey.asteroid.ai/agents/v2)
cli-help-history-all-orgs = Listar los archivos de todas las organizaciones, en todos los servidores, cada uno bajo su organización

## asteroid-stager key
cli-help-key-set = Leer la clave de la entrada estándar (no se muestra en la terminal) y guardarla
cli-help-key-status = Indicar si hay una clave guardada para el servidor
cli-help-key-delete = Quitar la clave guardada para el servidor
cli-help-key-base-url = La dirección de la API a la que pertenece la clave (el llavero guarda una clave por servidor)

# Textos de la línea de comandos para personas (stderr). El JSON de stdout nunca se traduce.

## Todos los comandos
cli-wait-not-a-duration = «{ $text }» no es una duración; escríbela como 30s, 10m o 1h (0 para no esperar)
cli-ids-not-written = No se pudieron escribir los ID en la salida ({ $reason }). Se guardan en el historial: `asteroid-stager history --json` los muestra.
cli-reader-stopped = el programa que la leía se detuvo
cli-disk-full = el disco está lleno
cli-note = Nota: { $text }
cli-nothing-uploaded = No se subió nada.
cli-window-failed = No se pudo abrir la ventana: { $reason }
cli-window-failed-use-cli = La línea de comandos sigue funcionando: asteroid-stager stage ARCHIVO...

## stage
cli-could-not-start = No se pudo iniciar: { $reason }
cli-stopped = Detenido. Lo que se subió está en el historial (asteroid-stager history).
cli-queue-stopped = La cola de subida se detuvo de forma inesperada.
cli-folder-nothing-to-stage = { $folder }: no contiene nada que se pueda subir. Comprueba que sea la carpeta correcta.
cli-skipped = Omitido: { $problem }
cli-nothing-to-stage = En lo indicado no hay ningún archivo que subir.
cli-server-unreachable = no se puede conectar con el servidor
cli-waiting-for-network = Esperando la red ({ $reason })… se reintenta en { $seconds } s. Ctrl-C para detener.
cli-interrupted-before-sending = Interrumpido antes de enviar nada. No se subió nada.
cli-staging = Subiendo { $files }, { $size }, para la organización { $organization } en { $host }…
cli-over-limit = Nota: una ejecución admite como máximo { $limit } de archivos en total; estos ocupan { $size }.
cli-some-staged = { $staged } de { $count ->
    [one] { $count } archivo subido
   *[other] { $count } archivos subidos
}.
cli-all-staged = { $count ->
    [one] El archivo está subido. Caduca en { $lifetime }
   *[other] Los { $count } archivos están subidos. Caducan en { $lifetime }
}; pasa el JSON de abajo como "tempFiles" cuando inicies una ejecución de un agente.
cli-interrupted = Interrumpido: cancelando las subidas en curso… (pulsa Ctrl-C otra vez para salir ya)
cli-a-file = un archivo
cli-retrying = Se reintenta { $name } en { $seconds } s (falló el intento { $attempt }): { $reason }
cli-network-down = Esperando la red: { $reason }
cli-network-down-retry = Se reintenta en { $seconds } s, durante { $wait } como máximo en total (--wait); Ctrl-C detiene.
cli-network-back = Ya se puede conectar con el servidor; la subida continúa.
cli-staged-one = Subido: { $name } → { $id }
cli-failed = Error: { $name }: { $error }
cli-cancelled = Cancelado: { $name }
cli-history-not-saved = Aviso: no se pudo guardar el historial ({ $reason }). Los ID que aparecen abajo siguen siendo válidos.
cli-progress = { $done } de { $total }
cli-key-how = Ejecuta `asteroid-stager key set` y pega tu clave (de platform.asteroid.ai → perfil → API Keys), o define { $env }.
cli-no-key-stored = No hay ninguna clave de API guardada para { $host }. { $how }
cli-no-key = No hay clave de API: { $problem }
cli-organization-not-found = No se pudo encontrar tu organización a partir de la clave: { $problem }
cli-several-organizations = La clave pertenece a { $count } organizaciones; indica cuál con --org (o { $env }):
cli-no-organization = La clave no pertenece a ninguna organización, así que no puede subir archivos. Revisa la clave o indica --org.

## history
cli-history-unreadable = No se pudo leer la lista de archivos subidos ({ $reason }). Se guarda en { $path }.
cli-history-none-yet = Todavía no se ha subido ningún archivo desde este equipo (o se vació la lista).
cli-history-none-valid = Ningún archivo subido sigue siendo válido: caducan a los { $lifetime }.
cli-history-none-here = No hay archivos subidos en la lista para la organización { $organization } en { $host }. { $elsewhere }
cli-history-how-to-stage = Sube archivos con `asteroid-stager stage ARCHIVO...` o en la ventana.
cli-history-heading = Organización { $organization } en { $server }:
cli-history-expired = caducado
cli-history-summary = { $count ->
    [one] { $count } archivo
   *[other] { $count } archivos
}. `asteroid-stager history --json` los muestra como { $json }.
cli-history-summary-for = { $count ->
    [one] { $count } archivo
   *[other] { $count } archivos
} para la organización { $organization } en { $host }. `asteroid-stager history --json` los muestra como { $json }.
cli-history-elsewhere = { $count ->
    [one] No se muestra { $count } archivo subido para otras organizaciones o servidores
   *[other] No se muestran { $count } archivos subidos para otras organizaciones o servidores
} (`--all-orgs` los muestra).
cli-history-several-scopes = Los archivos subidos pertenecen a { $count } organizaciones o servidores, y una lista de ID solo se puede usar en uno. Indica cuál con --org (o { $env }), o --all-orgs para todos:
cli-history-not-written = No se pudo escribir la lista en la salida ({ $reason }). Los archivos siguen en el historial: vuelve a ejecutar `asteroid-stager history` con otra salida.

## key
cli-key-saved = Se guardó la clave de API de { $host } en { $place }.
cli-key-stored = Hay una clave de API de { $host } guardada en { $place }.
cli-key-environment-too = { $env } también está definida y se usa en su lugar.
cli-key-environment-only = No hay ninguna clave de API guardada para { $host }; { $env } está definida y se usa.
cli-key-none = No hay ninguna clave de API guardada para { $host }. Ejecuta `asteroid-stager key set` y pégala.
cli-key-removed = Se quitó del llavero la clave de API de { $host }.
cli-key-nothing-to-remove = No había ninguna clave de API de { $host } que quitar.
cli-key-prompt = Pega tu clave de API (de platform.asteroid.ai → perfil → API Keys; no se muestra):{ " " }
cli-key-unreadable = No se pudo leer la clave: { $reason }
cli-key-unreadable-stdin = No se pudo leer la clave de la entrada estándar: { $reason }

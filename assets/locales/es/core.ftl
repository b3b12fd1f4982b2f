# Textos del núcleo: errores, notas y avisos que muestran la ventana y la línea de comandos.

## Archivos que se comprueban antes de subirlos (src/local_file.rs)
local-file-not-found = { $name }: ese archivo no existe. Revisa el nombre o vuelve a elegir el archivo.
local-file-gone = El archivo original ya no está en { $name }: se movió, se cambió de nombre o se eliminó. Vuelve a añadirlo desde donde está ahora.
local-file-is-folder = { $name } es una carpeta. Añade los archivos que contiene.
local-file-permission-denied = No se puede leer { $name }: permiso denegado. Pide acceso a quien sea dueño del archivo, o cópialo a un lugar donde puedas leerlo.
local-file-link-loop = { $name } es un enlace que apunta a sí mismo (un bucle). Añade el archivo al que debería apuntar.
local-file-not-regular = { $name } no es un archivo normal (es: { $kind }). Solo se pueden subir archivos normales.
local-file-kind-pipe = tubería con nombre
local-file-kind-socket = socket
local-file-kind-device = dispositivo
local-file-kind-special = archivo especial
local-file-empty = { $name } está vacío (0 bytes), así que no hay nada que subir. Comprueba que sea el archivo correcto.
local-file-unreadable = No se puede leer { $name }: { $reason }.

## Números, tamaños y tiempos (src/format.rs)
format-sentences = { $first } { $second }
format-group-folder = Carpeta { $name }
format-group-one = { $how }: { $name }
format-group-dropped-one = Arrastrado
format-group-chosen-one = Elegido
format-group-pasted-one = Pegado
format-group-command-line-one = Línea de comandos
format-group-opened-with-one = Abierto con Asteroid Stager
format-group-many = { $what } { $how }
format-group-dropped = arrastrados
format-group-chosen = elegidos
format-group-pasted = pegados
format-group-command-line = desde la línea de comandos
format-group-opened-with = abiertos con Asteroid Stager
format-count-files-and-folders = { $count ->
    [one] { $count } archivo o carpeta
   *[other] { $count } archivos y carpetas
}
format-bytes = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}
format-decimal-separator = ,
format-unit-kb = KB
format-unit-mb = MB
format-unit-gb = GB
format-unit-tb = TB
format-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minutos
}
format-seconds-left = quedan { $count } s
format-minutes-left = quedan unos { $count } min
format-hours-minutes-left = quedan unas { $hours } h { $minutes } min
format-expires-in-minutes = caduca en { $count } min
format-expires-in-seconds = caduca en { $count } s
format-date-time = { $day } { $month }, { $time }
format-month-jan = ene
format-month-feb = feb
format-month-mar = mar
format-month-apr = abr
format-month-may = may
format-month-jun = jun
format-month-jul = jul
format-month-aug = ago
format-month-sep = sept
format-month-oct = oct
format-month-nov = nov
format-month-dec = dic

## La clave de API y el llavero (src/key_store.rs)
key-store-key-empty = La clave de API está vacía. Cópiala en platform.asteroid.ai → tu perfil → API Keys y pégala aquí.
key-store-key-has-spaces = Eso no parece una clave de API: tiene espacios o saltos de línea en medio. Vuelve a copiar la clave en platform.asteroid.ai → tu perfil → API Keys.
key-store-unavailable = No hay ningún llavero disponible en este equipo. Aun así, puedes usar la clave solo para esta sesión o ponerla en la variable de entorno { $env }.
key-store-locked = El llavero está bloqueado. Desbloquéalo (inicia sesión en tu escritorio) y vuelve a intentarlo, o usa la clave solo para esta sesión.
key-store-no-answer = El llavero no respondió en { $seconds } segundos. Pon la clave en { $env } para este comando, o desbloquea el llavero (inicia sesión en tu escritorio) y vuelve a intentarlo.
key-store-refused = El llavero rechazó la solicitud. Vuelve a intentarlo o usa la clave solo para esta sesión.
key-store-where = { $system }, entrada «{ $service }» / «{ $account }»
key-store-linux = el llavero de tu escritorio (GNOME Keyring o KWallet)
key-store-windows = el Administrador de credenciales de Windows
key-store-macos = el llavero de macOS
key-store-session-only = solo esta sesión (no se guarda)

## El servidor (src/api)
api-the-server = el servidor
api-details-http = Detalles: HTTP { $status }: { $text }
api-details-status = Detalles: HTTP { $status }
api-bad-key = El servidor no aceptó la clave de API. Revisa la clave en platform.asteroid.ai → tu perfil → API Keys y vuelve a introducirla.
api-not-member = La clave no pertenece a esta organización (el servidor dice: «{ $server_text }»). Revisa el ID de la organización o usa una clave de esa organización.
api-rejected = El servidor rechazó la subida (el servidor dice: «{ $server_text }»). Comprueba que sea el archivo correcto; volver a enviar el mismo archivo no servirá.
api-too-large = La subida es demasiado grande para el servidor. Una ejecución admite como máximo { $limit } de archivos en total.
api-rate-limited = El servidor está ocupado y pide esperar. La subida se reintenta automáticamente; si sigue fallando, inténtalo de nuevo en unos minutos.
api-server-failed = El servidor tuvo un error. No es culpa tuya; vuelve a intentarlo en un momento.
api-unexpected-status = El servidor respondió de una forma que la API no describe. Vuelve a intentarlo; si sigue pasando, revisa la dirección del servidor en Ajustes.
api-redirected-away = El servidor nos envió a otra dirección ({ $address }). La clave no se envió allí. Revisa la dirección del servidor en Ajustes.
api-redirected-after-upload = El servidor recibió la subida, pero nos envió a otra dirección en lugar de responder con los ID de los archivos. Puede que haya guardado los archivos; no se volvió a enviar nada, porque un reintento podría subir una segunda copia (una copia sin usar caduca sola). Confirma con tu administrador de Asteroid que la dirección del servidor es correcta antes de volver a subir estos archivos.
api-connection-lost = La conexión se cortó durante el envío. Vuelve a intentarlo; solo se reenvía este archivo. Si sigue pasando, revisa tu conexión a internet.
api-stalled = La subida se detuvo: no avanzó nada en { $seconds } segundos. Revisa tu conexión y vuelve a intentarlo.
api-no-answer = El servidor no respondió en los { $seconds } segundos siguientes a recibir el archivo. Vuelve a intentarlo en un momento.
api-malformed-answer = La respuesta del servidor no es la que promete la API ({ $reason }). Vuelve a intentarlo; si sigue pasando, revisa la dirección del servidor en Ajustes.
api-file-changed = { $name } cambió mientras se enviaba ({ $what }). No se guardó nada incorrecto: vuelve a intentarlo para enviar el archivo tal como está ahora.
api-file-unreadable = No se pudo leer { $name } durante el envío ({ $reason }). Revisa el archivo y vuelve a intentarlo.
api-setup = No se pudo preparar la conexión ({ $reason }).
api-internal = Un error interno detuvo esta subida; vuelve a intentarlo.
api-reason-refused = nada responde en { $host }
api-reason-name-not-found = no se encontró el nombre { $host }
api-reason-no-route = no hay ruta hasta { $host }
api-reason-timed-out = { $host } no respondió a tiempo
api-reason-proxy-unreachable = no se puede conectar con el servidor proxy
api-no-connection-refused = Nada responde en { $host }: el servidor no está funcionando allí o no se puede alcanzar desde esta red. Revisa la dirección del servidor; si es correcta, vuelve a intentarlo en unos minutos.
api-no-connection-name-not-found = No se encontró el nombre de servidor { $host }. Revisa tu conexión a internet y la dirección del servidor.
api-no-connection-no-route = Este equipo no tiene ruta hasta { $host }: parece que la red no funciona. Revisa tu conexión a internet (wifi, cable o VPN).
api-no-connection-timed-out = { $host } no respondió a tiempo. Revisa tu conexión a internet; en una red de empresa, revisa los ajustes del proxy.
api-no-connection-proxy-unreachable = No se puede conectar con el servidor proxy. Revisa los ajustes del proxy (HTTPS_PROXY o los ajustes de proxy del sistema) o consulta a tu departamento de informática.
api-no-connection-other = No se puede conectar con { $host }. Revisa tu conexión a internet y la dirección del servidor, y vuelve a intentarlo.
api-certificate-untrusted = Este equipo no confía en el certificado de { $host }, así que no se envió nada. En una red de empresa, instala el certificado raíz de tu empresa en el almacén de certificados del sistema (o indícalo con SSL_CERT_FILE); si no, revisa la dirección del servidor.
api-certificate-expired = El certificado de { $host } caducó o aún no es válido, así que no se envió nada. Comprueba que la fecha y la hora de este equipo sean correctas; si lo son, el administrador del servidor debe renovarlo.
api-certificate-name-mismatch = El certificado que presenta { $host } está emitido para otro nombre, así que no se envió nada. Revisa la dirección del servidor; en una red de empresa, consulta a tu departamento de informática.
api-certificate-other = No se pudo establecer una conexión segura con { $host }, así que no se envió nada. Revisa la dirección del servidor; en una red de empresa, consulta a tu departamento de informática.
api-proxy-needs-password = El servidor proxy pide usuario y contraseña, y no se dieron (o eran incorrectos), así que no se envió nada. Ponlos en la dirección del proxy (HTTPS_PROXY=http://usuario:contraseña@proxy:puerto) o consulta a tu departamento de informática.
api-proxy-refused = El servidor proxy se negó a conectarnos con el servidor, así que no se envió nada. Pregunta a tu departamento de informática si el proxy deja pasar esta dirección, o define NO_PROXY para ella.
api-answer-count = confirmó { $confirmed } de { $count ->
    [one] { $count } archivo enviado
   *[other] { $count } archivos enviados
}
api-answer-not-a-file-id = el ID dado para { $name } no es un ID de archivo
api-answer-same-id = dio el mismo ID a dos archivos
api-answer-names-unmatched = los nombres que listó no se pueden asociar a los archivos enviados sin adivinar
api-changed-not-regular = en su lugar hay ahora algo que no es un archivo normal
api-changed-gone = se eliminó o se movió
api-changed-size = ahora ocupa { $size } bytes; al añadirlo ocupaba { $added }
api-changed-modified = se modificó después de añadirlo
api-changed-grew = creció más allá de los { $expected } bytes que tenía
api-changed-while-sent = se modificó mientras se enviaba
api-changed-shrank = se redujo: solo quedaban por leer { $sent } de sus { $expected } bytes
api-changed-while-read = el archivo se modificó mientras se leía
api-client-context-unparsed = no se pudieron leer los datos de la cuenta: { $reason }
api-client-list-unparsed = no se pudo leer la lista de archivos subidos: { $reason }
api-client-too-many-redirects = demasiadas redirecciones
api-client-redirect-nowhere = una redirección sin dirección de destino
api-client-redirect-with-key = una redirección a una dirección que contiene la clave de API
api-client-redirect-unparsed = una redirección a una dirección no válida
api-client-unknown-host = un servidor desconocido
api-client-answer-too-large = la respuesta superaba los { $megabytes } MB
api-redacted-key = [tu clave de API]
api-client-key-not-a-header = la clave de API contiene caracteres que una cabecera no puede llevar
api-no-text = sin texto

## Direcciones de servidor e ID de organización (src/endpoint.rs)
endpoint-empty = La dirección del servidor está vacía. Escribe una dirección como { $example }.
endpoint-not-a-url = «{ $typed }» no es una dirección web. Escribe una dirección como { $example }.
endpoint-insecure = La dirección del servidor debe empezar por https:// (se escribió «{ $typed }»). El http:// simple solo se permite para este equipo (localhost).
endpoint-credentials = La dirección del servidor no puede contener usuario ni contraseña. Quita la parte anterior a «@».
endpoint-query = La dirección del servidor no puede contener partes con «?» o «#». Escribe solo la dirección, como { $example }.
endpoint-not-an-organization-id = «{ $typed }» no es un ID de organización. Vuelve a copiarlo de platform.asteroid.ai: un ID de organización tiene 36 letras, cifras y guiones.

## Al iniciar (src/startup.rs)
startup-settings-unusable = No se pudo usar el archivo de ajustes. { $problem }
startup-history-unusable = No se pudo usar el archivo del historial. { $problem }
startup-file-kept-aside = { $reason } { $file } se guardó como { $backup } y la aplicación empezó con uno nuevo.
startup-file-not-moved = { $reason } No se pudo apartar { $file }; la aplicación usa uno nuevo por ahora.
startup-file-unreadable = No se pudo leer el archivo ({ $reason }).
startup-file-newer = Este archivo lo escribió una versión más reciente de Asteroid Stager (formato { $found }; esta versión lee hasta el { $known }).
startup-file-damaged = El archivo está dañado ({ $reason }).

## El historial (src/history)
history-error-newer = lo escribió una versión más reciente de Asteroid Stager (formato { $found }; esta versión conoce el formato { $known }), así que esta versión solo lo lee: actualiza Asteroid Stager para guardar archivos nuevos en él
history-error-busy = otro Asteroid Stager lo mantuvo bloqueado más de { $seconds } segundos; vuelve a intentarlo en un momento
history-error-damaged = la base de datos está dañada ({ $reason })
history-error-unavailable = no se pudo abrir al iniciar Asteroid Stager ({ $reason })
history-error-database = un error inesperado de la base de datos ({ $reason })
history-disk-full = el disco está lleno
history-disk-read-only = la carpeta o el archivo es de solo lectura
history-disk-permission-denied = permiso denegado
history-disk-cannot-open = no se pudo abrir ni crear el archivo (revisa los permisos de la carpeta)
history-disk-io = no se pudo leer ni escribir en el disco
history-notice-imported = Se importaron { $count ->
    [one] { $count } archivo subido
   *[other] { $count } archivos subidos
} de { $from } al historial { $db }
history-notice-already-there = { " " }({ $count ->
    [one] { $count } ya estaba
   *[other] { $count } ya estaban
})
history-notice-old-kept = ; el archivo antiguo se guarda como { $kept }.
history-notice-old-not-renamed = ; no se pudo cambiar el nombre del archivo antiguo, así que se volverá a leer en el próximo inicio (nada se importa dos veces).
history-notice-not-imported = No se importó el historial antiguo { $file }: { $reason }
history-notice-not-imported-kept = ; se guarda como { $kept }.
history-notice-not-imported-left = ; se deja donde está y se volverá a intentar en el próximo inicio.
history-notice-damaged-kept = El historial { $db } estaba dañado ({ $reason }); se guarda como { $kept } y se empezó uno nuevo.
history-notice-damaged-not-moved = El historial { $db } está dañado ({ $reason }) y no se pudo apartar: los archivos subidos no se guardan en esta sesión. Copia sus ID antes de cerrar y mueve el archivo a otro lugar.
history-notice-newer = El historial { $db } lo escribió una versión más reciente de Asteroid Stager (formato { $found }; esta versión conoce el formato { $known }). Se muestra, pero no se modifica: los archivos que subas ahora no se guardan en él. Actualiza Asteroid Stager.
history-notice-unavailable = No se pudo abrir el historial { $db } ({ $reason }): los archivos subidos no se guardan en esta sesión. Copia sus ID antes de cerrar.
history-legacy-unreadable = no se pudo leer ({ $reason })
history-legacy-newer = lo escribió una versión más reciente de Asteroid Stager (formato { $found }; esta versión lee hasta el { $known })
history-legacy-damaged = está dañado ({ $reason })
history-legacy-not-copied = no se pudo copiar a la base de datos ({ $reason })
history-damaged-not-moved = { $reason }; no se pudo apartar: { $moving }

## La clave y la organización (src/session)
session-environment-key-unusable = { $env } está definida, pero no se puede usar: { $problem } O quítala para usar la clave guardada aquí.
session-environment-key-refused = Se rechazó la clave de { $env }. { $error }
session-stored-key-refused = La clave guardada ya no funciona. { $error } Si introduces una clave nueva, sustituye a la anterior.
session-enter-organization = Escribe el ID de la organización para la que subes archivos.
session-saved-organization-unusable = La organización guardada no se puede usar ({ $problem }).{ " " }
session-choose-among-several = Esta clave pertenece a varias organizaciones. Elige para cuál subes archivos.
session-choose-organization = Elige la organización para la que subes archivos.
session-no-organization-listed = El servidor no indicó ninguna organización para esta clave. Escribe el ID de la organización (pídeselo a tu administrador de Asteroid).

## La cola de subida: notas de sus filas (src/upload_queue)
queue-may-be-there-twice = Puede que esté dos veces en el servidor: un intento anterior se guardó sin respuesta. El duplicado nunca se usa y caduca solo.
queue-id-given-twice = dio a un archivo un ID que ya había dado a otro
queue-requeued-shared-with-cancelled = Se envía de nuevo desde el principio: compartía una solicitud con { $names }, que se canceló.
queue-requeued-shared-with-changed = Se envía de nuevo desde el principio: compartía una solicitud con { $name }, que cambió.
queue-requeued-split-after-refusal = El servidor rechazó una solicitud que compartía este archivo; ahora cada archivo se envía por separado.
queue-requeued-split-after-unclear-answer = La respuesta del servidor no dejaba claro qué ID es de cada archivo; ahora cada archivo se envía por separado, para que ninguno reciba el ID de otro.
queue-renamed = El servidor lo guardó como «{ $name }»; usa ese nombre.
queue-renamed-unexplained = El servidor lo guardó con otro nombre, «{ $name }»; usa ese nombre.
queue-internal-error-looking = un error interno interrumpió su revisión ({ $reason })
queue-changed-since-staged = Cambió desde que se subió por primera vez: el ID nuevo es del archivo tal como está ahora.
queue-internal-error-saving = un error interno lo interrumpió ({ $reason })

## Carpetas añadidas (src/folder_scan)
folder-scan-no-files-from = Ningún archivo de { $folder }
folder-scan-files-from = { $count ->
    [one] { $count } archivo de { $folder }
   *[other] { $count } archivos de { $folder }
}
folder-scan-hidden-items = { $count ->
    [one] { $count } elemento oculto
   *[other] { $count } elementos ocultos
}
folder-scan-system-files = { $count ->
    [one] { $count } archivo del sistema
   *[other] { $count } archivos del sistema
}
folder-scan-found-twice = { $count ->
    [one] { $count } archivo encontrado dos veces a través de un enlace
   *[other] { $count } archivos encontrados dos veces a través de enlaces
}
folder-scan-and = { $first } y { $second }
folder-scan-skipped = ; se omitieron { $items }
folder-scan-not-added = ; { $count ->
    [one] { $count } no se pudo añadir
   *[other] { $count } no se pudieron añadir
}
folder-scan-question-one-folder = { $folder } contiene { $files } ({ $size }).
folder-scan-question-two-folders = { $first } y { $second } contienen { $files } ({ $size }).
folder-scan-question-more-folders = { $first } y otras { $others } carpetas contienen { $files } ({ $size }).
folder-scan-question-with-others = Con { $others ->
    [one] { $others } archivo más añadido
   *[other] { $others } archivos más añadidos
}, son { $files } ({ $size }).
folder-scan-question-limit = Una ejecución admite como máximo { $limit } de archivos.
folder-scan-question-stage-all = ¿Subirlos todos?

## Imágenes pegadas (src/clipboard.rs)
clipboard-image-size-mismatch = el tamaño de la imagen no coincide con sus píxeles
clipboard-no-free-name = no hay ningún nombre libre para la imagen pegada

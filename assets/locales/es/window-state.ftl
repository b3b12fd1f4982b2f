# Texts the window's state words: notices, form errors, the desktop notification.

## Notices under the top bar
notice-cancel = Cancelar
notice-resumed = { $count ->
    [one] Se está subiendo ahora { $count } archivo que no había terminado cuando se cerró Asteroid Stager.
   *[other] Se están subiendo ahora { $count } archivos que no habían terminado cuando se cerró Asteroid Stager.
}
notice-resumed-maybe-twice = { $count ->
    [one] Puede que uno de ellos esté dos veces en el servidor (se estaba enviando cuando se cerró Asteroid Stager); la copia sobrante nunca se usa y caduca sola.
   *[other] Puede que { $count } de ellos estén dos veces en el servidor (se estaban enviando cuando se cerró Asteroid Stager); las copias sobrantes nunca se usan y caducan solas.
}
notice-not-resumed = { $count ->
    [one] { $count } archivo que no había terminado cuando se cerró Asteroid Stager no se ha vuelto a subir: ha cambiado o ya no está ({ $names }). Vuelve a añadirlo si aún lo necesitas.
   *[other] { $count } archivos que no habían terminado cuando se cerró Asteroid Stager no se han vuelto a subir: han cambiado o ya no están ({ $names }). Vuelve a añadirlos si aún los necesitas.
}
notice-two-sentences = { $first } { $second }
notice-internal-error = un error interno lo interrumpió ({ $reason })

## The desktop notification when a group is staged while the window is in the background
notice-notification-staged = { $count ->
    [one] { $count } archivo subido; los ID están listos para copiar.
   *[other] { $count } archivos subidos; los ID están listos para copiar.
}
notice-notification-staged-failed = { $count ->
    [one] { $count } archivo subido, { $failed } con errores: abre la ventana para ver por qué.
   *[other] { $count } archivos subidos, { $failed } con errores: abre la ventana para ver por qué.
}

## Key, organization and server
connection-base-url-from-env = { $problem } (de { $variable })
connection-signed-out = Sesión cerrada: la clave de API se ha eliminado de este equipo. Introduce una clave para volver a subir archivos.
connection-key-not-removed = No se ha podido eliminar la clave del llavero. { $reason }
connection-env-key-still-set = { $variable } sigue definida en el entorno; elimínala para dejar de usar esa clave.
connection-settings-not-saved = No se han podido guardar los ajustes en { $path } ({ $reason }); se aplican hasta que se cierre la ventana.
connection-unreachable = No se ha podido conectar con { $host }

## The staged list
staged-state-earlier = Anteriores
staged-state-history-not-saved = No se ha podido guardar la lista de archivos subidos en { $path } ({ $reason }). Los ID se muestran abajo; cópialos antes de cerrar la ventana. Se volverá a intentar guardar automáticamente.
staged-state-history-saved-again = { $count ->
    [one] La lista de archivos subidos se ha vuelto a guardar ({ $count } registro pendiente escrito en { $path }).
   *[other] La lista de archivos subidos se ha vuelto a guardar ({ $count } registros pendientes escritos en { $path }).
}
staged-state-history-change-not-saved = No se ha podido guardar la lista de archivos subidos ({ $reason }). Comprueba que se puede escribir en { $path }.

## Stage again
restage-source-unknown = { $count ->
    [one] { $names } no se puede volver a subir desde aquí: no se sabe dónde estaba el archivo (se subió con una versión anterior). Vuelve a añadirlo.
   *[other] { $names } no se pueden volver a subir desde aquí: no se sabe dónde estaban los archivos (se subieron con una versión anterior). Vuelve a añadirlos.
}
restage-gone = El archivo original ya no está en { $path }. Si lo has movido o le has cambiado el nombre, vuelve a añadirlo desde donde está ahora.
restage-gone-several = { $count } archivos originales ya no están donde estaban ({ $paths }). Si los has movido o les has cambiado el nombre, vuelve a añadirlos desde donde están ahora.

## Adding files
uploads-state-clipboard-empty = El portapapeles no contiene ninguna imagen ni archivos. Copia una captura de pantalla, o archivos en tu gestor de archivos, y pulsa Ctrl+V aquí.
uploads-state-image-not-saved = No se ha podido guardar la imagen pegada para subirla ({ $reason }).
uploads-state-no-file-chosen = No se ha elegido ningún archivo. Si no apareció ningún diálogo de archivos, arrastra los archivos a esta ventana.
uploads-state-file-note = { $name }: { $note }
uploads-state-refused = { $count ->
    [one] No se ha podido añadir { $count } elemento; la lista de abajo indica por qué.
   *[other] No se han podido añadir { $count } elementos; la lista de abajo indica por qué.
}
uploads-state-dialog-files = Añadir archivos para subir
uploads-state-dialog-folders = Añadir carpetas para subir

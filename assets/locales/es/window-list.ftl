# La lista de archivos subidos (staged-…) y las subidas (uploads-…).

## Archivos subidos

-staged-json-form = JSON válido por sí solo y el comienzo del cuerpo de la solicitud de una ejecución de agente

staged-heading = Archivos subidos
staged-kept-for = Asteroid guarda cada archivo { $lifetime } después de subirlo.
staged-elsewhere = { $count ->
    [one] No se muestra { $count } archivo subido para otras organizaciones o servidores.
   *[other] No se muestran { $count } archivos subidos para otras organizaciones o servidores.
}
staged-empty = Los archivos que subas aparecen aquí con su ID, listos para copiar.
staged-clear-all-question = { $count ->
    [one] ¿Quitar { $count } entrada de esta lista? Un archivo que aún no ha caducado sigue en el servidor, pero su ID dejará de mostrarse aquí.
   *[other] ¿Quitar las { $count } entradas de esta lista? Los archivos que aún no han caducado siguen en el servidor, pero sus ID dejarán de mostrarse aquí.
}
staged-clear-all-yes = Sí, vaciar la lista
staged-clear-all-no = Conservar la lista
staged-no-match = Ningún archivo subido coincide con «{ $filter }».
staged-filter = Filtro
staged-filter-hint = nombre o ID (Ctrl+F)
staged-filter-clear = Borrar el filtro
staged-filter-clear-hover = Borrar el filtro (Esc)
staged-shown-count = { $shown } de { $total } mostrados
staged-copy-all-ids = Copiar todos los ID
staged-copy-all-ids-hover = Los archivos que aún no han caducado: sus ID, uno por línea
staged-copy-all-json = Copiar como JSON tempFiles
staged-copy-all-json-hover = Los archivos que aún no han caducado, como { $json }: { -staged-json-form }
staged-copy-shown-ids = Copiar ID mostrados
staged-copy-shown-ids-hover = Los archivos mostrados (sin caducar): sus ID, uno por línea
staged-copy-shown-json = Copiar mostrados como JSON
staged-copy-shown-json-hover = Los archivos mostrados (sin caducar), como { $json }: { -staged-json-form }
staged-stage-expired-again = Volver a subir caducados
staged-stage-expired-again-hover = Vuelve a subir cada archivo caducado desde su archivo en este equipo; los nuevos ID ocupan el lugar de los antiguos
staged-clear-expired = Quitar caducados
staged-clear-expired-hover = Quita de esta lista los archivos que Asteroid ya ha eliminado
staged-clear-all = Quitar todo…
staged-more = Más acciones de la lista
staged-more-hover = Volver a subir caducados, quitar caducados, quitar todo
staged-selected = { $count ->
    [one] { $count } archivo seleccionado · { $size }
   *[other] { $count } archivos seleccionados · { $size }
}
staged-tick-hint = Marca archivos para copiar varios a la vez
staged-copy-selected-json = Copiar selección como JSON
staged-copy-selected-json-hover = Los archivos seleccionados sin caducar, como { $json }: { -staged-json-form }
staged-copy-selected-ids = Copiar ID seleccionados
staged-copy-selected-ids-hover = Los ID de los archivos seleccionados sin caducar, uno por línea
staged-clear-selection = Borrar selección
staged-over-limit = más de los { $limit } que puede usar una ejecución
staged-group-title = { $group } a las { $time } · { $count ->
    [one] { $count } archivo
   *[other] { $count } archivos
} · { $size }
staged-group-title-undated = { $group } · { $count ->
    [one] { $count } archivo
   *[other] { $count } archivos
} · { $size }
staged-group-stage-again-hover = Vuelve a subir los archivos caducados de este grupo; los nuevos ID ocupan su lugar
staged-group-stage-again-name = Volver a subir caducados en { $group }
staged-select = Seleccionar
staged-select-name = Seleccionar { $name }
staged-group-copy-json = Copiar JSON tempFiles
staged-group-copy-json-hover = Los archivos de este grupo sin caducar, como { $json }: { -staged-json-form }
staged-group-copy-json-name = Copiar JSON tempFiles de { $group }
staged-staged-as = Subido como «{ $name }» · { $size }
staged-stage-again = Volver a subir
staged-stage-again-hover = Vuelve a subir el archivo desde este equipo; el nuevo ID ocupa el lugar de este
staged-restaging-hover = Se está volviendo a subir: su nuevo ID aparecerá aquí
staged-stage-again-name = Volver a subir { $name }
staged-expired = caducado
staged-copy = Copiar
staged-copy-name = Copiar el ID del archivo { $name }
staged-same-names-title = ¿Copiar archivos con el mismo nombre?
staged-same-names-one = { $count ->
    [one] { $count } se llama «{ $name }»
   *[other] { $count } se llaman «{ $name }»
}
staged-list-separator = {", "}
staged-same-names-question = { $count ->
    [one] De { $count } archivo por copiar, { $names }.
   *[other] De los { $count } archivos por copiar, { $names }.
}
staged-same-names-explain = Un agente que los reciba verá el mismo nombre para archivos distintos y no podrá diferenciarlos. Cámbiales el nombre y vuelve a subirlos, o cópialos tal como están.
staged-copy-anyway = Copiar de todos modos
staged-dont-copy = No copiar
staged-copied = Copiado al portapapeles
staged-copied-id = Se copió el ID del archivo { $name }

## Subidas

uploads-heading = Subidas
uploads-looking = Revisando los archivos…
uploads-summary-staging = Subiendo { $current } de { $total }
uploads-summary-failed = { $count ->
    [one] { $count } fallido
   *[other] { $count } fallidos
}
uploads-summary-cancelled = { $count ->
    [one] { $count } cancelado
   *[other] { $count } cancelados
}
uploads-cancel-all = Cancelar todo
uploads-cancel-all-hover = Detiene todas las subidas que no han terminado
uploads-retry-failed = Reintentar fallidos
uploads-retry-failed-hover = Vuelve a enviar los archivos fallidos (solo esos)
uploads-clear-finished = Quitar terminados
uploads-clear-finished-hover = Quita de esta lista los archivos fallidos, cancelados y rechazados
uploads-network-retrying-now = Esperando la red… reintentando ahora
uploads-network-retrying-in = Esperando la red… nuevo intento en { $seconds } s
uploads-retry-now = Reintentar ahora
uploads-retry-now-hover = Intenta conectar con el servidor ahora mismo
uploads-progress-of = Progreso de { $name }
uploads-cancel = Cancelar
uploads-cancel-name = Cancelar { $name }
uploads-retry = Reintentar
uploads-retry-name = Reintentar { $name }
uploads-remove = Quitar
uploads-remove-name = Quitar { $name }
uploads-status-held = Esperando tu respuesta arriba
uploads-status-waiting = En espera de envío
uploads-status-network = Esperando la red; se enviará solo cuando se pueda conectar con el servidor
uploads-status-sending = Enviando
uploads-status-network-again = Esperando la red; se volverá a enviar solo cuando se pueda conectar con el servidor
uploads-status-confirming = Enviado; esperando la confirmación del servidor
uploads-status-confirming-for = Enviado; esperando la confirmación del servidor ({ $seconds } s hasta ahora)
uploads-status-retrying = Reintentando (intento { $number } de { $max })…
uploads-status-retry-wait = Nuevo intento en { $seconds } s (intento { $number } de { $max })
uploads-status-staged = Subido. ID { $id }
uploads-status-failed = Error: { $reason }
uploads-status-cancelled = Cancelado. Haz clic en Reintentar para enviarlo de nuevo.
uploads-status-refused = No añadido: { $reason }
uploads-drop-title = Suelta aquí archivos o carpetas
uploads-drop-explain = Se suben al instante y sus ID aparecen aquí, listos para copiar en una ejecución de agente.
uploads-add-files = Añadir archivos…
uploads-add-files-hover = Elige archivos para subir (Ctrl+O)
uploads-add-folder = Añadir carpeta…
uploads-add-folder-hover = Elige carpetas para subir con todos sus archivos (Ctrl+Mayús+O)
uploads-paste = Pegar
uploads-paste-hover = Sube una captura de pantalla o archivos copiados en tu gestor de archivos (Ctrl+V)
uploads-drop-limits = Asteroid guarda los archivos subidos { $lifetime }. Una ejecución admite como máximo { $limit } de archivos.
uploads-question-title = ¿Subir todos estos archivos?
uploads-question-yes = Subirlos todos
uploads-question-no = No subirlos
uploads-drop-overlay = { $count ->
    [one] Suelta el archivo para subirlo
   *[other] Suelta los { $count } archivos para subirlos
}

# The window's frame: its title, the top bar, the key and organization steps, Settings,
# About and the quit question.

## The window

window-title = Asteroid Stager
window-history-unreadable = No se pudo leer la lista de archivos subidos ({ $reason }).
window-no-workers = no se pudieron iniciar las tareas en segundo plano ({ $reason })
window-quit-title = ¿Salir de Asteroid Stager?
window-quit-running = { $count ->
    [one] Aún hay { $count } subida en curso: ¿salir y cancelarla?
   *[other] Aún hay { $count } subidas en curso: ¿salir y cancelarlas?
}
window-quit-staged-kept = Los archivos ya subidos conservan su ID; estarán en la lista cuando vuelvas.
window-quit-and-cancel = Salir y cancelar
window-keep-uploading = Seguir subiendo

## The top bar

top-bar-organization = Organización: { $name }
top-bar-organization-hover = ID de la organización { $id }
top-bar-settings = Ajustes
top-bar-close-settings = Cerrar ajustes
top-bar-settings-hover = Clave de API, organización y dirección del servidor
top-bar-about = Acerca de
top-bar-about-hover = Versión, servidor y dónde guarda la app sus archivos
top-bar-add-files = Añadir archivos…
top-bar-add-files-hover = Elige archivos para subir (Ctrl+O); también puedes soltarlos en esta ventana o pegarlos con Ctrl+V
top-bar-add-folder = Añadir carpeta…
top-bar-add-folder-hover = Elige carpetas para subir todos los archivos que contienen (Ctrl+Mayús+O)
top-bar-dismiss = Cerrar

## The key and the organization, before work

key-setup-loading = Buscando tu clave de API en el llavero…
key-setup-checking = Comprobando la clave de API con { $host }…
key-setup-saving = La clave funciona. Guardándola en el llavero…
key-setup-bad-server = La dirección del servidor no es válida
key-setup-bad-server-hint = Corrígela en Ajustes o usa la dirección predeterminada.
key-setup-files-waiting = { $count ->
    [one] { $count } archivo en espera; se enviará en cuanto estén configuradas la clave y la organización.
   *[other] { $count } archivos en espera; se enviarán en cuanto estén configuradas la clave y la organización.
}
key-setup-network-wait = Esperando a la red ({ $reason })… { $when }
key-setup-trying-again-now = reintentando ahora
key-setup-trying-again-in = nuevo intento en { $seconds } s
key-setup-network-wait-hint = La clave se comprobará en cuanto responda el servidor; los archivos que añadas mientras tanto esperarán.
key-setup-retry-now = Reintentar ahora
key-setup-retry-now-hover = Volver a intentar conectar con el servidor ya mismo
key-setup-stop-waiting = Dejar de esperar
key-setup-stop-waiting-hover = Dejar de intentarlo, para introducir otra clave o cambiar el servidor en Ajustes
key-setup-replace-heading = Reemplazar la clave de API
key-setup-connect-heading = Conectar con Asteroid
key-setup-where-to-find = Para subir archivos, esta app necesita tu clave de API de Asteroid. La encontrarás en platform.asteroid.ai → tu perfil (arriba a la derecha) → API Keys. Copia allí la clave y pégala abajo.
key-setup-open-platform = Abrir platform.asteroid.ai
key-setup-session-only = Usar la clave solo en esta sesión
key-setup-session-only-hover = La clave se guarda en memoria hasta que cierres la ventana, nunca en el disco
key-setup-retry-keychain = Volver a probar el llavero
key-setup-key = Clave de API
key-setup-key-hint = Pega aquí tu clave de API
key-setup-paste = Pegar
key-setup-paste-hover = Pegar la clave desde el portapapeles
key-setup-show = Mostrar
key-setup-hide = Ocultar
key-setup-show-hover = Mostrar u ocultar los caracteres de la clave
key-setup-check-and-save = Comprobar y guardar
key-setup-keep-current = Mantener la clave actual
key-setup-kept-in = La clave se comprueba con el servidor y después se guarda en { $store }, nunca en un archivo.
key-setup-choose-organization = Elige la organización
key-setup-cancel = Cancelar
key-setup-cancel-hover = Mantener la organización actual y volver a la lista
key-setup-organization-choice = { $name } ({ $id })
key-setup-organization-id = O introduce un ID de organización
key-setup-organization-id-hint = el ID de la organización
key-setup-use-organization = Usar esta organización

## Settings

settings-title = Ajustes
settings-close = Cerrar
settings-api-key = Clave de API
settings-key-from-environment = Se usa la clave de la variable de entorno { $variable }; esta app no la guarda.
settings-key-kept = La clave en uso se conserva en: { $store }
settings-key-looking = Buscando una clave en: { $store }
settings-key-checking = Comprobando la clave con { $host }…
settings-key-waiting-for-network = Esperando a la red para comprobar la clave…
settings-key-saving = La clave funciona. Guardándola en: { $store }
settings-key-not-saved = La clave funciona, pero aún no está guardada: elige dónde guardarla.
settings-key-after-server = La clave se buscará cuando la dirección del servidor sea válida.
settings-no-key = Aún no hay clave.
settings-key-will-be-kept-in = La clave que introduzcas se guardará en: { $store }
settings-account = Cuenta: { $email }
settings-replace-key = Reemplazar clave…
settings-replace-key-hover = Introduce otra clave de API; reemplaza a la guardada en cuanto el servidor la acepte
settings-replace-key-from-environment = La clave viene de { $variable }; cámbiala allí
settings-sign-out = Cerrar sesión…
settings-sign-out-hover = Eliminar la clave guardada de este ordenador (pide confirmación)
settings-sign-out-from-environment = La clave viene de { $variable }; elimina la variable para cerrar sesión
settings-sign-out-question = ¿Cerrar sesión?
settings-sign-out-explain = La clave de API se eliminará de { $store }. Para volver a subir archivos tendrás que pegar una clave.
settings-sign-out-files-kept = Los archivos ya subidos conservan su ID y siguen en la lista.
settings-cancel = Cancelar
settings-sign-out-confirm = Cerrar sesión y eliminar la clave
settings-organization = Organización
settings-organization-not-chosen = Aún no se ha elegido.
settings-organization-set-by = Definida por { $variable }.
settings-choose-another-organization = Elegir otra organización
settings-choose-another-organization-hover = Volver a preguntar al servidor a qué organizaciones pertenece la clave
settings-server = Dirección del servidor (avanzado)
settings-server-explain = Cámbiala solo si el soporte de Asteroid te lo ha pedido. Cada servidor tiene su propia clave guardada.
settings-server-set-by = Definida por { $variable }: { $address }
settings-server-address = Dirección del servidor
settings-save-address = Guardar dirección
settings-use-default-address = Usar la predeterminada
settings-notifications = Notificaciones
settings-notify-when-staged = Avisarme cuando se suban archivos mientras esta ventana está en segundo plano
settings-files = Archivos
settings-history-file = Los archivos subidos se listan en { $path }
settings-settings-file = Los ajustes se guardan en { $path }

## About

about-title = Acerca de Asteroid Stager
about-version = Asteroid Stager { $version }
about-what = Sube archivos a la API de Asteroid Agents y lista sus ID para copiarlos.
about-server = Servidor
about-key-kept-in = Clave de API guardada en
about-history = Historial
about-settings = Ajustes
about-documentation = Documentación de Asteroid
about-close = Cerrar

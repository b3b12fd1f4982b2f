count-files = { $count ->
    [one] { $count } archivo
   *[other] { $count } archivos
}
language-system = Sistema ({ $language })
settings-language = Idioma

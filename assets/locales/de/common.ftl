count-files = { $count ->
    [one] { $count } Datei
   *[other] { $count } Dateien
}
language-system = System ({ $language })
settings-language = Sprache

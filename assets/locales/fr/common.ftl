count-files = { $count ->
    [one] { $count } fichier
   *[other] { $count } fichiers
}
language-system = Système ({ $language })
settings-language = Langue

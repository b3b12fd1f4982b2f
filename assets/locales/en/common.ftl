# Texts shared by the window and the command line.
count-files = { $count ->
    [one] { $count } file
   *[other] { $count } files
}
language-system = System ({ $language })
settings-language = Language

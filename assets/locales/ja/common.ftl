count-files = { $count } 個のファイル
language-system = システム（{ $language }）
settings-language = 言語

//! The labels of each language, written for quire: CLDR has words for dates, languages and
//! units, but none for "Contents", "Sources", "Notes", a byline or a table's column groups.
//! Each is the word a book or a newspaper in that language uses.
//!
//! The punctuation of a source's details (`source_details`, `detail_separator`) is the
//! language's full stop and comma: its list-pattern comma in CLDR where that joins unlike
//! things too ("، " in Arabic and Persian), the comma ， where CLDR's 、 joins only like ones
//! (Chinese: GB/T 15834-2011, 标点符号用法), and the full stops Unicode marks as sentence
//! terminals (。 U+3002 in Chinese and Japanese, the danda । U+0964 in Hindi).

use super::{Counted, Labels};

/// The languages with labels; [`lookup`] finds one by tag.
pub(super) static ALL: &[&Labels] = &[
    &EN, &DE, &FR, &ES, &IT, &PT, &NL, &PL, &RU, &UK, &TR, &AR, &HE, &FA, &HI, &ZH_HANS, &ZH_HANT,
    &JA, &KO,
];

/// The labels for a BCP 47 tag: its primary language subtag, case-insensitive; for Chinese,
/// traditional characters when the script (`Hant`) or a region that writes them (TW, HK, MO)
/// says so, unless the script says `Hans`.
pub(super) fn lookup(tag: &str) -> Option<&'static Labels> {
    let mut subtags = tag.trim().split(['-', '_']).filter(|s| !s.is_empty());
    let language = subtags.next()?.to_ascii_lowercase();
    if language == "zh" {
        let rest: Vec<String> = subtags.map(str::to_ascii_lowercase).collect();
        let has = |subtag: &str| rest.iter().any(|s| s == subtag);
        let traditional = has("hant") || (!has("hans") && (has("tw") || has("hk") || has("mo")));
        return Some(if traditional { &ZH_HANT } else { &ZH_HANS });
    }
    ALL.iter()
        .copied()
        .find(|labels| labels.language == language)
}

pub(super) static EN: Labels = Labels {
    language: "en",
    by_one: "By {names}",
    by_many: "By {names}",
    list_separator: ", ",
    list_and: " and ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Contents",
    sources: "Sources",
    notes: "Notes",
    figure: "Figure",
    table: "Table",
    image: "Image",
    cover: "Cover",
    title_page: "Title page",
    source: "Source",
    updated: "Updated {date}",
    columns: "(columns {columns} of {total})",
    collected_articles: "Collected articles",
    articles: Counted::always("{count} articles").one("{count} article"),
    more_articles: Counted::always("and {count} more"),
    volume_one_article: "Volume {number} of {volumes}: article {first} of {total}.",
    volume_articles: Counted::always(
        "Volume {number} of {volumes}: articles {first}–{last} of {total}.",
    ),
};

static DE: Labels = Labels {
    language: "de",
    by_one: "Von {names}",
    by_many: "Von {names}",
    list_separator: ", ",
    list_and: " und ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Inhalt",
    sources: "Quellen",
    notes: "Anmerkungen",
    figure: "Abbildung",
    table: "Tabelle",
    image: "Bild",
    cover: "Umschlag",
    title_page: "Titelseite",
    source: "Quelle",
    updated: "Aktualisiert am {date}",
    columns: "(Spalten {columns} von {total})",
    collected_articles: "Gesammelte Artikel",
    articles: Counted::always("{count} Artikel"),
    more_articles: Counted::always("und {count} weitere"),
    volume_one_article: "Band {number} von {volumes}: Artikel {first} von {total}.",
    volume_articles: Counted::always(
        "Band {number} von {volumes}: Artikel {first}–{last} von {total}.",
    ),
};

static FR: Labels = Labels {
    language: "fr",
    by_one: "Par {names}",
    by_many: "Par {names}",
    list_separator: ", ",
    list_and: " et ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Table des matières",
    sources: "Sources",
    notes: "Notes",
    figure: "Figure",
    table: "Tableau",
    image: "Image",
    cover: "Couverture",
    title_page: "Page de titre",
    source: "Source",
    updated: "Mis à jour le {date}",
    columns: "(colonnes {columns} sur {total})",
    collected_articles: "Recueil d’articles",
    articles: Counted::always("{count} articles").one("{count} article"),
    more_articles: Counted::always("et {count} autres").one("et {count} autre"),
    volume_one_article: "Volume {number} sur {volumes}\u{a0}: article {first} sur {total}.",
    volume_articles: Counted::always(
        "Volume {number} sur {volumes}\u{a0}: articles {first} à {last} sur {total}.",
    ),
};

static ES: Labels = Labels {
    language: "es",
    by_one: "Por {names}",
    by_many: "Por {names}",
    list_separator: ", ",
    list_and: " y ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Índice",
    sources: "Fuentes",
    notes: "Notas",
    figure: "Figura",
    table: "Tabla",
    image: "Imagen",
    cover: "Portada",
    title_page: "Página de título",
    source: "Fuente",
    updated: "Actualizado el {date}",
    columns: "(columnas {columns} de {total})",
    collected_articles: "Recopilación de artículos",
    articles: Counted::always("{count} artículos").one("{count} artículo"),
    more_articles: Counted::always("y {count} más"),
    volume_one_article: "Volumen {number} de {volumes}: artículo {first} de {total}.",
    volume_articles: Counted::always(
        "Volumen {number} de {volumes}: artículos {first}–{last} de {total}.",
    ),
};

static IT: Labels = Labels {
    language: "it",
    by_one: "Di {names}",
    by_many: "Di {names}",
    list_separator: ", ",
    list_and: " e ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Indice",
    sources: "Fonti",
    notes: "Note",
    figure: "Figura",
    table: "Tabella",
    image: "Immagine",
    cover: "Copertina",
    title_page: "Frontespizio",
    source: "Fonte",
    updated: "Aggiornato il {date}",
    columns: "(colonne {columns} di {total})",
    collected_articles: "Raccolta di articoli",
    articles: Counted::always("{count} articoli").one("{count} articolo"),
    more_articles: Counted::always("e altri {count}").one("e un altro"),
    volume_one_article: "Volume {number} di {volumes}: articolo {first} di {total}.",
    volume_articles: Counted::always(
        "Volume {number} di {volumes}: articoli {first}–{last} di {total}.",
    ),
};

static PT: Labels = Labels {
    language: "pt",
    by_one: "Por {names}",
    by_many: "Por {names}",
    list_separator: ", ",
    list_and: " e ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Sumário",
    sources: "Fontes",
    notes: "Notas",
    figure: "Figura",
    table: "Tabela",
    image: "Imagem",
    cover: "Capa",
    title_page: "Folha de rosto",
    source: "Fonte",
    updated: "Atualizado em {date}",
    columns: "(colunas {columns} de {total})",
    collected_articles: "Coletânea de artigos",
    articles: Counted::always("{count} artigos").one("{count} artigo"),
    more_articles: Counted::always("e mais {count}"),
    volume_one_article: "Volume {number} de {volumes}: artigo {first} de {total}.",
    volume_articles: Counted::always(
        "Volume {number} de {volumes}: artigos {first}–{last} de {total}.",
    ),
};

static NL: Labels = Labels {
    language: "nl",
    by_one: "Door {names}",
    by_many: "Door {names}",
    list_separator: ", ",
    list_and: " en ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Inhoud",
    sources: "Bronnen",
    notes: "Noten",
    figure: "Figuur",
    table: "Tabel",
    image: "Afbeelding",
    cover: "Omslag",
    title_page: "Titelpagina",
    source: "Bron",
    updated: "Bijgewerkt op {date}",
    columns: "(kolommen {columns} van {total})",
    collected_articles: "Verzamelde artikelen",
    articles: Counted::always("{count} artikelen").one("{count} artikel"),
    more_articles: Counted::always("en nog {count}"),
    volume_one_article: "Deel {number} van {volumes}: artikel {first} van {total}.",
    volume_articles: Counted::always(
        "Deel {number} van {volumes}: artikelen {first}–{last} van {total}.",
    ),
};

static PL: Labels = Labels {
    language: "pl",
    by_one: "Autor: {names}",
    by_many: "Autorzy: {names}",
    list_separator: ", ",
    list_and: " i ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Spis treści",
    sources: "Źródła",
    notes: "Przypisy",
    figure: "Rysunek",
    table: "Tabela",
    image: "Obraz",
    cover: "Okładka",
    title_page: "Strona tytułowa",
    source: "Źródło",
    updated: "Zaktualizowano {date}",
    columns: "(kolumny {columns} z {total})",
    collected_articles: "Zbiór artykułów",
    articles: Counted::always("{count} artykułu")
        .one("{count} artykuł")
        .few("{count} artykuły")
        .many("{count} artykułów"),
    more_articles: Counted::always("i jeszcze {count}"),
    volume_one_article: "Tom {number} z {volumes}: artykuł {first} z {total}.",
    volume_articles: Counted::always(
        "Tom {number} z {volumes}: artykuły {first}–{last} z {total}.",
    ),
};

static RU: Labels = Labels {
    language: "ru",
    by_one: "Автор: {names}",
    by_many: "Авторы: {names}",
    list_separator: ", ",
    list_and: " и ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Содержание",
    sources: "Источники",
    notes: "Примечания",
    figure: "Рисунок",
    table: "Таблица",
    image: "Изображение",
    cover: "Обложка",
    title_page: "Титульная страница",
    source: "Источник",
    updated: "Обновлено {date}",
    columns: "(столбцы {columns} из {total})",
    collected_articles: "Сборник статей",
    articles: Counted::always("{count} статьи")
        .one("{count} статья")
        .few("{count} статьи")
        .many("{count} статей"),
    more_articles: Counted::always("и ещё {count}"),
    volume_one_article: "Том {number} из {volumes}: статья {first} из {total}.",
    volume_articles: Counted::always(
        "Том {number} из {volumes}: статьи {first}–{last} из {total}.",
    ),
};

static UK: Labels = Labels {
    language: "uk",
    by_one: "Автор: {names}",
    by_many: "Автори: {names}",
    list_separator: ", ",
    list_and: " і ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "Зміст",
    sources: "Джерела",
    notes: "Примітки",
    figure: "Рисунок",
    table: "Таблиця",
    image: "Зображення",
    cover: "Обкладинка",
    title_page: "Титульна сторінка",
    source: "Джерело",
    updated: "Оновлено {date}",
    columns: "(стовпці {columns} з {total})",
    collected_articles: "Збірка статей",
    articles: Counted::always("{count} статті")
        .one("{count} стаття")
        .few("{count} статті")
        .many("{count} статей"),
    more_articles: Counted::always("і ще {count}"),
    volume_one_article: "Том {number} з {volumes}: стаття {first} з {total}.",
    volume_articles: Counted::always("Том {number} з {volumes}: статті {first}–{last} з {total}."),
};

static TR: Labels = Labels {
    language: "tr",
    by_one: "Yazan: {names}",
    by_many: "Yazanlar: {names}",
    list_separator: ", ",
    list_and: " ve ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "İçindekiler",
    sources: "Kaynaklar",
    notes: "Notlar",
    figure: "Şekil",
    table: "Tablo",
    image: "Görsel",
    cover: "Kapak",
    title_page: "Başlık sayfası",
    source: "Kaynak",
    updated: "Güncellendi: {date}",
    columns: "(sütun {columns} / {total})",
    collected_articles: "Makale derlemesi",
    articles: Counted::always("{count} makale"),
    more_articles: Counted::always("ve {count} makale daha"),
    volume_one_article: "Cilt {number}/{volumes}: makale {first}/{total}.",
    volume_articles: Counted::always("Cilt {number}/{volumes}: makaleler {first}–{last}/{total}."),
};

/// Arabic joins the last name with و written against it ("أحمد ومحمد"), and anything with
/// the Arabic comma ، (its full stop is the Latin one).
static AR: Labels = Labels {
    language: "ar",
    by_one: "بقلم {names}",
    by_many: "بقلم {names}",
    list_separator: "، ",
    list_and: " و",
    source_details: ". {details}.",
    detail_separator: "، ",
    contents: "المحتويات",
    sources: "المصادر",
    notes: "الحواشي",
    figure: "شكل",
    table: "جدول",
    image: "صورة",
    cover: "الغلاف",
    title_page: "صفحة العنوان",
    source: "المصدر",
    updated: "آخر تحديث: {date}",
    columns: "(الأعمدة {columns} من {total})",
    collected_articles: "مجموعة مقالات",
    articles: Counted::always("{count} مقالة")
        .zero("لا مقالات")
        .one("مقالة واحدة")
        .two("مقالتان")
        .few("{count} مقالات")
        .many("{count} مقالة"),
    more_articles: Counted::always("و{count} مقالة أخرى")
        .one("ومقالة أخرى")
        .two("ومقالتان أخريان")
        .few("و{count} مقالات أخرى"),
    volume_one_article: "المجلد {number} من {volumes}: المقالة {first} من {total}.",
    volume_articles: Counted::always(
        "المجلد {number} من {volumes}: المقالات {first}–{last} من {total}.",
    )
    .two("المجلد {number} من {volumes}: المقالتان {first} و{last} من {total}."),
};

/// Hebrew, like Arabic, writes ו ("and") against the next word ("דנה ורון").
static HE: Labels = Labels {
    language: "he",
    by_one: "מאת {names}",
    by_many: "מאת {names}",
    list_separator: ", ",
    list_and: " ו",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "תוכן העניינים",
    sources: "מקורות",
    notes: "הערות",
    figure: "איור",
    table: "טבלה",
    image: "תמונה",
    cover: "כריכה",
    title_page: "עמוד השער",
    source: "מקור",
    updated: "עודכן {date}",
    columns: "(עמודות {columns} מתוך {total})",
    collected_articles: "אסופת מאמרים",
    articles: Counted::always("{count} מאמרים")
        .one("מאמר אחד")
        .two("שני מאמרים"),
    more_articles: Counted::always("ועוד {count}").one("ועוד אחד"),
    volume_one_article: "כרך {number} מתוך {volumes}: מאמר {first} מתוך {total}.",
    volume_articles: Counted::always(
        "כרך {number} מתוך {volumes}: מאמרים {first}–{last} מתוך {total}.",
    ),
};

/// Persian writes و apart ("علی و مریم"); ZWNJ (U+200C) where words join without a space;
/// the Arabic comma ، as Arabic does.
static FA: Labels = Labels {
    language: "fa",
    by_one: "نوشتهٔ {names}",
    by_many: "نوشتهٔ {names}",
    list_separator: "، ",
    list_and: " و ",
    source_details: ". {details}.",
    detail_separator: "، ",
    contents: "فهرست مطالب",
    sources: "منابع",
    notes: "یادداشت\u{200c}ها",
    figure: "شکل",
    table: "جدول",
    image: "تصویر",
    cover: "جلد",
    title_page: "صفحهٔ عنوان",
    source: "منبع",
    updated: "به\u{200c}روزرسانی: {date}",
    columns: "(ستون\u{200c}های {columns} از {total})",
    collected_articles: "مجموعهٔ مقاله\u{200c}ها",
    articles: Counted::always("{count} مقاله"),
    more_articles: Counted::always("و {count} مقالهٔ دیگر"),
    volume_one_article: "جلد {number} از {volumes}: مقالهٔ {first} از {total}.",
    volume_articles: Counted::always(
        "جلد {number} از {volumes}: مقاله\u{200c}های {first} تا {last} از {total}.",
    ),
};

/// Hindi puts the names before द्वारा ("by") and ends a sentence with the danda ।.
static HI: Labels = Labels {
    language: "hi",
    by_one: "{names} द्वारा",
    by_many: "{names} द्वारा",
    list_separator: ", ",
    list_and: " और ",
    source_details: "। {details}।",
    detail_separator: ", ",
    contents: "विषय सूची",
    sources: "स्रोत",
    notes: "टिप्पणियाँ",
    figure: "चित्र",
    table: "तालिका",
    image: "छवि",
    cover: "आवरण",
    title_page: "शीर्षक पृष्ठ",
    source: "स्रोत",
    updated: "अद्यतन: {date}",
    columns: "(कुल {total} में से स्तंभ {columns})",
    collected_articles: "लेख संग्रह",
    articles: Counted::always("{count} लेख"),
    more_articles: Counted::always("और {count} अन्य"),
    volume_one_article: "{volumes} में से खंड {number}: {total} में से लेख {first}।",
    volume_articles: Counted::always("{volumes} में से खंड {number}: {total} में से लेख {first}–{last}।"),
};

/// Chinese lists names with the enumeration comma 、 and no spaces; things of different
/// kinds (the names, a site, a date) are set apart by the comma ， and a sentence ends with 。.
static ZH_HANS: Labels = Labels {
    language: "zh",
    by_one: "作者：{names}",
    by_many: "作者：{names}",
    list_separator: "、",
    list_and: "和",
    source_details: "。{details}。",
    detail_separator: "，",
    contents: "目录",
    sources: "资料来源",
    notes: "注释",
    figure: "图",
    table: "表",
    image: "图片",
    cover: "封面",
    title_page: "书名页",
    source: "来源",
    updated: "更新于{date}",
    columns: "（第{columns}列，共{total}列）",
    collected_articles: "文章合集",
    articles: Counted::always("{count}篇文章"),
    more_articles: Counted::always("另有{count}篇"),
    volume_one_article: "第{number}册，共{volumes}册：第{first}篇，共{total}篇。",
    volume_articles: Counted::always(
        "第{number}册，共{volumes}册：第{first}–{last}篇，共{total}篇。",
    ),
};

static ZH_HANT: Labels = Labels {
    language: "zh-Hant",
    by_one: "作者：{names}",
    by_many: "作者：{names}",
    list_separator: "、",
    list_and: "和",
    source_details: "。{details}。",
    detail_separator: "，",
    contents: "目錄",
    sources: "資料來源",
    notes: "註釋",
    figure: "圖",
    table: "表",
    image: "圖片",
    cover: "封面",
    title_page: "書名頁",
    source: "來源",
    updated: "更新於{date}",
    columns: "（第{columns}欄，共{total}欄）",
    collected_articles: "文章合集",
    articles: Counted::always("{count}篇文章"),
    more_articles: Counted::always("另有{count}篇"),
    volume_one_article: "第{number}冊，共{volumes}冊：第{first}篇，共{total}篇。",
    volume_articles: Counted::always(
        "第{number}冊，共{volumes}冊：第{first}–{last}篇，共{total}篇。",
    ),
};

/// Japanese lists names with 、 throughout, and uses it as its only comma; a sentence
/// ends with 。.
static JA: Labels = Labels {
    language: "ja",
    by_one: "著者：{names}",
    by_many: "著者：{names}",
    list_separator: "、",
    list_and: "、",
    source_details: "。{details}。",
    detail_separator: "、",
    contents: "目次",
    sources: "出典",
    notes: "注",
    figure: "図",
    table: "表",
    image: "画像",
    cover: "表紙",
    title_page: "タイトルページ",
    source: "出典",
    updated: "更新：{date}",
    columns: "（{columns}列目、全{total}列）",
    collected_articles: "記事集",
    articles: Counted::always("記事{count}件"),
    more_articles: Counted::always("ほか{count}件"),
    volume_one_article: "全{volumes}巻中の第{number}巻：全{total}件中の記事{first}。",
    volume_articles: Counted::always(
        "全{volumes}巻中の第{number}巻：全{total}件中の記事{first}–{last}。",
    ),
};

static KO: Labels = Labels {
    language: "ko",
    by_one: "글: {names}",
    by_many: "글: {names}",
    list_separator: ", ",
    // CLDR's Korean list pattern ends "{0} 및 {1}".
    list_and: " 및 ",
    source_details: ". {details}.",
    detail_separator: ", ",
    contents: "목차",
    sources: "출처",
    notes: "주석",
    figure: "그림",
    table: "표",
    image: "이미지",
    cover: "표지",
    title_page: "제목 페이지",
    source: "출처",
    updated: "업데이트: {date}",
    columns: "({columns}열, 전체 {total}열)",
    collected_articles: "글 모음",
    articles: Counted::always("글 {count}편"),
    more_articles: Counted::always("외 {count}편"),
    volume_one_article: "전체 {volumes}권 중 제{number}권: 전체 {total}편 중 {first}번째 글.",
    volume_articles: Counted::always(
        "전체 {volumes}권 중 제{number}권: 전체 {total}편 중 {first}–{last}번째 글.",
    ),
};

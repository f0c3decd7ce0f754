use super::*;

fn article(title: &str, body: &str) -> Document {
    let markdown = format!("# {title}\n\n{body}\n");
    // Read as a file (its pictures beside it), then given the address it was saved from:
    // read from that address, its relative pictures would be on the web.
    let mut document = quire::read(
        markdown.as_bytes(),
        InputFormat::Markdown,
        &quire::ReadOptions::default(),
    )
    .unwrap()
    .document;
    document.meta.source_url = Some("https://www.example.org/news/story".to_string());
    document
}

#[test]
fn added_articles_are_listed_newest_first_searched_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    assert!(library.list().is_empty());
    let first = library
        .add_article(
            article("Tide tables", "The moon pulls the sea twice a day."),
            &ImageSourcing::default(),
        )
        .unwrap();
    let second = library
        .add_article(
            article("Bread at home", "Flour, water, salt and time."),
            &ImageSourcing::default(),
        )
        .unwrap();
    assert!(valid_id(&first.id), "{}", first.id);
    assert!(first.id.starts_with("tide-tables-"), "{}", first.id);
    assert_eq!(first.site.as_deref(), Some("example.org"));
    assert_eq!(first.words, 10, "{first:?}");
    let ids: Vec<String> = library.list().into_iter().map(|e| e.id).collect();
    assert_eq!(ids, [second.id.clone(), first.id.clone()]);

    let found: Vec<String> = library
        .search("MOON sea")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(found, std::slice::from_ref(&first.id));
    assert!(library.search("moon flour").is_empty());
    assert_eq!(library.search("example.org").len(), 2);

    // Another handle on the same folder (another process) sees the change.
    let other = Library::open(dir.path()).unwrap();
    assert_eq!(other.list().len(), 2);
    other.delete(&first.id).unwrap();
    assert!(other.entry(&first.id).is_none());
    assert_eq!(
        library.list().len(),
        1,
        "the first handle sees the deletion"
    );
    assert!(!dir.path().join(&first.id).exists());
    assert!(library.delete(&first.id).is_err());
}

#[test]
fn outputs_are_rendered_once_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let entry = library
        .add_article(
            article("Tide tables", "The moon pulls the sea."),
            &ImageSourcing::default(),
        )
        .unwrap();
    let markdown = library.file(&entry.id, OutputFormat::Markdown).unwrap();
    assert_eq!(
        markdown,
        dir.path()
            .canonicalize()
            .unwrap()
            .join(&entry.id)
            .join("article.md")
    );
    let text = fs::read_to_string(&markdown).unwrap();
    assert!(text.contains("The moon pulls the sea."), "{text}");
    let epub = library.file(&entry.id, OutputFormat::Kepub).unwrap();
    assert!(epub.ends_with("article.kepub.epub"));
    assert!(fs::read(&epub).unwrap().starts_with(b"PK"));
    assert!(library.file(&entry.id, OutputFormat::Json).is_err());
    assert!(library.file("no-such-entry", OutputFormat::Epub).is_err());
    let cover = library.cover(&entry.id).unwrap();
    assert!(fs::read(cover).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn images_are_saved_beside_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let pages = tempfile::tempdir().unwrap();
    let mut png = Vec::new();
    image::RgbImage::from_pixel(300, 200, image::Rgb([200, 30, 30]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    fs::write(pages.path().join("red.png"), &png).unwrap();
    let library = Library::open(dir.path()).unwrap();
    let mut document = article("Red", "A picture:\n\n![a red square](red.png)");
    document.meta.lead_image = Some("red.png".to_string());
    let entry = library
        .add_article(
            document,
            &ImageSourcing {
                resource_dir: Some(pages.path().to_path_buf()),
                remote: None,
            },
        )
        .unwrap();
    let folder = dir.path().join(&entry.id);
    assert_eq!(fs::read(folder.join("img-1.png")).unwrap(), png);
    assert_eq!(fs::read(folder.join("cover.png")).unwrap(), png);
    let stored = library.document(&entry.id).unwrap();
    let mut sources = Vec::new();
    stored.for_each_image(&mut |image| sources.push(image.src.clone()));
    assert_eq!(sources, ["img-1.png"]);
    // The page's folder is gone: the article still renders with its picture.
    drop(pages);
    let html = fs::read_to_string(library.file(&entry.id, OutputFormat::Html).unwrap()).unwrap();
    assert!(
        html.contains("data:image/png;base64,"),
        "the image is embedded"
    );
}

#[test]
fn books_keep_the_files_they_were_added_with() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    library
        .add_article(article("Older", "Text."), &ImageSourcing::default())
        .unwrap();
    let book = library
        .add_book(NewBook {
            meta: Meta {
                title: Some("Weekly issue".to_string()),
                ..Meta::default()
            },
            text: "one two three".to_string(),
            files: vec![(OutputFormat::Epub, b"PK-not-really".to_vec())],
            cover: None,
        })
        .unwrap();
    assert_eq!(book.kind, EntryKind::Book);
    assert_eq!(book.formats, [OutputFormat::Epub]);
    assert_eq!(book.words, 3);
    let path = library.file(&book.id, OutputFormat::Epub).unwrap();
    assert_eq!(fs::read(path).unwrap(), b"PK-not-really");
    assert!(library.file(&book.id, OutputFormat::Pdf).is_err());
    library
        .add_article(article("Newer", "Text."), &ImageSourcing::default())
        .unwrap();
    let list = library.list();
    assert_eq!(list[0].title, "Newer", "newest first");
    let newest_book = list.iter().find(|e| e.kind == EntryKind::Book).unwrap();
    assert_eq!(newest_book.id, book.id);
    assert!(library
        .add_book(NewBook {
            files: Vec::new(),
            ..NewBook::default()
        })
        .is_err());
}

#[test]
fn ids_that_could_leave_the_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    fs::write(dir.path().join("secret"), "x").unwrap();
    for id in [
        "..",
        "../secret",
        "a/b",
        "%2e%2e",
        "%2e",
        ".tmp-1-ab",
        "",
        "-x",
        "A",
        "config.toml",
        "x\0y",
    ] {
        assert!(!valid_id(id), "{id:?}");
        assert!(library.entry(id).is_none(), "{id:?}");
        assert!(library.file(id, OutputFormat::Epub).is_err(), "{id:?}");
        assert!(library.delete(id).is_err(), "{id:?}");
        assert!(library.cover(id).is_none(), "{id:?}");
    }
    // A valid id that is a file, not an entry, is not one either.
    fs::write(dir.path().join("plain-file"), "x").unwrap();
    assert!(library.entry("plain-file").is_none());
    assert!(library.delete("plain-file").is_err());
    assert!(dir.path().join("secret").exists());
}

#[test]
fn half_written_entries_are_ignored_and_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let kept = library
        .add_article(article("Kept", "Text."), &ImageSourcing::default())
        .unwrap();
    // What a killed process leaves: its temporary folder (a process id that cannot be
    // running), a deletion half done, and an entry folder without its meta.json.
    let dead = dir.path().join(".tmp-4294967-abcdef");
    fs::create_dir(&dead).unwrap();
    fs::write(dead.join("article.json"), "{").unwrap();
    let deleting = dir.path().join(".del-old-1234");
    fs::create_dir(&deleting).unwrap();
    // A temporary folder of a running process (this one) is left alone.
    let live = dir
        .path()
        .join(format!(".tmp-{}-abcdef", std::process::id()));
    fs::create_dir(&live).unwrap();
    fs::create_dir(dir.path().join("half-entry-1234")).unwrap();
    let ids: Vec<String> = library.list().into_iter().map(|e| e.id).collect();
    assert_eq!(ids, std::slice::from_ref(&kept.id));
    let reopened = Library::open(dir.path()).unwrap();
    assert_eq!(reopened.list().len(), 1);
    assert!(!dead.exists());
    assert!(!deleting.exists());
    assert!(live.exists());
    // The config (and its bookmarklet key) outlives the reopening.
    assert_eq!(reopened.config().clip_key, library.config().clip_key);
    assert_eq!(library.config().clip_key.len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.path().join("config.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key is the owner's only");
    }
}

#[test]
fn slugs_are_made_of_safe_characters() {
    assert_eq!(slug("The Tide Tables of 1887!"), "the-tide-tables-of-1887");
    assert_eq!(slug("  ../../etc/passwd "), "etc-passwd");
    assert_eq!(slug("Всё"), "");
    assert!(new_id("Всё").starts_with("entry-"));
    assert!(valid_id(&new_id(&"long ".repeat(40))));
}

//! `quire send` and `--send` against a real mail server: tests/data/smtp/server.py (aiosmtpd
//! from PyPI) on loopback, which keeps every message it receives as the bytes it got. Each
//! message is parsed here (mail-parser) and checked: the MIME structure, the attachments'
//! bytes, types and names, the subject and the body, the 25-attachment and size limits, a
//! refused recipient and a refused login.
//!
//! `QUIRE_SMTP_PYTHON` names a Python with aiosmtpd (`.ci/run` makes one). Without it the
//! tests that need the server fail when `CI` is set, and are skipped with a note otherwise.

use mail_parser::{MessageParser, MimeHeaders, PartType};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::OnceLock;

const SERVER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/smtp/server.py");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");

/// The test server, stopped (its standard input closed) when dropped.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    port: u16,
    inbox: tempfile::TempDir,
}

impl Server {
    /// Starts a server, or `None` (after a note) when there is no Python with aiosmtpd.
    fn start(login: Option<(&str, &str)>) -> Option<Server> {
        let Some(python) = std::env::var_os("QUIRE_SMTP_PYTHON") else {
            if std::env::var_os("CI").is_some() {
                panic!("QUIRE_SMTP_PYTHON (a Python with aiosmtpd) is not set, and CI is set");
            }
            eprintln!(
                "\n*** SKIPPED: set QUIRE_SMTP_PYTHON to a Python with aiosmtpd \
                 (python3 -m venv DIR && DIR/bin/pip install aiosmtpd) ***\n"
            );
            return None;
        };
        let inbox = tempfile::tempdir().unwrap();
        let mut command = Command::new(python);
        command.arg(SERVER).arg(inbox.path());
        if let Some((user, password)) = login {
            command.args(["--user", user, "--password", password]);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the test mail server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("PORT ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the mail server did not start: {line:?}"));
        Some(Server {
            stdin: child.stdin.take(),
            child,
            port,
            inbox,
        })
    }

    /// A config file for this server, in `dir`.
    fn config(&self, dir: &Path, extra: &str) -> PathBuf {
        let path = dir.join("config.toml");
        std::fs::write(
            &path,
            format!(
                "[mail]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n\
                 from = \"Quire Tests <sender@example.org>\"\nto = \"reader@kindle.example\"\n{extra}",
                self.port
            ),
        )
        .unwrap();
        path
    }

    /// The messages received so far, in order (the server has written each one before it
    /// answered, so they are all there when quire has exited).
    fn received(&self) -> Vec<Received> {
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(self.inbox.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .map(|p| {
                let n = p.file_stem().unwrap().to_str().unwrap().parse().unwrap();
                (n, p)
            })
            .collect();
        found.sort();
        found
            .into_iter()
            .map(|(_, path)| Received {
                raw: std::fs::read(&path).unwrap(),
                recipients: std::fs::read_to_string(path.with_extension("rcpt"))
                    .unwrap()
                    .lines()
                    .map(str::to_string)
                    .collect(),
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if !matches!(self.child.wait(), Ok(status) if status.success()) {
            let _ = self.child.kill();
        }
    }
}

struct Received {
    raw: Vec<u8>,
    recipients: Vec<String>,
}

/// One attachment as the mail carries it.
#[derive(Debug)]
struct Attached {
    name: String,
    content_type: String,
    bytes: Vec<u8>,
}

/// A message read back: checks the structure quire promises (multipart/mixed: a non-empty
/// text/plain body, then one attachment part per book) and returns its parts.
struct Mail {
    subject: String,
    to: String,
    body: String,
    attachments: Vec<Attached>,
}

fn parse(received: &Received) -> Mail {
    let message = MessageParser::default()
        .parse(&received.raw)
        .expect("a parseable message");
    let root = message.root_part();
    let root_type = root.content_type().expect("a Content-Type");
    assert_eq!(
        (root_type.ctype(), root_type.subtype()),
        ("multipart", Some("mixed"))
    );
    let PartType::Multipart(children) = &root.body else {
        panic!("the root is not multipart");
    };
    assert!(children.len() >= 2, "a body and at least one attachment");
    let body_part = &message.parts[children[0] as usize];
    let body_type = body_part.content_type().expect("the body's Content-Type");
    assert_eq!(
        (body_type.ctype(), body_type.subtype()),
        ("text", Some("plain"))
    );
    assert!(
        body_part
            .content_disposition()
            .is_none_or(|d| d.ctype() != "attachment"),
        "the body is not an attachment"
    );
    let body = body_part.text_contents().expect("a text body").to_string();
    assert!(!body.trim().is_empty(), "the body is never empty");
    let attachments = children[1..]
        .iter()
        .map(|&id| {
            let part = &message.parts[id as usize];
            let disposition = part.content_disposition().expect("a Content-Disposition");
            assert_eq!(disposition.ctype(), "attachment");
            let content_type = part.content_type().expect("the attachment's Content-Type");
            Attached {
                name: part.attachment_name().expect("a file name").to_string(),
                content_type: format!(
                    "{}/{}",
                    content_type.ctype(),
                    content_type.subtype().unwrap_or_default()
                ),
                bytes: part.contents().to_vec(),
            }
        })
        .collect();
    Mail {
        subject: message.subject().unwrap_or_default().to_string(),
        to: message
            .to()
            .and_then(|to| to.first())
            .and_then(|addr| addr.address())
            .unwrap_or_default()
            .to_string(),
        body,
        attachments,
    }
}

fn quire(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .env("QUIRE_CONFIG", config)
        .env_remove("QUIRE_TEST_SMTP_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An EPUB and a PDF of samples/note.md (with a title set), and that title: made once for
/// every test, in Cargo's folder for test files.
fn books() -> &'static (PathBuf, PathBuf, String) {
    static BOOKS: OnceLock<(PathBuf, PathBuf, String)> = OnceLock::new();
    BOOKS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("send-books");
        std::fs::create_dir_all(&dir).unwrap();
        let title = "Notes on the harbour's tides";
        let output = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(["convert", &format!("{SAMPLES}/note.md"), "--to", "epub,pdf"])
            .args(["--title", title, "-o"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        (
            dir.join("note.epub"),
            dir.join("note.pdf"),
            title.to_string(),
        )
    })
}

#[test]
fn each_book_goes_in_its_own_message_typed_named_and_titled() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let (epub, pdf, title) = books();
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let output = quire(
        config.as_path(),
        &["send", epub.to_str().unwrap(), pdf.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));

    let received = server.received();
    assert_eq!(received.len(), 2, "one message per book");
    let expected = [
        (epub, "note.epub", "application/epub+zip"),
        (pdf, "note.pdf", "application/pdf"),
    ];
    for (message, (path, name, content_type)) in received.iter().zip(expected) {
        assert_eq!(message.recipients, ["reader@kindle.example"]);
        let mail = parse(message);
        // The subject is the title inside the book (dc:title, the PDF's Title).
        assert_eq!(&mail.subject, title);
        assert_eq!(mail.to, "reader@kindle.example");
        assert!(
            mail.body.contains(title.as_str()) && mail.body.contains(name),
            "{}",
            mail.body
        );
        assert_eq!(mail.attachments.len(), 1);
        let attached = &mail.attachments[0];
        assert_eq!(attached.name, name);
        assert_eq!(attached.content_type, content_type);
        assert!(
            attached.bytes == std::fs::read(path).unwrap(),
            "{name}: the bytes sent are the file's"
        );
    }
    let said = stderr(&output);
    assert!(
        said.contains("sent \"Notes on the harbour's tides\""),
        "{said}"
    );
}

#[test]
fn a_batch_holds_at_most_25_books() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let (epub, _, title) = books();
    let mut files = Vec::new();
    for i in 0..30 {
        let path = dir.path().join(format!("copy-{i:02}.kepub.epub"));
        std::fs::copy(epub, &path).unwrap();
        files.push(path);
    }
    let mut args = vec!["send", "--batch"];
    args.extend(files.iter().map(|p| p.to_str().unwrap()));
    let output = quire(&config, &args);
    assert!(output.status.success(), "{}", stderr(&output));

    let mails: Vec<Mail> = server.received().iter().map(parse).collect();
    let counts: Vec<usize> = mails.iter().map(|m| m.attachments.len()).collect();
    assert_eq!(counts, [25, 5]);
    let names: Vec<&str> = mails
        .iter()
        .flat_map(|m| &m.attachments)
        .map(|a| a.name.as_str())
        .collect();
    let expected: Vec<String> = (0..30).map(|i| format!("copy-{i:02}.kepub.epub")).collect();
    assert_eq!(names, expected, "every book once, in order");
    let bytes = std::fs::read(epub).unwrap();
    for attached in mails.iter().flat_map(|m| &m.attachments) {
        assert_eq!(attached.content_type, "application/epub+zip");
        assert!(
            attached.bytes == bytes,
            "{}: the bytes sent are the file's",
            attached.name
        );
    }
    assert!(
        mails[0].body.starts_with("25 books attached"),
        "{}",
        mails[0].body
    );
    assert!(
        mails[1].subject.starts_with(title.as_str()),
        "{}",
        mails[1].subject
    );
}

#[test]
fn a_batch_splits_at_the_size_limit_and_refuses_a_book_over_it() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    // Not real PDFs: the title falls back to the file's name, the type still comes from it.
    let sizes = [
        ("a", 400),
        ("b", 400),
        ("huge", 1200),
        ("c", 400),
        ("d", 300),
    ];
    let mut args = vec![
        "send".to_string(),
        "--batch".into(),
        "--max-message-size".into(),
        "1000".into(),
    ];
    for (i, (name, size)) in sizes.iter().enumerate() {
        let path = dir.path().join(format!("{name}.pdf"));
        std::fs::write(&path, vec![b'a' + i as u8; *size]).unwrap();
        args.push(path.to_str().unwrap().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = quire(&config, &args);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the book over the limit fails the run"
    );
    let said = stderr(&output);
    assert!(said.contains("huge.pdf: not sent"), "{said}");
    assert!(
        said.contains("volumes"),
        "the error says what to do: {said}"
    );

    let mails: Vec<Mail> = server.received().iter().map(parse).collect();
    let names: Vec<Vec<&str>> = mails
        .iter()
        .map(|m| m.attachments.iter().map(|a| a.name.as_str()).collect())
        .collect();
    // a + b fill 800 of 1000 bytes; c does not fit there, d (300) does not either.
    assert_eq!(names, [vec!["a.pdf", "b.pdf"], vec!["c.pdf", "d.pdf"]]);
    for mail in &mails {
        let total: usize = mail.attachments.iter().map(|a| a.bytes.len()).sum();
        assert!(total <= 1000, "{total} bytes in one message");
        for attached in &mail.attachments {
            assert_eq!(attached.content_type, "application/pdf");
            let file = std::fs::read(dir.path().join(&attached.name)).unwrap();
            assert!(attached.bytes == file, "{}", attached.name);
        }
    }
    assert_eq!(mails[0].subject, "a; b");
}

#[test]
fn a_refused_recipient_is_an_error_with_the_servers_answer() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let (epub, pdf, _) = books();
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let output = quire(
        &config,
        &[
            "send",
            epub.to_str().unwrap(),
            pdf.to_str().unwrap(),
            "--to",
            "refuse-me@kindle.example",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    // Both messages were tried, and each failure reported with the server's code and text.
    for name in ["note.epub: not sent", "note.pdf: not sent"] {
        assert!(said.contains(name), "{said}");
    }
    assert_eq!(
        said.matches("550 5.1.1 test server: this mailbox refuses every message")
            .count(),
        2,
        "{said}"
    );
    assert!(server.received().is_empty());
}

#[test]
fn a_login_takes_the_password_from_the_environment() {
    let Some(server) = Server::start(Some(("reader", "tide-table"))) else {
        return;
    };
    let (epub, _, _) = books();
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(
        dir.path(),
        "username = \"reader\"\npassword_env = \"QUIRE_TEST_SMTP_PASSWORD\"\n",
    );
    let send = |password: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
        command
            .args(["send", epub.to_str().unwrap()])
            .env("QUIRE_CONFIG", &config);
        match password {
            Some(password) => command.env("QUIRE_TEST_SMTP_PASSWORD", password),
            None => command.env_remove("QUIRE_TEST_SMTP_PASSWORD"),
        };
        command.output().unwrap()
    };
    let unset = send(None);
    assert_eq!(unset.status.code(), Some(1));
    assert!(
        stderr(&unset).contains("QUIRE_TEST_SMTP_PASSWORD is not set"),
        "{}",
        stderr(&unset)
    );

    let wrong = send(Some("low-water"));
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("535"), "{}", stderr(&wrong));
    assert!(server.received().is_empty());

    let right = send(Some("tide-table"));
    assert!(right.status.success(), "{}", stderr(&right));
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_dry_run_shows_the_messages_and_sends_nothing() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let (epub, pdf, title) = books();
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let output = quire(
        &config,
        &[
            "send",
            "--dry-run",
            "--batch",
            epub.to_str().unwrap(),
            pdf.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = String::from_utf8(output.stdout).unwrap();
    for expected in [
        format!("server: 127.0.0.1:{} (no encryption)", server.port),
        "from:   Quire Tests <sender@example.org>".to_string(),
        "to:     reader@kindle.example".to_string(),
        format!("message 1 of 1: \"{title}; {title}\" (2 attachments,"),
        "note.epub".to_string(),
        "application/epub+zip".to_string(),
        "note.pdf".to_string(),
        "application/pdf".to_string(),
    ] {
        assert!(shown.contains(&expected), "{expected:?} in:\n{shown}");
    }
    assert!(server.received().is_empty(), "a dry run sends nothing");
}

#[test]
fn convert_send_mails_the_ebooks_it_wrote() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let out = dir.path().join("out");
    let output = quire(
        &config,
        &[
            "convert",
            &format!("{SAMPLES}/note.md"),
            "--to",
            "epub,md,pdf",
            "-o",
            out.to_str().unwrap(),
            "--send",
            "kindle@kindle.example",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let received = server.received();
    let names: Vec<String> = received
        .iter()
        .map(parse)
        .map(|mail| {
            assert_eq!(mail.to, "kindle@kindle.example");
            let attached = &mail.attachments[0];
            assert!(attached.bytes == std::fs::read(out.join(&attached.name)).unwrap());
            attached.name.clone()
        })
        .collect();
    assert_eq!(
        names,
        ["note.epub", "note.pdf"],
        "the e-books, not the Markdown"
    );
    assert!(received
        .iter()
        .all(|r| r.recipients == ["kindle@kindle.example"]));
}

#[test]
fn bundle_send_mails_the_book() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let book = dir.path().join("weekly.epub");
    let output = quire(
        &config,
        &[
            "bundle",
            &format!("{SAMPLES}/note.md"),
            &format!("{SAMPLES}/harbour-news.txt"),
            "-o",
            book.to_str().unwrap(),
            "--title",
            "Weekly reading",
            "--send",
            "kindle@kindle.example",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let mails: Vec<Mail> = server.received().iter().map(parse).collect();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Weekly reading");
    assert_eq!(mails[0].attachments[0].name, "weekly.epub");
    assert_eq!(mails[0].attachments[0].content_type, "application/epub+zip");
    assert!(mails[0].attachments[0].bytes == std::fs::read(&book).unwrap());
}

#[test]
fn bundle_send_mails_every_volume() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let inputs = [
        format!("{SAMPLES}/note.md"),
        format!("{SAMPLES}/harbour-news.txt"),
    ];
    // The whole book's size, less a byte, as the limit: the bundle must come in volumes.
    let whole = dir.path().join("whole.epub");
    let made = quire(
        &config,
        &[
            "bundle",
            &inputs[0],
            &inputs[1],
            "-o",
            whole.to_str().unwrap(),
        ],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let limit = (std::fs::metadata(&whole).unwrap().len() - 1).to_string();
    let book = dir.path().join("weekly.epub");
    let output = quire(
        &config,
        &[
            "bundle",
            &inputs[0],
            &inputs[1],
            "-o",
            book.to_str().unwrap(),
            "--title",
            "Weekly reading",
            "--volume-limit",
            &limit,
            "--send",
            "kindle@kindle.example",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let mails: Vec<Mail> = server.received().iter().map(parse).collect();
    assert_eq!(mails.len(), 2, "one message a volume");
    for (n, mail) in mails.iter().enumerate() {
        let name = format!("weekly-{}.epub", n + 1);
        assert_eq!(mail.subject, format!("Weekly reading ({}/2)", n + 1));
        assert_eq!(mail.attachments.len(), 1);
        assert_eq!(mail.attachments[0].name, name);
        assert!(mail.attachments[0].bytes == std::fs::read(dir.path().join(&name)).unwrap());
    }
}

/// No server needed: the settings are checked before anything is converted or sent.
#[test]
fn missing_or_bad_settings_stop_before_anything_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.toml");
    let output = quire(&missing, &["send", &format!("{SAMPLES}/note.md")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("nowhere.toml: no such file"),
        "{}",
        stderr(&output)
    );

    let out = dir.path().join("out");
    let output = quire(
        &missing,
        &[
            "convert",
            &format!("{SAMPLES}/note.md"),
            "--to",
            "epub",
            "-o",
            out.to_str().unwrap(),
            "--send",
            "k@kindle.example",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        !out.exists(),
        "nothing converted when the mail settings are missing"
    );

    let bad = dir.path().join("bad.toml");
    let mut file = std::fs::File::create(&bad).unwrap();
    writeln!(
        file,
        "[mail]\nhost = \"smtp.example.org\"\nsecurity = \"none\"\nfrom = \"a@example.org\""
    )
    .unwrap();
    let output = quire(
        &bad,
        &[
            "send",
            "--dry-run",
            &format!("{SAMPLES}/note.md"),
            "--to",
            "k@kindle.example",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(said.contains("bad.toml: [mail] security"), "{said}");

    let output = quire(
        &bad,
        &[
            "send",
            &format!("{SAMPLES}/note.md"),
            "--to",
            "not an address",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
}

/// `security = "starttls"` (the default) never falls back to a plain connection: a server
/// that offers no STARTTLS gets nothing, and the error says which security was asked for.
#[test]
fn starttls_never_falls_back_to_plain_text() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let (epub, _, _) = books();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[mail]\nhost = \"localhost\"\nport = {}\nfrom = \"a@example.org\"\nto = \"k@kindle.example\"\n",
            server.port
        ),
    )
    .unwrap();
    let output = quire(&config, &["send", epub.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    assert!(
        said.contains("(STARTTLS)") && said.contains("STARTTLS is not supported"),
        "{said}"
    );
    assert!(server.received().is_empty());
}

/// `password_file`: a path beside the config file; its final newline is not part of the
/// password; a file other users can read is sent from, with a warning.
#[cfg(unix)]
#[test]
fn a_login_takes_the_password_from_a_file() {
    use std::os::unix::fs::PermissionsExt;
    let Some(server) = Server::start(Some(("reader", "tide-table"))) else {
        return;
    };
    let (epub, _, _) = books();
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(
        dir.path(),
        "username = \"reader\"\npassword_file = \"smtp-password\"\n",
    );
    let secret = dir.path().join("smtp-password");
    std::fs::write(&secret, "tide-table\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let shared = quire(&config, &["send", epub.to_str().unwrap()]);
    assert!(shared.status.success(), "{}", stderr(&shared));
    assert!(
        stderr(&shared).contains("other users can read this password file"),
        "{}",
        stderr(&shared)
    );

    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let private = quire(&config, &["send", epub.to_str().unwrap()]);
    assert!(private.status.success(), "{}", stderr(&private));
    assert!(
        !stderr(&private).contains("warning"),
        "{}",
        stderr(&private)
    );
    assert_eq!(server.received().len(), 2);
}

/// A title and a file name outside ASCII reach the reader as written (encoded words in the
/// subject, an encoded file name parameter).
#[test]
fn non_ascii_titles_and_file_names_arrive_intact() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let name = "Заметки о приливах — 潮汐.pdf";
    let path = dir.path().join(name);
    std::fs::write(&path, b"%PDF-1.4 not a real one").unwrap();
    let output = quire(&config, &["send", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mails: Vec<Mail> = server.received().iter().map(parse).collect();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Заметки о приливах — 潮汐");
    assert_eq!(mails[0].attachments[0].name, name);
    assert!(mails[0].body.contains(name), "{}", mails[0].body);
}

/// Without `QUIRE_CONFIG` the settings are read from `$XDG_CONFIG_HOME/quire/config.toml`,
/// else `~/.config/quire/config.toml`.
#[test]
fn the_config_file_is_found_in_the_usual_places() {
    let (epub, _, _) = books();
    let dir = tempfile::tempdir().unwrap();
    let write = |folder: &Path, host: &str| {
        std::fs::create_dir_all(folder.join("quire")).unwrap();
        std::fs::write(
            folder.join("quire/config.toml"),
            format!(
                "[mail]\nhost = \"{host}\"\nfrom = \"a@example.org\"\nto = \"k@kindle.example\"\n"
            ),
        )
        .unwrap();
    };
    let home = dir.path().join("home");
    write(&home.join(".config"), "smtp.home.example");
    let xdg = dir.path().join("xdg");
    write(&xdg, "smtp.xdg.example");
    let dry_run = |xdg: Option<&Path>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
        command
            .args(["send", "--dry-run", epub.to_str().unwrap()])
            .env_remove("QUIRE_CONFIG")
            .env("HOME", &home);
        match xdg {
            Some(xdg) => command.env("XDG_CONFIG_HOME", xdg),
            None => command.env_remove("XDG_CONFIG_HOME"),
        };
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(dry_run(Some(&xdg)).contains("server: smtp.xdg.example:587 (STARTTLS)"));
    assert!(dry_run(None).contains("server: smtp.home.example:587 (STARTTLS)"));
}

#[test]
fn feed_send_mails_the_paper_and_nothing_when_nothing_is_new() {
    let Some(server) = Server::start(None) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = server.config(dir.path(), "");
    let source = dir.path().join("local.xml");
    let words = "plain words that make the item long enough ".repeat(8);
    let paragraphs: String = (1..=4)
        .map(|p| format!("&lt;p&gt;Paragraph {p}: {words}&lt;/p&gt;"))
        .collect();
    std::fs::write(
        &source,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local</title>\
             <link>https://local.example/</link><description>d</description><item>\
             <title>Issue 1</title><guid>issue-1</guid><description>{paragraphs}</description>\
             </item></channel></rss>"
        ),
    )
    .unwrap();
    let papers = dir.path().join("papers");
    let out = format!("{}/", papers.display());
    let args = [
        "feed",
        source.to_str().unwrap(),
        "-o",
        out.as_str(),
        "--send",
        "kindle@kindle.example",
    ];
    let output = quire(&config, &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let mails: Vec<Mail> = server.received().iter().map(parse).collect();
    assert_eq!(mails.len(), 1);
    let book = std::fs::read_dir(&papers)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("the paper");
    assert!(
        mails[0].subject.starts_with("Local \u{2014} "),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].attachments[0].bytes == std::fs::read(&book).unwrap());
    // Nothing new: no book, no mail, success.
    let output = quire(&config, &args);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("nothing new"),
        "{}",
        stderr(&output)
    );
    assert_eq!(server.received().len(), 1);
}

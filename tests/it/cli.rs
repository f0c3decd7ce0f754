//! The `quire` command as users run it: where outputs go, exit codes, messages, and that no
//! input is ever overwritten or output left half-written.

use assert_cmd::Command;
use quire::model::{Block, Document, Inline, Meta};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("quire exited normally")
}

/// The file names in a folder, sorted (temporary files included, so tests can see leftovers).
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A small document whose JSON form `--from json` reads back unchanged (heading ids and
/// language already set, so `quire::read` has nothing to fill in).
fn sample_document() -> Document {
    Document {
        meta: Meta {
            title: Some("Tide tables".into()),
            authors: vec!["Ines Calloway".into()],
            language: Some("en".into()),
            ..Meta::default()
        },
        blocks: vec![
            Block::Heading {
                level: 2,
                id: "springs-and-neaps".into(),
                content: vec![Inline::Text("Springs and neaps".into())],
            },
            Block::Paragraph(vec![
                Inline::Text("High water comes ".into()),
                Inline::Emphasis(vec![Inline::Text("later".into())]),
                Inline::Text(" every day.".into()),
            ]),
        ],
    }
}

fn document_json(doc: &Document) -> String {
    let rendered = quire::write(
        doc,
        quire::OutputFormat::Json,
        &quire::WriteOptions::default(),
    )
    .expect("JSON writer works");
    String::from_utf8(rendered.bytes).expect("JSON is UTF-8")
}

fn write_json_input(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, document_json(&sample_document())).expect("write input");
    path
}

#[test]
fn json_stdin_to_json_stdout_is_the_same_model() {
    let input = document_json(&sample_document());
    let output = quire()
        .args(["convert", "-", "--from", "json", "--to", "json"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    let back: Document = serde_json::from_slice(&output.stdout).expect("stdout is quire JSON");
    assert_eq!(back, sample_document());
    assert_eq!(stdout(&output), input);
}

#[test]
fn json_stdin_is_sniffed_without_from() {
    let output = quire()
        .args(["convert", "-", "--to", "json"])
        .write_stdin(document_json(&sample_document()))
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    let back: Document = serde_json::from_slice(&output.stdout).expect("stdout is quire JSON");
    assert_eq!(back, sample_document());
}

#[test]
fn metadata_options_override_the_input() {
    let output = quire()
        .args(["convert", "-", "--from", "json", "--to", "json"])
        .args([
            "--title",
            "New title",
            "--author",
            "A. One",
            "--author",
            "B. Two",
        ])
        .args(["--lang", "cy"])
        .write_stdin(document_json(&sample_document()))
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    let back: Document = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(back.meta.title.as_deref(), Some("New title"));
    assert_eq!(back.meta.authors, ["A. One", "B. Two"]);
    assert_eq!(back.meta.language.as_deref(), Some("cy"));
    assert_eq!(back.blocks, sample_document().blocks);
}

#[test]
fn one_input_to_several_formats_in_an_output_directory() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_json_input(dir.path(), "tides.json");
    let out = dir.path().join("out");
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "md,html", "--to", "txt,json", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    assert_eq!(
        listing(&out),
        ["tides.html", "tides.json", "tides.md", "tides.txt"]
    );
    let json: Document =
        serde_json::from_slice(&fs::read(out.join("tides.json")).unwrap()).unwrap();
    assert_eq!(json, sample_document());
    for name in ["tides.html", "tides.md", "tides.txt"] {
        let text = fs::read_to_string(out.join(name)).unwrap();
        assert!(text.contains("Springs and neaps"), "{name}: {text}");
    }
}

#[test]
fn essay_sample_to_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out/");
    let output = quire()
        .arg("convert")
        .arg(sample("essay.md"))
        .args(["--to", "md,html,txt,json", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    assert_eq!(
        listing(&out),
        ["essay.html", "essay.json", "essay.md", "essay.txt"]
    );
    let html = fs::read_to_string(out.join("essay.html")).unwrap();
    assert!(html.contains("Reading the Tide"), "{html}");
    assert!(html.contains("<table"), "{html}");
    // The page stands alone: the chart beside the input travels inside it.
    assert!(
        html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"),
        "{html}"
    );
    assert!(!html.contains("images/tide-chart.png"), "{html}");
    let markdown = fs::read_to_string(out.join("essay.md")).unwrap();
    assert!(markdown.contains("(images/tide-chart.png"), "{markdown}");
    let text = fs::read_to_string(out.join("essay.txt")).unwrap();
    assert!(
        text.to_lowercase().contains("the arithmetic of the moon"),
        "{text}"
    );
    let doc: Document = serde_json::from_slice(&fs::read(out.join("essay.json")).unwrap()).unwrap();
    assert_eq!(doc.meta.authors, ["Ines Calloway"]);
    assert_eq!(doc.meta.language.as_deref(), Some("en"));
}

#[test]
fn markdown_stdin_is_sniffed_and_written_to_stdout() {
    let output = quire()
        .args(["convert", "-", "--to", "html", "--fragment"])
        .write_stdin("# Harbour notes\n\nThe wall is *finished*.\n")
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    let html = stdout(&output);
    assert!(html.contains("Harbour notes"), "{html}");
    assert!(html.contains("<em>finished</em>"), "{html}");
    assert!(!html.contains("<html"), "--fragment: {html}");
}

#[test]
fn text_stdin_with_from_defaults_to_markdown() {
    let output = quire()
        .args(["convert", "-", "--from", "text"])
        .write_stdin(fs::read(sample("harbour-news.txt")).unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    let markdown = stdout(&output);
    assert!(
        markdown.contains("Storm-damaged harbour wall"),
        "{markdown}"
    );
    assert!(markdown.contains("PORTHAVEN"), "{markdown}");
}

#[test]
fn html_page_to_text_file_named_by_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("ferry.txt");
    let output = quire()
        .arg("convert")
        .arg(sample("web-page.html"))
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    let text = fs::read_to_string(&target).unwrap();
    assert!(text.contains("Morwenna"), "{text}");
    assert!(!text.contains("<p>"), "plain text, not HTML: {text}");
}

#[test]
fn stdin_into_a_new_directory_is_named_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new/nested/");
    let output = quire()
        .args(["convert", "-", "--to", "json", "-o"])
        .arg(&out)
        .write_stdin(document_json(&sample_document()))
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert_eq!(listing(&out), ["stdin.json"]);
}

#[test]
fn output_file_extension_picks_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_json_input(dir.path(), "tides.json");
    let target = dir.path().join("copy.json");
    let output = quire()
        .arg("convert")
        .arg(&input)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    let doc: Document = serde_json::from_slice(&fs::read(&target).unwrap()).unwrap();
    assert_eq!(doc, sample_document());
    assert_eq!(listing(dir.path()), ["copy.json", "tides.json"]);
}

#[test]
fn without_output_files_go_beside_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_json_input(dir.path(), "tides.json");
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "html,md"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    assert!(output.stdout.is_empty(), "nothing on stdout");
    assert_eq!(
        listing(dir.path()),
        [".quire-outputs", "tides.html", "tides.json", "tides.md"]
    );
}

#[test]
fn input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_json_input(dir.path(), "tides.json");
    let original = fs::read(&input).unwrap();

    // Beside the input, the same format gets a `.out` name instead of the input's.
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "json", "--title", "Changed"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    assert_eq!(fs::read(&input).unwrap(), original);
    // The list of what quire wrote there, which keeps a later run from replacing a file
    // that is not its own.
    assert_eq!(
        listing(dir.path()),
        [".quire-outputs", "tides.json", "tides.out.json"]
    );
    let changed = fs::read_to_string(dir.path().join("tides.out.json")).unwrap();
    assert!(changed.contains("Changed"), "{changed}");

    // Naming the input with -o is refused before anything is written.
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--title", "Changed", "-o"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains("never overwrites"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read(&input).unwrap(), original);

    // The same when the output folder is the input's folder.
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "json", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    assert_eq!(fs::read(&input).unwrap(), original);
}

#[test]
fn outputs_replace_old_files_whole_and_leave_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_json_input(dir.path(), "tides.json");
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(
        out.join("tides.json"),
        "stale contents that are longer than nothing",
    )
    .unwrap();
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "json,md", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "stderr: {}", stderr(&output));
    assert_eq!(listing(&out), ["tides.json", "tides.md"]);
    let doc: Document = serde_json::from_slice(&fs::read(out.join("tides.json")).unwrap()).unwrap();
    assert_eq!(doc, sample_document());
}

#[test]
fn failed_output_leaves_no_partial_file_and_others_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_json_input(dir.path(), "tides.json");
    let out = dir.path().join("out");
    // A folder where the HTML output should go: that output cannot be written.
    fs::create_dir_all(out.join("tides.html")).unwrap();
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "html,json", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(code(&output), 1, "stderr: {}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("tides.html: "), "{err}");
    assert!(err.starts_with("quire: "), "{err}");
    assert_eq!(listing(&out), ["tides.html", "tides.json"]);
    assert!(out.join("tides.html").is_dir());
}

#[test]
fn missing_input_exits_1_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let output = quire().arg("convert").arg(&missing).output().unwrap();
    assert_eq!(code(&output), 1);
    assert_eq!(
        stderr(&output),
        format!("quire: {}: No such file or directory\n", missing.display())
    );
}

#[test]
fn one_bad_input_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_json_input(dir.path(), "good.json");
    let broken = dir.path().join("broken.json");
    fs::write(&broken, "{\"blocks\": [ this is not JSON").unwrap();
    let missing = dir.path().join("missing.json");
    let second = write_json_input(dir.path(), "second.json");
    let out = dir.path().join("out");
    let output = quire()
        .arg("convert")
        .args([&good, &broken, &missing, &second])
        .args(["--to", "json", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(code(&output), 1, "stderr: {}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(&format!("quire: {}: ", broken.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("quire: {}: No such file", missing.display())),
        "{err}"
    );
    // A batch into -o DIR lists its outputs in .quire-outputs (see tests/it/stale.rs).
    assert_eq!(
        listing(&out),
        [".quire-outputs", "good.json", "second.json"]
    );
}

#[test]
fn unknown_output_format_is_bad_usage() {
    let output = quire()
        .args(["convert", "a.md", "--to", "md,docx"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("docx"), "{}", stderr(&output));
}

#[test]
fn unknown_flag_is_bad_usage() {
    let output = quire()
        .args(["convert", "a.md", "--colour"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("--colour"), "{}", stderr(&output));
}

#[test]
fn stdout_with_two_formats_is_bad_usage_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_json_input(dir.path(), "tides.json");
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "md,html", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert!(err.starts_with("quire: "), "{err}");
    assert!(err.contains("standard output"), "{err}");
    assert_eq!(listing(dir.path()), ["tides.json"]);
}

#[test]
fn unknown_output_extension_is_bad_usage() {
    let output = quire()
        .args(["convert", "a.md", "-o", "book.docx"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("book.docx"), "{}", stderr(&output));
}

#[test]
fn version_prints_name_and_version() {
    let output = quire().arg("--version").output().unwrap();
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output),
        format!("quire {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// Each subcommand's help opens with the description `quire --help` lists for it (the
/// subcommands' arguments are built only when one is used; what that builds must not
/// replace the description).
#[test]
fn each_subcommand_help_opens_with_its_listed_description() {
    let output = quire().arg("--help").output().unwrap();
    assert_eq!(code(&output), 0);
    let listing = stdout(&output);
    let commands: Vec<(String, String)> = listing
        .split("Commands:\n")
        .nth(1)
        .expect("a list of commands")
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        // A command's line is indented two spaces; a wrapped description's, more.
        .filter_map(|line| {
            let line = line.strip_prefix("  ").filter(|l| !l.starts_with(' '))?;
            let (name, about) = line.split_once(' ')?;
            Some((name.to_string(), about.trim().to_string()))
        })
        .filter(|(name, _)| name != "help" && name.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    let names: Vec<&str> = commands.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["convert", "bundle", "check", "send", "feed", "serve"],
        "{listing}"
    );
    for (name, about) in &commands {
        let output = quire().args([name.as_str(), "--help"]).output().unwrap();
        assert_eq!(code(&output), 0);
        let help = stdout(&output);
        // The listing wraps long descriptions; the first words are enough.
        let start: String = about.chars().take(40).collect();
        assert!(
            help.starts_with(&start),
            "quire {name} --help opens with:\n{help}"
        );
    }
}

#[test]
fn help_explains_convert_with_examples() {
    let output = quire().arg("--help").output().unwrap();
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).contains("convert"), "{}", stdout(&output));

    let output = quire().args(["convert", "--help"]).output().unwrap();
    assert_eq!(code(&output), 0);
    let help = stdout(&output);
    for needle in [
        "--to",
        "--from",
        "-o DIR",
        "Examples:",
        "Exit status",
        "STEM.out.EXT",
    ] {
        assert!(help.contains(needle), "help lacks {needle}: {help}");
    }
}

#[test]
fn no_arguments_shows_help_and_fails() {
    let output = quire().output().unwrap();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("convert"), "{}", stderr(&output));
}

/// Files and values the user names are checked when the arguments are read: a mistyped
/// `--cover`, `--font` or `--font-dir` and a `--lang` that is no language are usage errors
/// (exit 2, nothing written), not a book made without them and a warning.
#[test]
fn named_files_and_languages_that_are_not_there_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--cover", "missing-cover.png"],
            "cannot read missing-cover.png",
        ),
        (&["--font", "missing.ttf"], "cannot read missing.ttf"),
        (
            &["--font-dir", "no-such-folder"],
            "cannot read no-such-folder",
        ),
        (&["--font", "."], ". is a folder, not a file"),
        (
            &["--lang", "not a tag!!"],
            "'not a tag!!' is not a language tag",
        ),
    ];
    for (args, message) in cases {
        let output = quire()
            .current_dir(dir.path())
            .args(["convert"])
            .arg(sample("note.md"))
            .args(["--to", "epub,pdf,html", "-o", "out/"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!dir.path().join("out").exists(), "{args:?}");
    }
    // A tag in another spelling is taken in its canonical form; `lead` is a word, not a file.
    let output = quire()
        .current_dir(dir.path())
        .arg("convert")
        .arg(sample("note.md"))
        .args([
            "--to",
            "html",
            "-o",
            "note.html",
            "--lang",
            "pt_br",
            "--cover",
            "lead",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let html = fs::read_to_string(dir.path().join("note.html")).unwrap();
    assert!(
        html.contains("lang=\"pt-BR\""),
        "{}",
        &html[..300.min(html.len())]
    );
}

/// `--report -` writes the report to standard output (and makes no file named `-`); with an
/// output on standard output too it is a usage error.
#[test]
fn a_report_can_go_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let output = quire()
        .current_dir(dir.path())
        .arg("convert")
        .arg(sample("note.md"))
        .args(["--to", "html", "-o", "out/", "--report", "-"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["converted"], 1);
    assert_eq!(listing(dir.path()), ["out"]);
    let both = quire()
        .current_dir(dir.path())
        .arg("convert")
        .arg(sample("note.md"))
        .args(["--to", "html", "-o", "-", "--report", "-"])
        .output()
        .unwrap();
    assert_eq!(code(&both), 2);
    assert!(stdout(&both).is_empty());
    assert!(
        stderr(&both).contains("both go to standard output"),
        "{}",
        stderr(&both)
    );
}

/// Without `-o` quire names the output beside the input, so a file already there with that
/// name may be the user's own: one quire has no record of writing is kept (exit 1, said
/// why) unless `--force`. quire's own output is replaced by the next run as before, and
/// kept once the user edits it.
#[test]
fn an_output_named_by_quire_never_replaces_a_file_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "Just some text.\n").unwrap();
    let mine = "# Mine\n\nA Markdown file I wrote by hand.\n";
    fs::write(dir.path().join("notes.md"), mine).unwrap();
    let run = |extra: &[&str]| {
        quire()
            .current_dir(dir.path())
            .args(["convert", "notes.txt"])
            .args(extra)
            .output()
            .unwrap()
    };
    let kept = run(&[]);
    assert_eq!(code(&kept), 1, "{}", stderr(&kept));
    assert!(
        stderr(&kept).contains("notes.md: exists, and quire did not write it: not replaced"),
        "{}",
        stderr(&kept)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.md")).unwrap(),
        mine
    );
    assert_eq!(listing(dir.path()), ["notes.md", "notes.txt"]);

    let forced = run(&["--force"]);
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    let written = fs::read_to_string(dir.path().join("notes.md")).unwrap();
    assert!(written.contains("Just some text."), "{written}");
    // Its own output is replaced by the next run...
    fs::write(dir.path().join("notes.txt"), "Other text.\n").unwrap();
    let again = run(&[]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert!(fs::read_to_string(dir.path().join("notes.md"))
        .unwrap()
        .contains("Other text."));
    // ...until the user edits it.
    fs::write(dir.path().join("notes.md"), "edited\n").unwrap();
    let edited = run(&[]);
    assert_eq!(code(&edited), 1);
    assert!(stderr(&edited).contains("changed since quire wrote it"));
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.md")).unwrap(),
        "edited\n"
    );
    // A file the user names with -o is theirs to replace.
    fs::write(dir.path().join("named.md"), mine).unwrap();
    let named = run(&["-o", "named.md"]);
    assert_eq!(code(&named), 0, "{}", stderr(&named));
    assert!(fs::read_to_string(dir.path().join("named.md"))
        .unwrap()
        .contains("Other text."));
}

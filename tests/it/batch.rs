//! Folder conversion as users run it on a saved-pages archive: the walk and its skip reasons,
//! mirrored output folders, name collisions, never writing over an input, bad files that do
//! not stop the batch, incremental re-runs, results independent of `--jobs`, the report, and
//! an interrupted run leaving only whole files.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

/// An article page with its own title and words, long enough to be extracted as the article.
fn page(title: &str) -> String {
    let sentence =
        format!("The {title} story goes on, with its harbour, its boats and its tides. ");
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1><p>{}</p><p>{}</p>\
         </article></body></html>",
        sentence.repeat(6),
        sentence.repeat(4)
    )
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// All files under a folder, relative and sorted (hidden temporary files included).
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

fn title_of(path: &Path) -> String {
    let doc: Value = serde_json::from_slice(&fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: not whole JSON: {e}", path.display()));
    doc["meta"]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// A small archive: pages in folders, an image, a hidden file, an ignored folder.
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("pages");
    write(&root.join("harbour.html"), &page("Harbour"));
    write(&root.join("2024/march/tides.htm"), &page("Tides"));
    write(&root.join("2024/boats.xhtml"), &page("Boats"));
    write(&root.join("2024/chart.png"), "\u{89}PNG not really");
    write(&root.join(".cache/old.html"), &page("Old"));
    write(&root.join("drafts/draft.html"), &page("Draft"));
    write(&root.join(".gitignore"), "drafts/\n");
    dir
}

#[test]
fn a_folder_is_mirrored_and_skips_are_counted_with_reasons() {
    let dir = archive();
    let out = dir.path().join("out");
    let output = quire()
        .args(["convert", "--to", "json", "-o"])
        .arg(&out)
        .arg(dir.path().join("pages"))
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    // The manifest lists the outputs with their fingerprints (see tests/it/stale.rs).
    assert_eq!(
        tree(&out),
        [
            ".quire-outputs",
            "2024/boats.json",
            "2024/march/tides.json",
            "harbour.json"
        ]
    );
    assert_eq!(title_of(&out.join("2024/march/tides.json")), "Tides");
    assert!(err.contains("3 converted"), "{err}");
    assert!(
        err.contains("4 skipped (2 hidden (use --hidden), 1 excluded by .gitignore (use --no-ignore), 1 not a document (.png))"),
        "{err}"
    );
    // On a pipe there is no progress bar: no carriage returns or escape codes.
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn hidden_and_ignored_files_are_taken_when_asked() {
    let dir = archive();
    let out = dir.path().join("out");
    let output = quire()
        .args([
            "convert",
            "--to",
            "json",
            "--hidden",
            "--no-ignore",
            "-q",
            "-o",
        ])
        .arg(&out)
        .arg(dir.path().join("pages"))
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let files = tree(&out);
    assert!(files.contains(&".cache/old.json".to_string()), "{files:?}");
    assert!(
        files.contains(&"drafts/draft.json".to_string()),
        "{files:?}"
    );
    assert!(
        stderr(&output).is_empty(),
        "--quiet prints nothing: {}",
        stderr(&output)
    );
}

#[test]
fn two_folders_each_get_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("news/a.html"), &page("News A"));
    write(&dir.path().join("blog/a.html"), &page("Blog A"));
    let out = dir.path().join("out");
    let output = quire()
        .args(["convert", "--to", "json", "-o"])
        .arg(&out)
        .arg(dir.path().join("news"))
        .arg(dir.path().join("blog"))
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(tree(&out), [".quire-outputs", "blog/a.json", "news/a.json"]);
    assert_eq!(title_of(&out.join("blog/a.json")), "Blog A");
}

#[test]
fn name_collisions_are_resolved_without_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    write(&root.join("a.html"), &page("From HTML"));
    write(&root.join("a.htm"), &page("From HTM"));
    write(&root.join("b.html"), &page("Bee"));
    let out = dir.path().join("out");
    let run = || {
        quire()
            .args(["convert", "--to", "json", "-o"])
            .arg(&out)
            .arg(&root)
            .output()
            .unwrap()
    };
    let output = run();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let expected = [".quire-outputs", "a.htm.json", "a.html.json", "b.json"];
    assert_eq!(tree(&out), expected);
    assert_eq!(title_of(&out.join("a.htm.json")), "From HTM");
    assert_eq!(title_of(&out.join("a.html.json")), "From HTML");
    // Predictable: the same names on a second, forced run.
    let output = quire()
        .args(["convert", "--to", "json", "--force", "-o"])
        .arg(&out)
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(tree(&out), expected);
    assert!(run().status.success());
}

#[test]
fn output_into_the_input_folder_never_writes_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("notes");
    write(&root.join("a.html"), &page("Page A"));
    // An input that is also exactly what a.html would become.
    let document = quire()
        .args(["convert", "-", "--from", "html", "--to", "json"])
        .write_stdin(page("Kept"))
        .output()
        .unwrap();
    assert!(document.status.success());
    fs::write(root.join("a.json"), &document.stdout).unwrap();
    let before = fs::read(root.join("a.json")).unwrap();

    let output = quire()
        .args(["convert", "--to", "json", "-o"])
        .arg(&root)
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        fs::read(root.join("a.json")).unwrap(),
        before,
        "input untouched"
    );
    let expected = [
        ".quire-outputs",
        "a.html",
        "a.html.json",
        "a.json",
        "a.json.json",
    ];
    assert_eq!(tree(&root), expected);
    assert_eq!(title_of(&root.join("a.html.json")), "Page A");
    assert_eq!(title_of(&root.join("a.json.json")), "Kept");

    // Re-runs recognise their own outputs (listed in .quire-outputs): nothing new appears.
    for force in [false, true] {
        let mut command = quire();
        command
            .args(["convert", "--to", "json", "-o"])
            .arg(&root)
            .arg(&root);
        if force {
            command.arg("--force");
        }
        let output = command.output().unwrap();
        let err = stderr(&output);
        assert_eq!(code(&output), 0, "{err}");
        assert!(err.contains("2 output of an earlier run"), "{err}");
        assert_eq!(tree(&root), expected);
        assert_eq!(fs::read(root.join("a.json")).unwrap(), before);
    }
}

#[test]
fn converting_a_folder_in_place_again_and_again_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("vault");
    write(
        &root.join("note.md"),
        "# Note\n\nA short note about the tides.\n",
    );
    write(&root.join("page.html"), &page("Page"));
    write(
        &root.join("sub/deeper.txt"),
        "Deeper\n\nA plain text note.\n",
    );
    let expected = [
        ".quire-outputs",
        "note.html",
        "note.md",
        "page.html",
        "page.out.html",
        "sub/deeper.html",
        "sub/deeper.txt",
    ];
    for round in 0..3 {
        let output = quire()
            .args(["convert", "--to", "html", "--force"])
            .arg(&root)
            .output()
            .unwrap();
        assert_eq!(code(&output), 0, "round {round}: {}", stderr(&output));
        assert_eq!(tree(&root), expected, "round {round}");
    }
    // One line per output: its path, then its fingerprint (tests/it/stale.rs tests those).
    let listed = fs::read_to_string(root.join(".quire-outputs")).unwrap();
    let paths: Vec<&str> = listed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(paths, ["note.html", "page.out.html", "sub/deeper.html"]);
}

#[test]
fn output_folder_inside_the_input_folder_is_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(&root.join("a.html"), &page("A"));
    let out = root.join("converted");
    for _ in 0..2 {
        let output = quire()
            .args(["convert", "--to", "html", "--force", "-o"])
            .arg(&out)
            .arg(&root)
            .output()
            .unwrap();
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    assert_eq!(
        tree(&root),
        ["a.html", "converted/.quire-outputs", "converted/a.html"]
    );
}

#[test]
fn bad_files_fail_alone_and_the_report_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    write(&root.join("good.html"), &page("Good"));
    write(&root.join("empty.html"), "");
    fs::write(
        root.join("binary.html"),
        b"\x00\x01\x02\xff\xfe\x00PK\x03\x04 binary",
    )
    .unwrap();
    write(&root.join("zz-good.html"), &page("Also good"));
    let out = dir.path().join("out");
    let report = dir.path().join("report.json");
    let output = quire()
        .args(["convert", "--to", "json", "--report"])
        .arg(&report)
        .arg("-o")
        .arg(&out)
        .arg(&root)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    assert_eq!(tree(&out), [".quire-outputs", "good.json", "zz-good.json"]);
    assert!(err.contains("empty.html: "), "{err}");
    assert!(err.contains("binary.html: "), "{err}");
    assert!(err.contains("2 converted, 2 failed"), "{err}");

    let report: Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["converted"], 2);
    assert_eq!(report["failed"], 2);
    let statuses: Vec<(String, String)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let input = f["input"].as_str().unwrap();
            let name = Path::new(input)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, f["status"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("binary.html".to_string(), "failed".to_string()),
            ("empty.html".to_string(), "failed".to_string()),
            ("good.html".to_string(), "converted".to_string()),
            ("zz-good.html".to_string(), "converted".to_string()),
        ]
    );
    let empty_errors = report["files"][1]["errors"].to_string();
    assert!(empty_errors.contains("empty"), "{empty_errors}");
}

fn set_mtime(path: &Path, time: SystemTime) {
    let file = fs::File::options().append(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

#[test]
fn re_runs_convert_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    write(&root.join("a.html"), &page("A"));
    write(&root.join("b.html"), &page("B"));
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let output = quire()
            .args(["convert", "--to", "json,txt", "-v", "-o"])
            .arg(&out)
            .arg(&root)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        stderr(&output)
    };
    let first = run(&[]);
    assert!(first.contains("2 converted in"), "{first}");
    // Outputs a little in the past, so a rewrite would show in their times.
    let past = SystemTime::now() - Duration::from_secs(60);
    let old = SystemTime::now() - Duration::from_secs(120);
    for name in ["a.json", "b.json", "a.txt", "b.txt"] {
        set_mtime(&out.join(name), past);
    }
    for name in ["a.html", "b.html"] {
        set_mtime(&root.join(name), old);
    }

    let second = run(&[]);
    assert!(second.contains("0 converted, 2 up to date"), "{second}");
    assert!(
        second.contains("up to date: "),
        "verbose names them: {second}"
    );
    assert_eq!(
        fs::metadata(out.join("a.json"))
            .unwrap()
            .modified()
            .unwrap(),
        past
    );

    // b changes: only b is converted again.
    write(&root.join("b.html"), &page("B, revised"));
    let third = run(&[]);
    assert!(third.contains("1 converted, 1 up to date"), "{third}");
    assert_eq!(title_of(&out.join("b.json")), "B, revised");
    assert_eq!(
        fs::metadata(out.join("a.json"))
            .unwrap()
            .modified()
            .unwrap(),
        past
    );

    // A missing output makes its input due again.
    fs::remove_file(out.join("a.txt")).unwrap();
    let fourth = run(&[]);
    assert!(fourth.contains("1 converted, 1 up to date"), "{fourth}");
    assert!(out.join("a.txt").exists());

    // An empty output (what a power cut can leave) is never taken as up to date.
    fs::write(out.join("b.txt"), "").unwrap();
    let fifth = run(&[]);
    assert!(fifth.contains("1 converted, 1 up to date"), "{fifth}");
    assert!(fs::metadata(out.join("b.txt")).unwrap().len() > 0);

    let forced = run(&["--force"]);
    assert!(forced.contains("2 converted in"), "{forced}");
}

#[test]
fn outputs_and_messages_do_not_depend_on_the_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    for i in 0..40 {
        let folder = ["x", "y", "z"][i % 3];
        write(
            &root.join(format!("{folder}/p{i:02}.html")),
            &page(&format!("Page {i}")),
        );
    }
    write(&root.join("y/broken.html"), "");
    let run = |jobs: &str| {
        let out = dir.path().join(format!("out{jobs}"));
        let report = dir.path().join(format!("report{jobs}.json"));
        let output = quire()
            .args([
                "convert",
                "--to",
                "json,md,txt",
                "-v",
                "-j",
                jobs,
                "--report",
            ])
            .arg(&report)
            .arg("-o")
            .arg(&out)
            .arg(&root)
            .output()
            .unwrap();
        assert_eq!(code(&output), 1, "{}", stderr(&output));
        let files: Vec<(String, Vec<u8>)> = tree(&out)
            .into_iter()
            .map(|name| {
                let bytes = fs::read(out.join(&name)).unwrap();
                (name, bytes)
            })
            .collect();
        // Messages name the output folder, which differs per run; times differ too.
        let messages: Vec<String> = stderr(&output)
            .replace(&out.display().to_string(), "OUT")
            .lines()
            .filter(|l| !l.contains(" in "))
            .map(str::to_string)
            .collect();
        let mut report: Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
        report["seconds"] = Value::Null;
        for file in report["files"].as_array_mut().unwrap() {
            file["seconds"] = Value::Null;
        }
        let report = report
            .to_string()
            .replace(&out.display().to_string(), "OUT");
        (files, messages, report)
    };
    let one = run("1");
    let four = run("4");
    assert_eq!(one.0.len(), 121, "120 outputs and .quire-outputs");
    assert_eq!(one.0, four.0, "same files, same bytes");
    assert_eq!(one.1, four.1, "same messages in the same order");
    assert_eq!(one.2, four.2, "same report");
}

#[test]
fn bad_usage_exits_2_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("in/a.html"), &page("A"));
    let out = dir.path().join("out");
    let output = quire()
        .args(["convert", "-j", "0", "-o"])
        .arg(&out)
        .arg(dir.path().join("in"))
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let output = quire()
        .args(["convert", "-o", "-"])
        .arg(dir.path().join("in"))
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(!out.exists());
}

/// Many pages, big enough that a batch takes a few seconds in a debug build.
fn big_archive(count: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    let body = page("Filler").repeat(40);
    for i in 0..count {
        write(
            &root.join(format!("p{i:03}.html")),
            &format!("<title>Page {i}</title>{body}"),
        );
    }
    (dir, root)
}

/// Waits until `dir` holds at least `n` finished outputs (or gives up after 60 s).
fn wait_for_outputs(dir: &Path, n: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        if dir.is_dir() && tree(dir).iter().filter(|f| f.ends_with(".json")).count() >= n {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no outputs appeared in {}", dir.display());
}

/// Every file in the folder is a whole output: no temporary files, every JSON complete.
fn assert_only_whole_outputs(out: &Path) -> usize {
    let files: Vec<String> = tree(out)
        .into_iter()
        .filter(|name| name != ".quire-outputs")
        .collect();
    for name in &files {
        assert!(!name.starts_with(".quire-"), "temporary file left: {name}");
        title_of(&out.join(name));
    }
    files.len()
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_with_a_summary_and_whole_files() {
    let (dir, root) = big_archive(150);
    let out = dir.path().join("out");
    let report = dir.path().join("report.json");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["convert", "--to", "json", "-j", "1", "--report"])
        .arg(&report)
        .arg("-o")
        .arg(&out)
        .arg(&root)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_outputs(&out, 3);
    let signal = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(signal.success());
    let output = child.wait_with_output().unwrap();
    let err = stderr(&output);
    assert_eq!(code(&output), 130, "{err}");
    assert!(err.contains("quire: interrupted: "), "{err}");
    assert!(err.contains("not run"), "{err}");
    let done = assert_only_whole_outputs(&out);
    assert!(done < 150, "the run stopped early ({done} done)");
    let report: Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["interrupted"], true);
    assert_eq!(report["converted"].as_u64(), Some(done as u64));

    // The next run finishes the job, converting only what is missing.
    let output = quire()
        .args(["convert", "--to", "json", "-o"])
        .arg(&out)
        .arg(&root)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    assert!(
        err.contains(&format!("{} converted, {done} up to date", 150 - done)),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_no_half_written_output() {
    let (dir, root) = big_archive(150);
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["convert", "--to", "json", "-j", "2", "-o"])
        .arg(&out)
        .arg(&root)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for_outputs(&out, 5);
    child.kill().unwrap();
    child.wait().unwrap();
    // Temporary files may remain after SIGKILL, but hidden, and never under an output's name.
    for name in tree(&out) {
        if name.starts_with(".quire-") {
            continue;
        }
        title_of(&out.join(&name));
    }
    // What the killed run finished is listed in .quire-outputs as it was done, so the next
    // run takes none of it for an output the user edited.
    let output = quire()
        .args(["convert", "--to", "json", "-o"])
        .arg(&out)
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json = tree(&out).iter().filter(|f| f.ends_with(".json")).count();
    assert_eq!(json, 150);
}

#[test]
fn links_between_the_inputs_of_a_run_point_at_their_outputs() {
    // A folder of notes that link to each other still links up once converted: each link
    // to another input goes to that input's output in the same format.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("notes");
    write(
        &input.join("index.md"),
        "# Index\n\nSee [setup](guide/my%20setup.md#linux), [again](<guide/my setup.md>), \
         [a picture](pics/map.png), [elsewhere](https://example.org/x.md) and [here](#index).\n",
    );
    write(
        &input.join("guide/my setup.md"),
        "# Setup\n\n## Linux\n\nBack to the [index](../index.md#index).\n",
    );
    write(&input.join("pics/map.png"), "not really a picture");
    let out = dir.path().join("out");
    let output = quire()
        .args(["convert", "--to", "html,md"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    for href in [
        r#"href="guide/my%20setup.html#linux""#,
        r#"href="guide/my%20setup.html""#,
        r#"href="pics/map.png""#,
        r#"href="https://example.org/x.md""#,
    ] {
        assert!(index.contains(href), "{href} in\n{index}");
    }
    let setup = fs::read_to_string(out.join("guide/my setup.html")).unwrap();
    assert!(setup.contains(r#"href="../index.html#index""#), "{setup}");
    assert!(setup.contains(r#"id="linux""#), "{setup}");
    // The Markdown outputs link to the Markdown outputs.
    let index_md = fs::read_to_string(out.join("index.md")).unwrap();
    assert!(
        index_md.contains("](guide/my%20setup.md#linux)"),
        "{index_md}"
    );
    // One file converted alone keeps its links as written.
    let alone = dir.path().join("alone.html");
    let output = quire()
        .arg("convert")
        .arg(input.join("index.md"))
        .arg("-o")
        .arg(&alone)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let alone = fs::read_to_string(alone).unwrap();
    assert!(
        alone.contains(r#"href="guide/my%20setup.md#linux""#),
        "{alone}"
    );
}

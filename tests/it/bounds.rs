//! What a hostile input or an unlucky moment must not do to a run (issue 11): signals leave
//! no temporary files and later runs remove those of dead processes; FIFOs, `/dev/zero` and
//! links planted among the outputs neither hang nor fill memory nor get written through;
//! `--jobs` has a ceiling; control characters from input cannot forge terminal lines; the
//! absolute input path stays out of outputs; impossible option values are usage errors.

use assert_cmd::Command;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn quire() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    // Nothing here may hang: a FIFO opened by mistake would.
    command.timeout(Duration::from_secs(120));
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir`, hidden ones included.
/// Every file under `dir` but a batch's list of its outputs (`.quire-outputs`).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if entry.file_name() != ".quire-outputs" {
                files.push(path);
            }
        }
    }
    files
}

fn part_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(".quire-") && name.ends_with(".part")
        })
        .collect()
}

/// A Markdown file of about `megabytes` MB, slow enough to convert that a signal lands
/// while its output is being written.
fn big_markdown(megabytes: usize) -> String {
    let paragraph = "The tide came in over the *flats* and the boats rose with it, \
                     one after another, as the [harbour](https://example.org/h) woke.\n\n";
    paragraph.repeat(megabytes * 1_000_000 / paragraph.len())
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

/// Whether the process has a file open in `dir` (its output under way: a named temporary
/// file, or an unnamed `O_TMPFILE` one, which /proc shows as `dir/#inode (deleted)`).
fn writes_into(pid: u32, dir: &Path) -> bool {
    let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten()
        .filter_map(|fd| fs::read_link(fd.path()).ok())
        // The folder itself is open while it is listed (stale part files): not a write.
        .any(|target| target.starts_with(dir) && target != dir)
}

/// Starts `args`, sends `signal` while an output is being written, and returns the exit
/// status and what is left in `out`.
fn signal_mid_write(args: &[&str], out: &Path, signal: libc::c_int) -> std::process::ExitStatus {
    fs::create_dir_all(out).unwrap();
    let out = out.canonicalize().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("quire starts");
    let started = Instant::now();
    loop {
        if writes_into(child.id(), &out) {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("quire finished ({status}) before an output was under way: use a larger input");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no output began"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sends a signal to our own child, which has not been waited for yet.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    child.wait().unwrap()
}

#[test]
fn sigterm_and_sighup_in_a_batch_finish_the_file_under_way_and_leave_no_part_file() {
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        fs::create_dir(&input).unwrap();
        for name in ["a.md", "b.md", "c.md"] {
            fs::write(input.join(name), big_markdown(3)).unwrap();
        }
        let out = dir.path().join("out");
        let args = [
            "convert",
            input.to_str().unwrap(),
            "--to",
            "html",
            "-o",
            out.to_str().unwrap(),
            "--jobs",
            "1",
        ];
        let status = signal_mid_write(&args, &out, signal);
        assert_eq!(part_files(&out), Vec::<PathBuf>::new(), "signal {signal}");
        assert_eq!(status.code(), Some(130), "signal {signal}: {status}");
        // The file under way was finished: at least one whole output, none half-written.
        let outputs = files_under(&out);
        assert!(!outputs.is_empty(), "signal {signal}");
        for output in outputs {
            let html = fs::read_to_string(&output).unwrap();
            assert!(html.trim_end().ends_with("</html>"), "{}", output.display());
        }
    }
}

#[test]
fn ctrl_c_on_one_conversion_leaves_no_part_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("essay.md");
    fs::write(&input, big_markdown(6)).unwrap();
    let out = dir.path().join("out");
    let target = out.join("essay.html");
    let args = [
        "convert",
        input.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ];
    let status = signal_mid_write(&args, &out, libc::SIGINT);
    assert_eq!(part_files(&out), Vec::<PathBuf>::new());
    assert_eq!(status.code(), Some(130), "{status}");
    assert!(!target.exists(), "stopped at once: no output");
}

#[test]
fn a_later_run_removes_part_files_of_dead_quire_processes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // A process that has exited, as a killed quire would have.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale = out.join(format!(".quire-{dead}-0.part"));
    fs::write(&stale, "half an output").unwrap();
    // One of a quire still running (this test's own id stands for it) is left alone.
    let running = out.join(format!(".quire-{}-0.part", std::process::id()));
    fs::write(&running, "being written").unwrap();
    let input = dir.path().join("a.md");
    fs::write(&input, "# A\n\nWords.\n").unwrap();
    quire()
        .args(["convert", input.to_str().unwrap(), "-o"])
        .arg(&out)
        .arg("--to=html")
        .assert()
        .success();
    assert!(!stale.exists(), "the stale part file is still there");
    assert!(running.exists());
    assert!(out.join("a.html").exists());
}

#[test]
fn a_fifo_in_a_folder_is_skipped_and_counted_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("a.md"), "# A\n\nWords.\n").unwrap();
    mkfifo(&input.join("pipe.md"));
    mkfifo(&input.join("pipe"));
    std::os::unix::fs::symlink("/dev/zero", input.join("zero.txt")).unwrap();
    let out = dir.path().join("out");
    let output = quire()
        .args([
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("3 not a regular file (FIFO, socket or device)"),
        "{text}"
    );
    assert_eq!(files_under(&out), [out.join("a.md")]);
}

#[test]
fn dev_zero_and_stdin_stop_at_the_input_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("zeros.txt");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for input in [Path::new("/dev/zero"), link.as_path()] {
        let output = quire()
            .args([
                "convert",
                "--from",
                "text",
                "--max-input-size",
                "1M",
                "-o",
                "-",
            ])
            .arg(input)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            stderr(&output).trim(),
            format!(
                "quire: {}: input is larger than --max-input-size (1 MiB)",
                input.display()
            )
        );
    }
    let zeros = fs::File::open("/dev/zero").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["convert", "-", "--max-input-size", "64K"])
        .stdin(zeros)
        .output()
        .unwrap();
    assert_eq!(
        stderr(&output).trim(),
        "quire: <stdin>: input is larger than --max-input-size (64 KiB)"
    );
    // A regular file over the limit is refused before it is read; one at it is read.
    let file = dir.path().join("big.txt");
    fs::write(&file, "x".repeat(2048)).unwrap();
    let refused = quire()
        .args(["convert", "--max-input-size", "2047", "-o", "-"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        stderr(&refused).contains("(2047 bytes)"),
        "{}",
        stderr(&refused)
    );
    quire()
        .args(["convert", "--max-input-size", "2K", "-o", "-"])
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn outputs_are_not_written_through_links_to_fifos_or_out_of_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    for name in ["a", "b", "c"] {
        fs::write(
            input.join(format!("{name}.md")),
            format!("# {name}\n\nWords.\n"),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    std::os::unix::fs::symlink(&fifo, out.join("a.html")).unwrap();
    let secret = dir.path().join("notes.html");
    fs::write(&secret, "my own notes").unwrap();
    std::os::unix::fs::symlink(&secret, out.join("b.html")).unwrap();
    let output = quire()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--to",
            "html",
            "--force",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "a.html: it is a link to a FIFO, socket or device: quire does not write through it"
        ),
        "{text}"
    );
    assert!(
        text.contains("b.html: it is a link to") && text.contains("outside the output's folder"),
        "{text}"
    );
    assert_eq!(fs::read_to_string(&secret).unwrap(), "my own notes");
    assert!(fs::symlink_metadata(out.join("b.html"))
        .unwrap()
        .is_symlink());
    // The batch went on past them.
    assert!(fs::read_to_string(out.join("c.html"))
        .unwrap()
        .contains("Words."));
    // A mirrored subfolder planted as a link out of the output folder is not entered.
    let sub = input.join("sub");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("d.md"), "# d\n").unwrap();
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("sub")).unwrap();
    let output = quire()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--to",
            "html",
            "--force",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("sub/d.html: its folder is a link out of the output folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    // A FIFO the user names outside /dev is refused the same way.
    let output = quire()
        .args([
            "convert",
            input.join("c.md").to_str().unwrap(),
            "--to",
            "html",
            "-o",
        ])
        .arg(&fifo)
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("not a regular file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn jobs_are_capped_with_a_warning() {
    let output = quire()
        .args(["convert", "--jsonl", "--jobs", "1000000"])
        .write_stdin("{\"id\": 1, \"text\": \"hello\"}\n")
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("warning: --jobs 1000000 is more than"),
        "{text}"
    );
    let answer = String::from_utf8_lossy(&output.stdout);
    assert!(answer.contains("hello"), "{answer}");

    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "# A\n").unwrap();
    fs::write(dir.path().join("b.md"), "# B\n").unwrap();
    let output = quire()
        .args([
            "convert",
            dir.path().to_str().unwrap(),
            "--jobs",
            "99999",
            "-o",
        ])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("files at a time"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn control_characters_from_a_page_cannot_forge_terminal_lines() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let forged = "x\u{1b}[2K\r0 failed, all good\n\u{202e}.png";
    fs::write(
        &page,
        format!(
            "<html><body><article><h1>Tides</h1><p>The tide came in over the flats and \
             the boats rose with it, one after another.</p><img src=\"{forged}\"></article>\
             </body></html>"
        ),
    )
    .unwrap();
    let output = quire()
        .args(["convert", page.to_str().unwrap(), "--to", "pdf,epub", "-o"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(text.contains("warning: image"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\r') && !text.contains('\u{202e}'));
    // The reader already drops the ESC (a control character is not text); the bidi override
    // is text, so it reaches the message, escaped.
    assert!(text.contains("\\u{202e}"), "{text}");
    for line in text.lines() {
        assert!(line.starts_with("quire: "), "a forged line: {line:?}");
    }
}

/// Everything an output holds as text: EPUBs unzipped, PDFs with their streams inflated.
fn readable(path: &Path) -> Vec<u8> {
    let bytes = fs::read(path).unwrap();
    match path.extension().and_then(|e| e.to_str()) {
        Some("epub") => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut all = Vec::new();
            for i in 0..zip.len() {
                zip.by_index(i).unwrap().read_to_end(&mut all).unwrap();
            }
            all
        }
        Some("pdf") => {
            let mut pdf = lopdf::Document::load_mem(&bytes).unwrap();
            pdf.decompress();
            let mut all = Vec::new();
            pdf.save_to(&mut all).unwrap();
            all
        }
        _ => bytes,
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn the_absolute_input_path_stays_out_of_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().canonicalize().unwrap().join("private-home");
    // HTML: the reader that records where a page came from.
    let input = home.join("notes/essay.html");
    fs::create_dir_all(input.parent().unwrap()).unwrap();
    fs::write(
        &input,
        "<html><head><title>Tides</title></head><body><article><h1>Tides</h1><p>The tide \
         came in over the flats and the boats rose with it, one after another.</p>\
         </article></body></html>",
    )
    .unwrap();
    let out = dir.path().join("out");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    quire()
        .current_dir(&elsewhere)
        .args([
            "convert",
            input.to_str().unwrap(),
            "--to",
            "md,html,txt,json,epub,pdf",
        ])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let secret = home.to_str().unwrap();
    let outputs = files_under(&out);
    assert_eq!(outputs.len(), 6);
    for output in &outputs {
        assert!(
            !contains(&readable(output), secret),
            "{} holds the absolute input path",
            output.display()
        );
    }
    // A local file has no source URL (issue 13, point 11): neither its path nor its name is
    // written as one, from outside the current folder or inside it.
    let markdown = fs::read_to_string(out.join("essay.md")).unwrap();
    assert!(!markdown.contains("source:"), "{markdown}");
    let inside = quire()
        .current_dir(&home)
        .args([
            "convert",
            input.to_str().unwrap(),
            "--to",
            "json",
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    let json = String::from_utf8_lossy(&inside.stdout);
    assert!(json.contains("\"Tides\""), "{json}");
    assert!(!json.contains("essay.html"), "{json}");
}

#[test]
fn impossible_option_values_are_usage_errors_naming_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.md");
    fs::write(&input, "# A\n").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--font-size", "0"], "from 4 to 72"),
        (&["--font-size", "500"], "from 4 to 72"),
        (&["--font-size", "NaN"], "from 4 to 72"),
        (&["--margins", "200mm"], "at most 139 mm"),
        (
            &["--page-size", "ereader", "--margins", "35mm"],
            "at most 59 mm",
        ),
        (&["--toc-depth", "9"], "from 0 to 6"),
        (&["--jobs", "0"], "at least 1"),
        (&["--width", "3"], "from 10 to 1000"),
        (&["--max-input-size", "0"], "not a size"),
        (&["--max-input-size", "lots"], "not a size"),
    ];
    for (options, range) in cases {
        let output = quire()
            .arg("convert")
            .arg(&input)
            .args(["--to", "pdf", "-o"])
            .arg(dir.path().join("out.pdf"))
            .args(*options)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{options:?}");
        assert!(
            stderr(&output).contains(range),
            "{options:?}: {}",
            stderr(&output)
        );
    }
    assert!(!dir.path().join("out.pdf").exists());
    let output = quire()
        .arg("bundle")
        .arg(&input)
        .args(["--margins", "200mm", "-o"])
        .arg(dir.path().join("book.pdf"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("at most 139 mm"),
        "{}",
        stderr(&output)
    );
}

//! The layers of the source tree, checked: no two modules import each other, and the network
//! client imports no reader or writer.
//!
//! Every `.rs` file under `src/` is read; every `use crate::…`, `crate::…`, `super::…`,
//! `self::…` and `quire::…` path in its code (comments, strings and `#[cfg(test)] mod` bodies
//! left out) is resolved to the module it names: `src/a/b.rs` and `src/a/b/mod.rs` are module
//! `a::b`, and a path names the longest module it starts with. A module importing its own
//! parent or child is normal; two modules of which neither contains the other and that import
//! each other are a circle. The check runs on file modules and on folders two levels deep
//! (`read::html` against `read::extract`, `cli::run` against `cli::config`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module path, `a::b` as `["a", "b"]`; the crate root is empty.
type Module = Vec<String>;

/// `src/a/b.rs` or `src/a/b/mod.rs` → `a::b`; `src/lib.rs` and `src/main.rs` → the root
/// (the command line lives in the binary, whose `crate::cli` is the folder `src/cli`).
fn module_of(relative: &Path) -> Module {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.strip_suffix(".rs").unwrap_or(&file);
    if !(parts.is_empty() && matches!(stem, "lib" | "main")) && stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a Rust file without its comments, string and char literals (each replaced by
/// a space, so that nothing inside them reads as a path or a brace).
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (at(i + 1) == '"' || (at(i + 1) == '#' && at(i + 2) != '[')) {
            // A raw string: r"…" or r#"…"#, as many hashes closing as opening.
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' || (i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')) {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| at(j + 1 + h) == '#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
            out.push(' ');
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(' ');
        } else if c == '\'' && at(i + 1) == '\\' {
            // An escaped char literal: '\n', '\'', '\u{2014}'.
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push(' ');
        } else if c == '\'' && at(i + 2) == '\'' {
            i += 3;
            out.push(' ');
        } else {
            // Anything else, a lifetime's quote included.
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The position of the brace closing the one at `open`.
fn closing_brace(code: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, &b) in code.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// Skips spaces from `i`.
fn skip_spaces(code: &[u8], mut i: usize) -> usize {
    while i < code.len() && code[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The identifier starting at `i`, and where it ends.
fn ident_at(code: &[u8], i: usize) -> (&str, usize) {
    let mut end = i;
    while end < code.len() && (code[end].is_ascii_alphanumeric() || code[end] == b'_') {
        end += 1;
    }
    (std::str::from_utf8(&code[i..end]).unwrap_or(""), end)
}

/// Whether `code[i..]` starts the word `word` (not inside a longer identifier).
fn word_at(code: &[u8], i: usize, word: &str) -> bool {
    let before = i.checked_sub(1).map(|b| code[b]);
    code[i..].starts_with(word.as_bytes())
        && !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !code
            .get(i + word.len())
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// `code` without the bodies of `#[cfg(test)] mod name { … }`, and the names of the test
/// modules declared as files (`#[cfg(test)] mod name;`).
fn without_tests(code: &str) -> (String, Vec<String>) {
    let bytes = code.as_bytes();
    let mut out = String::with_capacity(code.len());
    let mut test_files = Vec::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = code[search..].find("#[cfg(test)]") {
        let attribute = search + found;
        search = attribute + 1;
        let mut i = skip_spaces(bytes, attribute + "#[cfg(test)]".len());
        // Further attributes between `#[cfg(test)]` and the item.
        while bytes.get(i) == Some(&b'#') {
            match code[i..].find(']') {
                Some(end) => i = skip_spaces(bytes, i + end + 1),
                None => break,
            }
        }
        if word_at(bytes, i, "pub") {
            i = skip_spaces(bytes, i + 3);
        }
        if !word_at(bytes, i, "mod") {
            continue;
        }
        let (name, end) = ident_at(bytes, skip_spaces(bytes, i + 3));
        let next = skip_spaces(bytes, end);
        match bytes.get(next) {
            Some(b';') => test_files.push(name.to_string()),
            Some(b'{') => {
                let close = closing_brace(bytes, next);
                out.push_str(&code[copied..attribute]);
                copied = (close + 1).min(code.len());
                search = copied;
            }
            _ => {}
        }
    }
    out.push_str(&code[copied..]);
    (out, test_files)
}

/// `a::{b, c::{d, self}}` → `a::b`, `a::c::d`, `a::c` (a `use` tree without spaces).
fn expand_use_tree(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree);
        return vec![path.trim_end_matches("::*").to_string()];
    };
    let prefix = &tree[..open];
    let inner = tree[open + 1..]
        .strip_suffix('}')
        .unwrap_or(&tree[open + 1..]);
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|part| {
            expand_use_tree(part)
                .into_iter()
                .map(|p| match p.as_str() {
                    "self" | "*" => prefix.trim_end_matches("::").to_string(),
                    _ => format!("{prefix}{p}"),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every path in `code` that starts at `crate`, `super`, `self` or `quire`, with its position:
/// `use` trees expanded, other paths as written (`super::run::io_message(…)`).
fn paths_in(code: &str) -> Vec<(usize, String)> {
    let bytes = code.as_bytes();
    let mut paths = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if word_at(bytes, i, "use") {
            let end = code[i..].find(';').map_or(code.len(), |e| i + e);
            let tree: String = code[i + 3..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace(" ::", "::")
                .replace(":: ", "::")
                .replace(", ", ",")
                .replace("{ ", "{")
                .replace(" }", "}")
                .replace(" {", "{");
            paths.extend(expand_use_tree(tree.trim()).into_iter().map(|p| (i, p)));
            i = end;
            continue;
        }
        let starts_path = ["crate", "super", "self", "quire"]
            .iter()
            .any(|w| word_at(bytes, i, w))
            && !(i > 0 && bytes[i - 1] == b':');
        if starts_path {
            let mut end = i;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'_' | b':'))
            {
                end += 1;
            }
            let path = code[i..end].trim_end_matches(':');
            if path.contains("::") {
                paths.push((i, path.to_string()));
            }
            i = end;
            continue;
        }
        i += 1;
    }
    paths
}

/// The inline modules (`mod name { … }`) of `code`: name and the span of their body.
fn inline_modules(code: &str) -> Vec<(String, usize, usize)> {
    let bytes = code.as_bytes();
    let mut modules = Vec::new();
    for i in 0..bytes.len() {
        if !word_at(bytes, i, "mod") {
            continue;
        }
        let (name, end) = ident_at(bytes, skip_spaces(bytes, i + 3));
        let next = skip_spaces(bytes, end);
        if !name.is_empty() && bytes.get(next) == Some(&b'{') {
            modules.push((name.to_string(), next, closing_brace(bytes, next)));
        }
    }
    modules
}

/// The module a path names, seen from `here`: the longest known module it starts with.
fn resolve(path: &str, here: &Module, known: &BTreeSet<Module>) -> Option<Module> {
    let mut segments = path.split("::").filter(|s| !s.is_empty());
    let mut module: Module = match segments.next()? {
        "crate" | "quire" => Vec::new(),
        "self" => here.clone(),
        "super" => here[..here.len().checked_sub(1)?].to_vec(),
        _ => return None,
    };
    let mut rest: Vec<&str> = segments.collect();
    while rest.first() == Some(&"super") {
        module.pop();
        rest.remove(0);
    }
    let mut best = module.clone();
    for segment in rest {
        module.push(segment.to_string());
        if known.contains(&module) {
            best = module.clone();
        }
    }
    Some(best)
}

/// Who imports whom among `files` (module of the file, source): each edge once, the importer
/// first. Inline modules count as the file they are written in.
fn imports(files: &[(Module, String)]) -> BTreeSet<(Module, Module)> {
    let mut test_files = BTreeSet::new();
    let mut stripped = Vec::new();
    for (module, source) in files {
        let (code, tests) = without_tests(&code_only(source));
        test_files.extend(tests.into_iter().map(|t| {
            let mut m = module.clone();
            m.push(t);
            m
        }));
        stripped.push((module.clone(), code));
    }
    let known: BTreeSet<Module> = files
        .iter()
        .map(|(m, _)| m.clone())
        .filter(|m| !test_files.contains(m))
        .collect();
    let mut edges = BTreeSet::new();
    for (module, code) in stripped {
        if !known.contains(&module) {
            continue;
        }
        let inline = inline_modules(&code);
        for (at, path) in paths_in(&code) {
            let mut here = module.clone();
            here.extend(
                inline
                    .iter()
                    .filter(|(_, open, close)| *open < at && at < *close)
                    .map(|(name, _, _)| name.clone()),
            );
            if let Some(target) = resolve(&path, &here, &known) {
                edges.insert((module.clone(), target));
            }
        }
    }
    edges
}

fn contains(outer: &[String], inner: &[String]) -> bool {
    inner.starts_with(outer)
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        module.join("::")
    }
}

/// Pairs of modules that import each other, neither containing the other, named in order.
fn circles(edges: &BTreeSet<(Module, Module)>) -> BTreeSet<(String, String)> {
    edges
        .iter()
        .filter(|(a, b)| !contains(a, b) && !contains(b, a))
        .filter(|(a, b)| edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| {
            let (a, b) = (name(a), name(b));
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect()
}

/// The same edges between folders two levels deep (`read::html::compact` → `read::html`).
fn folder_edges(edges: &BTreeSet<(Module, Module)>) -> BTreeSet<(Module, Module)> {
    let top = |m: &Module| m.iter().take(2).cloned().collect::<Module>();
    edges.iter().map(|(a, b)| (top(a), top(b))).collect()
}

/// Every problem found: circles at both levels, and `net` importing a reader or a writer.
fn problems(files: &[(Module, String)]) -> BTreeSet<(String, String)> {
    let edges = imports(files);
    let mut found = circles(&edges);
    found.extend(circles(&folder_edges(&edges)));
    for (from, to) in &edges {
        let from_net = from.first().is_some_and(|m| m == "net");
        let to_layer = to.first().is_some_and(|m| m == "read" || m == "write");
        if from_net && to_layer {
            found.insert((name(from), name(to)));
        }
    }
    found
}

fn source_files() -> Vec<(Module, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let module = module_of(path.strip_prefix(&root).unwrap());
                files.push((module, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn no_two_modules_import_each_other_and_net_imports_no_reader_or_writer() {
    let files = source_files();
    assert!(files.len() > 50, "only {} source files found", files.len());
    let found = problems(&files);
    assert!(
        found.is_empty(),
        "modules that import each other (or net importing read/write): {found:?}"
    );
}

/// Beyond pairs: the command line's modules form no circle of any length, so its
/// dependencies go one way (args → config → plan → run → report, …).
#[test]
fn the_command_line_depends_one_way() {
    let edges = imports(&source_files());
    let cli: BTreeMap<String, BTreeSet<String>> = edges
        .iter()
        .filter(|(a, b)| a.len() == 2 && b.len() == 2 && a[0] == "cli" && b[0] == "cli")
        .filter(|(a, b)| a != b)
        .fold(BTreeMap::new(), |mut graph, (a, b)| {
            graph.entry(name(a)).or_default().insert(name(b));
            graph
        });
    assert!(cli.len() > 10, "the command line's imports: {cli:?}");
    // Kahn's algorithm: what is left after removing every module nothing depends on in turn
    // lies on a circle.
    let mut left = cli.clone();
    loop {
        let leaves: Vec<String> = left
            .keys()
            .filter(|m| !left.values().any(|deps| deps.contains(*m)))
            .cloned()
            .collect();
        if leaves.is_empty() {
            break;
        }
        for leaf in leaves {
            left.remove(&leaf);
        }
    }
    assert!(left.is_empty(), "circles among {:?}", left.keys());
}

fn file(module: &str, source: &str) -> (Module, String) {
    let module = module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(String::from);
    (module.collect(), source.to_string())
}

#[test]
fn the_checker_finds_circles_through_every_kind_of_path() {
    let files = [
        file("", "mod a; mod b; mod net; mod read;"),
        file("a", "use crate::b::{self, Thing};\n"),
        file("b", "fn f() { super::a::g(); }\n"),
        file("read", "mod x; mod y;"),
        file("read::x", "use super::{y::{Row, Other}};"),
        file("read::y", "pub fn f() -> crate::read::x::Tree { todo!() }"),
        file("net", "use crate::read::y as html;"),
    ];
    let found = problems(&files);
    let expected: BTreeSet<(String, String)> =
        [("a", "b"), ("read::x", "read::y"), ("net", "read::y")]
            .iter()
            .map(|&(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(found, expected);
}

#[test]
fn the_checker_ignores_tests_comments_strings_and_family() {
    let files = [
        file("", "mod a; mod b;"),
        file(
            "a",
            "//! See crate::b::x.\n\
             mod child;\n\
             use crate::b::Thing; // b imports a only in its tests\n\
             fn f() { let c = '\"'; let s = \"super::b\"; let lifetime: &'static str = s; }\n",
        ),
        file("a::child", "use super::super::a; use crate::a::f;"),
        file(
            "b",
            "pub struct Thing;\n\
             /* use crate::a; */\n\
             #[cfg(test)]\nmod tests {\n    use crate::a::f;\n    fn g() { {} }\n}\n\
             #[cfg(test)]\nmod fixtures;\n\
             fn h() -> &'static str { r#\"crate::a::f\"# }\n\
             #[cfg(unix)]\nmod sys {\n    use super::Thing;\n}\n",
        ),
        file("b::fixtures", "use crate::a::f;"),
    ];
    let edges = imports(&files);
    let names: BTreeSet<(String, String)> = edges.iter().map(|(a, b)| (name(a), name(b))).collect();
    let expected: BTreeSet<(String, String)> = [("a", "b"), ("a::child", "a"), ("b", "b")]
        .iter()
        .map(|&(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(names, expected);
    assert!(problems(&files).is_empty());
}

#[test]
fn folders_two_levels_deep_are_checked_too() {
    let files = [
        file("read", "mod html; mod extract;"),
        file("read::html", "mod compact;"),
        file("read::html::compact", "use crate::read::extract::score;"),
        file("read::extract", "mod score;"),
        file("read::extract::score", "use crate::read::html::Rows;"),
    ];
    let found = problems(&files);
    assert_eq!(
        found,
        [("read::extract".to_string(), "read::html".to_string())].into()
    );
}

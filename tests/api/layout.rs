//! The code's layout, checked from the source files: the web layer never reaches the database
//! layer, `domain` depends on nothing else in the crate, no two files import each other
//! (directly or around a longer loop), every web module says what it owns, and no source file
//! is over 400 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a source file may be.
const MAX_LINES: usize = 400;

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The library's files (not the executables under `src/bin`, which are crates of their own).
fn library_files() -> Vec<PathBuf> {
    let src = root().join("src");
    rust_files(&src)
        .into_iter()
        .filter(|p| !p.starts_with(src.join("bin")))
        .collect()
}

/// The module path of a library file: `src/web/oidc/mod.rs` → `["web", "oidc"]`.
fn module_of(path: &Path) -> Vec<String> {
    let relative = path.strip_prefix(root().join("src")).unwrap();
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments and its `#[cfg(test)]` module (tests may reach
/// anywhere).
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expands a `use` tree (`super::{a, b::{c, d}}`) into its paths.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = tree[open + 1..]
        .strip_suffix('}')
        .unwrap_or(&tree[open + 1..]);
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
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
        .flat_map(|p| expand_use(&format!("{prefix}{p}")))
        .collect()
}

/// Every path a file names that starts with `crate::`, `super::` or `self::`.
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for statement in code.split(';') {
        let statement = statement.trim();
        let used = statement
            .strip_prefix("pub use ")
            .or_else(|| statement.strip_prefix("pub(crate) use "))
            .or_else(|| statement.strip_prefix("pub(super) use "))
            .or_else(|| statement.strip_prefix("use "));
        if let Some(tree) = used {
            paths.extend(expand_use(tree));
        }
    }
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in code.match_indices(start) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            paths.push(code[at..end].to_owned());
        }
    }
    paths
}

/// The module a path names, resolved from the file's own module, as the longest known module
/// it starts with.
fn target_of(path: &str, from: &[String], known: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    // `super` is relative to the module a file is; `mod.rs` is its directory's module.
    let mut base: Vec<String> = from.to_vec();
    match segments.first().copied() {
        Some("crate") => {
            base.clear();
            segments.remove(0);
        }
        Some("self") => {
            segments.remove(0);
        }
        Some("super") => {
            while segments.first() == Some(&"super") {
                base.pop()?;
                segments.remove(0);
            }
        }
        _ => return None,
    }
    let mut full = base;
    full.extend(segments.iter().map(|s| (*s).to_owned()));
    (0..=full.len())
        .rev()
        .map(|n| full[..n].to_vec())
        .find(|candidate| known.contains(candidate))
}

/// Which modules each library module names, leaving out its own ancestors (a child using its
/// parent's items is how Rust modules nest, not a cycle).
fn module_graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let files = library_files();
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let targets: BTreeSet<Vec<String>> = paths_in(&code)
            .iter()
            .filter_map(|p| target_of(p, &module, &known))
            .filter(|t| !module.starts_with(t) && !t.starts_with(&module))
            .collect();
        graph.insert(module, targets);
    }
    graph
}

/// The groups of modules that reach each other (Tarjan's strongly connected components),
/// keeping only groups of two or more.
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'g Vec<String>, usize>,
        low: BTreeMap<&'g Vec<String>, usize>,
        stack: Vec<&'g Vec<String>>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, node: &'g Vec<String>) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                while let Some(top) = self.stack.pop() {
                    group.push(top.join("::"));
                    if top == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node) {
            walk.visit(node);
        }
    }
    walk.found
}

#[test]
fn the_web_layer_never_imports_the_database_layer() {
    let offenders: Vec<String> = library_files()
        .into_iter()
        .filter(|f| module_of(f).first().is_some_and(|m| m == "web"))
        .filter(|f| code_of(&std::fs::read_to_string(f).unwrap()).contains("crate::db"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "web files naming crate::db: {offenders:?}"
    );
}

#[test]
fn the_domain_depends_on_nothing_else_in_the_crate() {
    let graph = module_graph();
    let offenders: Vec<String> = graph
        .iter()
        .filter(|(module, _)| module.first().is_some_and(|m| m == "domain"))
        .flat_map(|(module, targets)| {
            targets
                .iter()
                .filter(|t| t.first().is_none_or(|m| m != "domain"))
                .map(move |t| format!("{} -> {}", module.join("::"), t.join("::")))
        })
        .collect();
    assert!(offenders.is_empty(), "domain reaching out: {offenders:?}");
}

#[test]
fn no_two_source_files_import_each_other() {
    let found = cycles(&module_graph());
    assert!(found.is_empty(), "import cycles: {found:?}");
}

#[test]
fn the_cycle_check_finds_a_cycle_between_two_files() {
    let module = |name: &str| vec!["service".to_owned(), name.to_owned()];
    let mut graph = BTreeMap::new();
    graph.insert(module("mint"), BTreeSet::from([module("token")]));
    graph.insert(module("token"), BTreeSet::from([module("mint")]));
    graph.insert(module("claims"), BTreeSet::from([module("mint")]));
    assert_eq!(
        cycles(&graph),
        vec![vec!["service::mint", "service::token"]]
    );
}

#[test]
fn use_trees_are_read_whole() {
    let paths = paths_in(
        "use super::{AppState, error::{WebError, ErrorPage}};\nlet x = crate::db::a::b();",
    );
    assert!(
        paths.contains(&"super::error::WebError".to_owned()),
        "{paths:?}"
    );
    assert!(paths.contains(&"super::AppState".to_owned()), "{paths:?}");
    assert!(paths.contains(&"crate::db::a::b".to_owned()), "{paths:?}");
}

#[test]
fn every_web_module_says_what_it_owns() {
    let silent: Vec<String> = library_files()
        .into_iter()
        .filter(|f| module_of(f).first().is_some_and(|m| m == "web"))
        .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        silent.is_empty(),
        "web modules without a //! line: {silent:?}"
    );
}

#[test]
fn no_source_file_is_over_400_lines() {
    let long: Vec<String> = ["src", "tests"]
        .into_iter()
        .flat_map(|dir| rust_files(&root().join(dir)))
        .filter_map(|f| {
            let lines = std::fs::read_to_string(&f).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines})", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

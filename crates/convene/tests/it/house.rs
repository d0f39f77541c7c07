//! The house rules, held by a test so that CI enforces them: within each crate no two
//! top-level modules depend on each other (directly or round a cycle), no source file under
//! `crates/*/src` is over 800 lines, and no function outside the tests is over 120 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn crates() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each top-level module of `src` (a file or a directory) and the top-level modules its code
/// names as `crate::NAME` (test files and test modules left out).
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let top = |path: &Path| {
        let rel = path.strip_prefix(src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
        first.trim_end_matches(".rs").to_string()
    };
    let modules: BTreeSet<String> = files.iter().map(|f| top(f)).filter(|m| m != "lib" && m != "main").collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = top(file);
        if !modules.contains(&module) || file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if modules.contains(&name) && name != module {
                graph.entry(module.clone()).or_default().insert(name);
            }
        }
    }
    graph
}

/// A cycle in `graph`, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            return Some(path[at..].to_vec());
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_crate_has_a_cycle_between_its_modules() {
    for entry in std::fs::read_dir(crates()).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            let graph = module_graph(&src);
            assert_eq!(cycle(&graph), None, "{}: {graph:?}", src.display());
        }
    }
}

#[test]
fn no_source_file_is_over_800_lines_nor_a_function_over_120() {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(crates()).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            sources(&src, &mut files);
        }
    }
    let mut long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > 800 {
            long.push(format!("{}: {} lines", file.display(), lines.len()));
        }
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        // A function starts at `fn NAME` (with its qualifiers) and ends at the first line that
        // closes a block at its own indentation; test modules are left out.
        let code_end = lines.iter().position(|l| l.starts_with("#[cfg(test)]")).unwrap_or(lines.len());
        let mut k = 0;
        while k < code_end {
            let line = lines[k];
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let words: Vec<&str> = trimmed.split_whitespace().collect();
            let is_fn = words.iter().take(4).any(|w| *w == "fn")
                && !trimmed.starts_with("//")
                && !trimmed.ends_with(';')
                && words
                    .first()
                    .is_some_and(|w| ["fn", "pub", "pub(crate)", "pub(super)", "async", "const"].contains(w));
            if is_fn {
                let close = format!("{}}}", " ".repeat(indent));
                let end = (k..lines.len()).find(|&e| lines[e] == close).unwrap_or(k);
                if end - k + 1 > 120 {
                    long.push(format!("{}:{}: a function of {} lines", file.display(), k + 1, end - k + 1));
                }
                k = end + 1;
                continue;
            }
            k += 1;
        }
    }
    assert!(long.is_empty(), "{long:#?}");
}

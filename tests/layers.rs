//! The layers of the house hold: each top-level module imports only the modules its layer
//! may use (README, "Layers"). Test-only code (`#[cfg(test)]` items, `sample.rs`, the
//! `tests.rs` files) is left out: tests may reach anywhere.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use quote::ToTokens;

/// Bottom to top. A module may import any module of a lower layer, none of its own layer or
/// above (except as `PEERS` lists).
const LAYERS: &[&[&str]] = &[
    &["sanitize", "secret", "sweep", "when", "media"],
    &["api"],
    &["sim", "config", "summary", "schedule", "files", "logging"],
    &["local_clips", "paths"],
    &["app", "demo", "cli"],
    &["runtime", "ui", "context"],
    &["output"],
    &["tui", "commands", "watch"],
];

/// Whom the simulator may serve: the demo, the flags that set its faults, and `blinktui sim`.
/// The app, its runtime and the client know Blink only through the API.
const SIM_USERS: &[&str] = &["demo", "cli", "commands"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// What `module` may import.
fn allowed(module: &str, dependency: &str) -> bool {
    if dependency == "sim" && !SIM_USERS.contains(&module) {
        return false;
    }
    match (layer_of(module), layer_of(dependency)) {
        (Some(own), Some(other)) => other < own,
        _ => false,
    }
}

/// The `crate::NAME` paths in a file's non-test code.
fn crate_paths(source: &str) -> BTreeSet<String> {
    let mut file = syn::parse_file(source).expect("the source parses");
    strip_test_items(&mut file.items);
    let mut found = BTreeSet::new();
    collect_uses(&file.items, &mut found);
    // Paths written out in code and macros (`crate::api::X`, `$crate::output::say`).
    let tokens = file.into_token_stream().to_string();
    let words: Vec<&str> = tokens.split_whitespace().collect();
    found.extend(
        words
            .windows(3)
            .filter(|w| w[0] == "crate" && w[1] == "::")
            .map(|w| w[2].trim_matches(|c: char| !c.is_alphanumeric() && c != '_').to_owned())
            .filter(|name| !name.is_empty()),
    );
    found
}

/// The modules named by `use crate::…` items, groups (`crate::{a, b::c}`) included.
fn collect_uses(items: &[syn::Item], found: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Use(item) => {
                if let syn::UseTree::Path(path) = &item.tree
                    && path.ident == "crate"
                {
                    first_segments(&path.tree, found);
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    collect_uses(inner, found);
                }
            }
            _ => {}
        }
    }
}

fn first_segments(tree: &syn::UseTree, found: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(path) => {
            found.insert(path.ident.to_string());
        }
        syn::UseTree::Name(name) => {
            found.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            found.insert(rename.ident.to_string());
        }
        syn::UseTree::Group(group) => group.items.iter().for_each(|tree| first_segments(tree, found)),
        syn::UseTree::Glob(_) => {}
    }
}

fn strip_test_items(items: &mut Vec<syn::Item>) {
    items.retain(|item| !is_test_only(item));
    for item in items {
        if let syn::Item::Mod(module) = item
            && let Some((_, inner)) = &mut module.content
        {
            strip_test_items(inner);
        }
    }
}

fn is_test_only(item: &syn::Item) -> bool {
    let attrs = match item {
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Use(u) => &u.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Const(c) => &c.attrs,
        syn::Item::Struct(s) => &s.attrs,
        _ => return false,
    };
    attrs
        .iter()
        .any(|attr| attr.path().is_ident("cfg") && attr.meta.to_token_stream().to_string().contains("test"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return files };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name == "tests.rs" || name == "sample.rs" || name.ends_with("_tests.rs")
}

/// Every import that breaks the layers, as "module -> dependency (file)".
fn violations(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for top in rust_files(src).into_iter().filter(|p| p.parent() == Some(src)) {
        let module = top.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let mut files = vec![top.clone()];
        files.extend(rust_files(&src.join(&module)));
        for file in files.into_iter().filter(|f| !is_test_file(f)) {
            let source = std::fs::read_to_string(&file).expect("readable source");
            for dependency in crate_paths(&source) {
                if dependency != module && !allowed(&module, &dependency) {
                    found.push(format!("{module} -> {dependency} ({})", file.display()));
                }
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "imports against the layers (see README, Layers):\n{}", found.join("\n"));
}

#[test]
fn the_app_layer_does_no_io() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("app.rs")];
    files.extend(rust_files(&src.join("app")));
    let mut found = Vec::new();
    for file in files.into_iter().filter(|f| !is_test_file(f)) {
        let source = std::fs::read_to_string(&file).expect("readable source");
        let mut parsed = syn::parse_file(&source).expect("the source parses");
        strip_test_items(&mut parsed.items);
        let code = parsed.into_token_stream().to_string().replace(' ', "");
        for io in ["tokio::spawn", "spawn_blocking", "reqwest", "std::fs", "tokio::fs", "std::net", "File::"]
        {
            if code.contains(io) {
                found.push(format!("{} uses {io}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "I/O belongs in the runtime, not in app:\n{}", found.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let unplaced: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|p| p.parent() == Some(src.as_path()))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .filter(|m| m != "lib" && m != "main" && layer_of(m).is_none())
        .collect();
    assert!(unplaced.is_empty(), "modules without a layer in this test and the README: {unplaced:?}");
}

#[test]
fn an_upward_import_an_entry_point_import_and_a_use_of_the_simulator_are_caught() {
    let dir = std::env::temp_dir().join(format!("blinktui-layers-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("app")).expect("dirs");
    std::fs::write(src.join("app.rs"), "mod inner;\nuse crate::api::Thing;\n").expect("write");
    std::fs::write(
        src.join("app/inner.rs"),
        "fn f() { crate::runtime::go(); }\n#[cfg(test)]\nmod tests { use crate::tui::X; }\n",
    )
    .expect("write");
    std::fs::write(src.join("tui.rs"), "use crate::{commands::run, app::State};\nuse crate::sim::World;\n")
        .expect("write");
    let found = violations(&src);
    std::fs::remove_dir_all(&dir).ok();
    let named: Vec<&str> = found.iter().map(|v| v.split(" (").next().unwrap_or_default()).collect();
    assert_eq!(named, ["app -> runtime", "tui -> commands", "tui -> sim"], "{found:?}");
}

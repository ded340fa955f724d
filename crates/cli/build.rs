//! Links the stack unwinder into the binary instead of loading `libgcc_s.so` at every start.
//!
//! Rust's standard library on `*-linux-gnu` asks for `-lgcc_s`, the shared unwinder. Loading it
//! costs a short command about a tenth of a millisecond: one more library for the dynamic loader
//! to find, map and relocate, and its constructor, which queries the processor with `cpuid`
//! (a trap to the hypervisor on a virtual machine). The binary never unwinds (release builds
//! abort on panic) and uses the unwinder only to print a backtrace, so the static archive of
//! the same code, `libgcc_eh.a` (what Rust itself links for `crt-static` builds), serves: this
//! script puts a copy of it named `libgcc_s.a` on the library path, where the linker finds it
//! before the compiler's `libgcc_s.so`.
//!
//! Nothing changes where the C compiler has no `libgcc_eh.a`, or when cross-compiling, or with
//! `CLEVERAGENTS_SHARED_UNWINDER=1`: the binary then loads `libgcc_s.so` as usual.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CC");
    println!("cargo:rerun-if-env-changed=CLEVERAGENTS_SHARED_UNWINDER");
    if let Some(dir) = static_unwinder() {
        println!("cargo:rustc-link-search=native={}", dir.display());
    }
}

/// A directory holding `libgcc_s.a` (a copy of `libgcc_eh.a`), or `None` to keep the default.
fn static_unwinder() -> Option<PathBuf> {
    let target = env::var("TARGET").ok()?;
    if !target.ends_with("-linux-gnu")
        || env::var("HOST").ok()? != target
        || env::var_os("CLEVERAGENTS_SHARED_UNWINDER").is_some_and(|v| v == "1")
    {
        return None;
    }
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let out = Command::new(cc)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()?;
    // Without the archive the compiler prints the bare name back.
    let archive = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    if !out.status.success() || !archive.is_absolute() || !archive.is_file() {
        return None;
    }
    let dir = PathBuf::from(env::var_os("OUT_DIR")?).join("unwinder");
    fs::create_dir_all(&dir).ok()?;
    fs::copy(&archive, dir.join("libgcc_s.a")).ok()?;
    Some(dir)
}

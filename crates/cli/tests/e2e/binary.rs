//! How the binary is linked: what every command pays at start-up.

/// The binary carries its stack unwinder (`crates/cli/build.rs`) rather than loading
/// `libgcc_s.so` at every start, wherever the C compiler has the static one.
#[test]
fn the_binary_does_not_load_the_shared_unwinder() {
    let static_unwinder = std::process::Command::new("cc")
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .is_some_and(|path| std::path::Path::new(&path).is_absolute());
    if !static_unwinder
        || std::env::var_os("CLEVERAGENTS_SHARED_UNWINDER").is_some_and(|v| v == "1")
    {
        eprintln!("skipped: this build loads the shared unwinder");
        return;
    }
    let binary = std::fs::read(env!("CARGO_BIN_EXE_cleveragents")).unwrap();
    let names = |name: &[u8]| binary.windows(name.len()).any(|w| w == name);
    // The libraries it loads are named in it: the C library, and not the unwinder.
    assert!(names(b"libc.so.6"));
    assert!(!names(b"libgcc_s.so"));
}

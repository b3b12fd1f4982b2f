//! Build script: on Windows targets only, embeds the icon and the version information in the
//! exe (Explorer, the taskbar, Alt-Tab and the file's Properties → Details show them).
//! Build scripts run on the build machine, so the target is read from CARGO_CFG_TARGET_OS:
//! a Linux or macOS build does nothing here and needs no extra tool. Cross-compiling from
//! Linux for x86_64-pc-windows-gnu uses `x86_64-w64-mingw32-windres` (Debian package
//! binutils-mingw-w64-x86-64, pulled in by gcc-mingw-w64-x86-64); a native MSVC build uses
//! the Windows SDK's rc.exe.

use std::env;

const ICON: &str = "assets/windows/asteroid-stager.ico";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={ICON}");
    // The message catalogue is compiled in (src/messages.rs): an edited text rebuilds.
    println!("cargo:rerun-if-changed=assets/locales");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let version = env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let mut res = winresource::WindowsResource::new();
    // FILEVERSION and PRODUCTVERSION (the numeric fields) come from CARGO_PKG_VERSION_*.
    res.set_icon(ICON)
        .set("ProductName", "Asteroid Stager")
        .set("FileDescription", "Asteroid Stager")
        .set("ProductVersion", &version)
        .set("FileVersion", &version)
        .set("InternalName", "asteroid-stager")
        .set("OriginalFilename", "asteroid-stager.exe")
        .set("CompanyName", "Asteroid Stager contributors")
        .set(
            "LegalCopyright",
            "Asteroid Stager contributors, MIT OR Apache-2.0",
        );
    // Only the app's exe: tests, benches and examples link without the resource.
    if let Err(e) = res.compile_for("asteroid-stager") {
        panic!(
            "could not embed the Windows icon and version information ({e}); cross-compiling \
             from Linux needs x86_64-w64-mingw32-windres (apt-get install gcc-mingw-w64-x86-64)"
        );
    }
}

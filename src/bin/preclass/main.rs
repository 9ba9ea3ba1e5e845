//! `preclass`: the native command-line tool on the preclass core.
//! The wasm32 build has no CLI (integration tests still build this target there).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

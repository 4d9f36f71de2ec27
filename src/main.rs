//! The `sdi` binary: parse arguments, call the library, print errors, map them to
//! exit codes (0 success, 1 a failure the user can fix, 2 usage, 130 Ctrl-C).

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = sdi::cli::Cli::from_env();
    let palette = sdi::ui::Palette::for_stderr(cli.color);
    match sdi::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => sdi::commands::exit_code_for(&err, &palette),
    }
}

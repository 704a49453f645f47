//! `completions` and `man`: the CLI fitting the shell.

use clap::CommandFactory;
use clap_complete::Shell;

/// Prints the completion script for a shell.
pub fn completions(shell: Shell) -> anyhow::Result<i32> {
    let mut cmd = super::Cli::command();
    clap_complete::generate(shell, &mut cmd, "iocdesk", &mut std::io::stdout());
    Ok(0)
}

/// Prints the man page (roff): the main page, then a section per command with its options.
pub fn man() -> anyhow::Result<i32> {
    let cmd = super::Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.extend_from_slice(
            format!(
                ".SH \"IOCDESK {}\"\n{}\n",
                sub.get_name().to_uppercase(),
                roff_escape(&about)
            )
            .as_bytes(),
        );
        let mut opts = Vec::new();
        clap_mangen::Man::new(sub.clone()).render_options_section(&mut opts)?;
        // Each command's options section arrives with its own `.SH OPTIONS` heading; demote it.
        let opts = String::from_utf8_lossy(&opts).replacen(".SH OPTIONS", ".SS Options", 1);
        out.extend_from_slice(opts.as_bytes());
    }
    std::io::Write::write_all(&mut std::io::stdout(), &out)?;
    Ok(0)
}

fn roff_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('-', "\\-")
}

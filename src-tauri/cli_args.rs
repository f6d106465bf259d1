//! How the app was asked to start: demo or live, and which data folder. Arguments win over the
//! environment (`SELLERDESK_DEMO=1`, `SELLERDESK_DATA_DIR`), which wins over the OS default.

use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaunchArgs {
    pub demo: bool,
    pub data_dir: Option<PathBuf>,
    /// How long keychain calls (opening included) may take: `SELLERDESK_KEYCHAIN_TIMEOUT`
    /// seconds, like the CLI's `--keychain-timeout`.
    pub keychain_wait: Option<std::time::Duration>,
    /// Arguments we do not know; logged, not fatal (a launcher or driver may add its own).
    pub ignored: Vec<String>,
}

/// Parses the process arguments (without the program name) and the two environment variables.
pub fn parse(
    args: impl IntoIterator<Item = OsString>,
    env: impl Fn(&str) -> Option<OsString>,
) -> LaunchArgs {
    let mut launch = LaunchArgs {
        demo: env("SELLERDESK_DEMO").is_some_and(|v| is_truthy(&v)),
        data_dir: env("SELLERDESK_DATA_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        keychain_wait: env("SELLERDESK_KEYCHAIN_TIMEOUT")
            .and_then(|v| v.to_string_lossy().trim().parse::<f64>().ok())
            .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok()),
        ignored: Vec::new(),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--demo" {
            launch.demo = true;
        } else if text == "--data-dir" {
            match args.next() {
                Some(dir) => launch.data_dir = Some(PathBuf::from(dir)),
                None => launch.ignored.push(text.into_owned()),
            }
        } else if let Some(dir) = text.strip_prefix("--data-dir=") {
            launch.data_dir = Some(PathBuf::from(dir));
        } else if text.starts_with(sellerdesk_core::links::SCHEME) && text.contains("://") {
            // A deep link: the deep-link plugin reads it from the arguments itself.
        } else {
            launch.ignored.push(text.into_owned());
        }
    }
    launch
}

/// The arguments and environment of this process.
pub fn from_process() -> LaunchArgs {
    parse(std::env::args_os().skip(1), |name| std::env::var_os(name))
}

fn is_truthy(value: &OsString) -> bool {
    matches!(
        value.to_string_lossy().trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(items: &[&str]) -> Vec<OsString> {
        items.iter().map(OsString::from).collect()
    }

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    #[test]
    fn reads_flags() {
        let launch = parse(os(&["--demo", "--data-dir", "/tmp/d"]), no_env);
        assert!(launch.demo);
        assert_eq!(launch.data_dir, Some(PathBuf::from("/tmp/d")));
        let launch = parse(os(&["--data-dir=/x", "-psn_0_123"]), no_env);
        assert!(!launch.demo);
        assert_eq!(launch.data_dir, Some(PathBuf::from("/x")));
        assert_eq!(launch.ignored, vec!["-psn_0_123".to_owned()]);
    }

    #[test]
    fn environment_is_the_fallback() {
        let env = |name: &str| match name {
            "SELLERDESK_DEMO" => Some(OsString::from("1")),
            "SELLERDESK_DATA_DIR" => Some(OsString::from("/from/env")),
            _ => None,
        };
        let launch = parse(os(&[]), env);
        assert!(launch.demo);
        assert_eq!(launch.data_dir, Some(PathBuf::from("/from/env")));
        let launch = parse(os(&["--data-dir", "/from/arg"]), env);
        assert_eq!(launch.data_dir, Some(PathBuf::from("/from/arg")));
        let off = |name: &str| (name == "SELLERDESK_DEMO").then(|| OsString::from("0"));
        assert!(!parse(os(&[]), off).demo);
    }

    #[test]
    fn the_keychain_wait_comes_from_the_environment() {
        let env =
            |name: &str| (name == "SELLERDESK_KEYCHAIN_TIMEOUT").then(|| OsString::from("2.5"));
        assert_eq!(
            parse(os(&[]), env).keychain_wait,
            Some(std::time::Duration::from_millis(2500))
        );
        let bad =
            |name: &str| (name == "SELLERDESK_KEYCHAIN_TIMEOUT").then(|| OsString::from("-1"));
        assert_eq!(parse(os(&[]), bad).keychain_wait, None);
        assert_eq!(parse(os(&[]), no_env).keychain_wait, None);
    }

    #[test]
    fn dangling_data_dir_is_ignored() {
        let launch = parse(os(&["--data-dir"]), no_env);
        assert_eq!(launch.data_dir, None);
        assert_eq!(launch.ignored, vec!["--data-dir".to_owned()]);
    }
}

//! The mail settings: the `[mail]` table of the user's config file (`$QUIRE_CONFIG`, else
//! `$XDG_CONFIG_HOME/quire/config.toml`, else `~/.config/quire/config.toml`). The password is
//! never in the file nor on the command line: the file names an environment variable or a
//! file that holds it. Every error names the config file and the key.

use anyhow::{anyhow, bail, Context, Result};
use lettre::message::Mailbox;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    Starttls,
    /// TLS from the first byte ("SMTPS", port 465).
    Tls,
    /// No encryption: only to a server on this machine (a local relay, the tests).
    None,
}

impl Security {
    fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Security::Starttls => "STARTTLS",
            Security::Tls => "TLS",
            Security::None => "no encryption",
        }
    }
}

/// Where the password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    Env(String),
    File(PathBuf),
}

/// The validated `[mail]` settings.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The file they were read from, for messages.
    pub file: PathBuf,
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The login and where its password comes from; no login without a username.
    pub login: Option<(String, PasswordSource)>,
    pub from: Mailbox,
    pub to: Option<Mailbox>,
}

/// The `[mail]` table as written. Unknown keys are errors: a misspelt `pasword_env` must not
/// silently send without a login.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMail {
    host: Option<String>,
    port: Option<u16>,
    security: Option<Security>,
    username: Option<String>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    /// Only to say why it is refused.
    password: Option<toml::Value>,
    from: Option<String>,
    to: Option<String>,
}

/// The whole file: other tables belong to other parts of quire.
#[derive(Debug, Deserialize)]
struct RawFile {
    mail: Option<RawMail>,
}

/// The config file's path, from the environment.
pub fn config_path() -> Result<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(path) = var("QUIRE_CONFIG") {
        return Ok(PathBuf::from(path));
    }
    // The XDG spec ignores a relative XDG_CONFIG_HOME.
    if let Some(dir) = var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
    {
        return Ok(dir.join("quire").join("config.toml"));
    }
    match var("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(".config/quire/config.toml")),
        None => bail!("no config file: set QUIRE_CONFIG to its path (HOME is not set)"),
    }
}

/// Reads and checks the mail settings.
pub fn load() -> Result<MailConfig> {
    let file = config_path()?;
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{}: no such file: the mail settings go in its [mail] table \
             (see 'quire send --help')",
            file.display()
        ),
        Err(e) => return Err(anyhow!(e).context(format!("cannot read {}", file.display()))),
    };
    parse(&text, &file)
}

/// Checks the settings in `text`, read from `file`.
pub fn parse(text: &str, file: &Path) -> Result<MailConfig> {
    let at = file.display();
    let raw: RawFile = toml::from_str(text).map_err(|e| anyhow!("{at}: {e}"))?;
    let Some(mail) = raw.mail else {
        bail!("{at}: no [mail] table: the mail settings go there (see 'quire send --help')");
    };
    let missing = |key: &str| anyhow!("{at}: [mail] {key} is missing");
    if mail.password.is_some() {
        bail!(
            "{at}: [mail] password: the password is not kept in the config file; name an \
             environment variable that holds it (password_env) or a file (password_file)"
        );
    }
    let host = mail.host.ok_or_else(|| missing("host"))?.trim().to_string();
    if host.is_empty() || host.contains(char::is_whitespace) {
        bail!("{at}: [mail] host: '{host}' is not a server name");
    }
    let security = mail.security.unwrap_or(Security::Starttls);
    if security == Security::None && !is_local(&host) {
        bail!(
            "{at}: [mail] security: \"none\" would send the password and the books \
             unencrypted; it is allowed only for a server on this machine (localhost), \
             not {host}: use \"starttls\" or \"tls\""
        );
    }
    let port = mail.port.unwrap_or(security.default_port());
    if port == 0 {
        bail!("{at}: [mail] port: 0 is not a port");
    }
    let password = match (mail.password_env, mail.password_file) {
        (Some(_), Some(_)) => {
            bail!("{at}: [mail] password_env and password_file: give one, not both")
        }
        (Some(var), None) if var.trim().is_empty() => {
            bail!("{at}: [mail] password_env: empty; give the name of an environment variable")
        }
        (Some(var), None) => Some(PasswordSource::Env(var.trim().to_string())),
        (None, Some(path)) => Some(PasswordSource::File(resolve(&path, file))),
        (None, None) => None,
    };
    let login = match (mail.username, password) {
        (Some(user), Some(password)) => Some((user, password)),
        (Some(_), None) => bail!(
            "{at}: [mail] username is set but no password: add password_env (the name of an \
             environment variable holding it) or password_file"
        ),
        (None, Some(_)) => bail!("{at}: [mail] username is missing (a password is set)"),
        (None, None) => None,
    };
    let address = |key: &str, value: &str| -> Result<Mailbox> {
        value
            .trim()
            .parse::<Mailbox>()
            .map_err(|e| anyhow!("{at}: [mail] {key}: '{value}' is not an email address ({e})"))
    };
    let from = address("from", mail.from.as_deref().ok_or_else(|| missing("from"))?)?;
    let to = mail.to.as_deref().map(|to| address("to", to)).transpose()?;
    Ok(MailConfig {
        file: file.to_path_buf(),
        host,
        port,
        security,
        login,
        from,
        to,
    })
}

impl MailConfig {
    /// The password, read now (not when the settings are checked: `--dry-run` needs none).
    pub fn password(&self, source: &PasswordSource) -> Result<String> {
        let at = self.file.display();
        match source {
            PasswordSource::Env(var) => match std::env::var(var) {
                Ok(value) if !value.is_empty() => Ok(value),
                Ok(_) => {
                    bail!("{at}: [mail] password_env: the environment variable {var} is empty")
                }
                Err(std::env::VarError::NotPresent) => {
                    bail!("{at}: [mail] password_env: the environment variable {var} is not set")
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    bail!("{at}: [mail] password_env: the environment variable {var} is not UTF-8")
                }
            },
            PasswordSource::File(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("{at}: [mail] password_file: cannot read {}", path.display())
                })?;
                // An editor's final newline is not part of the password.
                let password = text.trim_end_matches(['\n', '\r']);
                if password.is_empty() {
                    bail!("{at}: [mail] password_file: {} is empty", path.display());
                }
                Ok(password.to_string())
            }
        }
    }
}

/// `~/x` from the home folder, a relative path from the config file's folder.
fn resolve(path: &Path, config_file: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~") {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest);
        }
    }
    if path.is_relative() {
        if let Some(dir) = config_file.parent() {
            return dir.join(path);
        }
    }
    path.to_path_buf()
}

/// A server on this machine: the only place an unencrypted connection may go.
fn is_local(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> MailConfig {
        parse(text, Path::new("/home/u/.config/quire/config.toml")).expect("valid settings")
    }

    fn parse_err(text: &str) -> String {
        let e = parse(text, Path::new("/home/u/.config/quire/config.toml"))
            .expect_err("invalid settings");
        format!("{e:#}")
    }

    #[test]
    fn full_settings_are_read() {
        let config = parse_ok(
            r#"
            [mail]
            host = "smtp.example.org"
            port = 2525
            security = "tls"
            username = "me"
            password_file = "secret"
            from = "Me <me@example.org>"
            to = "me_1@kindle.com"
            [other]
            ignored = true
            "#,
        );
        assert_eq!(config.host, "smtp.example.org");
        assert_eq!(config.port, 2525);
        assert_eq!(config.security, Security::Tls);
        assert_eq!(
            config.login,
            Some((
                "me".to_string(),
                PasswordSource::File("/home/u/.config/quire/secret".into())
            ))
        );
        assert_eq!(config.from.email.to_string(), "me@example.org");
        assert_eq!(
            config.to.expect("a recipient").to_string(),
            "me_1@kindle.com"
        );
    }

    #[test]
    fn ports_default_by_security() {
        let port = |security: &str| {
            parse_ok(&format!(
                "[mail]\nhost = \"localhost\"\nsecurity = \"{security}\"\nfrom = \"a@b.org\""
            ))
            .port
        };
        assert_eq!(port("starttls"), 587);
        assert_eq!(port("tls"), 465);
        assert_eq!(port("none"), 25);
    }

    #[test]
    fn errors_name_the_file_and_the_key() {
        let cases = [
            ("[mail]\nfrom = \"a@b.org\"", "[mail] host is missing"),
            ("[mail]\nhost = \"h\"", "[mail] from is missing"),
            ("[mail]\nhost = \"h\"\nfrom = \"not an address\"", "[mail] from:"),
            ("[mail]\nhost = \"h\"\nfrom = \"a@b.org\"\nport = \"x\"", "port"),
            ("[mail]\nhost = \"h\"\nfrom = \"a@b.org\"\nsecurity = \"ssl\"", "security"),
            ("[mail]\nhost = \"h\"\nfrom = \"a@b.org\"\npasword_env = \"P\"", "pasword_env"),
            ("[mail]\nhost = \"h\"\nfrom = \"a@b.org\"\npassword = \"hunter2\"", "[mail] password:"),
            ("[mail]\nhost = \"h\"\nfrom = \"a@b.org\"\nusername = \"u\"", "[mail] username"),
            (
                "[mail]\nhost = \"h\"\nfrom = \"a@b.org\"\nusername = \"u\"\npassword_env = \"P\"\npassword_file = \"f\"",
                "give one, not both",
            ),
            ("[other]\nx = 1", "no [mail] table"),
        ];
        for (text, expected) in cases {
            let message = parse_err(text);
            assert!(
                message.starts_with("/home/u/.config/quire/config.toml: ")
                    || message.contains("config.toml"),
                "{message}"
            );
            assert!(message.contains(expected), "{text:?}: {message}");
        }
    }

    #[test]
    fn no_encryption_only_to_this_machine() {
        for host in ["localhost", "127.0.0.1", "[::1]", "::1"] {
            parse_ok(&format!(
                "[mail]\nhost = \"{host}\"\nsecurity = \"none\"\nfrom = \"a@b.org\""
            ));
        }
        let message = parse_err(
            "[mail]\nhost = \"smtp.example.org\"\nsecurity = \"none\"\nfrom = \"a@b.org\"",
        );
        assert!(message.contains("[mail] security"), "{message}");
        assert!(message.contains("smtp.example.org"), "{message}");
    }

    #[test]
    fn the_password_comes_from_the_named_variable_or_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let secret = dir.path().join("pw");
        std::fs::write(&secret, "s3cret\n").expect("write");
        let config = parse_ok("[mail]\nhost = \"h\"\nfrom = \"a@b.org\"");
        assert_eq!(
            config
                .password(&PasswordSource::File(secret))
                .expect("read"),
            "s3cret"
        );
        let missing = config
            .password(&PasswordSource::Env("QUIRE_TEST_UNSET_PASSWORD_VAR".into()))
            .expect_err("unset");
        let message = format!("{missing:#}");
        assert!(
            message.contains("QUIRE_TEST_UNSET_PASSWORD_VAR"),
            "{message}"
        );
        assert!(message.contains("[mail] password_env"), "{message}");
    }
}

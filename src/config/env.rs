//! `LATCHKEY__SECTION__KEY=value` environment variables as a figment provider.

use figment::value::{Dict, Map, Value};
use figment::{Metadata, Profile, Provider};

use super::ENV_PREFIX;

pub(super) struct EnvVars(Vec<(String, String)>);

impl FromIterator<(String, String)> for EnvVars {
    fn from_iter<T: IntoIterator<Item = (String, String)>>(iter: T) -> Self {
        Self(
            iter.into_iter()
                .filter(|(k, _)| k.starts_with(ENV_PREFIX))
                .collect(),
        )
    }
}

impl Provider for EnvVars {
    fn metadata(&self) -> Metadata {
        Metadata::named("environment variable")
            .interpolater(|_, keys| format!("{ENV_PREFIX}{}", keys.join("__").to_ascii_uppercase()))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let mut root = Dict::new();
        for (name, raw) in &self.0 {
            let path = name[ENV_PREFIX.len()..]
                .to_ascii_lowercase()
                .replace("__", ".");
            if path.is_empty() || path.split('.').any(str::is_empty) {
                return Err(figment::Error::from(format!(
                    "environment variable {name} does not name a setting"
                )));
            }
            let value: Value = raw.parse().unwrap_or_else(|_| Value::from(raw.clone()));
            if let Value::Dict(_, nested) = figment::util::nest(&path, value) {
                merge(&mut root, nested);
            }
        }
        Ok(Profile::Default.collect(root))
    }
}

fn merge(into: &mut Dict, from: Dict) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(Value::Dict(_, existing)), Value::Dict(_, incoming)) => merge(existing, incoming),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

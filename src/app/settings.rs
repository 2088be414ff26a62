//! App preferences that persist between runs (through eframe's storage), kept apart from the
//! project, which lives in its own file.

use serde::{Deserialize, Serialize};

/// The storage key under which the settings are saved.
pub const SETTINGS_KEY: &str = "gloss-settings";

/// The smallest and largest article font sizes, in points.
pub const FONT_SIZE_RANGE: std::ops::RangeInclusive<f32> = 11.0..=32.0;

/// The colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the system.
    System,
    /// Light background.
    Light,
    /// Dark background.
    Dark,
}

/// Preferences of the person using Gloss.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The name recorded as the author of new annotations.
    pub annotator: String,
    /// The colour theme.
    pub theme: Theme,
    /// The article's font size in points.
    pub font_size: f32,
    /// The recently opened project files, most recent first.
    pub recent_files: Vec<std::path::PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            annotator: std::env::var("USER").ok().filter(|name| !name.is_empty()).unwrap_or_else(|| "annotator".into()),
            theme: Theme::Light,
            font_size: 17.0,
            recent_files: Vec::new(),
        }
    }
}

impl Settings {
    /// Changes the font size by `delta` points, within [`FONT_SIZE_RANGE`].
    pub fn change_font_size(&mut self, delta: f32) {
        self.font_size = (self.font_size + delta).clamp(*FONT_SIZE_RANGE.start(), *FONT_SIZE_RANGE.end());
    }

    /// Records `path` as the most recently opened file (keeping ten).
    pub fn remember_file(&mut self, path: &std::path::Path) {
        self.recent_files.retain(|recent| recent != path);
        self.recent_files.insert(0, path.to_owned());
        self.recent_files.truncate(10);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// eframe's storage, in memory.
    #[derive(Default)]
    struct MemoryStorage(HashMap<String, String>);

    impl eframe::Storage for MemoryStorage {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }

        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }

        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }

        fn flush(&mut self) {}
    }

    #[test]
    fn settings_survive_a_restart() {
        let mut settings = Settings { annotator: "Amira".into(), theme: Theme::Dark, ..Settings::default() };
        settings.change_font_size(3.0);
        settings.remember_file(std::path::Path::new("/work/a.gloss.json"));
        settings.remember_file(std::path::Path::new("/work/b.gloss.json"));
        settings.remember_file(std::path::Path::new("/work/a.gloss.json"));
        let mut storage = MemoryStorage::default();
        eframe::set_value(&mut storage, SETTINGS_KEY, &settings);
        let restored: Settings = eframe::get_value(&storage, SETTINGS_KEY).expect("stored");
        assert_eq!(restored, settings);
        assert_eq!(restored.font_size, 20.0);
        assert_eq!(restored.recent_files[0], std::path::Path::new("/work/a.gloss.json"), "most recent first, no duplicates");
        assert_eq!(restored.recent_files.len(), 2);
    }

    #[test]
    fn font_size_stays_in_range() {
        let mut settings = Settings::default();
        settings.change_font_size(100.0);
        assert_eq!(settings.font_size, *FONT_SIZE_RANGE.end());
    }
}

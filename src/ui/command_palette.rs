//! The command palette (Ctrl+P): every command, every label and every document, found by typing
//! a few letters of its name and run with Enter.

use crate::app::{Action, Command, Menu};
use crate::model::Project;

/// The palette's state: runtime only.
#[derive(Default)]
pub struct CommandPalette {
    /// Whether the palette is shown.
    pub open: bool,
    /// What the user typed.
    pub query: String,
    /// The highlighted entry, as an index into the matching entries.
    cursor: usize,
    /// Whether the field takes the keyboard focus on the next frame.
    focus_requested: bool,
}

/// Something the palette can do.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    /// Run a command.
    Run(Command),
    /// Tag the selection with the label of this name.
    Tag(String),
    /// Show the document at this index.
    Show(usize),
}

impl CommandPalette {
    /// Opens the palette on an empty query with the keyboard in its field.
    pub fn open(&mut self) {
        *self = Self { open: true, focus_requested: true, ..Self::default() };
    }
}

/// The entries whose text holds every word of `query` (ignoring case), each with its text and a
/// hint (its shortcut or menu), in the order commands, labels, documents.
fn matching(query: &str, project: &Project, shortcut: impl Fn(Command) -> String) -> Vec<(Entry, String, String)> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let wanted = |text: &str| {
        let text = text.to_lowercase();
        words.iter().all(|word| text.contains(word.as_str()))
    };
    let commands = Command::ALL.into_iter().filter(|command| *command != Command::CommandPalette).map(|command| {
        let hint = shortcut(command);
        (Entry::Run(command), format!("{}: {}", menu_title(command.menu()), command.title().trim_end_matches('…')), hint)
    });
    let labels = project.schema.labels.iter().map(|label| {
        let hint = label.hotkey.map(String::from).unwrap_or_default();
        (Entry::Tag(label.name.clone()), format!("Tag as {} ({})", label.title, label.name), hint)
    });
    let documents =
        project.documents.iter().enumerate().map(|(index, document)| {
            (Entry::Show(index), format!("Go to document: {}", document.title), document.status.title().to_owned())
        });
    commands.chain(labels).chain(documents).filter(|(_, text, _)| wanted(text)).collect()
}

fn menu_title(menu: Menu) -> &'static str {
    match menu {
        Menu::File => "File",
        Menu::Edit => "Edit",
        Menu::View => "View",
        Menu::Go => "Go",
        Menu::Review => "Review",
        Menu::Help => "Help",
    }
}

/// Draws the palette while it is open; Enter or a click runs the highlighted entry, Escape closes.
pub fn command_palette_ui(ctx: &egui::Context, palette: &mut CommandPalette, project: &Project, actions: &mut Vec<Action>) {
    if !palette.open {
        return;
    }
    let entries = matching(&palette.query, project, |command| {
        command.shortcuts().first().map(|shortcut| ctx.format_shortcut(shortcut)).unwrap_or_default()
    });
    let (down, up, enter, escape) = ctx.input_mut(|input| {
        (
            input.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            input.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
            input.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            input.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
        )
    });
    let last = entries.len().saturating_sub(1);
    if down {
        palette.cursor = (palette.cursor + 1).min(last);
    }
    if up {
        palette.cursor = palette.cursor.saturating_sub(1);
    }
    palette.cursor = palette.cursor.min(last);
    let mut chosen = enter.then_some(palette.cursor);
    let modal = egui::Modal::new(egui::Id::unique("command palette")).show(ctx, |ui| {
        ui.set_width(520.0);
        let field = egui::TextEdit::singleline(&mut palette.query)
            .hint_text("Type a command, a label or a document…")
            .desired_width(f32::INFINITY)
            .id_salt("command palette query");
        let response = ui.add(field).accessible_name("Command palette");
        if std::mem::take(&mut palette.focus_requested) {
            response.request_focus();
        }
        if response.changed() {
            palette.cursor = 0;
        }
        ui.separator();
        if entries.is_empty() {
            ui.weak("Nothing matches.");
        }
        let row_height = super::list_row_height(ui);
        egui::ScrollArea::vertical().max_height(360.0).auto_shrink([false, true]).show_rows(ui, row_height, entries.len(), |ui, rows| {
            for index in rows {
                let Some((_, text, hint)) = entries.get(index) else { continue };
                let button = super::button_with_shortcut(text.as_str(), hint.clone())
                    .selected(index == palette.cursor)
                    .frame_when_inactive(false)
                    .min_size(egui::vec2(ui.available_width(), 0.0));
                let response = ui.add(button);
                if index == palette.cursor && (down || up) {
                    response.scroll_to_me(None);
                }
                if response.clicked() {
                    chosen = Some(index);
                }
            }
        });
    });
    if escape || modal.backdrop_response.clicked() {
        palette.open = false;
    }
    if let Some((entry, _, _)) = chosen.and_then(|index| entries.get(index)) {
        palette.open = false;
        actions.push(match entry {
            Entry::Run(command) => Action::Run(*command),
            Entry::Tag(label) => Action::Tag { label: label.clone() },
            Entry::Show(index) => Action::ShowDocument(*index),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testing::sample_project;

    fn texts(query: &str) -> Vec<String> {
        matching(query, &sample_project(), |_| String::new()).into_iter().map(|(_, text, _)| text).collect()
    }

    #[test]
    fn every_word_of_the_query_must_match_ignoring_case() {
        assert_eq!(texts("undo"), ["Edit: Undo"]);
        assert_eq!(texts("next untag"), ["Go: Next untagged sentence"]);
        assert_eq!(texts("TAG PERSON"), ["Tag as Person (PER)"]);
        assert!(texts("no such thing").is_empty());
    }

    #[test]
    fn an_empty_query_lists_commands_then_labels_then_documents() {
        let all = matching("", &sample_project(), |_| String::new());
        assert_eq!(all.len(), Command::ALL.len() - 1 + sample_project().schema.labels.len() + 1);
        assert!(matches!(all.first(), Some((Entry::Run(Command::NewProject), _, _))));
        assert!(matches!(all.last(), Some((Entry::Show(0), _, _))));
        assert!(!all.iter().any(|(entry, _, _)| *entry == Entry::Run(Command::CommandPalette)), "the palette does not list itself");
    }
}

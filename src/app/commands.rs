//! Every app-wide command with its menu text, tooltip and shortcut: menus, keyboard shortcuts and
//! the shortcut help all read this one list.

use egui::{Key, KeyboardShortcut, Modifiers};

/// A command the user can run from a menu or with a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    /// Start a new project from the bundled article.
    NewProject,
    /// Open a project or a text file.
    Open,
    /// Save to the current file (asks for one the first time).
    Save,
    /// Save to a new file.
    SaveAs,
    /// Add documents from text, JSONL, brat or Label Studio files.
    ImportDocuments,
    /// Export the project to a dataset format.
    Export,
    /// Save the statistics (counts per document and label) as a CSV file.
    ExportStatistics,
    /// Close the window.
    Quit,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Delete the selected annotation.
    DeleteAnnotation,
    /// Clear the text selection, the selected annotation and relation picking.
    ClearSelection,
    /// Open the search bar.
    Find,
    /// Go to the next search hit.
    FindNext,
    /// Go to the previous search hit.
    FindPrevious,
    /// Tag every other occurrence of the selected tag's text with its label.
    TagAllOccurrences,
    /// Select the next annotation in reading order.
    NextAnnotation,
    /// Select the previous annotation in reading order.
    PreviousAnnotation,
    /// Select the next sentence without tags.
    NextUntaggedSentence,
    /// Select the previous sentence without tags.
    PreviousUntaggedSentence,
    /// Grow the text selection by the next word.
    ExtendSelection,
    /// Take the last word off the text selection.
    ShrinkSelection,
    /// Grow the text selection by the word before it.
    ExtendSelectionStart,
    /// Take the first word off the text selection.
    ShrinkSelectionStart,
    /// Open the command palette.
    CommandPalette,
    /// Open the label schema editor.
    EditSchema,
    /// Open the preferences window.
    Preferences,
    /// Show the pre-annotation window: suggestions of the shown document and the rules.
    Preannotation,
    /// Run the pre-annotation rules on the shown document.
    RunPreannotation,
    /// Add a gazetteer (CSV of term,label or a list of terms) to the pre-annotation rules.
    ImportGazetteer,
    /// Make the article's text larger.
    LargerText,
    /// Make the article's text smaller.
    SmallerText,
    /// Switch between the dark and light themes.
    ToggleTheme,
    /// Show the statistics window: progress, label distribution, counts per document.
    Statistics,
    /// Show the keyboard shortcuts.
    ShowShortcuts,
    /// Compare the project with colleagues' projects.
    CompareWith,
    /// Stop comparing.
    EndReview,
    /// Go to the next difference of the list.
    NextDifference,
    /// Go to the previous difference of the list.
    PreviousDifference,
    /// Take the colleague's version of the difference under review.
    AcceptTheirs,
    /// Keep our version of the difference under review.
    KeepMine,
    /// Leave both versions of the difference under review out.
    RejectPair,
    /// Settle every agreement of the document at once.
    AcceptAllAgreements,
    /// Show the agreement report.
    AgreementReport,
    /// Show our version and the colleague's side by side.
    SideBySide,
}

/// Which menu a command appears in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// Project files.
    File,
    /// Annotations and history.
    Edit,
    /// Appearance.
    View,
    /// Moving through the text with the keyboard.
    Go,
    /// Comparing annotators.
    Review,
    /// Help.
    Help,
}

const fn shortcut(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const COMMAND_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const ALT_SHIFT: Modifiers = Modifiers::ALT.plus(Modifiers::SHIFT);

impl Command {
    /// Every command, in menu order.
    pub const ALL: [Command; 45] = [
        Command::NewProject,
        Command::Open,
        Command::Save,
        Command::SaveAs,
        Command::ImportDocuments,
        Command::Export,
        Command::ExportStatistics,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::DeleteAnnotation,
        Command::ClearSelection,
        Command::Find,
        Command::FindNext,
        Command::FindPrevious,
        Command::TagAllOccurrences,
        Command::EditSchema,
        Command::Preferences,
        Command::CommandPalette,
        Command::Preannotation,
        Command::RunPreannotation,
        Command::ImportGazetteer,
        Command::LargerText,
        Command::SmallerText,
        Command::ToggleTheme,
        Command::NextAnnotation,
        Command::PreviousAnnotation,
        Command::NextUntaggedSentence,
        Command::PreviousUntaggedSentence,
        Command::ExtendSelection,
        Command::ShrinkSelection,
        Command::ExtendSelectionStart,
        Command::ShrinkSelectionStart,
        Command::Statistics,
        Command::ShowShortcuts,
        Command::CompareWith,
        Command::NextDifference,
        Command::PreviousDifference,
        Command::AcceptTheirs,
        Command::KeepMine,
        Command::RejectPair,
        Command::AcceptAllAgreements,
        Command::SideBySide,
        Command::AgreementReport,
        Command::EndReview,
    ];

    /// The menu entry's text.
    pub fn title(self) -> &'static str {
        match self {
            Command::NewProject => "New project",
            Command::Open => "Open…",
            Command::Save => "Save",
            Command::SaveAs => "Save as…",
            Command::ImportDocuments => "Import documents…",
            Command::Export => "Export…",
            Command::ExportStatistics => "Export statistics as CSV…",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::DeleteAnnotation => "Delete annotation",
            Command::ClearSelection => "Clear selection",
            Command::Find => "Find…",
            Command::FindNext => "Find next",
            Command::FindPrevious => "Find previous",
            Command::TagAllOccurrences => "Tag all occurrences",
            Command::NextAnnotation => "Next annotation",
            Command::PreviousAnnotation => "Previous annotation",
            Command::NextUntaggedSentence => "Next untagged sentence",
            Command::PreviousUntaggedSentence => "Previous untagged sentence",
            Command::ExtendSelection => "Extend selection by a word",
            Command::ShrinkSelection => "Shrink selection by a word",
            Command::ExtendSelectionStart => "Extend selection start by a word",
            Command::ShrinkSelectionStart => "Shrink selection start by a word",
            Command::CommandPalette => "Command palette…",
            Command::EditSchema => "Label schema…",
            Command::Preferences => "Preferences…",
            Command::Preannotation => "Pre-annotation…",
            Command::RunPreannotation => "Run pre-annotation",
            Command::ImportGazetteer => "Import gazetteer…",
            Command::LargerText => "Larger text",
            Command::SmallerText => "Smaller text",
            Command::ToggleTheme => "Toggle dark/light theme",
            Command::Statistics => "Statistics",
            Command::ShowShortcuts => "Keyboard shortcuts",
            Command::CompareWith => "Compare with…",
            Command::EndReview => "End review",
            Command::NextDifference => "Next difference",
            Command::PreviousDifference => "Previous difference",
            Command::AcceptTheirs => "Accept theirs",
            Command::KeepMine => "Keep mine",
            Command::RejectPair => "Reject",
            Command::AcceptAllAgreements => "Accept all agreements",
            Command::AgreementReport => "Agreement report",
            Command::SideBySide => "Side by side",
        }
    }

    /// A one-line explanation, shown as the menu entry's tooltip.
    pub fn tooltip(self) -> &'static str {
        match self {
            Command::NewProject => "Start a new project on the bundled article",
            Command::Open => "Open a Gloss project (*.gloss.json) or a UTF-8 text file",
            Command::Save => "Save the project; the previous file is replaced only once the new one is safely written",
            Command::SaveAs => "Save the project to a new file",
            Command::ImportDocuments => {
                "Add documents, with their annotations, from text, JSONL (Gloss or doccano), brat or Label Studio files"
            }
            Command::Export => "Export the project as JSONL, CoNLL, brat, W3C Web Annotation, Label Studio or CSV",
            Command::ExportStatistics => "Save a spreadsheet of the tag counts: one row per document, a column per label, and a total row",
            Command::Quit => "Close Gloss (asks first if there are unsaved changes)",
            Command::Undo => "Undo the last change to the annotations",
            Command::Redo => "Redo the last undone change",
            Command::DeleteAnnotation => "Delete the selected annotation; relations pointing at it are cleared",
            Command::ClearSelection => "Clear the text selection and the selected annotation",
            Command::Find => "Search the document or every document, as plain text or a regular expression; tag all the hits at once",
            Command::FindNext => "Select the next search hit (press a label's key to tag it)",
            Command::FindPrevious => "Select the previous search hit",
            Command::TagAllOccurrences => {
                "Tag every other occurrence of the selected tag's words with its label, as one edit; with text selected, search for it"
            }
            Command::NextAnnotation => "Select the next annotation in reading order",
            Command::PreviousAnnotation => "Select the previous annotation in reading order",
            Command::NextUntaggedSentence => "Select the next sentence that has no tag yet",
            Command::PreviousUntaggedSentence => "Select the previous sentence that has no tag yet",
            Command::ExtendSelection => "Grow the selection by the next word (starts at the word after the caret)",
            Command::ShrinkSelection => "Take the last word off the selection",
            Command::ExtendSelectionStart => "Grow the selection by the word before it",
            Command::ShrinkSelectionStart => "Take the first word off the selection",
            Command::CommandPalette => "Find and run any command, or tag with any label, by typing its name",
            Command::EditSchema => "Add, rename, recolour and reorder labels and their attributes; set hotkeys and guidelines",
            Command::Preferences => "Annotator name, theme and text size",
            Command::Preannotation => "Suggestions from gazetteers and regex rules: accept or reject them, and edit the rules",
            Command::RunPreannotation => "Suggest labels in the shown document with the project's gazetteers and regex rules",
            Command::ImportGazetteer => {
                "Add a gazetteer from a CSV file of term,label rows, or from a list of terms (one per line) for the label chosen in the pre-annotation window"
            }
            Command::LargerText => "Increase the article's font size",
            Command::SmallerText => "Decrease the article's font size",
            Command::ToggleTheme => "Switch between the dark and the light theme",
            Command::Statistics => "How far annotation has come, how often each label is used, and the tag counts of every document",
            Command::ShowShortcuts => "List every keyboard shortcut and mouse gesture",
            Command::CompareWith => "Open colleagues' projects of the same texts and compare their annotations with these",
            Command::EndReview => "Stop comparing; the decisions made stay in the project",
            Command::NextDifference => "Select the next difference of the review list",
            Command::PreviousDifference => "Select the previous difference of the review list",
            Command::AcceptTheirs => "Take the colleague's version into this project (recorded as your decision)",
            Command::KeepMine => "Keep this project's version and set the colleague's aside (recorded)",
            Command::RejectPair => "Leave both versions out: delete ours if any, and record theirs as rejected",
            Command::AcceptAllAgreements => "Settle every agreement of this document at once",
            Command::AgreementReport => "Agreement figures: span F1 under four schemes, token kappa and alpha, attributes and relations",
            Command::SideBySide => "Show this project's version and the colleague's side by side",
        }
    }

    /// The shortcuts that run the command; the first is shown in menus.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const NEW: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::N)];
        const OPEN: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::O)];
        const SAVE: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [shortcut(COMMAND_SHIFT, Key::S)];
        const QUIT: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::Q)];
        const IMPORT: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::I)];
        const EXPORT: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::E)];
        const UNDO: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [shortcut(COMMAND_SHIFT, Key::Z), shortcut(Modifiers::COMMAND, Key::Y)];
        const DELETE: [KeyboardShortcut; 2] = [shortcut(Modifiers::NONE, Key::Delete), shortcut(Modifiers::NONE, Key::Backspace)];
        const CLEAR: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::Escape)];
        const PREFERENCES: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::Comma)];
        const PREANNOTATION: [KeyboardShortcut; 1] = [shortcut(COMMAND_SHIFT, Key::U)];
        const RUN_PREANNOTATION: [KeyboardShortcut; 1] = [shortcut(COMMAND_SHIFT, Key::R)];
        const LARGER: [KeyboardShortcut; 2] = [shortcut(Modifiers::COMMAND, Key::Equals), shortcut(Modifiers::COMMAND, Key::Plus)];
        const SMALLER: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::Minus)];
        const STATISTICS: [KeyboardShortcut; 1] = [shortcut(COMMAND_SHIFT, Key::I)];
        const SHORTCUTS: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::F1)];
        const FIND: [KeyboardShortcut; 1] = [shortcut(Modifiers::COMMAND, Key::F)];
        const FIND_NEXT: [KeyboardShortcut; 2] = [shortcut(Modifiers::NONE, Key::F3), shortcut(Modifiers::COMMAND, Key::G)];
        const FIND_PREVIOUS: [KeyboardShortcut; 2] = [shortcut(Modifiers::SHIFT, Key::F3), shortcut(COMMAND_SHIFT, Key::G)];
        const TAG_ALL: [KeyboardShortcut; 1] = [shortcut(COMMAND_SHIFT, Key::A)];
        const NEXT_ANNOTATION: [KeyboardShortcut; 1] = [shortcut(Modifiers::ALT, Key::ArrowRight)];
        const PREVIOUS_ANNOTATION: [KeyboardShortcut; 1] = [shortcut(Modifiers::ALT, Key::ArrowLeft)];
        const NEXT_UNTAGGED: [KeyboardShortcut; 1] = [shortcut(Modifiers::ALT, Key::ArrowDown)];
        const PREVIOUS_UNTAGGED: [KeyboardShortcut; 1] = [shortcut(Modifiers::ALT, Key::ArrowUp)];
        const EXTEND: [KeyboardShortcut; 1] = [shortcut(COMMAND_SHIFT, Key::ArrowRight)];
        const SHRINK: [KeyboardShortcut; 1] = [shortcut(COMMAND_SHIFT, Key::ArrowLeft)];
        const EXTEND_START: [KeyboardShortcut; 1] = [shortcut(ALT_SHIFT, Key::ArrowLeft)];
        const SHRINK_START: [KeyboardShortcut; 1] = [shortcut(ALT_SHIFT, Key::ArrowRight)];
        const PALETTE: [KeyboardShortcut; 2] = [shortcut(Modifiers::COMMAND, Key::P), shortcut(COMMAND_SHIFT, Key::P)];
        const COMPARE: [KeyboardShortcut; 1] = [shortcut(COMMAND_SHIFT, Key::O)];
        const NEXT: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::N)];
        const PREVIOUS: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::P)];
        const ACCEPT: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::A)];
        const KEEP: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::K)];
        const REJECT: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::R)];
        const ACCEPT_ALL: [KeyboardShortcut; 1] = [shortcut(Modifiers::SHIFT, Key::A)];
        const SIDE_BY_SIDE: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::S)];
        match self {
            Command::NewProject => &NEW,
            Command::Open => &OPEN,
            Command::Save => &SAVE,
            Command::SaveAs => &SAVE_AS,
            Command::ImportDocuments => &IMPORT,
            Command::Export => &EXPORT,
            Command::Quit => &QUIT,
            Command::Undo => &UNDO,
            Command::Redo => &REDO,
            Command::DeleteAnnotation => &DELETE,
            Command::ClearSelection => &CLEAR,
            Command::Preferences => &PREFERENCES,
            Command::Preannotation => &PREANNOTATION,
            Command::RunPreannotation => &RUN_PREANNOTATION,
            Command::ImportGazetteer => &[],
            Command::LargerText => &LARGER,
            Command::SmallerText => &SMALLER,
            Command::ToggleTheme | Command::EditSchema | Command::ExportStatistics => &[],
            Command::Statistics => &STATISTICS,
            Command::ShowShortcuts => &SHORTCUTS,
            Command::Find => &FIND,
            Command::FindNext => &FIND_NEXT,
            Command::FindPrevious => &FIND_PREVIOUS,
            Command::TagAllOccurrences => &TAG_ALL,
            Command::NextAnnotation => &NEXT_ANNOTATION,
            Command::PreviousAnnotation => &PREVIOUS_ANNOTATION,
            Command::NextUntaggedSentence => &NEXT_UNTAGGED,
            Command::PreviousUntaggedSentence => &PREVIOUS_UNTAGGED,
            Command::ExtendSelection => &EXTEND,
            Command::ShrinkSelection => &SHRINK,
            Command::ExtendSelectionStart => &EXTEND_START,
            Command::ShrinkSelectionStart => &SHRINK_START,
            Command::CommandPalette => &PALETTE,
            Command::CompareWith => &COMPARE,
            Command::NextDifference => &NEXT,
            Command::PreviousDifference => &PREVIOUS,
            Command::AcceptTheirs => &ACCEPT,
            Command::KeepMine => &KEEP,
            Command::RejectPair => &REJECT,
            Command::AcceptAllAgreements => &ACCEPT_ALL,
            Command::SideBySide => &SIDE_BY_SIDE,
            Command::AgreementReport | Command::EndReview => &[],
        }
    }

    /// The menu the command appears in.
    pub fn menu(self) -> Menu {
        match self {
            Command::NewProject
            | Command::Open
            | Command::Save
            | Command::SaveAs
            | Command::ImportDocuments
            | Command::Export
            | Command::ExportStatistics
            | Command::Quit => Menu::File,
            Command::Undo
            | Command::Redo
            | Command::DeleteAnnotation
            | Command::ClearSelection
            | Command::Find
            | Command::FindNext
            | Command::FindPrevious
            | Command::TagAllOccurrences
            | Command::EditSchema
            | Command::Preferences
            | Command::Preannotation
            | Command::RunPreannotation
            | Command::ImportGazetteer => Menu::Edit,
            Command::CommandPalette | Command::LargerText | Command::SmallerText | Command::ToggleTheme | Command::Statistics => Menu::View,
            Command::NextAnnotation
            | Command::PreviousAnnotation
            | Command::NextUntaggedSentence
            | Command::PreviousUntaggedSentence
            | Command::ExtendSelection
            | Command::ShrinkSelection
            | Command::ExtendSelectionStart
            | Command::ShrinkSelectionStart => Menu::Go,
            Command::ShowShortcuts => Menu::Help,
            Command::CompareWith
            | Command::EndReview
            | Command::NextDifference
            | Command::PreviousDifference
            | Command::AcceptTheirs
            | Command::KeepMine
            | Command::RejectPair
            | Command::AcceptAllAgreements
            | Command::AgreementReport
            | Command::SideBySide => Menu::Review,
        }
    }

    /// Whether the shortcut must not fire while the user types in a field: a bare key (or Shift
    /// and a key) that types a character, or an arrow key, which moves the caret there. Function
    /// keys type nothing, so F3 finds the next hit from the search field.
    pub fn needs_free_keyboard(self) -> bool {
        self.shortcuts().iter().any(|shortcut| {
            let key = shortcut.logical_key;
            let arrow = matches!(key, Key::ArrowLeft | Key::ArrowRight | Key::ArrowUp | Key::ArrowDown);
            let function = matches!(
                key,
                Key::F1 | Key::F2 | Key::F3 | Key::F4 | Key::F5 | Key::F6 | Key::F7 | Key::F8 | Key::F9 | Key::F10 | Key::F11 | Key::F12
            );
            arrow || !(function || shortcut.modifiers.command || shortcut.modifiers.ctrl || shortcut.modifiers.alt)
        })
    }

    /// The command whose shortcut was pressed this frame, consuming the key press; while the user
    /// is `typing` in a field, commands that [need a free keyboard](Self::needs_free_keyboard)
    /// are left to the field. More specific shortcuts (Ctrl+Shift+S) are tried before the ones
    /// they contain (Ctrl+S).
    pub fn consume_pressed(ctx: &egui::Context, typing: bool) -> Option<Command> {
        let mut candidates: Vec<(Command, &KeyboardShortcut)> = Self::ALL
            .iter()
            .filter(|command| !(typing && command.needs_free_keyboard()))
            .flat_map(|&command| command.shortcuts().iter().map(move |shortcut| (command, shortcut)))
            .collect();
        candidates.sort_by_key(|(_, shortcut)| std::cmp::Reverse(modifier_count(shortcut.modifiers)));
        candidates.into_iter().find(|(_, shortcut)| ctx.input_mut(|input| input.consume_shortcut(shortcut))).map(|(command, _)| command)
    }
}

fn modifier_count(modifiers: Modifiers) -> u8 {
    u8::from(modifiers.alt) + u8::from(modifiers.shift) + u8::from(modifiers.command || modifiers.ctrl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_listed_once_with_unique_shortcuts() {
        let mut seen = std::collections::HashSet::new();
        for command in Command::ALL {
            assert!(!command.title().is_empty() && !command.tooltip().is_empty());
            for shortcut in command.shortcuts() {
                let modifiers = shortcut.modifiers;
                assert!(seen.insert((modifiers.command, modifiers.shift, modifiers.alt, shortcut.logical_key)), "{command:?}");
            }
        }
    }
}

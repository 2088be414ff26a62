//! A discussion thread: the comments on an annotation or a document, and a box to add one.

use crate::model::Comment;

/// Draws `comments` and the draft box; returns the text to post when the user posts it (the
/// button, or Ctrl+Enter in the box).
pub fn discussion_ui(ui: &mut egui::Ui, id_salt: &str, comments: &[Comment], draft: &mut String) -> Option<String> {
    ui.label(if comments.is_empty() { "Discussion".to_owned() } else { format!("Discussion ({})", comments.len()) });
    for comment in comments {
        egui::Frame::group(ui.style()).inner_margin(6.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.strong(comment.author.as_str());
                ui.weak(comment.time.strftime("%Y-%m-%d %H:%M").to_string());
            });
            ui.label(comment.text.as_str());
        });
    }
    let response = ui
        .add(
            egui::TextEdit::multiline(draft)
                .id_salt(id_salt)
                .hint_text("Write a comment… (Ctrl+Enter posts it)")
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .accessible_name("New comment");
    let shortcut = response.has_focus() && ui.input_mut(|input| input.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
    let button = ui.add_enabled(!draft.trim().is_empty(), egui::Button::new("Post comment"));
    if (shortcut || button.clicked()) && !draft.trim().is_empty() {
        return Some(std::mem::take(draft).trim().to_owned());
    }
    None
}

//! Moving through a document without the mouse: growing and shrinking a selection word by word,
//! stepping from annotation to annotation, and jumping to sentences nobody has tagged yet.
//!
//! Words are the tokenizer's words ([`crate::text::tokenize`]) and sentences are the CoNLL
//! export's ([`crate::io::sentences`]), so what the keyboard selects lines up with what
//! the exports count.
//!
//! ```text
//! selection       "the [Taliban] leader said"
//! extend_end      "the [Taliban leader] said"
//! extend_start    "[the Taliban leader] said"
//! shrink_end      "[the Taliban] leader said"
//! ```

use crate::model::{Annotation, AnnotationId, Coverage, Document, Span};
use crate::text::{DocumentText, paragraph_at};

/// The words of `text` from the paragraph holding `offset` to the end, in order.
fn words_forward(text: &DocumentText, offset: usize) -> impl Iterator<Item = Span> + '_ {
    let paragraphs = text.paragraphs();
    let first = paragraph_at(paragraphs, offset);
    paragraphs
        .get(first..)
        .unwrap_or_default()
        .iter()
        .flat_map(move |paragraph| text.tokens_of(paragraph).into_iter().filter(|(_, token)| token.is_word).map(|(span, _)| span))
}

/// The words of `text` from the paragraph holding `offset` back to the start, last first.
fn words_backward(text: &DocumentText, offset: usize) -> impl Iterator<Item = Span> + '_ {
    let paragraphs = text.paragraphs();
    let last = paragraph_at(paragraphs, offset);
    paragraphs.get(..=last).unwrap_or_default().iter().rev().flat_map(move |paragraph| {
        let words: Vec<Span> = text.tokens_of(paragraph).into_iter().filter(|(_, token)| token.is_word).map(|(span, _)| span).collect();
        words.into_iter().rev()
    })
}

/// The first word that ends after `offset`: the word under a caret, or the next one.
pub fn word_at_or_after(text: &DocumentText, offset: usize) -> Option<Span> {
    words_forward(text, offset).find(|word| word.end > offset)
}

/// The selection grown by the next word after its end; unchanged at the end of the text.
pub fn extend_end(text: &DocumentText, selection: Span) -> Span {
    words_forward(text, selection.end)
        .find(|word| word.start >= selection.end)
        .map_or(selection, |word| Span::new(selection.start, word.end))
}

/// The selection grown by the word before its start; unchanged at the start of the text.
pub fn extend_start(text: &DocumentText, selection: Span) -> Span {
    words_backward(text, selection.start)
        .find(|word| word.end <= selection.start)
        .map_or(selection, |word| Span::new(word.start, selection.end))
}

/// The selection without its last word; a selection of one word stays as it is.
pub fn shrink_end(text: &DocumentText, selection: Span) -> Span {
    let mut inside =
        words_backward(text, selection.end).filter(|word| word.end <= selection.end).take_while(|word| word.start >= selection.start);
    inside.next();
    inside.next().map_or(selection, |word| Span::new(selection.start, word.end))
}

/// The selection without its first word; a selection of one word stays as it is.
pub fn shrink_start(text: &DocumentText, selection: Span) -> Span {
    let mut inside =
        words_forward(text, selection.start).filter(|word| word.start >= selection.start).take_while(|word| word.end <= selection.end);
    inside.next();
    inside.next().map_or(selection, |word| Span::new(word.start, selection.end))
}

/// Which way to step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Towards the end of the text.
    Forward,
    /// Towards the start of the text.
    Backward,
}

/// The span annotation after (or before) the `current` one in reading order; without a current
/// annotation, the first one starting at or after `caret` (or the last one starting before it).
pub fn step_annotation<'d>(
    document: &'d Document,
    current: Option<&AnnotationId>,
    caret: usize,
    direction: Direction,
) -> Option<&'d Annotation> {
    let spans: Vec<&Annotation> = document.annotations.iter().filter(|annotation| annotation.kind.has_spans()).collect();
    let start = |annotation: &Annotation| annotation.extent().map_or(0, |extent| extent.start);
    let position = current.and_then(|id| spans.iter().position(|annotation| &annotation.id == id));
    let index = match (position, direction) {
        (Some(index), Direction::Forward) => index + 1,
        (Some(index), Direction::Backward) => index.checked_sub(1)?,
        (None, Direction::Forward) => spans.partition_point(|annotation| start(annotation) < caret),
        (None, Direction::Backward) => spans.partition_point(|annotation| start(annotation) < caret).checked_sub(1)?,
    };
    spans.get(index).copied()
}

/// The next sentence (or the previous one) that no span annotation touches, starting at or after
/// `caret` (or ending at or before it), as the span from its first token to its last.
pub fn untagged_sentence(document: &Document, caret: usize, direction: Direction) -> Option<Span> {
    let tagged: Coverage = document.annotations.iter().flat_map(|annotation| annotation.fragments.iter().copied()).collect();
    let mut sentences = crate::io::sentences(document)
        .into_iter()
        .filter_map(|tokens| Some(Span::new(tokens.first()?.start, tokens.last()?.end)))
        .filter(|sentence| !tagged.overlaps(*sentence));
    match direction {
        Direction::Forward => sentences.find(|sentence| sentence.start >= caret),
        Direction::Backward => sentences.rfind(|sentence| sentence.end <= caret),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::ops;
    use crate::model::Project;

    const TEXT: &str = "The Taliban’s leader said “no”.\u{a0}Kabul fell — again.\nA new line. Quiet here.";

    fn text() -> DocumentText {
        DocumentText::new(TEXT)
    }

    fn shown(span: Span) -> String {
        text().slice(span).to_owned()
    }

    #[test]
    fn selections_grow_and_shrink_word_by_word_across_punctuation() {
        let text = text();
        let taliban = word_at_or_after(&text, 3).expect("a word");
        assert_eq!(shown(taliban), "Taliban");
        let grown = extend_end(&text, taliban);
        assert_eq!(shown(grown), "Taliban’s", "the clitic is a word of its own");
        let grown = extend_end(&text, grown);
        assert_eq!(shown(grown), "Taliban’s leader");
        let grown = extend_start(&text, grown);
        assert_eq!(shown(grown), "The Taliban’s leader");
        assert_eq!(extend_start(&text, grown), grown, "nothing before the first word");
        assert_eq!(shown(shrink_end(&text, grown)), "The Taliban’s");
        assert_eq!(shown(shrink_start(&text, grown)), "Taliban’s leader");
        assert_eq!(shrink_end(&text, taliban), taliban, "one word stays");
        assert_eq!(shrink_start(&text, taliban), taliban, "one word stays");
        let no = word_at_or_after(&text, 27).expect("a word");
        assert_eq!(shown(extend_end(&text, no)), "no”.\u{a0}Kabul", "grows over punctuation and the no-break space");
    }

    #[test]
    fn selections_grow_across_line_breaks_and_stop_at_the_end() {
        let text = text();
        let again = word_at_or_after(&text, 45).expect("a word");
        assert_eq!(shown(again), "again");
        assert_eq!(shown(extend_end(&text, again)), "again.\nA");
        let last = word_at_or_after(&text, TEXT.chars().count() - 3).expect("a word");
        assert_eq!(extend_end(&text, last), last);
        assert_eq!(word_at_or_after(&text, TEXT.chars().count()), None);
    }

    fn tagged(spans: &[Span]) -> Project {
        let mut project = Project::from_text("t", TEXT);
        let document_id = project.documents[0].id.clone();
        for span in spans {
            let (transaction, _) = ops::tag(&project, &document_id, "PER", vec![*span], "t").expect("tag");
            transaction.apply(&mut project).expect("valid");
        }
        project
    }

    #[test]
    fn annotations_are_visited_in_reading_order() {
        let project = tagged(&[Span::new(32, 37), Span::new(4, 11), Span::new(0, 20)]);
        let document = &project.documents[0];
        let texts = |annotation: Option<&Annotation>| annotation.map(|annotation| document.annotation_text(annotation));
        let first = step_annotation(document, None, 0, Direction::Forward);
        assert_eq!(texts(first).as_deref(), Some("The Taliban’s leader"));
        let second = step_annotation(document, first.map(|a| &a.id), 0, Direction::Forward);
        assert_eq!(texts(second).as_deref(), Some("Taliban"), "the inner one follows the outer one");
        let third = step_annotation(document, second.map(|a| &a.id), 0, Direction::Forward);
        assert_eq!(texts(third).as_deref(), Some("Kabul"));
        assert!(step_annotation(document, third.map(|a| &a.id), 0, Direction::Forward).is_none());
        assert_eq!(texts(step_annotation(document, None, 30, Direction::Backward)).as_deref(), Some("Taliban"));
        assert_eq!(texts(step_annotation(document, None, 30, Direction::Forward)).as_deref(), Some("Kabul"));
        assert!(step_annotation(document, first.map(|a| &a.id), 0, Direction::Backward).is_none());
    }

    #[test]
    fn untagged_sentences_are_found_in_both_directions() {
        let project = tagged(&[Span::new(32, 37)]);
        let document = &project.documents[0];
        let sentence = |caret, direction| untagged_sentence(document, caret, direction).map(|span| document.text.slice(span).to_owned());
        assert_eq!(sentence(0, Direction::Forward).as_deref(), Some("The Taliban’s leader said “no”."));
        assert_eq!(sentence(1, Direction::Forward).as_deref(), Some("A new line."), "the Kabul sentence is tagged");
        assert_eq!(sentence(TEXT.chars().count(), Direction::Backward).as_deref(), Some("Quiet here."));
        assert_eq!(sentence(60, Direction::Backward).as_deref(), Some("The Taliban’s leader said “no”."));
        assert_eq!(sentence(75, Direction::Forward), None);
    }
}

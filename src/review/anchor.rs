//! Re-anchoring annotations made on one version of a text onto another version.
//!
//! A colleague may have tagged an older (or newer) version of the article than the reviewer's:
//! a typo corrected, a paragraph inserted, a sentence cut. [`reanchor`] carries each of their
//! annotations over to the reviewer's text, or says plainly why it cannot. Nothing is dropped:
//! every input annotation gets an [`Outcome`], in input order.
//!
//! All offsets are Unicode code points, in both texts, as everywhere in Gloss.
//!
//! # How a fragment is placed
//!
//! Each fragment of an annotation is placed on its own; the annotation is placed when all of its
//! fragments are.
//!
//! 1. **Diff.** The two texts are diffed once: first line by line, then character by character
//!    inside each changed run of lines, so that a long text with a few edits costs little more
//!    than reading it. The diff is a list of changed regions ("hunks") separated by unchanged
//!    text. If the diff runs past a time limit of 2 seconds (only huge texts that differ almost
//!    everywhere do), the rest of it is coarser, more fragments go to step 3, and the result may
//!    depend on the machine's speed.
//! 2. **Map the edges.** Each edge of the fragment is carried through the diff:
//!    - an edge in unchanged text moves with it;
//!    - an edge inside a changed region widens the fragment to cover that region's whole
//!      replacement: a start goes to the start of the replacement, an end to its end;
//!    - text inserted exactly at an edge stays outside the fragment, except that an edge which was
//!      at a word boundary and at a grapheme-cluster boundary in the old text, and splits a word
//!      or a grapheme cluster in the new one, moves outward over inserted characters until it no
//!      longer does (`[Pakista]n` → `[Pakistan]`, `[👩‍👩‍👧]‍👦` → `[👩‍👩‍👧‍👦]`).
//!
//!    The mapping is trusted when
//!    - some of the fragment's characters survived the edit and the mapped text is similar to the
//!      old one: at least half of the characters of the two texts together are matched
//!      characters (`2 × surviving / (old length + new length) ≥ 0.5`), and
//!    - its context still resembles the old one (context similarity ≥ 0.5, measured as in
//!      step 3). This is checked only when a change lies within 32 code points of the fragment;
//!      it catches a diff that matched a tagged word to the same word in a paragraph that
//!      replaced the old one.
//! 3. **Search the quote.** Otherwise (the characters were deleted, or the mapped text or its
//!    context differs a lot, as when a paragraph was moved or rewritten) the old text of the
//!    fragment, its quote, is searched for in the new text. Each occurrence is scored by how well
//!    its context matches the old context: the 32 code points before it and the 32 after it (fewer
//!    where the old text ends sooner; then as many of the new text), each compared by edit
//!    distance (similarity `1 − distance / longer length`), the two sides averaged.
//!    - a quote found more than 1000 times is too common to tell apart by context: the fragment is
//!      not placed (this also bounds the work on huge, heavily rearranged texts);
//!    - occurrences whose context similarity is below 0.5 are rejected;
//!    - the rest are ranked by context similarity, then by nearness to where the diff put the
//!      fragment (step 2);
//!    - the best one wins if no other is within 0.1 of its similarity;
//!    - otherwise, if exactly one of those close contenders lies in (or touches) the region where
//!      the diff put the fragment, it wins;
//!    - otherwise the fragment is ambiguous and is not placed.
//!
//! # What is reported
//!
//! A placed annotation lists its new fragments and whether it is **exact**: the new text of every
//! fragment equals its old text. A placed annotation's fragments stay in order and do not overlap;
//! if they would, it is not placed. Document-level annotations (no fragments) are always placed
//! as they are. An annotation that cannot be placed gets a [`Reason`] naming the first fragment
//! that failed and what happened to it.

use std::fmt;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};
use unicode_segmentation::GraphemeCursor;

use crate::model::{Annotation, AnnotationId, Span};
use crate::text::DocumentText;

/// Code points of context compared on each side of a quote.
const CONTEXT_LEN: usize = 32;
/// The least similarity between a fragment's old text and its diff-mapped new text for the
/// mapping to be trusted without searching the quote.
const MIN_QUOTE_SIMILARITY: f64 = 0.5;
/// The least context similarity for an occurrence of the quote to be considered at all.
const MIN_CONTEXT_SIMILARITY: f64 = 0.5;
/// Occurrences whose context similarities differ by less than this are equally good.
const AMBIGUITY_MARGIN: f64 = 0.1;
/// A quote found more often than this is too common to be placed by its context.
const MAX_OCCURRENCES: usize = 1000;
/// How long the diff may take before it settles for coarser changed regions.
const DIFF_TIME_LIMIT: Duration = Duration::from_secs(2);

/// The outcome of re-anchoring a list of annotations, one entry per annotation in input order.
#[derive(Clone, Debug, PartialEq)]
pub struct Reanchored {
    /// One entry per input annotation, in input order.
    pub entries: Vec<Reanchoring>,
}

impl Reanchored {
    /// The outcome for annotation `annotation_id`, if it was among the inputs.
    pub fn outcome(&self, annotation_id: &AnnotationId) -> Option<&Outcome> {
        self.entries.iter().find(|entry| &entry.annotation_id == annotation_id).map(|entry| &entry.outcome)
    }

    /// The annotations that could not be placed, with the reason, in input order.
    pub fn unplaced(&self) -> impl Iterator<Item = (&AnnotationId, &Reason)> {
        self.entries.iter().filter_map(|entry| match &entry.outcome {
            Outcome::Unplaced { reason } => Some((&entry.annotation_id, reason)),
            Outcome::Placed { .. } => None,
        })
    }
}

/// What became of one annotation.
#[derive(Clone, Debug, PartialEq)]
pub struct Reanchoring {
    /// The id of the input annotation.
    pub annotation_id: AnnotationId,
    /// Where it now lies, or why it could not be placed.
    pub outcome: Outcome,
}

/// Where an annotation lies in the new text, or why it could not be placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The annotation was placed.
    Placed {
        /// The fragments in the new text, in order and not overlapping; empty for a
        /// document-level annotation.
        fragments: Vec<Span>,
        /// Whether the new text of every fragment equals its old text.
        exact: bool,
    },
    /// The annotation could not be placed; it must be listed for the reviewer.
    Unplaced {
        /// Why.
        reason: Reason,
    },
}

/// Why an annotation could not be placed. `fragment` is the index of the first fragment that
/// failed; the [`Display`](fmt::Display) text is a sentence for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The fragment is empty or lies outside the old text: the annotation does not belong to it.
    Invalid {
        /// Index of the fragment in the annotation.
        fragment: usize,
    },
    /// Every character of the fragment was deleted, and no other occurrence of its quote has a
    /// matching context.
    Deleted {
        /// Index of the fragment in the annotation.
        fragment: usize,
        /// Occurrences of the quote elsewhere in the new text, all with a different context.
        elsewhere: usize,
    },
    /// The fragment's text was replaced by text too different from it, and no other occurrence of
    /// its quote has a matching context.
    Rewritten {
        /// Index of the fragment in the annotation.
        fragment: usize,
        /// The replacement text's span in the new text.
        now: Span,
        /// Occurrences of the quote elsewhere in the new text, all with a different context.
        elsewhere: usize,
    },
    /// The fragment's text survived, but the text around it was rewritten, and no other
    /// occurrence of its quote has a matching context.
    ContextRewritten {
        /// Index of the fragment in the annotation.
        fragment: usize,
        /// Where the diff put the fragment in the new text.
        now: Span,
        /// Occurrences of the quote elsewhere in the new text, all with a different context.
        elsewhere: usize,
    },
    /// The fragment's text changed, and several occurrences of its quote match its context
    /// equally well.
    Ambiguous {
        /// Index of the fragment in the annotation.
        fragment: usize,
        /// How many occurrences match equally well.
        candidates: usize,
    },
    /// The fragment's text changed, and its quote occurs too often in the new text to be placed
    /// by its context.
    TooCommon {
        /// Index of the fragment in the annotation.
        fragment: usize,
        /// How often the quote occurs in the new text.
        occurrences: usize,
    },
    /// The fragments were each placed, but would overlap or be out of order in the new text.
    Disordered,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Invalid { .. } => f.write_str("the fragment is empty or lies outside the old text"),
            Reason::Deleted { elsewhere, .. } => {
                f.write_str("the quoted text was deleted")?;
                write_elsewhere(f, *elsewhere)
            }
            Reason::Rewritten { elsewhere, .. } => {
                f.write_str("the quoted text was rewritten")?;
                write_elsewhere(f, *elsewhere)
            }
            Reason::ContextRewritten { elsewhere, .. } => {
                f.write_str("the text around the quote was rewritten")?;
                write_elsewhere(f, *elsewhere)
            }
            Reason::Ambiguous { candidates, .. } => {
                write!(f, "the quoted text changed here, and it occurs {candidates} times elsewhere with contexts that match equally well")
            }
            Reason::TooCommon { occurrences, .. } => {
                write!(f, "the quoted text changed here, and it occurs {occurrences} times elsewhere: too often to tell by its context")
            }
            Reason::Disordered => f.write_str("its fragments would overlap or be out of order in the new text"),
        }
    }
}

/// Completes a [`Reason`] sentence with the occurrences whose context did not match.
fn write_elsewhere(f: &mut fmt::Formatter<'_>, elsewhere: usize) -> fmt::Result {
    match elsewhere {
        0 => Ok(()),
        1 => f.write_str("; it occurs once elsewhere, but its context does not match"),
        n => write!(f, "; it occurs {n} times elsewhere, but its context matches none of them"),
    }
}

/// Carries `annotations`, made on `old`, over to `new`. See the [module docs](self) for the
/// rules. The inputs are not changed.
pub fn reanchor(old: &DocumentText, new: &DocumentText, annotations: &[Annotation]) -> Reanchored {
    let anchoring = Anchoring { old, new, edits: Edits::between(old, new, Instant::now().checked_add(DIFF_TIME_LIMIT)) };
    let entries = annotations
        .iter()
        .map(|annotation| Reanchoring { annotation_id: annotation.id.clone(), outcome: anchoring.annotation(annotation) })
        .collect();
    Reanchored { entries }
}

/// The two texts and the diff between them.
struct Anchoring<'a> {
    old: &'a DocumentText,
    new: &'a DocumentText,
    edits: Edits,
}

impl Anchoring<'_> {
    /// Places every fragment of `annotation`, or says why not.
    fn annotation(&self, annotation: &Annotation) -> Outcome {
        let placed: Result<Vec<Span>, Reason> =
            annotation.fragments.iter().enumerate().map(|(index, &fragment)| self.fragment(index, fragment)).collect();
        match placed {
            Err(reason) => Outcome::Unplaced { reason },
            Ok(fragments) if !fragments.is_sorted_by(|a, b| a.end <= b.start) => Outcome::Unplaced { reason: Reason::Disordered },
            Ok(fragments) => {
                let exact = annotation.fragments.iter().zip(&fragments).all(|(&old, &new)| self.old.slice(old) == self.new.slice(new));
                Outcome::Placed { fragments, exact }
            }
        }
    }

    /// Places fragment number `index`, `span` in the old text: through the diff when the mapping
    /// is trusted, else by searching its quote.
    fn fragment(&self, index: usize, span: Span) -> Result<Span, Reason> {
        if span.is_empty() || span.end > self.old.char_len() {
            return Err(Reason::Invalid { fragment: index });
        }
        let mapped = self.mapped(span);
        let surviving = self.edits.surviving(span);
        let text_kept = surviving > 0 && 2.0 * surviving as f64 / (span.len() + mapped.len()) as f64 >= MIN_QUOTE_SIMILARITY;
        if text_kept && self.context_kept(span, mapped) {
            return Ok(mapped);
        }
        self.search(span, mapped).map_err(|miss| match miss {
            Miss::Unmatched { occurrences } => {
                let elsewhere = occurrences.iter().filter(|&&occurrence| occurrence != mapped).count();
                if text_kept {
                    Reason::ContextRewritten { fragment: index, now: mapped, elsewhere }
                } else if mapped.is_empty() {
                    Reason::Deleted { fragment: index, elsewhere }
                } else {
                    Reason::Rewritten { fragment: index, now: mapped, elsewhere }
                }
            }
            Miss::Ambiguous { candidates } => Reason::Ambiguous { fragment: index, candidates },
            Miss::TooCommon { occurrences } => Reason::TooCommon { fragment: index, occurrences },
        })
    }

    /// Whether the context of old `span` still resembles that of `mapped`, its new place
    /// according to the diff. It surely does when no change lies within its reach.
    fn context_kept(&self, span: Span, mapped: Span) -> bool {
        let reach = Span::new(span.start.saturating_sub(CONTEXT_LEN), span.end + CONTEXT_LEN);
        if !self.edits.touches(reach) {
            return true;
        }
        let context = Context::old(self.old, span);
        context.similarity(&context.new_like(self.new, mapped)) >= MIN_CONTEXT_SIMILARITY
    }

    /// The new span of old `span` through the diff, its edges moved out of split words and
    /// grapheme clusters (rule 2 of the module docs).
    fn mapped(&self, span: Span) -> Span {
        let mut start = self.edits.map(span.start, Edge::Start);
        let mut end = self.edits.map(span.end, Edge::End).max(start);
        if !splits(self.old, span.start) {
            while start > 0 && splits(self.new, start) && self.edits.is_inserted(start - 1) {
                start -= 1;
            }
        }
        if !splits(self.old, span.end) {
            while end < self.new.char_len() && splits(self.new, end) && self.edits.is_inserted(end) {
                end += 1;
            }
        }
        Span::new(start, end)
    }

    /// Finds the quote of old `span` in the new text by its context (rule 3 of the module docs);
    /// `mapped` is where the diff put it.
    fn search(&self, span: Span, mapped: Span) -> Result<Span, Miss> {
        let quote = self.old.slice(span);
        let count = find_all(self.new.as_str(), quote).count();
        if count > MAX_OCCURRENCES {
            return Err(Miss::TooCommon { occurrences: count });
        }
        let occurrences: Vec<Span> = find_all(self.new.as_str(), quote)
            .map(|byte| self.new.byte_to_char(byte))
            .map(|start| Span::new(start, start + span.len()))
            .collect();
        let context = Context::old(self.old, span);
        let mut scored: Vec<(f64, Span)> = occurrences
            .iter()
            .map(|&occurrence| (context.similarity(&context.new_like(self.new, occurrence)), occurrence))
            .filter(|&(score, _)| score >= MIN_CONTEXT_SIMILARITY)
            .collect();
        let distance = |occurrence: Span| occurrence.start.abs_diff(mapped.start);
        scored.sort_by(|(a_score, a), (b_score, b)| b_score.total_cmp(a_score).then(distance(*a).cmp(&distance(*b))));
        let Some(&(best, _)) = scored.first() else {
            return Err(Miss::Unmatched { occurrences });
        };
        let contenders: Vec<Span> = scored.iter().take_while(|(score, _)| best - score < AMBIGUITY_MARGIN).map(|&(_, span)| span).collect();
        let touches_mapped = |candidate: &&Span| candidate.start <= mapped.end && mapped.start <= candidate.end;
        let mut expected = contenders.iter().filter(touches_mapped);
        match (contenders.as_slice(), expected.next(), expected.next()) {
            ([only], _, _) => Ok(*only),
            (_, Some(&nearest), None) => Ok(nearest),
            _ => Err(Miss::Ambiguous { candidates: contenders.len() }),
        }
    }
}

/// Why the quote search found no place.
enum Miss {
    /// No occurrence of the quote has a matching context; these are all its occurrences.
    Unmatched { occurrences: Vec<Span> },
    /// Several occurrences match equally well.
    Ambiguous { candidates: usize },
    /// The quote occurs more than [`MAX_OCCURRENCES`] times.
    TooCommon { occurrences: usize },
}

/// The byte offset of every occurrence of `quote` in `haystack`, overlapping ones included.
fn find_all<'a>(haystack: &'a str, quote: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let byte = from + haystack.get(from..)?.find(quote)?;
        from = byte + haystack.get(byte..)?.chars().next().map_or(1, char::len_utf8);
        Some(byte)
    })
}

/// The code points on either side of a span.
struct Context {
    before: Vec<char>,
    after: Vec<char>,
}

impl Context {
    /// The [`CONTEXT_LEN`] code points before `span` in the old text and the [`CONTEXT_LEN`]
    /// after it (fewer at the ends of the text).
    fn old(text: &DocumentText, span: Span) -> Self {
        Self::around(text, span, CONTEXT_LEN, CONTEXT_LEN)
    }

    /// The code points around `span` in the new text, as many on each side as this (old) context
    /// has: a tag at the start of the old text has no context before it to compare.
    fn new_like(&self, text: &DocumentText, span: Span) -> Self {
        Self::around(text, span, self.before.len(), self.after.len())
    }

    /// Up to `before_len` code points before `span` and `after_len` after it.
    fn around(text: &DocumentText, span: Span, before_len: usize, after_len: usize) -> Self {
        let before = text.slice(Span::new(span.start.saturating_sub(before_len), span.start)).chars().collect();
        let after = text.slice(Span::new(span.end, span.end + after_len)).chars().collect();
        Self { before, after }
    }

    /// How alike two contexts are, from 0 (nothing in common) to 1 (the same): the mean of the
    /// similarities of the two sides.
    fn similarity(&self, other: &Context) -> f64 {
        (edit_similarity(&self.before, &other.before) + edit_similarity(&self.after, &other.after)) / 2.0
    }
}

/// `1 − edit distance / length of the longer`, from 0 to 1; two empty sequences are the same.
fn edit_similarity(a: &[char], b: &[char]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    1.0 - edit_distance(a, b) as f64 / longer as f64
}

/// The Levenshtein distance between `a` and `b`: the fewest insertions, deletions and
/// substitutions of single characters that turn one into the other.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    // `row[j]` is the distance between the first `i` characters of `a` and the first `j` of `b`,
    // updated in place from row `i` to row `i + 1`.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &a_char) in a.iter().enumerate() {
        let (mut diagonal, mut left) = (i, i + 1);
        if let Some(first) = row.first_mut() {
            *first = left;
        }
        for (cell, &b_char) in row.iter_mut().skip(1).zip(b) {
            let value = (diagonal + usize::from(a_char != b_char)).min(*cell + 1).min(left + 1);
            (diagonal, left) = (*cell, value);
            *cell = value;
        }
    }
    row.last().copied().unwrap_or(0)
}

/// Whether an edge at `offset` cuts through a word (letters or digits on both sides) or through a
/// grapheme cluster (an emoji sequence, a letter and its combining accents, a CRLF).
fn splits(text: &DocumentText, offset: usize) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    if offset > 0 && is_word(char_at(text, offset - 1)) && is_word(char_at(text, offset)) {
        return true;
    }
    let byte = text.byte_range(Span::new(offset, offset)).start;
    let mut cursor = GraphemeCursor::new(byte, text.as_str().len(), true);
    !cursor.is_boundary(text.as_str(), 0).unwrap_or(true)
}

/// The code point at `offset`, if any.
fn char_at(text: &DocumentText, offset: usize) -> Option<char> {
    text.slice(Span::new(offset, offset + 1)).chars().next()
}

/// Which edge of a span a position is, which decides where text inserted exactly there goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edge {
    /// The start: text inserted here stays before the span.
    Start,
    /// The end: text inserted here stays after the span.
    End,
}

/// A changed region: the old code points `old` became the new code points `new`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Hunk {
    /// The code points of the old text that changed (empty for an insertion).
    old: Span,
    /// What they became in the new text (empty for a deletion).
    new: Span,
}

/// The diff between two texts as its changed regions, in order, each separated from the next by
/// unchanged text.
#[derive(Debug, Default)]
struct Edits {
    hunks: Vec<Hunk>,
}

impl Edits {
    /// Diffs `old` and `new`: lines first, then characters inside each changed run of lines.
    /// Past `deadline` the diff settles for coarser regions.
    fn between(old: &DocumentText, new: &DocumentText, deadline: Option<Instant>) -> Self {
        let old_lines: Vec<&str> = old.as_str().split_inclusive('\n').collect();
        let new_lines: Vec<&str> = new.as_str().split_inclusive('\n').collect();
        let char_len = |lines: &[&str]| lines.iter().map(|line| line.chars().count()).sum::<usize>();
        let mut edits = Edits::default();
        let (mut old_at, mut new_at) = (0, 0);
        for op in capture_diff_slices_deadline(Algorithm::Myers, &old_lines, &new_lines, deadline) {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let old_len = old_lines.get(old_range).map_or(0, char_len);
            let new_len = new_lines.get(new_range).map_or(0, char_len);
            let hunk = Hunk { old: Span::new(old_at, old_at + old_len), new: Span::new(new_at, new_at + new_len) };
            match tag {
                DiffTag::Equal => {}
                DiffTag::Replace => edits.refine(old.slice(hunk.old), new.slice(hunk.new), &hunk, deadline),
                DiffTag::Delete | DiffTag::Insert => edits.push(hunk),
            }
            (old_at, new_at) = (old_at + old_len, new_at + new_len);
        }
        edits
    }

    /// Diffs the characters of a changed run of lines, `region`, whose texts are `old` and `new`.
    fn refine(&mut self, old: &str, new: &str, region: &Hunk, deadline: Option<Instant>) {
        let old_chars: Vec<char> = old.chars().collect();
        let new_chars: Vec<char> = new.chars().collect();
        for op in capture_diff_slices_deadline(Algorithm::Myers, &old_chars, &new_chars, deadline) {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            if tag != DiffTag::Equal {
                self.push(Hunk {
                    old: Span::new(region.old.start + old_range.start, region.old.start + old_range.end),
                    new: Span::new(region.new.start + new_range.start, region.new.start + new_range.end),
                });
            }
        }
    }

    /// Appends a changed region after the others, merging it into the last one if they touch.
    fn push(&mut self, hunk: Hunk) {
        match self.hunks.last_mut() {
            Some(last) if last.old.end == hunk.old.start && last.new.end == hunk.new.start => {
                last.old.end = hunk.old.end;
                last.new.end = hunk.new.end;
            }
            _ => self.hunks.push(hunk),
        }
    }

    /// The new position of old position `offset`, as the `edge` of a span (rule 2 of the module
    /// docs).
    fn map(&self, offset: usize, edge: Edge) -> usize {
        let index = self.hunks.partition_point(|hunk| hunk.old.start < offset);
        if let Some(hunk) = self.hunks.get(index)
            && hunk.old.start == offset
        {
            let after_insertion = hunk.old.is_empty() && edge == Edge::Start;
            return if after_insertion { hunk.new.end } else { hunk.new.start };
        }
        match index.checked_sub(1).and_then(|before| self.hunks.get(before)) {
            Some(hunk) if offset < hunk.old.end => match edge {
                Edge::Start => hunk.new.start,
                Edge::End => hunk.new.end,
            },
            Some(hunk) => hunk.new.end + (offset - hunk.old.end),
            None => offset,
        }
    }

    /// How many code points of old `span` are unchanged in the new text.
    fn surviving(&self, span: Span) -> usize {
        let first = self.hunks.partition_point(|hunk| hunk.old.end <= span.start);
        let changed: usize = self
            .hunks
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|hunk| hunk.old.start < span.end)
            .map(|hunk| hunk.old.end.min(span.end).saturating_sub(hunk.old.start.max(span.start)))
            .sum();
        span.len().saturating_sub(changed)
    }

    /// Whether a changed region overlaps or touches old `span`.
    fn touches(&self, span: Span) -> bool {
        let index = self.hunks.partition_point(|hunk| hunk.old.end < span.start);
        self.hunks.get(index).is_some_and(|hunk| hunk.old.start <= span.end)
    }

    /// Whether the new code point at `offset` was inserted (is not unchanged old text).
    fn is_inserted(&self, offset: usize) -> bool {
        let index = self.hunks.partition_point(|hunk| hunk.new.end <= offset);
        self.hunks.get(index).is_some_and(|hunk| hunk.new.contains(offset))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::Kind;

    const ARTICLE: &str = include_str!("../../assets/seed-article.txt");

    /// The span of `target` inside the only occurrence of `phrase` in `text`.
    fn span_of(text: &DocumentText, phrase: &str, target: &str) -> Span {
        let doc = text.as_str();
        assert_eq!(doc.matches(phrase).count(), 1, "{phrase:?} must occur exactly once");
        let byte = doc.find(phrase).unwrap() + phrase.find(target).unwrap();
        let start = text.byte_to_char(byte);
        Span::new(start, start + target.chars().count())
    }

    fn tag(kind: Kind, fragments: Vec<Span>) -> Annotation {
        Annotation::new(kind, kind.name(), fragments, "colleague")
    }

    fn outcome<'a>(result: &'a Reanchored, annotation: &Annotation) -> &'a Outcome {
        result.outcome(&annotation.id).unwrap()
    }

    fn placed(result: &Reanchored, annotation: &Annotation) -> (Vec<Span>, bool) {
        match outcome(result, annotation) {
            Outcome::Placed { fragments, exact } => (fragments.clone(), *exact),
            Outcome::Unplaced { reason } => panic!("{:?} was not placed: {reason}", annotation.fragments),
        }
    }

    /// The article as the colleague annotated it: with a typo in a radio station's name.
    fn colleague_version() -> DocumentText {
        DocumentText::new(ARTICLE.replacen("Hurriyat Radio reported", "Hurriyat Raido reported", 1))
    }

    /// The article as the reviewer has it: an editor's note inserted after the byline (naming
    /// tagged people again), the typo corrected, and a sentence cut.
    fn reviewer_version() -> DocumentText {
        let byline = "October 18, 2025\n\n";
        let note = "Editor’s note: An earlier version misquoted Imran Khan on the Taliban and misspelled Hurriyat Radio; \
                    the Haqqani network and Zabihullah Mujahid are named as in the original.\n\n";
        let cut = " Mehsud survived, the official said, and reappeared in a video message on Thursday.";
        DocumentText::new(ARTICLE.replacen(byline, &format!("{byline}{note}"), 1).replacen(cut, "", 1))
    }

    #[test]
    fn article_tags_follow_an_inserted_paragraph_a_fixed_typo_and_a_cut_sentence() {
        let old = colleague_version();
        let new = reviewer_version();
        // (phrase locating the tag, tagged text): the same phrase finds it in both versions.
        let unchanged = [
            ("between the Afghan Taliban and", "Afghan Taliban"),
            ("“shackles of slavery.”", "“shackles of slavery.”"),
            ("independence from\u{a0}Pakistan.", "Pakistan"),
            ("aligning with the U.S.-led", "U.S."),
            ("struck with Imran Khan before", "Imran Khan"),
            ("A member of the Haqqani network attributed", "Haqqani network"),
            ("Taliban spokesman Zabihullah Mujahid wrote", "Zabihullah Mujahid"),
            ("“Anti-Pakistan sentiments are on the rise in the Kandahari leadership,”", "Anti-Pakistan sentiments are on the rise"),
            ("Hurriyat Radio said", "Hurriyat Radio"),
        ];
        let tags: Vec<Annotation> =
            unchanged.iter().map(|(phrase, target)| tag(Kind::Entity, vec![span_of(&old, phrase, target)])).collect();
        let discontinuous = [
            ("“Pakistan greatly values dialogue and diplomacy", "Pakistan greatly values dialogue and diplomacy"),
            ("“take all possible measures to safeguard its territory", "take all possible measures to safeguard its territory"),
        ];
        let claim = tag(Kind::Claim, discontinuous.iter().map(|(phrase, target)| span_of(&old, phrase, target)).collect());
        let typo = tag(Kind::Entity, vec![span_of(&old, "Hurriyat Raido reported", "Hurriyat Raido")]);
        let cut = tag(Kind::Entity, vec![span_of(&old, "attack. Mehsud survived", "Mehsud")]);
        let document = tag(Kind::Document, vec![]);
        let all: Vec<Annotation> = tags.iter().chain([&claim, &typo, &cut, &document]).cloned().collect();
        let before = all.clone();

        let result = reanchor(&old, &new, &all);

        assert_eq!(all, before, "the inputs are not changed");
        let ids: Vec<&AnnotationId> = result.entries.iter().map(|entry| &entry.annotation_id).collect();
        assert_eq!(ids, all.iter().map(|annotation| &annotation.id).collect::<Vec<_>>(), "same ids, same order");
        for (annotation, (phrase, target)) in tags.iter().zip(unchanged) {
            let expected = span_of(&new, phrase, target);
            assert_eq!(placed(&result, annotation), (vec![expected], true), "{target}");
            assert_eq!(new.slice(expected), target);
        }
        let expected: Vec<Span> = discontinuous.iter().map(|(phrase, target)| span_of(&new, phrase, target)).collect();
        assert_eq!(placed(&result, &claim), (expected, true));
        let (fragments, exact) = placed(&result, &typo);
        assert_eq!(fragments, vec![span_of(&new, "Hurriyat Radio reported", "Hurriyat Radio")]);
        assert!(!exact, "the corrected typo changed the tagged text");
        let reason = Reason::Deleted { fragment: 0, elsewhere: 2 };
        assert_eq!(outcome(&result, &cut), &Outcome::Unplaced { reason: reason.clone() });
        assert_eq!(reason.to_string(), "the quoted text was deleted; it occurs 2 times elsewhere, but its context matches none of them");
        assert_eq!(placed(&result, &document), (vec![], true));
        assert_eq!(result.unplaced().map(|(id, _)| id).collect::<Vec<_>>(), vec![&cut.id]);
    }

    #[test]
    fn identical_texts_keep_every_tag_in_place() {
        let text = colleague_version();
        let tags: Vec<Annotation> = [
            vec![Span::new(0, 8)],
            vec![span_of(&text, "“shackles of slavery.”", "“shackles of slavery.”")],
            vec![span_of(&text, "from\u{a0}Pakistan", "Pakistan"), span_of(&text, "“The mujahideen", "The mujahideen")],
            vec![Span::new(text.char_len() - 10, text.char_len())],
        ]
        .into_iter()
        .map(|fragments| tag(Kind::Claim, fragments))
        .collect();
        let result = reanchor(&text, &text.clone(), &tags);
        for annotation in &tags {
            assert_eq!(placed(&result, annotation), (annotation.fragments.clone(), true));
        }
    }

    #[test]
    fn offsets_stay_code_points_around_emoji_zwj_sequences_and_crlf() {
        let old = DocumentText::new("Family 👩‍👩‍👧 photo\r\nThe café’s owner, Zoë, said “hi 😀”.\r\n");
        let new = DocumentText::new("🎉 New!\r\nFamily 👩‍👩‍👧‍👦 photo\r\nThe café’s owner, Zoë, said “hi 😀”.\r\n");
        let targets = ["Family", "👩‍👩‍👧", "café", "Zoë", "😀"];
        let tags: Vec<Annotation> = targets.iter().map(|target| tag(Kind::Entity, vec![span_of(&old, target, target)])).collect();
        assert_eq!(
            tags.iter().map(|t| t.fragments[0]).collect::<Vec<_>>(),
            [(0, 6), (7, 12), (24, 28), (38, 41), (52, 53)].map(|(s, e)| Span::new(s, e))
        );

        let result = reanchor(&old, &new, &tags);

        // "🎉 New!\r\n" is 8 code points; the family emoji gained a ZWJ and a boy (2 code points).
        let expected =
            [(8, 14, "Family", true), (15, 22, "👩‍👩‍👧‍👦", false), (34, 38, "café", true), (48, 51, "Zoë", true), (62, 63, "😀", true)];
        for (annotation, (start, end, text, exact)) in tags.iter().zip(expected) {
            assert_eq!(placed(&result, annotation), (vec![Span::new(start, end)], exact), "{text}");
            assert_eq!(new.slice(Span::new(start, end)), text);
        }
    }

    #[test]
    fn typos_fixed_at_a_word_edge_widen_the_tag_to_the_whole_word() {
        let old = DocumentText::new("the Pakistna army and the Talban, said akistan of Afghanstan");
        let new = DocumentText::new("the Pakistan army and the Taliban, said Pakistan of Afghanistan");
        let targets = ["Pakistna", "Talban", "akistan", "Afghan"];
        let tags: Vec<Annotation> = targets.iter().map(|target| tag(Kind::Entity, vec![span_of(&old, target, target)])).collect();
        let result = reanchor(&old, &new, &tags);
        assert_eq!(placed(&result, &tags[0]), (vec![Span::new(4, 12)], false));
        assert_eq!(placed(&result, &tags[1]), (vec![Span::new(26, 33)], false));
        assert_eq!(placed(&result, &tags[2]), (vec![Span::new(40, 48)], false), "the inserted initial joins the tag");
        assert_eq!(placed(&result, &tags[3]), (vec![Span::new(52, 58)], true), "a tag on part of a word does not grow");
    }

    #[test]
    fn edges_inside_a_change_widen_and_insertions_at_an_edge_stay_outside() {
        // old: 0 1 2 [3 4 5] 6 7 | 8 9   → new: 0 1 2 [3 4] 5 6 [7 8 9] 10 11
        let edits = Edits {
            hunks: vec![Hunk { old: Span::new(3, 6), new: Span::new(3, 5) }, Hunk { old: Span::new(8, 8), new: Span::new(7, 10) }],
        };
        assert_eq!([edits.map(2, Edge::Start), edits.map(3, Edge::Start), edits.map(3, Edge::End)], [2, 3, 3]);
        assert_eq!([edits.map(4, Edge::Start), edits.map(4, Edge::End)], [3, 5], "inside a change: widen to all of it");
        assert_eq!([edits.map(6, Edge::Start), edits.map(7, Edge::End)], [5, 6]);
        assert_eq!([edits.map(8, Edge::Start), edits.map(8, Edge::End)], [10, 7], "an insertion stays outside");
        assert_eq!(edits.map(9, Edge::End), 11);
        assert_eq!([edits.surviving(Span::new(0, 10)), edits.surviving(Span::new(4, 5)), edits.surviving(Span::new(5, 9))], [7, 0, 3]);
        let inserted: Vec<usize> = (0..12).filter(|&offset| edits.is_inserted(offset)).collect();
        assert_eq!(inserted, [3, 4, 7, 8, 9]);
    }

    #[test]
    fn text_inserted_next_to_a_tag_stays_outside_it() {
        let old = DocumentText::new("Khan said so.");
        let new = DocumentText::new("Imran Khan said so, twice.");
        let tags = [tag(Kind::Entity, vec![Span::new(0, 4)]), tag(Kind::Claim, vec![Span::new(10, 12)])];
        let result = reanchor(&old, &new, &tags);
        assert_eq!(placed(&result, &tags[0]), (vec![Span::new(6, 10)], true));
        assert_eq!(placed(&result, &tags[1]), (vec![Span::new(16, 18)], true));
    }

    #[test]
    fn a_moved_paragraph_is_found_by_its_quote() {
        let old = DocumentText::new(ARTICLE);
        let paragraph = ARTICLE.split("\n\n").find(|p| p.starts_with("Ahmadullah Alizai")).unwrap();
        let moved = ARTICLE.replacen(&format!("{paragraph}\n\n"), "", 1) + paragraph + "\n";
        let new = DocumentText::new(moved);
        let tags = [tag(Kind::Entity, vec![span_of(&old, "Ahmadullah Alizai, a", "Ahmadullah Alizai")])];
        let result = reanchor(&old, &new, &tags);
        assert_eq!(placed(&result, &tags[0]), (vec![span_of(&new, "Ahmadullah Alizai, a", "Ahmadullah Alizai")], true));
    }

    #[test]
    fn fragments_that_swap_places_are_not_placed() {
        let old = DocumentText::new("alpha bravo charlie delta echo foxtrot.\n\nxray yankee zulu, uniform victor whiskey.\n");
        let new = DocumentText::new("xray yankee zulu, uniform victor whiskey.\n\nalpha bravo charlie delta echo foxtrot.\n");
        let claim = tag(Kind::Claim, vec![span_of(&old, "bravo", "bravo"), span_of(&old, "yankee", "yankee")]);
        let result = reanchor(&old, &new, std::slice::from_ref(&claim));
        assert_eq!(outcome(&result, &claim), &Outcome::Unplaced { reason: Reason::Disordered });
    }

    #[test]
    fn a_rewritten_fragment_is_not_placed() {
        let old = DocumentText::new("The minister said the deal was a historic blunder, and left.");
        let new = DocumentText::new("The minister said the deal was fine, and left.");
        let claim = tag(Kind::Claim, vec![span_of(&old, "a historic blunder", "a historic blunder")]);
        let result = reanchor(&old, &new, std::slice::from_ref(&claim));
        let now = span_of(&new, "fine", "fine");
        assert_eq!(outcome(&result, &claim), &Outcome::Unplaced { reason: Reason::Rewritten { fragment: 0, now, elsewhere: 0 } });
    }

    #[test]
    fn a_word_in_a_replaced_paragraph_does_not_land_on_the_same_word_of_its_replacement() {
        let intro = "Talks resumed in Doha on Saturday.\n\n";
        let outro = "\n\nThe border crossings stayed closed.\n";
        let old = DocumentText::new(format!(
            "{intro}The Taliban said the ceasefire talks failed after a long night, officials confirmed.{outro}"
        ));
        let new =
            DocumentText::new(format!("{intro}Analysts expect Taliban envoys to return to Qatar soon, according to diplomats.{outro}"));
        let entity = tag(Kind::Entity, vec![span_of(&old, "The Taliban said", "Taliban")]);
        let result = reanchor(&old, &new, std::slice::from_ref(&entity));
        let now = span_of(&new, "expect Taliban envoys", "Taliban");
        let reason = Reason::ContextRewritten { fragment: 0, now, elsewhere: 0 };
        assert_eq!(outcome(&result, &entity), &Outcome::Unplaced { reason: reason.clone() });
        assert_eq!(reason.to_string(), "the text around the quote was rewritten");
    }

    #[test]
    fn a_tag_whose_sentence_changed_on_one_side_stays_placed() {
        let old = DocumentText::new("On Friday, the spokesman Shafqat Ali Khan said the talks failed.");
        let new = DocumentText::new("On Friday, the spokesman Shafqat Ali Khan told reporters in Islamabad that talks had failed.");
        let entity = tag(Kind::Entity, vec![span_of(&old, "Shafqat Ali Khan", "Shafqat Ali Khan")]);
        let result = reanchor(&old, &new, std::slice::from_ref(&entity));
        assert_eq!(placed(&result, &entity), (entity.fragments.clone(), true));
    }

    #[test]
    fn a_quote_too_common_to_place_by_its_context_is_not_placed() {
        let old = DocumentText::new("Khan spoke last.\n");
        let new = DocumentText::new("Someone else spoke.\n".to_owned() + &"Khan, ".repeat(MAX_OCCURRENCES + 1));
        let entity = tag(Kind::Entity, vec![Span::new(0, 4)]);
        let result = reanchor(&old, &new, std::slice::from_ref(&entity));
        let reason = Reason::TooCommon { fragment: 0, occurrences: MAX_OCCURRENCES + 1 };
        assert_eq!(outcome(&result, &entity), &Outcome::Unplaced { reason });
    }

    #[test]
    fn a_fragment_outside_the_old_text_is_invalid() {
        let text = DocumentText::new("short");
        let tags = [tag(Kind::Entity, vec![Span::new(2, 9)]), tag(Kind::Entity, vec![Span::new(1, 2), Span::new(3, 3)])];
        let result = reanchor(&text, &text, &tags);
        assert_eq!(outcome(&result, &tags[0]), &Outcome::Unplaced { reason: Reason::Invalid { fragment: 0 } });
        assert_eq!(outcome(&result, &tags[1]), &Outcome::Unplaced { reason: Reason::Invalid { fragment: 1 } });
    }

    #[test]
    fn the_quote_search_refuses_equally_good_contexts_unless_the_diff_points_at_one() {
        // The quote has more than 32 code points of the copy on each side, so both copies match
        // its context perfectly.
        let copy = "The deal, officials said on Friday, was a historic blunder for the government and for the army too.";
        let old = DocumentText::new(copy);
        let new = DocumentText::new(format!("{copy}\n\nUnrelated text in between.\n\n{copy}\n"));
        let anchoring = Anchoring { old: &old, new: &new, edits: Edits::between(&old, &new, None) };
        let quote = span_of(&old, "a historic blunder", "a historic blunder");
        let second_start = new.byte_to_char(new.as_str().rfind("a historic blunder").unwrap());
        let second = Span::new(second_start, second_start + quote.len());
        let nowhere = Span::new(new.char_len(), new.char_len());
        assert!(matches!(anchoring.search(quote, nowhere), Err(Miss::Ambiguous { candidates: 2 })));
        assert_eq!(anchoring.search(quote, Span::new(second.start - 5, second.end + 5)).ok(), Some(second));
    }

    #[test]
    fn context_similarity_rejects_unrelated_occurrences() {
        let a: Vec<char> = "ng the Taliban leader, and have ".chars().collect();
        let b: Vec<char> = "ld the Taliban leader, and have ".chars().collect();
        let c: Vec<char> = "s, a Pakistani counterterrorism a".chars().collect();
        assert!(edit_similarity(&a, &b) > 0.9);
        assert!(edit_similarity(&a, &c) < 0.4);
        assert_eq!(edit_distance(&['a', 'b'], &[]), 2);
        assert_eq!(edit_similarity(&[], &[]), 1.0);
    }

    /// Pieces of text that random texts are made of: words, the article's punctuation, emoji, line breaks.
    const PIECES: &[&str] =
        &["the ", "Taliban", " ", "Khan", "—", "“", "”", "’s", "\u{a0}", "😀", "👩‍👩‍👧", "\r\n", "\n\n", "é", "a", "b", ", ", "."];

    fn text(pieces: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), pieces).prop_map(|pieces| pieces.concat())
    }

    /// An edit: where (any number, taken modulo the length), how many code points to delete, what to insert.
    fn edits() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
        prop::collection::vec((any::<usize>(), 0..12usize, text(0..4)), 0..6)
    }

    fn apply(text: &str, edits: &[(usize, usize, String)]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, delete, insert) in edits {
            let at = at % (chars.len() + 1);
            let end = (at + delete).min(chars.len());
            chars.splice(at..end, insert.chars());
        }
        chars.into_iter().collect()
    }

    proptest! {
        #[test]
        fn edits_far_from_a_tag_keep_its_text(
            far_before in text(0..80),
            near_before in text(40..60),
            tagged in text(1..6),
            near_after in text(40..60),
            far_after in text(0..80),
            edits_before in edits(),
            edits_after in edits(),
        ) {
            let old = DocumentText::new(format!("{far_before}{near_before}{tagged}{near_after}{far_after}"));
            let far_before_new = apply(&far_before, &edits_before);
            let new = DocumentText::new(format!("{far_before_new}{near_before}{tagged}{near_after}{}", apply(&far_after, &edits_after)));
            let start = far_before.chars().count() + near_before.chars().count();
            let annotation = tag(Kind::Entity, vec![Span::new(start, start + tagged.chars().count())]);

            let result = reanchor(&old, &new, std::slice::from_ref(&annotation));

            let new_start = far_before_new.chars().count() + near_before.chars().count();
            let expected = Span::new(new_start, new_start + tagged.chars().count());
            prop_assert_eq!(placed(&result, &annotation), (vec![expected], true));
            prop_assert_eq!(new.slice(expected), tagged.as_str());
        }
    }
}

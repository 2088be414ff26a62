//! Builds the sample project `projects/pakistan-taliban.gloss.json`: the bundled article annotated
//! with entities, claims linked to their claimants, sentiments with target and holder, and a
//! document-level sentiment, all through the same edit operations the app uses.
//!
//! Run with `cargo run --example sample_project -- projects/pakistan-taliban.gloss.json`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use gloss::edit::{History, ops};
use gloss::model::{AnnotationId, AttributeValue, DocumentId, Project, RelationTarget, Span};

/// An annotator at work on the article, addressing text by quotation.
struct Annotator {
    project: Project,
    history: History,
    document_id: DocumentId,
    author: &'static str,
}

/// Who fills a relation: an annotation made earlier, or someone not in the text.
enum Who<'a> {
    Annotation(&'a AnnotationId),
    Implicit(&'static str),
}

impl Annotator {
    /// The span of the `nth` (1-based) occurrence of `quote` in the article.
    fn find(&self, quote: &str, nth: usize) -> Result<Span> {
        let text = self.project.documents[0].text.as_str();
        let byte = text.match_indices(quote).nth(nth - 1).map(|(byte, _)| byte).with_context(|| format!("{quote:?} #{nth} not found"))?;
        let start = text[..byte].chars().count();
        Ok(Span::new(start, start + quote.chars().count()))
    }

    fn tag_spans(&mut self, label: &str, fragments: Vec<Span>) -> Result<AnnotationId> {
        let (transaction, id) = ops::tag(&self.project, &self.document_id, label, fragments, self.author)?;
        self.history.apply(&mut self.project, transaction)?;
        Ok(id)
    }

    /// Tags the `nth` occurrence of `quote`.
    fn tag(&mut self, label: &str, quote: &str, nth: usize) -> Result<AnnotationId> {
        let span = self.find(quote, nth)?;
        self.tag_spans(label, vec![span])
    }

    fn set(&mut self, id: &AnnotationId, attribute: &str, value: &str) -> Result<()> {
        let transaction =
            ops::set_attribute(&self.project, &self.document_id, id, attribute, Some(AttributeValue::Text(value.to_owned())))?;
        Ok(self.history.apply(&mut self.project, transaction)?)
    }

    fn link(&mut self, id: &AnnotationId, role: &str, who: Who<'_>) -> Result<()> {
        let target = match who {
            Who::Annotation(target) => RelationTarget::Annotation(target.clone()),
            Who::Implicit(name) => RelationTarget::Implicit(name.to_owned()),
        };
        let transaction = ops::set_relation(&self.project, &self.document_id, id, role, Some(target))?;
        Ok(self.history.apply(&mut self.project, transaction)?)
    }

    fn note(&mut self, id: &AnnotationId, note: &str) -> Result<()> {
        let transaction = ops::set_note(&self.project, &self.document_id, id, note)?;
        Ok(self.history.apply(&mut self.project, transaction)?)
    }

    /// A claim (given as one or more quoted fragments) with its claimant and attributes.
    fn claim(&mut self, fragments: &[(&str, usize)], claimant: Who<'_>, attributes: &[(&str, &str)]) -> Result<AnnotationId> {
        let spans = fragments.iter().map(|(quote, nth)| self.find(quote, *nth)).collect::<Result<Vec<_>>>()?;
        let id = self.tag_spans("CLAIM", spans)?;
        self.link(&id, "claimant", claimant)?;
        for (attribute, value) in attributes {
            self.set(&id, attribute, value)?;
        }
        Ok(id)
    }

    /// A sentiment expression with its polarity, target and holder.
    fn sentiment(
        &mut self,
        quote: (&str, usize),
        polarity: &str,
        intensity: &str,
        target: Who<'_>,
        holder: Who<'_>,
    ) -> Result<AnnotationId> {
        let id = self.tag("SENTIMENT", quote.0, quote.1)?;
        self.set(&id, "polarity", polarity)?;
        self.set(&id, "intensity", intensity)?;
        self.link(&id, "target", target)?;
        self.link(&id, "holder", holder)?;
        Ok(id)
    }
}

fn annotate(annotator: &mut Annotator) -> Result<()> {
    use Who::{Annotation as A, Implicit};
    let a = annotator;
    // Byline and dateline.
    a.tag("PER", "Haq Nawaz Khan", 1)?;
    a.tag("PER", "Shaiq Hussain", 1)?;
    a.tag("ORG", "The New York Times", 1)?;
    a.tag("DATE", "October 18, 2025", 1)?;
    // Places, groups and people, in reading order.
    let taliban = a.tag("ORG", "Afghan Taliban", 1)?;
    a.tag("LOC", "Pakistan", 2)?;
    a.tag("DATE", "Friday", 1)?;
    a.tag("EVENT", "ceasefire", 1)?;
    a.tag("LOC", "Doha", 1)?;
    a.tag("LOC", "Qatar", 1)?;
    let radio = a.tag("ORG", "Hurriyat Radio", 1)?;
    a.tag("LOC", "Paktika", 1)?;
    let radio_again = a.tag("ORG", "Hurriyat Radio", 2)?;
    a.tag("LOC", "Kabul", 1)?;
    a.tag("DATE", "2021", 1)?;
    let imran_khan = a.tag("PER", "Imran Khan", 1)?;
    let afghans = a.tag("NORP", "Afghans", 1)?;
    let spy_chief = a.tag("PER", "The head of Pakistan’s intelligence service", 1)?;
    let islamabad_worries = a.tag("LOC", "Islamabad", 1)?;
    let ttp = a.tag("ORG", "Pakistani Taliban", 1)?;
    let islamabad_says = a.tag("LOC", "Islamabad", 3)?;
    a.tag("PER", "Noor Wali Mehsud", 1)?;
    let rana = a.tag("PER", "Muhammad Amir Rana", 1)?;
    let pakistan_double_game = a.tag("LOC", "Pakistan", 17)?;
    a.tag("ORG", "U.S.-led coalition", 1)?;
    let alizai = a.tag("PER", "Ahmadullah Alizai", 1)?;
    let islamabad_visit = a.tag("LOC", "Islamabad", 5)?;
    // A nested pair: the ministry contains the country.
    a.tag("ORG", "Pakistan’s Foreign Ministry", 1)?;
    a.tag("LOC", "Pakistan", 18)?;
    let spokesman = a.tag("PER", "Shafqat Ali Khan", 1)?;
    a.tag("ORG", "Haqqani network", 1)?;
    a.tag("PER", "Sirajuddin Haqqani", 1)?;
    let haqqanis = a.tag("ORG", "The Haqqanis", 2)?;
    let durrani = a.tag("PER", "Asif Durrani", 1)?;
    a.tag("ORG", "The Washington Post", 1)?;
    a.tag("PER", "Muhammad Ibrahim Khan", 1)?;
    a.tag("NORP", "Pashtun", 1)?;
    a.tag("ORG", "Islamic State", 1)?;
    let kandahar = a.tag("LOC", "Kandahar", 1)?;
    let kandahari_leadership = a.tag("ORG", "Kandahari leadership", 1)?;
    let mujahid = a.tag("PER", "Zabihullah Mujahid", 1)?;
    a.tag("MISC", "X", 1)?;
    a.tag("LOC", "Khyber Pakhtunkhwa", 1)?;
    let rana_warned = a.tag("PER", "Rana", 2)?;
    let rana_said = a.tag("PER", "Rana", 3)?;
    let pakistan_disliked = a.tag("LOC", "Pakistan", 29)?;
    let officials = a.tag("PER", "Pakistani officials", 1)?;

    // Claims, each linked to whoever makes it.
    a.claim(
        &[("Afghan forces late Friday were launching “retaliatory operations” on Pakistani military outposts", 1)],
        A(&radio),
        &[("claim_type", "factual"), ("attribution", "paraphrase")],
    )?;
    a.claim(
        &[("At least three members of a cricket team in Paktika were killed and several people were wounded", 1)],
        A(&radio_again),
        &[("claim_type", "quantitative"), ("attribution", "paraphrase")],
    )?;
    a.claim(&[("everything will be okay", 1)], A(&spy_chief), &[("claim_type", "prediction"), ("attribution", "direct quote")])?;
    let losing = a.claim(
        &[("Pakistan could be losing the Taliban for good", 1)],
        A(&islamabad_worries),
        &[("claim_type", "prediction"), ("attribution", "paraphrase"), ("certainty", "hedged")],
    )?;
    a.claim(
        &[("the Afghan Taliban shelter and support the group", 1)],
        A(&islamabad_says),
        &[("claim_type", "factual"), ("attribution", "paraphrase"), ("stance", "neutral")],
    )?;
    let mehsud =
        a.claim(&[("Mehsud survived", 1)], Implicit("unnamed source"), &[("claim_type", "factual"), ("attribution", "paraphrase")])?;
    a.note(&mehsud, "“the official” is the anonymous Pakistani official of the previous sentence.")?;
    a.claim(
        &[("Pakistan has long lived under the illusion that the Afghan Taliban would become a stabilizing force once in power", 1)],
        A(&rana),
        &[("claim_type", "opinion"), ("attribution", "direct quote")],
    )?;
    a.claim(
        &[("Pakistan’s so-called double game — aligning with the U.S.-led coalition while covertly engaging the Taliban — was not a stroke of strategic genius but a historic blunder", 1)],
        A(&rana),
        &[("claim_type", "opinion"), ("attribution", "direct quote")],
    )?;
    a.claim(
        &[("Pakistan greatly values dialogue and diplomacy and a mutually beneficial relationship with Afghanistan", 1)],
        A(&spokesman),
        &[("claim_type", "opinion"), ("attribution", "direct quote")],
    )?;
    a.claim(&[("The TTP is not ready to lay down arms.", 1)], A(&durrani), &[("claim_type", "factual"), ("attribution", "direct quote")])?;
    a.claim(
        &[("a deal could have been struck with Imran Khan before he was removed as prime minister in 2022", 1)],
        Implicit("unnamed source"),
        &[("claim_type", "causal"), ("attribution", "paraphrase"), ("certainty", "hedged"), ("stance", "neutral")],
    )?;
    a.claim(
        &[("The mujahideen, at high morale, will defend their land and people", 1)],
        A(&mujahid),
        &[("claim_type", "prediction"), ("attribution", "direct quote")],
    )?;
    a.claim(
        &[("Preventing the issue from acquiring a Pashtun ethnic dimension is crucial", 1)],
        A(&rana_warned),
        &[("claim_type", "opinion"), ("attribution", "direct quote")],
    )?;
    // A discontinuous claim: the quotation is split by its attribution.
    a.claim(
        &[
            ("Their inclusion, resilience and voice", 1),
            ("will determine whether Pakistan can finally move beyond its long, costly illusions", 1),
        ],
        A(&rana_said),
        &[("claim_type", "prediction"), ("attribution", "direct quote")],
    )?;

    // Sentiments, each with a target and a holder.
    a.sentiment(("applauded", 1), "positive", "medium", A(&afghans), A(&imran_khan))?;
    a.sentiment(("worries", 1), "negative", "medium", A(&losing), A(&islamabad_worries))?;
    a.sentiment(("historic blunder", 1), "negative", "high", A(&pakistan_double_game), A(&rana))?;
    a.sentiment(("they’re paying attention", 1), "positive", "low", A(&islamabad_visit), A(&alizai))?;
    a.sentiment(("part of the problem", 1), "negative", "medium", A(&haqqanis), A(&durrani))?;
    a.sentiment(("Anti-Pakistan sentiments are on the rise", 1), "negative", "high", A(&pakistan_disliked), A(&kandahari_leadership))?;
    a.sentiment(("draconian restrictions on women", 1), "negative", "high", A(&kandahar), Implicit("author"))?;
    a.sentiment(("relations have deteriorated dramatically", 1), "negative", "high", A(&taliban), Implicit("author"))?;
    a.sentiment(("blame most attacks on the Pakistani Taliban", 1), "negative", "medium", A(&ttp), A(&officials))?;

    // The article as a whole.
    let (transaction, whole) = ops::tag(&a.project, &a.document_id, "DOC_SENTIMENT", Vec::new(), a.author)?;
    a.history.apply(&mut a.project, transaction)?;
    a.set(&whole, "polarity", "negative")?;
    Ok(())
}

fn main() -> Result<()> {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        bail!("usage: sample_project OUTPUT.gloss.json");
    };
    let mut project = Project::from_text(gloss::SEED_ARTICLE_TITLE, gloss::SEED_ARTICLE);
    project.metadata.description = "Sample annotations of the bundled New York Times article: entities, claims with their claimants, \
                                    sentiment with target and holder, and the article's overall sentiment."
        .into();
    let document_id = project.documents[0].id.clone();
    let mut annotator = Annotator { project, history: History::default(), document_id, author: "amira" };
    annotate(&mut annotator)?;
    let problems = annotator.project.check_invariants();
    if !problems.is_empty() {
        bail!("the sample breaks the project rules: {problems:?}");
    }
    gloss::io::save_project(&annotator.project, &path)?;
    println!("{}: {} annotations", path.display(), annotator.project.annotation_count());
    Ok(())
}

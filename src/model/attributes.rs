//! The attribute values of an annotation, by name.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, SchemaGenerator};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::AttributeValue;

/// Attribute values by attribute name, kept sorted by name: it reads and writes as a JSON object
/// with its keys in order, like a `BTreeMap`, but holds its few entries in one small list. An
/// annotation has a handful of attributes at most, and a `BTreeMap` spends a node of some 600
/// bytes on even one; a project with a million annotations has hundreds of thousands of these.
///
/// ```text
/// {"certainty": "hedged", "stance": "neutral"}  →  [("certainty", hedged), ("stance", neutral)]
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributes {
    /// Sorted by name, each name once.
    entries: Vec<(String, AttributeValue)>,
}

impl Attributes {
    /// No attributes.
    pub const fn new() -> Self {
        Self { entries: Vec::new() }
    }

    /// Where `name` is, or where it would go.
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(known, _)| known.as_str().cmp(name))
    }

    /// The value of attribute `name`, if set.
    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.position(name).ok().and_then(|index| self.entries.get(index)).map(|(_, value)| value)
    }

    /// Whether attribute `name` is set.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Sets attribute `name`, returning its previous value.
    pub fn insert(&mut self, name: String, value: AttributeValue) -> Option<AttributeValue> {
        match self.position(&name) {
            Ok(index) => self.entries.get_mut(index).map(|(_, old)| std::mem::replace(old, value)),
            Err(index) => {
                self.entries.insert(index, (name, value));
                None
            }
        }
    }

    /// Clears attribute `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<AttributeValue> {
        self.position(name).ok().map(|index| self.entries.remove(index).1)
    }

    /// Keeps only the attributes for which `keep` says yes.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut AttributeValue) -> bool) {
        self.entries.retain_mut(|(name, value)| keep(name, value));
    }

    /// Number of attributes set.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no attribute is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The attributes in order of their names.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &AttributeValue)> + ExactSizeIterator {
        self.entries.iter().map(|(name, value)| (name, value))
    }

    /// The names of the attributes set, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(name, _)| name)
    }
}

/// Later values win over earlier ones of the same name, as with a `BTreeMap`.
impl FromIterator<(String, AttributeValue)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (String, AttributeValue)>>(iter: I) -> Self {
        let mut entries: Vec<(String, AttributeValue)> = iter.into_iter().collect();
        // A stable sort keeps a repeated name's values in the order given; the last one stays.
        entries.sort_by(|(a, _), (b, _)| a.cmp(b));
        let mut attributes = Self { entries: Vec::with_capacity(entries.len()) };
        for (name, value) in entries {
            match attributes.entries.last_mut() {
                Some((last, old)) if *last == name => *old = value,
                _ => attributes.entries.push((name, value)),
            }
        }
        attributes
    }
}

impl<const N: usize> From<[(String, AttributeValue); N]> for Attributes {
    fn from(entries: [(String, AttributeValue); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl Extend<(String, AttributeValue)> for Attributes {
    fn extend<I: IntoIterator<Item = (String, AttributeValue)>>(&mut self, iter: I) {
        for (name, value) in iter {
            self.insert(name, value);
        }
    }
}

impl IntoIterator for Attributes {
    type Item = (String, AttributeValue);
    type IntoIter = std::vec::IntoIter<(String, AttributeValue)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a String, &'a AttributeValue);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, AttributeValue)>, fn(&'a (String, AttributeValue)) -> Self::Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(name, value)| (name, value))
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (name, value) in &self.entries {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AttributesVisitor;

        impl<'de> Visitor<'de> for AttributesVisitor {
            type Value = Attributes;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a map of attribute values")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Attributes, M::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
                while let Some(entry) = map.next_entry::<String, AttributeValue>()? {
                    entries.push(entry);
                }
                // Files list names in order, so this is nearly always already sorted.
                if entries.is_sorted_by(|(a, _), (b, _)| a < b) {
                    return Ok(Attributes { entries });
                }
                Ok(entries.into_iter().collect())
            }
        }

        deserializer.deserialize_map(AttributesVisitor)
    }
}

/// The same schema as the `BTreeMap` it stands for: an object of attribute values.
impl JsonSchema for Attributes {
    fn inline_schema() -> bool {
        BTreeMap::<String, AttributeValue>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        BTreeMap::<String, AttributeValue>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        BTreeMap::<String, AttributeValue>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        BTreeMap::<String, AttributeValue>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> AttributeValue {
        AttributeValue::Text(value.into())
    }

    #[test]
    fn inserts_keep_names_sorted_and_unique() {
        let mut attributes = Attributes::new();
        assert_eq!(attributes.insert("stance".into(), text("neutral")), None);
        assert_eq!(attributes.insert("certainty".into(), text("hedged")), None);
        assert_eq!(attributes.insert("stance".into(), text("support")), Some(text("neutral")));
        assert_eq!(attributes.keys().collect::<Vec<_>>(), ["certainty", "stance"]);
        assert_eq!(attributes.get("stance"), Some(&text("support")));
        assert_eq!(attributes.remove("certainty"), Some(text("hedged")));
        assert_eq!(attributes.remove("certainty"), None);
        assert_eq!(attributes.len(), 1);
        assert!(!attributes.contains_key("certainty"));
    }

    #[test]
    fn reads_and_writes_like_a_btree_map() {
        let json = r#"{"stance":"neutral","certainty":"hedged","score":0.5,"stance":"support"}"#;
        let attributes: Attributes = serde_json::from_str(json).expect("valid");
        let map: BTreeMap<String, AttributeValue> = serde_json::from_str(json).expect("valid");
        assert_eq!(serde_json::to_string(&attributes).ok(), serde_json::to_string(&map).ok());
        assert_eq!(attributes.iter().map(|(name, value)| (name.clone(), value.clone())).collect::<BTreeMap<_, _>>(), map);
        assert!(serde_json::from_str::<Attributes>(r#"{"a": [1]}"#).is_err());
        assert!(serde_json::from_str::<Attributes>("[]").is_err());
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_name() {
        let attributes: Attributes = [("b".to_owned(), text("1")), ("a".to_owned(), text("2")), ("b".to_owned(), text("3"))].into();
        assert_eq!(attributes.into_iter().collect::<Vec<_>>(), [("a".to_owned(), text("2")), ("b".to_owned(), text("3"))]);
    }

    proptest::proptest! {
        /// Any sequence of inserts and removes leaves the same attributes as in a `BTreeMap`.
        #[test]
        fn behaves_as_a_btree_map(steps in proptest::collection::vec((0u8..6, proptest::option::of(0u8..4)), 0..40)) {
            let (mut attributes, mut map) = (Attributes::new(), BTreeMap::new());
            for (name, value) in steps {
                let name = format!("n{name}");
                match value {
                    Some(value) => {
                        let value = AttributeValue::Number(f64::from(value));
                        proptest::prop_assert_eq!(attributes.insert(name.clone(), value.clone()), map.insert(name, value));
                    }
                    None => proptest::prop_assert_eq!(attributes.remove(&name), map.remove(&name)),
                }
            }
            proptest::prop_assert!(attributes.iter().eq(map.iter()));
        }
    }
}

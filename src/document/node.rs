//! The span-true document tree: every key and value keeps the byte range it came from.

use crate::source::Span;

/// A value with the span of its text in the user's file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value stands.
    pub span: Span,
}

/// A YAML 1.2 (core schema) / JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Any other number (may be infinite or NaN).
    Float(f64),
    /// A string (quoted, or plain and not a number, bool or null).
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order, keys unique.
    Map(Vec<Entry>),
}

/// One key of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key's text.
    pub key: String,
    /// Where the key stands.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Step {
    /// A mapping key.
    Key(String),
    /// A list index.
    Index(usize),
}

impl Node {
    /// The mapping entry named `key`, if this is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The child at one step.
    pub fn child(&self, step: &Step) -> Option<&Node> {
        match (step, &self.value) {
            (Step::Key(k), Value::Map(_)) => self.entry(k).map(|e| &e.value),
            (Step::Index(i), Value::Seq(items)) => items.get(*i),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number value, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// `true` for null, blank strings and empty containers: what 'present and non-empty' rejects.
    pub fn is_empty(&self) -> bool {
        match &self.value {
            Value::Null => true,
            Value::Str(s) => s.trim().is_empty(),
            Value::Seq(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => false,
        }
    }

    /// The value as the user wrote it, for messages (scalars only; containers are summarised).
    pub fn display(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Str(s) => s.clone(),
            Value::Seq(items) => format!("[{} items]", items.len()),
            Value::Map(entries) => format!("{{{} keys}}", entries.len()),
        }
    }

    /// The JSON equivalent, for JSON Schema validation. Non-finite numbers, which JSON cannot
    /// hold, become strings so that a `number` schema rejects them.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or_else(|| J::String(f.to_string()), J::Number)
            }
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The JSON Pointer (RFC 6901) of a path.
pub fn pointer(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        out.push('/');
        match step {
            Step::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Parse a JSON Pointer into steps, resolving numbers against the tree where they index lists.
pub fn parse_pointer(root: &Node, pointer: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut node = Some(root);
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let step = match (node.map(|n| &n.value), token.parse::<usize>()) {
            (Some(Value::Seq(_)), Ok(i)) => Step::Index(i),
            _ => Step::Key(token),
        };
        node = node.and_then(|n| n.child(&step));
        steps.push(step);
    }
    steps
}

impl Node {
    /// The span that best shows `path` to a user: a scalar's value; a container's key (or its
    /// first key or item, for the root and list items); for a path that does not exist, the
    /// nearest existing ancestor, shown the same way.
    pub fn locate(&self, path: &[Step]) -> Span {
        let mut node = self;
        let mut key_span = None;
        for step in path {
            let next = match (step, &node.value) {
                (Step::Key(k), Value::Map(_)) => {
                    node.entry(k).map(|e| (Some(e.key_span), &e.value))
                }
                (Step::Index(i), Value::Seq(items)) => items.get(*i).map(|n| (None, n)),
                _ => None,
            };
            match next {
                Some((key, child)) => {
                    key_span = key;
                    node = child;
                }
                None => break,
            }
        }
        match (&node.value, key_span) {
            (Value::Map(_) | Value::Seq(_), Some(key)) => key,
            (Value::Map(entries), None) => entries.first().map_or(node.span, |e| e.key_span),
            (Value::Seq(items), None) => items.first().map_or(node.span, |n| n.span),
            _ => node.span,
        }
    }

    /// The node at `path`, if it exists.
    pub fn at(&self, path: &[Step]) -> Option<&Node> {
        path.iter().try_fold(self, |node, step| node.child(step))
    }
}

//! `pdao init KIND`: a complete, commented YAML template generated from the kind's schema, so
//! that it can never disagree with what `pdao check` accepts.

use serde_json::Value as Json;

use crate::kind::Kind;
use crate::schema::KindSchema;

/// Whether `text` is a slot this template writes for a value to fill in (`<申请单位名称>`).
/// `pdao check` reports these, and other fillers, through [`crate::placeholder`].
pub fn is_placeholder(text: &str) -> bool {
    text.starts_with('<') && text.ends_with('>')
}

/// The template for `kind`.
pub fn template(kind: Kind, schema: &KindSchema) -> String {
    let mut out = format!(
        "# {}（{}）模板：由 `pdao init {}` 生成。\n# 把每个 <…> 占位换成实际内容，不适用的可选字段连同其下各行删除：留有占位（或 待填写、TODO 等）的文书检查不能通过。\n# 注释说明各字段所依据的条款。写完后运行 `pdao check` 检查。\n",
        kind.title_zh(),
        kind.name(),
        kind.name()
    );
    let root = schema.resolve(None, &[]).unwrap_or(schema.json());
    write_object(schema, root, 0, &mut out, Some(kind));
    out
}

fn comment(schema: &Json) -> Option<String> {
    let title = schema.get("title").and_then(Json::as_str);
    let description = schema.get("description").and_then(Json::as_str);
    match (title, description) {
        (Some(t), Some(d)) => Some(format!("{t}：{d}")),
        (Some(t), None) => Some(t.to_string()),
        (None, Some(d)) => Some(d.to_string()),
        (None, None) => None,
    }
}

fn first_branch<'a>(schema: &'a KindSchema, node: &'a Json) -> &'a Json {
    let node = schema.resolve(Some(node), &[]).unwrap_or(node);
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = node
            .get(key)
            .and_then(Json::as_array)
            .and_then(|b| b.first())
        {
            return first_branch(schema, first);
        }
    }
    node
}

fn is_type(node: &Json, t: &str) -> bool {
    match node.get("type") {
        Some(Json::String(s)) => s == t,
        Some(Json::Array(ts)) => ts.first().and_then(Json::as_str) == Some(t),
        _ => false,
    }
}

fn placeholder(node: &Json, title: &str) -> String {
    if let Some(c) = node.get("const") {
        return c.to_string();
    }
    if let Some(first) = node
        .get("enum")
        .and_then(Json::as_array)
        .and_then(|e| e.first())
    {
        let options: Vec<String> = node
            .get("enum")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect();
        let _ = first;
        return format!("\"<{}>\"", options.join("|"));
    }
    match node.get("format").and_then(Json::as_str) {
        Some("cn-date") => return "\"<YYYY-MM-DD>\"".into(),
        Some("credit-code") => return "\"<18 位统一社会信用代码>\"".into(),
        _ => {}
    }
    if is_type(node, "integer") || is_type(node, "number") {
        return format!("\"<数字：{title}>\"");
    }
    if is_type(node, "boolean") {
        return "\"<true|false>\"".into();
    }
    format!("\"<{title}>\"")
}

fn write_object(
    schema: &KindSchema,
    node: &Json,
    indent: usize,
    out: &mut String,
    kind: Option<Kind>,
) {
    let node = first_branch(schema, node);
    let Some(props) = node.get("properties").and_then(Json::as_object) else {
        return;
    };
    let pad = "  ".repeat(indent);
    for (name, raw) in props {
        let prop = first_branch(schema, raw);
        if let Some(c) = comment(raw).or_else(|| comment(prop)) {
            for line in c.lines() {
                out.push_str(&format!("{pad}# {line}\n"));
            }
        }
        let title = raw
            .get("title")
            .or_else(|| prop.get("title"))
            .and_then(Json::as_str)
            .unwrap_or(name);
        if name == "kind" {
            if let Some(k) = kind {
                out.push_str(&format!("{pad}kind: {}\n", k.name()));
                continue;
            }
        }
        write_value(schema, name, prop, title, indent, out);
    }
}

fn write_value(
    schema: &KindSchema,
    name: &str,
    prop: &Json,
    title: &str,
    indent: usize,
    out: &mut String,
) {
    let pad = "  ".repeat(indent);
    if prop.get("properties").is_some() {
        out.push_str(&format!("{pad}{name}:\n"));
        write_object(schema, prop, indent + 1, out, None);
    } else if let Some(items) = prop.get("items") {
        let item = first_branch(schema, items);
        out.push_str(&format!("{pad}{name}:\n"));
        if item.get("properties").is_some() {
            let mut inner = String::new();
            write_object(schema, item, indent + 2, &mut inner, None);
            // Turn the first field of the item into a list entry (`- key: …`).
            let mut first = true;
            for line in inner.lines() {
                let trimmed = line.trim_start();
                if first && !trimmed.starts_with('#') {
                    out.push_str(&format!("{pad}  - {trimmed}\n"));
                    first = false;
                } else {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        } else {
            out.push_str(&format!("{pad}  - {}\n", placeholder(item, title)));
        }
    } else {
        out.push_str(&format!("{pad}{name}: {}\n", placeholder(prop, title)));
    }
}

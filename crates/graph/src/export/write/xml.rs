//! The entity graph as GraphML or GEXF 1.2, for Gephi or networkx: entities taking part in the
//! matching events are nodes (label, kind, country); each pair that shares events is one
//! undirected edge with its `weight` (events shared), counts by kind (`VISIT:2;MEET:1`), first
//! and last day and Goldstein tone sum. Nodes are written first, then edges, page by page.

use std::io::Write;

use crate::error::StoreError;
use crate::export::write::{ExportSink, Out};
use crate::model::{EdgeView, NodeView};

const GRAPHML_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="kind" for="node" attr.name="kind" attr.type="string"/>
  <key id="country" for="node" attr.name="country" attr.type="string"/>
  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>
  <key id="kinds" for="edge" attr.name="kinds" attr.type="string"/>
  <key id="first_day" for="edge" attr.name="first_day" attr.type="string"/>
  <key id="last_day" for="edge" attr.name="last_day" attr.type="string"/>
  <key id="tone_sum" for="edge" attr.name="tone_sum" attr.type="double"/>
  <graph id="diplograph" edgedefault="undirected">
"#;

const GEXF_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">
  <meta><creator>diplograph</creator><description>entities and the events they share</description></meta>
  <graph mode="static" defaultedgetype="undirected">
    <attributes class="node">
      <attribute id="kind" title="kind" type="string"/>
      <attribute id="country" title="country" type="string"/>
    </attributes>
    <attributes class="edge">
      <attribute id="kinds" title="kinds" type="string"/>
      <attribute id="first_day" title="first_day" type="string"/>
      <attribute id="last_day" title="last_day" type="string"/>
      <attribute id="tone_sum" title="tone_sum" type="double"/>
    </attributes>
    <nodes>
"#;

/// One XML graph format: the text around its node and edge lists, and the line of a node and
/// of an edge (with the edge's number).
struct Layout {
    head: &'static str,
    between: &'static str,
    tail: &'static str,
    node: fn(&NodeView, &mut Vec<u8>) -> std::io::Result<()>,
    edge: fn(u64, &EdgeView, &mut Vec<u8>) -> std::io::Result<()>,
}

const GRAPHML: Layout = Layout {
    head: GRAPHML_HEAD,
    between: "",
    tail: "  </graph>\n</graphml>\n",
    node: |node, buf| {
        writeln!(
            buf,
            r#"    <node id="{}"><data key="label">{}</data><data key="kind">{}</data><data key="country">{}</data></node>"#,
            esc(node.id.as_str()),
            esc(&node.name),
            node.kind,
            country(node)
        )
    },
    edge: |i, edge, buf| {
        writeln!(
            buf,
            r#"    <edge id="e{i}" source="{}" target="{}"><data key="weight">{}</data><data key="kinds">{}</data><data key="first_day">{}</data><data key="last_day">{}</data><data key="tone_sum">{}</data></edge>"#,
            esc(edge.a.as_str()),
            esc(edge.b.as_str()),
            edge.weight,
            kinds(edge),
            day(edge.first_day),
            day(edge.last_day),
            edge.tone_sum
        )
    },
};

const GEXF: Layout = Layout {
    head: GEXF_HEAD,
    between: "    </nodes>\n    <edges>\n",
    tail: "    </edges>\n  </graph>\n</gexf>\n",
    node: |node, buf| {
        writeln!(
            buf,
            r#"      <node id="{}" label="{}"><attvalues><attvalue for="kind" value="{}"/><attvalue for="country" value="{}"/></attvalues></node>"#,
            esc(node.id.as_str()),
            esc(&node.name),
            node.kind,
            country(node)
        )
    },
    edge: |i, edge, buf| {
        writeln!(
            buf,
            r#"      <edge id="e{i}" source="{}" target="{}" weight="{}"><attvalues><attvalue for="kinds" value="{}"/><attvalue for="first_day" value="{}"/><attvalue for="last_day" value="{}"/><attvalue for="tone_sum" value="{}"/></attvalues></edge>"#,
            esc(edge.a.as_str()),
            esc(edge.b.as_str()),
            edge.weight,
            kinds(edge),
            day(edge.first_day),
            day(edge.last_day),
            edge.tone_sum
        )
    },
};

/// Writes GraphML; returns the number of nodes and edges written.
pub(crate) async fn graphml<S: ExportSink>(out: &mut Out<'_, S>) -> Result<u64, StoreError> {
    write(out, &GRAPHML).await
}

/// Writes GEXF 1.2; returns the number of nodes and edges written.
pub(crate) async fn gexf<S: ExportSink>(out: &mut Out<'_, S>) -> Result<u64, StoreError> {
    write(out, &GEXF).await
}

async fn write<S: ExportSink>(out: &mut Out<'_, S>, layout: &Layout) -> Result<u64, StoreError> {
    out.buf.extend_from_slice(layout.head.as_bytes());
    let mut n = out
        .each(|node: &NodeView, buf| (layout.node)(node, buf).map_err(io))
        .await?;
    out.buf.extend_from_slice(layout.between.as_bytes());
    let mut i = 0u64;
    n += out
        .each(|edge: &EdgeView, buf| {
            i += 1;
            (layout.edge)(i, edge, buf).map_err(io)
        })
        .await?;
    out.buf.extend_from_slice(layout.tail.as_bytes());
    Ok(n)
}

fn io(err: std::io::Error) -> StoreError {
    StoreError::Io(format!("writing the export: {err}"))
}

fn country(node: &NodeView) -> String {
    node.country.map(|c| c.to_string()).unwrap_or_default()
}

fn kinds(edge: &EdgeView) -> String {
    edge.counts
        .iter()
        .map(|(kind, n)| format!("{kind}:{n}"))
        .collect::<Vec<_>>()
        .join(";")
}

fn day(day: Option<chrono::NaiveDate>) -> String {
    day.map(|d| d.to_string()).unwrap_or_default()
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(esc("a&b<c>\"d'\u{1}e\n"), "a&amp;b&lt;c&gt;&quot;d&apos;e&#10;");
    }
}

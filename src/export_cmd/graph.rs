//! The entity graph as GraphML or GEXF 1.2: entities taking part in the matching events are
//! nodes (label, kind, country); each pair that shares events is one undirected edge with its
//! `weight` (events shared), counts by kind (`VISIT:2;MEET:1`), first and last day and
//! Goldstein tone sum. Nodes are written first, then edges, each page as it is read.

use std::io::Write;

use anyhow::Context;
use diplograph_graph::{EdgeView, ExportFilter, NodeView, Store};

use crate::export_cmd::first_page;

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

/// Writes GraphML; returns the number of nodes and edges written.
pub(crate) async fn graphml(
    store: &Store,
    filter: &ExportFilter,
    out: &mut impl Write,
) -> anyhow::Result<u64> {
    out.write_all(GRAPHML_HEAD.as_bytes())?;
    let mut n = each_node(store, filter, |node| {
        writeln!(
            out,
            r#"    <node id="{}"><data key="label">{}</data><data key="kind">{}</data><data key="country">{}</data></node>"#,
            esc(node.id.as_str()),
            esc(&node.name),
            node.kind,
            country(node)
        )
    })
    .await?;
    n += each_edge(store, filter, |i, edge| {
        writeln!(
            out,
            r#"    <edge id="e{i}" source="{}" target="{}"><data key="weight">{}</data><data key="kinds">{}</data><data key="first_day">{}</data><data key="last_day">{}</data><data key="tone_sum">{}</data></edge>"#,
            esc(edge.a.as_str()),
            esc(edge.b.as_str()),
            edge.weight,
            kinds(edge),
            day(edge.first_day),
            day(edge.last_day),
            edge.tone_sum
        )
    })
    .await?;
    out.write_all(b"  </graph>\n</graphml>\n")?;
    Ok(n)
}

/// Writes GEXF 1.2; returns the number of nodes and edges written.
pub(crate) async fn gexf(store: &Store, filter: &ExportFilter, out: &mut impl Write) -> anyhow::Result<u64> {
    out.write_all(GEXF_HEAD.as_bytes())?;
    let mut n = each_node(store, filter, |node| {
        writeln!(
            out,
            r#"      <node id="{}" label="{}"><attvalues><attvalue for="kind" value="{}"/><attvalue for="country" value="{}"/></attvalues></node>"#,
            esc(node.id.as_str()),
            esc(&node.name),
            node.kind,
            country(node)
        )
    })
    .await?;
    out.write_all(b"    </nodes>\n    <edges>\n")?;
    n += each_edge(store, filter, |i, edge| {
        writeln!(
            out,
            r#"      <edge id="e{i}" source="{}" target="{}" weight="{}"><attvalues><attvalue for="kinds" value="{}"/><attvalue for="first_day" value="{}"/><attvalue for="last_day" value="{}"/><attvalue for="tone_sum" value="{}"/></attvalues></edge>"#,
            esc(edge.a.as_str()),
            esc(edge.b.as_str()),
            edge.weight,
            kinds(edge),
            day(edge.first_day),
            day(edge.last_day),
            edge.tone_sum
        )
    })
    .await?;
    out.write_all(b"    </edges>\n  </graph>\n</gexf>\n")?;
    Ok(n)
}

async fn each_node(
    store: &Store,
    filter: &ExportFilter,
    mut write: impl FnMut(&NodeView) -> std::io::Result<()>,
) -> anyhow::Result<u64> {
    let mut page = first_page();
    let mut written = 0u64;
    loop {
        let nodes = store
            .export_nodes(filter, &page)
            .await
            .context("reading entities")?;
        for node in &nodes.items {
            write(node).context("writing the export")?;
            written += 1;
        }
        match nodes.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => return Ok(written),
        }
    }
}

async fn each_edge(
    store: &Store,
    filter: &ExportFilter,
    mut write: impl FnMut(u64, &EdgeView) -> std::io::Result<()>,
) -> anyhow::Result<u64> {
    let mut page = first_page();
    let mut written = 0u64;
    loop {
        let edges = store.export_edges(filter, &page).await.context("reading edges")?;
        for edge in &edges.items {
            write(written, edge).context("writing the export")?;
            written += 1;
        }
        match edges.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => return Ok(written),
        }
    }
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
fn esc(text: &str) -> String {
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

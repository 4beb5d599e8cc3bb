//! Graphviz DOT output.

use std::fmt::Write;

use super::super::machine::StateMachine;
use super::layout::{LinkStyle, NodeKind, Scope, layout};

/// The machine as a Graphviz `digraph` (top to bottom; branches and processors as clusters).
/// Deterministic: ids follow document order.
pub fn dot(machine: &StateMachine) -> String {
    let root = layout(machine);
    let mut out = String::from("digraph state_machine {\n");
    out.push_str("    rankdir=TB;\n");
    out.push_str("    node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\"];\n");
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=10];\n");
    write_scope(&root, 1, &mut out);
    out.push_str("}\n");
    out
}

fn write_scope(scope: &Scope, depth: usize, out: &mut String) {
    let pad = "    ".repeat(depth);
    let inner = match &scope.title {
        Some(title) => {
            let _ = writeln!(out, "{pad}subgraph cluster_{} {{", scope.id);
            let _ = writeln!(out, "{pad}    label={};", quote(title));
            let _ = writeln!(out, "{pad}    style=dashed;");
            "    ".repeat(depth + 1)
        }
        None => pad.clone(),
    };
    let (start_label, end_label) = if scope.title.is_none() {
        ("Start", "End")
    } else {
        ("start", "end")
    };
    let _ = writeln!(
        out,
        "{inner}{} [label={}, shape=oval, fillcolor=\"#333333\", fontcolor=white];",
        scope.start,
        quote(start_label)
    );
    for node in &scope.nodes {
        let attrs = match node.kind {
            NodeKind::Task => "",
            NodeKind::Pass => ", style=\"rounded,filled,dashed\"",
            NodeKind::Choice => ", shape=diamond, style=filled, fillcolor=\"#fff7e0\"",
            NodeKind::Wait => ", shape=parallelogram, style=filled",
            NodeKind::Succeed => ", shape=oval, fillcolor=\"#e6f7e6\"",
            NodeKind::Fail => ", shape=oval, fillcolor=\"#fde8e8\"",
            NodeKind::Parallel | NodeKind::Map => ", peripheries=2",
        };
        let _ = writeln!(
            out,
            "{inner}{} [label={}{attrs}];",
            node.id,
            quote(&node.name)
        );
    }
    if let Some(end) = &scope.end {
        let _ = writeln!(
            out,
            "{inner}{end} [label={}, shape=oval, fillcolor=\"#333333\", fontcolor=white];",
            quote(end_label)
        );
    }
    for child in &scope.children {
        write_scope(child, depth + usize::from(scope.title.is_some()), out);
    }
    for link in &scope.edges {
        let mut attrs = Vec::new();
        if let Some(label) = &link.label {
            attrs.push(format!("label={}", quote(label)));
        }
        match link.style {
            LinkStyle::Solid => {}
            LinkStyle::Dotted => attrs.push("style=dotted".to_owned()),
            LinkStyle::Dashed => attrs.push("style=dashed".to_owned()),
        }
        if attrs.is_empty() {
            let _ = writeln!(out, "{inner}{} -> {};", link.from, link.to);
        } else {
            let _ = writeln!(
                out,
                "{inner}{} -> {} [{}];",
                link.from,
                link.to,
                attrs.join(", ")
            );
        }
    }
    if scope.title.is_some() {
        let _ = writeln!(out, "{pad}}}");
    }
}

/// A DOT double-quoted string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

//! Mermaid `flowchart TD` output.

use std::fmt::Write;

use super::super::machine::StateMachine;
use super::layout::{LinkStyle, NodeKind, Scope, layout};

/// The machine as a Mermaid flowchart (top-down). Deterministic: ids follow document order.
pub fn mermaid(machine: &StateMachine) -> String {
    let root = layout(machine);
    let mut out = String::from("flowchart TD\n");
    write_scope(&root, 1, &mut out);
    out.push_str("    classDef marker fill:#333,stroke:#333,color:#fff\n");
    out.push_str("    classDef choice fill:#fff7e0,stroke:#c90\n");
    out.push_str("    classDef succeed fill:#e6f7e6,stroke:#393\n");
    out.push_str("    classDef fail fill:#fde8e8,stroke:#c33\n");
    let mut classes = Vec::new();
    collect_classes(&root, &mut classes);
    for (class, ids) in classes {
        if !ids.is_empty() {
            let _ = writeln!(out, "    class {} {class}", ids.join(","));
        }
    }
    out
}

fn write_scope(scope: &Scope, depth: usize, out: &mut String) {
    let pad = "    ".repeat(depth);
    let inner = match &scope.title {
        Some(title) => {
            let _ = writeln!(out, "{pad}subgraph {} [\"{}\"]", scope.id, escape(title));
            "    ".repeat(depth + 1)
        }
        None => pad.clone(),
    };
    let start_label = if scope.title.is_none() {
        "Start"
    } else {
        "start"
    };
    let _ = writeln!(out, "{inner}{}([\"{start_label}\"])", scope.start);
    for node in &scope.nodes {
        let label = escape(&node.name);
        let shape = match node.kind {
            NodeKind::Choice => format!("{{\"{label}\"}}"),
            NodeKind::Succeed | NodeKind::Fail => format!("([\"{label}\"])"),
            NodeKind::Pass => format!("(\"{label}\")"),
            NodeKind::Wait => format!("[/\"{label}\"/]"),
            NodeKind::Parallel | NodeKind::Map => format!("[[\"{label}\"]]"),
            NodeKind::Task => format!("[\"{label}\"]"),
        };
        let _ = writeln!(out, "{inner}{}{shape}", node.id);
    }
    if let Some(end) = &scope.end {
        let end_label = if scope.title.is_none() { "End" } else { "end" };
        let _ = writeln!(out, "{inner}{end}([\"{end_label}\"])");
    }
    for child in &scope.children {
        write_scope(child, depth + usize::from(scope.title.is_some()), out);
    }
    for link in &scope.edges {
        let arrow = match link.style {
            LinkStyle::Solid => "-->",
            LinkStyle::Dotted => "-.->",
            LinkStyle::Dashed => "==>",
        };
        match &link.label {
            Some(label) => {
                let _ = writeln!(
                    out,
                    "{inner}{} {arrow}|\"{}\"| {}",
                    link.from,
                    escape(label),
                    link.to
                );
            }
            None => {
                let _ = writeln!(out, "{inner}{} {arrow} {}", link.from, link.to);
            }
        }
    }
    if scope.title.is_some() {
        let _ = writeln!(out, "{pad}end");
    }
}

fn collect_classes(scope: &Scope, classes: &mut Vec<(&'static str, Vec<String>)>) {
    fn add(classes: &mut Vec<(&'static str, Vec<String>)>, class: &'static str, id: String) {
        match classes.iter_mut().find(|(c, _)| *c == class) {
            Some((_, ids)) => ids.push(id),
            None => classes.push((class, vec![id])),
        }
    }
    add(classes, "marker", scope.start.clone());
    if let Some(end) = &scope.end {
        add(classes, "marker", end.clone());
    }
    for node in &scope.nodes {
        match node.kind {
            NodeKind::Choice => add(classes, "choice", node.id.clone()),
            NodeKind::Succeed => add(classes, "succeed", node.id.clone()),
            NodeKind::Fail => add(classes, "fail", node.id.clone()),
            _ => {}
        }
    }
    for child in &scope.children {
        collect_classes(child, classes);
    }
}

/// Escapes text for a quoted Mermaid label (entity codes for the characters Mermaid would parse).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

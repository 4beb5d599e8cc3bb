//! The renderer-neutral diagram layout shared by Mermaid and DOT output.

use super::super::machine::StateMachine;
use super::super::state::{EdgeKind, State};
use super::super::states::States;
use super::condition::condition_text;

/// One diagram scope: the top level, a Parallel branch or a Map processor.
pub(super) struct Scope {
    /// Subgraph/cluster id (`g0` for the top level).
    pub id: String,
    /// Subgraph title; `None` for the top level.
    pub title: Option<String>,
    /// Id of the start marker.
    pub start: String,
    /// Id of the end marker, when some state has `"End": true`.
    pub end: Option<String>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Link>,
    pub children: Vec<Scope>,
}

pub(super) struct Node {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
}

/// The shape family of a node.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum NodeKind {
    Task,
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

pub(super) struct Link {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub style: LinkStyle,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LinkStyle {
    /// `Next`, Choice rules, `Default`, start/end markers.
    Solid,
    /// `Catch`.
    Dotted,
    /// Parallel/Map to the start of a branch/processor.
    Dashed,
}

/// Builds the layout of a whole machine.
pub(super) fn layout(machine: &StateMachine) -> Scope {
    let mut ids = Ids::default();
    build(&mut ids, None, &machine.start_at, &machine.states)
}

#[derive(Default)]
struct Ids {
    nodes: usize,
    scopes: usize,
}

fn build(ids: &mut Ids, title: Option<String>, start_at: &str, states: &States) -> Scope {
    let k = ids.scopes;
    ids.scopes += 1;
    // Ids of this scope's states first, so edges can refer to any of them.
    let node_ids: Vec<(String, String)> = states
        .names()
        .map(|name| {
            let id = format!("n{}", ids.nodes);
            ids.nodes += 1;
            (name.to_owned(), id)
        })
        .collect();
    let id_of = |name: &str| {
        node_ids
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.clone())
    };

    let start = format!("b{k}");
    let mut scope = Scope {
        id: format!("g{k}"),
        title,
        start: start.clone(),
        end: None,
        nodes: Vec::new(),
        edges: Vec::new(),
        children: Vec::new(),
    };
    if let Some(first) = id_of(start_at) {
        scope.edges.push(Link {
            from: start,
            to: first,
            label: None,
            style: LinkStyle::Solid,
        });
    }
    for ((name, id), (_, state)) in node_ids.iter().zip(states.iter()) {
        scope.nodes.push(Node {
            id: id.clone(),
            name: name.clone(),
            kind: kind(state),
        });
        for edge in state.edges() {
            let Some(to) = id_of(edge.target) else {
                continue;
            };
            let (label, style) = match edge.kind {
                EdgeKind::Next => (None, LinkStyle::Solid),
                EdgeKind::Rule(_, rule) => (Some(condition_text(rule)), LinkStyle::Solid),
                EdgeKind::Default => (Some("Default".to_owned()), LinkStyle::Solid),
                EdgeKind::Catch(_, catcher) => {
                    (Some(catcher.error_equals.join(", ")), LinkStyle::Dotted)
                }
            };
            scope.edges.push(Link {
                from: id.clone(),
                to,
                label,
                style,
            });
        }
        if state.end_field() == Some(true) {
            let end = scope.end.get_or_insert_with(|| format!("e{k}")).clone();
            scope.edges.push(Link {
                from: id.clone(),
                to: end,
                label: None,
                style: LinkStyle::Solid,
            });
        }
        for child in state.children() {
            let title = format!("{name} · {}", child.field);
            let sub = build(ids, Some(title), child.start_at, child.states);
            scope.edges.push(Link {
                from: id.clone(),
                to: sub.start.clone(),
                label: Some(child.field.to_string()),
                style: LinkStyle::Dashed,
            });
            scope.children.push(sub);
        }
    }
    scope
}

fn kind(state: &State) -> NodeKind {
    match state {
        State::Task(_) => NodeKind::Task,
        State::Pass(_) => NodeKind::Pass,
        State::Choice(_) => NodeKind::Choice,
        State::Wait(_) => NodeKind::Wait,
        State::Succeed(_) => NodeKind::Succeed,
        State::Fail(_) => NodeKind::Fail,
        State::Parallel(_) => NodeKind::Parallel,
        State::Map(_) => NodeKind::Map,
    }
}

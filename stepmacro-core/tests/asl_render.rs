//! Mermaid and DOT rendering: exact output for a small machine, structure and determinism for the
//! nested reference example.

use std::path::Path;

use stepmacro_core::asl::StateMachine;
use stepmacro_core::asl::render::{dot, mermaid};

fn fixture(name: &str) -> StateMachine {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    StateMachine::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const SMALL: &str = r#"{
  "StartAt": "Charge",
  "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:charge", "Next": "Ok?",
               "Catch": [{"ErrorEquals": ["Card.Declined", "Card.Expired"], "Next": "Declined"}]},
    "Ok?": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}], "Default": "Declined"},
    "Done": {"Type": "Pass", "End": true},
    "Declined": {"Type": "Fail", "Error": "Declined \"x\""}
  }
}"#;

#[test]
fn mermaid_small_machine_exact() {
    let machine = StateMachine::from_json(SMALL).unwrap();
    let expected = r##"flowchart TD
    b0(["Start"])
    n0["Charge"]
    n1{"Ok?"}
    n2("Done")
    n3(["Declined"])
    e0(["End"])
    b0 --> n0
    n0 --> n1
    n0 -.->|"Card.Declined, Card.Expired"| n3
    n1 -->|"$.ok == true"| n2
    n1 -->|"Default"| n3
    n2 --> e0
    classDef marker fill:#333,stroke:#333,color:#fff
    classDef choice fill:#fff7e0,stroke:#c90
    classDef succeed fill:#e6f7e6,stroke:#393
    classDef fail fill:#fde8e8,stroke:#c33
    class b0,e0 marker
    class n1 choice
    class n3 fail
"##;
    assert_eq!(mermaid(&machine), expected);
}

#[test]
fn dot_small_machine_exact() {
    let machine = StateMachine::from_json(SMALL).unwrap();
    let expected = r##"digraph state_machine {
    rankdir=TB;
    node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica"];
    edge [fontname="Helvetica", fontsize=10];
    b0 [label="Start", shape=oval, fillcolor="#333333", fontcolor=white];
    n0 [label="Charge"];
    n1 [label="Ok?", shape=diamond, style=filled, fillcolor="#fff7e0"];
    n2 [label="Done", style="rounded,filled,dashed"];
    n3 [label="Declined", shape=oval, fillcolor="#fde8e8"];
    e0 [label="End", shape=oval, fillcolor="#333333", fontcolor=white];
    b0 -> n0;
    n0 -> n1;
    n0 -> n3 [label="Card.Declined, Card.Expired", style=dotted];
    n1 -> n2 [label="$.ok == true"];
    n1 -> n3 [label="Default"];
    n2 -> e0;
}
"##;
    assert_eq!(dot(&machine), expected);
}

#[test]
fn nested_machines_become_subgraphs() {
    let machine = fixture("ref-11-3-map-parallel-catch.asl.json");
    let m = mermaid(&machine);
    // Map processor, and inside it the two Parallel branches, nested.
    let open_processor = m
        .find("subgraph g1 [\"Enrich · ItemProcessor\"]")
        .expect(&m);
    let open_branch0 = m.find("subgraph g2 [\"Lookups · Branches[0]\"]").expect(&m);
    let open_branch1 = m.find("subgraph g3 [\"Lookups · Branches[1]\"]").expect(&m);
    assert!(open_processor < open_branch0 && open_branch0 < open_branch1);
    assert_eq!(m.matches("subgraph ").count(), 3);
    assert_eq!(m.lines().filter(|l| l.trim() == "end").count(), 3);
    // Dashed edges into each child's start, catch edges labelled with the error names.
    assert!(m.contains("n0 ==>|\"ItemProcessor\"| b1"), "{m}");
    assert!(m.contains("n2 ==>|\"Branches[0]\"| b2"), "{m}");
    assert!(m.contains("n2 ==>|\"Branches[1]\"| b3"), "{m}");
    assert!(m.contains("n0 -.->|\"States.ALL\"| n1"), "{m}");
    assert!(m.contains("n2 -.->|\"States.ALL\"| n3"), "{m}");
    assert_eq!(m, mermaid(&machine), "deterministic");

    let d = dot(&machine);
    assert_eq!(d.matches("subgraph cluster_").count(), 3);
    assert!(d.contains("label=\"Lookups · Branches[1]\""), "{d}");
    assert!(
        d.contains("n0 -> n1 [label=\"States.ALL\", style=dotted];"),
        "{d}"
    );
    assert_eq!(d.matches('{').count(), d.matches('}').count());
    assert_eq!(d, dot(&machine), "deterministic");
}

#[test]
fn labels_are_escaped() {
    let machine = StateMachine::from_json(
        r#"{"StartAt": "say \"hi\" <b>|#", "States": {"say \"hi\" <b>|#": {"Type": "Succeed"}}}"#,
    )
    .unwrap();
    assert!(mermaid(&machine).contains("n0([\"say #quot;hi#quot; #lt;b#gt;#124;#35;\"])"));
    assert!(dot(&machine).contains("n0 [label=\"say \\\"hi\\\" <b>|#\""));
}

#[test]
fn jsonata_conditions_label_choice_edges() {
    let machine = fixture("ref-11-2-jsonata-variables.asl.json");
    let m = mermaid(&machine);
    assert!(m.contains("|\"$status = 'SUCCEEDED'\"|"), "{m}");
    assert!(m.contains("|\"Default\"|"), "{m}");
    // A back-edge (loop) is drawn like any other transition.
    let d = dot(&machine);
    assert!(d.contains("n3 -> n1;"), "{d}");
}

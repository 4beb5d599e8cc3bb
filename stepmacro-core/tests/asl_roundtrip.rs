//! Every known-good definition parses into the typed model and prints back to equal JSON, in a stable
//! byte form, with every `States` object in its original order.
//!
//! Sources: the fixtures in `tests/fixtures/` (always), and the asl-check samples in the team's shared
//! folder (`$CARGO_MANIFEST_DIR/../../shared/tools/asl-check/samples`), skipped when that folder does not
//! exist (a user's clone has no `../shared`).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserializer;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use stepmacro_core::asl::StateMachine;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn shared_samples_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/asl-check/samples");
    dir.is_dir().then_some(dir)
}

/// The valid definitions: repo fixtures plus (when present) every shared sample's definition.
fn valid_definitions() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(".asl.json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "the three asl-reference §11 examples");
    match shared_samples_dir() {
        Some(dir) => {
            let mut samples: Vec<PathBuf> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path().join("definition.asl.json"))
                .filter(|p| p.is_file())
                .collect();
            samples.sort();
            assert!(
                samples.len() >= 12,
                "expected the 12 asl-check samples, found {}",
                samples.len()
            );
            files.extend(samples);
        }
        None => eprintln!("note: ../shared not found; asl-check samples skipped"),
    }
    files
}

/// The key order of every `States` object in a JSON text, found by walking the text itself (so the
/// check does not depend on serde_json's `preserve_order`). Keyed by the enclosing path.
#[derive(Default)]
struct StatesOrder(Vec<Vec<String>>);

struct OrderVisitor<'a> {
    out: &'a mut StatesOrder,
    in_states: bool,
}

impl<'de> Visitor<'de> for OrderVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut names = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let is_states = !self.in_states && key == "States";
            if self.in_states {
                names.push(key.clone());
            }
            map.next_value_seed(Seed {
                out: &mut *self.out,
                in_states: is_states,
            })?;
        }
        if self.in_states {
            self.out.0.push(names);
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Seed {
                out: &mut *self.out,
                in_states: false,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

struct Seed<'a> {
    out: &'a mut StatesOrder,
    in_states: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(OrderVisitor {
            out: self.out,
            in_states: self.in_states,
        })
    }
}

fn states_order(text: &str) -> Vec<Vec<String>> {
    let mut out = StatesOrder::default();
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_any(OrderVisitor {
        out: &mut out,
        in_states: false,
    })
    .unwrap();
    out.0
}

#[test]
fn valid_definitions_round_trip() {
    for path in valid_definitions() {
        let name = path.display();
        let text = std::fs::read_to_string(&path).unwrap();
        let machine = StateMachine::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let printed = machine.to_json_pretty();

        let input: Value = serde_json::from_str(&text).unwrap();
        let output: Value = serde_json::from_str(&printed).unwrap();
        assert_eq!(
            input, output,
            "{name}: re-serialised JSON differs\n{printed}"
        );

        assert_eq!(
            states_order(&text),
            states_order(&printed),
            "{name}: States order changed"
        );

        assert_eq!(
            printed,
            machine.to_json_pretty(),
            "{name}: two prints differ"
        );
        let reparsed = StateMachine::from_json(&printed).unwrap();
        assert_eq!(reparsed, machine, "{name}: reparse gives a different model");
        assert_eq!(
            reparsed.to_json_pretty(),
            printed,
            "{name}: print is not a fixed point"
        );
        assert!(
            printed.ends_with("}\n") && printed.contains("\n  \"StartAt\""),
            "{name}: layout"
        );
    }
}

#[test]
fn states_order_is_document_order_not_sorted() {
    // Deliberately unsorted names, nested too.
    let text = r#"{"StartAt": "m", "States": {
        "m": {"Type": "Parallel", "Next": "b", "Branches": [
            {"StartAt": "z", "States": {"z": {"Type": "Pass", "Next": "y"}, "y": {"Type": "Succeed"}}}]},
        "b": {"Type": "Pass", "Next": "a"},
        "a": {"Type": "Succeed"}}}"#;
    let printed = StateMachine::from_json(text).unwrap().to_json_pretty();
    assert_eq!(
        states_order(&printed),
        vec![vec!["z", "y"], vec!["m", "b", "a"]]
    );
}

#[test]
fn walk_visits_every_state_depth_first() {
    let text = std::fs::read_to_string(fixtures_dir().join("ref-11-3-map-parallel-catch.asl.json"))
        .unwrap();
    let machine = StateMachine::from_json(&text).unwrap();
    let seen: Vec<String> = machine
        .walk()
        .map(|e| format!("{} :: {}", e.scope, e.name))
        .collect();
    assert_eq!(
        seen,
        [
            "top level :: Enrich",
            "Enrich.ItemProcessor :: Lookups",
            "Enrich.ItemProcessor > Lookups.Branches[0] :: Profile",
            "Enrich.ItemProcessor > Lookups.Branches[1] :: Orders",
            "Enrich.ItemProcessor :: MarkFailed",
            "top level :: MapFailed",
        ]
    );
    let stats = stepmacro_core::asl::stats(&machine);
    assert_eq!((stats.states, stats.scopes), (6, 4));
    assert_eq!(stats.definition_bytes, machine.to_json_pretty().len());
}

#[test]
fn exact_print_is_independent_of_serde_json_features() {
    // Payload keys deliberately unsorted and state fields out of conventional order; the expected
    // text holds whether or not serde_json's `preserve_order` is enabled in the build
    // (checked with `cargo test --features serde_json/preserve_order`).
    let text = r#"{"States": {"B": {"End": true, "Parameters": {"z.$": "$.z", "a": {"y": 1, "b": [{"d": 0, "c": 1}]}},
        "Resource": "arn:aws:states:::lambda:invoke", "Type": "Task",
        "Retry": [{"MaxAttempts": 2, "ErrorEquals": ["E"]}]}}, "StartAt": "B", "Comment": "c"}"#;
    let expected = r#"{
  "Comment": "c",
  "StartAt": "B",
  "States": {
    "B": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {
        "a": {
          "b": [
            {
              "c": 1,
              "d": 0
            }
          ],
          "y": 1
        },
        "z.$": "$.z"
      },
      "Retry": [
        {
          "ErrorEquals": [
            "E"
          ],
          "MaxAttempts": 2
        }
      ],
      "End": true
    }
  }
}
"#;
    assert_eq!(
        StateMachine::from_json(text).unwrap().to_json_pretty(),
        expected
    );
}

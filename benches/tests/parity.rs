//! The benchmark workloads are what they claim to be: the hand-written definition of workload (b)
//! is valid, has the promised shape, and its interpreted run gives exactly its native twin's
//! result (so the benchmark compares like with like).

use serde_json::Value;
use stepmacro::Workflow;
use stepmacro::asl::{State, StateMachine, validate_json};
use stepmacro::interpreter::Interpreter;
use stepmacro_bench::sequence_if_map::{DEFINITION, ITEMS, Output, SequenceIfMap, input};

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(f)
}

fn interpreter() -> Interpreter {
    let mut i = Interpreter::new(DEFINITION).unwrap();
    for t in SequenceIfMap::tasks() {
        i = i.task(t);
    }
    i
}

#[test]
fn definition_is_valid_with_the_promised_shape() {
    let errors: Vec<_> = validate_json(DEFINITION)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let machine = StateMachine::from_json(DEFINITION).unwrap();
    let (mut tasks, mut choices, mut maps) = (0, 0, 0);
    for (_, state) in machine.states.iter() {
        match state {
            State::Task(_) => tasks += 1,
            State::Choice(_) => choices += 1,
            State::Map(_) => maps += 1,
            _ => {}
        }
    }
    assert_eq!((tasks, choices, maps), (20, 1, 1));
}

#[test]
fn interpreted_equals_native() {
    let interpreted = block_on(interpreter().run(input()));
    assert_eq!(
        interpreted.status.as_str(),
        "SUCCEEDED",
        "{}",
        interpreted.trace()
    );
    let native = block_on(SequenceIfMap::run_native(input()));
    let output: Output = serde_json::from_value(native.clone().unwrap()).unwrap();
    assert_eq!(output.n, 20);
    assert_eq!(output.label, "many");
    assert_eq!(
        output.squares,
        (0..ITEMS).map(|x| x * x).collect::<Vec<_>>()
    );
    assert_eq!(interpreted.into_result(), native);
    // 20 sequential calls plus one per item.
    let calls = block_on(interpreter().run(input())).calls;
    assert_eq!(calls.len(), 20 + ITEMS as usize);
}

#[test]
fn the_if_takes_the_other_branch_on_both_sides() {
    // n starts at -15: 20 steps end at 5, so the `else` branch.
    let small: Value = serde_json::json!({"n": -15, "items": [3]});
    let interpreted = block_on(interpreter().run(small.clone())).into_result();
    let native = block_on(SequenceIfMap::run_native(small));
    assert_eq!(interpreted, native);
    assert_eq!(
        native.unwrap(),
        serde_json::json!({"n": 5, "label": "few", "squares": [9]})
    );
}

mod compiled {
    //! The same workload compiled by `workflow!`: the promised shape, and the same result
    //! interpreted, natively, and as the hand-written twin.

    use super::*;
    use stepmacro_bench::compiled::sequence_if_map_compiled as Compiled;

    fn interpreter() -> Interpreter {
        let mut i = Interpreter::new(Compiled::DEFINITION).unwrap();
        for t in Compiled::tasks() {
            i = i.task(t);
        }
        i
    }

    #[test]
    fn has_twenty_tasks_a_choice_and_a_map() {
        let machine = StateMachine::from_json(Compiled::DEFINITION).unwrap();
        let (mut tasks, mut choices, mut maps) = (0, 0, 0);
        for (_, state) in machine.states.iter() {
            match state {
                State::Task(_) => tasks += 1,
                State::Choice(_) => choices += 1,
                State::Map(_) => maps += 1,
                _ => {}
            }
        }
        assert_eq!((tasks, choices, maps), (20, 1, 1));
    }

    #[test]
    fn interpreted_equals_native_and_the_hand_written_twin() {
        for input in [input(), serde_json::json!({"n": -15, "items": [3]})] {
            let interpreted = block_on(interpreter().run(input.clone()));
            assert_eq!(
                interpreted.status.as_str(),
                "SUCCEEDED",
                "{}",
                interpreted.trace()
            );
            assert_eq!(
                interpreted.calls.len(),
                20 + input["items"].as_array().unwrap().len()
            );
            let native = block_on(Compiled::run_native(input.clone()));
            assert_eq!(interpreted.into_result(), native);
            assert_eq!(native, block_on(SequenceIfMap::run_native(input)));
        }
    }
}

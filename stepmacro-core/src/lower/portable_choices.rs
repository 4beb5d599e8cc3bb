//! Writes a Choice's default-branch `Assign` as a last, always-true rule when a rule shares the
//! Default's target.
//!
//! ASL applies a Choice's top-level `Assign` only when no rule matched. moto's and LocalStack's engines
//! (the independent interpreters we check against, and what users run locally) instead apply it
//! whenever the next state is the `Default`'s, even after a matching rule — exactly the shape
//! `let x = if c { a } else { b };` lowers to (both branches continue to the same state). Moving the
//! default's assignments into a final `{% true %}` rule means the same on AWS and behaves the same on
//! those engines; no state is added.

use crate::asl::{BoolOrExpr, ChoiceRule, State, States};

pub fn make_choices_portable(states: &mut States) {
    for (_, state) in states.iter_mut() {
        match state {
            State::Parallel(p) => p
                .branches
                .iter_mut()
                .for_each(|b| make_choices_portable(&mut b.states)),
            State::Map(m) => {
                if let Some(ip) = m.item_processor.as_mut() {
                    make_choices_portable(&mut ip.states);
                }
            }
            State::Choice(c) => {
                let Some(default) = c.default.clone() else {
                    continue;
                };
                let shared = c
                    .choices
                    .iter()
                    .any(|r| r.next.as_deref() == Some(default.as_str()));
                if c.assign.is_none() || !shared {
                    continue;
                }
                c.choices.push(ChoiceRule {
                    condition: Some(BoolOrExpr::Expression("{% true %}".to_owned())),
                    assign: c.assign.take(),
                    output: c.output.take(),
                    next: c.default.take(),
                    ..Default::default()
                });
            }
            _ => {}
        }
    }
}

//! Rule 3: state names are 1–80 characters and unique across the whole machine (all scopes).

use std::collections::HashMap;

use super::super::machine::StateMachine;
use super::{Ctx, Rule};

const MAX_NAME_CHARS: usize = 80;

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    let mut first_seen: HashMap<&str, String> = HashMap::new();
    for at in machine.walk() {
        let chars = at.name.chars().count();
        if chars == 0 {
            ctx.error(&at, Rule::StateNames, "state name is empty");
        } else if chars > MAX_NAME_CHARS {
            ctx.error(
                &at,
                Rule::StateNames,
                format!("state name has {chars} characters (at most {MAX_NAME_CHARS})"),
            );
        }
        match first_seen.get(at.name) {
            Some(scope) => ctx.error(
                &at,
                Rule::StateNames,
                format!(
                    "state name is already used in {scope}; names must be unique across all scopes"
                ),
            ),
            None => {
                let scope = if at.scope.is_root() {
                    "the top level".to_owned()
                } else {
                    at.scope.to_string()
                };
                first_seen.insert(at.name, scope);
            }
        }
    }
}

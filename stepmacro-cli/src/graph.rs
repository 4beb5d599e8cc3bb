//! `stepmacro graph DEF.json [--dot]`: the definition as a Mermaid flowchart or Graphviz DOT.

use stepmacro_core::asl::{StateMachine, render};

use crate::args::GraphArgs;
use crate::fail::{Code, Fail};
use crate::files::{read_text, shown};

pub fn graph(args: &GraphArgs) -> Result<Code, Fail> {
    let text = read_text(&args.definition)?;
    let machine = StateMachine::from_json(&text).map_err(|e| {
        Fail::invalid(format!(
            "{} is not a state machine: {}",
            shown(&args.definition),
            e
        ))
    })?;
    let out = if args.dot {
        render::dot(&machine)
    } else {
        render::mermaid(&machine)
    };
    print!("{out}");
    if !out.ends_with('\n') {
        println!();
    }
    Ok(Code::Ok)
}

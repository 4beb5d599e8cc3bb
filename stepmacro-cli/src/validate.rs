//! `stepmacro validate DEF.json...`: stepmacro's static validator (every rule of
//! asl-reference.md §10) on each file, in the shape of asl-check's `validate`: `PASS`/`FAIL` per
//! file with its findings, then a summary line.

use stepmacro_core::asl::{is_valid, validate_json};

use crate::args::ValidateArgs;
use crate::fail::{Code, Fail};
use crate::files::read_text;

pub fn validate(args: &ValidateArgs) -> Result<Code, Fail> {
    let (mut valid, mut invalid, mut unreadable) = (0usize, 0usize, 0usize);
    for path in &args.definitions {
        let text = match read_text(path) {
            Ok(t) => t,
            Err(fail) => {
                fail.report();
                unreadable += 1;
                continue;
            }
        };
        let diagnostics = validate_json(&text);
        let ok = is_valid(&diagnostics);
        println!("{} {}", if ok { "PASS" } else { "FAIL" }, path.display());
        for d in &diagnostics {
            println!("  {d}");
        }
        if ok {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    let mut summary = format!("validate: {valid} valid, {invalid} invalid");
    if unreadable > 0 {
        summary.push_str(&format!(", {unreadable} unreadable"));
    }
    println!("{summary}");
    Ok(if unreadable > 0 {
        Code::Invalid
    } else if invalid > 0 {
        Code::Failed
    } else {
        Code::Ok
    })
}

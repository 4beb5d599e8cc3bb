//! A per-state inventory of fields by kind, so the language, path, template and size rules share one
//! list of "which field holds what" instead of each matching on every state type.

use super::super::{Assign, ChoiceRule, Json, NumberOrExpr, State};

/// How a free-form JSON field is interpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PayloadKind {
    /// JSONPath-only payload template with `.$` keys (`Parameters`, `ResultSelector`, ...).
    Template,
    /// JSONPath-only literal (Pass `Result`).
    Literal,
    /// JSONata-only (`Arguments`, `Output`, `Items`, ...): `{% %}` strings anywhere inside.
    Jsonata,
    /// Both languages: a template in JSONPath, `{% %}` strings in JSONata (`ItemSelector`,
    /// `ItemBatcher.BatchInput`, `Credentials`).
    Dual,
}

/// A JSONPath path-valued field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathKind {
    /// `InputPath`, `OutputPath`: a Path (may be `null`).
    Path,
    /// `ResultPath` (state or catcher): a reference path into the input, no `$$`, no variable.
    ResultPath,
    /// Every other `…Path` field and `ItemsPath`: a reference path.
    Reference,
    /// Fail `ErrorPath`/`CausePath`: a reference path or a string-returning intrinsic.
    ReferenceOrIntrinsic,
}

/// A present path field: its label, its value (`None` for JSON `null`), its kind.
pub(crate) type PathField<'a> = (String, Option<&'a str>, PathKind);

/// Every free-form JSON field of a state (nested ones included), with its label and kind.
pub(crate) fn payloads(state: &State) -> Vec<(String, &Json, PayloadKind)> {
    let mut out: Vec<(String, &Json, PayloadKind)> = Vec::new();
    let o = &mut out;
    use PayloadKind::*;
    match state {
        State::Task(s) => {
            add(o, "Parameters", s.parameters.as_ref(), Template);
            add(o, "Arguments", s.arguments.as_ref(), Jsonata);
            add(o, "Credentials", s.credentials.as_ref(), Dual);
            add(o, "ResultSelector", s.result_selector.as_ref(), Template);
            add(o, "Output", s.output.as_ref(), Jsonata);
        }
        State::Pass(s) => {
            add(o, "Parameters", s.parameters.as_ref(), Template);
            add(o, "Result", s.result.as_ref(), Literal);
            add(o, "Output", s.output.as_ref(), Jsonata);
        }
        State::Choice(s) => {
            add(o, "Output", s.output.as_ref(), Jsonata);
        }
        State::Wait(s) => add(o, "Output", s.output.as_ref(), Jsonata),
        State::Succeed(s) => add(o, "Output", s.output.as_ref(), Jsonata),
        State::Fail(_) => {}
        State::Parallel(s) => {
            add(o, "Parameters", s.parameters.as_ref(), Template);
            add(o, "Arguments", s.arguments.as_ref(), Jsonata);
            add(o, "ResultSelector", s.result_selector.as_ref(), Template);
            add(o, "Output", s.output.as_ref(), Jsonata);
        }
        State::Map(s) => {
            add(o, "Items", s.items.as_ref(), Jsonata);
            add(o, "ItemSelector", s.item_selector.as_ref(), Dual);
            add(o, "Parameters", s.parameters.as_ref(), Template);
            if let Some(r) = &s.item_reader {
                add(o, "ItemReader.Parameters", r.parameters.as_ref(), Template);
                add(o, "ItemReader.Arguments", r.arguments.as_ref(), Jsonata);
            }
            if let Some(b) = &s.item_batcher {
                add(o, "ItemBatcher.BatchInput", b.batch_input.as_ref(), Dual);
            }
            if let Some(w) = &s.result_writer {
                add(
                    o,
                    "ResultWriter.Parameters",
                    w.parameters.as_ref(),
                    Template,
                );
                add(o, "ResultWriter.Arguments", w.arguments.as_ref(), Jsonata);
            }
            add(o, "ResultSelector", s.result_selector.as_ref(), Template);
            add(o, "Output", s.output.as_ref(), Jsonata);
        }
    }
    for (i, c) in state.catch().iter().enumerate() {
        if let Some(o) = &c.output {
            out.push((format!("Catch[{i}].Output"), o, Jsonata));
        }
    }
    if let State::Choice(s) = state {
        for (label, rule) in choice_rules(&s.choices) {
            if let Some(o) = &rule.output {
                out.push((format!("{label}.Output"), o, Jsonata));
            }
        }
    }
    out
}

/// Every `Assign` block of a state: top level, Catchers, Choice rules (nested ones included, so the
/// Choice rule check can reject them there).
pub(crate) fn assigns(state: &State) -> Vec<(String, &Assign)> {
    let mut out = Vec::new();
    if let Some(a) = state.assign() {
        out.push(("Assign".to_owned(), a));
    }
    for (i, c) in state.catch().iter().enumerate() {
        if let Some(a) = &c.assign {
            out.push((format!("Catch[{i}].Assign"), a));
        }
    }
    if let State::Choice(s) = state {
        for (label, rule) in choice_rules(&s.choices) {
            if let Some(a) = &rule.assign {
                out.push((format!("{label}.Assign"), a));
            }
        }
    }
    out
}

/// Every Choice rule with its label (`Choices[0]`, `Choices[0].And[1]`, `Choices[2].Not`), depth first.
pub(crate) fn choice_rules(rules: &[ChoiceRule]) -> Vec<(String, &ChoiceRule)> {
    fn visit<'a>(label: String, rule: &'a ChoiceRule, out: &mut Vec<(String, &'a ChoiceRule)>) {
        out.push((label.clone(), rule));
        for (name, list) in [("And", &rule.and), ("Or", &rule.or)] {
            for (i, r) in list.iter().flatten().enumerate() {
                visit(format!("{label}.{name}[{i}]"), r, out);
            }
        }
        if let Some(r) = &rule.not {
            visit(format!("{label}.Not"), r, out);
        }
    }
    let mut out = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        visit(format!("Choices[{i}]"), rule, &mut out);
    }
    out
}

/// Every present JSONPath path field of a state (all are JSONPath-only).
pub(crate) fn paths(state: &State) -> Vec<PathField<'_>> {
    let mut out: Vec<PathField<'_>> = Vec::new();
    let o = &mut out;
    use PathKind::*;
    match state {
        State::Task(s) => {
            nullable(o, "InputPath", &s.input_path, Path);
            nullable(o, "ResultPath", &s.result_path, ResultPath);
            nullable(o, "OutputPath", &s.output_path, Path);
        }
        State::Pass(s) => {
            nullable(o, "InputPath", &s.input_path, Path);
            nullable(o, "ResultPath", &s.result_path, ResultPath);
            nullable(o, "OutputPath", &s.output_path, Path);
        }
        State::Choice(s) => {
            nullable(o, "InputPath", &s.input_path, Path);
            nullable(o, "OutputPath", &s.output_path, Path);
        }
        State::Wait(s) => {
            nullable(o, "InputPath", &s.input_path, Path);
            nullable(o, "OutputPath", &s.output_path, Path);
        }
        State::Succeed(s) => {
            nullable(o, "InputPath", &s.input_path, Path);
            nullable(o, "OutputPath", &s.output_path, Path);
        }
        State::Fail(_) => {}
        State::Parallel(s) => {
            nullable(o, "InputPath", &s.input_path, Path);
            nullable(o, "ResultPath", &s.result_path, ResultPath);
            nullable(o, "OutputPath", &s.output_path, Path);
        }
        State::Map(s) => {
            nullable(o, "InputPath", &s.input_path, Path);
            nullable(o, "ResultPath", &s.result_path, ResultPath);
            nullable(o, "OutputPath", &s.output_path, Path);
        }
    }
    for (i, c) in state.catch().iter().enumerate() {
        if let Some(v) = &c.result_path {
            o.push((format!("Catch[{i}].ResultPath"), v.as_deref(), ResultPath));
        }
    }
    match state {
        State::Task(s) => {
            plain(o, "TimeoutSecondsPath", &s.timeout_seconds_path, Reference);
            plain(
                o,
                "HeartbeatSecondsPath",
                &s.heartbeat_seconds_path,
                Reference,
            );
        }
        State::Wait(s) => {
            plain(o, "SecondsPath", &s.seconds_path, Reference);
            plain(o, "TimestampPath", &s.timestamp_path, Reference);
        }
        State::Fail(s) => {
            plain(o, "ErrorPath", &s.error_path, ReferenceOrIntrinsic);
            plain(o, "CausePath", &s.cause_path, ReferenceOrIntrinsic);
        }
        State::Map(s) => {
            plain(o, "ItemsPath", &s.items_path, Reference);
            plain(o, "MaxConcurrencyPath", &s.max_concurrency_path, Reference);
            plain(
                o,
                "ToleratedFailurePercentagePath",
                &s.tolerated_failure_percentage_path,
                Reference,
            );
            plain(
                o,
                "ToleratedFailureCountPath",
                &s.tolerated_failure_count_path,
                Reference,
            );
            if let Some(c) = s
                .item_reader
                .as_ref()
                .and_then(|r| r.reader_config.as_ref())
            {
                plain(
                    o,
                    "ItemReader.ReaderConfig.MaxItemsPath",
                    &c.max_items_path,
                    Reference,
                );
            }
            if let Some(b) = &s.item_batcher {
                plain(
                    o,
                    "ItemBatcher.MaxItemsPerBatchPath",
                    &b.max_items_per_batch_path,
                    Reference,
                );
                plain(
                    o,
                    "ItemBatcher.MaxInputBytesPerBatchPath",
                    &b.max_input_bytes_per_batch_path,
                    Reference,
                );
            }
        }
        _ => {}
    }
    out
}

/// Every number-or-expression field of a state.
pub(crate) fn dynamic_numbers(state: &State) -> Vec<(&'static str, &NumberOrExpr)> {
    let mut out: Vec<(&'static str, &NumberOrExpr)> = Vec::new();
    match state {
        State::Task(s) => {
            out.extend(s.timeout_seconds.as_ref().map(|v| ("TimeoutSeconds", v)));
            out.extend(
                s.heartbeat_seconds
                    .as_ref()
                    .map(|v| ("HeartbeatSeconds", v)),
            );
        }
        State::Wait(s) => out.extend(s.seconds.as_ref().map(|v| ("Seconds", v))),
        State::Map(s) => {
            out.extend(s.max_concurrency.as_ref().map(|v| ("MaxConcurrency", v)));
            out.extend(
                s.tolerated_failure_percentage
                    .as_ref()
                    .map(|v| ("ToleratedFailurePercentage", v)),
            );
            out.extend(
                s.tolerated_failure_count
                    .as_ref()
                    .map(|v| ("ToleratedFailureCount", v)),
            );
            if let Some(c) = s
                .item_reader
                .as_ref()
                .and_then(|r| r.reader_config.as_ref())
            {
                out.extend(
                    c.max_items
                        .as_ref()
                        .map(|v| ("ItemReader.ReaderConfig.MaxItems", v)),
                );
            }
            if let Some(b) = &s.item_batcher {
                out.extend(
                    b.max_items_per_batch
                        .as_ref()
                        .map(|v| ("ItemBatcher.MaxItemsPerBatch", v)),
                );
                out.extend(
                    b.max_input_bytes_per_batch
                        .as_ref()
                        .map(|v| ("ItemBatcher.MaxInputBytesPerBatch", v)),
                );
            }
        }
        _ => {}
    }
    out
}

fn add<'a>(
    out: &mut Vec<(String, &'a Json, PayloadKind)>,
    label: &str,
    json: Option<&'a Json>,
    kind: PayloadKind,
) {
    if let Some(json) = json {
        out.push((label.to_owned(), json, kind));
    }
}

fn nullable<'a>(
    out: &mut Vec<PathField<'a>>,
    label: &str,
    v: &'a Option<Option<String>>,
    kind: PathKind,
) {
    if let Some(v) = v {
        out.push((label.to_owned(), v.as_deref(), kind));
    }
}

fn plain<'a>(out: &mut Vec<PathField<'a>>, label: &str, v: &'a Option<String>, kind: PathKind) {
    if let Some(v) = v {
        out.push((label.to_owned(), Some(v.as_str()), kind));
    }
}

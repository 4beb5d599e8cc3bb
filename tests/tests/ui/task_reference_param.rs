use stepmacro::prelude::*;

#[task]
async fn greet(name: &str, tags: Vec<&'static str>) -> String {
    format!("hello {name} {tags:?}")
}

fn main() {}

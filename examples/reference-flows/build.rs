fn main() {
    stepmacro_core::build::run();
}

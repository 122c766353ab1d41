//! Administrative use cases shared by the command line and the console at `/+admin`.

pub mod console_audit;
pub mod console_clients;
pub mod console_people;

//! Data that is not entered by users: the Simeng sample a newcomer starts from (`demo`, written
//! through the same use cases as the API) and the large generated data set the benchmark
//! measures against (`bench`, loaded in bulk). Neither is a use case, so neither lives in
//! `service`.

pub mod bench;
pub mod demo;

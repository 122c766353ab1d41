//! OpenID 2.0 provider endpoints: `/+openid`, discovery documents and the decision page.
pub mod checkid;
pub mod decision;
pub mod discovery;
pub mod endpoint;

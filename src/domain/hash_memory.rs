//! argon2id with caller-owned working memory: a thread that hashes keeps one buffer and reuses
//! it, instead of asking the allocator for tens of MiB per login (which the C allocator then
//! tends to keep, growing the process with every login).

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use subtle::ConstantTimeEq;

use super::password::{HashingParams, Password, PasswordError, PasswordHash};

/// Bytes of salt in new hashes.
const SALT_BYTES: usize = 16;
/// Bytes of output in new hashes.
const OUTPUT_BYTES: usize = 32;

/// argon2's working memory, grown to the largest cost seen and then reused.
#[derive(Debug, Default)]
pub struct HashMemory(Vec<Block>);

impl HashMemory {
    fn blocks(&mut self, count: usize) -> &mut [Block] {
        if self.0.len() < count {
            self.0.resize(count, Block::default());
        }
        &mut self.0[..count]
    }

    /// KiB held.
    pub fn kib(&self) -> usize {
        self.0.len()
    }
}

fn malformed<E>(_: E) -> PasswordError {
    PasswordError::MalformedHash
}

impl PasswordHash {
    /// `verify`, computing in `memory`. The hash's own algorithm, version and parameters are
    /// used; the outputs are compared in constant time.
    pub fn verify_in(
        &self,
        password: &Password,
        memory: &mut HashMemory,
    ) -> Result<bool, PasswordError> {
        let parsed = argon2::PasswordHash::new(self.as_str()).map_err(malformed)?;
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).map_err(malformed)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()
            .map_err(malformed)?
            .unwrap_or_default();
        let params = Params::try_from(&parsed).map_err(malformed)?;
        let salt = parsed.salt.ok_or(PasswordError::MalformedHash)?;
        let expected = parsed.hash.ok_or(PasswordError::MalformedHash)?;
        let argon = Argon2::new(algorithm, version, params);
        let blocks = memory.blocks(argon.params().block_count());
        let mut out = vec![0u8; expected.len()];
        argon
            .hash_password_into_with_memory(password.bytes(), &salt, &mut out, blocks)
            .map_err(malformed)?;
        Ok(bool::from(out.as_slice().ct_eq(expected.as_bytes())))
    }
}

impl HashingParams {
    /// `hash`, computing in `memory`.
    pub fn hash_in(
        &self,
        password: &Password,
        memory: &mut HashMemory,
    ) -> Result<PasswordHash, PasswordError> {
        let parameters = |e: argon2::Error| PasswordError::Parameters(e.to_string());
        let params = Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(OUTPUT_BYTES),
        )
        .map_err(parameters)?;
        let mut salt = [0u8; SALT_BYTES];
        getrandom::fill(&mut salt).map_err(|e| PasswordError::Parameters(e.to_string()))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let mut out = [0u8; OUTPUT_BYTES];
        argon
            .hash_password_into_with_memory(
                password.bytes(),
                &salt,
                &mut out,
                memory.blocks(params.block_count()),
            )
            .map_err(parameters)?;
        let phc = argon2::PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params)
                .map_err(|e| PasswordError::Parameters(e.to_string()))?,
            salt: Some(Salt::new(&salt).map_err(|e| PasswordError::Parameters(e.to_string()))?),
            hash: Some(Output::new(&out).map_err(|e| PasswordError::Parameters(e.to_string()))?),
        };
        Ok(PasswordHash::from_stored(phc.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::password::cheap;

    #[test]
    fn hashes_made_in_reused_memory_verify_both_ways() {
        let mut memory = HashMemory::default();
        let right = Password::parse("correct horse").unwrap();
        let wrong = Password::parse("wrong horse!").unwrap();
        let reused = cheap().hash_in(&right, &mut memory).unwrap();
        assert!(
            reused.verify(&right).unwrap(),
            "the library's verifier agrees"
        );
        assert!(reused.verify_in(&right, &mut memory).unwrap());
        assert!(!reused.verify_in(&wrong, &mut memory).unwrap());
        let plain = cheap().hash(&right).unwrap();
        assert!(plain.verify_in(&right, &mut memory).unwrap());
        assert!(!cheap().needs_upgrade(&reused));
        assert_eq!(memory.kib(), 64);
    }

    #[test]
    fn a_malformed_hash_is_an_error() {
        let mut memory = HashMemory::default();
        let hash = PasswordHash::from_stored("$argon2id$nope".to_owned());
        assert_eq!(
            hash.verify_in(&Password::parse("whatever it is").unwrap(), &mut memory),
            Err(PasswordError::MalformedHash)
        );
    }
}

// One oidc-provider instance for latchkey-bench: one confidential client, RS256, the
// client-credentials grant on, development interactions for the code flow.
// Usage: node server.mjs PORT
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'bench' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'bench',
    client_secret: 'bench-secret-bench-secret-bench-secret',
    redirect_uris: ['http://127.0.0.1:9/callback'],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [jwk] },
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: true },
  },
  pkce: { required: () => false },
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
  async findAccount(_ctx, sub) {
    return { accountId: sub, async claims() { return { sub, name: 'Bench Person', email: 'bench@example.org' }; } };
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => {
  console.log(`peer listening on http://127.0.0.1:${port}`);
});

// A real OpenID Connect provider (the npm package oidc-provider) holding the demo identities of identities.json.
// It stands in for the province's unified identity service (统一身份认证) in `make demo` and in the tests; it is
// never part of a deployment. Authorization code flow with PKCE (S256) only; ID tokens signed RS256 and carrying
// the verified ID-number claim (id_number, id_number_verified) beside name.
//
// Environment:
//   JINENG_IDP_PORT           port on 127.0.0.1 (default 8403); the issuer is http://127.0.0.1:PORT
//   JINENG_IDP_CLIENT_ID      the one client (default jineng)
//   JINENG_IDP_CLIENT_SECRET  its secret (default jineng-demo-secret)
//   JINENG_IDP_REDIRECT_URIS  comma-separated redirect URIs the client may use
//   JINENG_IDP_JWKS_FILE      a JSON key set with the private signing key(s); without it a key is made at start
//
// Prints "jineng-idp ready ISSUER" once it listens.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

const here = dirname(fileURLToPath(import.meta.url));
const demo = JSON.parse(readFileSync(join(here, 'identities.json'), 'utf8'));
const byLogin = new Map(demo.identities.map((i) => [i.login, i]));

const port = Number(process.env.JINENG_IDP_PORT || 8403);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.JINENG_IDP_CLIENT_ID || 'jineng';
const clientSecret = process.env.JINENG_IDP_CLIENT_SECRET || 'jineng-demo-secret';
const redirectUris = (process.env.JINENG_IDP_REDIRECT_URIS || 'http://127.0.0.1:8303/auth/oidc/callback')
  .split(',').map((u) => u.trim()).filter(Boolean);

function signingKeys() {
  if (process.env.JINENG_IDP_JWKS_FILE) {
    return JSON.parse(readFileSync(process.env.JINENG_IDP_JWKS_FILE, 'utf8'));
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: `demo-${Date.now()}`, use: 'sig', alg: 'RS256' }] };
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: signingKeys(),
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    profile: ['name'],
    id_card: ['id_number', 'id_number_verified'],
  },
  // The claims go into the ID token itself (the relying party verifies that token and reads nothing else).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // A first-party client: the user is not asked to consent to the scopes it asks for.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile id_card');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const who = byLogin.get(id);
    if (!who) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: who.name, id_number: who.id_number, id_number_verified: true };
      },
    };
  },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(uid, error, login) {
  return `<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>统一身份认证（演示）</title>
<style>body{font-family:sans-serif;max-width:22rem;margin:2rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0}
input,button{padding:.6rem;font-size:1rem;box-sizing:border-box}.err{color:#b00020}</style></head><body>
<h1>统一身份认证（演示）</h1><p>Unified identity (demo provider)</p>
${error ? `<p class="err" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">账号 Account</label><input id="login" name="login" autocomplete="username" value="${escape(login || '')}" required>
<label for="password">密码 Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录 Sign in</button></form></body></html>`;
}

async function body(req) {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 4096) throw new Error('body too large');
  }
  return new URLSearchParams(raw);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (details.prompt.name !== 'login') {
    // consent is granted by loadExistingGrant; any other prompt just finishes with what the session holds
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return;
  }
  if (req.method === 'GET' && !action) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page(uid));
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await body(req);
    const login = (form.get('login') || '').trim();
    if (!byLogin.has(login) || form.get('password') !== demo.password) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page(uid, '账号或密码不正确。 Wrong account or password.', login));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(405).end();
}

const handle = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login))?\/?(?:\?.*)?$/.exec(req.url);
  if (!match) {
    handle(req, res);
    return;
  }
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (err) {
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`无法继续登录：${err.message}`);
  }
});
server.listen(port, '127.0.0.1', () => {
  console.log(`jineng-idp ready ${issuer}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));

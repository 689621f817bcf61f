import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** A user the API server authenticates by static bearer token (`--token-auth-file`). */
export interface TokenUser {
  name: string;
  groups: readonly string[];
}

/** A {@link TokenUser} with the token issued to it. */
export interface IssuedToken extends TokenUser {
  token: string;
}

/** The admin every control plane has: a member of `system:masters`, which RBAC lets do anything. */
export const ADMIN_USER: TokenUser = { name: 'admin', groups: ['system:masters'] };

/** Issues a random 192-bit token for each user. */
export function issueTokens(users: readonly TokenUser[]): IssuedToken[] {
  return users.map((user) => ({ ...user, token: randomBytes(24).toString('hex') }));
}

function csvField(value: string): string {
  return /[",\s]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The `--token-auth-file` CSV: `token,user,uid[,"group1,group2"]` per line. The groups column is
 * split on commas by the server (`tokenfile.go`), so it is quoted as one CSV field.
 */
export function tokenAuthFileContent(tokens: readonly IssuedToken[]): string {
  return tokens
    .map((t) => {
      const fields = [t.token, t.name, `${t.name}-uid`];
      if (t.groups.length > 0) fields.push(t.groups.join(','));
      return fields.map(csvField).join(',');
    })
    .join('\n')
    .concat('\n');
}

/**
 * An RSA private key in PKCS#8 PEM. kube-apiserver accepts one file for both
 * `--service-account-key-file` (verification) and `--service-account-signing-key-file`.
 */
export function serviceAccountKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return privateKey;
}

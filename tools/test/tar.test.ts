// The image layers' tar writer, read back by GNU tar (an independent reader): long paths and link
// targets go through PAX headers, modes, owners and the mtime are the ones asked for, and the
// same entries give the same bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tar, type TarEntry } from '../image/tar.ts';

const dir = mkdtempSync(join(tmpdir(), 'l4gw-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deep = `app/${'node_modules/.pnpm/some-package@1.0.0/'.repeat(8)}index.js`;
const entries: TarEntry[] = [
  { type: 'directory', path: 'app', mode: 0o755 },
  { type: 'file', path: 'app/run', mode: 0o755, data: Buffer.from('#!\n') },
  { type: 'file', path: deep, mode: 0o644, data: Buffer.from('x'.repeat(1000)) },
  { type: 'symlink', path: 'app/short', target: 'run' },
  { type: 'symlink', path: 'app/long', target: `../${deep}` },
  { type: 'directory', path: 'tmp', mode: 0o1777 },
];
const MTIME = 1_700_000_000;

describe('tar writer', () => {
  it('should be read back by GNU tar with paths, link targets, modes, owners and mtime as written', () => {
    expect(deep.length).toBeGreaterThan(255); // beyond ustar's prefix + name
    const archive = join(dir, 'out.tar');
    writeFileSync(archive, tar(entries, { mtime: MTIME, owner: (entry) => (entry.path === 'app/run' ? { uid: 65532, gid: 65532 } : { uid: 0, gid: 0 }) }));
    const listing = execFileSync('tar', ['--numeric-owner', '-tvf', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.map((line) => line.split(/\s+/).slice(5).join(' '))).toEqual(['app/', 'app/run', deep, 'app/short -> run', `app/long -> ../${deep}`, 'tmp/']);
    expect(listing[1]).toMatch(/^-rwxr-xr-x 65532\/65532 /);
    expect(listing[5]).toMatch(/^drwxrwxrwt 0\/0 /);

    const out = join(dir, 'x');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xf', archive, '-C', out]);
    expect(readFileSync(join(out, deep), 'utf8')).toBe('x'.repeat(1000));
    expect(readlinkSync(join(out, 'app', 'long'))).toBe(`../${deep}`);
    expect(statSync(join(out, 'app', 'run')).mtimeMs).toBe(MTIME * 1000);
  });

  it('should give the same bytes for the same entries', () => {
    expect(tar(entries, { mtime: MTIME }).equals(tar(entries, { mtime: MTIME }))).toBe(true);
    expect(tar(entries, { mtime: MTIME }).equals(tar(entries, { mtime: MTIME + 1 }))).toBe(false);
  });
});

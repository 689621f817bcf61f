// A deterministic tar writer for image layers: POSIX ustar headers, with a PAX extended header
// for a path or link target that ustar cannot hold. Entries are written in the order given (the
// caller sorts), with the caller's mtime, owner and mode; nothing comes from the build machine.

export type TarEntry =
  | { readonly type: 'file'; readonly path: string; readonly mode: number; readonly data: Buffer }
  | { readonly type: 'directory'; readonly path: string; readonly mode: number }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string };

export interface TarOwner {
  readonly uid: number;
  readonly gid: number;
}

export interface TarOptions {
  /** Seconds since the epoch written as every entry's mtime (SOURCE_DATE_EPOCH). */
  readonly mtime: number;
  /** Owner of an entry; root by default. */
  readonly owner?: (entry: TarEntry) => TarOwner;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** The 512-byte ustar header; `name`/`prefix` already fit. */
function header(fields: { name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; typeflag: string; linkname: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, 100, 'utf8');
  block.write(octal(fields.mode & 0o7777, 8), 100, 'ascii');
  block.write(octal(fields.uid, 8), 108, 'ascii');
  block.write(octal(fields.gid, 8), 116, 'ascii');
  block.write(octal(fields.size, 12), 124, 'ascii');
  block.write(octal(fields.mtime, 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii'); // checksum field counts as spaces while summing
  block.write(fields.typeflag, 156, 'ascii');
  block.write(fields.linkname, 157, 100, 'utf8');
  block.write('ustar\0' + '00', 257, 'ascii');
  block.write(fields.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 'ascii');
  return block;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Splits a path into ustar's prefix and name, or undefined when it does not fit. */
function split(path: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const prefix = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { prefix, name };
  }
  return undefined;
}

/** One PAX record: "<length> <key>=<value>\n", where length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

/** The tar stream of `entries`, in order, ending with the two zero blocks. */
export function tar(entries: readonly TarEntry[], options: TarOptions): Buffer {
  const chunks: Buffer[] = [];
  for (const entry of entries) {
    const owner = options.owner?.(entry) ?? { uid: 0, gid: 0 };
    const path = entry.type === 'directory' ? `${entry.path.replace(/\/$/, '')}/` : entry.path;
    const target = entry.type === 'symlink' ? entry.target : '';
    let parts = split(path);
    const pax: string[] = [];
    if (parts === undefined) {
      pax.push(paxRecord('path', path));
      parts = { prefix: '', name: path.slice(0, 100) };
    }
    if (Buffer.byteLength(target) > 100) pax.push(paxRecord('linkpath', target));
    if (pax.length > 0) {
      const data = Buffer.from(pax.join(''), 'utf8');
      chunks.push(header({ name: 'PaxHeader', prefix: '', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: options.mtime, typeflag: 'x', linkname: '' }), data, padding(data.length));
    }
    const size = entry.type === 'file' ? entry.data.length : 0;
    const mode = entry.type === 'symlink' ? 0o777 : entry.mode;
    const typeflag = { file: '0', directory: '5', symlink: '2' }[entry.type];
    chunks.push(header({ ...parts, mode, uid: owner.uid, gid: owner.gid, size, mtime: options.mtime, typeflag, linkname: target.slice(0, 100) }));
    if (entry.type === 'file') chunks.push(entry.data, padding(size));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}

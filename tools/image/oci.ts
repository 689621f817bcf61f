// A writer of the OCI image layout (image-spec v1.1: oci-layout, index.json, blobs/sha256/…) as
// one tar archive, for a multi-platform image whose layers the caller has already made. Every
// JSON document is built with a fixed key order, every layer gzipped at a fixed level and every
// archive entry has a fixed mtime, so the same layers give the same digests.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tar, type TarEntry } from './tar.ts';

export const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: { readonly architecture: string; readonly os: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageConfig {
  readonly user: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: readonly string[];
  readonly workingDir: string;
  readonly exposedPorts: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface PlatformImage {
  readonly architecture: string;
  /** Uncompressed layer tars, lowest first. */
  readonly layers: readonly Buffer[];
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Collects blobs by digest (a layer shared by two platforms is stored once). */
class Blobs {
  readonly byDigest = new Map<string, Buffer>();
  add(mediaType: string, data: Buffer, extra: Partial<Pick<Descriptor, 'platform' | 'annotations'>> = {}): Descriptor {
    const digest = sha256(data);
    this.byDigest.set(digest, data);
    return { mediaType, digest, size: data.length, ...extra };
  }
  json(mediaType: string, value: unknown, extra: Partial<Pick<Descriptor, 'platform' | 'annotations'>> = {}): Descriptor {
    return this.add(mediaType, Buffer.from(JSON.stringify(value)), extra);
  }
}

export interface Layout {
  /** The OCI layout as a tar archive. */
  readonly archive: Buffer;
  /** The image index that index.json points at: the digest a registry serves for the tag. */
  readonly index: Descriptor;
  readonly manifests: readonly Descriptor[];
}

/**
 * The layout of a multi-platform image: for each platform a config and a manifest, one image
 * index over them, and index.json naming that index `refName`. `created` is an RFC 3339 time.
 */
export function writeLayout(platforms: readonly PlatformImage[], config: ImageConfig, refName: string, created: string, mtime: number): Layout {
  const blobs = new Blobs();
  const gzipped = new Map<Buffer, Buffer>();
  const manifests = platforms.map((platform) => {
    const layers = platform.layers.map((layer) => {
      const compressed = gzipped.get(layer) ?? gzipSync(layer, { level: 9 });
      gzipped.set(layer, compressed);
      return { descriptor: blobs.add(MEDIA_TYPES.layer, compressed), diffId: sha256(layer) };
    });
    const configDescriptor = blobs.json(MEDIA_TYPES.config, {
      created,
      architecture: platform.architecture,
      os: 'linux',
      config: {
        User: config.user,
        ExposedPorts: Object.fromEntries(config.exposedPorts.map((port) => [port, {}])),
        Env: config.env,
        Entrypoint: config.entrypoint,
        Cmd: config.cmd,
        WorkingDir: config.workingDir,
        Labels: config.labels,
      },
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
      history: layers.map(() => ({ created, created_by: 'pnpm image (tools/image/build.ts)' })),
    });
    return blobs.json(
      MEDIA_TYPES.manifest,
      { schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config: configDescriptor, layers: layers.map((layer) => layer.descriptor), annotations: config.labels },
      { platform: { architecture: platform.architecture, os: 'linux' } },
    );
  });
  const index = blobs.json(MEDIA_TYPES.index, { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests, annotations: config.labels }, { annotations: { 'org.opencontainers.image.ref.name': refName } });
  const entries: TarEntry[] = [
    { type: 'directory', path: 'blobs', mode: 0o755 },
    { type: 'directory', path: 'blobs/sha256', mode: 0o755 },
    ...[...blobs.byDigest.keys()].sort().map((digest): TarEntry => ({ type: 'file', path: `blobs/sha256/${digest.slice('sha256:'.length)}`, mode: 0o644, data: blobs.byDigest.get(digest)! })),
    { type: 'file', path: 'index.json', mode: 0o644, data: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [index] })) },
    { type: 'file', path: 'oci-layout', mode: 0o644, data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
  ];
  return { archive: tar(entries, { mtime }), index, manifests };
}

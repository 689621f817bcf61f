import { command } from './ip.js';

/**
 * What the test bed needs from the machine and does not have: root (network namespaces, veths,
 * nftables), iproute2's `ip`, and `nft` (kube-proxy's nftables mode runs it). An empty list means
 * ready. The suite fails with these reasons rather than skipping. Programs are looked up on `env.PATH`.
 */
export async function missingPrerequisites(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const missing: string[] = [];
  const uid = process.getuid?.();
  if (process.platform !== 'linux') missing.push(`Linux (this is ${process.platform})`);
  if (uid !== 0) missing.push(`root (running as uid ${uid ?? 'unknown'}; network namespaces need it)`);
  const has = async (file: string, args: string[]): Promise<boolean> =>
    command(file, args, env).then(
      () => true,
      () => false,
    );
  if (!(await has('ip', ['-V']))) missing.push("iproute2's ip (Debian: apt-get install iproute2)");
  if (!(await has('nft', ['--version']))) missing.push('nft, which kube-proxy runs in nftables mode (Debian: apt-get install nftables)');
  return missing;
}

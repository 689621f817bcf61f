import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of an agent script (src/agents/<name>.ts). Agents run as source in other namespaces
 * under Node's type stripping; this resolves the same file from src/ and from dist/.
 */
export function agentScript(name: 'backend-server' | 'client-agent'): string {
  return realpathSync(fileURLToPath(new URL(`../src/agents/${name}.ts`, import.meta.url)));
}

/** The command line that runs `node <script> <args…>` inside network namespace `namespace`. */
export function inNamespace(namespace: string, script: string, args: readonly string[]): string[] {
  return ['netns', 'exec', namespace, process.execPath, script, ...args];
}

// `pnpm gen:deploy`: regenerates the chart's RBAC rules from the adapter, then the kustomize base
// examples/deploy from the chart. kustomization.yaml, README.md and the example IPAM ConfigMap
// are hand-written and left alone.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOY, kustomizeBase } from './render.ts';
import { RBAC_RULES_FILE, rbacRulesFile } from './rbac-rules.ts';

writeFileSync(RBAC_RULES_FILE, rbacRulesFile());
for (const [file, content] of kustomizeBase()) {
  writeFileSync(join(DEPLOY, file), content);
  console.log(`wrote examples/deploy/${file}`);
}

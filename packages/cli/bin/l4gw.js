#!/usr/bin/env node
// The installed binary (`l4gw`, `gateway-api-controller`). A committed shim, so that pnpm can
// link the bin on `pnpm install` before `pnpm build` has produced dist/main.js.
import '../dist/main.js';

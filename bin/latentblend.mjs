#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx so that one code base serves
// the CLI, the web host and the tests without a separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/hosts/cli/main.ts');

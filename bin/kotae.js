#!/usr/bin/env node
// Runs the TypeScript CLI in this process (tsx's loader, no second node process), so
// `npx kotae` works from a clone without a build step and starts as fast as it can.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
runCli();

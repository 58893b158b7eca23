#!/usr/bin/env node
// The published command: registers tsx so the TypeScript sources run as they are, then starts.
import { register } from 'tsx/esm/api';

register();
await import('../server/main.ts');

#!/usr/bin/env -S node --max-semi-space-size=64
// The published command: registers tsx so the TypeScript sources run as they are, then starts.
//
// The node flag above lets V8's young generation grow to 64 MB semi-spaces (16 MB by default).
// A join storm allocates every phone's socket, streams and state at once; with the bigger
// young generation V8 runs far fewer scavenges over them, and a join costs about 10 % less
// CPU (docs/performance.md, "What makes a join cheap"). The young generation shrinks again
// when the server goes idle. `npm start` and `npm run bench` start node with the same flags
// (test/launch.test.ts keeps them equal); `env -S` is understood by Linux, macOS and npm's
// Windows shims.
import { register } from 'tsx/esm/api';

register();
await import('../server/main.ts');

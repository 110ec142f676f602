#!/usr/bin/env -S node --max-semi-space-size=8
// The flag above is the CLI's memory setting, and the benchmark runs its imports with it
// (tooling/bench reads this line). Node 24 sizes the young generation from the machine's memory;
// on a large machine, loading the modules alone (drizzle-orm's 180 KB package.json is read again
// for every module it resolves) made about 300 MB of garbage before the first scavenge. With
// 8 MB semi-spaces that peak is near 200 MB (docs/performance.md).
import { enableCompileCache } from "node:module"

// Compiled code is cached between runs, so that a command starts quickly on the next call.
enableCompileCache()
await import("./main.ts")

#!/usr/bin/env -S node --max-semi-space-size=8 --max-old-space-size=1024
// The flags above are the CLI's memory settings, and the benchmark runs its imports with them
// (tooling/bench reads this line). Node 24 sizes its heap from the machine's memory, and V8 then
// lets garbage pile up in proportion. On a 24 GB machine, loading the modules alone (drizzle-orm's
// 180 KB package.json is read again for every module it resolves) made about 300 MB of garbage
// before the first scavenge: 8 MB semi-spaces keep that near 200 MB. During an import the old
// generation swung between 40 and 175 MB used for about 60 MB live; with a 1 GB limit (four times
// smaller than Node's default here) V8 collects sooner and it stays under 95 MB. An import holds
// one chunk, so 1 GB is far from its need (docs/performance.md, "Heap limit").
import { enableCompileCache } from "node:module"

// Compiled code is cached between runs, so that a command starts quickly on the next call.
enableCompileCache()
await import("./main.ts")

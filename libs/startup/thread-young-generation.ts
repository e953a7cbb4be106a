import { setFlagsFromString } from 'node:v8';

/**
 * Lets each worker thread size its young generation from its own `resourceLimits`. V8 applies a
 * process-wide `--max-semi-space-size` to every isolate it creates, over what a Worker asks for:
 * with the main thread's 16 MB semi-spaces, the provider simulator's and the embedded database's
 * threads held 32 MB of new space each, whatever their limits said (docs/decisions/0083). The main
 * thread's heap is configured when the process starts and keeps its size.
 */
export function threadsSizeTheirOwnYoungGeneration(): void {
  setFlagsFromString('--max-semi-space-size=0');
}

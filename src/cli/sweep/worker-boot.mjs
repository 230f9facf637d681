// Entry of each sweep worker thread. Node 20 does not carry tsx's loader
// (registered by `tsx` or `--import tsx` in the main thread) into worker
// threads, so the worker registers it before importing the TypeScript.
import { register } from 'tsx/esm/api';

register();
const { default: run } = await import('./worker.ts');
export default run;

/**
 * scenario/ — scenario files: YAML loading, zod validation, defaults from
 * config/defaults.yml, and translation into world and system settings.
 * - schema.ts: the format. load.ts: read, merge, validate, locate errors.
 * - validate.ts: names and topology checks. resolve.ts: to TopologySpec, ClusterConfig, PipelineOptions.
 */
export * from './errors.js';
export * from './schema.js';
export * from './expectations.js';
export * from './stop-when.js';
export * from './load.js';
export * from './merge.js';
export * from './validate.js';
export * from './resolve.js';

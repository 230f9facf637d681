/**
 * compare/ — comparing two runs' outputs (npm run compare): CSVs row by row
 * with a numeric tolerance, summary metrics side by side. Pure: file texts in,
 * report out.
 */
export * from './csv-diff.js';
export * from './compare.js';
export * from './format.js';

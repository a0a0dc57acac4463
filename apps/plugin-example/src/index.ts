export { TouchCounter } from './touchCounter.js';
export { touchCount } from './touchCountPlugin.js';
export type { AsyncTouchCountApi, TouchCountApi, TouchCountOptions } from './touchCountPlugin.types.js';

/**
 * Retries a check until it stops throwing, for effects that happen on the gateway's own
 * schedule (health checks, re-resolution, an ejection running out): the suite's one
 * helper for it, under the name these tests use.
 */
export { eventuallyPasses as eventually } from '@surge/testing';

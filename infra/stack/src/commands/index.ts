/** `@surge/stack/commands`: the stack CLI's commands that tests drive in-process. */
export { dlq } from './dlq';
export type { DlqOptions } from './dlq';

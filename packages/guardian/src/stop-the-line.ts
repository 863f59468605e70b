// The guardian's stop-the-line reading lives with the orchestration every entry shares
// (packages/deploy/src/stop-the-line.ts); kept here so `stopTheLine` stays importable from the guardian.
export { stopTheLine, type StopTheLineVerdict } from '../../deploy/src/stop-the-line.js';

export { TestStepWorker, type SeenRequest, type Reply } from './test-step-worker';

export { kafkaBrokers, databaseUrl, uniqueName } from './env';
export { freshDatabase, type FreshDatabase } from './fresh-database';
export { collect, eventually, type Collected } from './kafka';
export { ServiceProcess } from './service-process';
export { freePort } from './free-port';
export { sleep, gate } from './timing';
export { loseTimers } from './lose-timers';
export { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
export { bootFailure } from './boot-failure';

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { telemetryEnabled } from './telemetry';

describe('telemetryEnabled', () => {
  it('is off with no OTEL_* variable, and on with an OTLP endpoint or an explicit exporter', () => {
    assert.equal(telemetryEnabled({}), false);
    assert.equal(telemetryEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), true);
    assert.equal(telemetryEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }), true);
    assert.equal(telemetryEnabled({ OTEL_TRACES_EXPORTER: 'console' }), true);
  });

  it('stays off when OTEL_SDK_DISABLED is true or the traces exporter is none, whatever the endpoint', () => {
    assert.equal(telemetryEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'TRUE' }), false);
    assert.equal(telemetryEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }), false);
    assert.equal(telemetryEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }), false);
  });
});

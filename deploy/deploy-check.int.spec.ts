import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';
import { createMetricsRegistry } from '@baton/observability';
import { StepMetrics } from '../libs/step-sdk/src/worker/step-metrics';
import { OrchestratorMetrics } from '../services/orchestrator/src/metrics/orchestrator-metrics';
import { httpMetrics } from '../services/gateway/src/http/http-metrics';

/*
 * The deployment files, checked: the Grafana dashboard covers every baton_* series the code
 * registers, the alert rules pass `promtool check rules` and name a step type or workflow and a
 * first thing to check, the Helm chart renders (helm lint, helm template) to manifests kubeconform
 * accepts, and deploy/compose.yaml matches the Compose specification's schema. The tools come from
 * tools/deploy-tools.sh (.ci/run runs it); a check whose tool is missing is skipped, saying so.
 */
const root = resolve(__dirname, '..');
const bin = process.env.BATON_TOOLS_BIN ?? join(root, '.baton/bin');
const tool = (name: string) => (existsSync(join(bin, name)) ? join(bin, name) : null);
const missing = (what: string) => `${what} is not installed in ${bin}: run bash tools/deploy-tools.sh`;
const run = (cmd: string, args: string[], input?: string) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}), maxBuffer: 64 * 1024 * 1024 });

/** Every baton_* metric name the services register: a registry holding each service's metrics, plus every name written in the sources. */
function registeredMetrics(): Set<string> {
  const registry = createMetricsRegistry('check');
  new OrchestratorMetrics(registry, { stalls: () => [], outboxBacklog: async () => 0, timersDue: async () => 0, openTasksByQueue: async () => ({}) });
  new StepMetrics(registry);
  httpMetrics(registry);
  const names = new Set(registry.getMetricsAsArray().map((m) => m.name));
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) { if (!['node_modules', 'generated'].includes(e.name)) walk(join(dir, e.name)); continue; }
      if (!e.name.endsWith('.ts') || e.name.endsWith('.spec.ts')) continue;
      for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(/(?:name: |scrapedGauge\(\w+, )'(baton_[a-z0-9_]+)'/g)) names.add(m[1]!);
    }
  };
  for (const d of ['libs', 'services']) walk(join(root, d));
  return names;
}

/** baton_* series named in a PromQL text, histogram suffixes taken off. */
function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/\bbaton_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
}

describe('deployment files', () => {
  const metrics = registeredMetrics();
  const known = (name: string) => metrics.has(name) || metrics.has(`${name}_bucket`);

  it('the Grafana dashboard shows every baton_* metric the code registers, and names no other', () => {
    const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/baton-dashboard.json'), 'utf8'));
    const panels = (dashboard.panels as { type: string; id: number; targets?: { expr: string }[] }[]).filter((p) => p.type !== 'row');
    assert.equal(new Set(dashboard.panels.map((p: { id: number }) => p.id)).size, dashboard.panels.length, 'panel ids are unique');
    const shown = new Set(panels.flatMap((p) => (p.targets ?? []).flatMap((t) => seriesIn(t.expr))));
    for (const v of dashboard.templating.list as { query?: string | { query: string } }[]) {
      const q = typeof v.query === 'string' ? v.query : v.query?.query ?? '';
      for (const s of seriesIn(q)) shown.add(s);
    }
    const own = [...metrics].filter((m) => !m.startsWith('baton_process_'));
    assert.ok(own.length >= 30, `found ${own.length} baton_* metrics in the code`);
    assert.deepEqual(own.filter((m) => !shown.has(m)).sort(), [], 'metrics missing from the dashboard');
    assert.deepEqual([...shown].filter((s) => !known(s)).sort(), [], 'dashboard series no code registers');
    assert.ok([...shown].filter((s) => s.startsWith('baton_process_')).length >= 3, 'the process metrics (CPU, memory, event loop) have panels');
  });

  it('every alert rule names a step type or workflow, says what to check first, and uses only registered series', () => {
    const rules = parse(readFileSync(join(root, 'deploy/prometheus/baton-alerts.yaml'), 'utf8')) as { groups: { rules: { alert: string; expr: string; labels?: Record<string, string>; annotations: Record<string, string> }[] }[] };
    const all = rules.groups.flatMap((g) => g.rules);
    assert.ok(all.length >= 10, `${all.length} alerts`);
    for (const r of all) {
      assert.ok(r.annotations.first_check?.length > 20, `${r.alert} has a first_check`);
      assert.ok(r.annotations.summary, `${r.alert} has a summary`);
      const names = /\b(step_type|workflow)\b/.test(r.expr) || r.labels?.workflow !== undefined || r.labels?.step_type !== undefined;
      assert.ok(names, `${r.alert} names the step type or workflow (by its expression's labels or a label of its own)`);
      for (const s of seriesIn(r.expr)) assert.ok(known(s), `${r.alert} uses ${s}, which no code registers`);
    }
    const covered = new Set(all.flatMap((r) => seriesIn(r.expr)));
    for (const m of ['baton_consumer_lag', 'baton_outbox_oldest_unsent_seconds', 'baton_timers_oldest_due_seconds', 'baton_projection_lag_seconds', 'baton_step_attempts_total', 'baton_cases_failed_total']) assert.ok(covered.has(m), `an alert watches ${m}`);
  });

  it('promtool check rules accepts the alert rules', (t) => {
    const promtool = tool('promtool');
    if (!promtool) { t.skip(missing('promtool')); return; }
    const out = run(promtool, ['check', 'rules', 'deploy/prometheus/baton-alerts.yaml']);
    assert.match(out, /SUCCESS: \d+ rules found/);
  });

  it('the Helm chart lints and renders the orchestrator, the gateway, one Deployment per step service, the migration Job, and kubeconform accepts every manifest', (t) => {
    const helm = tool('helm');
    if (!helm) { t.skip(missing('helm')); return; }
    run(helm, ['lint', 'helm/baton', '--strict']);
    const values = ['--set', 'orchestrator.replicas=3', '--set', 'metrics.serviceMonitor.enabled=true',
      '--set', 'steps[0].name=a', '--set', 'steps[0].stepTypes={noop}', '--set', 'steps[0].replicas=4',
      '--set', 'steps[1].name=b', '--set', 'steps[1].stepTypes={text.classify,text.draft}', '--set', 'steps[1].image=example/steps:1'];
    const rendered = run(helm, ['template', 'rel', 'helm/baton', ...values]);
    const docs = parseAllDocuments(rendered).map((d) => d.toJS()).filter(Boolean) as { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const byName = new Map(docs.map((d) => [`${d.kind}/${d.metadata.name}`, d]));
    assert.equal(byName.get('Deployment/rel-baton-orchestrator')?.spec.replicas, 3);
    const stepA = byName.get('Deployment/rel-baton-steps-a');
    const stepB = byName.get('Deployment/rel-baton-steps-b');
    assert.equal(stepA?.spec.replicas, 4);
    assert.equal(stepB?.spec.template.spec.containers[0].image, 'example/steps:1');
    assert.deepEqual(stepB?.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'BATON_STEP_TYPES'), { name: 'BATON_STEP_TYPES', value: 'text.classify,text.draft' });
    for (const d of docs.filter((x) => x.kind === 'Deployment')) {
      const c = d.spec.template.spec.containers[0];
      assert.equal(c.livenessProbe.httpGet.path, '/health/live', d.metadata.name);
      assert.equal(c.readinessProbe.httpGet.path, '/health/ready', d.metadata.name);
      assert.equal(d.spec.template.metadata.annotations['prometheus.io/scrape'], 'true', d.metadata.name);
    }
    const job = byName.get('Job/rel-baton-migrate');
    assert.ok(job, 'a migration Job');
    assert.match(job.metadata.annotations!['helm.sh/hook']!, /pre-install/);
    assert.ok(byName.get('ServiceMonitor/rel-baton'), 'a ServiceMonitor when asked for');

    const kubeconform = tool('kubeconform');
    const schemas = join(bin, 'k8s-schemas');
    if (!kubeconform || !existsSync(join(schemas, 'deployment-apps-v1.json'))) { t.skip(missing('kubeconform or its Kubernetes schemas')); return; }
    const location = `${schemas}/{{ .ResourceKind }}{{ .KindSuffix }}.json`;
    // ServiceMonitor is a prometheus-operator CRD: no schema ships with Kubernetes.
    const out = run(kubeconform, ['-strict', '-summary', '-skip', 'ServiceMonitor', '-schema-location', location, '-'], rendered);
    assert.match(out, /Invalid: 0, Errors: 0/);
    // The check can fail: a misspelt field is refused.
    assert.throws(() => run(kubeconform, ['-strict', '-skip', 'ServiceMonitor', '-schema-location', location, '-'], rendered.replace('containerPort:', 'containerPorrt:')));
  });

  it('deploy/compose.yaml matches the Compose specification (JSON schema from compose-go)', (t) => {
    const schemaPath = join(bin, 'compose-spec.json');
    if (!existsSync(schemaPath)) { t.skip(missing('compose-spec.json')); return; }
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const compose = parse(readFileSync(join(root, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Record<string, unknown>> };
    assert.ok(validate(compose), JSON.stringify(validate.errors));
    for (const s of ['kafka', 'postgres', 'migrate', 'orchestrator', 'gateway', 'triage-steps']) assert.ok(compose.services[s], `compose runs ${s}`);
    assert.equal(validate({ ...compose, services: { ...compose.services, gateway: { ...compose.services.gateway, portz: 1 } } }), false, 'an unknown field is refused');
  });
});


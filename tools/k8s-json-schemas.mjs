#!/usr/bin/env node
// Writes Kubernetes JSON schemas in kubeconform's layout (<kind>-<group>-<version>.json) from
// the OpenAPI v2 document the Kubernetes repository ships (api/openapi-spec/swagger.json, in the
// Go module k8s.io/kubernetes), since kubeconform's own schema repository cannot be fetched here.
// Like openapi2jsonschema --strict: every object with properties refuses unknown fields
// (x-kubernetes-preserve-unknown-fields excepted), int-or-string accepts both, and each file
// carries the definitions its $refs point at.
//   node tools/k8s-json-schemas.mjs <swagger.json> <out dir> [Kind ...]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [swaggerPath, outDir, ...only] = process.argv.slice(2);
if (!swaggerPath || !outDir) { console.error('usage: k8s-json-schemas.mjs <swagger.json> <out dir> [Kind ...]'); process.exit(2); }
const kinds = new Set(only.length ? only : ['Deployment', 'Service', 'Job', 'Secret', 'ConfigMap', 'ServiceAccount', 'StatefulSet', 'CronJob', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress']);
const { definitions } = JSON.parse(readFileSync(swaggerPath, 'utf8'));

function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  if (node.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }], ...(node.description ? { description: node.description } : {}) };
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'x-kubernetes-group-version-kind' ? v : strict(v);
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

/** The names of every definition reachable from `name`. */
function reachable(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const walk = (n) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') for (const [k, v] of Object.entries(n)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) reachable(v.slice('#/definitions/'.length), seen);
      else walk(v);
    }
  };
  walk(definitions[name]);
  return seen;
}

mkdirSync(outDir, { recursive: true });
let written = 0;
for (const [name, def] of Object.entries(definitions)) {
  for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
    if (!kinds.has(gvk.kind)) continue;
    const group = (gvk.group ?? '').split('.')[0];
    const file = `${gvk.kind.toLowerCase()}${group ? `-${group.toLowerCase()}` : ''}-${gvk.version.toLowerCase()}.json`;
    const defs = {};
    for (const n of reachable(name)) defs[n] = strict(definitions[n]);
    const schema = { $schema: 'http://json-schema.org/schema#', ...strict(def), definitions: defs };
    // apiVersion and kind must be the ones this file is for.
    schema.properties = { ...schema.properties, apiVersion: { type: 'string', enum: [gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version] }, kind: { type: 'string', enum: [gvk.kind] } };
    writeFileSync(join(outDir, file), JSON.stringify(schema));
    written++;
  }
}
console.error(`k8s-json-schemas: wrote ${written} schemas to ${outDir}`);

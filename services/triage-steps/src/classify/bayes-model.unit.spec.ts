import { test } from 'node:test';
import assert from 'node:assert/strict';
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier';
import { SpamBayesModel, sigmoid } from './bayes-model';
import { fitPlatt } from './calibration';
import { trainBayes, type LabelledFeatures } from './train-bayes';

const docs: LabelledFeatures[] = [
  { features: ['free', 'money', 'click', 'now'], label: 'spam' },
  { features: ['win', 'free', 'prize', 'click'], label: 'spam' },
  { features: ['cheap', 'money', 'offer'], label: 'spam' },
  { features: ['meeting', 'tomorrow', 'agenda'], label: 'ham' },
  { features: ['patch', 'cvs', 'build', 'tomorrow'], label: 'ham' },
  { features: ['lunch', 'meeting', 'money'], label: 'ham' },
  { features: ['review', 'patch', 'agenda'], label: 'ham' },
];

test('log-space scoring gives the posterior that natural\'s unnormalised likelihoods imply', () => {
  const natural = new BayesClassifier();
  for (const d of docs) natural.addDocument([...d.features], d.label);
  natural.train();
  const model = new SpamBayesModel(trainBayes(docs, { maxFeatures: 1000, minDocs: 1, smoothing: 1 }));
  for (const message of [['free', 'click'], ['meeting', 'patch'], ['money'], ['money', 'agenda', 'win'], ['unknown']]) {
    const values = Object.fromEntries(natural.getClassifications(message).map((c) => [c.label, c.value]));
    const expected = values.spam / (values.spam + values.ham);
    const got = sigmoid(model.logOdds(message));
    assert.ok(Math.abs(got - expected) < 1e-9, `${message.join(' ')}: ${got} vs natural ${expected}`);
    assert.equal(got >= 0.5 ? 'spam' : 'ham', natural.classify(message));
  }
});

test('scoring a long message stays finite where natural underflows to 0 for both labels', () => {
  const model = new SpamBayesModel(trainBayes(docs, { maxFeatures: 1000, minDocs: 1, smoothing: 1 }));
  const long = Array.from({ length: 2000 }, (_, i) => (i % 2 ? 'free' : 'meeting') + String(i));
  const lo = model.logOdds([...long, 'free', 'click']);
  assert.ok(Number.isFinite(lo));
  assert.ok(lo > 0);
});

test('Platt scaling recovers the slope and offset that generated the labels', () => {
  const scores: number[] = [];
  const labels: Array<0 | 1> = [];
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 5000; i++) {
    const s = (rand() - 0.5) * 200;
    scores.push(s);
    labels.push(rand() < sigmoid(0.05 * s - 0.5) ? 1 : 0);
  }
  const { a, b } = fitPlatt(scores, labels);
  assert.ok(Math.abs(a - 0.05) < 0.01, `a = ${a}`);
  assert.ok(Math.abs(b + 0.5) < 0.2, `b = ${b}`);
});

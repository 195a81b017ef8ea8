// A fuzz test of podToContainerGroup: realistic pods, Secrets and ConfigMaps, mutated at random (fields
// dropped, values replaced by nulls, numbers, strings, huge strings, objects, arrays, invalid quantities and
// times, malformed Docker configurations), thousands of times. Each gives a translation or a
// TranslationError, never another exception; a translation is a body ARM can read (no null, NaN or
// undefined, within ARM's size limit); no message quotes a Secret's value.
//
// Well-formed pods are the property tests' (pod-to-container-group.properties.test.ts), and so are ARM's
// answers of any shape (container-group-to-pod-status.properties.test.ts).
//
// Each run draws a new seed, printed with any failure; TRANSLATION_FUZZ_SEED=<seed> replays it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1ConfigMap, V1Pod, V1Secret } from "@kubernetes/client-node";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError } from "../../../shared/translate/problems.js";
import { armMaxRequestBytes } from "../../../shared/translate/request-size.js";
import { b64, configMaps, documentedRegion, eastUs2021, linuxNode, realisticPods, secrets, secretValues, settings, windowsNode } from "./realistic-pods.js";

// Fewer under mutation testing (npm run test:mutation:translate), where this file runs once per mutant.
const cases = Number(process.env.TRANSLATION_FUZZ_CASES ?? 3000);
const baseSeed = Number(process.env.TRANSLATION_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, chance: (p: number) => next() < p, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}
type Random = ReturnType<typeof random>;

/** Values a field should never hold, and a few it might, as YAML, a typo or a hostile manifest gives them. */
function nasty(rng: Random): unknown {
  const values: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => rng.pick([0, -1, 1.5, 80, 65536, 2 ** 31, 2 ** 53, 1e308, -1e308, NaN, Infinity, -Infinity]),
    () => rng.pick(["", "x", "yesterday", "2026-13-45T99:99:99Z", "__proto__", "constructor", "toString", "hasOwnProperty", "-1", "1e400", "500m", "1Gi", "-2Gi", ".", "NaN", "Infinity", "1e308Ei", "a/b", "UPPER_case", "💥", "\u0000", "80", "http", "Never", "SCTP"]),
    () => rng.pick(["x", "🙂", "é", "\\", '"']).repeat(1 + rng.int(rng.chance(0.1) ? 200_000 : 300)),
    () => rng.pick([true, false]),
    () => rng.pick([{}, [], [null], [1, "a", {}], { name: 5 }, { "": "" }]),
    () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}') as unknown,
    () => rng.pick([new Date("not a date"), new Date("2026-11-24T10:00:00Z")]),
  ];
  return rng.pick(values)();
}

/** Docker configurations the API server stores (it only checks that the text is JSON), and some it does not. */
const dockerConfigs = [
  '{"auths":{"myreg.io":null}}',
  '{"auths":null}',
  '{"auths":[1,2]}',
  '{"auths":{"r.io":{"auth":123}}}',
  '{"auths":{"r.io":{"auth":"!!!"}}}',
  `{"auths":{"r.io":{"auth":"${b64("nocolon")}"}}}`,
  `{"auths":{"r.io":{"auth":"${b64(":nouser")}"}}}`,
  '{"auths":{"r.io":{"username":1,"password":[]}}}',
  '{"auths":{"r.io":{"username":"u"}}}',
  '{"auths":{"":{"username":"u","password":"p"}}}',
  '{"auths":{"https://":{"username":"u","password":"p"}}}',
  '{"auths":{"__proto__":{"username":"u","password":"p"},"constructor":{}}}',
  '{"auths":{"r.io":{"identitytoken":"t"}},"credsStore":"desktop"}',
  "null",
  "[]",
  '"text"',
  "5",
  "{",
  "",
];

type Path = (string | number)[];

/** Every field and item in a value, as paths from its root. */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  const children = Array.isArray(value) ? value.map((v, i): [number, unknown] => [i, v]) : typeof value === "object" && value !== null && !(value instanceof Date) ? Object.entries(value) : [];
  for (const [key, child] of children) {
    out.push([...prefix, key]);
    paths(child, [...prefix, key], out);
  }
  return out;
}

/** One random change somewhere in `root`: drop, replace, duplicate, or add a field. Returns what it did. */
function mutate(root: Record<string, unknown>, rng: Random): string {
  const all = paths(root);
  if (all.length === 0) return "nothing to mutate";
  const path = rng.pick(all);
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  const where = path.join(".");
  switch (rng.int(4)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return `dropped ${where}`;
    case 1:
      if (Array.isArray(parent)) {
        parent.push(structuredClone(parent[key as number]));
        return `duplicated ${where}`;
      }
      break;
    case 2: {
      const target = parent[key];
      if (typeof target === "object" && target !== null && !Array.isArray(target) && !(target instanceof Date)) {
        const field = rng.pick(["name", "constructor", "__proto__", "extra", "value", "items", "port", "auths"]);
        Object.defineProperty(target, field, { value: nasty(rng), enumerable: true, writable: true, configurable: true });
        return `added ${where}.${field}`;
      }
      break;
    }
  }
  parent[key] = nasty(rng);
  return `replaced ${where}`;
}

interface Refs {
  secrets: Map<string, V1Secret>;
  configMaps: Map<string, V1ConfigMap>;
}

function mutateReferences(refs: Refs, rng: Random): string {
  const choice = rng.int(5);
  const docker = [...refs.secrets].filter(([, s]) => typeof s?.type === "string" && s.type.startsWith("kubernetes.io/docker"));
  if (choice === 0 && docker.length > 0) {
    const [name, secret] = rng.pick(docker);
    const config = rng.pick(dockerConfigs);
    const type = rng.pick(["kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg", "Opaque"]);
    const key = rng.pick([".dockerconfigjson", ".dockercfg"]);
    refs.secrets.set(name, { ...secret, type, data: { [key]: rng.chance(0.9) ? b64(config) : config } });
    return `Secret ${name}: ${type} ${key} = ${config}`;
  }
  const [kind, map] = rng.pick([["Secret", refs.secrets], ["ConfigMap", refs.configMaps]] as const);
  if (map.size === 0) return `no ${kind} left to mutate`;
  const name = rng.pick([...map.keys()]);
  if (choice === 1) return (map.set(name, nasty(rng) as never), `${kind} ${name} replaced`);
  if (choice === 2) return (map.delete(name), `${kind} ${name} removed`);
  return `${kind} ${name}: ${mutate(map.get(name) as unknown as Record<string, unknown>, rng)}`;
}

const show = (value: unknown) => (typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));

/** What ARM cannot take: a null, NaN or undefined anywhere (JSON would carry null), or a body over its limit. */
function assertArmCanRead(body: unknown): void {
  const text = JSON.stringify(body);
  assert.ok(Buffer.byteLength(text) <= armMaxRequestBytes, `body of ${Buffer.byteLength(text)} bytes`);
  const walk = (value: unknown, at: string): void => {
    assert.ok(value !== null && value !== undefined, `${at} is ${show(value)}`);
    if (typeof value === "number") assert.ok(Number.isFinite(value), `${at} is ${value}`);
    if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`);
  };
  walk(body, "body");
}

/** Runs `cases` cases; each gets its own seed, so a failure names the one seed that replays it alone. */
function fuzz(run: (rng: Random, log: string[]) => void): void {
  for (let i = 0; i < cases; i++) {
    const seed = (baseSeed + i) >>> 0;
    const log: string[] = [];
    try {
      run(random(seed), log);
    } catch (error) {
      const replay = `TRANSLATION_FUZZ_SEED=${seed} replays it as the first case (this run's seed: ${baseSeed}, case ${i})`;
      const what = error instanceof assert.AssertionError ? error.message : ((error as Error).stack ?? String(error));
      throw new assert.AssertionError({ message: `${what}\nafter: ${log.join("; ")}\n${replay}` });
    }
  }
}

describe(`the translation, fuzzed (TRANSLATION_FUZZ_SEED=${baseSeed})`, () => {
  const pods = realisticPods();

  it(`podToContainerGroup: ${cases} mutated pods and references give a translation or a TranslationError, never another error`, () => {
    let translated = 0;
    fuzz((rng, log) => {
      const pod = structuredClone(rng.pick(pods)) as V1Pod & Record<string, unknown>;
      const refs: Refs = { secrets: structuredClone(secrets), configMaps: structuredClone(configMaps) };
      for (let n = 1 + rng.int(4); n > 0; n--) log.push(rng.chance(0.7) ? mutate(pod, rng) : mutateReferences(refs, rng));
      const region = rng.pick([documentedRegion, eastUs2021, undefined]);
      const input = { pod: rng.chance(0.01) ? (nasty(rng) as V1Pod) : pod, references: refs, node: rng.chance(0.8) ? linuxNode : windowsNode, settings, ...(region !== undefined && { capabilities: region }) };
      try {
        assertArmCanRead(podToContainerGroup(input).body);
        translated++;
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(error instanceof TranslationError, `not a TranslationError: ${(error as Error).stack}`);
        assert.ok(error.problems.length > 0);
        for (const value of secretValues) assert.ok(!error.message.includes(value) && !error.message.includes(b64(value)), `the message quotes a Secret's value: ${error.message}`);
      }
    });
    // Mutations are small: many pods still translate, so the checks on bodies are exercised too.
    assert.ok(translated > cases / 10, `only ${translated} of ${cases} translated`);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFromText } from '../../src/run/index.js';
import { buildTopology, ScenarioError } from '../../src/scenario/index.js';
import { fittedRttMs, greatCircleKm, MIN_RTT_MS, REGION_LOCATIONS, RTT_MS_PER_KM } from '../../src/scenario/geography.js';

/**
 * The published round trips the latency constant is fitted to (ms).
 * cloudping.co, "AWS Region Latency Matrix", the rows of af-south-1 and
 * ap-east-1, in the matrix's column order (the sovereign eusc-de-east-1
 * column and each region's own left out); and the gist
 * caius/21eca095ba281393f0616e2325410278, "Average of 10 pings from EC2
 * instance in the from region to the EC2 endpoint in the to region".
 */
const COLUMNS = ['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'];
const ROWS: Record<string, number[]> = {
  'af-south-1': [0.96, 238.42, 253.05, 285.65, 270.48, 278.92, 151.93, 160.09, 205.24, 295.02, 219.85, 305.0, 209.91, 319.72, 233.15, 222.16, 289.76, 155.41, 152.48, 175.37, 145.71, 130.25, 156.57, 150.06, 147.38, 180.95, 126.93, 249.74, 284.26, 337.25, 226.85, 237.15, 286.56, 278.75],
  'ap-east-1': [238.69, 1.08, 16.22, 52.55, 39.73, 50.25, 93.6, 79.12, 34.01, 125.46, 48.54, 135.54, 40.43, 152.17, 60.99, 202.72, 163.03, 198.54, 187.02, 212.87, 183.92, 199.1, 257.54, 199.3, 196.76, 227.91, 120.52, 129.57, 218.97, 312.32, 202.47, 189.52, 154.93, 146.27],
};
const PAIRS: Array<[string, string, number]> = [
  ['ca-central-1', 'us-east-1', 14.4], ['ca-central-1', 'us-west-2', 75.4], ['ca-central-1', 'eu-west-1', 68.6],
  ['ca-central-1', 'eu-west-2', 77.7], ['us-east-1', 'us-west-2', 71.4], ['us-east-1', 'eu-west-1', 66.6],
];
const PUBLISHED: Array<{ a: string; b: string; rtt: number }> = [
  ...Object.entries(ROWS).flatMap(([row, rtts]) => COLUMNS.flatMap((col, i) => (col === row ? [] : [{ a: row, b: col, rtt: rtts[i]! }]))),
  ...PAIRS.map(([a, b, rtt]) => ({ a, b, rtt })),
];
const km = (a: string, b: string) => greatCircleKm(REGION_LOCATIONS[a]!, REGION_LOCATIONS[b]!);

describe('geography: the latency constant is the fit of the published round trips', () => {
  it('refits 72 published round trips to 0.0192 ms per km (through the origin), half within 12.6 %, 90 % within 35 %', () => {
    expect(PUBLISHED).toHaveLength(72);
    const sxy = PUBLISHED.reduce((s, p) => s + km(p.a, p.b) * p.rtt, 0);
    const sxx = PUBLISHED.reduce((s, p) => s + km(p.a, p.b) ** 2, 0);
    expect(Number((sxy / sxx).toPrecision(3))).toBe(RTT_MS_PER_KM);
    const errors = PUBLISHED.map((p) => Math.abs(fittedRttMs(REGION_LOCATIONS[p.a]!, REGION_LOCATIONS[p.b]!) - p.rtt) / p.rtt).sort((x, y) => x - y);
    expect(errors[Math.floor(errors.length / 2)]!).toBeLessThan(0.13);
    expect(errors[Math.floor(errors.length * 0.9)]!).toBeLessThan(0.36);
  });

  it('distances are great circles: Dublin to Ashburn about 5,460 km, one metro 0 km (and a 1 ms round trip)', () => {
    expect(km('us-east-1', 'eu-west-1')).toBeGreaterThan(5_400);
    expect(km('us-east-1', 'eu-west-1')).toBeLessThan(5_500);
    expect(km('us-east-1', 'us-east4')).toBe(0);
    expect(fittedRttMs(REGION_LOCATIONS['us-east-1']!, REGION_LOCATIONS['us-east4']!)).toBe(MIN_RTT_MS);
  });

  it('docs/scenarios.md, Geography, lists every catalogued region with its metro, and no other', () => {
    const docs = readFileSync('docs/scenarios.md', 'utf8');
    const section = docs.slice(docs.indexOf('### Geography'), docs.indexOf('### Latency'));
    const listed = [...section.matchAll(/`([\w-]+)`: ([^;|]+?)(?=;|\s\|)/g)].map((m) => [m[1], m[2]!.trim()]);
    expect(listed).toEqual(Object.entries(REGION_LOCATIONS).map(([code, r]) => [code, r.metro]));
  });

  it('every catalogued region has coordinates on the globe and a cloud', () => {
    for (const [code, r] of Object.entries(REGION_LOCATIONS)) {
      expect(Math.abs(r.lat), code).toBeLessThanOrEqual(90);
      expect(Math.abs(r.lon), code).toBeLessThanOrEqual(180);
      expect(['aws', 'gcp', 'azure']).toContain(r.cloud);
    }
  });
});

const located = (extra = '') => `
topology:
  clouds:
    aws:
      regions:
        aws-east: { nodes: 2, location: us-east-1 }
        aws-west: { nodes: 2, location: us-west-2 }
        aws-central: { nodes: 2 }
    gcp:
      regions:
        gcp-central: { nodes: 2, location: us-central1 }
    azure:
      regions:
        azure-europe: { nodes: 2, location: { lat: 52.37, lon: 4.9 } }
${extra}`;

function linkOf(text: string, from: string, to: string) {
  const topology = buildTopology(loadScenarioFromText('geo.yml', text).scenario);
  const region = (name: string) => topology.regions.find((r) => r.name === name)!;
  return topology.link(region(from), region(to));
}

describe('geography: located regions take their latency from their distance', () => {
  it('a located pair is half the fitted round trip, normal with 10 % spread and an 80 % floor, the same both ways, within a cloud or across', () => {
    const mean = Math.round((RTT_MS_PER_KM * km('us-east-1', 'us-west-2') * 1000) / 2);
    expect(mean).toBeGreaterThan(30_000);
    expect(linkOf(located(), 'aws-east', 'aws-west').latency).toEqual({ kind: 'normal', mean, stddev: Math.round(mean / 10), floor: Math.round(mean * 0.8) });
    expect(linkOf(located(), 'aws-west', 'aws-east').latency).toEqual(linkOf(located(), 'aws-east', 'aws-west').latency);
    // Across clouds: the fitted figure replaces document 000's flat 60 ms AWS-Azure mean.
    const transatlantic = linkOf(located(), 'aws-east', 'azure-europe').latency;
    expect(transatlantic).toMatchObject({ kind: 'normal' });
    expect((transatlantic as { mean: number }).mean).toBe(Math.round((RTT_MS_PER_KM * greatCircleKm(REGION_LOCATIONS['us-east-1']!, { lat: 52.37, lon: 4.9 }) * 1000) / 2));
  });

  it('a pair with an unlocated side keeps the class or cloud default; a region to itself keeps same_region; links still override', () => {
    const unlocated = located().replaceAll(/, location: (\{[^}]*\}|[\w-]+)/g, '');
    expect(unlocated).not.toContain('location');
    expect(linkOf(located(), 'aws-east', 'aws-central').latency).toEqual(linkOf(unlocated, 'aws-east', 'aws-central').latency);
    expect(linkOf(located(), 'aws-east', 'aws-central').latency).toMatchObject({ kind: 'normal', mean: 5_000 });
    expect(linkOf(located(), 'aws-east', 'aws-east').latency).toMatchObject({ kind: 'uniform' });
    const pinned = located('network:\n  links: [{ between: [aws-east, aws-west], latency: 12ms }]');
    expect(linkOf(pinned, 'aws-east', 'aws-west').latency).toEqual({ kind: 'constant', value: 12_000 });
  });

  it('an unknown region code is an input error with the nearest codes', () => {
    let thrown: unknown;
    try {
      loadScenarioFromText('geo.yml', located().replace('location: us-west-2', 'location: us-west-3'));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScenarioError);
    expect((thrown as Error).message).toMatch(/^geo\.yml:\d+:\d+: topology\.clouds\.aws\.regions\.aws-west\.location: "us-west-3" is not a cloud region Lorenz knows; did you mean us-west-1, us-west-2, eu-west-3\? \(docs\/scenarios\.md, Geography, lists them; or give \{ lat, lon \}\)\.$/);
  });

  it('an object without lon names the missing field, not the other form ("expected string")', () => {
    expect(() => loadScenarioFromText('geo.yml', located().replace('{ lat: 52.37, lon: 4.9 }', '{ lat: 52.37 }'))).toThrow(/azure-europe\.location\.lon: required field is missing/);
  });

  it('coordinates off the globe are an input error', () => {
    expect(() => loadScenarioFromText('geo.yml', located().replace('lat: 52.37', 'lat: 95'))).toThrow(/azure-europe\.location\.lat: .*90/);
  });
});

import { describe, expect, it } from 'vitest';
import { loadScenarioFromText } from '../../src/run/index.js';
import { buildTopology } from '../../src/scenario/index.js';

const TOPOLOGY = `
topology:
  clouds:
    aws:
      regions:
        aws-east: { nodes: 2 }
    gcp:
      regions:
        gcp-central: { nodes: 2 }
`;

/** The one-way latency spec and loss of the link between two regions, in that direction. */
function linkOf(links: string, from: string, to: string) {
  const topology = buildTopology(loadScenarioFromText('links.yml', `${TOPOLOGY}network:\n  links: ${links}\n`).scenario);
  const region = (name: string) => topology.regions.find((r) => r.name === name)!;
  return topology.link(region(from), region(to));
}

describe('network.links overrides', () => {
  it('apply both ways by default', () => {
    const links = '[{ between: [aws-east, gcp-central], loss: 0.2, latency: 80ms }]';
    expect(linkOf(links, 'aws-east', 'gcp-central')).toMatchObject({ loss: 0.2, latency: { kind: 'constant', value: 80_000 } });
    expect(linkOf(links, 'gcp-central', 'aws-east')).toMatchObject({ loss: 0.2, latency: { kind: 'constant', value: 80_000 } });
  });

  it('with one_way, from the first name to the second only: the way back keeps the class settings', () => {
    const links = '[{ between: [aws, gcp], loss: 0.2, latency: 80ms, one_way: true }]';
    expect(linkOf(links, 'aws-east', 'gcp-central')).toMatchObject({ loss: 0.2, latency: { kind: 'constant', value: 80_000 } });
    const back = linkOf(links, 'gcp-central', 'aws-east');
    expect(back.loss).toBe(0);
    expect(back).toEqual(linkOf('[]', 'gcp-central', 'aws-east'));
  });

  it('two one-way entries give each direction its own settings', () => {
    const links = '[{ between: [aws-east, gcp-central], latency: 30ms, one_way: true }, { between: [gcp-central, aws-east], latency: 90ms, one_way: true }]';
    expect(linkOf(links, 'aws-east', 'gcp-central').latency).toEqual({ kind: 'constant', value: 30_000 });
    expect(linkOf(links, 'gcp-central', 'aws-east').latency).toEqual({ kind: 'constant', value: 90_000 });
  });
});

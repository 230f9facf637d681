import type { SystemModule } from '../../../modules/system-module.js';
import { formatSize } from '../../../units/index.js';
import { membershipModule } from '../../membership/module.js';
import { chunkCount } from '../../pipeline/chunks.js';
import { pipelineModule } from '../../pipeline/module/index.js';
import { ReadPort } from '../messages.js';
import { READS_DEFECTS, type ReadsDefect, type ReadsOptions } from '../options.js';
import { MAX_RANKED_CHUNKS, Popularity } from '../popularity.js';
import { MetadataPublisher } from '../publisher.js';
import { ReadClient } from '../read-client.js';
import { ReadServer } from '../read-server.js';
import { readsBlock, type ReadsBlock } from '../scenario-block.js';
import { ShardServer } from '../shard-server.js';
import { ShardOwners } from '../shards.js';
import { ReadsObserver, type ReadsSummary } from './observer.js';

/**
 * Document 002's read side, when the scenario has a `reads:` block: an
 * access model (Zipf-skewed chunk popularity), clients reading through a
 * cache, their own replicas or other nodes', a metadata catalog split into
 * shards with an owner each, and read reports that let rebalancing move hot
 * data first. Its summary section is the document's latency table.
 */
export const readsModule: SystemModule<ReadsOptions, ReadsBlock> = {
  name: 'reads',
  block: { key: 'reads', schema: readsBlock },
  uses: [pipelineModule, membershipModule],
  defects: READS_DEFECTS,
  check({ scenario: sc, names, hint }, r) {
    if (!r) return undefined;
    const unknown = r.clients.findIndex((c) => !names.nodes.includes(c));
    if (unknown >= 0) return { path: ['reads', 'clients', unknown], message: `no node called "${r.clients[unknown]}"; ${hint}` };
    if (r.read_size > sc.pipeline.chunk_size) return { path: ['reads', 'read_size'], message: `is larger than pipeline.chunk_size (${formatSize(sc.pipeline.chunk_size)}): a read is a range of one chunk` };
    if (r.read_size <= 0) return { path: ['reads', 'read_size'], message: 'must be more than 0 bytes' };
    const chunks = chunkCount(sc.pipeline.dataset.size, sc.pipeline.dataset.file_size, sc.pipeline.chunk_size);
    if (chunks > MAX_RANKED_CHUNKS) return { path: ['reads'], message: `the access model ranks at most ${MAX_RANKED_CHUNKS} chunks; this dataset has ${chunks} (raise pipeline.chunk_size)` };
    return undefined;
  },
  settings({ topology, index, settingsOf, defects }, r) {
    if (!r) return undefined;
    const pipeline = settingsOf(pipelineModule)!.pipeline;
    const clients = r.clients.length > 0 ? r.clients.map(index) : topology.nodes.flatMap((n, i) => (n.standby ? [] : [i]));
    return {
      clients, every: r.every, start: r.start, readBytes: r.read_size,
      cacheEntries: Math.floor(r.cache / r.read_size), cacheLatency: r.cache_latency, timeout: r.timeout,
      heatReport: r.heat_report, shards: r.metadata.shards, publishEvery: r.metadata.publish_every,
      popularity: new Popularity(chunkCount(pipeline.datasetBytes, pipeline.fileBytes, pipeline.chunkBytes), r.skew),
      metadataNode: pipeline.sourceNode,
      defects: defects as ReadonlySet<ReadsDefect>,
    };
  },
  boot(node, options) {
    const { rt } = node;
    if (!node.registry) throw new Error('reads boot after the membership module, whose view they consult');
    const server = new ReadServer(rt, options, node.telemetry);
    new ShardServer(rt, options.shards, options.metadataNode);
    // One view of the owners per node: the metadata node's publisher and its client agree, and it is computed once.
    const owners = new ShardOwners(node.registry, options.shards);
    if (node.source) {
      const { heat } = node.source;
      new MetadataPublisher(rt, node.source.catalog, node.registry, owners, options);
      rt.listen(ReadPort.heat, (_from, report) => report.chunks.forEach((chunk, i) => heat.add(chunk, report.reads[i]!)));
    }
    if (options.clients.includes(rt.self)) new ReadClient(rt, options, node.cluster, node.registry, server, owners, node.telemetry);
  },
  observe(run, options) {
    const observer = new ReadsObserver(run.truth, run.bucket, options);
    return {
      observe: (e) => observer.observe(e),
      files: () => ({ 'reads.csv': observer.toCsv(run.horizon) }),
      summary: () => ({ reads: observer.summary() }),
      invariants: () => observer.results(),
    };
  },
  metrics: {
    reads_ok: (s) => s.reads?.ok ?? null,
    read_availability: (s) => s.reads?.availability ?? null,
    cache_hit_ratio: (s) => s.reads?.cache_hit_ratio ?? null,
    read_cached_p95_ms: (s) => s.reads?.latency_table[0]!.p95_ms ?? null,
    read_local_p95_ms: (s) => s.reads?.latency_table[1]!.p95_ms ?? null,
    read_remote_p95_ms: (s) => s.reads?.latency_table[2]!.p95_ms ?? null,
    metadata_p95_ms: (s) => s.reads?.latency_table[3]!.p95_ms ?? null,
    read_p95_ms: (s) => s.reads?.latency_table[4]!.p95_ms ?? null,
    metadata_fallbacks: (s) => s.reads?.metadata.fallbacks ?? null,
    hot_moves: (s) => s.reads?.hot_moves ?? null,
  },
  terminal: (s) => {
    const r = s.reads;
    if (!r) return [];
    const p95 = (i: number) => r.latency_table[i]!.p95_ms ?? '-';
    return [`reads: ${r.ok}/${r.reads} served (availability ${r.availability ?? '-'}), p95 cached ${p95(0)} ms, local ${p95(1)} ms, remote ${p95(2)} ms, metadata ${p95(3)} ms`];
  },
};

declare module '../../../modules/summary.js' {
  interface Summary {
    /** Present when the scenario has a reads: block. */
    reads?: ReadsSummary;
  }
}

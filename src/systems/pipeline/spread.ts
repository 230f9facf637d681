import type { ClusterConfig, MemberInfo } from '../cluster.js';

/** A failure domain: what fails together (a cloud, a region, a rack). */
export type DomainLevel = 'cloud' | 'region' | 'rack';

/** `placement.spread`: each chunk's replicas over at least `minDomains` domains of `domain` (as many as it has replicas, if fewer). */
export interface SpreadOptions {
  domain: DomainLevel | 'none';
  minDomains: number;
}

/** The domain a member is in at `level` (a region without racks is one rack). */
export function domainOf(m: MemberInfo, level: DomainLevel): string {
  return level === 'cloud' ? m.cloud : level === 'region' ? m.region : m.rack;
}

/**
 * Failure-domain rules shared by placement, repair and rebalancing, so all
 * three honour the same constraint: a replica set is spread enough when it
 * covers min(minDomains, its size) distinct domains.
 */
export class FailureDomains {
  constructor(private readonly cluster: ClusterConfig, readonly level: DomainLevel, readonly minDomains: number) {}

  of(member: number): string {
    return domainOf(this.cluster.members[member]!, this.level);
  }

  /** Distinct domains among `members`. */
  covered(members: Iterable<number>): Set<string> {
    const seen = new Set<string>();
    for (const m of members) seen.add(this.of(m));
    return seen;
  }

  /** Whether `members` (one chunk's replicas) cover as many domains as the rule asks of a set that size. */
  spread(members: readonly number[]): boolean {
    return this.covered(members).size >= Math.min(this.minDomains, members.length);
  }
}
